/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Landlock annotations: what a container asks for, the launcher options
 * that carry it, and the layers it compiles to.
 *
 * Keys are "oci.landlock.KEY", or "oci.landlock.KEY/NAME" for the container
 * named NAME (from io.kubernetes.cri.container-name or
 * io.kubernetes.container.name), which replaces the pod-wide key for that
 * container.  An unknown key under the prefix is an error: a typo such as
 * oci.landlock.fs.r0 must never leave a container unconfined, and neither
 * must a near miss of the prefix (OCI.landlock., oci-landlock., a
 * fullwidth dot: see keys.h).  A pod's sandbox (pause) container gets the
 * pod's annotations too but runs no workload: no key applies to it, where
 * the engine proves that it is one (keys.h).
 *
 * oci.landlock.learn=PATH asks for learning mode instead of a sandbox
 * (docs/learning.md): the launcher runs the workload observed and writes
 * what it used to PATH, inside the container.  It stands alone: with any
 * other key it is refused, since a container asked to be both sandboxed
 * and unconfined says two things.
 *
 * The host side only ever reads annotation text and the admin's profile
 * directory; the policy file named by oci.landlock.policy-file is read by
 * the launcher, inside the container.
 */
#ifndef OL_POLICY_ANNOTATIONS_H
#define OL_POLICY_ANNOTATIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "common/error.h"
#include "common/strv.h"
#include "oci/json.h"
#include "keys.h"
#include "sandbox/abi.h"
#include "sandbox/ruleset.h"
#include "vocabulary.h"

/* The name of the layer the annotations' own rules make (--layer=annotations). */
#define OL_ANNOTATIONS_LAYER "annotations"

struct ol_annotations {
	const char *value[OL_KEY_COUNT]; /* into the JSON document, or NULL */
	char *key[OL_KEY_COUNT];	 /* the full key that gave the value */
	char *container;		 /* this container's name, or NULL */
	bool present;			 /* any key applies to this container */
	bool sandbox;			 /* a pod's sandbox container: no key applies */
	size_t other_containers;	 /* KEY/NAME keys for other containers */
	struct ol_strv warnings;	 /* what the reader noticed and let be */
	/* Set by the caller: the host adds a layer of its own (a default),
	 * so keys that give no policy (mode, log) are enough. */
	bool host_layer;
};

/*
 * Read the Landlock annotations of a config's annotations object (may be
 * NULL) for the container id (NULL when unknown).  Errors name the
 * annotation.
 */
int ol_annotations_read(const struct ol_json *annotations, const char *id,
			struct ol_annotations *out, struct ol_error *err);
void ol_annotations_free(struct ol_annotations *a);

/*
 * Read the admin profile NAME (DIR/NAME.json, or DIR/NAME.toml converted
 * to JSON text; both is an error) into *text.  The name must be
 * [A-Za-z0-9._-]+ and not start with '.'; a missing profile's error lists
 * those installed.
 */
int ol_profile_read(const char *dir, const char *name, char **text, struct ol_error *err);

/*
 * Read the profile named by oci.landlock.profile from profile_dir into
 * *text (NULL when no profile is asked for).  The name must be
 * [A-Za-z0-9._-]+ and not start with '.'.
 */
int ol_annotations_profile(const struct ol_annotations *a, const char *profile_dir, char **text,
			   struct ol_error *err);

/*
 * The launcher options for these annotations (profile already read):
 * settings first, then one --layer per source.  Deterministic, so the
 * createRuntime stage can compare them with an injected config.
 */
int ol_annotations_options(const struct ol_annotations *a, const char *profile_text,
			   struct ol_strv *out, struct ol_error *err);

/* What the annotations compile to, as the launcher will build it. */
struct ol_compiled {
	struct ol_ruleset *layers; /* the policy file's layer is not here */
	size_t n_layers;
	struct ol_enforcement enforce; /* mode, log flags, socket kinds */
	const char *policy_file;       /* read in the container only, or NULL */
	const char *learn;	       /* learning mode's recording, or NULL */
};

/*
 * Parse every annotation and the profile into layers, with errors naming
 * the annotation ("annotation 'oci.landlock.net.bind': ...").
 */
int ol_annotations_compile(const struct ol_annotations *a, const char *profile_text,
			   struct ol_compiled *out, struct ol_error *err);
void ol_compiled_free(struct ol_compiled *c);

#endif
