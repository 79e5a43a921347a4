/* SPDX-License-Identifier: Apache-2.0 */
/* Capped whole-file reads and strict decimal parsing. */
#include "fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <linux/magic.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <unistd.h>

#include "buf.h"
#include "cleanup.h"

int ol_read_stream(int fd, const char *name, size_t max, char **out, size_t *out_len,
		   struct ol_error *err)
{
	cleanup_buf struct ol_buf buf = { 0 };

	for (;;) {
		ssize_t n;

		if (ol_buf_reserve(&buf, 65536) < 0)
			return ol_error_oom(err);
		n = read(fd, buf.data + buf.len, buf.cap - buf.len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return ol_error_errno(err, errno, "cannot read '%s'", name);
		if (n == 0)
			break;
		buf.len += (size_t) n;
		if (buf.len > max)
			return ol_error_set(err, EFBIG, "'%s' is more than the limit of %zu bytes",
					    name, max);
	}
	buf.data[buf.len] = '\0';
	*out = ol_buf_steal(&buf, out_len);
	return 0;
}

int ol_read_fd(int fd, const char *name, size_t max, char **out, size_t *out_len,
	       struct ol_error *err)
{
	struct stat st;

	if (fstat(fd, &st) < 0)
		return ol_error_errno(err, errno, "cannot stat '%s'", name);
	if (!S_ISREG(st.st_mode))
		return ol_error_set(err, EINVAL, "'%s' is not a regular file", name);
	if ((uint64_t) st.st_size > max)
		return ol_error_set(err, EFBIG, "'%s' is %lld bytes, more than the limit of %zu",
				    name, (long long) st.st_size, max);
	/* The file may still grow while it is read: the stream is capped too. */
	return ol_read_stream(fd, name, max, out, out_len, err);
}

/*
 * Looked at before it is opened: opening a device can act on it (a pty
 * allocated, a watchdog armed) and opening a FIFO blocks, whatever the
 * type check after.  So the path is opened O_PATH, which does neither,
 * checked, and only a regular file is opened for reading, through
 * /proc/self/fd (the very file checked), or where /proc is missing by its
 * path again, compared with what was checked.  Files of procfs and sysfs
 * are regular too, and reading some consumes them (/proc/kmsg): refused
 * unless `kernel`.
 */
static int read_checked(const char *path, size_t max, bool kernel, char **out, size_t *out_len,
			struct ol_error *err)
{
	cleanup_close int at = open(path, O_PATH | O_CLOEXEC);
	cleanup_close int fd = -1;
	struct stat st, again;
	struct statfs sfs;
	char self[64];

	if (at < 0)
		return ol_error_errno(err, errno, "cannot open '%s'", path);
	if (fstat(at, &st) < 0)
		return ol_error_errno(err, errno, "cannot stat '%s'", path);
	if (!S_ISREG(st.st_mode))
		return ol_error_set(err, EINVAL, "'%s' is not a regular file", path);
	if (!kernel && fstatfs(at, &sfs) == 0 &&
	    (sfs.f_type == PROC_SUPER_MAGIC || sfs.f_type == SYSFS_MAGIC))
		return ol_error_set(err, EINVAL, "'%s' is a file of the kernel's (/proc, /sys)",
				    path);
	snprintf(self, sizeof(self), "/proc/self/fd/%d", at);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 && errno == ENOENT) {
		fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
		if (fd >= 0 && (fstat(fd, &again) < 0 || again.st_dev != st.st_dev ||
				again.st_ino != st.st_ino))
			return ol_error_set(err, EAGAIN, "'%s' changed while it was opened", path);
	}
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot open '%s'", path);
	return ol_read_fd(fd, path, max, out, out_len, err);
}

int ol_read_file(const char *path, size_t max, char **out, size_t *out_len, struct ol_error *err)
{
	return read_checked(path, max, false, out, out_len, err);
}

int ol_read_kernel_file(const char *path, size_t max, char **out, size_t *out_len,
			struct ol_error *err)
{
	return read_checked(path, max, true, out, out_len, err);
}

int ol_write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		data += n;
		len -= (size_t) n;
	}
	return 0;
}

int ol_replace_file_at(int dirfd, const char *name, const char *data, size_t len, bool durable,
		       struct ol_error *err)
{
	cleanup_free char *tmp = NULL;
	cleanup_close int fd = -1;
	struct stat st;
	int r;

	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return ol_error_errno(err, errno, "cannot stat '%s'", name);
	if (!S_ISREG(st.st_mode))
		return ol_error_set(err, EINVAL, "'%s' is not a regular file", name);
	if (asprintf(&tmp, "%s.tmp", name) < 0)
		return ol_error_oom(err);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && unlinkat(dirfd, tmp, 0) == 0)
		fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot create '%s'", tmp);
	r = ol_write_all(fd, data, len);
	if (r == 0 && fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM)
		r = -errno;
	if (r == 0 && fchmod(fd, st.st_mode & 07777) < 0)
		r = -errno;
	if (r == 0 && durable && fsync(fd) < 0)
		r = -errno;
	if (r == 0 && renameat(dirfd, tmp, dirfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dirfd, tmp, 0);
		return ol_error_errno(err, -r, "cannot replace '%s'", name);
	}
	/* The rename itself must reach the disk too. */
	if (durable && fsync(dirfd) < 0)
		return ol_error_errno(err, errno, "cannot sync the directory of '%s'", name);
	return 0;
}
