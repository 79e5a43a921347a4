/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for ol_ruleset_denied(): a layer's decision on a file worked
 * out from its rules, as the launcher's exec message uses it.  A rule on
 * a parent grants, one elsewhere does not, rights the layer does not
 * handle are never denied, and a rule through a symbolic link grants
 * only where the layer follows links (as ol_ruleset_build() opens it).
 */
#include "helpers.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox/denied.h"
#include "sandbox/landlock-uapi.h"

#define RX (OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_READ_FILE)

struct tree {
	char top[64];
	char file[128];	 /* top/a/sub/prog */
	char other[128]; /* top/b/prog */
};

static void make_file(const char *path)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fclose(f);
}

static void make_tree(struct tree *t)
{
	char path[128];

	snprintf(t->top, sizeof(t->top), "/tmp/ol-denied-XXXXXX");
	assert_non_null(mkdtemp(t->top));
	snprintf(path, sizeof(path), "%s/a", t->top);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/a/sub", t->top);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(path, sizeof(path), "%s/b", t->top);
	assert_int_equal(mkdir(path, 0755), 0);
	snprintf(t->file, sizeof(t->file), "%s/a/sub/prog", t->top);
	snprintf(t->other, sizeof(t->other), "%s/b/prog", t->top);
	make_file(t->file);
	make_file(t->other);
	snprintf(path, sizeof(path), "%s/link", t->top);
	assert_int_equal(symlink("a", path), 0);
}

static void drop_tree(struct tree *t)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", t->top);
	assert_int_equal(system(cmd), 0);
}

/* What a layer handling handled, with one rule (name under top), denies. */
static uint64_t denied(const struct tree *t, uint64_t handled, const char *name, uint64_t access,
		       bool follow, const char *file)
{
	struct ol_ruleset rs;
	char path[128];
	uint64_t d = ~UINT64_C(0);

	assert_int_equal(ol_ruleset_init(&rs, "test"), 0);
	rs.handled_fs = handled;
	rs.follow_symlinks = follow;
	snprintf(path, sizeof(path), "%s/%s", t->top, name);
	assert_int_equal(ol_ruleset_add_path(&rs, path, access), 0);
	assert_int_equal(ol_ruleset_denied(&rs, file, RX, &d), 0);
	ol_ruleset_free(&rs);
	return d;
}

static void test_rules_on_parents_grant(void **state)
{
	struct tree t;

	(void) state;
	make_tree(&t);
	/* On the directory above, on the file itself, on the top. */
	assert_true(denied(&t, RX, "a", RX, false, t.file) == 0);
	assert_true(denied(&t, RX, "a/sub/prog", RX, false, t.file) == 0);
	assert_true(denied(&t, RX, "", RX, false, t.file) == 0);
	/* Elsewhere, or with less. */
	assert_true(denied(&t, RX, "a", RX, false, t.other) == RX);
	assert_true(denied(&t, RX, "a", OL_LL_ACCESS_FS_READ_FILE, false, t.file) ==
		    OL_LL_ACCESS_FS_EXECUTE);
	/* What the layer does not handle it never denies. */
	assert_true(denied(&t, OL_LL_ACCESS_FS_EXECUTE, "b", RX, false, t.file) ==
		    OL_LL_ACCESS_FS_EXECUTE);
	assert_true(denied(&t, OL_LL_ACCESS_FS_WRITE_FILE, "b", RX, false, t.file) == 0);
	drop_tree(&t);
}

static void test_a_link_grants_only_where_followed(void **state)
{
	struct tree t;

	(void) state;
	make_tree(&t);
	/* top/link -> a: the build skips the rule, so it grants nothing. */
	assert_true(denied(&t, RX, "link", RX, false, t.file) == RX);
	assert_true(denied(&t, RX, "link", RX, true, t.file) == 0);
	drop_tree(&t);
}

static void test_a_missing_file_cannot_be_told(void **state)
{
	struct ol_ruleset rs;
	uint64_t d = 1;

	(void) state;
	assert_int_equal(ol_ruleset_init(&rs, "test"), 0);
	rs.handled_fs = RX;
	assert_int_equal(ol_ruleset_denied(&rs, "/nonexistent/ol-denied", RX, &d), -ENOENT);
	assert_int_equal(ol_ruleset_denied(&rs, "relative/path", RX, &d), -ENOENT);
	ol_ruleset_free(&rs);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_rules_on_parents_grant),
	cmocka_unit_test(test_a_link_grants_only_where_followed),
	cmocka_unit_test(test_a_missing_file_cannot_be_told),
};

OL_UNIT_MAIN(tests)
