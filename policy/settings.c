/* SPDX-License-Identifier: Apache-2.0 */
/* Settings shared by all layers: enforcement mode and audit log flags. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "sandbox/landlock-uapi.h"

int ol_parse_mode(const char *text, enum ol_mode *mode, struct ol_error *err)
{
	if (strcmp(text, "strict") == 0) {
		*mode = OL_MODE_STRICT;
		return 0;
	}
	if (strcmp(text, "best-effort") == 0) {
		*mode = OL_MODE_BEST_EFFORT;
		return 0;
	}
	ol_error_set(err, EINVAL, "unknown mode \"%s\"", text);
	ol_error_hint(err, "use strict (refuse what the kernel cannot enforce) "
			   "or best-effort");
	return -err->code;
}

int ol_parse_log(const char *text, uint32_t *flags, struct ol_error *err)
{
	static const struct {
		const char *name;
		uint32_t flag;
	} words[] = {
		{ "new-exec-on", OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON },
		{ "same-exec-off", OL_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF },
		{ "subdomains-off", OL_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF },
		/* Nothing after exec is logged without new-exec-on; this also
		 * silences the launcher's own denials before exec. */
		{ "off", OL_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF },
	};
	uint32_t out = 0;
	bool off = false;
	size_t pos = 1;

	for (const char *p = text;; pos++) {
		const char *end = strchrnul(p, ',');
		size_t len = (size_t) (end - p);
		bool found = false;

		for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
			if (strlen(words[i].name) == len && memcmp(words[i].name, p, len) == 0) {
				out |= words[i].flag;
				off |= i == 3;
				found = true;
			}
		}
		if (!found) {
			if (len == 0)
				ol_error_set(err, EINVAL, "empty item at position %zu in \"%s\"",
					     pos, text);
			else
				ol_error_set(err, EINVAL, "unknown log setting \"%.*s\"", (int) len,
					     p);
			ol_error_hint(err, "use a ','-separated list of new-exec-on, "
					   "same-exec-off, subdomains-off, or off");
			return -err->code;
		}
		if (!*end)
			break;
		p = end + 1;
	}
	if (off && (out & OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON))
		return ol_error_set(err, EINVAL, "\"off\" contradicts \"new-exec-on\" in \"%s\"",
				    text);
	*flags = out;
	return 0;
}
