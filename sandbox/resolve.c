/* SPDX-License-Identifier: Apache-2.0 */
/* Opening rule paths without following the links others planted. */
#include "resolve.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"

static const char *const usr_aliases[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };

int ol_resolve_is_usr_alias(const char *name, size_t len, const char *target)
{
	for (size_t i = 0; i < sizeof(usr_aliases) / sizeof(usr_aliases[0]); i++) {
		const char *a = usr_aliases[i];
		if (strlen(a) != len || strncmp(a, name, len) != 0)
			continue;
		if (target[0] == '/')
			target++;
		return strncmp(target, "usr/", 4) == 0 && strcmp(target + 4, a) == 0;
	}
	return 0;
}

static bool has_dotdot(const char *path)
{
	for (const char *p = path; (p = strstr(p, "..")); p += 2)
		if ((p == path || p[-1] == '/') && (p[2] == '/' || p[2] == '\0'))
			return true;
	return false;
}

/*
 * One component at a time, O_NOFOLLOW, for the record of where a link
 * stands (and for kernels or seccomp profiles without openat2).  Each step
 * is relative to the descriptor of the one before, so what it opens was
 * reached through directories only.
 */
static int walk(const char *path, struct ol_resolve_link *link)
{
	bool absolute = path[0] == '/';
	cleanup_close int fd = open(absolute ? "/" : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	for (const char *p = path + absolute; *p || (p > path && p[-1] == '/');) {
		const char *end = strchrnul(p, '/');
		char name[256];
		struct stat st;
		int next;

		/* An empty component (a trailing "/") asks for a directory. */
		if ((size_t) (end - p) >= sizeof(name))
			return -ENAMETOOLONG;
		snprintf(name, sizeof(name), "%.*s", end == p ? 1 : (int) (end - p),
			 end == p ? "." : p);
		next = openat(fd, name, O_PATH | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0)
			return -errno;
		close(fd);
		fd = next;
		if (fstatat(fd, "", &st, AT_EMPTY_PATH) < 0)
			return -errno;
		if (S_ISLNK(st.st_mode)) {
			ssize_t n = readlinkat(fd, "", link->target, sizeof(link->target) - 1);
			link->target[n > 0 ? n : 0] = '\0';
			snprintf(link->link, sizeof(link->link), "%.*s", (int) (end - path), path);
			return -ELOOP;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	return steal_fd(&fd);
}

static int open_no_symlinks(const char *path, struct ol_resolve_link *link)
{
	struct open_how how = { .flags = O_PATH | O_CLOEXEC, .resolve = RESOLVE_NO_SYMLINKS };
	long fd = syscall(SYS_openat2, AT_FDCWD, path, &how, sizeof(how));

	if (fd >= 0)
		return (int) fd;
	/* ELOOP: a link is in the way; the walk says which. */
	if (errno == ELOOP || errno == ENOSYS || errno == EPERM)
		return walk(path, link);
	return -errno;
}

int ol_resolve_rule_path(const char *path, struct ol_resolve_link *link)
{
	char usr[4096];
	int fd;

	link->link[0] = link->target[0] = '\0';
	if (!path[0] || has_dotdot(path))
		return -EINVAL;
	fd = open_no_symlinks(path, link);
	if (fd != -ELOOP || path[0] != '/')
		return fd;
	/* Only the first component can be an alias: /bin, never /usr/x/bin. */
	if (strchr(link->link + 1, '/') ||
	    !ol_resolve_is_usr_alias(link->link + 1, strlen(link->link + 1), link->target))
		return -ELOOP;
	if (snprintf(usr, sizeof(usr), "/usr%s", path) >= (int) sizeof(usr))
		return -ENAMETOOLONG;
	return open_no_symlinks(usr, link);
}

int ol_resolve_open(const char *path, bool follow, struct ol_resolve_link *link)
{
	int fd;

	if (!follow)
		return ol_resolve_rule_path(path, link);
	fd = open(path, O_PATH | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}
