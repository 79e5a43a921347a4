/* SPDX-License-Identifier: Apache-2.0 */
/* Warnings on valid policies that probably say something else than meant. */
#include "advice.h"

#include <errno.h>
#include <string.h>

#include "common/buf.h"
#include "common/cleanup.h"

static bool is_separator_like(char c)
{
	return c == ',' || c == ';' || c == ' ';
}

/* The item [p, end) with every run of ',', ';' and spaces read as one ':'. */
static int meant(const char *p, const char *end, struct ol_buf *out)
{
	bool sep = false;

	if (ol_buf_reserve(out, 0) < 0)
		return -ENOMEM;
	for (; p < end; p++) {
		if (is_separator_like(*p)) {
			sep = out->len > 0;
			continue;
		}
		if (sep && ol_buf_append(out, ":", 1) < 0)
			return -ENOMEM;
		sep = false;
		if (ol_buf_append(out, p, 1) < 0)
			return -ENOMEM;
	}
	return 0;
}

/* The first character of ',', ';', ' ' in [p, end), or 0. */
static char odd_separator(const char *p, const char *end)
{
	for (; p < end; p++)
		if (is_separator_like(*p))
			return *p;
	return 0;
}

static int advise_list(const char *key, const char *list, struct ol_strv *out)
{
	for (const char *p = list; *p;) {
		const char *end = strchrnul(p, ':');
		char c = odd_separator(p, end);

		if (c) {
			cleanup_buf struct ol_buf fix = { 0 };
			if (meant(p, end, &fix) < 0 ||
			    ol_strv_pushf(
				    out,
				    "annotation '%s': the path '%.*s' holds %s, but paths are "
				    "separated by ':': did you mean '%s'?",
				    key, (int) (end - p), p,
				    c == ' '   ? "a space"
				    : c == ',' ? "','"
					       : "';'",
				    fix.data) < 0)
				return -ENOMEM;
		}
		p = *end ? end + 1 : end;
	}
	return 0;
}

int ol_advice_annotations(const struct ol_annotations *a, struct ol_strv *out)
{
	for (size_t k = 0; k < OL_KEY_COUNT; k++)
		if (ol_words[k].paths && a->value[k] &&
		    advise_list(a->key[k], a->value[k], out) < 0)
			return -ENOMEM;
	return 0;
}

int ol_advice_relative(const struct ol_ruleset *rs, const char *source, struct ol_strv *out)
{
	for (size_t i = 0; i < rs->n_paths; i++)
		if (rs->paths[i].path[0] != '/' &&
		    ol_strv_pushf(out,
				  "%s: '%s' is not an absolute path: the launcher refuses it in a "
				  "policy file, the host in a profile or an annotation (write it "
				  "from the container's root, such as '/%s')",
				  source, rs->paths[i].path,
				  rs->paths[i].path + strspn(rs->paths[i].path, "./")) < 0)
			return -ENOMEM;
	return 0;
}
