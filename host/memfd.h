/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Executable memfds, closed for a sandboxed container's PID namespace.
 *
 * Landlock does not check internal shmem files: memfd_create() and
 * execveat(AT_EMPTY_PATH) run a program that no rule lets the workload
 * execute.  Since Linux 6.3 the sysctl vm.memfd_noexec belongs to a PID
 * namespace: at 2, a memfd is created sealed against execution (flags 0
 * included) and MFD_EXEC is refused.  A process must be in that namespace,
 * and hold CAP_SYS_ADMIN over its user namespace, to raise it; the
 * container's own processes usually cannot, the gate (root on the host)
 * can.  So the gate, while the runtime waits on it, has a helper join the
 * container's PID namespace before it confines itself, and tells it
 * afterwards whether to raise the value: when the policy handles execute.
 * A container in the host's PID namespace is left alone (the value would
 * be the host's); so is a kernel without the sysctl.
 */
#ifndef OL_HOST_MEMFD_H
#define OL_HOST_MEMFD_H

#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"

struct ol_memfd_helper {
	pid_t pid;		/* the helper, or 0 when there is none */
	int notify;		/* write end of its pipe, or -1 */
	const char *skipped;	/* why there is none and need be none, or NULL */
	struct ol_error failed; /* why it could not start (code 0: it did) */
};

/*
 * Start the helper in the PID namespace of container_pid.  When the
 * namespace is the caller's own, or the kernel has no vm.memfd_noexec,
 * there is no helper and skipped says why.  Call before confining.  A
 * failure is kept for ol_memfd_helper_finish(): it matters only when the
 * sysctl is to be raised.
 */
void ol_memfd_helper_start(pid_t container_pid, struct ol_memfd_helper *h);

/*
 * Tell the helper to raise vm.memfd_noexec to 2 (raise) or to do nothing,
 * and wait for it.  An error when it could not.
 */
int ol_memfd_helper_finish(struct ol_memfd_helper *h, bool raise, struct ol_error *err);

#endif
