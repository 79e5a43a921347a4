/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the shorthand (path lists, port lists, scopes) and settings. */
#include "helpers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

#define ALL_FS	0x1ffffULL
#define BIND	OL_LL_ACCESS_NET_BIND_TCP
#define CONNECT OL_LL_ACCESS_NET_CONNECT_TCP

static void test_presets(void **state)
{
	(void) state;
	assert_true(ol_fs_preset_access(OL_FS_RO) ==
		    (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR));
	assert_true(
		ol_fs_preset_access(OL_FS_RX) ==
		(OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR | OL_LL_ACCESS_FS_EXECUTE));
	/* rw is everything but execute, truncate and refer included. */
	assert_true(ol_fs_preset_access(OL_FS_RW) == (ALL_FS & ~OL_LL_ACCESS_FS_EXECUTE));
	assert_true(ol_fs_preset_access(OL_FS_RW) & OL_LL_ACCESS_FS_TRUNCATE);
	assert_true(ol_fs_preset_access(OL_FS_RWX) == ALL_FS);
	assert_string_equal(ol_fs_preset_name(OL_FS_RWX), "rwx");
}

static void test_fs_lists(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RX, "/usr:/bin//x:/lib", &err), 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RW, "/tmp:/usr", &err), 0);
	/* Any path list handles every file-system right. */
	assert_true(rs.handled_fs == ALL_FS);
	assert_int_equal(rs.handled_net, 0);
	assert_int_equal(rs.n_paths, 4);
	assert_string_equal(rs.paths[0].path, "/bin/x");
	assert_string_equal(rs.paths[1].path, "/lib");
	assert_string_equal(rs.paths[2].path, "/tmp");
	assert_string_equal(rs.paths[3].path, "/usr");
	/* rx and rw on /usr merge to everything. */
	assert_true(rs.paths[3].access == ALL_FS);
	ol_ruleset_free(&rs);
}

/* fs.* handle resolve_unix only as implied; fs.unix names it. */
static void test_fs_unix(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RO, "/usr", &err), 0);
	assert_true(rs.handled_fs == ALL_FS);
	assert_true(rs.implied_fs == OL_LL_ACCESS_FS_RESOLVE_UNIX);
	assert_int_equal(ol_shorthand_unix(&rs, "/run/app.sock:/run/db", &err), 0);
	assert_true(rs.implied_fs == 0);
	assert_int_equal(rs.n_paths, 3);
	assert_string_equal(rs.paths[0].path, "/run/app.sock");
	assert_true(rs.paths[0].access == OL_LL_ACCESS_FS_RESOLVE_UNIX);
	ol_ruleset_free(&rs);

	/* The other order: named first, so a later fs.ro does not imply it. */
	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_unix(&rs, "", &err), 0);
	assert_true(rs.handled_fs == OL_LL_ACCESS_FS_RESOLVE_UNIX);
	assert_int_equal(rs.n_paths, 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RW, "/tmp", &err), 0);
	assert_true(rs.implied_fs == 0);
	assert_true(rs.paths[0].access & OL_LL_ACCESS_FS_RESOLVE_UNIX);
	ol_ruleset_free(&rs);

	/* A policy in the same layer that names it makes it explicit too. */
	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RO, "/usr", &err), 0);
	const char *doc = "{\"ruleset\":[{\"handledAccessFs\":[\"resolve_unix\"]}]}";
	assert_int_equal(ol_landlockconfig_parse(doc, strlen(doc), &rs, &err), 0);
	assert_true(rs.implied_fs == 0);
	ol_ruleset_free(&rs);

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_unix(&rs, "/run/../etc", &err), -EINVAL);
	assert_string_equal(err.msg, "'/run/../etc': a rule path cannot hold '..'");
	ol_ruleset_free(&rs);
}

static void fs_fails(const char *list, const char *msg)
{
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RO, list, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
	ol_ruleset_free(&rs);
}

static void test_fs_errors(void **state)
{
	(void) state;
	fs_fails("", "empty path list");
	fs_fails(":/usr", "empty path at position 1 in ':/usr'");
	fs_fails("/usr::/bin", "empty path at position 2 in '/usr::/bin'");
	fs_fails("/usr:", "empty path at position 2 in '/usr:'");
	fs_fails("/srv/app/..", "'/srv/app/..': a rule path cannot hold '..'");
	fs_fails("/usr:../etc", "'../etc': a rule path cannot hold '..'");
	fs_fails("/a/../b", "'/a/../b': a rule path cannot hold '..'");

	char long_path[5000];
	memset(long_path, 'x', sizeof(long_path) - 1);
	long_path[sizeof(long_path) - 1] = '\0';
	long_path[0] = '/';
	struct ol_error err = { 0 };
	struct ol_ruleset rs;
	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_fs(&rs, OL_FS_RO, long_path, &err), -ENAMETOOLONG);
	assert_string_equal(err.msg, "a path is longer than 4095 bytes");
	ol_ruleset_free(&rs);
}

static void test_ports(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, BIND, "443, 80,8000-8009 ,0", &err), 0);
	assert_int_equal(ol_shorthand_ports(&rs, CONNECT, "443", &err), 0);
	assert_true(rs.handled_net == (BIND | CONNECT));
	assert_int_equal(rs.handled_fs, 0);
	assert_int_equal(rs.n_ports, 13);
	assert_int_equal(rs.ports[0].port, 0);
	assert_int_equal(rs.ports[1].port, 80);
	assert_int_equal(rs.ports[2].port, 443);
	assert_true(rs.ports[2].access == (BIND | CONNECT));
	assert_int_equal(rs.ports[3].port, 8000);
	assert_int_equal(rs.ports[12].port, 8009);
	assert_true(rs.ports[12].access == BIND);
	ol_ruleset_free(&rs);
}

/* Repeated ranges merge as they come: no cap is reached, memory stays flat. */
static void test_ports_merge_as_they_grow(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, BIND, "80", &err), 0);
	assert_int_equal(ol_shorthand_ports(&rs, CONNECT, "0-65535,0-65535,0-65535,1-2", &err), 0);
	assert_int_equal(rs.n_ports, 65536);
	assert_true(rs.cap_ports <= 4 * 65536);
	assert_true(rs.ports[80].access == (BIND | CONNECT));
	assert_true(rs.ports[81].access == CONNECT);
	ol_ruleset_free(&rs);
}

/*
 * An annotation of 128 KiB of overlapping full ranges is merged before it is
 * expanded: it took a minute of CPU on the host when each range was expanded
 * and sorted on its own (found by the shorthand fuzz target's exec rate). The
 * rule array never grows past one full range; bench/bench-policy measures
 * the cost.
 */
static void test_overlapping_ranges_merge_first(void **state)
{
	(void) state;
	const char item[] = "0-65535,";
	size_t n = 32 * 4096 / (sizeof(item) - 1);
	char *list = malloc(n * (sizeof(item) - 1) + 1);
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_non_null(list);
	for (size_t i = 0; i < n; i++)
		memcpy(list + i * (sizeof(item) - 1), item, sizeof(item) - 1);
	list[n * (sizeof(item) - 1) - 1] = '\0'; /* no trailing comma */
	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, BIND, list, &err), 0);
	assert_int_equal(rs.n_ports, 65536);
	assert_true(rs.cap_ports == 65536);
	ol_ruleset_free(&rs);
	free(list);
}

/* Spaces separate too: podman's --annotation splits its value at commas. */
static void test_space_separated_lists(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, BIND, "  80   443 8000-8001,22 ", &err), 0);
	assert_int_equal(rs.n_ports, 5);
	assert_int_equal(rs.ports[0].port, 22);
	assert_int_equal(rs.ports[4].port, 8001);
	assert_int_equal(ol_shorthand_scope(&rs, false, "abstract_unix_socket signal", &err), 0);
	assert_true(rs.scoped == (OL_LL_SCOPE_SIGNAL | OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET));
	ol_ruleset_free(&rs);
}

static void test_empty_port_list_denies_all(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, CONNECT, "", &err), 0);
	assert_true(rs.handled_net == CONNECT);
	assert_int_equal(rs.n_ports, 0);
	ol_ruleset_free(&rs);
}

static void ports_fail(const char *list, const char *msg)
{
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_true(ol_shorthand_ports(&rs, BIND, list, &err) < 0);
	assert_string_equal(err.msg, msg);
	/* A refused list leaves the layer as it was: no rule, nothing handled. */
	assert_int_equal(rs.n_ports, 0);
	assert_true(rs.handled_net == 0);
	ol_ruleset_free(&rs);
}

static void test_port_errors(void **state)
{
	(void) state;
	ports_fail("80,,443", "empty port at position 2 in '80,,443'");
	ports_fail(",80", "empty port at position 1 in ',80'");
	ports_fail("80,", "empty port at position 2 in '80,'");
	ports_fail("65536", "port '65536' is out of range (0-65535)");
	ports_fail("99999999999999999999999", "port '99999999999999999999999' is "
					      "out of range (0-65535)");
	ports_fail("-1", "'-1' is not a port number or a range like 8000-8099");
	ports_fail("http", "'http' is not a port number or a range like 8000-8099");
	ports_fail("0x50", "'0x50' is not a port number or a range like 8000-8099");
	ports_fail("+80", "'+80' is not a port number or a range like 8000-8099");
	ports_fail("8000-", "'8000-' is not a port number or a range like 8000-8099");
	ports_fail("1-2-3", "'1-2-3' is not a port number or a range like 8000-8099");
	ports_fail("90-80", "range '90-80' ends before it starts");
	ports_fail("1-70000", "port '1-70000' is out of range (0-65535)");
	ports_fail(" ", "empty port at position 1 in ' '");
	ports_fail("80, ,443", "empty port at position 2 in '80, ,443'");
	ports_fail("80 4x3", "'4x3' is not a port number or a range like 8000-8099");
}

static void test_scopes(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_scope(&rs, false, "signal", &err), 0);
	assert_true(rs.scoped == OL_LL_SCOPE_SIGNAL);
	assert_int_equal(ol_shorthand_scope(&rs, false, "abstract_unix_socket,signal", &err), 0);
	assert_true(rs.scoped == (OL_LL_SCOPE_SIGNAL | OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET));
	ol_ruleset_free(&rs);

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_shorthand_scope(&rs, false, "all", &err), 0);
	assert_true(rs.scoped == (OL_LL_SCOPE_SIGNAL | OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET));
	assert_int_equal(rs.handled_fs, 0);
	assert_int_equal(ol_shorthand_scope(&rs, false, "", &err), -EINVAL);
	assert_string_equal(err.msg, "empty scope list");
	assert_int_equal(ol_shorthand_scope(&rs, false, "signal,", &err), -EINVAL);
	assert_string_equal(err.msg, "empty scope at position 2 in 'signal,'");
	assert_int_equal(ol_shorthand_scope(&rs, false, "abstract", &err), -EINVAL);
	assert_string_equal(err.msg, "unknown scope 'abstract'");
	assert_string_equal(err.hint, "valid scopes: abstract_unix_socket, signal, all");
	assert_int_equal(ol_shorthand_scope(&rs, false, "sigal", &err), -EINVAL);
	assert_string_equal(err.msg, "unknown scope 'sigal' (did you mean 'signal'?)");
	ol_ruleset_free(&rs);
}

static void test_mode(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	enum ol_mode mode = OL_MODE_STRICT;

	assert_int_equal(ol_parse_mode("best-effort", &mode, &err), 0);
	assert_int_equal(mode, OL_MODE_BEST_EFFORT);
	assert_int_equal(ol_parse_mode("strict", &mode, &err), 0);
	assert_int_equal(mode, OL_MODE_STRICT);
	assert_int_equal(ol_parse_mode("Strict", &mode, &err), -EINVAL);
	assert_string_equal(err.msg, "unknown mode 'Strict'");
	assert_int_equal(ol_parse_mode("", &mode, &err), -EINVAL);
	assert_int_equal(mode, OL_MODE_STRICT);
}

static void test_log(void **state)
{
	(void) state;
	struct ol_error err = { 0 };
	uint32_t flags = 99;

	assert_int_equal(OL_LOG_DEFAULT, OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON);
	assert_int_equal(ol_parse_log("new-exec-on", &flags, &err), 0);
	assert_int_equal(flags, OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON);
	assert_int_equal(ol_parse_log("off", &flags, &err), 0);
	assert_int_equal(flags, OL_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF);
	assert_int_equal(ol_parse_log("new-exec-on,subdomains-off,same-exec-off", &flags, &err), 0);
	assert_int_equal(flags, OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON |
					OL_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF |
					OL_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF);
	/* Spaces separate too (podman's --annotation splits at commas). */
	assert_int_equal(ol_parse_log("new-exec-on subdomains-off", &flags, &err), 0);
	assert_int_equal(flags, OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON |
					OL_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF);
	assert_int_equal(ol_parse_log("new-exec-on,subdomains-off,same-exec-off", &flags, &err), 0);
	assert_int_equal(ol_parse_log("off,new-exec-on", &flags, &err), -EINVAL);
	assert_string_equal(err.msg, "'off' contradicts 'new-exec-on' in "
				     "'off,new-exec-on'");
	assert_int_equal(ol_parse_log("verbose", &flags, &err), -EINVAL);
	assert_string_equal(err.msg, "unknown log setting 'verbose'");
	assert_int_equal(ol_parse_log("", &flags, &err), -EINVAL);
	assert_string_equal(err.msg, "empty item at position 1 in ''");
	assert_int_equal(ol_parse_log("off,", &flags, &err), -EINVAL);
	assert_string_equal(err.msg, "empty item at position 2 in 'off,'");
	/* A refused value leaves the flags alone. */
	assert_int_equal(flags, OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON |
					OL_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF |
					OL_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_presets),
	cmocka_unit_test(test_fs_lists),
	cmocka_unit_test(test_fs_unix),
	cmocka_unit_test(test_fs_errors),
	cmocka_unit_test(test_ports),
	cmocka_unit_test(test_ports_merge_as_they_grow),
	cmocka_unit_test(test_overlapping_ranges_merge_first),
	cmocka_unit_test(test_space_separated_lists),
	cmocka_unit_test(test_empty_port_list_denies_all),
	cmocka_unit_test(test_port_errors),
	cmocka_unit_test(test_scopes),
	cmocka_unit_test(test_mode),
	cmocka_unit_test(test_log),
};

OL_UNIT_MAIN(tests)
