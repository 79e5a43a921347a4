/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The landlockconfig JSON format compiled to a Landlock layer.
 *
 * Sections are read in a fixed order (abi, variable, ruleset, pathBeneath,
 * netPort) whatever their order in the document, because groups depend on
 * "abi" and paths on variables.  Rights granted by a rule are added to the
 * handled set, as landlockconfig specifies.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/strv.h"
#include "common/text.h"
#include "policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"
#include "variables.h"

#define PATH_MAX_TEXT 160

/* Format a JSON path for a message; a long one is cut, which is harmless. */
static void jpath(char out[PATH_MAX_TEXT], const char *fmt, ...) OL_PRINTF(2, 3);
static void jpath(char out[PATH_MAX_TEXT], const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void) vsnprintf(out, PATH_MAX_TEXT, fmt, ap);
	va_end(ap);
}

struct ctx {
	struct ol_ruleset *rs;
	struct ol_error *err;
	int abi;	   /* 0: no "abi" field */
	size_t path_bytes; /* of every path added so far */
	struct ol_variables vars;
	uint64_t access; /* of the rule whose parents are being expanded */
	bool quiet;	 /* and whether it is quiet */
	/* The first quiet rule of each kind, for a message: "netPort[2]". */
	char first_quiet[2][PATH_MAX_TEXT];
};

static int type_error(struct ctx *c, const char *path, const struct ol_json *j,
		      const char *expected)
{
	return ol_error_set(c->err, EINVAL, "%s: expected %s, found %s", path, expected,
			    ol_json_type_name(j->type));
}

/* A non-empty array (landlockconfig lists are never empty). */
static int expect_list(struct ctx *c, const char *path, const struct ol_json *j)
{
	if (j->type != OL_JSON_ARRAY)
		return type_error(c, path, j, "a list");
	if (j->u.arr.len == 0)
		return ol_error_set(c->err, EINVAL, "%s: empty list", path);
	return 0;
}

/* Reject members other than the allowed ones; `required` is NULL-ended. */
static int check_members(struct ctx *c, const char *path, const struct ol_json *obj,
			 const char *const *allowed, const char *const *required)
{
	for (size_t i = 0; i < obj->u.obj.len; i++) {
		const struct ol_json_member *m = &obj->u.obj.items[i];
		cleanup_buf struct ol_buf where = { 0 };
		cleanup_buf struct ol_buf names = { 0 };
		bool known = false;

		for (size_t k = 0; allowed[k]; k++)
			known |= m->key_len == strlen(allowed[k]) &&
				 memcmp(m->key, allowed[k], m->key_len) == 0;
		if (known)
			continue;
		ol_buf_puts(&where, path);
		ol_json_path_key(&where, m->key, m->key_len);
		for (size_t k = 0; allowed[k]; k++) {
			ol_buf_puts(&names, k ? ", " : "");
			ol_buf_puts(&names, allowed[k]);
		}
		ol_error_set(c->err, EINVAL, "%s: unknown key", where.data ? where.data : "?");
		return ol_error_hint(c->err, "the keys allowed %s are: %s",
				     *path ? "here" : "at the top level",
				     names.data ? names.data : "");
	}
	for (size_t k = 0; required && required[k]; k++)
		if (!ol_json_get(obj, required[k]))
			return ol_error_set(c->err, EINVAL, "%s: missing \"%s\"", path,
					    required[k]);
	return 0;
}

/* ---- access rights and groups -------------------------------------------- */

static uint64_t resolve_group(enum ol_right_kind kind, const char *name, int abi)
{
	uint64_t all = ol_rights_mask(kind, abi);

	if (strcmp(name, "abi.all") == 0)
		return all;
	if (kind != OL_RIGHT_FS)
		return 0;
	if (strcmp(name, "abi.read_execute") == 0)
		return (OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_READ_FILE |
			OL_LL_ACCESS_FS_READ_DIR) |
		       (all & OL_LL_ACCESS_FS_REFER);
	if (strcmp(name, "abi.read_write") == 0)
		return all & ~OL_LL_ACCESS_FS_EXECUTE;
	return 0;
}

static bool is_group(enum ol_right_kind kind, const char *name)
{
	if (strcmp(name, "abi.all") == 0)
		return true;
	return kind == OL_RIGHT_FS &&
	       (strcmp(name, "abi.read_execute") == 0 || strcmp(name, "abi.read_write") == 0);
}

static int unknown_right(struct ctx *c, const char *path, enum ol_right_kind kind, const char *name)
{
	static const enum ol_right_kind kinds[] = { OL_RIGHT_FS, OL_RIGHT_NET, OL_RIGHT_SCOPE };
	char names[512], more[64];

	for (size_t i = 0; i < OL_ARRAY_SIZE(kinds); i++)
		if (kinds[i] != kind && ol_right_lookup(kinds[i], name))
			return ol_error_set(c->err, EINVAL, "%s: \"%s\" is a %s, not a %s", path,
					    name, ol_right_kind_noun(kinds[i]),
					    ol_right_kind_noun(kind));
	ol_rights_format(kind, ~0ULL, ", ", names, sizeof(names));
	ol_error_set(c->err, EINVAL, "%s: unknown %s \"%s\"%s", path, ol_right_kind_noun(kind),
		     name,
		     ol_did_you_mean(ol_right_suggest(kind, name), "", '"', more, sizeof(more)));
	return ol_error_hint(c->err, "valid here: %s, abi.all%s", names,
			     kind == OL_RIGHT_FS ? ", abi.read_execute, abi.read_write" : "");
}

static int parse_rights(struct ctx *c, const char *path, const struct ol_json *list,
			enum ol_right_kind kind, uint64_t *out)
{
	int r = expect_list(c, path, list);

	if (r < 0)
		return r;
	*out = 0;
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const struct ol_json *item = list->u.arr.items[i];
		const char *name = ol_json_cstr(item);
		const struct ol_right *right;
		char ipath[PATH_MAX_TEXT];

		jpath(ipath, "%s[%zu]", path, i);
		if (!name)
			return type_error(c, ipath, item, "the name of a right");
		if (is_group(kind, name)) {
			if (!c->abi)
				return ol_error_set(c->err, EINVAL,
						    "%s: \"%s\" needs the top-level \"abi\" "
						    "field, the ABI to resolve it against",
						    ipath, name);
			*out |= resolve_group(kind, name, c->abi);
			if (c->abi > c->rs->group_abi)
				c->rs->group_abi = c->abi;
			continue;
		}
		right = ol_right_lookup(kind, name);
		if (!right)
			return unknown_right(c, ipath, kind, name);
		*out |= right->bit;
	}
	/* Named here (by name or group): no longer only implied by fs.ro. */
	if (kind == OL_RIGHT_FS)
		c->rs->implied_fs &= ~*out;
	return 0;
}

/* ---- sections -------------------------------------------------------------- */

static int parse_abi(struct ctx *c, const struct ol_json *j)
{
	uint64_t v;

	if (ol_json_uint(j, INT32_MAX, &v) < 0 || v == 0)
		return ol_error_set(c->err, EINVAL,
				    "abi: expected an integer from 1 to 2147483647");
	c->abi = (int) v;
	return 0;
}

static int parse_literals(struct ctx *c, const char *path, const struct ol_json *lit,
			  struct ol_variable *var, size_t *total)
{
	int r = expect_list(c, path, lit);

	if (r < 0)
		return r;
	*total += lit->u.arr.len;
	if (*total > OL_POLICY_MAX_PATHS)
		return ol_error_set(c->err, E2BIG, "%s: the variables hold more than %d values",
				    path, OL_POLICY_MAX_PATHS);
	for (size_t k = 0; k < lit->u.arr.len; k++) {
		const char *s = ol_json_cstr(lit->u.arr.items[k]);
		if (!s) {
			char ipath[PATH_MAX_TEXT];
			jpath(ipath, "%s[%zu]", path, k);
			return type_error(c, ipath, lit->u.arr.items[k], "a string without NUL");
		}
		if (ol_strv_push(&var->values, s) < 0)
			return ol_error_oom(c->err);
	}
	return 0;
}

static int parse_variables(struct ctx *c, const struct ol_json *list)
{
	static const char *const allowed[] = { "name", "literal", NULL };
	static const char *const required[] = { "name", NULL };
	int r = expect_list(c, "variable", list);
	size_t total = 0;

	if (r < 0)
		return r;
	if (list->u.arr.len > OL_POLICY_MAX_VARIABLES)
		return ol_error_set(c->err, E2BIG, "variable: more than %d variables",
				    OL_POLICY_MAX_VARIABLES);
	c->vars.v = calloc(list->u.arr.len, sizeof(*c->vars.v));
	if (!c->vars.v)
		return ol_error_oom(c->err);
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const struct ol_json *v = list->u.arr.items[i];
		const struct ol_json *lit;
		struct ol_variable *var;
		const char *name;
		char path[PATH_MAX_TEXT];

		jpath(path, "variable[%zu]", i);
		if (v->type != OL_JSON_OBJECT)
			return type_error(c, path, v, "an object");
		r = check_members(c, path, v, allowed, required);
		if (r < 0)
			return r;
		name = ol_json_cstr(ol_json_get(v, "name"));
		if (!name || !ol_variable_name_valid(name, strlen(name)))
			return ol_error_set(c->err, EINVAL,
					    "%s.name: expected a name of ASCII letters, "
					    "digits and '_', starting with a letter",
					    path);
		var = &c->vars.v[c->vars.n++];
		var->name = name;
		var->order = i;
		lit = ol_json_get(v, "literal");
		jpath(path, "variable[%zu].literal", i);
		if (lit && (r = parse_literals(c, path, lit, var, &total)) < 0)
			return r;
	}
	return ol_variables_merge(&c->vars) < 0 ? ol_error_oom(c->err) : 0;
}

/* One rule for a path a template expanded to, within the layer's bounds. */
static int add_expanded(const char *text, size_t len, const char *path, void *data)
{
	struct ctx *c = data;

	if (len == 0)
		return ol_error_set(c->err, EINVAL, "%s: the path is empty", path);
	if (len > OL_POLICY_MAX_PATH_LEN)
		return ol_error_set(c->err, ENAMETOOLONG, "%s: the path is longer than %d bytes",
				    path, OL_POLICY_MAX_PATH_LEN);
	if (ol_policy_check_path(text, len, c->err) < 0)
		return ol_error_prefix(c->err, "%s", path);
	c->path_bytes += len;
	if (c->path_bytes > OL_POLICY_MAX_PATH_BYTES)
		return ol_error_set(c->err, E2BIG,
				    "%s: the paths of the policy add up to more than %d bytes",
				    path, OL_POLICY_MAX_PATH_BYTES);
	if (c->rs->n_paths >= OL_POLICY_MAX_PATHS)
		return ol_error_set(c->err, E2BIG, "%s: more than %d path rules in one layer", path,
				    OL_POLICY_MAX_PATHS);
	if (ol_ruleset_add_path_quiet(c->rs, text, c->access, c->quiet) < 0)
		return ol_error_oom(c->err);
	return 0;
}

/*
 * The fields of a ruleset: the handled sets, and (ahead of landlockconfig's
 * schema, ABI 10) the quiet ones, each of which must be a subset of its
 * handled set once the whole policy is read (check_quiet()).
 */
static const struct ruleset_field {
	const char *key;
	enum ol_right_kind kind;
	bool quiet;
} ruleset_fields[] = {
	{ "handledAccessFs", OL_RIGHT_FS, false }, { "handledAccessNet", OL_RIGHT_NET, false },
	{ "scoped", OL_RIGHT_SCOPE, false },	   { "quietAccessFs", OL_RIGHT_FS, true },
	{ "quietAccessNet", OL_RIGHT_NET, true },  { "quietScoped", OL_RIGHT_SCOPE, true },
};

static uint64_t *field_mask(struct ol_ruleset *rs, const struct ruleset_field *f)
{
	switch (f->kind) {
	case OL_RIGHT_FS:
		return f->quiet ? &rs->quiet_fs : &rs->handled_fs;
	case OL_RIGHT_NET:
		return f->quiet ? &rs->quiet_net : &rs->handled_net;
	default:
		return f->quiet ? &rs->quiet_scoped : &rs->scoped;
	}
}

static int parse_rulesets(struct ctx *c, const struct ol_json *list)
{
	static const char *const allowed[] = {
		"handledAccessFs", "handledAccessNet", "scoped", "quietAccessFs",
		"quietAccessNet",  "quietScoped",      NULL
	};
	int r = expect_list(c, "ruleset", list);

	if (r < 0)
		return r;
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const struct ol_json *rs = list->u.arr.items[i];
		char path[PATH_MAX_TEXT];

		jpath(path, "ruleset[%zu]", i);
		if (rs->type != OL_JSON_OBJECT)
			return type_error(c, path, rs, "an object");
		if (rs->u.obj.len == 0)
			return ol_error_set(c->err, EINVAL,
					    "%s: empty ruleset (give handledAccessFs, "
					    "handledAccessNet or scoped)",
					    path);
		r = check_members(c, path, rs, allowed, NULL);
		if (r < 0)
			return r;
		for (size_t f = 0; f < OL_ARRAY_SIZE(ruleset_fields); f++) {
			const struct ol_json *l = ol_json_get(rs, ruleset_fields[f].key);
			char fpath[PATH_MAX_TEXT];
			uint64_t bits;
			if (!l)
				continue;
			jpath(fpath, "%s.%s", path, ruleset_fields[f].key);
			r = parse_rights(c, fpath, l, ruleset_fields[f].kind, &bits);
			if (r < 0)
				return r;
			*field_mask(c->rs, &ruleset_fields[f]) |= bits;
		}
	}
	return 0;
}

/*
 * The kernel's rules for quiet settings (EINVAL otherwise), checked once
 * every right is known: each quiet set within its handled set (rules add
 * to those), and a quiet rule only where its kind has quiet rights.
 */
static int check_quiet(struct ctx *c, const struct ol_json *rulesets)
{
	static const char *const quiet_key[] = { "quietAccessFs", "quietAccessNet" };
	const uint64_t quiet[] = { c->rs->quiet_fs, c->rs->quiet_net };

	for (size_t i = 0; rulesets && i < rulesets->u.arr.len; i++) {
		for (size_t f = 0; f < OL_ARRAY_SIZE(ruleset_fields); f++) {
			const struct ruleset_field *rf = &ruleset_fields[f];
			/* The handled field of the same kind: the table's first ones. */
			const struct ruleset_field handled_field = ruleset_fields[rf->kind];
			const struct ol_json *l = ol_json_get(rulesets->u.arr.items[i], rf->key);
			char path[PATH_MAX_TEXT], name[256];
			uint64_t bits = 0, handled;
			if (!rf->quiet || !l)
				continue;
			jpath(path, "ruleset[%zu].%s", i, rf->key);
			if (parse_rights(c, path, l, rf->kind, &bits) < 0)
				return -c->err->code;
			handled = *field_mask(c->rs, &handled_field);
			if (!(bits & ~handled))
				continue;
			ol_rights_format(rf->kind, bits & ~handled, ", ", name, sizeof(name));
			ol_error_set(c->err, EINVAL, "%s: %s %s not %s by the policy", path, name,
				     (bits & ~handled) & ((bits & ~handled) - 1) ? "are" : "is",
				     rf->kind == OL_RIGHT_SCOPE ? "set" : "handled");
			return ol_error_hint(c->err,
					     "a denial this layer does not make cannot be kept "
					     "quiet: add them to %s too, or remove them here",
					     handled_field.key);
		}
	}
	for (size_t k = 0; k < 2; k++)
		if (c->first_quiet[k][0] && !quiet[k]) {
			ol_error_set(c->err, EINVAL, "%s.quiet: no ruleset has %s",
				     c->first_quiet[k], quiet_key[k]);
			return ol_error_hint(c->err,
					     "a quiet rule keeps the denials of the rights in "
					     "%s out of the log: name them in a ruleset",
					     quiet_key[k]);
		}
	return 0;
}

/* One "parent" of a pathBeneath rule: a path template. */
static int add_parent(struct ctx *c, const char *path, const struct ol_json *item, uint64_t access)
{
	const char *tmpl = ol_json_cstr(item);

	if (!tmpl)
		return type_error(c, path, item, "a path string without NUL");
	c->access = access;
	return ol_template_expand(&c->vars, path, tmpl, OL_POLICY_MAX_PATHS, add_expanded, c,
				  c->err);
}

/* One "port" of a netPort rule. */
static int add_port(struct ctx *c, const char *path, const struct ol_json *item, uint64_t access)
{
	uint64_t port;
	int r = ol_json_uint(item, 65535, &port);

	if (r == -ERANGE)
		return ol_error_set(c->err, EINVAL, "%s: port %s is out of range (0-65535)", path,
				    item->u.str.ptr);
	if (r < 0)
		return type_error(c, path, item, "a port number from 0 to 65535");
	if (ol_ruleset_add_port_range(c->rs, port, port, access, c->quiet) < 0)
		return ol_error_oom(c->err);
	return 0;
}

/* The two kinds of rules: {"allowedAccess": [...], TARGET: [...]}. */
struct rule_kind {
	const char *section; /* "pathBeneath" */
	const char *target;  /* "parent" */
	enum ol_right_kind rights;
	int (*add)(struct ctx *c, const char *path, const struct ol_json *item, uint64_t access);
};

static const struct rule_kind path_beneath = { "pathBeneath", "parent", OL_RIGHT_FS, add_parent };
static const struct rule_kind net_port = { "netPort", "port", OL_RIGHT_NET, add_port };

/* A rule's "quiet" (ahead of landlockconfig's schema, ABI 10). */
static int parse_quiet(struct ctx *c, const char *path, const struct ol_json *rule, bool *quiet)
{
	const struct ol_json *q = ol_json_get(rule, "quiet");
	char sub[PATH_MAX_TEXT];

	*quiet = q && q->type == OL_JSON_TRUE;
	if (!q || q->type == OL_JSON_TRUE || q->type == OL_JSON_FALSE)
		return 0;
	jpath(sub, "%s.quiet", path);
	return type_error(c, sub, q, "true or false");
}

static int parse_rules(struct ctx *c, const struct rule_kind *kind, const struct ol_json *list)
{
	const char *const keys[] = { "allowedAccess", kind->target, "quiet", NULL };
	const char *const required[] = { kind->target, NULL };
	int r = expect_list(c, kind->section, list);

	if (r < 0)
		return r;
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const struct ol_json *rule = list->u.arr.items[i];
		const struct ol_json *targets;
		char path[PATH_MAX_TEXT], sub[PATH_MAX_TEXT];
		uint64_t access;

		jpath(path, "%s[%zu]", kind->section, i);
		if (rule->type != OL_JSON_OBJECT)
			return type_error(c, path, rule, "an object");
		r = check_members(c, path, rule, keys, NULL);
		if (r == 0)
			r = parse_quiet(c, path, rule, &c->quiet);
		if (r < 0)
			return r;
		/* A quiet rule may allow nothing: it only marks its object. */
		if (!ol_json_get(rule, "allowedAccess") && !c->quiet)
			return ol_error_set(c->err, EINVAL, "%s: missing \"allowedAccess\"", path);
		r = check_members(c, path, rule, keys, required);
		if (r < 0)
			return r;
		if (c->quiet && !c->first_quiet[kind->rights == OL_RIGHT_NET][0])
			snprintf(c->first_quiet[kind->rights == OL_RIGHT_NET], PATH_MAX_TEXT, "%s",
				 path);
		access = 0;
		jpath(sub, "%s.allowedAccess", path);
		if (ol_json_get(rule, "allowedAccess"))
			r = parse_rights(c, sub, ol_json_get(rule, "allowedAccess"), kind->rights,
					 &access);
		if (r < 0)
			return r;
		if (kind->rights == OL_RIGHT_FS)
			c->rs->handled_fs |= access;
		else
			c->rs->handled_net |= access;
		targets = ol_json_get(rule, kind->target);
		jpath(sub, "%s.%s", path, kind->target);
		r = expect_list(c, sub, targets);
		for (size_t k = 0; r == 0 && k < targets->u.arr.len; k++) {
			jpath(sub, "%s.%s[%zu]", path, kind->target, k);
			r = kind->add(c, sub, targets->u.arr.items[k], access);
		}
		if (r < 0)
			return r;
	}
	return 0;
}

int ol_landlockconfig_load(const struct ol_json *root, struct ol_ruleset *rs, struct ol_error *err)
{
	static const char *const keys[] = { "abi",	   "variable", "ruleset",
					    "pathBeneath", "netPort",  NULL };
	struct ctx c = { .rs = rs, .err = err };
	const struct ol_json *j;
	int r;

	if (root->type != OL_JSON_OBJECT)
		return type_error(&c, "top level", root, "an object");
	r = check_members(&c, "", root, keys, NULL);
	if (r < 0)
		return r;
	if (!ol_json_get(root, "variable") && !ol_json_get(root, "ruleset") &&
	    !ol_json_get(root, "pathBeneath") && !ol_json_get(root, "netPort"))
		return ol_error_set(err, EINVAL,
				    "top level: a policy needs at least one of "
				    "variable, ruleset, pathBeneath, netPort");

	if ((j = ol_json_get(root, "abi")) && (r = parse_abi(&c, j)) < 0)
		goto out;
	if ((j = ol_json_get(root, "variable")) && (r = parse_variables(&c, j)) < 0)
		goto out;
	if ((j = ol_json_get(root, "ruleset")) && (r = parse_rulesets(&c, j)) < 0)
		goto out;
	if ((j = ol_json_get(root, "pathBeneath")) && (r = parse_rules(&c, &path_beneath, j)) < 0)
		goto out;
	if ((j = ol_json_get(root, "netPort")) && (r = parse_rules(&c, &net_port, j)) < 0)
		goto out;
	if ((r = check_quiet(&c, ol_json_get(root, "ruleset"))) < 0)
		goto out;
	ol_ruleset_normalize(rs);
	if (ol_ruleset_is_empty(rs)) {
		r = ol_error_set(err, EINVAL,
				 "top level: the policy handles no access right, "
				 "so it would restrict nothing");
		ol_error_hint(err, "add a ruleset with handledAccessFs, "
				   "handledAccessNet or scoped, or a rule");
	}
out:
	ol_variables_free(&c.vars);
	return r;
}

int ol_landlockconfig_parse(const char *text, size_t len, struct ol_ruleset *rs,
			    struct ol_error *err)
{
	cleanup_json struct ol_json *root = NULL;
	int r = ol_json_parse(text, len, &ol_json_policy_limits, &root, err);

	if (r < 0)
		return r;
	return ol_landlockconfig_load(root, rs, err);
}
