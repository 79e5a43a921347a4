/* SPDX-License-Identifier: Apache-2.0 */
/* Learning mode: the recording saved as the run goes (learn-save.h). */
#include "learn-save.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "sandbox/resolve.h"

/* At most one save a second while the workload runs. */
#define SAVE_INTERVAL_MS 1000
/* FILE.exec-PID, FILE.exec-PID-2, ...: how many names an exec session tries. */
#define EXEC_NAMES 100

int learn_out_open(struct learn_out *o, const char *file, bool exec_session,
		   struct ol_recording *rec, struct ol_error *err)
{
	const char *slash = strrchr(file, '/');
	struct ol_resolve_link link;
	char dir[PATH_MAX];
	struct stat st;

	*o = (struct learn_out){
		.dirfd = -1, .shown = file, .exec_session = exec_session, .mode = 0644
	};
	o->base = strdup(slash ? slash + 1 : file);
	if (!o->base)
		return ol_error_oom(err);
	if (!*o->base || strcmp(o->base, ".") == 0 || strcmp(o->base, "..") == 0)
		return ol_error_set(err, EINVAL, "cannot write the recording '%s': not a file name",
				    file);
	/* "/x" is in "/", "d/x" in "d", "x" in ".". */
	if (snprintf(dir, sizeof(dir), "%.*s", slash ? (int) (slash - file) + (slash == file) : 1,
		     slash ? file : ".") >= (int) sizeof(dir))
		return ol_error_set(err, ENAMETOOLONG, "cannot write the recording '%s': %s", file,
				    strerror(ENAMETOOLONG));
	/* Where the path leads now is where the recording goes, whatever the
	 * workload makes of it later; and through no symbolic link, which the
	 * workload may have planted before an exec session (root, say) starts:
	 * it would choose the directory that session writes to. */
	o->dirfd = ol_resolve_rule_path(dir, &link);
	if (o->dirfd == -ELOOP)
		return ol_error_set(err, ELOOP,
				    "cannot write the recording '%s': '%s' is a symbolic link (to "
				    "'%s'), which is not followed",
				    file, link.link, link.target);
	if (o->dirfd == -EINVAL)
		return ol_error_set(err, EINVAL,
				    "cannot write the recording '%s': a '..' component, which is "
				    "not followed",
				    file);
	if (o->dirfd < 0)
		return ol_error_errno(err, -o->dirfd, "cannot write the recording '%s'", file);
	if (fstat(o->dirfd, &st) < 0 || !S_ISDIR(st.st_mode))
		return ol_error_set(err, ENOTDIR, "cannot write the recording '%s': %s", file,
				    strerror(ENOTDIR));
	if (fstatat(o->dirfd, o->base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (!S_ISREG(st.st_mode))
			return ol_error_set(
				err, EINVAL, "cannot write the recording '%s': %s", file,
				S_ISLNK(st.st_mode) ? "a symbolic link, which is not followed"
						    : "not a regular file");
		o->mode = st.st_mode & 0777; /* kept: a private recording stays so */
	}
	return learn_out_save(o, rec, false, err);
}

/* Take the name FILE.exec-PID[-N] with this first save: never another's. */
static int claim(struct learn_out *o, int dirfd, const char *tmp)
{
	cleanup_free char *stem = o->base;
	int r = -EEXIST;

	o->base = NULL;
	for (int n = 1; n <= EXEC_NAMES && r == -EEXIST; n++) {
		free(o->base);
		o->base = NULL;
		if ((n == 1 ? asprintf(&o->base, "%s.exec-%d", stem, (int) getpid())
			    : asprintf(&o->base, "%s.exec-%d-%d", stem, (int) getpid(), n)) < 0) {
			o->base = NULL;
			r = -ENOMEM;
			break;
		}
		r = renameat2(dirfd, tmp, dirfd, o->base, RENAME_NOREPLACE) == 0 ? 0 : -errno;
		/* A file system without RENAME_NOREPLACE: test, then rename. */
		if (r == -EINVAL) {
			struct stat st;
			r = fstatat(dirfd, o->base, &st, AT_SYMLINK_NOFOLLOW) == 0 ? -EEXIST
			    : renameat(dirfd, tmp, dirfd, o->base) == 0		   ? 0
										   : -errno;
		}
	}
	if (!o->base)
		o->base = steal_pointer(&stem);
	if (r == 0)
		o->exec_session = false;
	return r;
}

int learn_out_save(struct learn_out *o, struct ol_recording *rec, bool complete,
		   struct ol_error *err)
{
	cleanup_free char *text = NULL;
	cleanup_free char *tmp = NULL;
	cleanup_close int fd = -1;
	unsigned salt = 0;
	size_t len;
	int r = 0;

	if (ol_recording_write(rec, complete, &text, &len, err) < 0)
		return ol_error_prefix(err, "cannot write the recording '%s'", o->shown);
	/* The workload may have put anything at any fixed name: a name of our
	 * own, created exclusively and never through a link. */
	if (getrandom(&salt, sizeof(salt), GRND_NONBLOCK) < 0)
		salt = (unsigned) o->saved.tv_nsec; /* O_EXCL still decides */
	if (asprintf(&tmp, "%s.tmp-%d-%08x", o->base, (int) getpid(), salt) < 0) {
		tmp = NULL;
		return ol_error_oom(err);
	}
	fd = openat(o->dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, o->mode);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot write the recording '%s'", o->shown);
	if (fchmod(fd, o->mode) < 0) /* past the umask */
		r = -errno;
	if (r == 0)
		r = ol_write_all(fd, text, len);
	if (r == 0)
		r = ol_write_all(fd, "\n", 1);
	if (r == 0 && fsync(fd) < 0)
		r = -errno;
	if (r == 0)
		r = o->exec_session				      ? claim(o, o->dirfd, tmp)
		    : renameat(o->dirfd, tmp, o->dirfd, o->base) == 0 ? 0
								      : -errno;
	if (r < 0) {
		(void) unlinkat(o->dirfd, tmp, 0);
		return ol_error_errno(err, -r, "cannot write the recording '%s%s'", o->shown,
				      o->exec_session ? ".exec-PID" : "");
	}
	o->dirty = false;
	clock_gettime(CLOCK_MONOTONIC, &o->saved);
	return 0;
}

int learn_out_due(const struct learn_out *o)
{
	struct timespec now;
	long ms;

	if (!o->dirty)
		return -1;
	clock_gettime(CLOCK_MONOTONIC, &now);
	ms = (now.tv_sec - o->saved.tv_sec) * 1000 + (now.tv_nsec - o->saved.tv_nsec) / 1000000;
	return ms >= SAVE_INTERVAL_MS ? 0 : (int) (SAVE_INTERVAL_MS - ms);
}

void learn_out_close(struct learn_out *o)
{
	if (o->dirfd >= 0)
		close(o->dirfd);
	free(o->base);
	*o = (struct learn_out){ .dirfd = -1 };
}
