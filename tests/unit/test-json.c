/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the bounded JSON layer (oci/json.c, oci/json-emit.c). */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "oci/json.h"

static const struct ol_json_limits small = { .max_bytes = 4096, .max_depth = 4 };

static struct ol_json *parse_ok(const char *text)
{
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;
	int r = ol_json_parse(text, strlen(text), &ol_json_config_limits, &j, &err);

	if (r < 0)
		fail_msg("parse of %s failed: %s", text, err.msg);
	return j;
}

/* Parse must fail with exactly this message. */
static void parse_fails(const char *text, size_t len, const struct ol_json_limits *limits, int code,
			const char *msg)
{
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;
	int r = ol_json_parse(text, len, limits, &j, &err);

	assert_int_equal(r, -code);
	assert_null(j);
	assert_string_equal(err.msg, msg);
}

static char *emit(const struct ol_json *j, enum ol_json_style style)
{
	struct ol_error err = { 0 };
	char *out = NULL;

	assert_int_equal(ol_json_emit(j, style, &out, NULL, &err), 0);
	return out;
}

static void test_types_and_access(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j =
		parse_ok("{\"s\":\"x\",\"n\":42,\"t\":true,\"f\":false,\"z\":null,"
			 "\"a\":[1,2],\"o\":{}}");

	assert_int_equal(j->type, OL_JSON_OBJECT);
	assert_int_equal(j->u.obj.len, 7);
	assert_string_equal(ol_json_cstr(ol_json_get(j, "s")), "x");
	assert_int_equal(ol_json_get(j, "n")->type, OL_JSON_NUMBER);
	assert_int_equal(ol_json_get(j, "t")->type, OL_JSON_TRUE);
	assert_int_equal(ol_json_get(j, "f")->type, OL_JSON_FALSE);
	assert_int_equal(ol_json_get(j, "z")->type, OL_JSON_NULL);
	assert_int_equal(ol_json_get(j, "a")->u.arr.len, 2);
	assert_int_equal(ol_json_get(j, "o")->type, OL_JSON_OBJECT);
	assert_null(ol_json_get(j, "missing"));
	assert_null(ol_json_get(ol_json_get(j, "a"), "s"));
	assert_null(ol_json_cstr(ol_json_get(j, "n")));
	/* Members keep document order. */
	assert_string_equal(j->u.obj.items[0].key, "s");
	assert_string_equal(j->u.obj.items[6].key, "o");
}

static void test_numbers_kept_as_written(void **state)
{
	(void) state;
	static const char *const numbers[] = {
		"18446744073709551615",
		"-9223372036854775808",
		"-0",
		"1.50",
		"1e400",
		"-1.5E-3",
		"0",
		"123456789012345678901234567890",
	};

	for (size_t i = 0; i < OL_ARRAY_SIZE(numbers); i++) {
		char doc[128];
		snprintf(doc, sizeof(doc), "[%s]", numbers[i]);
		cleanup_json struct ol_json *j = parse_ok(doc);
		cleanup_free char *out = emit(j, OL_JSON_COMPACT);
		assert_string_equal(j->u.arr.items[0]->u.str.ptr, numbers[i]);
		assert_string_equal(out, doc);
	}
}

static void test_uint(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j =
		parse_ok("[80,65535,65536,-1,1.0,1e2,18446744073709551615,\"80\"]");
	struct ol_json **it = j->u.arr.items;
	uint64_t v = 0;

	assert_int_equal(ol_json_uint(it[0], 65535, &v), 0);
	assert_int_equal(v, 80);
	assert_int_equal(ol_json_uint(it[1], 65535, &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(ol_json_uint(it[2], 65535, &v), -ERANGE);
	assert_int_equal(ol_json_uint(it[3], 65535, &v), -EINVAL);
	assert_int_equal(ol_json_uint(it[4], 65535, &v), -EINVAL);
	assert_int_equal(ol_json_uint(it[5], 65535, &v), -EINVAL);
	assert_int_equal(ol_json_uint(it[6], UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(ol_json_uint(it[7], 65535, &v), -EINVAL);
}

/* A compact config-like document survives parse + emit byte for byte. */
static void test_round_trip_byte_exact(void **state)
{
	(void) state;
	static const char doc[] =
		"{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"/bin/sh\",\"-c\","
		"\"echo \\\"hi\\\"\\n\\ttab\\\\\"],\"env\":[\"PATH=/usr/bin\","
		"\"LANG=C.UTF-8\",\"GREETING=h\xc3\xa9llo \xe2\x9c\x93 \xf0\x9f\x90\xa7\"],"
		"\"rlimits\":[{\"type\":\"RLIMIT_NOFILE\",\"hard\":1024,\"soft\":1024}]},"
		"\"linux\":{\"resources\":{\"memory\":{\"limit\":9223372036854775807}},"
		"\"seccomp\":{\"syscalls\":[{\"names\":[\"personality\"],\"args\":"
		"[{\"index\":0,\"value\":4294967295,\"valueTwo\":18446744073709551615,"
		"\"op\":\"SCMP_CMP_MASKED_EQ\"}]}]}},\"annotations\":"
		"{\"oci.landlock.fs.ro\":\"/usr:/etc\",\"x-unknown\":{\"nested\":"
		"[null,true,false,[],{}],\"ratio\":0.25,\"neg\":-3}},"
		"\"ctl\":\"\\u0001\\u001F\"}";
	cleanup_json struct ol_json *j = parse_ok(doc);
	cleanup_free char *out = emit(j, OL_JSON_COMPACT);

	assert_string_equal(out, doc);
}

static void test_pretty_parses_back_equal(void **state)
{
	(void) state;
	static const char doc[] = "{\"a\":[1,{\"b\":\"c\"},[]],\"d\":{}}";
	cleanup_json struct ol_json *j = parse_ok(doc);
	cleanup_free char *pretty = emit(j, OL_JSON_PRETTY);
	cleanup_json struct ol_json *back = parse_ok(pretty);
	cleanup_free char *compact = emit(back, OL_JSON_COMPACT);

	assert_non_null(strchr(pretty, '\n'));
	assert_non_null(strstr(pretty, "\n  \"a\": ["));
	assert_string_equal(compact, doc);
}

static void test_size_cap(void **state)
{
	(void) state;
	char *big = malloc(5000);

	memset(big, ' ', 5000);
	big[0] = '[';
	big[4998] = ']';
	big[4999] = '\0';
	parse_fails(big, 4999, &small, E2BIG,
		    "document is 4999 bytes, more than the limit of 4096");
	free(big);
}

static void test_depth_cap(void **state)
{
	(void) state;
	cleanup_json struct ol_json *ok = NULL;
	struct ol_error err = { 0 };

	assert_int_equal(ol_json_parse("[[[{}]]]", 8, &small, &ok, &err), 0);
	parse_fails("[[[[[]]]]]", 10, &small, E2BIG,
		    "[0][0][0][0]: nesting is deeper than the limit of 4");
	parse_fails("{\"a\":{\"b\":[{\"c\":{}}]}}", 22, &small, E2BIG,
		    "a.b[0].c: nesting is deeper than the limit of 4");
}

/* Half a million '[' crash yajl_tree_free; here they stop at the cap. */
static void test_deep_nesting_no_crash(void **state)
{
	(void) state;
	size_t n = 500000;
	char *deep = malloc(n);

	memset(deep, '[', n);
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;
	assert_int_equal(ol_json_parse(deep, n, &ol_json_config_limits, &j, &err), -E2BIG);
	assert_null(j);
	assert_non_null(strstr(err.msg, "nesting is deeper than the limit of 64"));
	free(deep);
}

static void test_duplicate_keys(void **state)
{
	(void) state;
	parse_fails("{\"a\":1,\"a\":2}", 13, &ol_json_config_limits, EINVAL,
		    "top level: duplicate key \"a\"");
	parse_fails("{\"x\":{\"b\":1,\"c\":0,\"b\":2}}", 25, &ol_json_config_limits, EINVAL,
		    "x: duplicate key \"b\"");
	parse_fails("[{},{\"k\":[{\"z\":1,\"z\":1}]}]", 26, &ol_json_config_limits, EINVAL,
		    "[1].k[0]: duplicate key \"z\"");
	/* Same key in different objects is fine. */
	cleanup_json struct ol_json *j = parse_ok("{\"a\":{\"a\":{\"a\":1}},\"b\":{\"a\":2}}");
	assert_non_null(j);
}

static void test_duplicate_among_many_keys(void **state)
{
	(void) state;
	struct ol_buf doc = { 0 };

	ol_buf_puts(&doc, "{");
	for (int i = 0; i < 2000; i++) {
		char item[32];
		snprintf(item, sizeof(item), "%s\"k%d\":%d", i ? "," : "", i, i);
		ol_buf_puts(&doc, item);
	}
	ol_buf_puts(&doc, ",\"k1234\":0}");
	parse_fails(doc.data, doc.len, &ol_json_config_limits, EINVAL,
		    "top level: duplicate key \"k1234\"");
	ol_buf_free(&doc);
}

static void test_comments_and_trailing_data(void **state)
{
	(void) state;
	const struct ol_json_limits *l = &ol_json_config_limits;

	parse_fails("{} x", 4, l, EINVAL,
		    "invalid JSON near byte 4: parse error: trailing garbage");
	parse_fails("{}{}", 4, l, EINVAL,
		    "invalid JSON near byte 3: parse error: trailing garbage");
	parse_fails("01", 2, l, EINVAL,
		    "invalid JSON at the end of the document: parse error: "
		    "trailing garbage");
	parse_fails("[1 /* c */]", 11, l, EINVAL,
		    "invalid JSON near byte 3: lexical error: probable comment "
		    "found in input text, comments are not enabled.");
	parse_fails("{\"a\":1 // c\n}", 13, l, EINVAL,
		    "invalid JSON near byte 7: lexical error: probable comment found "
		    "in input text, comments are not enabled.");
	parse_fails("", 0, l, ENODATA,
		    "invalid JSON at the end of the document: parse error: "
		    "premature EOF");
	parse_fails("{\"a\":[1,", 8, l, ENODATA,
		    "invalid JSON at the end of the document (in a[1]): parse "
		    "error: premature EOF");
	/* Whitespace around the value is not trailing data. */
	cleanup_json struct ol_json *j = parse_ok("  {\"a\":1}\n\t ");
	assert_non_null(j);
}

static void test_strings(void **state)
{
	(void) state;
	const struct ol_json_limits *l = &ol_json_config_limits;

	/* Invalid UTF-8 and raw control characters are refused. */
	parse_fails("[\"\xff\"]", 5, l, EINVAL,
		    "invalid JSON near byte 3: lexical error: invalid bytes in "
		    "UTF8 string.");
	parse_fails("[\"a\nb\"]", 7, l, EINVAL,
		    "invalid JSON near byte 3: lexical error: invalid character "
		    "inside string.");
	/* RFC 3629, stricter than yajl: overlong forms, encoded surrogates and
	 * code points above U+10FFFF are refused, in strings and in keys. */
	static const char *const bad_utf8[] = { "[\"\xc0\xaf\"]", "[\"\xe0\x80\xaf\"]",
						"[\"\xed\xa0\x80\"]", "[\"\xf4\x90\x80\x80\"]",
						"[\"\xf0\x8f\xbf\xbf\"]" };
	for (size_t i = 0; i < OL_ARRAY_SIZE(bad_utf8); i++)
		parse_fails(bad_utf8[i], strlen(bad_utf8[i]), l, EINVAL,
			    "[0]: a string is not valid UTF-8");
	parse_fails("{\"\xc0\xaf\":1}", 9, l, EINVAL, "top level: a key is not valid UTF-8");
	cleanup_json struct ol_json *edge = parse_ok("[\"\xf4\x8f\xbf\xbf\xef\xbf\xbf\"]");
	assert_int_equal(edge->u.arr.items[0]->u.str.len, 7);
	/* A lone surrogate escape would be decoded to '?' by yajl. */
	parse_fails("[\"\\ud800x\"]", 11, l, EINVAL,
		    "invalid JSON near byte 3: a \\u escape of a lone UTF-16 surrogate");
	parse_fails("{\"a\":\"\\udc00\"}", 14, l, EINVAL,
		    "invalid JSON near byte 7: a \\u escape of a lone UTF-16 surrogate");
	cleanup_json struct ol_json *pair = parse_ok("[\"\\ud83d\\udc27\",\"\\\\ud800\"]");
	assert_string_equal(ol_json_cstr(pair->u.arr.items[0]), "\xf0\x9f\x90\xa7");
	assert_string_equal(ol_json_cstr(pair->u.arr.items[1]), "\\ud800");
	/* \u0000 is kept, but cannot become a C string. */
	cleanup_json struct ol_json *j = parse_ok("[\"a\\u0000b\"]");
	assert_int_equal(j->u.arr.items[0]->u.str.len, 3);
	assert_null(ol_json_cstr(j->u.arr.items[0]));
	/* Escapes are decoded. */
	cleanup_json struct ol_json *k = parse_ok("[\"\\u00e9\\/\"]");
	assert_string_equal(ol_json_cstr(k->u.arr.items[0]), "\xc3\xa9/");
}

static void test_error_path_quotes_odd_keys(void **state)
{
	(void) state;
	parse_fails("{\"annotations\":{\"oci.landlock.fs.ro\":[}}", 40, &ol_json_config_limits,
		    EINVAL,
		    "invalid JSON near byte 39 (in annotations[\"oci.landlock.fs.ro\"][0]): "
		    "parse error: unallowed token at this point in JSON text");
}

static void test_build_and_edit(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j = parse_ok("{\"a\":1,\"b\":[\"x\"],\"c\":3}");
	struct ol_error err = { 0 };
	char *out = NULL;

	/* Replacing keeps the member where it was. */
	assert_int_equal(ol_json_object_set(j, "b", ol_json_new_string("y")), 0);
	assert_int_equal(ol_json_object_set(j, "d", ol_json_new_number(65535)), 0);
	/* A failed constructor (NULL) is reported, not stored. */
	assert_int_equal(ol_json_object_set(j, "e", NULL), -ENOMEM);
	assert_null(ol_json_get(j, "e"));
	assert_int_equal(ol_json_emit(j, OL_JSON_COMPACT, &out, NULL, &err), 0);
	assert_string_equal(out, "{\"a\":1,\"b\":\"y\",\"c\":3,\"d\":65535}");
	free(out);
}

static void test_emit_refuses_invalid_utf8(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j = ol_json_new(OL_JSON_ARRAY);
	struct ol_error err = { 0 };
	char *out = NULL;

	assert_int_equal(ol_json_array_push(j, ol_json_new_string("ok\xff")), 0);
	assert_int_equal(ol_json_emit(j, OL_JSON_COMPACT, &out, NULL, &err), -EINVAL);
	assert_null(out);
	assert_string_equal(err.msg, "a string is not valid UTF-8");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_types_and_access),
	cmocka_unit_test(test_numbers_kept_as_written),
	cmocka_unit_test(test_uint),
	cmocka_unit_test(test_round_trip_byte_exact),
	cmocka_unit_test(test_pretty_parses_back_equal),
	cmocka_unit_test(test_size_cap),
	cmocka_unit_test(test_depth_cap),
	cmocka_unit_test(test_deep_nesting_no_crash),
	cmocka_unit_test(test_duplicate_keys),
	cmocka_unit_test(test_duplicate_among_many_keys),
	cmocka_unit_test(test_comments_and_trailing_data),
	cmocka_unit_test(test_strings),
	cmocka_unit_test(test_error_path_quotes_odd_keys),
	cmocka_unit_test(test_build_and_edit),
	cmocka_unit_test(test_emit_refuses_invalid_utf8),
};

OL_UNIT_MAIN(tests)
