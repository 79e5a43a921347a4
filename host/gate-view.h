/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the gate looks at outside its cage, read before it confines itself.
 *
 * A Landlock domain may not look into processes outside it, so the gate,
 * before its cage, opens the container process's root and reads (reads
 * only: the parsing comes later, caged) the mountinfo of the container
 * and of the host (see launcher-mount.h).
 */
#ifndef OL_HOST_GATE_VIEW_H
#define OL_HOST_GATE_VIEW_H

#include <stddef.h>
#include <sys/types.h>

#include "common/error.h"

struct ol_ns_text {
	char *text;
	size_t len;
};

struct ol_gate_view {
	int proc_root;		/* /proc/PID/root of the container's process */
	struct ol_ns_text self; /* the container's mountinfo */
	struct ol_ns_text host; /* the gate's own: the host's */
	struct ol_error failed; /* why the view is incomplete (code 0: it is not) */
};

/* Collect the view of the container process pid; a failure is kept in
 * v->failed for the checks to report.  Call before confining. */
void ol_gate_view_collect(pid_t pid, struct ol_gate_view *v);
void ol_gate_view_free(struct ol_gate_view *v);

#endif
