/* SPDX-License-Identifier: Apache-2.0 */
/* Learning mode: a recording, in memory and as JSON. */
#include "learn.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "oci/json.h"
#include "policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"
#include "sandbox/socket-filter.h"

int ol_recording_init(struct ol_recording *rec)
{
	memset(rec, 0, sizeof(*rec));
	rec->version = OL_RECORDING_VERSION;
	return ol_ruleset_init(&rec->used, "recording");
}

void ol_recording_free(struct ol_recording *rec)
{
	ol_ruleset_free(&rec->used);
	ol_strv_free(&rec->created);
	ol_strv_free(&rec->moved_from);
	ol_strv_free(&rec->moved_to);
	memset(rec, 0, sizeof(*rec));
}

int ol_recording_add_path(struct ol_recording *rec, const char *path, uint64_t access)
{
	int r = ol_ruleset_add_path(&rec->used, path, access);

	/* A workload opens the same files again and again: merge as the list
	 * grows, so memory follows the distinct paths, not the calls. */
	if (r == 0 && rec->used.n_paths >= 2 * rec->normalized + 1024) {
		ol_ruleset_normalize(&rec->used);
		rec->normalized = rec->used.n_paths;
	}
	return r;
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* Sorted, each once. */
static void unique_created(struct ol_strv *v)
{
	size_t o = 0;

	if (v->n > 1)
		qsort(v->v, v->n, sizeof(char *), compare_strings);
	for (size_t i = 0; i < v->n; i++)
		if (o > 0 && strcmp(v->v[o - 1], v->v[i]) == 0)
			free(v->v[i]);
		else
			v->v[o++] = v->v[i];
	v->n = o;
	if (v->v)
		v->v[o] = NULL;
}

struct move_ref {
	const char *from, *to;
	size_t at;
};

static int compare_moves(const void *a, const void *b)
{
	const struct move_ref *x = a, *y = b;
	int c = strcmp(x->from, y->from);

	if (c == 0)
		c = strcmp(x->to, y->to);
	return c ? c : (x->at > y->at) - (x->at < y->at);
}

/* Each pair once, the first of each kept where it was. */
static int unique_moves(struct ol_recording *rec)
{
	size_t n = rec->moved_from.n, o = 0;
	cleanup_free struct move_ref *refs = n > 1 ? calloc(n, sizeof(*refs)) : NULL;
	cleanup_free bool *dup = n > 1 ? calloc(n, sizeof(*dup)) : NULL;

	if (n < 2)
		return 0;
	if (!refs || !dup)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		refs[i] = (struct move_ref){ rec->moved_from.v[i], rec->moved_to.v[i], i };
	qsort(refs, n, sizeof(*refs), compare_moves);
	for (size_t i = 1; i < n; i++)
		dup[refs[i].at] = strcmp(refs[i].from, refs[i - 1].from) == 0 &&
				  strcmp(refs[i].to, refs[i - 1].to) == 0;
	for (size_t i = 0; i < n; i++) {
		if (dup[i]) {
			free(rec->moved_from.v[i]);
			free(rec->moved_to.v[i]);
			continue;
		}
		rec->moved_from.v[o] = rec->moved_from.v[i];
		rec->moved_to.v[o++] = rec->moved_to.v[i];
	}
	rec->moved_from.n = rec->moved_to.n = o;
	rec->moved_from.v[o] = rec->moved_to.v[o] = NULL;
	return 0;
}

int ol_recording_tidy(struct ol_recording *rec)
{
	ol_ruleset_normalize(&rec->used);
	rec->normalized = rec->used.n_paths;
	unique_created(&rec->created);
	rec->tidy_created = rec->created.n;
	rec->tidy_moves = rec->moved_from.n;
	return unique_moves(rec);
}

/* A workload creates and moves the same names again and again: tidied as
 * the lists grow (not searched on every add, which would be quadratic). */
int ol_recording_add_created(struct ol_recording *rec, const char *dir)
{
	if (ol_strv_push(&rec->created, dir) < 0)
		return -ENOMEM;
	if (rec->created.n >= 2 * rec->tidy_created + 1024) {
		unique_created(&rec->created);
		rec->tidy_created = rec->created.n;
	}
	return 0;
}

int ol_recording_add_move(struct ol_recording *rec, const char *from_dir, const char *to_dir)
{
	if (ol_strv_push(&rec->moved_from, from_dir) < 0)
		return -ENOMEM;
	if (ol_strv_push(&rec->moved_to, to_dir) < 0) {
		free(rec->moved_from.v[--rec->moved_from.n]);
		rec->moved_from.v[rec->moved_from.n] = NULL;
		return -ENOMEM;
	}
	if (rec->moved_from.n >= 2 * rec->tidy_moves + 1024) {
		if (unique_moves(rec) < 0)
			return -ENOMEM;
		rec->tidy_moves = rec->moved_from.n;
	}
	return 0;
}

/* ---- writing ------------------------------------------------------------- */

static int push_paths(struct ol_json *root, const struct ol_ruleset *used)
{
	struct ol_json *list = ol_json_new(OL_JSON_ARRAY);
	int r = ol_json_object_set(root, "paths", list);

	for (size_t i = 0; r == 0 && i < used->n_paths; i++) {
		struct ol_json *entry = ol_json_new(OL_JSON_OBJECT);
		r = ol_json_array_push(list, entry);
		if (r == 0)
			r = ol_json_object_set(entry, "path",
					       ol_json_new_string(used->paths[i].path));
		if (r == 0)
			r = ol_json_object_set(entry, "access",
					       ol_rights_json(OL_RIGHT_FS, used->paths[i].access));
	}
	return r;
}

static int push_ports(struct ol_json *root, const char *key, const struct ol_ruleset *used,
		      uint64_t access)
{
	struct ol_json *list = ol_json_new(OL_JSON_ARRAY);
	int r = ol_json_object_set(root, key, list);

	for (size_t i = 0; r == 0 && i < used->n_ports; i++)
		if (used->ports[i].access & access)
			r = ol_json_array_push(list, ol_json_new_number(used->ports[i].port));
	return r;
}

static int push_strings(struct ol_json *root, const char *key, const char *const *v, size_t n)
{
	struct ol_json *list = ol_json_new(OL_JSON_ARRAY);
	int r = ol_json_object_set(root, key, list);

	for (size_t i = 0; r == 0 && i < n; i++)
		r = ol_json_array_push(list, ol_json_new_string(v[i]));
	return r;
}

static int push_moves(struct ol_json *root, const struct ol_recording *rec)
{
	struct ol_json *list = ol_json_new(OL_JSON_ARRAY);
	int r = ol_json_object_set(root, "moves", list);

	for (size_t i = 0; r == 0 && i < rec->moved_from.n; i++) {
		const char *pair[] = { rec->moved_from.v[i], rec->moved_to.v[i] };
		struct ol_json *entry = ol_json_new(OL_JSON_ARRAY);
		r = ol_json_array_push(list, entry);
		for (size_t k = 0; r == 0 && k < 2; k++)
			r = ol_json_array_push(entry, ol_json_new_string(pair[k]));
	}
	return r;
}

int ol_recording_write(struct ol_recording *rec, bool complete, char **out, size_t *out_len,
		       struct ol_error *err)
{
	cleanup_json struct ol_json *root = ol_json_new(OL_JSON_OBJECT);
	const char *kinds[32];
	size_t n_kinds = 0;
	int r;

	if (ol_recording_tidy(rec) < 0)
		return ol_error_oom(err);
	for (size_t i = 0; i < ol_socket_kinds_count && n_kinds < OL_ARRAY_SIZE(kinds); i++)
		if (rec->sockets & ol_socket_kinds[i].bit)
			kinds[n_kinds++] = ol_socket_kinds[i].name;
	/* A version 1 recording (read back) stays one: it observed no UDP. */
	r = root ? ol_json_object_set(root, "recording",
				      ol_json_new_number((uint64_t) rec->version))
		 : -ENOMEM;
	if (r == 0)
		r = ol_json_object_set(root, "complete",
				       ol_json_new(complete ? OL_JSON_TRUE : OL_JSON_FALSE));
	if (r == 0)
		r = push_paths(root, &rec->used);
	if (r == 0)
		r = push_strings(root, "created", (const char *const *) rec->created.v,
				 rec->created.n);
	if (r == 0)
		r = push_moves(root, rec);
	if (r == 0)
		r = push_ports(root, "bind_tcp", &rec->used, OL_LL_ACCESS_NET_BIND_TCP);
	if (r == 0)
		r = push_ports(root, "connect_tcp", &rec->used, OL_LL_ACCESS_NET_CONNECT_TCP);
	if (r == 0 && rec->version >= 2)
		r = push_ports(root, "bind_udp", &rec->used, OL_LL_ACCESS_NET_BIND_UDP);
	if (r == 0 && rec->version >= 2)
		r = push_ports(root, "connect_send_udp", &rec->used,
			       OL_LL_ACCESS_NET_CONNECT_SEND_UDP);
	if (r == 0)
		r = push_strings(root, "sockets", kinds, n_kinds);
	if (r == 0)
		r = ol_json_object_set(root, "outside",
				       ol_rights_json(OL_RIGHT_SCOPE, rec->outside));
	if (r < 0)
		return ol_error_oom(err);
	return ol_json_emit(root, OL_JSON_PRETTY, out, out_len, err);
}

/* ---- reading ------------------------------------------------------------- */

static const struct ol_json *array_of(const struct ol_json *root, const char *key,
				      struct ol_error *err)
{
	const struct ol_json *list = ol_json_get(root, key);

	if (!list) {
		ol_error_set(err, EINVAL, "%s: missing", key);
		return NULL;
	}
	if (list->type != OL_JSON_ARRAY) {
		ol_error_set(err, EINVAL, "%s: expected an array", key);
		return NULL;
	}
	return list;
}

static int string_at(const struct ol_json *list, const char *key, size_t i, const char **out,
		     struct ol_error *err)
{
	*out = ol_json_cstr(list->u.arr.items[i]);
	if (!*out || !**out)
		return ol_error_set(err, EINVAL, "%s[%zu]: expected a non-empty string", key, i);
	return 0;
}

/*
 * The launcher writes resolved paths.  The recording is untrusted (the
 * workload could write to it): a "." or ".." component or an empty one
 * would make a rule that means another directory than it reads, such as
 * "/srv/app/../.." for "/".  A final "/" is kept (DIR/: the files in DIR).
 */
static int plain_path(const char *path, const char *where, size_t i, struct ol_error *err)
{
	for (const char *p = path; path[0] == '/' && *p;) {
		const char *end = strchrnul(++p, '/');
		size_t n = (size_t) (end - p);
		if ((n == 0 && *end) || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			break;
		p = end;
		if (!*p)
			return 0;
	}
	if (strcmp(path, "/") == 0)
		return 0;
	return ol_error_set(err, EINVAL,
			    "%s[%zu]: '%s' is not an absolute path without '.', '..' or empty "
			    "components",
			    where, i, path);
}

static int parse_rights(const struct ol_json *list, enum ol_right_kind kind, const char *where,
			int version, uint64_t *mask, struct ol_error *err)
{
	if (!list || list->type != OL_JSON_ARRAY)
		return ol_error_set(err, EINVAL, "%s: expected an array of rights", where);
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const char *name = ol_json_cstr(list->u.arr.items[i]);
		const struct ol_right *right = name ? ol_right_lookup(kind, name) : NULL;
		if (!right)
			return ol_error_set(err, EINVAL, "%s[%zu]: unknown %s '%s'", where, i,
					    ol_right_kind_noun(kind),
					    name ? name : "(not a string)");
		if (version < 2 && kind == OL_RIGHT_FS && (right->bit & OL_RECORDING_V2_FS))
			return ol_error_set(err, EINVAL,
					    "%s[%zu]: '%s' is recorded from version 2 on, not in "
					    "a recording of version %d",
					    where, i, name, version);
		*mask |= right->bit;
	}
	return 0;
}

static int parse_paths(const struct ol_json *root, int version, struct ol_recording *rec,
		       struct ol_error *err)
{
	const struct ol_json *list = array_of(root, "paths", err);

	if (!list)
		return -err->code;
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const struct ol_json *e = list->u.arr.items[i];
		const char *path = ol_json_cstr(ol_json_get(e, "path"));
		char where[64];
		uint64_t access = 0;

		snprintf(where, sizeof(where), "paths[%zu].access", i);
		if (!e || e->type != OL_JSON_OBJECT || e->u.obj.len != 2 || !path || path[0] != '/')
			return ol_error_set(err, EINVAL,
					    "paths[%zu]: expected {\"path\": an absolute path, "
					    "\"access\": [rights]}",
					    i);
		if (plain_path(path, "paths", i, err) < 0 ||
		    parse_rights(ol_json_get(e, "access"), OL_RIGHT_FS, where, version, &access,
				 err) < 0)
			return -err->code;
		if (ol_recording_add_path(rec, path, access) < 0)
			return ol_error_oom(err);
	}
	return 0;
}

static int parse_ports(const struct ol_json *root, const char *key, uint64_t access,
		       struct ol_recording *rec, struct ol_error *err)
{
	const struct ol_json *list = array_of(root, key, err);

	if (!list)
		return -err->code;
	for (size_t i = 0; i < list->u.arr.len; i++) {
		uint64_t port;
		if (ol_json_uint(list->u.arr.items[i], 65535, &port) < 0)
			return ol_error_set(err, EINVAL, "%s[%zu]: expected a port (0 to 65535)",
					    key, i);
		if (ol_ruleset_add_port(&rec->used, port, access) < 0)
			return ol_error_oom(err);
	}
	return 0;
}

/* The keys of each version: version 2 adds the last two. */
static const char *const known_keys[] = { "recording", "complete", "paths",	      "created",
					  "moves",     "bind_tcp", "connect_tcp",     "sockets",
					  "outside",   "bind_udp", "connect_send_udp" };
#define KEYS_VERSION_1 9

/* "moves": [[FROM, TO], ...]; absent from older recordings. */
static int parse_moves(const struct ol_json *root, struct ol_recording *rec, struct ol_error *err)
{
	const struct ol_json *list = ol_json_get(root, "moves");

	if (!list)
		return 0;
	if (list->type != OL_JSON_ARRAY)
		return ol_error_set(err, EINVAL, "moves: expected an array");
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const struct ol_json *e = list->u.arr.items[i];
		const char *from = NULL, *to = NULL;
		if (e && e->type == OL_JSON_ARRAY && e->u.arr.len == 2) {
			from = ol_json_cstr(e->u.arr.items[0]);
			to = ol_json_cstr(e->u.arr.items[1]);
		}
		if (!from || !to)
			return ol_error_set(err, EINVAL,
					    "moves[%zu]: expected [the directory moved from, the "
					    "one moved to]",
					    i);
		if (plain_path(from, "moves", i, err) < 0 || plain_path(to, "moves", i, err) < 0)
			return -err->code;
		if (ol_recording_add_move(rec, from, to) < 0)
			return ol_error_oom(err);
	}
	return 0;
}

static int check_keys(const struct ol_json *root, int version, struct ol_error *err)
{
	for (size_t i = 0; i < root->u.obj.len; i++) {
		const char *key = root->u.obj.items[i].key;
		size_t k = 0;
		while (k < OL_ARRAY_SIZE(known_keys) && strcmp(known_keys[k], key) != 0)
			k++;
		if (k == OL_ARRAY_SIZE(known_keys))
			return ol_error_set(err, EINVAL, "unknown key '%s'", key);
		if (version < 2 && k >= KEYS_VERSION_1)
			return ol_error_set(err, EINVAL,
					    "%s: recorded from version 2 on, not in a recording "
					    "of version %d",
					    key, version);
	}
	return 0;
}

/* "recording": the version, 1 to OL_RECORDING_VERSION. */
static int parse_version(const struct ol_json *root, int *version, struct ol_error *err)
{
	uint64_t v;

	if (ol_json_uint(ol_json_get(root, "recording"), UINT32_MAX, &v) < 0 || v == 0) {
		ol_error_set(err, EINVAL, "not an oci-landlock recording (\"recording\": 1 to %d)",
			     OL_RECORDING_VERSION);
		return ol_error_hint(err, "record one with oci-landlock-exec --learn FILE");
	}
	if (v > OL_RECORDING_VERSION) {
		ol_error_set(err, EINVAL,
			     "a recording of version %llu, newer than this oci-landlock reads (1 "
			     "to %d)",
			     (unsigned long long) v, OL_RECORDING_VERSION);
		return ol_error_hint(err, "generate the policy with the oci-landlock whose "
					  "launcher recorded it, or a newer one");
	}
	*version = (int) v;
	return 0;
}

int ol_recording_parse(const char *text, size_t len, struct ol_recording *rec, struct ol_error *err)
{
	cleanup_json struct ol_json *root = NULL;
	const struct ol_json *list;
	int version = 0;

	if (ol_json_parse(text, len, &ol_json_config_limits, &root, err) < 0)
		return -err->code;
	if (root->type != OL_JSON_OBJECT)
		return ol_error_set(err, EINVAL, "expected an object");
	if (parse_version(root, &version, err) < 0)
		return -err->code;
	if (version < rec->version)
		rec->version = version;
	/* "complete": false, saved while the workload ran; absent from older ones. */
	list = ol_json_get(root, "complete");
	if (list && list->type != OL_JSON_TRUE && list->type != OL_JSON_FALSE)
		return ol_error_set(err, EINVAL, "complete: expected true or false");
	if (list && list->type == OL_JSON_FALSE)
		rec->incomplete = true;
	if (check_keys(root, version, err) < 0 || parse_paths(root, version, rec, err) < 0 ||
	    parse_moves(root, rec, err) < 0 ||
	    parse_ports(root, "bind_tcp", OL_LL_ACCESS_NET_BIND_TCP, rec, err) < 0 ||
	    parse_ports(root, "connect_tcp", OL_LL_ACCESS_NET_CONNECT_TCP, rec, err) < 0 ||
	    (version >= 2 &&
	     (parse_ports(root, "bind_udp", OL_LL_ACCESS_NET_BIND_UDP, rec, err) < 0 ||
	      parse_ports(root, "connect_send_udp", OL_LL_ACCESS_NET_CONNECT_SEND_UDP, rec, err) <
		      0)) ||
	    parse_rights(ol_json_get(root, "outside"), OL_RIGHT_SCOPE, "outside", version,
			 &rec->outside, err) < 0)
		return -err->code;
	if (!(list = array_of(root, "created", err)))
		return -err->code;
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const char *dir;
		if (string_at(list, "created", i, &dir, err) < 0 ||
		    plain_path(dir, "created", i, err) < 0)
			return -err->code;
		if (ol_recording_add_created(rec, dir) < 0)
			return ol_error_oom(err);
	}
	if (!(list = array_of(root, "sockets", err)))
		return -err->code;
	for (size_t i = 0; i < list->u.arr.len; i++) {
		const char *name;
		uint32_t kinds;
		if (string_at(list, "sockets", i, &name, err) < 0)
			return -err->code;
		if (ol_socket_kinds_parse(name, &kinds, err) < 0)
			return ol_error_prefix(err, "sockets[%zu]", i);
		rec->sockets |= kinds;
	}
	return 0;
}
