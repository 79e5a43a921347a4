/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Bounded JSON parsing over yajl's event parser, plus the tree accessors.
 *
 * The tree is built from yajl's callbacks rather than with yajl_tree so the
 * depth cap stops a hostile document while it is being read, duplicate keys
 * are caught per object, and numbers are kept as the text yajl lexed.
 */
#include "json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_parse.h>

#include "common/array.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "json-text.h"

const struct ol_json_limits ol_json_policy_limits = {
	.max_bytes = 1 << 20,
	.max_depth = 16,
};

const struct ol_json_limits ol_json_config_limits = {
	.max_bytes = 64 << 20,
	.max_depth = 64,
};

struct builder {
	const struct ol_json_limits *limits;
	struct ol_error *err;
	struct ol_json *root;
	struct ol_json **stack; /* open containers, innermost last */
	size_t depth;
	char *key; /* the key read for the next member of stack[depth-1] */
	size_t key_len;
};

/* ---- tree primitives ---------------------------------------------------- */

struct ol_json *ol_json_new(enum ol_json_type type)
{
	struct ol_json *j = calloc(1, sizeof(*j));

	if (j)
		j->type = type;
	return j;
}

static struct ol_json *new_text(enum ol_json_type type, const char *s, size_t len)
{
	struct ol_json *j = ol_json_new(type);

	if (!j)
		return NULL;
	j->u.str.ptr = malloc(len + 1);
	if (!j->u.str.ptr) {
		free(j);
		return NULL;
	}
	memcpy(j->u.str.ptr, s, len);
	j->u.str.ptr[len] = '\0';
	j->u.str.len = len;
	return j;
}

struct ol_json *ol_json_new_string(const char *s)
{
	return new_text(OL_JSON_STRING, s, strlen(s));
}

struct ol_json *ol_json_new_number(uint64_t value)
{
	char text[24];
	int n = snprintf(text, sizeof(text), "%llu", (unsigned long long) value);

	return new_text(OL_JSON_NUMBER, text, (size_t) n);
}

void ol_json_free(struct ol_json *j)
{
	if (!j)
		return;
	switch (j->type) {
	case OL_JSON_STRING:
	case OL_JSON_NUMBER:
		free(j->u.str.ptr);
		break;
	case OL_JSON_ARRAY:
		/* Recursion is bounded: every tree has a capped depth. */
		for (size_t i = 0; i < j->u.arr.len; i++)
			ol_json_free(j->u.arr.items[i]);
		free(j->u.arr.items);
		break;
	case OL_JSON_OBJECT:
		for (size_t i = 0; i < j->u.obj.len; i++) {
			free(j->u.obj.items[i].key);
			ol_json_free(j->u.obj.items[i].value);
		}
		free(j->u.obj.items);
		break;
	default:
		break;
	}
	free(j);
}

int ol_json_array_reserve(struct ol_json *arr, size_t extra)
{
	size_t need = arr->u.arr.len + extra;

	if (need < arr->u.arr.len)
		return -ENOMEM;
	return OL_ARRAY_RESERVE(arr->u.arr.items, arr->u.arr.cap, need);
}

int ol_json_array_push(struct ol_json *arr, struct ol_json *value)
{
	if (!value)
		return -ENOMEM;
	if (OL_ARRAY_RESERVE(arr->u.arr.items, arr->u.arr.cap, arr->u.arr.len + 1) < 0) {
		ol_json_free(value);
		return -ENOMEM;
	}
	arr->u.arr.items[arr->u.arr.len++] = value;
	return 0;
}

/* Append a member, taking ownership of key and value even on failure. */
static int object_append(struct ol_json *obj, char *key, size_t key_len, struct ol_json *value)
{
	struct ol_json_member *m;

	if (OL_ARRAY_RESERVE(obj->u.obj.items, obj->u.obj.cap, obj->u.obj.len + 1) < 0) {
		free(key);
		ol_json_free(value);
		return -ENOMEM;
	}
	m = &obj->u.obj.items[obj->u.obj.len++];
	m->key = key;
	m->key_len = key_len;
	m->value = value;
	return 0;
}

int ol_json_object_set(struct ol_json *obj, const char *key, struct ol_json *value)
{
	size_t len = strlen(key);
	char *copy;

	if (!value)
		return -ENOMEM;
	for (size_t i = 0; i < obj->u.obj.len; i++) {
		struct ol_json_member *m = &obj->u.obj.items[i];
		if (m->key_len == len && memcmp(m->key, key, len) == 0) {
			ol_json_free(m->value);
			m->value = value;
			return 0;
		}
	}
	copy = strdup(key);
	if (!copy) {
		ol_json_free(value);
		return -ENOMEM;
	}
	return object_append(obj, copy, len, value);
}

/* ---- queries ------------------------------------------------------------- */

const char *ol_json_type_name(enum ol_json_type type)
{
	static const char *const names[] = {
		[OL_JSON_NULL] = "null",     [OL_JSON_FALSE] = "false",	  [OL_JSON_TRUE] = "true",
		[OL_JSON_NUMBER] = "number", [OL_JSON_STRING] = "string", [OL_JSON_ARRAY] = "array",
		[OL_JSON_OBJECT] = "object",
	};

	return names[type];
}

struct ol_json *ol_json_get(const struct ol_json *obj, const char *key)
{
	size_t len = strlen(key);

	if (!obj || obj->type != OL_JSON_OBJECT)
		return NULL;
	for (size_t i = 0; i < obj->u.obj.len; i++) {
		const struct ol_json_member *m = &obj->u.obj.items[i];
		if (m->key_len == len && memcmp(m->key, key, len) == 0)
			return m->value;
	}
	return NULL;
}

const char *ol_json_cstr(const struct ol_json *j)
{
	if (!j || j->type != OL_JSON_STRING)
		return NULL;
	/* A string with an embedded NUL cannot be used as a C string. */
	if (strlen(j->u.str.ptr) != j->u.str.len)
		return NULL;
	return j->u.str.ptr;
}

int ol_json_uint(const struct ol_json *j, uint64_t max, uint64_t *out)
{
	if (!j || j->type != OL_JSON_NUMBER)
		return -EINVAL;
	return ol_parse_uint(j->u.str.ptr, j->u.str.len, max, out);
}

/* ---- parse errors name a JSON path -------------------------------------- */

static bool is_plain_key(const char *key, size_t len)
{
	if (len == 0 || (key[0] >= '0' && key[0] <= '9'))
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = key[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_'))
			return false;
	}
	return true;
}

/* Append `.key`, or `["key"]` when the key is not a plain identifier. */
void ol_json_path_key(struct ol_buf *path, const char *key, size_t len)
{
	if (is_plain_key(key, len)) {
		if (path->len)
			ol_buf_puts(path, ".");
		ol_buf_append(path, key, len);
		return;
	}
	ol_buf_puts(path, "[\"");
	for (size_t i = 0; i < len && i < 200; i++) {
		unsigned char c = (unsigned char) key[i];
		if (c == '"' || c == '\\' || c < 0x20) {
			char esc[8];
			snprintf(esc, sizeof(esc), "\\x%02x", c);
			ol_buf_puts(path, esc);
		} else {
			ol_buf_append(path, &key[i], 1);
		}
	}
	ol_buf_puts(path, "\"]");
}

/*
 * The path of the innermost open container, or of the value being read in
 * it when `inside` is set.  Written into a fixed buffer: this only ever
 * feeds an error message.
 */
static void builder_path(const struct builder *b, bool inside, char *out, size_t size)
{
	cleanup_buf struct ol_buf path = { 0 };
	size_t frames = b->depth;

	for (size_t i = 0; i < frames; i++) {
		const struct ol_json *c = b->stack[i];
		bool last = i + 1 == frames;

		if (last && !inside)
			break;
		if (c->type == OL_JSON_ARRAY) {
			size_t n = c->u.arr.len;
			char idx[32];
			/* The child is the last item, or the one being read. */
			snprintf(idx, sizeof(idx), "[%zu]", last ? n : n - 1);
			ol_buf_puts(&path, idx);
		} else if (last) {
			/* Between members there is no key to name yet. */
			if (b->key)
				ol_json_path_key(&path, b->key, b->key_len);
		} else if (c->u.obj.len) {
			const struct ol_json_member *m = &c->u.obj.items[c->u.obj.len - 1];
			ol_json_path_key(&path, m->key, m->key_len);
		}
	}
	snprintf(out, size, "%s", path.len ? path.data : "top level");
}

static int fail(struct builder *b, bool inside, int code, const char *what)
{
	char path[512];

	builder_path(b, inside, path, sizeof(path));
	ol_error_set(b->err, code, "%s: %s", path, what);
	return 0; /* tells yajl to stop */
}

/* ---- yajl callbacks ------------------------------------------------------ */

static int add_value(struct builder *b, struct ol_json *v)
{
	struct ol_json *top;

	if (!v)
		return fail(b, true, ENOMEM, "out of memory");
	if (b->depth == 0) {
		b->root = v;
		return 1;
	}
	top = b->stack[b->depth - 1];
	if (top->type == OL_JSON_ARRAY)
		return ol_json_array_push(top, v) < 0 ? fail(b, true, ENOMEM, "out of memory") : 1;
	if (object_append(top, steal_pointer(&b->key), b->key_len, v) < 0)
		return fail(b, false, ENOMEM, "out of memory");
	return 1;
}

static int cb_null(void *ctx)
{
	return add_value(ctx, ol_json_new(OL_JSON_NULL));
}

static int cb_boolean(void *ctx, int value)
{
	return add_value(ctx, ol_json_new(value ? OL_JSON_TRUE : OL_JSON_FALSE));
}

static int cb_number(void *ctx, const char *s, size_t len)
{
	return add_value(ctx, new_text(OL_JSON_NUMBER, s, len));
}

static int cb_string(void *ctx, const unsigned char *s, size_t len)
{
	if (!ol_json_valid_utf8(s, len))
		return fail(ctx, true, EINVAL, "a string is not valid UTF-8");
	return add_value(ctx, new_text(OL_JSON_STRING, (const char *) s, len));
}

static int open_container(struct builder *b, enum ol_json_type type)
{
	struct ol_json *c;

	if (b->depth >= b->limits->max_depth) {
		char what[96];
		snprintf(what, sizeof(what), "nesting is deeper than the limit of %u",
			 b->limits->max_depth);
		return fail(b, true, E2BIG, what);
	}
	c = ol_json_new(type);
	if (!add_value(b, c))
		return 0;
	b->stack[b->depth++] = c;
	return 1;
}

static int cb_start_map(void *ctx)
{
	return open_container(ctx, OL_JSON_OBJECT);
}

static int cb_start_array(void *ctx)
{
	return open_container(ctx, OL_JSON_ARRAY);
}

static int cb_map_key(void *ctx, const unsigned char *key, size_t len)
{
	struct builder *b = ctx;

	if (!ol_json_valid_utf8(key, len))
		return fail(b, true, EINVAL, "a key is not valid UTF-8");
	free(b->key);
	b->key = malloc(len + 1);
	if (!b->key)
		return fail(b, false, ENOMEM, "out of memory");
	memcpy(b->key, key, len);
	b->key[len] = '\0';
	b->key_len = len;
	return 1;
}

static int compare_members(const void *a, const void *b)
{
	const struct ol_json_member *x = *(const struct ol_json_member *const *) a;
	const struct ol_json_member *y = *(const struct ol_json_member *const *) b;
	size_t n = x->key_len < y->key_len ? x->key_len : y->key_len;
	int r = memcmp(x->key, y->key, n);

	if (r)
		return r;
	return (x->key_len > y->key_len) - (x->key_len < y->key_len);
}

/*
 * Find a key that appears twice in obj: sort pointers to the members,
 * compare neighbours, O(n log n).  Returns 0 when there is none, 1 with
 * *dup set, or -ENOMEM (then the document is refused: a duplicate must
 * never slip through).
 */
static int find_duplicate(const struct ol_json *obj, const struct ol_json_member **dup)
{
	cleanup_free const struct ol_json_member **sorted = NULL;
	size_t n = obj->u.obj.len;

	if (n < 2)
		return 0;
	sorted = calloc(n, sizeof(*sorted));
	if (!sorted)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++)
		sorted[i] = &obj->u.obj.items[i];
	qsort(sorted, n, sizeof(*sorted), compare_members);
	for (size_t i = 1; i < n; i++) {
		if (compare_members(&sorted[i - 1], &sorted[i]) == 0) {
			*dup = sorted[i];
			return 1;
		}
	}
	return 0;
}

static int cb_end_map(void *ctx)
{
	struct builder *b = ctx;
	const struct ol_json_member *dup = NULL;
	int r = find_duplicate(b->stack[b->depth - 1], &dup);

	if (r < 0)
		return fail(b, false, ENOMEM, "out of memory");
	if (r > 0) {
		char what[300];
		snprintf(what, sizeof(what), "duplicate key \"%.*s\"",
			 (int) (dup->key_len > 200 ? 200 : dup->key_len), dup->key);
		return fail(b, false, EINVAL, what);
	}
	b->depth--;
	return 1;
}

static int cb_end_array(void *ctx)
{
	struct builder *b = ctx;

	b->depth--;
	return 1;
}

static const yajl_callbacks callbacks = {
	.yajl_null = cb_null,
	.yajl_boolean = cb_boolean,
	.yajl_number = cb_number,
	.yajl_string = cb_string,
	.yajl_start_map = cb_start_map,
	.yajl_map_key = cb_map_key,
	.yajl_end_map = cb_end_map,
	.yajl_start_array = cb_start_array,
	.yajl_end_array = cb_end_array,
};

/*
 * yajl's own message ("parse error: trailing garbage"), first line only,
 * with where it happened: yajl's byte count is approximate, hence "near";
 * errors found by yajl_complete_parse() are at the end of the document;
 * one that ends before its value does is ENODATA (a file cut short).
 */
static void syntax_error(struct builder *b, yajl_handle h, const char *text, size_t len,
			 bool at_end)
{
	unsigned char *msg = yajl_get_error(h, 0, (const unsigned char *) text, len);
	char what[256], where[64];
	bool short_input;
	char *nl;

	snprintf(what, sizeof(what), "%s", msg ? (const char *) msg : "invalid JSON");
	if (msg)
		yajl_free_error(h, msg);
	nl = strchr(what, '\n');
	if (nl)
		*nl = '\0';
	if (at_end)
		snprintf(where, sizeof(where), "at the end of the document");
	else
		snprintf(where, sizeof(where), "near byte %zu", yajl_get_bytes_consumed(h));
	/* The JSON path too, when it says more than "top level". */
	/* Cut short: the input ended before the value did. */
	short_input = at_end && (b->depth > 0 || !b->root);
	if (b->depth > 1 || (b->depth == 1 && b->key)) {
		char path[512];
		builder_path(b, true, path, sizeof(path));
		ol_error_set(b->err, short_input ? ENODATA : EINVAL, "invalid JSON %s (in %s): %s",
			     where, path, what);
	} else {
		ol_error_set(b->err, short_input ? ENODATA : EINVAL, "invalid JSON %s: %s", where,
			     what);
	}
}

int ol_json_parse(const char *text, size_t len, const struct ol_json_limits *limits,
		  struct ol_json **out, struct ol_error *err)
{
	struct builder b = { .limits = limits, .err = err };
	yajl_handle h;
	yajl_status st;
	long surrogate;
	bool at_end;
	int ret = 0;

	if (len > limits->max_bytes)
		return ol_error_set(err, E2BIG, "document is %zu bytes, more than the limit of %zu",
				    len, limits->max_bytes);
	if ((surrogate = ol_json_lone_surrogate(text, len)) >= 0)
		return ol_error_set(err, EINVAL,
				    "invalid JSON near byte %ld: a \\u escape of a lone UTF-16 "
				    "surrogate",
				    surrogate + 1);
	b.stack = calloc(limits->max_depth + 1, sizeof(*b.stack));
	h = yajl_alloc(&callbacks, NULL, &b);
	if (!b.stack || !h) {
		free(b.stack);
		if (h)
			yajl_free(h);
		return ol_error_oom(err);
	}
	/* Strict JSON: these are yajl's defaults, made explicit. */
	yajl_config(h, yajl_allow_comments, 0);
	yajl_config(h, yajl_dont_validate_strings, 0);
	yajl_config(h, yajl_allow_trailing_garbage, 0);
	yajl_config(h, yajl_allow_multiple_values, 0);
	yajl_config(h, yajl_allow_partial_values, 0);

	ol_error_clear(err);
	st = yajl_parse(h, (const unsigned char *) text, len);
	at_end = st == yajl_status_ok;
	if (at_end)
		st = yajl_complete_parse(h);
	if (st == yajl_status_error) {
		syntax_error(&b, h, text, len, at_end);
		ret = -err->code;
	} else if (st == yajl_status_client_canceled) {
		ret = -err->code;
	}
	yajl_free(h);
	free(b.stack);
	free(b.key);
	if (ret < 0) {
		ol_json_free(b.root);
		return ret;
	}
	*out = b.root;
	return 0;
}
