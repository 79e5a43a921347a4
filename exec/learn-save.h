/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: the recording on disk, saved as the run goes.
 *
 * A container is often stopped, not left to end: `podman stop` sends
 * SIGKILL after its grace period, and the supervisor (PID 1) dies with
 * the workload.  So the recording is saved as the run goes, at most once a
 * second while there is something new, at once when a stopping signal
 * arrives, and at the end; every save writes a new file beside it and
 * renames it over the old one, so the file is always a whole recording
 * (the last one saved) and never a truncated one.  Saves made while the
 * workload runs say so ("complete": false).
 *
 * The directory is held open from the start: the workload may write to it
 * and rename or replace it, but the saves go where the path led when the
 * launcher started.  The file itself is replaced, never written through:
 * a symbolic link or hard link planted there cannot make the launcher
 * write anywhere else.
 *
 * An exec session into a container being learned from (--learn-exec)
 * saves to FILE.exec-PID beside the container's FILE, a name it claims
 * with RENAME_NOREPLACE (FILE.exec-PID-2 ... when a run before left one),
 * and `oci-landlock learn FILE` merges them.
 */
#ifndef OL_EXEC_LEARN_SAVE_H
#define OL_EXEC_LEARN_SAVE_H

#include <stdbool.h>
#include <sys/types.h>
#include <sys/types.h>
#include <time.h>

#include "common/error.h"
#include "policy/learn.h"

struct learn_out {
	int dirfd;	       /* the directory, O_PATH, or -1 */
	const char *shown;     /* FILE, as given, for messages */
	char *base;	       /* FILE's name in dirfd; an exec session's once claimed */
	bool exec_session;     /* the name is still to claim */
	bool dirty;	       /* recorded more since the last save */
	mode_t mode;	       /* the file's: an existing one's, or 0644 */
	struct timespec saved; /* CLOCK_MONOTONIC of the last save */
};

/*
 * Open FILE's directory and save an empty recording, so that a recording
 * that cannot be written stops the launcher before the workload runs.
 * Refuses a FILE that exists and is not a regular file (a symbolic link is
 * not followed).
 */
int learn_out_open(struct learn_out *o, const char *file, bool exec_session,
		   struct ol_recording *rec, struct ol_error *err);

/* Save rec (complete: the workload has ended). */
int learn_out_save(struct learn_out *o, struct ol_recording *rec, bool complete,
		   struct ol_error *err);

/* Milliseconds until the next save is due, or -1: nothing new. */
int learn_out_due(const struct learn_out *o);

void learn_out_close(struct learn_out *o);

#endif
