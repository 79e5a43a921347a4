/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a container's config asks of oci-landlock, worked out on the host:
 * its Landlock annotations, the admin profile they name, the launcher
 * options that carry them, and the layers those compile to.  The hook
 * stages, the runtime shim and the CLI all start here, so they agree.
 */
#ifndef OL_HOST_REQUEST_H
#define OL_HOST_REQUEST_H

#include "common/strv.h"
#include "oci/json.h"
#include "policy/annotations.h"
#include "sandbox/abi.h"
#include "settings.h"

struct ol_request {
	bool applies; /* the launcher goes in front: a policy, a default, or learning */
	struct ol_annotations ann;
	char *profile;		/* the profile's text, or NULL */
	struct ol_strv options; /* for the launcher */
	struct ol_compiled compiled;
};

/*
 * Work out the request of a config, for the container id (NULL when the
 * caller cannot know it: then no container counts as a pod's sandbox).
 * The layers are the settings' default (first: a ceiling), then what the
 * annotations ask for.  Returns 0 with applies false when nothing applies
 * to this container (no key and no default, or a pod's sandbox).  Errors
 * name the annotation, the profile or the setting; what the annotations'
 * reader noticed is in req->ann.warnings.
 */
int ol_request_build(const struct ol_json *config, const char *id, const struct ol_settings *s,
		     struct ol_request *req, struct ol_error *err);

/* Append the request's warnings to out; -ENOMEM or 0. */
int ol_request_warnings(const struct ol_request *req, struct ol_strv *out);
void ol_request_free(struct ol_request *req);

/*
 * Check the compiled layers against the running kernel in the requested
 * mode: strict refuses what the kernel cannot enforce; best effort adds
 * warnings.  (The policy file is read in the container, by the launcher.)
 */
int ol_request_check_kernel(struct ol_request *req, struct ol_strv *warnings, struct ol_error *err);

/*
 * The options of an injected config must be the ones the annotations ask
 * for; an error explains which way they differ.
 */
int ol_request_matches(const struct ol_request *req, const struct ol_json *config,
		       struct ol_error *err);

/* err as the launcher's --error argument: message and hint. */
int ol_request_error_options(const struct ol_error *err, struct ol_strv *out);

#endif
