/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The exec guard: a sandboxed container's process executes the launcher,
 * or nothing.
 *
 * What the runtime executes as the launcher is a path, resolved in the
 * container's mount namespace when it calls execve(2).  Since Linux 3.18
 * whoever can rename an entry of the container's root directory from
 * another mount namespace (a neighbour that holds a descriptor of it, one
 * started after every check, a volume above it) moves the container's
 * /dev or /proc away with it and can put any program where the launcher
 * was; no look at the mounts beforehand can rule that out.  So the gate
 * and the shim follow the process to that execve(2) with ptrace(2):
 * PTRACE_EVENT_EXEC stops it with the new program loaded and not one
 * instruction of it run.  The guard lets it go on only when the program is
 * the host's launcher file (its device and inode) and its command line is
 * exactly the one the config asks for (a script whose interpreter is the
 * launcher would run it with other arguments); anything else is killed
 * there and then, with a message on the process's standard error.
 * PTRACE_O_EXITKILL kills the process should the guard die first.
 */
#ifndef OL_HOST_EXEC_GUARD_H
#define OL_HOST_EXEC_GUARD_H

#include <sys/types.h>

#include "common/error.h"
#include "common/strv.h"

struct ol_exec_guard {
	pid_t pid;		/* the guard process, or 0 */
	int ctl;		/* to the guard: the command line, or -1 */
	int ack;		/* from it: whether it attached, or -1 */
	struct ol_error failed; /* why there is no guard (code 0: there is) */
};

/*
 * The gate's guard: fork a process that attaches to every thread of
 * container_pid (the runtime's init, waiting for the hook) and waits for
 * ol_exec_guard_arm().  Call before confining.  A failure is kept in
 * g->failed.
 */
void ol_exec_guard_attach(pid_t container_pid, const char *launcher, struct ol_exec_guard *g);

/*
 * Arm the guard with the command line the container must execute: it then
 * outlives the gate and follows the process to its execve(2).  With args
 * NULL it lets the process go and exits.  An error when the guard could
 * not attach (or arm) and args asked for it.
 */
int ol_exec_guard_arm(struct ol_exec_guard *g, const struct ol_strv *args, struct ol_error *err);

/*
 * The shim's guard for an exec session: run the runtime (argv, with the
 * environment) as a traced child, follow it and its children, and hold
 * every process that executes something after it entered another mount
 * namespace (the container's) to the launcher with args.  Signals the
 * shim receives are passed on to the runtime.  Returns 0 with the
 * runtime's wait status, or an error when it could not be started.
 */
int ol_exec_guard_run(char **argv, const char *launcher, const struct ol_strv *args, int *status,
		      struct ol_error *err);

#endif
