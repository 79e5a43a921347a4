/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What every unit test starts with: cmocka and the headers it needs
 * first, the helpers the tests share, and OL_UNIT_MAIN(), their main().
 */
#ifndef OL_TESTS_HELPERS_H
#define OL_TESTS_HELPERS_H

/* clang-format off: cmocka needs these before it, in this order. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
/* clang-format on */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "oci/json.h"
#include "policy/policy.h"
#include "sandbox/ruleset.h"

/* Two layers hold the same rights and rules (and names, if asked). */
static inline void assert_same_layer(const struct ol_ruleset *a, const struct ol_ruleset *b,
				     bool same_source)
{
	if (same_source)
		assert_string_equal(a->source, b->source);
	assert_true(a->handled_fs == b->handled_fs);
	assert_true(a->handled_net == b->handled_net);
	assert_true(a->scoped == b->scoped);
	assert_true(ol_ruleset_quiet_fs(a) == ol_ruleset_quiet_fs(b));
	assert_true(ol_ruleset_quiet_net(a) == ol_ruleset_quiet_net(b));
	assert_true(a->quiet_scoped == b->quiet_scoped);
	assert_int_equal(a->n_paths, b->n_paths);
	for (size_t i = 0; i < a->n_paths; i++) {
		assert_string_equal(a->paths[i].path, b->paths[i].path);
		assert_true(a->paths[i].access == b->paths[i].access);
		assert_int_equal(a->paths[i].quiet, b->paths[i].quiet);
	}
	assert_int_equal(a->n_ports, b->n_ports);
	for (size_t i = 0; i < a->n_ports; i++) {
		assert_int_equal(a->ports[i].port, b->ports[i].port);
		assert_true(a->ports[i].access == b->ports[i].access);
		assert_int_equal(a->ports[i].quiet, b->ports[i].quiet);
	}
}

/* Remove a temporary directory made by a test, and free its name. */
static inline void remove_tree(char *dir)
{
	char cmd[256];

	assert_true(strncmp(dir, "/tmp/ol-", 8) == 0);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
	free(dir);
}

/* A JSON document (config limits) that must parse. */
static inline struct ol_json *json(const char *text)
{
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;

	if (ol_json_parse(text, strlen(text), &ol_json_config_limits, &j, &err) < 0)
		fail_msg("%s", err.msg);
	return j;
}

/* A landlockconfig document that must parse into rs (named "test"). */
static inline void policy_ok(const char *doc, struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_ruleset_init(rs, "test"), 0);
	if (ol_landlockconfig_parse(doc, strlen(doc), rs, &err) < 0)
		fail_msg("%s: %s", doc, err.msg);
}

/* A landlockconfig document refused with exactly this message (and hint). */
static inline void policy_fails(const char *doc, const char *msg, const char *hint)
{
	struct ol_error err = { 0 };
	struct ol_ruleset rs;
	int r;

	assert_int_equal(ol_ruleset_init(&rs, "test"), 0);
	r = ol_landlockconfig_parse(doc, strlen(doc), &rs, &err);
	ol_ruleset_free(&rs);
	if (r == 0)
		fail_msg("accepted: %s", doc);
	assert_true(r < 0);
	assert_string_equal(err.msg, msg);
	if (hint)
		assert_string_equal(err.hint, hint);
}

/* The test's main(): run the static array of cmocka_unit_test()s, in order. */
#define OL_UNIT_MAIN(tests)                                                                        \
	int main(void)                                                                             \
	{                                                                                          \
		return cmocka_run_group_tests(tests, NULL, NULL);                                  \
	}

#endif
