/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: reading a notified call's arguments and paths, and the
 * caller's process tree, through /proc.
 *
 * Arguments in the caller's memory are read through /proc/PID/mem, and
 * the notification is checked to be still alive afterwards (the PID could
 * have been reused).  Paths are made absolute from the caller's working
 * directory or directory descriptor (/proc/PID/cwd, /proc/PID/fd/N) and
 * resolved as the kernel will: through symbolic links, except the last
 * component where the call does not follow it.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "learn-call.h"

/* Read n bytes at addr; 0 when all were read and the call is still there. */
int learn_read_mem(struct call *c, uint64_t addr, void *buf, size_t n, bool string)
{
	ssize_t got;

	if (c->mem < 0) {
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/mem", c->pid);
		c->mem = open(path, O_RDONLY | O_CLOEXEC);
		if (c->mem < 0)
			return -1;
	}
	if (addr == 0 || addr > INT64_MAX)
		return -1;
	got = pread(c->mem, buf, n, (off_t) addr);
	if (got <= 0 || (!string && (size_t) got != n))
		return -1;
	if (string && !memchr(buf, '\0', (size_t) got))
		return -1;
	/* The PID could belong to another process by now. */
	return seccomp_notify_id_valid(c->listener, c->req->id) == 0 ? 0 : -1;
}

int learn_read_path(struct call *c, int i, char *buf, size_t size)
{
	return learn_read_mem(c, c->req->data.args[i], buf, size, true);
}

/*
 * Remove "//" and "." by text, and ".." too when dotdot is set.  ".." is
 * the parent of what the component before it resolves to, which is not
 * the text before it when that is a symbolic link: it is left to
 * realpath(), and cut by text only when nothing resolves.
 */
static void lexical(char *p, bool dotdot)
{
	char *out = p;

	for (char *s = p; *s;) {
		char *end;
		size_t n;
		while (*s == '/')
			s++;
		end = strchrnul(s, '/');
		n = (size_t) (end - s);
		if (n == 0 || (n == 1 && s[0] == '.')) {
			/* nothing */
		} else if (dotdot && n == 2 && s[0] == '.' && s[1] == '.') {
			while (out > p && *--out != '/')
				;
		} else {
			*out++ = '/';
			memmove(out, s, n);
			out += n;
		}
		s = end;
	}
	if (out == p)
		*out++ = '/';
	*out = '\0';
}

/* readlink() of a /proc link, absolute paths only ("pipe:[..]" is none). */
int learn_proc_link(pid_t pid, const char *what, char *out, size_t size)
{
	char link[64];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/%s", pid, what);
	n = readlink(link, out, size - 1);
	if (n <= 0 || (size_t) n >= size - 1)
		return -1;
	out[n] = '\0';
	return out[0] == '/' ? 0 : -1;
}

/*
 * A /proc/PID/fd/N link to a file that has no name any more (deleted, or
 * O_TMPFILE): the kernel still follows it.  Its directory is in the
 * link's text, "DIR/NAME (deleted)".
 */
static int magic_link(const char *path, char *out, struct stat *st)
{
	static const char deleted[] = " (deleted)";
	char target[PATH_MAX];
	ssize_t n;

	if (strncmp(path, "/proc/", 6) != 0 || stat(path, st) < 0 ||
	    (n = readlink(path, target, sizeof(target) - 1)) <= 0 || target[0] != '/')
		return -1;
	target[n] = '\0';
	if ((size_t) n > strlen(deleted) && strcmp(target + n - strlen(deleted), deleted) == 0)
		target[n - strlen(deleted)] = '\0';
	snprintf(out, PATH_MAX, "%s", target);
	return 0;
}

/*
 * The absolute path of `path` for the caller, from dirfd; follow says
 * whether a symbolic link in the last component is followed.  Returns
 * whether the object exists; -1 when the path cannot be made absolute.
 */
int learn_resolve(struct call *c, int dirfd, const char *path, bool follow, char *out,
		  struct stat *st)
{
	char joined[2 * PATH_MAX + 2];
	cleanup_free char *real = NULL;
	char *slash;

	if (path[0] == '/') {
		snprintf(joined, sizeof(joined), "%s", path);
	} else {
		char what[32], base[PATH_MAX];
		if (dirfd == AT_FDCWD)
			snprintf(what, sizeof(what), "cwd");
		else
			snprintf(what, sizeof(what), "fd/%d", dirfd);
		/* Read from the PID: it must still be the caller afterwards. */
		if (learn_proc_link(c->pid, what, base, sizeof(base)) < 0 ||
		    seccomp_notify_id_valid(c->listener, c->req->id) != 0)
			return -1;
		snprintf(joined, sizeof(joined), "%s/%s", base, path);
	}
	lexical(joined, false);
	/* /proc/self is the caller, not us. */
	if (strncmp(joined, "/proc/self", 10) == 0 && (joined[10] == '/' || joined[10] == '\0')) {
		char tmp[sizeof(joined)];
		if (snprintf(tmp, sizeof(tmp), "/proc/%d%s", c->pid, joined + 10) >=
		    (int) sizeof(tmp))
			return -1;
		memcpy(joined, tmp, sizeof(joined));
	}
	/* A last ".." names a directory the kernel reaches through it, or
	 * nothing. */
	slash = strrchr(joined, '/');
	if (slash && strcmp(slash, "/..") == 0) {
		if (!(real = realpath(joined, NULL)))
			return -1;
		snprintf(out, PATH_MAX, "%s", real);
		return stat(out, st) == 0;
	}
	if (follow && (real = realpath(joined, NULL))) {
		snprintf(out, PATH_MAX, "%s", real);
		return stat(out, st) == 0;
	}
	if (follow && magic_link(joined, out, st) == 0)
		return 1;
	/* The directory resolved, the last component as it is. */
	slash = strrchr(joined, '/');
	if (slash && slash != joined && slash[1]) {
		*slash = '\0';
		real = realpath(joined, NULL);
		*slash = '/';
	}
	if (real) {
		snprintf(out, PATH_MAX, "%s/%s", strcmp(real, "/") ? real : "", slash + 1);
	} else {
		lexical(joined, true);
		snprintf(out, PATH_MAX, "%s", joined);
	}
	return lstat(out, st) == 0;
}

void learn_parent_of(const char *path, char *out)
{
	char *slash;

	snprintf(out, PATH_MAX, "%s", path);
	slash = strrchr(out, '/');
	if (slash == out)
		out[1] = '\0';
	else if (slash)
		*slash = '\0';
}

bool learn_in_tree(pid_t pid, pid_t workload)
{
	for (int hops = 0; hops < 4096 && pid > 1; hops++) {
		char path[64], buf[512];
		cleanup_close int fd = -1;
		ssize_t n;
		char *end;
		if (pid == workload)
			return true;
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
			return false;
		buf[n] = '\0';
		/* "PID (COMM) STATE PPID ...": COMM may hold anything but ends at
		 * the last ')'. */
		end = strrchr(buf, ')');
		if (!end || sscanf(end + 1, " %*c %d", &pid) != 1)
			return false;
	}
	return false;
}

pid_t learn_tgid_of(pid_t tid)
{
	char path[64], buf[4096];
	cleanup_close int fd = -1;
	const char *line;
	ssize_t n;
	int tgid;

	snprintf(path, sizeof(path), "/proc/%d/status", tid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || (n = read(fd, buf, sizeof(buf) - 1)) <= 0)
		return -1;
	buf[n] = '\0';
	line = strstr(buf, "\nTgid:");
	if (!line || sscanf(line + 6, "%d", &tgid) != 1)
		return -1;
	return tgid;
}
