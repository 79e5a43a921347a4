/* SPDX-License-Identifier: Apache-2.0 */
/* A container's Landlock request, worked out on the host. */
#include "request.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "oci/config.h"

void ol_request_free(struct ol_request *req)
{
	ol_annotations_free(&req->ann);
	free(req->profile);
	ol_strv_free(&req->options);
	ol_compiled_free(&req->compiled);
	memset(req, 0, sizeof(*req));
}

int ol_request_build(const struct ol_json *config, const char *id, const struct ol_settings *s,
		     struct ol_request *req, struct ol_error *err)
{
	int r;

	memset(req, 0, sizeof(*req));
	r = ol_annotations_read(ol_config_annotations(config), id, &req->ann, err);
	if (r < 0 || !req->ann.present)
		return r;
	r = ol_annotations_profile(&req->ann, s->profiles, &req->profile, err);
	if (r == 0)
		r = ol_annotations_compile(&req->ann, req->profile, &req->compiled, err);
	if (r == 0)
		r = ol_annotations_options(&req->ann, req->profile, &req->options, err);
	return r;
}

int ol_request_warnings(const struct ol_request *req, struct ol_strv *out)
{
	for (size_t i = 0; i < req->ann.warnings.n; i++)
		if (ol_strv_push(out, req->ann.warnings.v[i]) < 0)
			return -ENOMEM;
	return 0;
}

int ol_request_check_kernel(struct ol_request *req, struct ol_strv *warnings, struct ol_error *err)
{
	struct ol_compiled *c = &req->compiled;
	struct ol_kernel k;
	int r;

	/* Learning mode enforces nothing: no kernel feature to ask for. */
	if (c->learn)
		return 0;
	ol_kernel_probe(&k);
	r = ol_kernel_require(&k, c->mode, warnings, err);
	for (size_t i = 0; r == 0 && k.abi && i < c->n_layers; i++)
		r = ol_ruleset_fit(&c->layers[i], k.abi, c->mode, warnings, err);
	return r;
}

int ol_request_matches(const struct ol_request *req, const struct ol_json *config,
		       struct ol_error *err)
{
	return ol_config_check_options(config, &req->options, err);
}

int ol_request_error_options(const struct ol_error *err, struct ol_strv *out)
{
	if (ol_strv_push(out, "--error") < 0)
		return -ENOMEM;
	if (err->hint[0])
		return ol_strv_pushf(out, "%s\nHint: %s", err->msg, err->hint);
	return ol_strv_push(out, err->msg);
}
