/* SPDX-License-Identifier: Apache-2.0 */
/*
 * /proc/PID/mountinfo, read: which mounts a mount namespace has, what each
 * shows of which file system, and where.  The gate reads the container's
 * and the host's (gate-view.h, launcher-mount.h).
 */
#ifndef OL_HOST_MOUNTINFO_H
#define OL_HOST_MOUNTINFO_H

#include <stddef.h>

#include "common/error.h"

struct ol_mount {
	int id, parent;
	unsigned major, minor; /* the file system (superblock) */
	char *root;	       /* the directory of that file system it shows */
	char *point;	       /* where, as the namespace's processes see it */
	char *fstype;
};

struct ol_mounts {
	struct ol_mount *m;
	size_t n;
};

/* Parse mountinfo text (its octal escapes undone).  -EINVAL when a line
 * is not one. */
int ol_mounts_parse(const char *text, size_t len, struct ol_mounts *out, struct ol_error *err);
void ol_mounts_free(struct ol_mounts *mounts);

/* The mount with this id, or NULL. */
const struct ol_mount *ol_mounts_find(const struct ol_mounts *mounts, int id);

/* Whether some mount shows the file system major:minor. */
int ol_mounts_has_fs(const struct ol_mounts *mounts, unsigned major, unsigned minor);

#endif
