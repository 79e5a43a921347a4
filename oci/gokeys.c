/* SPDX-License-Identifier: Apache-2.0 */
/* Object keys as Go's encoding/json matches them to struct fields. */
#include "gokeys.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "common/buf.h"
#include "common/cleanup.h"

/* The fields oci-landlock reads, in config.json, process.json or the state. */
static const char *const fields[] = {
	"annotations", "args",	"bundle",     "createRuntime",
	"destination", "linux", "namespaces", "env",
	"hooks",       "id",	"mounts",     "noNewPrivileges",
	"options",     "path",	"pid",	      "prestart",
	"process",     "root",	"source",     "status",
	"type",
};

/* Members whose value Go decodes as a map: their keys are data. */
static const char *const maps[] = { "annotations", "sysctl", "unified" };

/*
 * The key as Go matches it against an ASCII field name: lower case, with
 * U+017F for "s" and U+212A for "k".  *out is NULL when the key holds
 * another non-ASCII rune: it can then match no field, and only an exact
 * duplicate, which the parser refused already, is the same key.
 */
static int fold(const char *key, size_t len, char **out)
{
	char *f = malloc(len + 1);
	size_t o = 0;

	*out = NULL;
	if (!f)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char) key[i];
		if (c < 0x80) {
			f[o++] = (char) (c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
		} else if (i + 1 < len && c == 0xc5 && (unsigned char) key[i + 1] == 0xbf) {
			f[o++] = 's';
			i += 1;
		} else if (i + 2 < len && c == 0xe2 && (unsigned char) key[i + 1] == 0x84 &&
			   (unsigned char) key[i + 2] == 0xaa) {
			f[o++] = 'k';
			i += 2;
		} else {
			free(f);
			return 0;
		}
	}
	f[o] = '\0';
	*out = f;
	return 0;
}

struct folded {
	char *key; /* folded, or NULL */
	size_t index;
};

static int compare(const void *a, const void *b)
{
	const struct folded *x = a, *y = b;
	int c = strcmp(x->key ? x->key : "", y->key ? y->key : "");

	return c ? c : (x->index > y->index) - (x->index < y->index);
}

static bool is_map(const char *key)
{
	for (size_t i = 0; i < sizeof(maps) / sizeof(maps[0]); i++)
		if (strcmp(key, maps[i]) == 0)
			return true;
	return false;
}

static const char *field_of(const char *folded)
{
	for (size_t i = 0; folded && i < sizeof(fields) / sizeof(fields[0]); i++)
		if (strcasecmp(folded, fields[i]) == 0)
			return fields[i];
	return NULL;
}

static int refuse(struct ol_buf *path, const char *what, struct ol_error *err)
{
	ol_error_set(err, EINVAL, "%s: %s", path->len ? path->data : "top level", what);
	return ol_error_hint(err,
			     "runtimes read config.json in their own ways (Go matches keys without "
			     "regard to case and keeps the last; crun's C reader stops at a NUL): "
			     "write each key once, as the runtime-spec spells it");
}

/* Two keys Go reads as one, or a field we read under another spelling. */
static int check_folded(const struct ol_json *obj, struct folded *f, struct ol_buf *path,
			struct ol_error *err)
{
	size_t n = obj->u.obj.len;
	char what[512];

	qsort(f, n, sizeof(*f), compare);
	for (size_t i = 1; i < n; i++)
		if (f[i].key && f[i - 1].key && strcmp(f[i].key, f[i - 1].key) == 0) {
			snprintf(what, sizeof(what),
				 "keys \"%.200s\" and \"%.200s\" are the same key to the runtime",
				 obj->u.obj.items[f[i - 1].index].key,
				 obj->u.obj.items[f[i].index].key);
			return refuse(path, what, err);
		}
	for (size_t i = 0; i < n; i++) {
		const char *key = obj->u.obj.items[f[i].index].key;
		const char *field = field_of(f[i].key);
		if (field && strcmp(key, field) != 0) {
			snprintf(what, sizeof(what),
				 "key \"%.200s\" is \"%s\" to the runtime: write it \"%s\"", key,
				 field, field);
			return refuse(path, what, err);
		}
	}
	return 0;
}

static int check_members(const struct ol_json *obj, struct ol_buf *path, struct ol_error *err)
{
	size_t n = obj->u.obj.len;
	struct folded *f = calloc(n ? n : 1, sizeof(*f));
	int r = f ? 0 : -ENOMEM;

	for (size_t i = 0; i < n && r == 0; i++) {
		f[i].index = i;
		r = fold(obj->u.obj.items[i].key, obj->u.obj.items[i].key_len, &f[i].key);
	}
	if (r < 0)
		r = ol_error_oom(err);
	else
		r = check_folded(obj, f, path, err);
	for (size_t i = 0; f && i < n; i++)
		free(f[i].key);
	free(f);
	return r;
}

static void truncate_path(struct ol_buf *path, size_t mark)
{
	path->len = mark;
	if (path->data)
		path->data[mark] = '\0';
}

/*
 * crun reads config.json with a C parser that keeps keys and strings as C
 * strings: "args\u0000x" is "args" there, "/bin/sh\u0000x" is "/bin/sh".
 * Such a document means one thing to crun and another to us (and to Go),
 * so no key and no string may hold a NUL, in maps as anywhere else.
 */
static int nul_inside(const char *s, size_t len, const char *what, struct ol_buf *path,
		      struct ol_error *err)
{
	char msg[256];

	if (!memchr(s, '\0', len))
		return 0;
	snprintf(msg, sizeof(msg), "%s \"%.100s\" holds a NUL byte, where a C reader stops", what,
		 s);
	return refuse(path, msg, err);
}

/* map: j is an object Go decodes as a map (its keys are data). */
static int walk(const struct ol_json *j, bool map, struct ol_buf *path, struct ol_error *err)
{
	size_t mark = path->len;
	int r = 0;

	if (j->type == OL_JSON_STRING)
		return nul_inside(j->u.str.ptr, j->u.str.len, "a string", path, err);
	if (j->type == OL_JSON_ARRAY) {
		for (size_t i = 0; i < j->u.arr.len && r == 0; i++) {
			char index[32];
			snprintf(index, sizeof(index), "[%zu]", i);
			if (ol_buf_puts(path, index) < 0)
				return ol_error_oom(err);
			r = walk(j->u.arr.items[i], false, path, err);
			truncate_path(path, mark);
		}
		return r;
	}
	if (j->type != OL_JSON_OBJECT)
		return 0;
	for (size_t i = 0; i < j->u.obj.len && r == 0; i++)
		r = nul_inside(j->u.obj.items[i].key, j->u.obj.items[i].key_len, "the key", path,
			       err);
	if (r == 0 && !map)
		r = check_members(j, path, err);
	for (size_t i = 0; i < j->u.obj.len && r == 0; i++) {
		const struct ol_json_member *m = &j->u.obj.items[i];
		ol_json_path_key(path, m->key, m->key_len);
		if (!path->data)
			return ol_error_oom(err);
		r = walk(m->value, !map && is_map(m->key), path, err);
		truncate_path(path, mark);
	}
	return r;
}

int ol_go_keys_check(const struct ol_json *root, struct ol_error *err)
{
	cleanup_buf struct ol_buf path = { 0 };

	return walk(root, false, &path, err);
}
