/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the landlockconfig parser.  An accepted policy must print,
 * and the printed policy (when within the input size cap) must parse back
 * to the same layer.  A refused one must say why.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/policy.h"

bool ol_fuzz_accepted;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_error err = { 0 };
	struct ol_ruleset rs, back;
	char *text = NULL;
	size_t len = 0;

	if (ol_ruleset_init(&rs, "fuzz") < 0 || ol_ruleset_init(&back, "fuzz") < 0)
		abort();
	ol_fuzz_accepted = ol_landlockconfig_parse((const char *) data, size, &rs, &err) == 0;
	if (!ol_fuzz_accepted) {
		if (!err.msg[0])
			abort();
		goto out;
	}
	if (ol_ruleset_print(&rs, OL_JSON_COMPACT, &text, &len, &err) < 0)
		abort();
	/* Variables can expand a policy past the input size cap; the printed
	 * form of such a layer cannot be read back as a policy, by design. */
	if (len > ol_json_policy_limits.max_bytes)
		goto out;
	if (ol_landlockconfig_parse(text, len, &back, &err) < 0 || !ol_fuzz_same_layer(&rs, &back))
		abort();
out:
	free(text);
	ol_ruleset_free(&rs);
	ol_ruleset_free(&back);
	return 0;
}
