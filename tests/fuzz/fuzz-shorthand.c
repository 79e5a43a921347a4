/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the shorthand lists.  The first byte picks the kind (path
 * list, port list, scope list, mode, log flags); the rest is the value.
 * Accepted lists must leave the layer handling what they name.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"

bool ol_fuzz_accepted;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ol_error err = { 0 };
	struct ol_ruleset rs;
	enum ol_mode mode;
	uint32_t flags;
	char *value;
	int r = 0;

	ol_fuzz_accepted = false;
	if (size < 1 || size > 4096)
		return 0;
	value = strndup((const char *) data + 1, size - 1);
	if (!value || ol_ruleset_init(&rs, "fuzz") < 0)
		abort();
	switch (data[0] % 7) {
	case 0:
		r = ol_shorthand_fs(&rs, (enum ol_fs_preset)(data[0] / 5 % 4), value, &err);
		if (r == 0 && (rs.handled_fs != 0x1ffff || rs.n_paths == 0))
			abort();
		break;
	case 1:
		r = ol_shorthand_ports(&rs, OL_LL_ACCESS_NET_BIND_TCP, value, &err);
		if (r == 0 && rs.handled_net != OL_LL_ACCESS_NET_BIND_TCP)
			abort();
		for (size_t i = 0; r == 0 && i < rs.n_ports; i++)
			if (rs.ports[i].port > 65535)
				abort();
		break;
	case 2:
		r = ol_shorthand_scope(&rs, false, value, &err);
		if (r == 0 && rs.scoped == 0)
			abort();
		break;
	case 3:
		r = ol_parse_mode(value, &mode, &err);
		break;
	case 5:
		/* Quiet rules allow nothing and handle nothing. */
		r = ol_shorthand_quiet_fs(&rs, value, &err);
		if (r == 0 && (rs.handled_fs || !rs.quiet_follows || rs.n_paths == 0))
			abort();
		for (size_t i = 0; r == 0 && i < rs.n_paths; i++)
			if (rs.paths[i].access || !rs.paths[i].quiet)
				abort();
		break;
	case 6:
		r = ol_shorthand_quiet_ports(&rs, value, &err);
		if (r == 0 && (rs.handled_net || rs.n_ports == 0))
			abort();
		for (size_t i = 0; r == 0 && i < rs.n_ports; i++)
			if (rs.ports[i].access || !rs.ports[i].quiet || rs.ports[i].port > 65535)
				abort();
		break;
	default:
		r = ol_parse_log(value, &flags, &err);
		break;
	}
	if (r < 0 && !err.msg[0])
		abort();
	ol_fuzz_accepted = r == 0;
	ol_ruleset_free(&rs);
	free(value);
	return 0;
}
