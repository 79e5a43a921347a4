/* SPDX-License-Identifier: Apache-2.0 */
/* exec sessions in a sandboxed container get the launcher too. */
#ifndef OL_HOST_EXEC_WRAP_H
#define OL_HOST_EXEC_WRAP_H

#include "common/strv.h"
#include "runtime-args.h"
#include "settings.h"

/* What the shim does for an exec session. */
struct ol_exec_plan {
	char **argv;	       /* the runtime's new argument vector, or NULL */
	struct ol_strv expect; /* what the session must execute (exec-guard.h) */
};

/*
 * For `exec` in a container whose config carries the launcher: wrap the
 * new process with the launcher and the container's options, in the
 * --process file (rewritten) or on the command line, in plan->argv, and
 * say in plan->expect what the session's process must execute.  A
 * container without Landlock annotations is left alone (plan->argv NULL,
 * plan->expect empty); one whose annotations ask for Landlock but whose
 * config lacks the launcher is an error: exec would run unconfined.
 */
int ol_exec_wrap(const struct ol_runtime_args *a, int argc, char **argv, const char *runtime,
		 const struct ol_settings *s, struct ol_exec_plan *plan, struct ol_error *err);

#endif
