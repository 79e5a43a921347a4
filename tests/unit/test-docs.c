/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Documentation and examples stay true to the code: the rights table of
 * docs/policy.md matches the one in the code (every right, its kind, ABI,
 * first Linux release, whether it applies to files, its description), and
 * every example policy parses.  Paths come in OL_POLICY_DOC, OL_EXAMPLES.
 */
#include "helpers.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "policy/policy.h"
#include "sandbox/rights.h"

static void test_policy_doc_lists_every_right(void **state)
{
	(void) state;
	static const char *const kinds[] = { "fs", "net", "scope" };
	const char *path = getenv("OL_POLICY_DOC");
	struct ol_error err = { 0 };
	cleanup_free char *doc = NULL;
	size_t len, rows = 0;

	assert_non_null(path);
	if (ol_read_file(path, 1 << 20, &doc, &len, &err) < 0)
		fail_msg("%s", err.msg);
	for (size_t i = 0; i < ol_rights_count; i++) {
		const struct ol_right *r = &ol_rights[i];
		char row[256];

		snprintf(row, sizeof(row), "\n| `%s` | %s | %d | %s | %s | %s |\n", r->name,
			 kinds[r->kind], r->abi, ol_abi_linux(r->abi),
			 r->kind != OL_RIGHT_FS ? "-"
			 : r->file		? "yes"
						: "no",
			 r->what);
		if (!strstr(doc, row))
			fail_msg("docs/policy.md lacks the row:%s", row);
	}
	/* And no row for a right the code does not have: count the rows whose
	 * second column is a kind ... */
	for (const char *p = doc; (p = strstr(p, "\n| `")); p++) {
		const char *end = strchr(p + 4, '`');
		for (size_t k = 0; end && k < 3; k++) {
			char cell[16];
			snprintf(cell, sizeof(cell), "` | %s | ", kinds[k]);
			/* ... and whose third is an ABI number. */
			rows += strncmp(end, cell, strlen(cell)) == 0 && end[strlen(cell)] >= '1' &&
				end[strlen(cell)] <= '9';
		}
	}
	assert_int_equal(rows, ol_rights_count);
}

/* Every example policy in OL_EXAMPLES (a directory) parses. */
static void test_example_policies_parse(void **state)
{
	(void) state;
	const char *dir = getenv("OL_EXAMPLES");
	struct dirent *de;
	size_t n = 0;
	DIR *d;

	assert_non_null(dir);
	d = opendir(dir);
	assert_non_null(d);
	while ((de = readdir(d))) {
		struct ol_error err = { 0 };
		cleanup_free char *path = NULL;
		cleanup_free char *text = NULL;
		struct ol_ruleset rs;
		size_t len;

		if (!strstr(de->d_name, ".json"))
			continue;
		assert_true(asprintf(&path, "%s/%s", dir, de->d_name) > 0);
		assert_int_equal(ol_read_file(path, 1 << 20, &text, &len, &err), 0);
		assert_int_equal(ol_ruleset_init(&rs, path), 0);
		if (ol_landlockconfig_parse(text, len, &rs, &err) < 0)
			fail_msg("%s: %s", path, err.msg);
		assert_false(ol_ruleset_is_empty(&rs));
		ol_ruleset_free(&rs);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_policy_doc_lists_every_right),
	cmocka_unit_test(test_example_policies_parse),
};

OL_UNIT_MAIN(tests)
