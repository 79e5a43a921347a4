/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock check --json: the same facts as the text, for tools.  Right
 * names and layer fields are spelt as in landlockconfig; docs/troubleshooting.md
 * lists the fields.
 */
#include <errno.h>
#include <string.h>

#include "check.h"
#include "cli.h"
#include "common/cleanup.h"
#include "policy/policy.h"
#include "sandbox/socket-filter.h"

static const char *const outcome_name[] = {
	[CHECK_INVALID] = "invalid",   [CHECK_NONE] = "none",	      [CHECK_EXEMPT] = "exempt",
	[CHECK_LEARNING] = "learning", [CHECK_ENFORCED] = "enforced", [CHECK_DROPPED] = "dropped",
	[CHECK_REFUSED] = "refused",
};

/* Setters that pass on the first failure: one check at the end. */
static int set(struct ol_json *obj, const char *key, struct ol_json *value, int r)
{
	if (r < 0) {
		ol_json_free(value);
		return r;
	}
	return value ? ol_json_object_set(obj, key, value) : -ENOMEM;
}

static int push(struct ol_json *arr, struct ol_json *value, int r)
{
	if (r < 0) {
		ol_json_free(value);
		return r;
	}
	return value ? ol_json_array_push(arr, value) : -ENOMEM;
}

static struct ol_json *strings(const struct ol_strv *v)
{
	struct ol_json *list = ol_json_new(OL_JSON_ARRAY);
	int r = list ? 0 : -ENOMEM;

	for (size_t i = 0; r == 0 && i < v->n; i++)
		r = push(list, ol_json_new_string(v->v[i]), r);
	if (r < 0) {
		ol_json_free(list);
		return NULL;
	}
	return list;
}

static struct ol_json *layer_json(const struct ol_ruleset *rs)
{
	struct ol_json *o = ol_json_new(OL_JSON_OBJECT);
	struct ol_json *paths = ol_json_new(OL_JSON_ARRAY);
	struct ol_json *ports = ol_json_new(OL_JSON_ARRAY);
	int r = o ? 0 : -ENOMEM;

	r = set(o, "source", ol_json_new_string(rs->source), r);
	r = set(o, "handledAccessFs", ol_rights_json(OL_RIGHT_FS, rs->handled_fs), r);
	r = set(o, "handledAccessNet", ol_rights_json(OL_RIGHT_NET, rs->handled_net), r);
	r = set(o, "scoped", ol_rights_json(OL_RIGHT_SCOPE, rs->scoped), r);
	r = set(o, "quietAccessFs", ol_rights_json(OL_RIGHT_FS, ol_ruleset_quiet_fs(rs)), r);
	r = set(o, "quietAccessNet", ol_rights_json(OL_RIGHT_NET, ol_ruleset_quiet_net(rs)), r);
	r = set(o, "quietScoped", ol_rights_json(OL_RIGHT_SCOPE, rs->quiet_scoped), r);
	r = set(o, "pathBeneath", paths, r);
	r = set(o, "netPort", ports, r);
	for (size_t i = 0; r == 0 && i < rs->n_paths; i++) {
		struct ol_json *rule = ol_json_new(OL_JSON_OBJECT);
		r = push(paths, rule, r);
		r = set(rule, "parent", ol_json_new_string(rs->paths[i].path), r);
		r = set(rule, "allowedAccess", ol_rights_json(OL_RIGHT_FS, rs->paths[i].access), r);
		if (rs->paths[i].quiet) /* as landlockconfig says it: only when true */
			r = set(rule, "quiet", ol_json_new(OL_JSON_TRUE), r);
	}
	for (size_t i = 0; r == 0 && i < rs->n_ports; i++) {
		struct ol_json *rule = ol_json_new(OL_JSON_OBJECT);
		r = push(ports, rule, r);
		r = set(rule, "port", ol_json_new_number(rs->ports[i].port), r);
		r = set(rule, "allowedAccess", ol_rights_json(OL_RIGHT_NET, rs->ports[i].access),
			r);
		if (rs->ports[i].quiet)
			r = set(rule, "quiet", ol_json_new(OL_JSON_TRUE), r);
	}
	if (r < 0 && o) {
		ol_json_free(o);
		return NULL;
	}
	return o;
}

/* {"allowedAccess": [...], "layers": [[...], ...]} plus what names the rule. */
static struct ol_json *rule_json(enum ol_right_kind kind, const struct ol_effective_rule *e,
				 size_t n)
{
	struct ol_json *o = ol_json_new(OL_JSON_OBJECT);
	struct ol_json *layers = ol_json_new(OL_JSON_ARRAY);
	int r = o ? 0 : -ENOMEM;

	if (e->path) {
		r = set(o, "path", ol_json_new_string(e->path), r);
	} else {
		r = set(o, "from", ol_json_new_number(e->port), r);
		r = set(o, "to", ol_json_new_number(e->port_hi), r);
	}
	r = set(o, "allowedAccess", ol_rights_json(kind, e->allowed), r);
	r = set(o, "layers", layers, r);
	for (size_t l = 0; r == 0 && l < n; l++)
		r = push(layers, ol_rights_json(kind, e->layer[l]), r);
	if (r < 0 && o) {
		ol_json_free(o);
		return NULL;
	}
	return o;
}

static struct ol_json *effective_json(const struct ol_effective *e)
{
	struct ol_json *o = ol_json_new(OL_JSON_OBJECT);
	struct ol_json *paths = ol_json_new(OL_JSON_ARRAY);
	struct ol_json *ports = ol_json_new(OL_JSON_ARRAY);
	int r = o ? 0 : -ENOMEM;

	r = set(o, "paths", paths, r);
	r = set(o, "elsewhere", ol_rights_json(OL_RIGHT_FS, e->fs_elsewhere), r);
	r = set(o, "ports", ports, r);
	r = set(o, "otherPorts", ol_rights_json(OL_RIGHT_NET, e->net_elsewhere), r);
	r = set(o, "scoped", ol_rights_json(OL_RIGHT_SCOPE, e->scoped), r);
	for (size_t i = 0; r == 0 && i < e->n_paths; i++)
		r = push(paths, rule_json(OL_RIGHT_FS, &e->paths[i], e->n_layers), r);
	for (size_t i = 0; r == 0 && i < e->n_ports; i++)
		r = push(ports, rule_json(OL_RIGHT_NET, &e->ports[i], e->n_layers), r);
	if (r < 0 && o) {
		ol_json_free(o);
		return NULL;
	}
	return o;
}

/* null: not filtered; else the kinds that may be created. */
static struct ol_json *sockets_json(uint32_t sockets)
{
	struct ol_json *list;
	char kinds[256];
	int r = 0;

	if (sockets == OL_SOCKETS_UNFILTERED)
		return ol_json_new(OL_JSON_NULL);
	list = ol_json_new(OL_JSON_ARRAY);
	ol_socket_kinds_format(sockets, kinds, sizeof(kinds));
	for (char *p = kinds, *next; list && r == 0 && sockets && p; p = next) {
		next = strstr(p, ", ");
		if (next) {
			*next = '\0';
			next += 2;
		}
		r = push(list, ol_json_new_string(p), r);
	}
	if (r < 0) {
		ol_json_free(list);
		return NULL;
	}
	return list;
}

static int verdict_json(struct ol_json *o, const struct check *c, int r)
{
	const struct ol_compiled *cc = c->c;
	struct ol_json *layers = ol_json_new(OL_JSON_ARRAY);

	r = set(o, "layers", layers, r);
	for (size_t i = 0; r == 0 && i < cc->n_layers; i++)
		r = push(layers, layer_json(&cc->layers[i]), r);
	r = set(o, "policyFile",
		cc->policy_file ? ol_json_new_string(cc->policy_file) : ol_json_new(OL_JSON_NULL),
		r);
	r = set(o, "policyFileChecked",
		ol_json_new(c->policy_file && cc->policy_file ? OL_JSON_TRUE : OL_JSON_FALSE), r);
	r = set(o, "mode",
		ol_json_new_string(cc->enforce.mode == OL_MODE_STRICT ? "strict" : "best-effort"),
		r);
	r = set(o, "sockets", sockets_json(cc->enforce.sockets), r);
	r = set(o, "abi", ol_json_new_number((uint64_t) c->k.abi), r);
	r = set(o, "dropped", strings(&c->dropped), r);
	r = set(o, "kernelWarnings", strings(&c->notes), r);
	if (c->have_eff)
		r = set(o, "effective", effective_json(&c->eff), r);
	return r;
}

static int error_json(struct ol_json *o, const struct ol_error *err, int r)
{
	struct ol_json *e = ol_json_new(OL_JSON_OBJECT);

	r = set(o, "error", e, r);
	r = set(e, "message", ol_json_new_string(err->msg), r);
	if (err->hint[0])
		r = set(e, "hint", ol_json_new_string(err->hint), r);
	return r;
}

int ol_check_print_json(FILE *out, const struct check *c)
{
	cleanup_json struct ol_json *o = ol_json_new(OL_JSON_OBJECT);
	cleanup_free char *text = NULL;
	struct ol_error err = { 0 };
	size_t len;
	int r = o ? 0 : -ENOMEM;

	r = set(o, "file", ol_json_new_string(c->file), r);
	r = set(o, "kind", ol_json_new_string(c->config ? "config" : "policy"), r);
	r = set(o, "result", ol_json_new_string(outcome_name[c->outcome]), r);
	r = set(o, "warnings", strings(&c->warnings), r);
	if (c->config && c->outcome != CHECK_INVALID && c->outcome != CHECK_NONE &&
	    c->outcome != CHECK_EXEMPT)
		r = set(o, "options", strings(&c->req.options), r);
	if (c->outcome == CHECK_LEARNING)
		r = set(o, "learn", ol_json_new_string(c->req.compiled.learn), r);
	if (c->outcome >= CHECK_ENFORCED)
		r = verdict_json(o, c, r);
	if (c->outcome == CHECK_INVALID || c->outcome == CHECK_REFUSED)
		r = error_json(o, &c->err, r);
	if (r < 0)
		return ol_cli_report((ol_error_oom(&err), &err));
	if (ol_json_emit(o, OL_JSON_PRETTY, &text, &len, &err) < 0)
		return ol_cli_report(&err);
	fprintf(out, "%.*s\n", (int) len, text);
	if (c->outcome == CHECK_INVALID || c->outcome == CHECK_REFUSED)
		return ol_cli_report(&c->err);
	return 0;
}
