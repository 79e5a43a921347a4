/* SPDX-License-Identifier: Apache-2.0 */
/* vm.memfd_noexec for a container's PID namespace, set from the gate. */
#include "memfd.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/process.h"

#define SYSCTL "/proc/sys/vm/memfd_noexec"

/* The descriptors the helper keeps, at these numbers; it closes the rest. */
enum { NS_FD = 3, SYSCTL_FD = 4, WORD_FD = 5 };

/*
 * The helper holds nothing a neighbour could use, should it reach the
 * helper through a PID namespace they share: no descriptor but its three,
 * no file system (its root is its own /proc/PID/fdinfo, which says
 * nothing of the host), no capability but CAP_SYS_ADMIN, and not dumpable
 * (so /proc/PID/root and ptrace need CAP_SYS_PTRACE on the host).
 */
static int strip(void)
{
	struct __user_cap_header_struct head = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2] = { { 0 } };
	int null = open("/dev/null", O_RDWR);

	if (null < 0 || dup2(null, 0) < 0 || dup2(null, 1) < 0 || dup2(null, 2) < 0 ||
	    syscall(SYS_close_range, WORD_FD + 1, ~0U, 0) < 0)
		return -1;
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) < 0 || chdir("/proc/self/fdinfo") < 0 ||
	    chroot(".") < 0)
		return -1;
	data[0].effective = data[0].permitted = 1u << CAP_SYS_ADMIN;
	return (int) syscall(SYS_capset, &head, data);
}

/*
 * Told '2': join the container's PID namespace (which only the children
 * made after setns() are in) and raise the sysctl there, through the
 * descriptor opened before: the kernel applies a write to the writer's
 * own PID namespace.
 */
static void helper(void)
{
	pid_t child;
	int status;
	char c = 0;

	if (strip() < 0)
		_exit(2);
	if (read(WORD_FD, &c, 1) != 1 || c != '2')
		_exit(0);
	if (setns(NS_FD, CLONE_NEWPID) < 0 || (child = fork()) < 0)
		_exit(2);
	if (child == 0)
		_exit(write(SYSCTL_FD, "2\n", 2) == 2 ? 0 : 1);
	while (waitpid(child, &status, 0) < 0)
		if (errno != EINTR)
			_exit(2);
	_exit(WIFEXITED(status) ? WEXITSTATUS(status) : 2);
}

/* Put fd at number want (the numbers are small and distinct). */
static int place(int fd, int want)
{
	return fd == want ? 0 : dup2(fd, want) < 0 ? -1 : 0;
}

static void start(int ns, int sysctl, struct ol_memfd_helper *h)
{
	int fds[2];

	h->pid = ol_fork_with_pipe(fds, &h->failed);
	if (h->pid < 0) {
		h->pid = 0;
		return;
	}
	if (h->pid == 0) {
		/* Above every descriptor the three will land on first. */
		int n = fcntl(ns, F_DUPFD, 16), s = fcntl(sysctl, F_DUPFD, 16),
		    w = fcntl(fds[0], F_DUPFD, 16);
		if (n < 0 || s < 0 || w < 0 || place(n, NS_FD) < 0 || place(s, SYSCTL_FD) < 0 ||
		    place(w, WORD_FD) < 0)
			_exit(2);
		helper();
	}
	close(fds[0]);
	h->notify = fds[1];
}

void ol_memfd_helper_start(pid_t container_pid, struct ol_memfd_helper *h)
{
	char path[64];
	struct stat theirs, ours;
	cleanup_close int ns = -1;
	cleanup_close int sysctl = -1;

	memset(h, 0, sizeof(*h));
	h->notify = -1;
	sysctl = open(SYSCTL, O_WRONLY | O_CLOEXEC);
	if (sysctl < 0) {
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
	start(ns, sysctl, h);
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
