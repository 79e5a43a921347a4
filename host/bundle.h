/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bundle's config.json, read through a descriptor of the bundle
 * directory (never following a symlink for the file itself) and written
 * back atomically.
 */
#ifndef OL_HOST_BUNDLE_H
#define OL_HOST_BUNDLE_H

#include <stdbool.h>

#include "common/error.h"
#include "oci/json.h"

struct ol_bundle {
	int dirfd;
	char *path;
	struct ol_json *config;
};

int ol_bundle_open(const char *path, struct ol_bundle *b, struct ol_error *err);
/* Write the (edited) config back, compact, atomically (see ol_replace_file_at). */
int ol_bundle_write(struct ol_bundle *b, bool durable, struct ol_error *err);
void ol_bundle_close(struct ol_bundle *b);

/*
 * A sandboxed container's config.json must be out of its workload's
 * reach: exec sessions and the gate read it again.  Refused: a root file
 * system that is the bundle directory or holds it (runc's root.path "."),
 * and a bind mount of the bundle or of a directory above it.
 */
int ol_bundle_check_private(const struct ol_bundle *b, struct ol_error *err);

#endif
