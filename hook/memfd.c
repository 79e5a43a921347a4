/* SPDX-License-Identifier: Apache-2.0 */
/* vm.memfd_noexec for a container's PID namespace, set from the gate. */
#include "memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"

#define SYSCTL "/proc/sys/vm/memfd_noexec"

/* In the container's PID namespace: wait for the word, then act on it. */
static void in_namespace(int from)
{
	char c = 0;
	int fd;

	if (read(from, &c, 1) != 1 || c != '2')
		_exit(0);
	fd = open(SYSCTL, O_WRONLY | O_CLOEXEC);
	_exit(fd >= 0 && write(fd, "2\n", 2) == 2 ? 0 : 1);
}

/* Joins the namespace; only its children are in it, so one more fork. */
static void helper(int ns, int from)
{
	pid_t child;
	int status;

	if (setns(ns, CLONE_NEWPID) < 0)
		_exit(2);
	child = fork();
	if (child < 0)
		_exit(2);
	if (child == 0)
		in_namespace(from);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			_exit(2);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
}

void ol_memfd_helper_start(pid_t container_pid, struct ol_memfd_helper *h)
{
	char path[64];
	struct stat theirs, ours;
	cleanup_close int ns = -1;
	int fds[2];

	memset(h, 0, sizeof(*h));
	h->notify = -1;
	if (access(SYSCTL, W_OK) < 0) {
		h->skipped = "this kernel has no vm.memfd_noexec (Linux 6.3)";
		return;
	}
	snprintf(path, sizeof(path), "/proc/%d/ns/pid", (int) container_pid);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0) {
		ol_error_errno(&h->failed, errno, "cannot open '%s'", path);
		return;
	}
	if (fstat(ns, &theirs) < 0 || stat("/proc/self/ns/pid", &ours) < 0) {
		ol_error_errno(&h->failed, errno, "cannot look at the PID namespaces");
		return;
	}
	if (theirs.st_ino == ours.st_ino && theirs.st_dev == ours.st_dev) {
		h->skipped = "the container shares the host's PID namespace";
		return;
	}
	if (pipe2(fds, O_CLOEXEC) < 0) {
		ol_error_errno(&h->failed, errno, "cannot create a pipe");
		return;
	}
	h->pid = fork();
	if (h->pid < 0) {
		h->pid = 0;
		close(fds[0]);
		close(fds[1]);
		ol_error_errno(&h->failed, errno, "cannot fork");
		return;
	}
	if (h->pid == 0) {
		close(fds[1]);
		helper(ns, fds[0]);
	}
	close(fds[0]);
	h->notify = fds[1];
}

int ol_memfd_helper_finish(struct ol_memfd_helper *h, bool raise, struct ol_error *err)
{
	int status = 0;
	bool told;

	if (raise && h->failed.code) {
		*err = h->failed;
		return ol_error_prefix(err, "cannot set vm.memfd_noexec in the container's PID "
					    "namespace");
	}
	if (!h->pid)
		return 0;
	told = raise && write(h->notify, "2", 1) == 1;
	close(h->notify);
	h->notify = -1;
	while (waitpid(h->pid, &status, 0) < 0)
		if (errno != EINTR) {
			status = -1;
			break;
		}
	h->pid = 0;
	if (raise && (!told || !WIFEXITED(status) || WEXITSTATUS(status) != 0))
		return ol_error_set(err, EIO,
				    "cannot set vm.memfd_noexec in the container's PID namespace "
				    "(helper status %#x)",
				    (unsigned) status);
	return 0;
}
