/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode's data: a recording of what a workload did, and the
 * least-privilege policy generated from one or more recordings.
 *
 * The launcher (`oci-landlock-exec --learn FILE`) writes a recording: the
 * exact objects the workload used with the Landlock right each use needed,
 * the files and directories it created, the TCP ports it bound and connected to, the
 * socket kinds it created, and the scopes it crossed (a signal to a process
 * outside its tree, a connection to an abstract UNIX socket).  `oci-landlock
 * learn` reads recordings (several are merged: what any run used) and
 * generalises them into a landlockconfig policy (ol_learn_generate).
 *
 * The recording is a JSON document of its own, not a policy: it keeps the
 * exact paths, so the same recordings can be generalised again with
 * another depth, and it carries what landlockconfig cannot say (socket
 * kinds).  See docs/learning.md.
 */
#ifndef OL_POLICY_LEARN_H
#define OL_POLICY_LEARN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/strv.h"
#include "sandbox/ruleset.h"

#define OL_RECORDING_VERSION 1
/* The default depth of generated rules: /usr/lib/x86_64-linux-gnu. */
#define OL_LEARN_DEPTH_DEFAULT 3
#define OL_LEARN_DEPTH_MAX     64

struct ol_recording {
	/* Exact paths, each with the rights its uses needed (a file's own
	 * rights, or a directory's for what was made or removed in it); ports
	 * with bind_tcp / connect_tcp. */
	struct ol_ruleset used;
	struct ol_strv created; /* files and directories the workload created */
	/* Files moved or linked from moved_from[i] to moved_to[i], two
	 * different directories: Landlock refuses the move (EXDEV) when the
	 * destination grants the file more than the source. */
	struct ol_strv moved_from, moved_to;
	uint32_t sockets;		 /* OL_SOCK_* kinds created */
	uint64_t outside;		 /* OL_LL_SCOPE_* crossed */
	size_t normalized;		 /* paths already merged, see ol_recording_add_path */
	bool incomplete;		 /* read from a save made while the workload ran */
	size_t tidy_created, tidy_moves; /* how many were each once, see _tidy */
};

int ol_recording_init(struct ol_recording *rec);
void ol_recording_free(struct ol_recording *rec);

/* Sort and merge what was recorded: paths, created (sorted, each once),
 * moves (each pair once, in recorded order).  0 or -ENOMEM. */
int ol_recording_tidy(struct ol_recording *rec);

/* Record a use.  Paths are absolute.  Return 0 or -ENOMEM. */
int ol_recording_add_path(struct ol_recording *rec, const char *path, uint64_t access);
int ol_recording_add_created(struct ol_recording *rec, const char *dir);
int ol_recording_add_move(struct ol_recording *rec, const char *from_dir, const char *to_dir);

/*
 * The recording as JSON (sorted and merged first), with "complete": whether
 * the workload had ended (false: saved while it ran).  Returns 0 or an error.
 */
int ol_recording_write(struct ol_recording *rec, bool complete, char **out, size_t *out_len,
		       struct ol_error *err);

/*
 * Add a recording's JSON text to rec (merging: parse several into one).
 * Errors name the JSON path; the caller prefixes the file name.
 */
int ol_recording_parse(const char *text, size_t len, struct ol_recording *rec,
		       struct ol_error *err);

/* What to generate. */
struct ol_learn_options {
	unsigned depth;	    /* path components a rule keeps, 1 to OL_LEARN_DEPTH_MAX */
	bool system_writes; /* keep write rights beneath the system trees */
};

/* Rights a rule would have had, left out, and one recorded use behind them. */
struct ol_learn_omission {
	char *path;
	uint64_t access;
	char *example;
};

/* What generating left out, for the operator to review. */
struct ol_learn_review {
	struct ol_learn_omission *left_out;
	size_t n_left_out, cap_left_out;
};

void ol_learn_review_free(struct ol_learn_review *review);

/*
 * Whether path is in a system tree: /usr, /bin, /sbin, /etc, /boot and
 * /lib* (lib, lib32, lib64, libx32).  The workload's programs and their
 * configuration live there: a sandbox that lets it write there lets it
 * rewrite what it runs.
 */
bool ol_learn_system_tree(const char *path);

/*
 * Generalise a recording into a layer (initialised by the caller):
 *  - a file's rights go to its directory, a directory's to itself, cut to
 *    at most `depth` path components (/usr/lib/x86_64-linux-gnu at 3);
 *  - a rule never lands on a directory the workload created (it did not
 *    exist when the sandbox starts): it moves up to the first that existed;
 *  - a file directly in / or in /dev, /dev/pts keeps a rule of its own
 *    (its directory would open the whole tree, or every device);
 *  - /proc/PID/... becomes /proc (the PID differs from run to run);
 *  - where a file was moved or linked from one directory to another, the
 *    source gets the file rights the destination grants (Landlock refuses
 *    a move that would give the file more);
 *  - rights other than execute, read_file and read_dir beneath a system
 *    tree or on "/" (which holds them: a file the run created directly in
 *    "/" puts its rights there) are left out, unless system_writes, and
 *    listed in review (which may be NULL);
 *  - rules whose rights an ancestor rule already grants are dropped;
 *  - every file-system right and both TCP rights are handled, so what was
 *    not used is denied; both scopes are on unless the workload crossed one.
 */
int ol_learn_generate(struct ol_recording *rec, const struct ol_learn_options *o,
		      struct ol_ruleset *out, struct ol_learn_review *review, struct ol_error *err);

#endif
