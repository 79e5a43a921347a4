/* SPDX-License-Identifier: Apache-2.0 */
/* What every fuzz target shares with libFuzzer and with replay.c. */
#ifndef OL_TESTS_FUZZ_H
#define OL_TESTS_FUZZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "sandbox/ruleset.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Whether the last input was accepted: replay.c checks accept-/reject- seeds.
 * Each target defines it. */
extern bool ol_fuzz_accepted;

/* Whether two layers hold the same handled sets, scopes, rules and ports. */
static inline bool ol_fuzz_same_layer(const struct ol_ruleset *a, const struct ol_ruleset *b)
{
	if (a->handled_fs != b->handled_fs || a->handled_net != b->handled_net ||
	    a->scoped != b->scoped || a->n_paths != b->n_paths || a->n_ports != b->n_ports ||
	    ol_ruleset_quiet_fs(a) != ol_ruleset_quiet_fs(b) ||
	    ol_ruleset_quiet_net(a) != ol_ruleset_quiet_net(b) ||
	    a->quiet_scoped != b->quiet_scoped)
		return false;
	for (size_t i = 0; i < a->n_paths; i++)
		if (strcmp(a->paths[i].path, b->paths[i].path) != 0 ||
		    a->paths[i].access != b->paths[i].access ||
		    a->paths[i].quiet != b->paths[i].quiet)
			return false;
	for (size_t i = 0; i < a->n_ports; i++)
		if (a->ports[i].port != b->ports[i].port ||
		    a->ports[i].access != b->ports[i].access ||
		    a->ports[i].quiet != b->ports[i].quiet)
			return false;
	return true;
}

#endif
