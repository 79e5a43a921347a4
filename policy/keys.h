/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Annotation keys that are not ours but decide how ours are read: the
 * engines' own keys, and near misses of our prefix.
 *
 * Engine keys.  Under Kubernetes, containerd and CRI-O write the
 * container's name and type after the pod's annotations, but under podman
 * (--annotation, kube play), ctr or a hand-written bundle the container's
 * creator writes them all.  The name only picks among the creator's own
 * KEY/NAME keys.  The type "sandbox" would exempt the container from every
 * key (a pod's pause container runs the engine's program, not a
 * workload), so it counts only where the engine provably wrote it: the
 * engine's sandbox-id key (io.kubernetes.cri.sandbox-id,
 * io.kubernetes.cri-o.SandboxID) names the very container being created,
 * as it does for a pause container only.  A claim without that proof is
 * ignored, with a warning: the container gets its keys.
 *
 * Near misses.  A key whose letters are "oci" and "landlock", whatever
 * separates them (".", "-", "_", ":", a space, nothing, an invisible
 * character), in any case, in Unicode compatibility forms (fullwidth,
 * mathematical letters), with diacritics or in look-alike letters of other
 * scripts (Cyrillic o), or with one typo in those letters, is surely meant
 * for us; ignored, it would leave the container unconfined, so it is an
 * error like a typo under the prefix.  The whole oci.landlock namespace
 * is ours, in every spelling.
 */
#ifndef OL_POLICY_KEYS_H
#define OL_POLICY_KEYS_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "common/strv.h"
#include "oci/json.h"

#define OL_ANNOTATION_PREFIX "oci.landlock."

/*
 * Whether key is a near miss of the prefix: its first letters, folded,
 * are "ocilandlock" or one typo from it, but it does not start with
 * OL_ANNOTATION_PREFIX itself.
 */
bool ol_key_near_miss(const char *key, size_t len);

/* The error for a near miss, with the key it probably means. */
int ol_key_near_miss_error(const char *key, size_t len, struct ol_error *err);

/*
 * The container's name for KEY/NAME keys (NULL when it has none); two name
 * keys of the engines that disagree are an error.
 */
int ol_engine_container_name(const struct ol_json *annotations, const char **out,
			     struct ol_error *err);

/*
 * Whether this is a pod's sandbox container, proven as above; id is the
 * container being created (NULL when the caller cannot know, as in
 * precreate or inject: then never).  A claim without proof adds a warning.
 */
int ol_engine_sandbox(const struct ol_json *annotations, const char *id, bool *out,
		      struct ol_strv *warnings, struct ol_error *err);

#endif
