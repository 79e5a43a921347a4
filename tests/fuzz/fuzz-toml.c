/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the TOML reader.  A document it reads must emit as JSON
 * that the JSON parser reads back to the same tree (emitted again, byte
 * for byte), and compile to the same layer as that JSON, or be refused by
 * both with a message.  A refused one must say why, with its line.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/policy.h"
#include "policy/toml.h"

bool ol_fuzz_accepted;

static bool compile(const struct ol_json *tree, struct ol_ruleset *rs)
{
	struct ol_error err = { 0 };

	if (ol_landlockconfig_load(tree, rs, &err) == 0)
		return true;
	if (!err.msg[0])
		abort();
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_json *tree = NULL, *back = NULL;
	char *text = NULL, *again = NULL;
	struct ol_error err = { 0 };
	struct ol_ruleset a, b;
	size_t len = 0, len2 = 0;
	bool ok_a, ok_b;

	ol_fuzz_accepted = false;
	if (ol_toml_parse((const char *) data, size, &ol_json_policy_limits, &tree, &err) < 0) {
		if (strncmp(err.msg, "line ", 5) != 0 && strncmp(err.msg, "document is ", 12) != 0)
			abort();
		return 0;
	}
	if (ol_json_emit(tree, OL_JSON_COMPACT, &text, &len, &err) < 0)
		abort();
	/* Escapes can make the JSON longer than the TOML. */
	if (len > ol_json_policy_limits.max_bytes)
		goto out;
	if (ol_json_parse(text, len, &ol_json_policy_limits, &back, &err) < 0 ||
	    ol_json_emit(back, OL_JSON_COMPACT, &again, &len2, &err) < 0 || len != len2 ||
	    memcmp(text, again, len) != 0)
		abort();
	if (ol_ruleset_init(&a, "fuzz") < 0 || ol_ruleset_init(&b, "fuzz") < 0)
		abort();
	ok_a = compile(tree, &a);
	ok_b = compile(back, &b);
	if (ok_a != ok_b || (ok_a && !ol_fuzz_same_layer(&a, &b)))
		abort();
	ol_fuzz_accepted = ok_a;
	ol_ruleset_free(&a);
	ol_ruleset_free(&b);
out:
	free(text);
	free(again);
	ol_json_free(tree);
	ol_json_free(back);
	return 0;
}
