/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for quiet logging (Landlock ABI 10): the landlockconfig
 * extension in JSON and TOML, the printer, the quiet.* shorthand, fitting
 * to fake ABIs 7 to 11 in both modes, and what the kernel would be given
 * (the ruleset attribute, its size, the add-rule flags).
 */
#include "helpers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "policy/policy.h"
#include "policy/toml.h"
#include "sandbox/abi.h"
#include "sandbox/apply.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

#define RO  (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR)
#define TCP (OL_LL_ACCESS_NET_BIND_TCP | OL_LL_ACCESS_NET_CONNECT_TCP)

/* A policy with every quiet setting: a quiet rule that allows nothing on
 * /proc, one that allows reading /srv, a quiet port; both scopes, one of
 * them quiet. */
static const char quiet_doc[] =
	"{\"ruleset\":[{\"handledAccessFs\":[\"read_file\",\"read_dir\",\"write_file\"],"
	"\"handledAccessNet\":[\"bind_tcp\",\"connect_tcp\"],"
	"\"scoped\":[\"abstract_unix_socket\",\"signal\"],"
	"\"quietAccessFs\":[\"read_file\",\"write_file\"],"
	"\"quietAccessNet\":[\"connect_tcp\"],\"quietScoped\":[\"signal\"]}],"
	"\"pathBeneath\":[{\"parent\":[\"/proc\"],\"quiet\":true},"
	"{\"allowedAccess\":[\"read_file\",\"read_dir\"],\"parent\":[\"/srv\"],\"quiet\":true},"
	"{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/etc\"],\"quiet\":false}],"
	"\"netPort\":[{\"allowedAccess\":[\"connect_tcp\"],\"port\":[443]},"
	"{\"port\":[53],\"quiet\":true}]}";

static void test_parse(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	policy_ok(quiet_doc, &rs);
	assert_true(rs.handled_fs == (RO | OL_LL_ACCESS_FS_WRITE_FILE));
	assert_true(rs.quiet_fs == (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_WRITE_FILE));
	assert_true(rs.quiet_net == OL_LL_ACCESS_NET_CONNECT_TCP);
	assert_true(rs.quiet_scoped == OL_LL_SCOPE_SIGNAL);
	assert_int_equal(rs.n_paths, 3);
	assert_string_equal(rs.paths[0].path, "/etc");
	assert_false(rs.paths[0].quiet);
	assert_string_equal(rs.paths[1].path, "/proc");
	assert_true(rs.paths[1].access == 0);
	assert_true(rs.paths[1].quiet);
	assert_string_equal(rs.paths[2].path, "/srv");
	assert_true(rs.paths[2].access == RO);
	assert_true(rs.paths[2].quiet);
	assert_int_equal(rs.n_ports, 2);
	assert_int_equal(rs.ports[0].port, 53);
	assert_true(rs.ports[0].access == 0);
	assert_true(rs.ports[0].quiet);
	assert_int_equal(rs.ports[1].port, 443);
	assert_false(rs.ports[1].quiet);
	assert_true(ol_ruleset_has_quiet(&rs));
	ol_ruleset_free(&rs);
}

/* A quiet and a plain rule on one object merge into a quiet one. */
static void test_merge(void **state)
{
	(void) state;
	struct ol_ruleset rs;

	policy_ok("{\"ruleset\":[{\"quietAccessFs\":[\"read_file\"]}],"
		  "\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/a\"]},"
		  "{\"parent\":[\"/a\"],\"quiet\":true}]}",
		  &rs);
	assert_int_equal(rs.n_paths, 1);
	assert_true(rs.paths[0].access == OL_LL_ACCESS_FS_READ_FILE);
	assert_true(rs.paths[0].quiet);
	ol_ruleset_free(&rs);
}

static void test_parse_errors(void **state)
{
	(void) state;
	policy_fails("{\"ruleset\":[{\"handledAccessFs\":[\"read_file\"],"
		     "\"quietAccessFs\":[\"read_file\",\"write_file\",\"make_dir\"]}]}",
		     "ruleset[0].quietAccessFs: write_file, make_dir are not handled by the "
		     "policy",
		     "a denial this layer does not make cannot be kept quiet: add them to "
		     "handledAccessFs too, or remove them here");
	policy_fails("{\"ruleset\":[{\"handledAccessNet\":[\"bind_tcp\"],"
		     "\"quietAccessNet\":[\"connect_tcp\"]}]}",
		     "ruleset[0].quietAccessNet: connect_tcp is not handled by the policy",
		     "a denial this layer does not make cannot be kept quiet: add them to "
		     "handledAccessNet too, or remove them here");
	policy_fails("{\"ruleset\":[{\"scoped\":[\"signal\"]},"
		     "{\"quietScoped\":[\"abstract_unix_socket\"]}]}",
		     "ruleset[1].quietScoped: abstract_unix_socket is not set by the policy",
		     "a denial this layer does not make cannot be kept quiet: add them to "
		     "scoped too, or remove them here");
	/* A rule's rights count as handled, as landlockconfig says. */
	policy_fails("{\"ruleset\":[{\"handledAccessFs\":[\"read_file\"]}],"
		     "\"pathBeneath\":[{\"parent\":[\"/a\"],\"quiet\":true}]}",
		     "pathBeneath[0].quiet: no ruleset has quietAccessFs",
		     "a quiet rule keeps the denials of the rights in quietAccessFs out of the "
		     "log: name them in a ruleset");
	policy_fails("{\"ruleset\":[{\"quietAccessFs\":[\"read_file\"]}],"
		     "\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/a\"]}],"
		     "\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[1]},"
		     "{\"port\":[2],\"quiet\":true}]}",
		     "netPort[1].quiet: no ruleset has quietAccessNet", NULL);
	policy_fails("{\"pathBeneath\":[{\"parent\":[\"/a\"],\"quiet\":1}]}",
		     "pathBeneath[0].quiet: expected true or false, found number", NULL);
	policy_fails("{\"pathBeneath\":[{\"parent\":[\"/a\"],\"quiet\":false}]}",
		     "pathBeneath[0]: missing \"allowedAccess\"", NULL);
	policy_fails("{\"ruleset\":[{\"quietAccessFs\":[]}]}",
		     "ruleset[0].quietAccessFs: empty list", NULL);
	policy_fails("{\"ruleset\":[{\"quietAccessFs\":[\"bind_tcp\"]}]}",
		     "ruleset[0].quietAccessFs[0]: \"bind_tcp\" is a network right, not a "
		     "file-system right",
		     NULL);
	/* Nothing handled: quiet alone restricts nothing. */
	policy_fails("{\"pathBeneath\":[{\"parent\":[\"/a\"],\"quiet\":true}]}",
		     "pathBeneath[0].quiet: no ruleset has quietAccessFs", NULL);
}

/* Parse, print, parse: the same layer, and the exact canonical text. */
static void test_print_round_trip(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset a, b;
	char *out = NULL;
	size_t len;

	policy_ok(quiet_doc, &a);
	assert_int_equal(ol_ruleset_print(&a, OL_JSON_COMPACT, &out, &len, &err), 0);
	assert_string_equal(
		out,
		"{\"ruleset\":[{\"handledAccessFs\":[\"write_file\",\"read_file\",\"read_dir\"],"
		"\"handledAccessNet\":[\"bind_tcp\",\"connect_tcp\"],"
		"\"scoped\":[\"abstract_unix_socket\",\"signal\"],"
		"\"quietAccessFs\":[\"write_file\",\"read_file\"],"
		"\"quietAccessNet\":[\"connect_tcp\"],\"quietScoped\":[\"signal\"]}],"
		"\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/etc\"]},"
		"{\"parent\":[\"/proc\"],\"quiet\":true},"
		"{\"allowedAccess\":[\"read_file\",\"read_dir\"],\"parent\":[\"/srv\"],"
		"\"quiet\":true}],"
		"\"netPort\":[{\"port\":[53],\"quiet\":true},"
		"{\"allowedAccess\":[\"connect_tcp\"],\"port\":[443]}]}");
	policy_ok(out, &b);
	assert_same_layer(&a, &b, true);
	free(out);
	ol_ruleset_free(&a);
	ol_ruleset_free(&b);
}

/* The TOML form says the same in snake_case; its errors in its terms. */
static void test_toml(void **state)
{
	(void) state;
	static const char toml[] = "[[ruleset]]\n"
				   "handled_access_fs = [\"read_file\", \"read_dir\", "
				   "\"write_file\"]\n"
				   "handled_access_net = [\"bind_tcp\", \"connect_tcp\"]\n"
				   "scoped = [\"abstract_unix_socket\", \"signal\"]\n"
				   "quiet_access_fs = [\"read_file\", \"write_file\"]\n"
				   "quiet_access_net = [\"connect_tcp\"]\n"
				   "quiet_scoped = [\"signal\"]\n"
				   "[[path_beneath]]\n"
				   "parent = [\"/proc\"]\n"
				   "quiet = true\n"
				   "[[path_beneath]]\n"
				   "allowed_access = [\"read_file\", \"read_dir\"]\n"
				   "parent = [\"/srv\"]\n"
				   "quiet = true\n"
				   "[[path_beneath]]\n"
				   "allowed_access = [\"read_file\"]\n"
				   "parent = [\"/etc\"]\n"
				   "quiet = false\n"
				   "[[net_port]]\n"
				   "allowed_access = [\"connect_tcp\"]\n"
				   "port = [443]\n"
				   "[[net_port]]\n"
				   "port = [53]\n"
				   "quiet = true\n";
	static const char bad[] = "[[ruleset]]\n"
				  "handled_access_fs = [\"read_file\"]\n"
				  "quiet_access_fs = [\"make_dir\"]\n";
	struct ol_error err = { 0 };
	struct ol_ruleset a, b;

	policy_ok(quiet_doc, &a);
	assert_int_equal(ol_ruleset_init(&b, "test"), 0);
	if (ol_landlockconfig_parse_toml(toml, strlen(toml), &b, &err) < 0)
		fail_msg("%s", err.msg);
	assert_same_layer(&a, &b, true);
	ol_ruleset_free(&b);
	assert_int_equal(ol_ruleset_init(&b, "test"), 0);
	assert_int_equal(ol_landlockconfig_parse_toml(bad, strlen(bad), &b, &err), -EINVAL);
	assert_string_equal(err.msg, "line 3: ruleset[0].quiet_access_fs: make_dir is not handled "
				     "by the policy");
	assert_string_equal(err.hint, "a denial this layer does not make cannot be kept quiet: "
				      "add them to handled_access_fs too, or remove them here");
	ol_ruleset_free(&a);
	ol_ruleset_free(&b);
}

/* The shorthand's quiet words: rules that allow nothing, quiet rights that
 * follow what the layer handles, and nothing handled by them. */
static void test_shorthand(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_quiet_fs(&rs, "/proc:/sys", &err), 0);
	assert_int_equal(ol_shorthand_quiet_ports(&rs, "53,5353-5354", &err), 0);
	assert_int_equal(ol_shorthand_scope(&rs, true, "signal", &err), 0);
	assert_true(rs.handled_fs == 0 && rs.handled_net == 0 && rs.scoped == 0);
	assert_true(ol_ruleset_is_empty(&rs));
	assert_int_equal(rs.n_paths, 2);
	assert_true(rs.paths[0].quiet && rs.paths[0].access == 0);
	assert_int_equal(rs.n_ports, 3);
	assert_true(rs.ports[2].quiet && rs.ports[2].port == 5354);
	assert_true(rs.quiet_scoped == OL_LL_SCOPE_SIGNAL);
	/* What the layer handles later is what is quiet. */
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RO, "/usr", &err), 0);
	assert_int_equal(ol_shorthand_ports(&rs, OL_LL_ACCESS_NET_CONNECT_TCP, "443", &err), 0);
	assert_int_equal(ol_shorthand_scope(&rs, false, "signal", &err), 0);
	assert_true(ol_ruleset_quiet_fs(&rs) == rs.handled_fs);
	assert_true(rs.handled_fs == ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX));
	assert_true(ol_ruleset_quiet_net(&rs) == OL_LL_ACCESS_NET_CONNECT_TCP);
	ol_ruleset_free(&rs);

	assert_int_equal(ol_ruleset_init(&rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_quiet_fs(&rs, "", &err), -EINVAL);
	assert_string_equal(err.msg, "empty path list");
	assert_int_equal(ol_shorthand_quiet_ports(&rs, "", &err), -EINVAL);
	assert_string_equal(err.msg, "empty port list");
	assert_int_equal(ol_shorthand_quiet_ports(&rs, "70000", &err), -EINVAL);
	assert_string_equal(err.msg, "port '70000' is out of range (0-65535)");
	assert_int_equal(ol_shorthand_quiet_fs(&rs, "/a/../b", &err), -EINVAL);
	assert_string_equal(err.msg, "'/a/../b': a rule path cannot hold '..'");
	assert_int_equal(ol_shorthand_scope(&rs, true, "sigal", &err), -EINVAL);
	assert_string_equal(err.msg, "unknown scope 'sigal' (did you mean 'signal'?)");
	ol_ruleset_free(&rs);
}

/* A layer of the shorthand with every quiet word and what they need. */
static void shorthand_layer(struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_ruleset_init(rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_fs(rs, OL_FS_RO, "/usr", &err), 0);
	assert_int_equal(ol_shorthand_quiet_fs(rs, "/proc", &err), 0);
	assert_int_equal(ol_shorthand_ports(rs, OL_LL_ACCESS_NET_CONNECT_TCP, "443", &err), 0);
	assert_int_equal(ol_shorthand_quiet_ports(rs, "53", &err), 0);
	assert_int_equal(ol_shorthand_scope(rs, false, "all", &err), 0);
	assert_int_equal(ol_shorthand_scope(rs, true, "signal", &err), 0);
}

#define Q10 "ABI 10 (Linux 7.2)"
#define QUIET_MISSING                                                                              \
	"quiet_access_fs needs " Q10 ", quiet_access_net needs " Q10 ", quiet_scoped needs " Q10   \
	", the quiet flag of 2 rules needs " Q10

static void test_fit_per_abi(void **state)
{
	(void) state;
	for (int abi = 7; abi <= 11; abi++) {
		struct ol_strv warnings = { 0 };
		struct ol_error err = { 0 };
		struct ol_ll_ruleset_attr attr;
		struct ol_ruleset rs;
		char want[512];
		size_t size;

		shorthand_layer(&rs);
		if (abi < OL_ABI_QUIET) {
			assert_int_equal(ol_ruleset_fit(&rs, abi, OL_MODE_STRICT, &warnings, &err),
					 -EOPNOTSUPP);
			snprintf(want, sizeof(want),
				 "annotations: this kernel has Landlock ABI %d and cannot "
				 "enforce: " QUIET_MISSING,
				 abi);
			assert_string_equal(err.msg, want);
			assert_string_equal(err.hint,
					    "use a newer kernel, remove these from the policy, or "
					    "set the mode to best-effort to run without them "
					    "(every denial is then logged)");
		} else {
			assert_int_equal(ol_ruleset_fit(&rs, abi, OL_MODE_STRICT, &warnings, &err),
					 0);
		}
		assert_int_equal(warnings.n, 0);
		ol_ruleset_free(&rs);

		shorthand_layer(&rs);
		assert_int_equal(ol_ruleset_fit(&rs, abi, OL_MODE_BEST_EFFORT, &warnings, &err), 0);
		size = ol_ruleset_attr(&rs, abi, &attr);
		assert_int_equal(size, ol_ll_ruleset_attr_size(abi));
		assert_true(attr.handled_access_fs == ol_rights_mask(OL_RIGHT_FS, abi));
		assert_true(attr.handled_access_net == OL_LL_ACCESS_NET_CONNECT_TCP);
		if (abi < OL_ABI_QUIET) {
			snprintf(want, sizeof(want),
				 "annotations: this kernel has Landlock ABI %d and logs the "
				 "denials meant to be quiet: " QUIET_MISSING,
				 abi);
			assert_int_equal(warnings.n, 1);
			assert_string_equal(warnings.v[0], want);
			/* The quiet-only rules are gone, the others plain. */
			assert_int_equal(rs.n_paths, 1);
			assert_string_equal(rs.paths[0].path, "/usr");
			assert_int_equal(rs.n_ports, 1);
			assert_int_equal(rs.ports[0].port, 443);
			assert_false(ol_ruleset_has_quiet(&rs));
			assert_int_equal(size, 24);
			assert_true(attr.quiet_access_fs == 0 && attr.quiet_access_net == 0 &&
				    attr.quiet_scoped == 0);
		} else {
			assert_int_equal(warnings.n, 0);
			assert_int_equal(size, 48);
			assert_true(attr.quiet_access_fs == attr.handled_access_fs);
			assert_true(attr.quiet_access_net == OL_LL_ACCESS_NET_CONNECT_TCP);
			assert_true(attr.quiet_scoped == OL_LL_SCOPE_SIGNAL);
			assert_int_equal(rs.n_paths, 2);
			assert_string_equal(rs.paths[0].path, "/proc");
			assert_true(rs.paths[0].quiet && rs.paths[0].access == 0);
			assert_false(rs.paths[1].quiet);
			assert_true(rs.ports[0].quiet && rs.ports[0].port == 53);
		}
		ol_strv_free(&warnings);
		ol_ruleset_free(&rs);
	}
}

/* A quiet setting alone among new rights: one warning names both. */
static void test_fit_with_new_rights(void **state)
{
	(void) state;
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, OL_LL_ACCESS_NET_BIND_UDP, "0", &err), 0);
	assert_int_equal(ol_shorthand_quiet_ports(&rs, "53", &err), 0);
	assert_int_equal(ol_ruleset_fit(&rs, 9, OL_MODE_STRICT, &warnings, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "annotations: this kernel has Landlock ABI 9 and cannot "
				     "enforce: bind_udp needs " Q10 ", quiet_access_net needs " Q10
				     ", the quiet flag of 1 rule needs " Q10);
	assert_int_equal(ol_ruleset_fit(&rs, 9, OL_MODE_BEST_EFFORT, &warnings, &err), 0);
	assert_int_equal(warnings.n, 2);
	assert_string_equal(warnings.v[0],
			    "annotations: this kernel has Landlock ABI 9 and does not restrict: "
			    "bind_udp needs " Q10 "; it logs the denials meant to be quiet: "
			    "quiet_access_net needs " Q10 ", the quiet flag of 1 rule needs " Q10);
	assert_string_equal(warnings.v[1], "annotations: nothing left to enforce, layer skipped");
	assert_true(ol_ruleset_is_empty(&rs));
	assert_int_equal(rs.n_ports, 0);
	ol_strv_free(&warnings);
	ol_ruleset_free(&rs);
}

/* What fitting refuses on every kernel: quiet settings with nothing to
 * keep quiet.  The shorthand cannot say it with a JSON path. */
static void test_fit_refuses_meaningless_quiet(void **state)
{
	(void) state;
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, OL_LL_ACCESS_NET_BIND_TCP, "80", &err), 0);
	assert_int_equal(ol_shorthand_quiet_fs(&rs, "/proc", &err), 0);
	assert_int_equal(ol_ruleset_fit(&rs, 10, OL_MODE_BEST_EFFORT, &warnings, &err), -EINVAL);
	assert_string_equal(err.msg, "annotations: quiet paths, but the layer handles no "
				     "file-system right whose denials they could keep out of the "
				     "log");
	assert_string_equal(err.hint, "give the paths' layer file-system rules too (fs.ro, "
				      "fs.rw, ...), or drop the quiet paths");
	ol_ruleset_free(&rs);

	assert_int_equal(ol_ruleset_init(&rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RO, "/", &err), 0);
	assert_int_equal(ol_shorthand_quiet_ports(&rs, "53", &err), 0);
	assert_int_equal(ol_ruleset_fit(&rs, 10, OL_MODE_STRICT, &warnings, &err), -EINVAL);
	assert_string_equal(err.msg, "annotations: quiet ports, but the layer handles no network "
				     "right whose denials they could keep out of the log");
	ol_ruleset_free(&rs);

	assert_int_equal(ol_ruleset_init(&rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_scope(&rs, false, "signal", &err), 0);
	assert_int_equal(ol_shorthand_scope(&rs, true, "all", &err), 0);
	assert_int_equal(ol_ruleset_fit(&rs, 7, OL_MODE_BEST_EFFORT, &warnings, &err), -EINVAL);
	assert_string_equal(err.msg, "annotations: quiet scope abstract_unix_socket, but the "
				     "layer does not set it");
	assert_string_equal(err.hint, "a denial the layer does not make cannot be kept quiet: set "
				      "the scope too (oci.landlock.scope, --scope), or drop it "
				      "from the quiet ones");
	assert_int_equal(warnings.n, 0);
	ol_ruleset_free(&rs);
}

/* quiet.fs keeps quiet everything the layer handles on the kernel: on ABI
 * 10 that includes the resolve_unix fs.ro implies. */
static void test_fit_quiet_follows_handled(void **state)
{
	(void) state;
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	shorthand_layer(&rs);
	assert_int_equal(ol_ruleset_fit(&rs, 10, OL_MODE_STRICT, &warnings, &err), 0);
	assert_true(rs.quiet_fs == ol_rights_mask(OL_RIGHT_FS, 10));
	assert_true(rs.quiet_fs & OL_LL_ACCESS_FS_RESOLVE_UNIX);
	ol_ruleset_free(&rs);
}

static void test_rule_flags(void **state)
{
	(void) state;
	for (int abi = 1; abi <= 11; abi++) {
		assert_int_equal(ol_rule_flags(false, abi), 0);
		assert_int_equal(ol_rule_flags(true, abi), abi >= 10 ? OL_LL_ADD_RULE_QUIET : 0);
	}
	assert_int_equal(OL_LL_ADD_RULE_QUIET, 1);
}

/* The attribute's fields beyond the size a kernel knows are zero. */
static void test_attr_zeroes_unknown_fields(void **state)
{
	(void) state;
	struct ol_ruleset rs;
	struct ol_ll_ruleset_attr attr;

	policy_ok(quiet_doc, &rs);
	assert_int_equal(ol_ruleset_attr(&rs, 10, &attr), 48);
	assert_true(attr.quiet_scoped == OL_LL_SCOPE_SIGNAL);
	assert_int_equal(ol_ruleset_attr(&rs, 6, &attr), 24);
	assert_true(attr.scoped == 3 && attr.quiet_access_fs == 0 && attr.quiet_scoped == 0);
	assert_int_equal(ol_ruleset_attr(&rs, 4, &attr), 16);
	assert_true(attr.handled_access_net == TCP && attr.scoped == 0);
	assert_int_equal(ol_ruleset_attr(&rs, 1, &attr), 8);
	assert_true(attr.handled_access_net == 0);
	ol_ruleset_free(&rs);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_merge),
	cmocka_unit_test(test_parse_errors),
	cmocka_unit_test(test_print_round_trip),
	cmocka_unit_test(test_toml),
	cmocka_unit_test(test_shorthand),
	cmocka_unit_test(test_fit_per_abi),
	cmocka_unit_test(test_fit_with_new_rights),
	cmocka_unit_test(test_fit_refuses_meaningless_quiet),
	cmocka_unit_test(test_fit_quiet_follows_handled),
	cmocka_unit_test(test_rule_flags),
	cmocka_unit_test(test_attr_zeroes_unknown_fields),
};

OL_UNIT_MAIN(tests)
