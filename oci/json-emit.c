/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Serialising a JSON tree with yajl's generator.
 *
 * Numbers are written back as the exact text they were parsed from; strings
 * are re-validated as UTF-8 so a tree edited by the program can never turn
 * into a document that another parser would read differently.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <yajl/yajl_gen.h>

#include "json.h"

static const char *gen_status_text(yajl_gen_status st)
{
	switch (st) {
	case yajl_gen_invalid_string:
		return "a string is not valid UTF-8";
	case yajl_max_depth_exceeded:
		return "the document is nested too deeply to write";
	case yajl_gen_invalid_number:
		return "a number is not valid";
	default:
		return "cannot write JSON";
	}
}

static yajl_gen_status emit_node(yajl_gen g, const struct ol_json *j)
{
	yajl_gen_status st = yajl_gen_status_ok;

	switch (j->type) {
	case OL_JSON_NULL:
		return yajl_gen_null(g);
	case OL_JSON_FALSE:
	case OL_JSON_TRUE:
		return yajl_gen_bool(g, j->type == OL_JSON_TRUE);
	case OL_JSON_NUMBER:
		return yajl_gen_number(g, j->u.str.ptr, j->u.str.len);
	case OL_JSON_STRING:
		return yajl_gen_string(g, (const unsigned char *) j->u.str.ptr, j->u.str.len);
	case OL_JSON_ARRAY:
		st = yajl_gen_array_open(g);
		for (size_t i = 0; st == yajl_gen_status_ok && i < j->u.arr.len; i++)
			st = emit_node(g, j->u.arr.items[i]);
		return st == yajl_gen_status_ok ? yajl_gen_array_close(g) : st;
	case OL_JSON_OBJECT:
		st = yajl_gen_map_open(g);
		for (size_t i = 0; st == yajl_gen_status_ok && i < j->u.obj.len; i++) {
			const struct ol_json_member *m = &j->u.obj.items[i];
			st = yajl_gen_string(g, (const unsigned char *) m->key, m->key_len);
			if (st == yajl_gen_status_ok)
				st = emit_node(g, m->value);
		}
		return st == yajl_gen_status_ok ? yajl_gen_map_close(g) : st;
	}
	return yajl_gen_generation_complete;
}

int ol_json_emit(const struct ol_json *j, enum ol_json_style style, char **out, size_t *out_len,
		 struct ol_error *err)
{
	const unsigned char *buf;
	yajl_gen_status st;
	size_t len;
	yajl_gen g;
	char *copy;

	g = yajl_gen_alloc(NULL);
	if (!g)
		return ol_error_oom(err);
	yajl_gen_config(g, yajl_gen_validate_utf8, 1);
	if (style == OL_JSON_PRETTY) {
		yajl_gen_config(g, yajl_gen_beautify, 1);
		yajl_gen_config(g, yajl_gen_indent_string, "  ");
	}
	st = emit_node(g, j);
	if (st != yajl_gen_status_ok) {
		yajl_gen_free(g);
		return ol_error_set(err, EINVAL, "%s", gen_status_text(st));
	}
	yajl_gen_get_buf(g, &buf, &len);
	copy = malloc(len + 1);
	if (!copy) {
		yajl_gen_free(g);
		return ol_error_oom(err);
	}
	memcpy(copy, buf, len);
	copy[len] = '\0';
	yajl_gen_free(g);
	*out = copy;
	if (out_len)
		*out_len = len;
	return 0;
}
