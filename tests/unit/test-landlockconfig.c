/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the landlockconfig parser and the printer. */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

#define FS_ALL_V1 0x1fffULL
#define FS_ALL_V2 0x3fffULL
#define FS_ALL_V3 0x7fffULL
#define FS_ALL_V5 0xffffULL
#define RX	  (OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR)

static void test_every_fs_right_by_name(void **state)
{
	(void) state;
	for (size_t i = 0; i < ol_rights_count; i++) {
		const struct ol_right *r = &ol_rights[i];
		char doc[256];
		struct ol_ruleset rs;

		if (r->kind != OL_RIGHT_FS)
			continue;
		snprintf(doc, sizeof(doc),
			 "{\"pathBeneath\":[{\"allowedAccess\":[\"%s\"],\"parent\":[\"/d\"]}]}",
			 r->name);
		policy_ok(doc, &rs);
		assert_true(rs.handled_fs == r->bit);
		assert_int_equal(rs.n_paths, 1);
		assert_string_equal(rs.paths[0].path, "/d");
		assert_true(rs.paths[0].access == r->bit);
		ol_ruleset_free(&rs);
	}
}

static void test_every_net_right_and_scope(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	policy_ok("{\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[80]},"
		  "{\"allowedAccess\":[\"connect_tcp\"],\"port\":[443,0,65535]}],"
		  "\"ruleset\":[{\"scoped\":[\"abstract_unix_socket\"]},"
		  "{\"scoped\":[\"signal\"]}]}",
		  &rs);
	assert_true(rs.handled_net == (OL_LL_ACCESS_NET_BIND_TCP | OL_LL_ACCESS_NET_CONNECT_TCP));
	assert_true(rs.scoped == (OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET | OL_LL_SCOPE_SIGNAL));
	assert_int_equal(rs.handled_fs, 0);
	/* Sorted by port. */
	assert_int_equal(rs.n_ports, 4);
	assert_int_equal(rs.ports[0].port, 0);
	assert_int_equal(rs.ports[1].port, 80);
	assert_true(rs.ports[1].access == OL_LL_ACCESS_NET_BIND_TCP);
	assert_int_equal(rs.ports[2].port, 443);
	assert_int_equal(rs.ports[3].port, 65535);
	assert_true(rs.ports[3].access == OL_LL_ACCESS_NET_CONNECT_TCP);
	ol_ruleset_free(&rs);
}

static void test_handled_sets_and_inference(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	/* Rights granted by rules join the handled sets. */
	policy_ok("{\"ruleset\":[{\"handledAccessFs\":[\"read_file\"],"
		  "\"handledAccessNet\":[\"bind_tcp\"]}],"
		  "\"pathBeneath\":[{\"allowedAccess\":[\"execute\"],\"parent\":[\"/x\"]}],"
		  "\"netPort\":[{\"allowedAccess\":[\"connect_tcp\"],\"port\":[1]}]}",
		  &rs);
	assert_true(rs.handled_fs == (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_EXECUTE));
	assert_true(rs.handled_net == (OL_LL_ACCESS_NET_BIND_TCP | OL_LL_ACCESS_NET_CONNECT_TCP));
	assert_int_equal(rs.group_abi, 0);
	ol_ruleset_free(&rs);

	/* Several rulesets add up. */
	policy_ok("{\"ruleset\":[{\"handledAccessFs\":[\"read_file\"]},"
		  "{\"handledAccessFs\":[\"make_dir\",\"read_file\"]}]}",
		  &rs);
	assert_true(rs.handled_fs == (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_MAKE_DIR));
	assert_int_equal(rs.n_paths, 0);
	ol_ruleset_free(&rs);
}

static void test_rules_merge_and_normalise(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	/* Repeated slashes are collapsed and the rules on one path merged;
	 * "." and a trailing "/" keep their meaning (a directory). */
	policy_ok("{\"pathBeneath\":["
		  "{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/usr//lib\",\"/b\"]},"
		  "{\"allowedAccess\":[\"execute\"],\"parent\":[\"/usr/lib\",\"//b/\","
		  "\"rel/./x/\"]}],"
		  "\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[8080,8080]},"
		  "{\"allowedAccess\":[\"connect_tcp\"],\"port\":[8080]}]}",
		  &rs);
	assert_int_equal(rs.n_paths, 4);
	assert_string_equal(rs.paths[0].path, "/b");
	assert_true(rs.paths[0].access == OL_LL_ACCESS_FS_READ_FILE);
	assert_string_equal(rs.paths[1].path, "/b/");
	assert_string_equal(rs.paths[2].path, "/usr/lib");
	assert_true(rs.paths[2].access == (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_EXECUTE));
	assert_string_equal(rs.paths[3].path, "rel/./x/");
	assert_int_equal(rs.n_ports, 1);
	assert_true(rs.ports[0].access ==
		    (OL_LL_ACCESS_NET_BIND_TCP | OL_LL_ACCESS_NET_CONNECT_TCP));
	ol_ruleset_free(&rs);
}

struct group_case {
	int abi;
	const char *group;
	const char *field; /* where the group is used */
	uint64_t expect;
};

static void test_groups_per_abi(void **state)
{
	(void) state;
	static const struct group_case cases[] = {
		{ 1, "abi.all", "handledAccessFs", FS_ALL_V1 },
		{ 2, "abi.all", "handledAccessFs", FS_ALL_V2 },
		{ 3, "abi.all", "handledAccessFs", FS_ALL_V3 },
		{ 4, "abi.all", "handledAccessFs", FS_ALL_V3 },
		{ 5, "abi.all", "handledAccessFs", FS_ALL_V5 },
		{ 6, "abi.all", "handledAccessFs", FS_ALL_V5 },
		{ 7, "abi.all", "handledAccessFs", FS_ALL_V5 },
		{ 8, "abi.all", "handledAccessFs", FS_ALL_V5 },
		{ 9, "abi.all", "handledAccessFs", FS_ALL_V5 | OL_LL_ACCESS_FS_RESOLVE_UNIX },
		{ 10, "abi.all", "handledAccessFs", FS_ALL_V5 | OL_LL_ACCESS_FS_RESOLVE_UNIX },
		{ 10, "abi.read_execute", "handledAccessFs", RX | OL_LL_ACCESS_FS_REFER },
		{ 9, "abi.read_write", "handledAccessFs",
		  (FS_ALL_V5 | OL_LL_ACCESS_FS_RESOLVE_UNIX) & ~1ULL },
		{ 1, "abi.read_execute", "handledAccessFs", RX },
		{ 2, "abi.read_execute", "handledAccessFs", RX | OL_LL_ACCESS_FS_REFER },
		{ 7, "abi.read_execute", "handledAccessFs", RX | OL_LL_ACCESS_FS_REFER },
		{ 1, "abi.read_write", "handledAccessFs", FS_ALL_V1 & ~1ULL },
		{ 3, "abi.read_write", "handledAccessFs", FS_ALL_V3 & ~1ULL },
		{ 7, "abi.read_write", "handledAccessFs", FS_ALL_V5 & ~1ULL },
		{ 3, "abi.all", "handledAccessNet", 0 },
		{ 4, "abi.all", "handledAccessNet", 3 },
		{ 9, "abi.all", "handledAccessNet", 3 },
		{ 10, "abi.all", "handledAccessNet", 0xf },
		{ 10, "abi.all", "scoped", 3 },
		{ 5, "abi.all", "scoped", 0 },
		{ 6, "abi.all", "scoped", 3 },
	};

	for (size_t i = 0; i < OL_ARRAY_SIZE(cases); i++) {
		const struct group_case *c = &cases[i];
		char doc[256];
		struct ol_ruleset rs;
		uint64_t got;

		/* A policy that handles nothing is refused, hence make_sym. */
		snprintf(doc, sizeof(doc),
			 "{\"abi\":%d,\"ruleset\":[{\"%s\":[\"%s\"]},"
			 "{\"handledAccessFs\":[\"make_sym\"]}]}",
			 c->abi, c->field, c->group);
		policy_ok(doc, &rs);
		if (strcmp(c->field, "handledAccessFs") == 0)
			got = rs.handled_fs & ~(OL_LL_ACCESS_FS_MAKE_SYM & ~c->expect);
		else if (strcmp(c->field, "handledAccessNet") == 0)
			got = rs.handled_net;
		else
			got = rs.scoped;
		if (got != c->expect)
			fail_msg("abi %d %s in %s: got %#llx, want %#llx", c->abi, c->group,
				 c->field, (unsigned long long) got,
				 (unsigned long long) c->expect);
		assert_int_equal(rs.group_abi, c->abi);
		ol_ruleset_free(&rs);
	}
}

static void test_group_in_rule(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	policy_ok("{\"abi\":2,\"pathBeneath\":[{\"allowedAccess\":[\"abi.read_execute\"],"
		  "\"parent\":[\"/usr\"]}]}",
		  &rs);
	assert_true(rs.handled_fs == (RX | OL_LL_ACCESS_FS_REFER));
	assert_true(rs.paths[0].access == (RX | OL_LL_ACCESS_FS_REFER));
	assert_int_equal(rs.group_abi, 2);
	ol_ruleset_free(&rs);
}

static void test_variables(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	policy_ok("{\"variable\":[{\"name\":\"root\",\"literal\":[\"/a\",\"/b\"]},"
		  "{\"name\":\"sub\",\"literal\":[\"x\",\"y\"]},"
		  "{\"name\":\"root\",\"literal\":[\"/c\"]},"
		  "{\"name\":\"none\"}],"
		  "\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
		  "\"parent\":[\"${root}/${sub}\",\"/cost$$1\",\"/$x/${none}\",\"/p$\"]}]}",
		  &rs);
	/* 3 roots x 2 subs, "$$" -> "$", a lone "$" stays, an empty variable
	 * gives no path. */
	static const char *const want[] = { "/a/x", "/a/y", "/b/x",    "/b/y",
					    "/c/x", "/c/y", "/cost$1", "/p$" };
	assert_int_equal(rs.n_paths, OL_ARRAY_SIZE(want));
	for (size_t i = 0; i < OL_ARRAY_SIZE(want); i++)
		assert_string_equal(rs.paths[i].path, want[i]);
	ol_ruleset_free(&rs);
}

static void test_variable_order_does_not_matter(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	/* "variable" after "pathBeneath" in the document still applies. */
	policy_ok("{\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
		  "\"parent\":[\"${v}\"]}],\"variable\":[{\"name\":\"v\",\"literal\":[\"/v\"]}]}",
		  &rs);
	assert_int_equal(rs.n_paths, 1);
	assert_string_equal(rs.paths[0].path, "/v");
	ol_ruleset_free(&rs);
}

static void test_errors_structure(void **state)
{
	(void) state;
	policy_fails("[]", "top level: expected an object, found array", NULL);
	policy_fails("{}",
		     "top level: a policy needs at least one of variable, ruleset, "
		     "pathBeneath, netPort",
		     NULL);
	policy_fails("{\"abi\":1,\"rulset\":[]}", "rulset: unknown key",
		     "the keys allowed at the top level are: abi, variable, ruleset, "
		     "pathBeneath, netPort");
	policy_fails("{\"variable\":[{\"name\":\"v\"}]}",
		     "top level: the policy handles no access right, so it would "
		     "restrict nothing",
		     "add a ruleset with handledAccessFs, handledAccessNet or scoped, "
		     "or a rule");
	policy_fails("{\"ruleset\":[]}", "ruleset: empty list", NULL);
	policy_fails("{\"ruleset\":{}}", "ruleset: expected a list, found object", NULL);
	policy_fails("{\"ruleset\":[{}]}",
		     "ruleset[0]: empty ruleset (give handledAccessFs, "
		     "handledAccessNet or scoped)",
		     NULL);
	policy_fails("{\"ruleset\":[{\"handledAccessFs\":[]}]}",
		     "ruleset[0].handledAccessFs: empty list", NULL);
	policy_fails("{\"ruleset\":[{\"handledAccessFS\":[\"execute\"]}]}",
		     "ruleset[0].handledAccessFS: unknown key",
		     "the keys allowed here are: handledAccessFs, handledAccessNet, scoped, "
		     "quietAccessFs, quietAccessNet, quietScoped");
	policy_fails("{\"pathBeneath\":[{\"parent\":[\"/\"]}]}",
		     "pathBeneath[0]: missing \"allowedAccess\"", NULL);
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"execute\"]}]}",
		     "pathBeneath[0]: missing \"parent\"", NULL);
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"execute\"],\"parent\":[]}]}",
		     "pathBeneath[0].parent: empty list", NULL);
	policy_fails("{\"pathBeneath\":[\"/usr\"]}",
		     "pathBeneath[0]: expected an object, found string", NULL);
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"execute\"],\"parent\":[7]}]}",
		     "pathBeneath[0].parent[0]: expected a path string without NUL, "
		     "found number",
		     NULL);
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"execute\"],"
		     "\"parent\":[\"/a\\u0000b\"]}]}",
		     "pathBeneath[0].parent[0]: expected a path string without NUL, "
		     "found string",
		     NULL);
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"execute\"],\"parent\":[\"\"]}]}",
		     "pathBeneath[0].parent[0]: the path is empty", NULL);
	policy_fails("{\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[80],\"x\":1}]}",
		     "netPort[0].x: unknown key",
		     "the keys allowed here are: allowedAccess, port, quiet");
	policy_fails("{\"variable\":[{\"name\":\"v\",\"value\":[\"a\"]}]}",
		     "variable[0].value: unknown key", "the keys allowed here are: name, literal");
}

static void test_errors_rights(void **state)
{
	(void) state;
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"execute\",\"read_fil\"],"
		     "\"parent\":[\"/\"]}]}",
		     "pathBeneath[0].allowedAccess[1]: unknown file-system right "
		     "\"read_fil\" (did you mean \"read_file\"?)",
		     "valid here: execute, write_file, read_file, read_dir, remove_dir, "
		     "remove_file, make_char, make_dir, make_reg, make_sock, make_fifo, "
		     "make_block, make_sym, refer, truncate, ioctl_dev, resolve_unix, "
		     "abi.all, abi.read_execute, abi.read_write");
	policy_fails("{\"ruleset\":[{\"handledAccessFs\":[\"everything\"]}]}",
		     "ruleset[0].handledAccessFs[0]: unknown file-system right "
		     "\"everything\"",
		     NULL);
	policy_fails("{\"ruleset\":[{\"handledAccessNet\":[\"bind_udq\"]}]}",
		     "ruleset[0].handledAccessNet[0]: unknown network right "
		     "\"bind_udq\" (did you mean \"bind_udp\"?)",
		     "valid here: bind_tcp, connect_tcp, bind_udp, connect_send_udp, abi.all");
	policy_fails("{\"ruleset\":[{\"scoped\":[\"signals\"]}]}",
		     "ruleset[0].scoped[0]: unknown scope \"signals\" (did you mean "
		     "\"signal\"?)",
		     "valid here: abstract_unix_socket, signal, abi.all");
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"connect_tcp\"],"
		     "\"parent\":[\"/\"]}]}",
		     "pathBeneath[0].allowedAccess[0]: \"connect_tcp\" is a network "
		     "right, not a file-system right",
		     NULL);
	policy_fails("{\"netPort\":[{\"allowedAccess\":[\"read_file\"],\"port\":[1]}]}",
		     "netPort[0].allowedAccess[0]: \"read_file\" is a file-system right, "
		     "not a network right",
		     NULL);
	policy_fails("{\"ruleset\":[{\"scoped\":[\"abi.read_write\"]}]}",
		     "ruleset[0].scoped[0]: unknown scope \"abi.read_write\"", NULL);
	policy_fails("{\"ruleset\":[{\"handledAccessFs\":[1]}]}",
		     "ruleset[0].handledAccessFs[0]: expected the name of a right, "
		     "found number",
		     NULL);
	policy_fails("{\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"]}]}",
		     "ruleset[0].handledAccessFs[0]: \"abi.all\" needs the top-level "
		     "\"abi\" field, the ABI to resolve it against",
		     NULL);
}

static void test_errors_numbers(void **state)
{
	(void) state;
	static const char *const bad_abi[] = { "0",	     "-1",  "1.0", "\"7\"",
					       "2147483648", "1e1", "null" };
	for (size_t i = 0; i < OL_ARRAY_SIZE(bad_abi); i++) {
		char doc[128];
		snprintf(doc, sizeof(doc), "{\"abi\":%s,\"ruleset\":[{\"scoped\":[\"signal\"]}]}",
			 bad_abi[i]);
		policy_fails(doc, "abi: expected an integer from 1 to 2147483647", NULL);
	}
	policy_fails("{\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[65536]}]}",
		     "netPort[0].port[0]: port 65536 is out of range (0-65535)", NULL);
	policy_fails("{\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],"
		     "\"port\":[1,18446744073709551616]}]}",
		     "netPort[0].port[1]: port 18446744073709551616 is out of range "
		     "(0-65535)",
		     NULL);
	policy_fails("{\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[-1]}]}",
		     "netPort[0].port[0]: expected a port number from 0 to 65535, found "
		     "number",
		     NULL);
	policy_fails("{\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[80.0]}]}",
		     "netPort[0].port[0]: expected a port number from 0 to 65535, found "
		     "number",
		     NULL);
	policy_fails("{\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[\"80\"]}]}",
		     "netPort[0].port[0]: expected a port number from 0 to 65535, found "
		     "string",
		     NULL);
}

static void test_errors_variables(void **state)
{
	(void) state;
	const char *head = "{\"variable\":[{\"name\":\"v\",\"literal\":[\"/v\"]}],"
			   "\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],\"parent\":[\"";
	static const struct {
		const char *parent, *msg;
	} cases[] = {
		{ "${w}", "pathBeneath[0].parent[0]: unknown variable \"w\"" },
		{ "/x/${v", "pathBeneath[0].parent[0]: unclosed variable reference at position 3" },
		{ "${}", "pathBeneath[0].parent[0]: invalid variable name at position 0" },
		{ "${1v}", "pathBeneath[0].parent[0]: invalid variable name at position 0" },
		{ "${v-x}", "pathBeneath[0].parent[0]: invalid variable name at position 0" },
	};

	for (size_t i = 0; i < OL_ARRAY_SIZE(cases); i++) {
		char doc[512];
		snprintf(doc, sizeof(doc), "%s%s\"]}]}", head, cases[i].parent);
		policy_fails(doc, cases[i].msg, NULL);
	}
	policy_fails("{\"variable\":[{\"name\":\"9\"}]}",
		     "variable[0].name: expected a name of ASCII letters, digits and "
		     "'_', starting with a letter",
		     NULL);
	policy_fails("{\"variable\":[{\"literal\":[\"a\"]}]}", "variable[0]: missing \"name\"",
		     NULL);
	policy_fails("{\"variable\":[{\"name\":\"v\",\"literal\":[]}]}",
		     "variable[0].literal: empty list", NULL);
}

static void test_expansion_is_bounded(void **state)
{
	(void) state;
	struct ol_buf doc = { 0 };

	/* 400 values, used three times in one path: 64 million paths. */
	ol_buf_puts(&doc, "{\"variable\":[{\"name\":\"v\",\"literal\":[");
	for (int i = 0; i < 400; i++) {
		char item[16];
		snprintf(item, sizeof(item), "%s\"%d\"", i ? "," : "", i);
		ol_buf_puts(&doc, item);
	}
	ol_buf_puts(&doc, "]}],\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
			  "\"parent\":[\"/${v}/${v}/${v}\"]}]}");
	policy_fails(doc.data, "pathBeneath[0].parent[0]: expands to more than 100000 paths", NULL);
	ol_buf_free(&doc);
}

/* Variables must not amplify a small document without bound. */
static void test_expanded_paths_are_bounded(void **state)
{
	(void) state;
	struct ol_buf doc = { 0 };

	/* One path longer than PATH_MAX after expansion. */
	ol_buf_puts(&doc, "{\"variable\":[{\"name\":\"v\",\"literal\":[\"");
	for (int i = 0; i < 2100; i++)
		ol_buf_puts(&doc, "a");
	ol_buf_puts(&doc, "\"]}],\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
			  "\"parent\":[\"/${v}/${v}\"]}]}");
	policy_fails(doc.data, "pathBeneath[0].parent[0]: the path is longer than 4095 bytes",
		     NULL);
	ol_buf_free(&doc);

	/* 2000 paths of 3 KB each: 6 MB of paths from a 12 KB document. */
	ol_buf_puts(&doc, "{\"variable\":[{\"name\":\"v\",\"literal\":[");
	for (int i = 0; i < 2000; i++) {
		char item[16];
		snprintf(item, sizeof(item), "%s\"%d\"", i ? "," : "", i);
		ol_buf_puts(&doc, item);
	}
	ol_buf_puts(&doc, "]}],\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
			  "\"parent\":[\"/");
	for (int i = 0; i < 3000; i++)
		ol_buf_puts(&doc, "x");
	ol_buf_puts(&doc, "/${v}\"]}]}");
	policy_fails(doc.data,
		     "pathBeneath[0].parent[0]: the paths of the policy add up to more than "
		     "4194304 bytes",
		     NULL);
	ol_buf_free(&doc);
}

static void test_json_errors_pass_through(void **state)
{
	(void) state;
	/* Every list has a cap: variables, and their values. */
	cleanup_buf struct ol_buf many = { 0 };
	ol_buf_puts(&many, "{\"variable\":[");
	for (int i = 0; i < 1025; i++)
		ol_buf_puts(&many, i ? ",{\"name\":\"v\"}" : "{\"name\":\"v\"}");
	ol_buf_puts(&many, "]}");
	policy_fails(many.data, "variable: more than 1024 variables", NULL);
	cleanup_buf struct ol_buf values = { 0 };
	ol_buf_puts(&values, "{\"variable\":[{\"name\":\"v\",\"literal\":[\"/\"");
	for (int i = 0; i < 100000; i++)
		ol_buf_puts(&values, ",\"/\"");
	ol_buf_puts(&values, "]}]}");
	policy_fails(values.data, "variable[0].literal: the variables hold more than 100000 values",
		     NULL);
	/* ".." is refused, also when a variable brings it. */
	policy_fails("{\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
		     "\"parent\":[\"/srv/..\"]}]}",
		     "pathBeneath[0].parent[0]: '/srv/..': a rule path cannot hold '..'",
		     "name the directory itself, such as /srv for /srv/app/..");
	policy_fails("{\"variable\":[{\"name\":\"v\",\"literal\":[\"..\"]}],"
		     "\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
		     "\"parent\":[\"/tmp/${v}/etc\"]}]}",
		     "pathBeneath[0].parent[0]: '/tmp/../etc': a rule path cannot hold '..'", NULL);
	policy_fails("{\"ruleset\":[{\"scoped\":[\"signal\"]}],\"ruleset\":[]}",
		     "top level: duplicate key \"ruleset\"", NULL);
	policy_fails("{\"ruleset\":[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]}",
		     "ruleset[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nesting is "
		     "deeper than the limit of 16",
		     NULL);
}

static char *print(const struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };
	char *out = NULL;

	assert_int_equal(ol_ruleset_print(rs, OL_JSON_COMPACT, &out, NULL, &err), 0);
	return out;
}

static void test_print_exact(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	policy_ok("{\"abi\":1,\"ruleset\":[{\"scoped\":[\"signal\"]}],"
		  "\"pathBeneath\":[{\"allowedAccess\":[\"abi.read_execute\"],"
		  "\"parent\":[\"/usr\",\"/cost$$\"]},{\"allowedAccess\":[\"read_file\"],"
		  "\"parent\":[\"/etc\"]}],\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],"
		  "\"port\":[80,8080]}]}",
		  &rs);
	cleanup_free char *out = print(&rs);
	assert_string_equal(
		out, "{\"ruleset\":[{\"handledAccessFs\":[\"execute\",\"read_file\",\"read_dir\"],"
		     "\"handledAccessNet\":[\"bind_tcp\"],\"scoped\":[\"signal\"]}],"
		     "\"pathBeneath\":[{\"allowedAccess\":[\"execute\",\"read_file\",\"read_dir\"],"
		     "\"parent\":[\"/cost$$\",\"/usr\"]},{\"allowedAccess\":[\"read_file\"],"
		     "\"parent\":[\"/etc\"]}],\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],"
		     "\"port\":[80,8080]}]}");
	ol_ruleset_free(&rs);
}

static void test_print_round_trip(void **state)
{
	(void) state;
	static const char *const docs[] = {
		"{\"abi\":7,\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"],"
		"\"handledAccessNet\":[\"abi.all\"],\"scoped\":[\"abi.all\"]}],"
		"\"variable\":[{\"name\":\"d\",\"literal\":[\"/a\",\"/b$c\"]}],"
		"\"pathBeneath\":[{\"allowedAccess\":[\"abi.read_write\"],"
		"\"parent\":[\"${d}/x\",\"/tmp\"]},{\"allowedAccess\":[\"execute\"],"
		"\"parent\":[\"/a/x\"]}],\"netPort\":[{\"allowedAccess\":"
		"[\"connect_tcp\"],\"port\":[443,80]}]}",
		"{\"ruleset\":[{\"handledAccessNet\":[\"bind_tcp\"]}]}",
		"{\"ruleset\":[{\"scoped\":[\"abstract_unix_socket\"]}]}",
		/* The names of ABI 9 and 10, by name and by group. */
		"{\"abi\":10,\"ruleset\":[{\"handledAccessNet\":[\"abi.all\"]}],"
		"\"pathBeneath\":[{\"allowedAccess\":[\"resolve_unix\"],"
		"\"parent\":[\"/run/app.sock\"]}],\"netPort\":[{\"allowedAccess\":"
		"[\"bind_udp\",\"connect_send_udp\"],\"port\":[53]}]}",
	};

	for (size_t i = 0; i < OL_ARRAY_SIZE(docs); i++) {
		struct ol_ruleset a, b;
		policy_ok(docs[i], &a);
		cleanup_free char *text = print(&a);
		policy_ok(text, &b);
		assert_same_layer(&a, &b, false);
		cleanup_free char *again = print(&b);
		assert_string_equal(text, again);
		ol_ruleset_free(&a);
		ol_ruleset_free(&b);
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_every_fs_right_by_name),
	cmocka_unit_test(test_every_net_right_and_scope),
	cmocka_unit_test(test_handled_sets_and_inference),
	cmocka_unit_test(test_rules_merge_and_normalise),
	cmocka_unit_test(test_groups_per_abi),
	cmocka_unit_test(test_group_in_rule),
	cmocka_unit_test(test_variables),
	cmocka_unit_test(test_variable_order_does_not_matter),
	cmocka_unit_test(test_errors_structure),
	cmocka_unit_test(test_errors_rights),
	cmocka_unit_test(test_errors_numbers),
	cmocka_unit_test(test_errors_variables),
	cmocka_unit_test(test_expansion_is_bounded),
	cmocka_unit_test(test_expanded_paths_are_bounded),
	cmocka_unit_test(test_json_errors_pass_through),
	cmocka_unit_test(test_print_exact),
	cmocka_unit_test(test_print_round_trip),
};

OL_UNIT_MAIN(tests)
