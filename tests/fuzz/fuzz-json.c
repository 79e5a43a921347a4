/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the bounded JSON layer.  Whatever parses must emit, and the
 * emitted text must parse back and emit identically (the round trip the
 * hook relies on when it rewrites config.json).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "oci/json.h"

bool ol_fuzz_accepted;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct ol_json_limits limits = { .max_bytes = 1 << 20, .max_depth = 64 };
	struct ol_error err = { 0 };
	struct ol_json *j = NULL, *back = NULL;
	char *once = NULL, *twice = NULL;
	size_t once_len = 0, twice_len = 0;

	ol_fuzz_accepted = ol_json_parse((const char *) data, size, &limits, &j, &err) == 0;
	if (!ol_fuzz_accepted)
		return 0;
	if (ol_json_emit(j, OL_JSON_COMPACT, &once, &once_len, &err) < 0)
		abort();
	if (ol_json_parse(once, once_len, &limits, &back, &err) < 0)
		abort();
	if (ol_json_emit(back, OL_JSON_COMPACT, &twice, &twice_len, &err) < 0)
		abort();
	if (once_len != twice_len || memcmp(once, twice, once_len) != 0)
		abort();
	free(once);
	free(twice);
	ol_json_free(j);
	ol_json_free(back);
	return 0;
}
