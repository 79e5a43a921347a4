/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A layer written back as canonical landlockconfig JSON: explicit right
 * names (no groups, so no "abi"), rules with the same rights grouped in
 * one entry in order of first appearance, '$' escaped as "$$" so the
 * output parses back to the same layer.  Used by tests, by `check` and by
 * the generated reference.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy.h"
#include "sandbox/rights.h"

struct ol_json *ol_rights_json(enum ol_right_kind kind, uint64_t mask)
{
	struct ol_json *list = ol_json_new(OL_JSON_ARRAY);

	for (size_t i = 0; list && i < ol_rights_count; i++) {
		const struct ol_right *r = &ol_rights[i];
		if (r->kind == kind && (mask & r->bit) &&
		    ol_json_array_push(list, ol_json_new_string(r->name)) < 0) {
			ol_json_free(list);
			return NULL;
		}
	}
	return list;
}

/* Set key to the list of the names of the rights in mask (if any). */
static int set_rights(struct ol_json *obj, const char *key, enum ol_right_kind kind, uint64_t mask)
{
	return mask ? ol_json_object_set(obj, key, ol_rights_json(kind, mask)) : 0;
}

static struct ol_json *escaped_path(const char *path)
{
	cleanup_buf struct ol_buf b = { 0 };

	if (ol_buf_reserve(&b, 0) < 0)
		return NULL;
	for (const char *p = path; *p; p++)
		if (ol_buf_append(&b, *p == '$' ? "$$" : p, *p == '$' ? 2 : 1) < 0)
			return NULL;
	return ol_json_new_string(b.data);
}

/* What groups rules in one entry: their rights, and the quiet flag (bit 63,
 * which no right uses). */
#define QUIET_BIT (1ULL << 63)

static uint64_t rule_access(const struct ol_ruleset *rs, bool paths, size_t i)
{
	if (paths)
		return rs->paths[i].access | (rs->paths[i].quiet ? QUIET_BIT : 0);
	return rs->ports[i].access | (rs->ports[i].quiet ? QUIET_BIT : 0);
}

/* [{"allowedAccess": [...], "parent"|"port": [...], "quiet": true}, ...] */
static int set_rules(struct ol_json *root, const struct ol_ruleset *rs, bool paths)
{
	size_t n = paths ? rs->n_paths : rs->n_ports;
	cleanup_free uint64_t *distinct = calloc(n ? n : 1, sizeof(*distinct));
	struct ol_json *list = ol_json_new(OL_JSON_ARRAY);
	size_t nd = 0;
	int r;

	if (!distinct || !list) {
		ol_json_free(list);
		return -ENOMEM;
	}
	r = ol_json_object_set(root, paths ? "pathBeneath" : "netPort", list);
	for (size_t i = 0; r == 0 && i < n; i++) {
		uint64_t access = rule_access(rs, paths, i);
		size_t k = 0;
		while (k < nd && distinct[k] != access)
			k++;
		if (k == nd)
			distinct[nd++] = access;
	}
	for (size_t d = 0; r == 0 && d < nd; d++) {
		struct ol_json *entry = ol_json_new(OL_JSON_OBJECT);
		struct ol_json *targets = ol_json_new(OL_JSON_ARRAY);

		r = ol_json_array_push(list, entry);
		if (r == 0)
			r = set_rights(entry, "allowedAccess", paths ? OL_RIGHT_FS : OL_RIGHT_NET,
				       distinct[d] & ~QUIET_BIT);
		if (r == 0)
			r = ol_json_object_set(entry, paths ? "parent" : "port",
					       steal_pointer(&targets));
		ol_json_free(targets);
		targets = r == 0 ? ol_json_get(entry, paths ? "parent" : "port") : NULL;
		for (size_t i = 0; r == 0 && i < n; i++) {
			if (rule_access(rs, paths, i) != distinct[d])
				continue;
			r = ol_json_array_push(targets,
					       paths ? escaped_path(rs->paths[i].path)
						     : ol_json_new_number(rs->ports[i].port));
		}
		if (r == 0 && (distinct[d] & QUIET_BIT))
			r = ol_json_object_set(entry, "quiet", ol_json_new(OL_JSON_TRUE));
	}
	return r;
}

/* The one ruleset entry: the handled sets, then the quiet ones. */
static int set_ruleset(struct ol_json *obj, const struct ol_ruleset *rs)
{
	int r = set_rights(obj, "handledAccessFs", OL_RIGHT_FS, rs->handled_fs);

	if (r == 0)
		r = set_rights(obj, "handledAccessNet", OL_RIGHT_NET, rs->handled_net);
	if (r == 0)
		r = set_rights(obj, "scoped", OL_RIGHT_SCOPE, rs->scoped);
	if (r == 0)
		r = set_rights(obj, "quietAccessFs", OL_RIGHT_FS, ol_ruleset_quiet_fs(rs));
	if (r == 0)
		r = set_rights(obj, "quietAccessNet", OL_RIGHT_NET, ol_ruleset_quiet_net(rs));
	if (r == 0)
		r = set_rights(obj, "quietScoped", OL_RIGHT_SCOPE, rs->quiet_scoped);
	return r;
}

int ol_ruleset_print(const struct ol_ruleset *rs, enum ol_json_style style, char **out,
		     size_t *out_len, struct ol_error *err)
{
	cleanup_json struct ol_json *root = ol_json_new(OL_JSON_OBJECT);
	struct ol_json *handled = NULL;
	int r = root ? 0 : -ENOMEM;

	if (r == 0 && !ol_ruleset_is_empty(rs)) {
		struct ol_json *list = ol_json_new(OL_JSON_ARRAY);
		handled = ol_json_new(OL_JSON_OBJECT);
		r = ol_json_object_set(root, "ruleset", list);
		if (r == 0)
			r = ol_json_array_push(list, handled);
		else
			ol_json_free(handled);
	}
	/* An empty layer (handled is NULL) has no quiet rights either. */
	if (r == 0 && handled)
		r = set_ruleset(handled, rs);
	if (r == 0 && rs->n_paths)
		r = set_rules(root, rs, true);
	if (r == 0 && rs->n_ports)
		r = set_rules(root, rs, false);
	if (r < 0)
		return ol_error_oom(err);
	return ol_json_emit(root, style, out, out_len, err);
}
