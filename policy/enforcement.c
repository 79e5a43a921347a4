/* SPDX-License-Identifier: Apache-2.0 */
/* How a layer is enforced, for all layers: the enforcement mode and audit log flags. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/list.h"

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
	ol_error_set(err, EINVAL, "unknown mode '%s'", text);
	return ol_error_hint(err, "use strict (refuse what the kernel cannot enforce) "
				  "or best-effort");
}

struct log_parse {
	uint32_t flags;
	bool off;
	struct ol_error *err;
};

static int add_log_word(const char *item, size_t len, void *data)
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
	struct log_parse *lp = data;

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		if (strlen(words[i].name) == len && memcmp(words[i].name, item, len) == 0) {
			lp->flags |= words[i].flag;
			lp->off |= i == 3;
			return 0;
		}
	}
	ol_error_set(lp->err, EINVAL, "unknown log setting '%.*s'", (int) len, item);
	return ol_error_hint(lp->err,
			     "use a list of new-exec-on, same-exec-off, subdomains-off, or off "
			     "(',' or spaces between)");
}

int ol_parse_log(const char *text, uint32_t *flags, struct ol_error *err)
{
	struct log_parse lp = { 0, false, err };
	int r = ol_list_each(text, ',', true, "item", err, add_log_word, &lp);

	if (r < 0) {
		if (!err->hint[0])
			ol_error_hint(err, "use a list of new-exec-on, same-exec-off, "
					   "subdomains-off, or off (',' or spaces between)");
		return r;
	}
	if (lp.off && (lp.flags & OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON))
		return ol_error_set(err, EINVAL, "'off' contradicts 'new-exec-on' in '%s'", text);
	*flags = lp.flags;
	return 0;
}
