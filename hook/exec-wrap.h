/* SPDX-License-Identifier: Apache-2.0 */
/* exec sessions in a sandboxed container get the launcher too. */
#ifndef OL_HOOK_EXEC_WRAP_H
#define OL_HOOK_EXEC_WRAP_H

#include "runtime-args.h"
#include "settings.h"

/*
 * For `exec` in a container whose config carries the launcher: wrap the
 * new process with the launcher and the container's options.  Either the
 * --process file is rewritten (*new_argv stays NULL), or *new_argv is a
 * new argument vector with the launcher in front of the command.  A
 * container without Landlock annotations is left alone; one whose
 * annotations ask for Landlock but whose config lacks the launcher is an
 * error: exec would run unconfined.
 */
int ol_exec_wrap(const struct ol_runtime_args *a, int argc, char **argv, const char *runtime,
		 const struct ol_settings *s, char ***new_argv, struct ol_error *err);

#endif
