/* SPDX-License-Identifier: Apache-2.0 */
/* A container's Landlock request, worked out on the host. */
#include "request.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

/*
 * Whether a capability name is CAP_SYS_ADMIN as some runtime reads it:
 * runc matches "CAP_SYS_ADMIN" exactly, crun asks libcap, which takes any
 * case, stops at the first character that is not a letter or '_', and
 * reads a leading digit as a number in C's notation ("21", "0x15").
 */
static bool is_sys_admin(const char *name)
{
	size_t len = 0;

	if (!name)
		return false;
	if (isdigit((unsigned char) name[0]))
		return strtoul(name, NULL, 0) == 21;
	while (isalpha((unsigned char) name[len]) || name[len] == '_')
		len++;
	return len == strlen("CAP_SYS_ADMIN") && strncasecmp(name, "CAP_SYS_ADMIN", len) == 0;
}

/* Whether any capability set of the process holds CAP_SYS_ADMIN. */
static bool may_mount(const struct ol_json *config)
{
	static const char *const sets[] = { "bounding", "effective", "permitted", "inheritable",
					    "ambient" };
	const struct ol_json *caps = ol_json_get(ol_json_get(config, "process"), "capabilities");

	for (size_t k = 0; k < sizeof(sets) / sizeof(sets[0]); k++) {
		const struct ol_json *list = ol_json_get(caps, sets[k]);
		for (size_t i = 0; list && list->type == OL_JSON_ARRAY && i < list->u.arr.len; i++)
			if (is_sys_admin(ol_json_cstr(list->u.arr.items[i])))
				return true;
	}
	return false;
}

/*
 * Landlock refuses mount(2) to a domain only when it handles some
 * file-system right.  A workload that may mount, in a domain that handles
 * none, could mount over /proc and change what exec sessions execute as
 * the launcher (/proc/self/fd/N): such a container is refused.
 */
static int check_mounting(const struct ol_json *config, const struct ol_compiled *c,
			  struct ol_error *err)
{
	for (size_t i = 0; i < c->n_layers; i++)
		if (c->layers[i].handled_fs)
			return 0;
	if (c->learn || !may_mount(config))
		return 0;
	ol_error_set(err, EPERM,
		     "the container may mount (CAP_SYS_ADMIN) and its annotations handle no "
		     "file-system right, so Landlock would not stop it from mounting over /proc "
		     "and changing what exec sessions run");
	return ol_error_hint(err, "drop CAP_SYS_ADMIN, or add a file-system rule (a domain that "
				  "handles any file-system right may not mount)");
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
	if (r == 0)
		r = check_mounting(config, &req->compiled, err);
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

	/* Learning mode enforces nothing: no kernel feature to ask for. */
	if (c->learn)
		return 0;
	ol_kernel_probe(&k);
	return ol_layers_fit(&k, c->layers, c->n_layers, c->enforce.mode, warnings, err);
}

int ol_request_matches(const struct ol_request *req, const struct ol_json *config,
		       struct ol_error *err)
{
	return ol_config_check_options(config, &req->options, err);
}

int ol_request_error_options(const struct ol_error *err, struct ol_strv *out)
{
	char text[OL_ERROR_TEXT_MAX];

	if (ol_strv_push(out, "--error") < 0)
		return -ENOMEM;
	return ol_strv_push(out, ol_error_format(err, NULL, OL_ERROR_LINES, text, sizeof(text)));
}
