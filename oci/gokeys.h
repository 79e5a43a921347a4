/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading object keys as the runtime will.
 *
 * runc, podman and containerd decode config.json (and process.json) with
 * Go's encoding/json: an object key matches a struct field without regard
 * to case, with Unicode simple folding, and the last of several matches
 * wins.  The only runes that fold to an ASCII letter besides its two cases
 * are U+017F (long s, for s) and U+212A (the Kelvin sign, for k), and every
 * field of the runtime-spec is ASCII.  So a config holding "args" and a
 * later "ARGS" or "argſ", or a top-level "Process", runs what our reader
 * never saw.  Such documents are refused: two keys of one object that
 * fold to the same are duplicates, and a key that folds to one of the
 * fields oci-landlock reads must be spelled as that field.  Objects that
 * Go decodes as maps (annotations, linux.sysctl,
 * linux.resources.unified) keep their keys as written and are left out of
 * that.  crun reads the document with a C parser, for which a key or a
 * string ends at its first NUL: no key and no string may hold one.
 */
#ifndef OL_OCI_GOKEYS_H
#define OL_OCI_GOKEYS_H

#include "common/error.h"
#include "json.h"

/* Returns 0, or an error naming both keys and their JSON path. */
int ol_go_keys_check(const struct ol_json *root, struct ol_error *err);

#endif
