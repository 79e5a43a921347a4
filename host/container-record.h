/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which container a process was: the gate writes one small file per
 * container it lets start, naming the container's process by pid and
 * start time (clock ticks since boot, field 22 of /proc/PID/stat), so that
 * `oci-landlock denials` can name the container of a Landlock domain after
 * the process is gone.  A domain's "allocated" audit record names the pid
 * that created it; the start time tells a reused pid apart.
 *
 * The directory is root's, on the host's /run (a tmpfs: gone at reboot,
 * and each file carries the boot id besides), made 0700 and checked to be
 * root's and writable by no one else before anything is written.  A file
 * is written under a temporary name with O_EXCL|O_NOFOLLOW and renamed
 * into place; its name is "START-PID" (digits only, nothing taken from
 * the container).  The store keeps at most OL_RECORD_MAX files: each write
 * removes the oldest beyond that (readers skip files of another boot,
 * which a /run that outlived a reboot would hold).  No stage
 * removes a container's file when it ends, on purpose: that is when its
 * denials are read.
 *
 * Readers take a file as a claim, never as proof: at most OL_RECORD_MAX
 * files of at most OL_RECORD_SIZE bytes are read, anything malformed is
 * skipped, and a forged file can only put a wrong name on a denial.
 */
#ifndef OL_HOST_CONTAINER_RECORD_H
#define OL_HOST_CONTAINER_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"

#define OL_RECORD_DIR  "/run/oci-landlock/containers"
#define OL_RECORD_MAX  1024
#define OL_RECORD_SIZE 512
#define OL_RECORD_ID   128 /* the longest container id recorded */

struct ol_container_record {
	long pid;
	unsigned long long start; /* clock ticks after boot */
	char id[OL_RECORD_ID + 1];
};

/*
 * Record that the container `id` runs as `pid` now.  dir is
 * OL_RECORD_DIR but in tests; its parent must exist (and be root's, not
 * writable by others).  An id that is not 1 to OL_RECORD_ID of
 * [A-Za-z0-9_.+-] is not recorded (-EINVAL).  Returns 0 or -errno with
 * err set; -EPERM names a directory that others could write.
 */
int ol_record_container(const char *dir, const char *id, long pid, struct ol_error *err);

/*
 * The records of this boot in dir, at most OL_RECORD_MAX, malformed ones
 * skipped: 0 (none when dir is missing) or -ENOMEM.  *out is malloc'd.
 */
int ol_records_load(const char *dir, struct ol_container_record **out, size_t *n);

/* A process's start time (clock ticks after boot): 0, or -errno. */
int ol_process_start(long pid, unsigned long long *start);

/*
 * Whether pid looks like a container's process: one in another mount
 * namespace than ours.  A state naming a process of the host's own (a
 * hand-written state, a test's) is not recorded.
 */
bool ol_record_is_container(long pid);

/* Whether id is a container id this module records. */
int ol_record_id_valid(const char *id);

#endif
