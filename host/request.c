/* SPDX-License-Identifier: Apache-2.0 */
/* A container's Landlock request, worked out on the host. */
#include "request.h"

#include <ctype.h>
#include <stdio.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/cleanup.h"
#include "oci/config.h"
#include "policy/policy.h"

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

/* The settings file, for messages. */
static const char *settings_name(const struct ol_settings *s)
{
	return s->file ? s->file : OL_CONFIG_FILE;
}

/*
 * A pod's sandbox container runs no workload: nothing applies to it, as the
 * engine proves (keys.h).  The annotations' reader decides it when there
 * are keys; without keys, where the host decides, it is asked here.
 */
static int exempt(const struct ol_json *config, const char *id, const struct ol_settings *s,
		  struct ol_request *req, bool *out, struct ol_error *err)
{
	*out = req->ann.sandbox;
	if (req->ann.present || req->ann.sandbox || (!s->default_text && !s->require))
		return 0;
	if (ol_engine_sandbox(ol_config_annotations(config), id, out, &req->ann.warnings, err) < 0)
		return -err->code;
	req->ann.sandbox = *out;
	return 0;
}

static int no_policy_required(const struct ol_settings *s, struct ol_error *err)
{
	ol_error_set(err, EPERM,
		     "the container asks for no Landlock policy, and the settings '%s' require "
		     "one (\"require\": true)",
		     settings_name(s));
	return ol_error_hint(err, "give it oci.landlock.* annotations (in Kubernetes, check the "
				  "runtime handler's pod_annotations allow-list), or set a "
				  "\"default\" policy in the settings");
}

static int learning_refused(const struct ol_request *req, const struct ol_settings *s,
			    struct ol_error *err)
{
	ol_error_set(err, EPERM,
		     "annotation '%s' asks for learning mode, which runs the container "
		     "unconfined, and the settings '%s' %s",
		     req->ann.key[OL_KEY_LEARN], settings_name(s),
		     s->default_text ? "give every container a default policy"
		     : s->require    ? "require a policy"
				     : "do not allow it (\"learning\": false)");
	return ol_error_hint(err, "learn where the settings allow it (\"learning\": true), or "
				  "give the container a policy");
}

/*
 * The default layer, first: a ceiling the annotations' layers only narrow.
 * Its options come before theirs; it is enforced in the settings' mode,
 * which an annotation may make strict but not best-effort.
 */
static int default_options(struct ol_request *req, const struct ol_settings *s,
			   struct ol_error *err)
{
	if ((!req->ann.value[OL_KEY_MODE] && s->mode == OL_MODE_BEST_EFFORT &&
	     (ol_strv_push(&req->options, "--mode") < 0 ||
	      ol_strv_push(&req->options, "best-effort") < 0)) ||
	    ol_strv_pushf(&req->options, "--host-layer=%s", s->default_source) < 0 ||
	    ol_strv_push(&req->options, "--policy") < 0 ||
	    ol_strv_push(&req->options, s->default_text) < 0)
		return ol_error_oom(err);
	return 0;
}

/* After the annotations' layers are compiled: the default goes before them. */
static int default_layer(struct ol_request *req, const struct ol_settings *s, struct ol_error *err)
{
	struct ol_compiled *c = &req->compiled;
	struct ol_ruleset *rs;
	struct ol_ruleset first;

	if (req->ann.value[OL_KEY_MODE] && s->mode == OL_MODE_STRICT &&
	    c->enforce.mode == OL_MODE_BEST_EFFORT) {
		ol_error_set(err, EPERM,
			     "annotation '%s' asks for best-effort, but the settings '%s' enforce "
			     "their default policy strictly",
			     req->ann.key[OL_KEY_MODE], settings_name(s));
		return ol_error_hint(err, "remove the annotation, or set \"mode\": "
					  "\"best-effort\" in the settings");
	}
	if (!req->ann.value[OL_KEY_MODE])
		c->enforce.mode = s->mode;
	rs = ol_layers_add(&c->layers, &c->n_layers, s->default_source);
	if (!rs)
		return ol_error_oom(err);
	if (ol_landlockconfig_parse(s->default_text, strlen(s->default_text), rs, err) < 0)
		return ol_error_prefix(err, "settings '%s': \"default\"", settings_name(s));
	first = *rs;
	memmove(&c->layers[1], &c->layers[0], (c->n_layers - 1) * sizeof(*c->layers));
	c->layers[0] = first;
	return 0;
}

/* What the annotations ask for: their layers, their options after the default's. */
static int add_annotations(struct ol_request *req, const struct ol_settings *s, bool host_layer,
			   struct ol_error *err)
{
	int r;

	req->ann.host_layer = host_layer;
	r = ol_annotations_profile(&req->ann, s->profiles, &req->profile, err);
	if (r == 0)
		r = ol_annotations_compile(&req->ann, req->profile, &req->compiled, err);
	if (r == 0)
		r = ol_annotations_options(&req->ann, req->profile, &req->options, err);
	return r;
}

/* The config's mount that holds path (the last of the longest), or NULL. */
static const struct ol_json *mount_of(const struct ol_json *config, const char *path)
{
	const struct ol_json *list = ol_json_get(config, "mounts"), *best = NULL;
	size_t best_len = 0;

	for (size_t i = 0; list && list->type == OL_JSON_ARRAY && i < list->u.arr.len; i++) {
		const char *d = ol_json_cstr(ol_json_get(list->u.arr.items[i], "destination"));
		size_t n = d ? strlen(d) : 0;
		while (n > 1 && d[n - 1] == '/')
			n--;
		if (!d || d[0] != '/' || n < best_len || strncmp(path, d, n) != 0 ||
		    (n > 1 && path[n] != '/' && path[n] != '\0'))
			continue;
		best = list->u.arr.items[i];
		best_len = n;
	}
	return best;
}

/*
 * A recording must outlive the container: on a bind mount (a volume).  On
 * the container's own file system or a tmpfs it is lost with it, which the
 * launcher says at the start, not after the run.
 */
static int learn_volume_warning(const struct ol_json *config, struct ol_request *req)
{
	const char *path = req->ann.value[OL_KEY_LEARN];
	const struct ol_json *m = path && path[0] == '/' ? mount_of(config, path) : NULL;
	const char *type = ol_json_cstr(ol_json_get(m, "type"));
	char text[1024];

	if (!path || path[0] != '/' || (m && ol_config_mount_is_bind(m)))
		return 0;
	if (m)
		snprintf(text, sizeof(text),
			 "the recording '%s' (annotation '%s') is on a %s mount at '%s', lost "
			 "when the container stops: put it on a volume (podman run -v "
			 "/srv/learn:/learn, then %s=/learn/rec.json)",
			 path, req->ann.key[OL_KEY_LEARN], type ? type : "non-bind",
			 ol_json_cstr(ol_json_get(m, "destination")), req->ann.key[OL_KEY_LEARN]);
	else
		snprintf(text, sizeof(text),
			 "the recording '%s' (annotation '%s') is on the container's own file "
			 "system, lost when the container is removed: put it on a volume (podman "
			 "run -v /srv/learn:/learn, then %s=/learn/rec.json)",
			 path, req->ann.key[OL_KEY_LEARN], req->ann.key[OL_KEY_LEARN]);
	if (ol_strv_push(&req->options, "--warning") < 0 || ol_strv_push(&req->options, text) < 0)
		return -ENOMEM;
	return 0;
}

int ol_request_build(const struct ol_json *config, const char *id, const struct ol_settings *s,
		     struct ol_request *req, struct ol_error *err)
{
	bool exempted = false, with_default;
	int r;

	memset(req, 0, sizeof(*req));
	r = ol_annotations_read(ol_config_annotations(config), id, &req->ann, err);
	if (r == 0)
		r = exempt(config, id, s, req, &exempted, err);
	if (r < 0 || exempted)
		return r;
	if (req->ann.value[OL_KEY_LEARN] && !s->learning)
		return learning_refused(req, s, err);
	if (!req->ann.present && !s->default_text)
		return s->require ? no_policy_required(s, err) : 0;
	req->applies = true;
	/* Learning, where allowed, stands alone: without the default. */
	with_default = s->default_text && !req->ann.value[OL_KEY_LEARN];
	if (with_default)
		r = default_options(req, s, err);
	if (r == 0 && req->ann.present)
		r = add_annotations(req, s, with_default, err);
	else if (r == 0)
		ol_enforcement_init(&req->compiled.enforce);
	if (r == 0 && with_default)
		r = default_layer(req, s, err);
	if (r == 0)
		r = check_mounting(config, &req->compiled, err);
	if (r == 0 && learn_volume_warning(config, req) < 0)
		r = ol_error_oom(err);
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
