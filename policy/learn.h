/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode's data: a recording of what a workload did, and the
 * least-privilege policy generated from one or more recordings.
 *
 * The launcher (`oci-landlock-exec --learn FILE`) writes a recording: the
 * exact objects the workload used with the Landlock right each use needed,
 * the files and directories it created, the TCP and UDP ports it bound,
 * connected and sent to, the pathname UNIX sockets it reached (resolve_unix
 * on the socket file), the socket kinds it created, and the scopes it
 * crossed (a signal to a process outside its tree, a connection to an
 * abstract UNIX socket).  `oci-landlock
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
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"
#include "sandbox/ruleset.h"

/*
 * The version written.  Version 1 (before UDP ports and pathname-socket
 * connects were recorded) is read too: it has no "bind_udp" and
 * "connect_send_udp" lists and no resolve_unix, and a policy generated
 * from it does not handle those rights, which its launcher never saw.  An
 * older `learn` refuses version 2 instead of reading it without them.
 */
#define OL_RECORDING_VERSION 2
/* The rights recorded from version 2 on. */
#define OL_RECORDING_V2_FS  OL_LL_ACCESS_FS_RESOLVE_UNIX
#define OL_RECORDING_V2_NET (OL_LL_ACCESS_NET_BIND_UDP | OL_LL_ACCESS_NET_CONNECT_SEND_UDP)
/* The default depth of generated rules: /usr/lib/x86_64-linux-gnu. */
#define OL_LEARN_DEPTH_DEFAULT 3
#define OL_LEARN_DEPTH_MAX     64

struct ol_recording {
	/* Exact paths, each with the rights its uses needed (a file's own
	 * rights, or a directory's for what was made or removed in it, or
	 * resolve_unix on a socket file); ports with bind_tcp, connect_tcp,
	 * bind_udp, connect_send_udp. */
	struct ol_ruleset used;
	struct ol_strv created; /* files and directories the workload created */
	/* Files moved or linked from moved_from[i] to moved_to[i], two
	 * different directories: Landlock refuses the move (EXDEV) when the
	 * destination grants the file more than the source. */
	struct ol_strv moved_from, moved_to;
	uint32_t sockets;  /* OL_SOCK_* kinds created */
	uint64_t outside;  /* OL_LL_SCOPE_* crossed */
	size_t normalized; /* paths already merged, see ol_recording_add_path */
	bool incomplete;   /* read from a save made while the workload ran */
	/* The lowest version merged (OL_RECORDING_VERSION until one is
	 * parsed): what every recording merged observed. */
	int version;
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
	/* The Landlock ABI the policy is for, 1 or more (above OL_ABI_MAX:
	 * what this version knows, OL_ABI_MAX's rights). */
	int abi;
};

/* Rights a rule would have had, left out, and one recorded use behind them. */
struct ol_learn_omission {
	char *path;
	uint64_t access;
	char *example;
};

/*
 * A right the run used that the policy does not handle, so the kernel
 * leaves it unrestricted: the ABI the policy is for lacks it (its rules
 * dropped it), or a recording of version 1 did not observe it.
 */
struct ol_learn_unrestricted {
	enum ol_right_kind kind;
	uint64_t bit;
	char *example; /* the first path that needed it; NULL for a network right */
	size_t uses;   /* how many recorded paths or ports needed it */
};

/* What generating left out, for the operator to review. */
struct ol_learn_review {
	struct ol_learn_omission *left_out;
	size_t n_left_out, cap_left_out;
	struct ol_learn_unrestricted *unrestricted; /* in the rights table's order */
	size_t n_unrestricted, cap_unrestricted;
	/* Rights of the ABI the policy is for that it does not handle because
	 * a recording of version 1 did not observe them. */
	uint64_t unobserved_fs, unobserved_net;
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
 *    (its directory would open the whole tree, or every device), and so
 *    does a socket's resolve_unix (its directory would reach every
 *    service whose socket is there), at any depth;
 *  - /proc/PID/... becomes /proc (the PID differs from run to run);
 *  - where a file was moved or linked from one directory to another, the
 *    source gets the file rights the destination grants (Landlock refuses
 *    a move that would give the file more; ABI 1 refuses every such move);
 *  - rights other than execute, read_file and read_dir beneath a system
 *    tree or on "/" (which holds them: a file the run created directly in
 *    "/" puts its rights there) are left out, unless system_writes, and
 *    listed in review (which may be NULL);
 *  - rules whose rights an ancestor rule already grants are dropped;
 *  - every right of o->abi that the recordings observed is handled, so
 *    what was not used is denied; a right used that o->abi lacks is
 *    dropped from the rules and listed in review->unrestricted; scopes
 *    (ABI 6) are on unless the workload crossed one.
 */
int ol_learn_generate(struct ol_recording *rec, const struct ol_learn_options *o,
		      struct ol_ruleset *out, struct ol_learn_review *review, struct ol_error *err);

#endif
