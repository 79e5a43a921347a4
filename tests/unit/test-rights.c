/* SPDX-License-Identifier: Apache-2.0 */
/* Invariants of the one rights table, checked against the kernel's values. */
#include "helpers.h"

#include <stddef.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

static void test_table_is_consistent(void **state)
{
	(void) state;
	for (size_t i = 0; i < ol_rights_count; i++) {
		const struct ol_right *r = &ol_rights[i];

		/* One bit each, an ABI we know, a description. */
		assert_true(r->bit && !(r->bit & (r->bit - 1)));
		assert_true(r->abi >= 1 && r->abi <= OL_ABI_MAX);
		assert_true(strlen(r->what) > 5);
		assert_true(r->kind == OL_RIGHT_FS || !r->file);
		for (size_t k = i + 1; k < ol_rights_count; k++) {
			if (ol_rights[k].kind != r->kind)
				continue;
			assert_true(ol_rights[k].bit != r->bit);
			assert_string_not_equal(ol_rights[k].name, r->name);
		}
		assert_ptr_equal(ol_right_lookup(r->kind, r->name), r);
		assert_ptr_equal(ol_right_by_bit(r->kind, r->bit), r);
	}
	assert_int_equal(ol_rights_count, 23);
}

/* The kernel's ACCESS_FILE set: the rights a rule on a file may carry. */
static void test_file_rights(void **state)
{
	(void) state;
	assert_true(ol_rights_file_mask() == (OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_WRITE_FILE |
					      OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_TRUNCATE |
					      OL_LL_ACCESS_FS_IOCTL_DEV |
					      /* ABI 9: it may name a single socket file */
					      OL_LL_ACCESS_FS_RESOLVE_UNIX));
}

static void test_masks_per_abi(void **state)
{
	(void) state;
	static const uint64_t fs[] = { 0,      0x1fff, 0x3fff, 0x7fff,	0x7fff,	 0xffff,
				       0xffff, 0xffff, 0xffff, 0x1ffff, 0x1ffff, 0x1ffff };
	static const uint64_t net[] = { 0, 0, 0, 0, 3, 3, 3, 3, 3, 3, 0xf, 0xf };
	static const uint64_t scope[] = { 0, 0, 0, 0, 0, 0, 3, 3, 3, 3, 3, 3 };

	for (int abi = 0; abi <= 11; abi++) {
		assert_true(ol_rights_mask(OL_RIGHT_FS, abi) == fs[abi]);
		assert_true(ol_rights_mask(OL_RIGHT_NET, abi) == net[abi]);
		assert_true(ol_rights_mask(OL_RIGHT_SCOPE, abi) == scope[abi]);
	}
}

static void test_names_and_suggestions(void **state)
{
	(void) state;
	char buf[256];

	ol_rights_format(OL_RIGHT_FS, OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_REFER, ",", buf,
			 sizeof(buf));
	assert_string_equal(buf, "execute,refer");
	ol_rights_format(OL_RIGHT_NET, 0, ",", buf, sizeof(buf));
	assert_string_equal(buf, "");
	ol_rights_format(OL_RIGHT_SCOPE, ~0ULL, " ", buf, sizeof(buf));
	assert_string_equal(buf, "abstract_unix_socket signal");
	/* A tiny buffer is cut, never overrun. */
	ol_rights_format(OL_RIGHT_FS, ~0ULL, ",", buf, 8);
	assert_int_equal(strlen(buf), 7);

	assert_string_equal(ol_right_suggest(OL_RIGHT_FS, "readfile"), "read_file");
	assert_string_equal(ol_right_suggest(OL_RIGHT_FS, "ioctl_de"), "ioctl_dev");
	assert_string_equal(ol_right_suggest(OL_RIGHT_NET, "connect_udp"), "connect_tcp");
	assert_string_equal(ol_right_suggest(OL_RIGHT_NET, "connect_send_ud"), "connect_send_udp");
	assert_string_equal(ol_right_suggest(OL_RIGHT_FS, "resolv_unix"), "resolve_unix");
	/* Only close misspellings get a suggestion. */
	assert_null(ol_right_suggest(OL_RIGHT_FS, "ioctl"));
	assert_null(ol_right_suggest(OL_RIGHT_NET, "connect"));
	assert_null(ol_right_suggest(OL_RIGHT_FS, "everything"));
	assert_null(ol_right_suggest(OL_RIGHT_FS, "bind_tcp"));
	assert_string_equal(ol_abi_linux(4), "6.7");
	assert_string_equal(ol_abi_linux(8), "7.0");
	assert_string_equal(ol_abi_linux(9), "7.1");
	assert_string_equal(ol_abi_linux(10), "7.2");
	assert_null(ol_abi_linux(0));
	assert_null(ol_abi_linux(OL_ABI_MAX + 1));
}

/* The kernel's values for ABI 8 to 10 (include/uapi/linux/landlock.h). */
static void test_new_abi_values(void **state)
{
	(void) state;
	assert_true(ol_right_lookup(OL_RIGHT_FS, "resolve_unix")->bit == (1ULL << 16));
	assert_int_equal(ol_right_lookup(OL_RIGHT_FS, "resolve_unix")->abi, 9);
	assert_true(ol_right_lookup(OL_RIGHT_NET, "bind_udp")->bit == (1ULL << 2));
	assert_int_equal(ol_right_lookup(OL_RIGHT_NET, "bind_udp")->abi, 10);
	assert_true(ol_right_lookup(OL_RIGHT_NET, "connect_send_udp")->bit == (1ULL << 3));
	assert_int_equal(ol_right_lookup(OL_RIGHT_NET, "connect_send_udp")->abi, 10);
	assert_int_equal(OL_LL_RESTRICT_SELF_TSYNC, 1U << 3);
	assert_int_equal(OL_LL_ADD_RULE_QUIET, 1U << 0);
	/* Struct sizes: the attribute grows, the rule structs do not. */
	assert_int_equal(sizeof(struct ol_ll_path_beneath_attr), 12);
	assert_int_equal(sizeof(struct ol_ll_net_port_attr), 16);
	assert_int_equal(offsetof(struct ol_ll_ruleset_attr, quiet_access_fs), 24);
	assert_int_equal(offsetof(struct ol_ll_ruleset_attr, quiet_access_net), 32);
	assert_int_equal(offsetof(struct ol_ll_ruleset_attr, quiet_scoped), 40);
}

/* The size handed to landlock_create_ruleset(): what that ABI knows. */
static void test_attr_size_per_abi(void **state)
{
	(void) state;
	static const size_t size[] = { 8, 8, 8, 8, 16, 16, 24, 24, 24, 24, 48, 48 };

	for (int abi = 0; abi <= 11; abi++)
		assert_int_equal(ol_ll_ruleset_attr_size(abi), size[abi]);
}

/* The names of ABI 9 and 10 parse and print as the kernel's, in table order. */
static void test_new_names_parse_and_print(void **state)
{
	(void) state;
	const char *doc = "{\"pathBeneath\":[{\"allowedAccess\":[\"resolve_unix\",\"read_file\"],"
			  "\"parent\":[\"/run\"]}],\"netPort\":[{\"allowedAccess\":"
			  "[\"connect_send_udp\",\"bind_udp\"],\"port\":[0]}]}";
	struct ol_error err = { 0 };
	cleanup_free char *out = NULL;
	struct ol_ruleset rs;

	assert_int_equal(ol_ruleset_init(&rs, "t"), 0);
	assert_int_equal(ol_landlockconfig_parse(doc, strlen(doc), &rs, &err), 0);
	assert_int_equal(ol_ruleset_print(&rs, OL_JSON_COMPACT, &out, NULL, &err), 0);
	assert_string_equal(out,
			    "{\"ruleset\":[{\"handledAccessFs\":[\"read_file\",\"resolve_unix\"],"
			    "\"handledAccessNet\":[\"bind_udp\",\"connect_send_udp\"]}],"
			    "\"pathBeneath\":[{\"allowedAccess\":[\"read_file\",\"resolve_unix\"],"
			    "\"parent\":[\"/run\"]}],\"netPort\":[{\"allowedAccess\":[\"bind_udp\","
			    "\"connect_send_udp\"],\"port\":[0]}]}");
	ol_ruleset_free(&rs);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_new_names_parse_and_print),
	cmocka_unit_test(test_new_abi_values),
	cmocka_unit_test(test_attr_size_per_abi),
	cmocka_unit_test(test_table_is_consistent),
	cmocka_unit_test(test_file_rights),
	cmocka_unit_test(test_masks_per_abi),
	cmocka_unit_test(test_names_and_suggestions),
};

OL_UNIT_MAIN(tests)
