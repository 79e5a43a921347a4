/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: learning mode's recordings, which come out of a container.
 * An accepted recording must write back to text that parses to the same
 * recording (the same text again), and the policy generated from it must
 * print and parse back as a landlockconfig policy to the same layer.  A
 * refused one must say why.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/learn.h"
#include "policy/policy.h"

bool ol_fuzz_accepted;

/* The generated policy parses back to the layer it was printed from. */
static void check_policy(struct ol_recording *rec)
{
	struct ol_error err = { 0 };
	struct ol_ruleset rs, back;
	char *text = NULL;
	size_t len;

	if (ol_ruleset_init(&rs, "learned") < 0 || ol_ruleset_init(&back, "learned") < 0 ||
	    ol_learn_generate(rec,
			      &(struct ol_learn_options){ .depth = OL_LEARN_DEPTH_DEFAULT,
							  .abi = OL_ABI_MAX },
			      &rs, NULL, &err) < 0 ||
	    ol_ruleset_print(&rs, OL_JSON_COMPACT, &text, &len, &err) < 0)
		abort();
	/* A large recording can give a policy past the policy size cap. */
	if (len <= ol_json_policy_limits.max_bytes &&
	    (ol_landlockconfig_parse(text, len, &back, &err) < 0 ||
	     !ol_fuzz_same_layer(&rs, &back)))
		abort();
	free(text);
	ol_ruleset_free(&rs);
	ol_ruleset_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_error err = { 0 };
	struct ol_recording rec, back;
	char *text = NULL, *again = NULL;
	size_t len = 0, len2 = 0;

	if (ol_recording_init(&rec) < 0 || ol_recording_init(&back) < 0)
		abort();
	ol_fuzz_accepted = ol_recording_parse((const char *) data, size, &rec, &err) == 0;
	if (!ol_fuzz_accepted) {
		if (!err.msg[0])
			abort();
		goto out;
	}
	if (ol_recording_write(&rec, !rec.incomplete, &text, &len, &err) < 0 ||
	    ol_recording_parse(text, len, &back, &err) < 0 ||
	    ol_recording_write(&back, !back.incomplete, &again, &len2, &err) < 0 || len != len2 ||
	    memcmp(text, again, len) != 0)
		abort();
	check_policy(&rec);
out:
	free(text);
	free(again);
	ol_recording_free(&rec);
	ol_recording_free(&back);
	return 0;
}
