/* SPDX-License-Identifier: Apache-2.0 */
/* The gate's view of the host, read before its cage. */
#include "gate-view.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"

#define MAX_NAMESPACES 4096
#define MAX_TEXT       (4u << 20)  /* one mountinfo */
#define MAX_TOTAL      (64u << 20) /* all of them */

static int read_mountinfo(pid_t pid, struct ol_ns_text *t, struct ol_error *err)
{
	char path[64];
	cleanup_close int fd = -1;

	t->pid = pid;
	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int) pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot open '%s'", path);
	return ol_read_stream(fd, path, MAX_TEXT, &t->text, &t->len, err);
}

static int ns_of(pid_t pid, ino_t *out)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/proc/%d/ns/mnt", (int) pid);
	if (stat(path, &st) < 0)
		return -errno;
	*out = st.st_ino;
	return 0;
}

/*
 * Whether pid descends from ancestor, by its parents.  The container's
 * own processes (a service manager's private namespaces, a sandbox the
 * workload makes) are inside the sandbox: their namespaces are copies of
 * the container's, which they cannot change.  An orphan that a process
 * outside the container adopted counts as outside.
 */
static bool descends(pid_t pid, pid_t ancestor)
{
	for (int depth = 0; depth < 4096 && pid > 1; depth++) {
		char path[64], buf[512];
		cleanup_close int fd = -1;
		const char *close_paren;
		ssize_t n;
		int ppid;

		if (pid == ancestor)
			return true;
		snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
		if (n <= 0)
			return false;
		buf[n] = '\0';
		/* "PID (COMM) STATE PPID ...": COMM may hold anything, ')' too. */
		close_paren = strrchr(buf, ')');
		if (!close_paren || sscanf(close_paren + 1, " %*c %d", &ppid) != 1)
			return false;
		pid = ppid;
	}
	return false;
}

/* Every mount namespace but the host's and the container's, once each. */
static int collect_others(pid_t container, struct ol_gate_view *v, struct ol_error *err)
{
	cleanup_free ino_t *seen = calloc(MAX_NAMESPACES + 2, sizeof(*seen));
	size_t n_seen = 0, total = 0;
	DIR *d = opendir("/proc");
	struct dirent *de;
	int r = 0;

	if (!seen || !d || ns_of(getpid(), &seen[0]) < 0 || ns_of(container, &seen[1]) < 0) {
		if (d)
			closedir(d);
		return ol_error_errno(err, errno ? errno : ENOMEM, "cannot list mount namespaces");
	}
	n_seen = 2;
	v->other = calloc(MAX_NAMESPACES, sizeof(*v->other));
	if (!v->other)
		r = ol_error_set(err, ENOMEM, "out of memory");
	while (r == 0 && (de = readdir(d))) {
		struct ol_error ignored = { 0 };
		pid_t pid = (pid_t) atoi(de->d_name);
		bool known = false;
		ino_t ns = 0;
		/* A process gone, or out of reach, meanwhile: none to look at. */
		if (pid <= 0 || ns_of(pid, &ns) < 0)
			continue;
		for (size_t i = 0; i < n_seen && !known; i++)
			known = seen[i] == ns;
		if (known)
			continue;
		if (n_seen >= MAX_NAMESPACES + 2) {
			r = ol_error_set(err, E2BIG, "more than %d mount namespaces to look at",
					 MAX_NAMESPACES);
			break;
		}
		seen[n_seen++] = ns;
		if (descends(pid, container))
			continue;
		if (read_mountinfo(pid, &v->other[v->n_other], &ignored) == 0)
			total += v->other[v->n_other++].len;
		if (total > MAX_TOTAL)
			r = ol_error_set(err, E2BIG,
					 "the mount namespaces' mountinfo is over %u MiB",
					 MAX_TOTAL >> 20);
	}
	closedir(d);
	return r;
}

void ol_gate_view_collect(pid_t pid, struct ol_gate_view *v)
{
	char path[64];

	memset(v, 0, sizeof(*v));
	snprintf(path, sizeof(path), "/proc/%d/root", (int) pid);
	v->proc_root = pid > 0 ? open(path, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	if (pid <= 0)
		ol_error_set(&v->failed, ESRCH, "the hook state names no process");
	else if (v->proc_root < 0)
		ol_error_errno(&v->failed, errno, "cannot open '%s'", path);
	else if (read_mountinfo(pid, &v->self, &v->failed) == 0 &&
		 read_mountinfo(getpid(), &v->host, &v->failed) == 0)
		collect_others(pid, v, &v->failed);
}

void ol_gate_view_free(struct ol_gate_view *v)
{
	if (v->proc_root >= 0)
		close(v->proc_root);
	free(v->self.text);
	free(v->host.text);
	for (size_t i = 0; i < v->n_other; i++)
		free(v->other[i].text);
	free(v->other);
	memset(v, 0, sizeof(*v));
	v->proc_root = -1;
}
