/* SPDX-License-Identifier: Apache-2.0 */
/* Child processes. */
#ifndef OL_COMMON_PROCESS_H
#define OL_COMMON_PROCESS_H

#include <sys/types.h>

#include "error.h"

/*
 * A pipe (O_CLOEXEC) and a fork: 0 in the child, the child's PID in the
 * parent, both with both ends of fds open; or a negative errno with err
 * set and nothing left open.
 */
pid_t ol_fork_with_pipe(int fds[2], struct ol_error *err);

#endif
