/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for fitting layers to a kernel ABI (sandbox/abi.c), run
 * against every ABI from 1 to newer than known, and for the kernel check.
 * This is where strict refusal is proven: the real kernel of the test
 * machine has every right, and nothing in the shipped programs can make
 * it look older.
 */
#include "helpers.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/strv.h"
#include "policy/policy.h"
#include "sandbox/abi.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

/* A layer that handles every known right, scope and rule type. */
static void full_layer(struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_ruleset_init(rs, "--fs/--net/--scope options"), 0);
	assert_int_equal(ol_shorthand_fs(rs, OL_FS_RWX, "/data", &err), 0);
	assert_int_equal(ol_shorthand_fs(rs, OL_FS_RO, "/usr", &err), 0);
	assert_int_equal(ol_shorthand_ports(rs, OL_LL_ACCESS_NET_BIND_TCP, "80", &err), 0);
	assert_int_equal(ol_shorthand_ports(rs, OL_LL_ACCESS_NET_CONNECT_TCP, "", &err), 0);
	assert_int_equal(ol_shorthand_scope(rs, false, "all", &err), 0);
}

struct abi_expect {
	int abi;
	uint64_t fs, net, scope;
	const char *strict_msg; /* NULL: strict accepts */
	const char *warning;	/* best effort; NULL: no warning */
};

#define SRC    "--fs/--net/--scope options: this kernel has Landlock ABI "
#define N_ABI6 "abstract_unix_socket needs ABI 6 (Linux 6.12), signal needs ABI 6 (Linux 6.12)"
#define N_TCP  "bind_tcp needs ABI 4 (Linux 6.7), connect_tcp needs ABI 4 (Linux 6.7), "
/*
 * The shorthand layer handles resolve_unix (ABI 9) only where the kernel
 * has it: no ABI below 9 refuses or warns about it.
 */
static const struct abi_expect expects[] = {
	{ 1, 0x1fff, 0, 0,
	  SRC "1 and cannot enforce: refer needs ABI 2 (Linux 5.19), truncate needs ABI 3 "
	      "(Linux 6.2), ioctl_dev needs ABI 5 (Linux 6.10), " N_TCP N_ABI6,
	  SRC "1 and does not restrict: refer needs ABI 2 (Linux 5.19), truncate needs "
	      "ABI 3 (Linux 6.2), ioctl_dev needs ABI 5 (Linux 6.10), " N_TCP N_ABI6 },
	{ 2, 0x3fff, 0, 0,
	  SRC "2 and cannot enforce: truncate needs ABI 3 (Linux 6.2), ioctl_dev needs "
	      "ABI 5 (Linux 6.10), " N_TCP N_ABI6,
	  SRC "2 and does not restrict: truncate needs ABI 3 (Linux 6.2), ioctl_dev needs "
	      "ABI 5 (Linux 6.10), " N_TCP N_ABI6 },
	{ 3, 0x7fff, 0, 0,
	  SRC "3 and cannot enforce: ioctl_dev needs ABI 5 (Linux 6.10), " N_TCP N_ABI6,
	  SRC "3 and does not restrict: ioctl_dev needs ABI 5 (Linux 6.10), " N_TCP N_ABI6 },
	{ 4, 0x7fff, 3, 0, SRC "4 and cannot enforce: ioctl_dev needs ABI 5 (Linux 6.10), " N_ABI6,
	  SRC "4 and does not restrict: ioctl_dev needs ABI 5 (Linux 6.10), " N_ABI6 },
	{ 5, 0xffff, 3, 0, SRC "5 and cannot enforce: " N_ABI6,
	  SRC "5 and does not restrict: " N_ABI6 },
	{ 6, 0xffff, 3, 3, NULL, NULL },
	{ 7, 0xffff, 3, 3, NULL, NULL },
	{ 8, 0xffff, 3, 3, NULL, NULL },
	{ 9, 0x1ffff, 3, 3, NULL, NULL },
	{ 10, 0x1ffff, 3, 3, NULL, NULL },
	{ 11, 0x1ffff, 3, 3, NULL, NULL },
	{ 42, 0x1ffff, 3, 3, NULL, NULL },
};

static void test_strict_per_abi(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(expects) / sizeof(expects[0]); i++) {
		const struct abi_expect *e = &expects[i];
		struct ol_strv warnings = { 0 };
		struct ol_error err = { 0 };
		struct ol_ruleset rs;
		int r;

		full_layer(&rs);
		r = ol_ruleset_fit(&rs, e->abi, OL_MODE_STRICT, &warnings, &err);
		if (e->strict_msg) {
			assert_int_equal(r, -EOPNOTSUPP);
			assert_string_equal(err.msg, e->strict_msg);
			assert_string_equal(err.hint,
					    "use a newer kernel, remove these rights from "
					    "the policy, or set the mode to best-effort to "
					    "run without them");
		} else {
			assert_int_equal(r, 0);
			assert_true(rs.handled_fs == e->fs);
		}
		/* Strict never warns: it either enforces all or refuses. */
		assert_int_equal(warnings.n, 0);
		ol_strv_free(&warnings);
		ol_ruleset_free(&rs);
	}
}

static void test_best_effort_per_abi(void **state)
{
	(void) state;
	for (size_t i = 0; i < sizeof(expects) / sizeof(expects[0]); i++) {
		const struct abi_expect *e = &expects[i];
		struct ol_strv warnings = { 0 };
		struct ol_error err = { 0 };
		struct ol_ruleset rs;

		full_layer(&rs);
		assert_int_equal(ol_ruleset_fit(&rs, e->abi, OL_MODE_BEST_EFFORT, &warnings, &err),
				 0);
		assert_true(rs.handled_fs == e->fs);
		assert_true(rs.handled_net == e->net);
		assert_true(rs.scoped == e->scope);
		/* Rules keep only what is handled; port rules vanish without net. */
		assert_int_equal(rs.n_paths, 2);
		assert_string_equal(rs.paths[0].path, "/data");
		assert_true(rs.paths[0].access == e->fs);
		assert_string_equal(rs.paths[1].path, "/usr");
		assert_true(rs.paths[1].access ==
			    (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR));
		assert_int_equal(rs.n_ports, e->net ? 1 : 0);
		if (e->warning) {
			assert_int_equal(warnings.n, 1);
			assert_string_equal(warnings.v[0], e->warning);
		} else {
			assert_int_equal(warnings.n, 0);
		}
		ol_strv_free(&warnings);
		ol_ruleset_free(&rs);
	}
}

/* A network-only layer is left with nothing on a kernel before ABI 4. */
static void test_best_effort_empties_layer(void **state)
{
	(void) state;
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "net"), 0);
	assert_int_equal(ol_shorthand_ports(&rs, OL_LL_ACCESS_NET_CONNECT_TCP, "443", &err), 0);
	assert_int_equal(ol_ruleset_fit(&rs, 3, OL_MODE_BEST_EFFORT, &warnings, &err), 0);
	assert_true(ol_ruleset_is_empty(&rs));
	assert_int_equal(rs.n_ports, 0);
	assert_int_equal(warnings.n, 2);
	assert_string_equal(warnings.v[0],
			    "net: this kernel has Landlock ABI 3 and "
			    "does not restrict: connect_tcp needs ABI 4 (Linux 6.7)");
	assert_string_equal(warnings.v[1], "net: nothing left to enforce, layer skipped");
	ol_strv_free(&warnings);
	ol_ruleset_free(&rs);
}

/*
 * The rights of ABI 9 and 10, named: refused in strict mode on each older
 * ABI, dropped with one warning in best effort.  Only these fake ABIs can
 * show it: the test machine's kernel has ABI 7.
 */
static void new_rights_layer(struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_ruleset_init(rs, "annotations"), 0);
	assert_int_equal(ol_shorthand_fs(rs, OL_FS_RO, "/usr", &err), 0);
	assert_int_equal(ol_shorthand_unix(rs, "/run/app.sock", &err), 0);
	assert_int_equal(ol_shorthand_ports(rs, OL_LL_ACCESS_NET_BIND_UDP, "0", &err), 0);
	assert_int_equal(ol_shorthand_ports(rs, OL_LL_ACCESS_NET_CONNECT_SEND_UDP, "53", &err), 0);
}

#define UNIX_9 "resolve_unix needs ABI 9 (Linux 7.1)"
#define UDP_10 "bind_udp needs ABI 10 (Linux 7.2), connect_send_udp needs ABI 10 (Linux 7.2)"
static void test_new_rights_per_abi(void **state)
{
	(void) state;
	static const struct {
		int abi;
		const char *missing; /* NULL: enforceable */
		uint64_t fs, net;
		size_t paths, ports;
	} cases[] = {
		{ 6, UNIX_9 ", " UDP_10, 0xffff, 0, 1, 0 },
		{ 7, UNIX_9 ", " UDP_10, 0xffff, 0, 1, 0 },
		{ 8, UNIX_9 ", " UDP_10, 0xffff, 0, 1, 0 },
		{ 9, UDP_10, 0x1ffff, 0, 2, 0 },
		{ 10, NULL, 0x1ffff, 0xc, 2, 2 },
		{ 11, NULL, 0x1ffff, 0xc, 2, 2 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ol_strv warnings = { 0 };
		struct ol_error err = { 0 };
		char want[512];
		struct ol_ruleset rs;

		new_rights_layer(&rs);
		if (cases[i].missing) {
			snprintf(want, sizeof(want),
				 "annotations: this kernel has Landlock ABI %d and cannot "
				 "enforce: %s",
				 cases[i].abi, cases[i].missing);
			assert_int_equal(
				ol_ruleset_fit(&rs, cases[i].abi, OL_MODE_STRICT, &warnings, &err),
				-EOPNOTSUPP);
			assert_string_equal(err.msg, want);
		} else {
			assert_int_equal(
				ol_ruleset_fit(&rs, cases[i].abi, OL_MODE_STRICT, &warnings, &err),
				0);
		}
		assert_int_equal(warnings.n, 0);
		ol_ruleset_free(&rs);

		new_rights_layer(&rs);
		assert_int_equal(
			ol_ruleset_fit(&rs, cases[i].abi, OL_MODE_BEST_EFFORT, &warnings, &err), 0);
		assert_true(rs.handled_fs == cases[i].fs);
		assert_true(rs.handled_net == cases[i].net);
		assert_int_equal(rs.n_paths, cases[i].paths);
		assert_int_equal(rs.n_ports, cases[i].ports);
		if (cases[i].missing) {
			snprintf(want, sizeof(want),
				 "annotations: this kernel has Landlock ABI %d and does not "
				 "restrict: %s",
				 cases[i].abi, cases[i].missing);
			assert_int_equal(warnings.n, 1);
			assert_string_equal(warnings.v[0], want);
		} else {
			assert_int_equal(warnings.n, 0);
		}
		ol_strv_free(&warnings);
		ol_ruleset_free(&rs);
	}
}

/* A policy's "abi": 9 group names resolve_unix: refused on ABI 7. */
static void test_group_abi_9_on_7(void **state);

static void parse(const char *doc, struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_ruleset_init(rs, "--policy #1"), 0);
	if (ol_landlockconfig_parse(doc, strlen(doc), rs, &err) < 0)
		fail_msg("%s", err.msg);
}

/* "abi" newer than this version knows: refused when strict. */
static void test_group_abi_newer_than_known(void **state)
{
	(void) state;
	const char *doc = "{\"abi\":11,\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"]}]}";
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	parse(doc, &rs);
	assert_int_equal(ol_ruleset_fit(&rs, 10, OL_MODE_STRICT, &warnings, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "--policy #1: \"abi\" is 11 but this version of "
				     "oci-landlock knows rights up to ABI 10 only");
	assert_string_equal(err.hint, "update oci-landlock, lower \"abi\" in the "
				      "policy, or set the mode to best-effort");
	assert_int_equal(ol_ruleset_fit(&rs, 10, OL_MODE_BEST_EFFORT, &warnings, &err), 0);
	assert_int_equal(warnings.n, 1);
	assert_string_equal(warnings.v[0], "--policy #1: \"abi\" is 11, rights newer than "
					   "ABI 10 are unknown to this version and not "
					   "restricted");
	assert_true(rs.handled_fs == 0x1ffff);
	ol_strv_free(&warnings);
	ol_ruleset_free(&rs);

	/* An older "abi" resolves to fewer rights and is enforceable anywhere. */
	parse("{\"abi\":1,\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"]}]}", &rs);
	assert_int_equal(ol_ruleset_fit(&rs, 1, OL_MODE_STRICT, &warnings, &err), 0);
	assert_true(rs.handled_fs == 0x1fff);
	ol_ruleset_free(&rs);
}

static void test_group_abi_9_on_7(void **state)
{
	(void) state;
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	parse("{\"abi\":9,\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"]}]}", &rs);
	assert_int_equal(ol_ruleset_fit(&rs, 7, OL_MODE_STRICT, &warnings, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "--policy #1: this kernel has Landlock ABI 7 and "
				     "cannot enforce: " UNIX_9);
	assert_int_equal(ol_ruleset_fit(&rs, 9, OL_MODE_STRICT, &warnings, &err), 0);
	assert_true(rs.handled_fs == 0x1ffff);
	ol_ruleset_free(&rs);
	assert_int_equal(warnings.n, 0);
}

/* A right that needs ABI 3, in a policy that does not use groups. */
static void test_single_right_strict(void **state)
{
	(void) state;
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	parse("{\"pathBeneath\":[{\"allowedAccess\":[\"write_file\",\"truncate\"],"
	      "\"parent\":[\"/tmp\"]}]}",
	      &rs);
	assert_int_equal(ol_ruleset_fit(&rs, 2, OL_MODE_STRICT, &warnings, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "--policy #1: this kernel has Landlock ABI 2 and "
				     "cannot enforce: truncate needs ABI 3 (Linux 6.2)");
	assert_int_equal(ol_ruleset_fit(&rs, 3, OL_MODE_STRICT, &warnings, &err), 0);
	ol_ruleset_free(&rs);
	ol_strv_free(&warnings);
}

static void test_kernel_require(void **state)
{
	(void) state;
	struct ol_kernel k = { .abi = 0, .probe_errno = ENOSYS };
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };

	assert_int_equal(ol_kernel_require(&k, OL_MODE_STRICT, &warnings, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "cannot sandbox: this kernel is built without Landlock");
	assert_string_equal(err.hint, "use a kernel with CONFIG_SECURITY_LANDLOCK=y "
				      "(Linux 5.13 or later), or set the mode to "
				      "best-effort to run without a sandbox");
	k.probe_errno = EOPNOTSUPP;
	assert_int_equal(ol_kernel_require(&k, OL_MODE_STRICT, &warnings, &err), -EOPNOTSUPP);
	assert_string_equal(err.msg, "cannot sandbox: Landlock is disabled on this kernel");
	assert_string_equal(err.hint, "enable it at boot: add \"landlock\" to the "
				      "kernel's lsm= parameter (see "
				      "/sys/kernel/security/lsm)");
	assert_int_equal(warnings.n, 0);
	assert_int_equal(ol_kernel_require(&k, OL_MODE_BEST_EFFORT, &warnings, &err), 0);
	assert_int_equal(warnings.n, 1);
	assert_string_equal(warnings.v[0], "Landlock is disabled on this kernel: "
					   "running WITHOUT a sandbox (mode best-effort)");
	k.abi = 1;
	assert_int_equal(ol_kernel_require(&k, OL_MODE_STRICT, &warnings, &err), 0);
	ol_strv_free(&warnings);
}

/* The probe on this machine: the kernel facts the other tests rely on. */
static void test_probe_real_kernel(void **state)
{
	(void) state;
	struct ol_kernel k;

	ol_kernel_probe(&k);
	/* Skipping is a failure in CI, except under valgrind, which does not
	 * know the Landlock system calls (tools/test runs it that way). */
	if (k.abi == 0 && (!getenv("OL_NO_SKIP") || strcmp(getenv("OL_NO_SKIP"), "1") != 0))
		skip();
	assert_true(k.abi >= 1);
	assert_int_equal(k.probe_errno, 0);
	/* Errata are only reported from ABI 7 on, and the kernel change that
	 * added the report also fixed erratum 1.  Only errata 1 to 4 exist. */
	if (k.abi < 7)
		assert_int_equal(k.errata, 0);
	else
		assert_true(k.errata & 1);
	assert_int_equal(k.errata & ~0xfU, 0);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_strict_per_abi),
	cmocka_unit_test(test_best_effort_per_abi),
	cmocka_unit_test(test_best_effort_empties_layer),
	cmocka_unit_test(test_new_rights_per_abi),
	cmocka_unit_test(test_group_abi_9_on_7),
	cmocka_unit_test(test_group_abi_newer_than_known),
	cmocka_unit_test(test_single_right_strict),
	cmocka_unit_test(test_kernel_require),
	cmocka_unit_test(test_probe_real_kernel),
};

OL_UNIT_MAIN(tests)
