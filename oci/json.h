/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bounded JSON document tree.
 *
 * This is the only interface to JSON in the project; json.c and
 * json-emit.c are the only files that call yajl, so the parser could be
 * swapped without touching any caller.
 *
 * What the parser guarantees (docs/security.md):
 *  - the size cap is checked before parsing and the depth cap while parsing,
 *    so a hostile document never builds a deep or huge tree;
 *  - duplicate object keys, comments, trailing data and invalid UTF-8 are
 *    errors (yajl keeps the first of two equal keys, Go the last: a config
 *    the hook and the engine read differently must not exist);
 *  - numbers keep the exact text they were written with, so 64-bit masks
 *    and huge limits round-trip unchanged;
 *  - objects keep every member in document order.
 * Errors name the JSON path of the failure, e.g. `pathBeneath[2].parent`.
 */
#ifndef OL_OCI_JSON_H
#define OL_OCI_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/buf.h"
#include "common/error.h"

enum ol_json_type {
	OL_JSON_NULL,
	OL_JSON_FALSE,
	OL_JSON_TRUE,
	OL_JSON_NUMBER,
	OL_JSON_STRING,
	OL_JSON_ARRAY,
	OL_JSON_OBJECT,
};

struct ol_json;

struct ol_json_member {
	char *key; /* NUL-terminated; may also contain NUL (see key_len) */
	size_t key_len;
	struct ol_json *value;
};

struct ol_json {
	enum ol_json_type type;
	union {
		/* OL_JSON_STRING: decoded bytes; OL_JSON_NUMBER: text as written */
		struct {
			char *ptr; /* NUL-terminated */
			size_t len;
		} str;
		struct {
			struct ol_json **items;
			size_t len;
			size_t cap;
		} arr;
		struct {
			struct ol_json_member *items;
			size_t len;
			size_t cap;
		} obj;
	} u;
};

struct ol_json_limits {
	size_t max_bytes;   /* document size */
	unsigned max_depth; /* nesting of arrays and objects; top level is 1 */
};

/* Limits for policies (small documents) and OCI configs (up to 64 MiB). */
extern const struct ol_json_limits ol_json_policy_limits;
extern const struct ol_json_limits ol_json_config_limits;

int ol_json_parse(const char *text, size_t len, const struct ol_json_limits *limits,
		  struct ol_json **out, struct ol_error *err);
void ol_json_free(struct ol_json *j);

static inline void ol_json_freep(struct ol_json **j)
{
	ol_json_free(*j);
}

#define cleanup_json __attribute__((__cleanup__(ol_json_freep)))

/* "object", "array", "string", "number", "true", "false" or "null". */
const char *ol_json_type_name(enum ol_json_type type);

/* The member named key of an object, or NULL (also when j is no object). */
struct ol_json *ol_json_get(const struct ol_json *obj, const char *key);

/* The string of a string node (NULL otherwise), without embedded NULs. */
const char *ol_json_cstr(const struct ol_json *j);

/*
 * The value of a number written as a plain non-negative integer (no sign,
 * fraction or exponent).  -EINVAL when it is not, -ERANGE above max.
 */
int ol_json_uint(const struct ol_json *j, uint64_t max, uint64_t *out);

/*
 * Append a member selector to a JSON path being built for a message:
 * `.key`, or `["key"]` when the key is not a plain identifier.
 */
void ol_json_path_key(struct ol_buf *path, const char *key, size_t len);

/* Building and editing.  Constructors return NULL when out of memory. */
struct ol_json *ol_json_new(enum ol_json_type type); /* containers, literals */
struct ol_json *ol_json_new_string(const char *s);
struct ol_json *ol_json_new_number(uint64_t value);

/*
 * Append to an array / set a member of an object (replacing an existing
 * member in place, so key order is kept).  Both take ownership of value,
 * also on failure.  Return 0 or -ENOMEM.
 */
int ol_json_array_push(struct ol_json *arr, struct ol_json *value);
/* Make room for `extra` more items, so that as many pushes cannot fail. */
int ol_json_array_reserve(struct ol_json *arr, size_t extra);
int ol_json_object_set(struct ol_json *obj, const char *key, struct ol_json *value);

/*
 * Serialise.  Compact output of a compact document reproduces it byte for
 * byte, provided its strings hold no escape sequences other than those the
 * emitter itself writes.  Pretty output indents with two spaces.
 */
enum ol_json_style { OL_JSON_COMPACT, OL_JSON_PRETTY };
int ol_json_emit(const struct ol_json *j, enum ol_json_style style, char **out, size_t *out_len,
		 struct ol_error *err);

#endif
