/* SPDX-License-Identifier: Apache-2.0 */
/* Checking, from the host, the launcher's mount in a container being created. */
#include "launcher-mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "oci/config.h"

static int open_at(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = { .flags = flags | O_PATH | O_CLOEXEC, .resolve = resolve };
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int) fd;
}

static int is_mount_root(int fd, bool *out)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_BASIC_STATS, &stx) < 0)
		return -errno;
	if (!(stx.stx_attributes_mask & STATX_ATTR_MOUNT_ROOT))
		return -EOPNOTSUPP;
	*out = stx.stx_attributes & STATX_ATTR_MOUNT_ROOT;
	return 0;
}

/* The container's /dev: reached without a symbolic link, a tmpfs mount. */
static int open_dev(int root, struct ol_error *err)
{
	int fd = open_at(root, "dev", O_DIRECTORY, RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
	struct statfs fs;
	bool mount_root = false;
	int r;

	if (fd == -ELOOP) {
		char target[4096];
		ssize_t n = readlinkat(root, "dev", target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		ol_error_set(err, ELOOP,
			     "the image makes /dev a symbolic link (to '%s'): the container's /dev "
			     "was mounted where it leads, which others may reach, and the launcher "
			     "on it could be swapped",
			     target);
		ol_error_hint(err, "use an image whose /dev is a directory");
		return -err->code;
	}
	if (fd < 0)
		return ol_error_errno(err, -fd, "cannot open the container's /dev");
	r = is_mount_root(fd, &mount_root);
	if (r == 0 && fstatfs(fd, &fs) < 0)
		r = -errno;
	if (r < 0) {
		close(fd);
		return ol_error_errno(err, -r, "cannot look at the container's /dev");
	}
	if (!mount_root || fs.f_type != TMPFS_MAGIC) {
		close(fd);
		return ol_error_set(err, EPERM,
				    "the container's /dev is not the tmpfs mount its config "
				    "asks for");
	}
	return fd;
}

int ol_launcher_mount_check(int proc_root, const char *bundle, const struct ol_json *config,
			    const char *host_launcher, struct ol_error *err)
{
	const char *root_path = ol_json_cstr(ol_json_get(ol_json_get(config, "root"), "path"));
	const char *name = OL_LAUNCHER_IN_CONTAINER + strlen("/dev/");
	cleanup_free char *full = NULL;
	cleanup_close int root = -1;
	cleanup_close int dev = -1;
	cleanup_close int fd = -1;
	struct stat want, got;
	bool mount_root = false;
	int r;

	if (!root_path || !*root_path)
		return ol_error_set(err, EINVAL, "config.json names no root.path");
	if (asprintf(&full, "%s%s%s", root_path[0] == '/' ? "" : bundle,
		     root_path[0] == '/' ? "" : "/", root_path) < 0)
		return ol_error_set(err, ENOMEM, "out of memory");
	/* The host's own path to the root: followed as the runtime did. */
	root = open_at(proc_root, full, O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	if (root < 0)
		return ol_error_errno(err, -root, "cannot open the container's root '%s'", full);
	dev = open_dev(root, err);
	if (dev < 0)
		return dev;
	fd = open_at(dev, name, 0, RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
	if (fd < 0)
		return ol_error_errno(err, -fd, "the launcher is not at %s in the container",
				      OL_LAUNCHER_IN_CONTAINER);
	if ((r = is_mount_root(fd, &mount_root)) < 0 || fstatat(fd, "", &got, AT_EMPTY_PATH) < 0)
		return ol_error_errno(err, r < 0 ? -r : errno, "cannot look at %s in the container",
				      OL_LAUNCHER_IN_CONTAINER);
	if (stat(host_launcher, &want) < 0)
		return ol_error_errno(err, errno, "the launcher '%s'", host_launcher);
	if (!mount_root || got.st_dev != want.st_dev || got.st_ino != want.st_ino)
		return ol_error_set(err, EPERM,
				    "what the container would run as %s is not the mount of the "
				    "launcher %s",
				    OL_LAUNCHER_IN_CONTAINER, host_launcher);
	return 0;
}
