/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The TOML reader (policy/toml.c): the subset it reads, the tree it
 * builds (the JSON parser's tree for the same policy), each construct it
 * refuses and each bound, with the exact message and line.
 */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy/toml.h"

/* The tree of the TOML, emitted compact, must be this JSON. */
static void reads_as(const char *toml, const char *json)
{
	cleanup_json struct ol_json *tree = NULL;
	cleanup_free char *out = NULL;
	struct ol_error err = { 0 };
	size_t len;

	if (ol_toml_parse(toml, strlen(toml), &ol_json_policy_limits, &tree, &err) < 0)
		fail_msg("refused: %s\n%s", err.msg, toml);
	assert_int_equal(ol_json_emit(tree, OL_JSON_COMPACT, &out, &len, &err), 0);
	assert_string_equal(out, json);
}

static void fails_len(const char *toml, size_t len, const struct ol_json_limits *limits, int code,
		      const char *msg)
{
	struct ol_json *tree = NULL;
	struct ol_error err = { 0 };

	assert_int_equal(ol_toml_parse(toml, len, limits, &tree, &err), -code);
	assert_null(tree);
	assert_string_equal(err.msg, msg);
}

static void fails(const char *toml, const char *msg)
{
	fails_len(toml, strlen(toml), &ol_json_policy_limits, EINVAL, msg);
}

static void test_reads(void **state)
{
	(void) state;
	reads_as("", "{}");
	reads_as("# only a comment\n\n  \t\n", "{}");
	reads_as("abi = 4 # ABI\n", "{\"abi\":4}");
	reads_as("\xef\xbb\xbf"
		 "abi=4",
		 "{\"abi\":4}");
	reads_as("abi = 4\r\n[[ruleset]]\r\nscoped = [\"signal\"]\r\n",
		 "{\"abi\":4,\"ruleset\":[{\"scoped\":[\"signal\"]}]}");
	reads_as("[[path_beneath]]\nallowed_access = [\"execute\"]\nparent = ['/a', \"/b\"]\n"
		 "[[ path_beneath ]]\nallowed_access = []\n[[net_port]]\nport = [ # ports\n"
		 "  80, # http\n\n  443,\n]\n",
		 "{\"pathBeneath\":[{\"allowedAccess\":[\"execute\"],\"parent\":[\"/a\",\"/b\"]},"
		 "{\"allowedAccess\":[]}],\"netPort\":[{\"port\":[80,443]}]}");
	/* Keys: snake_case in their JSON spelling; any other key unchanged. */
	reads_as("handled_access_fs = 1\nquiet_access_net = 2\nfoo_9 = 3\nx_ = 4\na-b = 5\n"
		 "__c = 6\nd__e = 7\n",
		 "{\"handledAccessFs\":1,\"quietAccessNet\":2,\"foo_9\":3,\"x_\":4,\"a-b\":5,"
		 "\"__c\":6,\"d__e\":7}");
	/* Values: booleans, nested arrays, integers as the JSON parser keeps them. */
	reads_as("a = true\nb = false\nc = [[1], [], [[2]]]\n",
		 "{\"a\":true,\"b\":false,\"c\":[[1],[],[[2]]]}");
	reads_as("a = [+80, -0, 0, 1_000, 0x1F, 0o17, 0b101, -9223372036854775808, "
		 "9223372036854775807]\n",
		 "{\"a\":[80,0,0,1000,31,15,5,-9223372036854775808,9223372036854775807]}");
	/* Strings: escapes and Unicode, literal strings verbatim. */
	reads_as("s = [\"a\\tb\\\"c\\\\d\\u00e9\\U0001F600\", 'C:\\x\\n', \"\", \"t\tab\"]\n",
		 "{\"s\":[\"a\\tb\\\"c\\\\d\xc3\xa9\xf0\x9f\x98\x80\",\"C:\\\\x\\\\n\",\"\","
		 "\"t\\tab\"]}");
	reads_as("s = \"\\u0000\"\n", "{\"s\":\"\\u0000\"}");
}

static void test_refuses_what_is_not_the_subset(void **state)
{
	(void) state;
	fails("abi = 4\n[ruleset]\n", "line 2: a [table] is not part of landlockconfig TOML: its "
				      "sections are arrays of tables, written [[name]]");
	fails("ruleset = [{ scoped = [\"signal\"] }]\n",
	      "line 1: inline tables are not part of landlockconfig TOML: write a [[name]] table");
	fails("a.b = 1\n", "line 1: dotted keys are not part of landlockconfig TOML");
	fails("[[a.b]]\n", "line 1: dotted keys are not part of landlockconfig TOML");
	fails("\"abi\" = 1\n", "line 1: quoted keys are not part of landlockconfig TOML");
	fails("s = \"\"\"x\"\"\"\n",
	      "line 1: multi-line strings are not part of landlockconfig TOML");
	fails("s = '''x'''\n", "line 1: multi-line strings are not part of landlockconfig TOML");
	fails("abi = 4.0\n",
	      "line 1: '4.0' is no integer (landlockconfig TOML has no floats or dates)");
	fails("abi = 1e3\n",
	      "line 1: '1e3' is no integer (landlockconfig TOML has no floats or dates)");
	fails("d = 1979-05-27\n",
	      "line 1: '1979-05-27' is no integer (landlockconfig TOML has no floats or dates)");
	fails("x = inf\n", "line 1: 'inf' is no value (strings are quoted)");
	fails("x = execute\n", "line 1: 'execute' is no value (strings are quoted)");
}

static void test_refuses_bad_toml(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_json *tree = NULL;

	fails("abi = 1\n\nabi = 2\n", "line 3: duplicate key \"abi\"");
	fails("[[ruleset]]\nscoped = []\nscoped = []\n", "line 3: duplicate key \"scoped\"");
	fails("ruleset = []\n[[ruleset]]\n", "line 2: \"ruleset\" is already defined as a value");
	fails("abi = 1 2\n", "line 1: unexpected text after a value (one per line)");
	fails("[[ruleset]] x\n", "line 1: unexpected text after the header (one per line)");
	fails("[[ruleset]\n", "line 1: expected ']]' to end the header");
	fails("abi\n", "line 1: expected '=' after the key");
	fails("= 1\n", "line 1: expected a key");
	fails("abi =\n",
	      "line 1: expected a value (a string, an integer, true, false or an array)");
	fails("a = [1 2]\n", "line 1: expected ',' or ']' in an array");
	fails("a = [1,,2]\n",
	      "line 1: expected a value (a string, an integer, true, false or an array)");
	fails_len("\n\na = [1,\n2,\n", 10, &ol_json_policy_limits, ENODATA,
		  "line 3: the array is not closed (no ']')");
	fails("s = \"abc\n\"\n", "line 1: a string is not closed on its line");
	fails("s = 'abc", "line 1: a string is not closed on its line");
	fails("s = \"\\q\"\n", "line 1: invalid escape in a string (\\b, \\t, \\n, \\f, \\r, \\\", "
			       "\\\\, \\uXXXX and \\UXXXXXXXX are)");
	fails("s = \"\\u12\"\n", "line 1: a \\u escape needs 4 hex digits");
	fails("s = \"\\uD800\"\n", "line 1: escape of U+D800, which is no Unicode scalar value");
	fails("s = \"\\U00110000\"\n",
	      "line 1: escape of U+110000, which is no Unicode scalar value");
	fails("s = \"a\x01\"\n", "line 1: a control character (0x01) in a string");
	fails("# a\x7f\n", "line 1: a control character (0x7f) in a comment");
	fails("\ns = \"\xc3\x28\"\n", "line 2: not valid UTF-8");
	fails("a = 007\n", "line 1: '007': an integer has no leading zero");
	fails("a = 1__0\n",
	      "line 1: '1__0' is no integer (landlockconfig TOML has no floats or dates)");
	fails("a = _1\n", "line 1: '_1' is no value (strings are quoted)");
	fails("a = 1_\n",
	      "line 1: '1_' is no integer (landlockconfig TOML has no floats or dates)");
	fails("a = -0x1\n", "line 1: '-0x1': only a decimal integer takes a sign");
	fails("a = 0x\n",
	      "line 1: '0x' is no integer (landlockconfig TOML has no floats or dates)");
	fails("a = 0xG\n",
	      "line 1: '0xG' is no integer (landlockconfig TOML has no floats or dates)");
	fails_len("a = 9223372036854775808\n", 24, &ol_json_policy_limits, ERANGE,
		  "line 1: '9223372036854775808' is out of the range of a TOML integer");
	fails("pathBeneath = 1\n",
	      "line 1: \"pathBeneath\" is the JSON spelling: TOML keys are snake_case");
	assert_true(ol_toml_parse("[[netPort]]", 11, &ol_json_policy_limits, &tree, &err) < 0);
	assert_string_equal(err.hint, "write \"net_port\"");
	/* A NUL byte is no key and no value. */
	fails_len("a = 1\n\0", 7, &ol_json_policy_limits, EINVAL, "line 2: expected a key");
}

/* The JSON layer's caps, and the keys' own. */
static void test_bounds(void **state)
{
	(void) state;
	static const struct ol_json_limits small = { .max_bytes = 64, .max_depth = 5 };
	char doc[4096];
	size_t n = 0;

	fails_len("abi = 1\n", 65, &small, E2BIG,
		  "document is 65 bytes, more than the limit of 64");
	/* depth: the root 1, [[x]] 2, its table 3, arrays 4 and 5 */
	struct ol_json *tree = NULL;
	struct ol_error err = { 0 };
	assert_int_equal(ol_toml_parse("[[x]]\na = [[1]]\n", 16, &small, &tree, &err), 0);
	ol_json_free(tree);
	fails_len("[[x]]\na = [[[1]]]\n", 18, &small, E2BIG,
		  "line 2: nesting is deeper than the limit of 5");
	fails_len("a = [[[[[1]]]]]\n", 16, &small, E2BIG,
		  "line 1: nesting is deeper than the limit of 5");
	for (int i = 0; i < OL_TOML_MAX_KEYS + 1; i++)
		n += (size_t) snprintf(doc + n, sizeof(doc) - n, "k%d = 1\n", i);
	fails_len(doc, n, &ol_json_policy_limits, E2BIG, "line 65: more than 64 keys in one table");
	memset(doc, 'k', OL_TOML_MAX_KEY_LEN + 1);
	strcpy(doc + OL_TOML_MAX_KEY_LEN + 1, " = 1\n");
	fails_len(doc, strlen(doc), &ol_json_policy_limits, E2BIG,
		  "line 1: a key is longer than 128 bytes");
}

static void test_file_names(void **state)
{
	(void) state;
	assert_true(ol_toml_file_name("p.toml"));
	assert_true(ol_toml_file_name("/etc/x/web.toml"));
	assert_false(ol_toml_file_name(".toml"));
	assert_false(ol_toml_file_name("p.json"));
	assert_false(ol_toml_file_name("p.TOML"));
	assert_false(ol_toml_file_name("toml"));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_reads),
	cmocka_unit_test(test_refuses_what_is_not_the_subset),
	cmocka_unit_test(test_refuses_bad_toml),
	cmocka_unit_test(test_bounds),
	cmocka_unit_test(test_file_names),
};

OL_UNIT_MAIN(tests)
