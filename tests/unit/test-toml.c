/* SPDX-License-Identifier: Apache-2.0 */
/*
 * landlockconfig's own TOML test cases: each is accepted or refused as
 * upstream does, and an accepted one compiles to the same layer as the
 * JSON policy of the same meaning (upstream's JSON twin where it has one).
 *
 * The TOML texts are upstream's test data: landlock-lsm/landlockconfig
 * at bdffdcd14e6c5fb8c0b014ee8a7df897fafcb8e2, src/tests_parser.rs,
 * src/tests_variable.rs, src/tests_abi.rs (the named test functions), and
 * its examples/ and tests/composition/ files, copied to tests/data/toml/
 * (see the README there).  Upstream's LATEST_ABI there is 6.
 */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "policy/annotations.h"
#include "policy/policy.h"
#include "policy/toml.h"

#define UPSTREAM_LATEST_ABI 6

static void toml_layer_ok(const char *toml, struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_ruleset_init(rs, "test"), 0);
	if (ol_landlockconfig_parse_toml(toml, strlen(toml), rs, &err) < 0)
		fail_msg("refused: %s\n%s", err.msg, toml);
}

static void json_layer_ok(const char *json, struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_ruleset_init(rs, "test"), 0);
	if (ol_landlockconfig_parse(json, strlen(json), rs, &err) < 0)
		fail_msg("refused: %s\n%s", err.msg, json);
}

/* Accepted, and the same layer as the JSON. */
static void same_as_json(const char *toml, const char *json)
{
	struct ol_ruleset a, b;

	toml_layer_ok(toml, &a);
	json_layer_ok(json, &b);
	assert_same_layer(&a, &b, false);
	ol_ruleset_free(&a);
	ol_ruleset_free(&b);
}

/* Refused with exactly this message. */
static void refused(const char *toml, const char *msg)
{
	struct ol_error err = { 0 };
	struct ol_ruleset rs;
	int r;

	assert_int_equal(ol_ruleset_init(&rs, "test"), 0);
	r = ol_landlockconfig_parse_toml(toml, strlen(toml), &rs, &err);
	ol_ruleset_free(&rs);
	if (r == 0)
		fail_msg("accepted: %s", toml);
	assert_string_equal(err.msg, msg);
}

/* src/tests_parser.rs */
static void test_upstream_parser(void **state)
{
	(void) state;
	char toml[1024], json[1024];

	/* test_empty_config_toml */
	refused("", "top level: a policy needs at least one of variable, ruleset, path_beneath, "
		    "net_port");
	/* test_empty_ruleset_toml */
	refused("\n        [[ruleset]]\n    ",
		"line 2: ruleset[0]: empty ruleset (give handled_access_fs, handled_access_net or "
		"scoped)");
	/* test_all_handled_access_fs_toml */
	snprintf(toml, sizeof(toml),
		 "\n        abi = %d\n        [[ruleset]]\n        handled_access_fs = [\n"
		 "            \"abi.all\",\n            \"abi.read_execute\",\n"
		 "            \"abi.read_write\",\n            \"execute\",\n"
		 "            \"write_file\",\n            \"read_file\",\n"
		 "            \"read_dir\",\n            \"remove_dir\",\n"
		 "            \"remove_file\",\n            \"make_char\",\n"
		 "            \"make_dir\",\n            \"make_reg\",\n"
		 "            \"make_sock\",\n            \"make_fifo\",\n"
		 "            \"make_block\",\n            \"make_sym\",\n"
		 "            \"refer\",\n            \"truncate\",\n"
		 "            \"ioctl_dev\",\n        ]\n        ",
		 UPSTREAM_LATEST_ABI);
	snprintf(json, sizeof(json),
		 "{\"abi\":%d,\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"]}]}",
		 UPSTREAM_LATEST_ABI);
	same_as_json(toml, json);
}

/* src/tests_variable.rs */
static void test_upstream_variable(void **state)
{
	(void) state;
	static const char json[] = "{\"variable\":[{\"name\":\"foo\",\"literal\":[\"a\",\"b\"]}],"
				   "\"pathBeneath\":[{\"allowedAccess\":[\"execute\"],"
				   "\"parent\":[\"${foo}\"]}]}";
	cleanup_json struct ol_json *tree = NULL;
	struct ol_error err = { 0 };
	/* test_one_variable_toml */
	static const char one[] = "\n        [[variable]]\n        name = \"bar\"\n"
				  "        literal = [\n            \"foo\",\n        ]\n    ";

	/*
	 * Upstream accepts a policy of variables only.  The TOML reads (and as
	 * JSON it would read) the same, and this project refuses such a policy
	 * in either form: it would restrict nothing.
	 */
	assert_int_equal(ol_toml_parse(one, strlen(one), &ol_json_policy_limits, &tree, &err), 0);
	assert_string_equal(
		ol_json_cstr(ol_json_get(ol_json_get(tree, "variable")->u.arr.items[0], "name")),
		"bar");
	refused(one, "top level: the policy handles no access right, so it would restrict nothing");
	/* test_one_variable_json_toml_template: toml, toml_reverse */
	same_as_json("\n        [[variable]]\n        name = \"foo\"\n        literal = [\n"
		     "            \"a\",\n            \"b\",\n        ]\n\n"
		     "        [[path_beneath]]\n        allowed_access = [ \"execute\" ]\n"
		     "        parent = [ \"${foo}\" ]\n    ",
		     json);
	same_as_json("\n        [[path_beneath]]\n        allowed_access = [ \"execute\" ]\n"
		     "        parent = [ \"${foo}\" ]\n\n        [[variable]]\n"
		     "        name = \"foo\"\n        literal = [\n            \"b\",\n"
		     "            \"a\",\n        ]\n    ",
		     json);
}

/* src/tests_abi.rs, the cases with one ABI */
static void test_upstream_abi(void **state)
{
	(void) state;
	static const struct {
		const char *test, *abi, *rights, *msg; /* msg NULL: upstream accepts */
	} cases[] = {
		{ "test_access_fs_with_value", "abi = 2\n", "\"abi.all\",", NULL },
		{ "test_access_fs_without_value", "", "\"abi.all\",",
		  "line 3: ruleset[0].handled_access_fs[0]: \"abi.all\" needs the top-level "
		  "\"abi\" field, the ABI to resolve it against" },
		{ "test_format_ok", "abi = 1\n", "\"execute\",", NULL },
		{ "test_dup_abi", "abi = 1\n        abi = 1\n", "\"execute\",",
		  "line 3: duplicate key \"abi\"" },
		{ "test_zero", "abi = 0\n", "\"execute\",",
		  "line 2: abi: expected an integer from 1 to 2147483647" },
		{ "test_negative", "abi = -1\n", "\"execute\",",
		  "line 2: abi: expected an integer from 1 to 2147483647" },
		{ "test_i32", "abi = 2147483647\n", "\"abi.all\",", NULL },
		{ "test_p31", "abi = 2147483648\n", "\"abi.all\",",
		  "line 2: abi: expected an integer from 1 to 2147483647" },
		{ "test_p32", "abi = 4294967295\n", "\"execute\",",
		  "line 2: abi: expected an integer from 1 to 2147483647" },
		{ "test_p64", "abi = 18446744073709551616\n", "\"execute\",",
		  "line 2: '18446744073709551616' is out of the range of a TOML integer" },
		{ "test_p128", "abi = 340282366920938463463374607431768211456\n", "\"execute\",",
		  "line 2: '340282366920938463463374607431768211456' is out of the range of a "
		  "TOML integer" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char toml[512], json[256];
		const char *right = strchr(cases[i].rights, '"');
		snprintf(toml, sizeof(toml),
			 "\n        %s        [[ruleset]]\n        handled_access_fs = [\n"
			 "            %s\n        ]\n    ",
			 cases[i].abi, cases[i].rights);
		print_message("%s\n", cases[i].test);
		if (cases[i].msg) {
			refused(toml, cases[i].msg);
			continue;
		}
		snprintf(json, sizeof(json),
			 "{\"abi\":%s,\"ruleset\":[{\"handledAccessFs\":[%.*s]}]}",
			 cases[i].abi + 6, (int) (strlen(right) - 1), right);
		*strchr(json, '\n') = ' ';
		same_as_json(toml, json);
	}
	/* test_format_error */
	refused("\n        abi = 1\n    ", "top level: a policy needs at least one of variable, "
					   "ruleset, path_beneath, net_port");
}

/* src/tests_abi.rs: test_all_versions_abi_{all,read_execute,read_write} */
static void test_upstream_abi_versions(void **state)
{
	(void) state;
	for (int v = 1; v <= UPSTREAM_LATEST_ABI; v++) {
		static const char *const groups[] = { "abi.read_execute", "abi.read_write" };
		char toml[1024], json[1024];
		struct ol_ruleset rs;

		snprintf(toml, sizeof(toml),
			 "\n            abi = %d\n            [[ruleset]]\n"
			 "            handled_access_fs = [ \"abi.all\" ]\n"
			 "            handled_access_net = [ \"abi.all\" ]\n"
			 "            scoped = [ \"abi.all\" ]\n            [[path_beneath]]\n"
			 "            allowed_access = [ \"abi.all\" ]\n"
			 "            parent = [ \".\" ]\n            [[net_port]]\n"
			 "            allowed_access = [ \"abi.all\" ]\n            port = [ 1 ]\n"
			 "            ",
			 v);
		snprintf(json, sizeof(json),
			 "{\"abi\":%d,\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"],"
			 "\"handledAccessNet\":[\"abi.all\"],\"scoped\":[\"abi.all\"]}],"
			 "\"pathBeneath\":[{\"allowedAccess\":[\"abi.all\"],\"parent\":[\".\"]}],"
			 "\"netPort\":[{\"allowedAccess\":[\"abi.all\"],\"port\":[1]}]}",
			 v);
		same_as_json(toml, json);
		/* As upstream: no port rule where abi.all has no net right (ABI < 4). */
		toml_layer_ok(toml, &rs);
		assert_int_equal(rs.n_ports, v >= 4 ? 1 : 0);
		assert_int_equal(rs.n_paths, 1);
		ol_ruleset_free(&rs);
		for (size_t g = 0; g < 2; g++) {
			snprintf(toml, sizeof(toml),
				 "\n            abi = %d\n            [[ruleset]]\n"
				 "            handled_access_fs = [ \"%s\" ]\n"
				 "            [[path_beneath]]\n"
				 "            allowed_access = [ \"%s\" ]\n"
				 "            parent = [ \".\" ]\n            ",
				 v, groups[g], groups[g]);
			snprintf(json, sizeof(json),
				 "{\"abi\":%d,\"ruleset\":[{\"handledAccessFs\":[\"%s\"]}],"
				 "\"pathBeneath\":[{\"allowedAccess\":[\"%s\"],"
				 "\"parent\":[\".\"]}]}",
				 v, groups[g], groups[g]);
			same_as_json(toml, json);
		}
	}
}

static char *data_file(const char *name, size_t *len)
{
	const char *dir = getenv("OL_TEST_DATA");
	struct ol_error err = { 0 };
	char path[512], *text = NULL;

	assert_non_null(dir);
	snprintf(path, sizeof(path), "%s/toml/%s", dir, name);
	if (ol_read_file(path, 1 << 20, &text, len, &err) < 0)
		fail_msg("%s", err.msg);
	return text;
}

/* examples/ and tests/composition/: accepted; the same as their JSON twin. */
static void test_upstream_files(void **state)
{
	(void) state;
	static const struct {
		const char *toml, *json;
	} files[] = {
		{ "examples-micro-var.toml", NULL },
		{ "examples-micro-write-tmp.toml", NULL },
		{ "examples-mini-write-tmp.toml", "examples-mini-write-tmp.json" },
		{ "composition-s.toml", "composition-s.json" },
		{ "composition-source-s1.toml", "composition-source-s1.json" },
		{ "composition-source-s2.toml", NULL },
	};

	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t len;
		cleanup_free char *toml = data_file(files[i].toml, &len);
		cleanup_free char *json = files[i].json ? data_file(files[i].json, &len) : NULL;
		struct ol_ruleset rs;

		print_message("%s\n", files[i].toml);
		if (json) {
			same_as_json(toml, json);
			continue;
		}
		toml_layer_ok(toml, &rs);
		assert_true(rs.n_paths > 0);
		ol_ruleset_free(&rs);
	}
}

/* The micro-var example, checked right by right against its meaning. */
static void test_upstream_example_meaning(void **state)
{
	(void) state;
	size_t len;
	cleanup_free char *toml = data_file("examples-micro-var.toml", &len);

	same_as_json(toml,
		     "{\"abi\":5,\"pathBeneath\":[{\"allowedAccess\":[\"abi.read_execute\"],"
		     "\"parent\":[\".\",\"/bin\",\"/lib\",\"/usr\",\"/dev\",\"/proc\",\"/etc\"]},"
		     "{\"allowedAccess\":[\"abi.read_write\"],"
		     "\"parent\":[\"/tmp\",\"/var/tmp\",\"/root\",\"/home\"]}]}");
}

static void write_file(const char *dir, const char *name, const char *text)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

/* NAME.toml is a profile when NAME.json is absent; both is an error. */
static void test_profiles(void **state)
{
	(void) state;
	char *dir = strdup("/tmp/ol-toml-XXXXXX");
	struct ol_error err = { 0 };
	char *text = NULL, msg[512];

	assert_non_null(mkdtemp(dir));
	write_file(dir, "web.toml", "# a web server\n[[ruleset]]\nscoped = [\"signal\"]\n");
	write_file(dir, "bad.toml", "[[ruleset]]\nscoped = [\"signals\"]\n");
	write_file(dir, "both.json", "{\"ruleset\":[{\"scoped\":[\"signal\"]}]}");
	write_file(dir, "both.toml", "[[ruleset]]\nscoped = [\"signal\"]\n");

	assert_int_equal(ol_profile_read(dir, "web", &text, &err), 0);
	assert_string_equal(text, "{\"ruleset\":[{\"scoped\":[\"signal\"]}]}");
	free(text);

	assert_true(ol_profile_read(dir, "bad", &text, &err) < 0);
	assert_null(text);
	snprintf(msg, sizeof(msg),
		 "invalid profile 'bad' (%s/bad.toml): line 2: ruleset[0].scoped[0]: unknown "
		 "scope \"signals\" (did you mean \"signal\"?)",
		 dir);
	assert_string_equal(err.msg, msg);

	assert_true(ol_profile_read(dir, "both", &text, &err) < 0);
	assert_null(text);
	snprintf(msg, sizeof(msg), "profile 'both' is both %s/both.json and %s/both.toml", dir,
		 dir);
	assert_string_equal(err.msg, msg);
	assert_string_equal(err.hint, "keep one of the two files (oci-landlock convert writes a "
				      "TOML profile as JSON)");

	assert_true(ol_profile_read(dir, "db", &text, &err) == -ENOENT);
	assert_string_equal(err.hint, "profiles installed on this host: bad, both, web");
	remove_tree(dir);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_upstream_parser), cmocka_unit_test(test_upstream_variable),
	cmocka_unit_test(test_upstream_abi),	cmocka_unit_test(test_upstream_abi_versions),
	cmocka_unit_test(test_upstream_files),	cmocka_unit_test(test_upstream_example_meaning),
	cmocka_unit_test(test_profiles),
};

OL_UNIT_MAIN(tests)
