/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode in the launcher: run the command observed, not sandboxed,
 * and write down what it used (docs/learning.md).
 *
 * The launcher forks.  The child sets no_new_privs, loads a seccomp filter
 * that notifies on the system calls Landlock controls, hands the listener
 * to the parent over a socket pair and execs the command.  The parent,
 * which the filter never covers, is the supervisor: it reads each call's
 * arguments, records the right the call would need, lets it continue
 * unchanged (SECCOMP_USER_NOTIF_FLAG_CONTINUE), forwards signals, reaps
 * children (it may be PID 1), saves the recording as it goes
 * (learn-save.h), and exits as the command did.
 */
#ifndef OL_EXEC_LEARN_RUN_H
#define OL_EXEC_LEARN_RUN_H

#include <linux/seccomp.h>
#include <stdbool.h>
#include <sys/types.h>

#include "common/error.h"
#include "policy/learn.h"

/*
 * Run command under observation, writing the recording to file.  Returns
 * the exit status to use (the command's), or 126 with err set.  In the
 * child, returns only when the command cannot run (126 or 127).
 */
int learn_run(const char *file, bool exec_session, char *const command[], struct ol_error *err);

/* Load the notifying filter; the listener's descriptor is returned. */
int learn_filter_load(struct ol_error *err);

/*
 * Record what one notified call would need.  `workload` is the command's
 * process, the root of the tree that a sandbox would hold.  Returns 0 or
 * -ENOMEM; the call is answered by the caller either way.
 */
int learn_record(int listener, const struct seccomp_notif *req, pid_t workload,
		 struct ol_recording *rec);

#endif
