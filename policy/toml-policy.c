/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A TOML policy compiled by the JSON form's loader, and the loader's
 * messages in TOML's terms.
 *
 * landlockconfig.c names the JSON path of what it refuses
 * (`pathBeneath[1].allowedAccess[0]`); a TOML author wrote
 * `[[path_beneath]]` and `allowed_access`.  The keys are spelt back in
 * snake_case and the line of that table or key is found by scanning the
 * text again (only when there is an error, so no line table is kept).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy.h"
#include "toml.h"

/* The keys of landlockconfig's schema whose spellings differ. */
static const struct {
	const char *json, *toml;
} keys[] = {
	{ "pathBeneath", "path_beneath" },	    { "netPort", "net_port" },
	{ "handledAccessFs", "handled_access_fs" }, { "handledAccessNet", "handled_access_net" },
	{ "allowedAccess", "allowed_access" },	    { "quietAccessFs", "quiet_access_fs" },
	{ "quietAccessNet", "quiet_access_net" },   { "quietScoped", "quiet_scoped" },
};

static bool word_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_';
}

/* Replace whole-word JSON spellings in s (of size bytes) by TOML ones. */
static void respell(char *s, size_t size)
{
	char out[1024];
	size_t n = 0;

	for (size_t i = 0; s[i] && n + 1 < sizeof(out);) {
		size_t k, len = 0;
		for (k = 0; k < OL_ARRAY_SIZE(keys); k++) {
			len = strlen(keys[k].json);
			if ((i == 0 || !word_char(s[i - 1])) &&
			    strncmp(s + i, keys[k].json, len) == 0 && !word_char(s[i + len]))
				break;
		}
		if (k == OL_ARRAY_SIZE(keys)) {
			out[n++] = s[i++];
			continue;
		}
		n += (size_t) snprintf(out + n, sizeof(out) - n, "%s", keys[k].toml);
		if (n >= sizeof(out))
			n = sizeof(out) - 1;
		i += len;
	}
	out[n] = '\0';
	snprintf(s, size, "%s", out);
}

/*
 * The JSON path before the first ": " names keys only, each read from TOML
 * as snake_case and stored as camelCase: spell each capital back as '_'
 * and its lower case (exact, as the TOML reader refuses capitals).
 */
static void respell_path(char *msg)
{
	const char *colon = strstr(msg, ": ");
	char out[sizeof(((struct ol_error *) 0)->msg)];
	size_t n = 0, end = colon ? (size_t) (colon - msg) : 0;

	for (size_t i = 0; msg[i] && n + 2 < sizeof(out); i++) {
		if (i < end && msg[i] >= 'A' && msg[i] <= 'Z') {
			out[n++] = '_';
			out[n++] = (char) (msg[i] - 'A' + 'a');
		} else {
			out[n++] = msg[i];
		}
	}
	out[n] = '\0';
	memcpy(msg, out, n + 1);
}

/* The next line of text after *p; false at the end. */
static bool next_line(const char **p, const char *end, const char **line, size_t *len)
{
	const char *nl;

	if (*p >= end)
		return false;
	nl = memchr(*p, '\n', (size_t) (end - *p));
	*line = *p;
	*len = (size_t) ((nl ? nl : end) - *p);
	*p = nl ? nl + 1 : end;
	while (*len && (**line == ' ' || **line == '\t')) {
		(*line)++;
		(*len)--;
	}
	return true;
}

/* Whether line starts with word, then (after blanks) with what. */
static bool starts(const char *line, size_t len, const char *word, const char *what)
{
	size_t w = strlen(word), i;

	if (len < w || memcmp(line, word, w) != 0)
		return false;
	for (i = w; i < len && (line[i] == ' ' || line[i] == '\t'); i++)
		;
	return len - i >= strlen(what) && memcmp(line + i, what, strlen(what)) == 0;
}

static bool is_header(const char *line, size_t len)
{
	return len >= 2 && line[0] == '[';
}

/*
 * The line of `section[index].key` (key may be empty: the header's line),
 * or of a top-level `key` when section is empty; 0 when not found.
 */
static unsigned find_line(const char *text, size_t tlen, const char *section, size_t index,
			  const char *key)
{
	const char *p = text, *end = text + tlen, *line;
	unsigned no = 0, found = 0;
	bool inside = !*section;
	size_t len, seen = 0;
	char header[160];

	snprintf(header, sizeof(header), "[[%s", section);
	while (next_line(&p, end, &line, &len)) {
		no++;
		if (is_header(line, len)) {
			if (inside && *section)
				return found;
			if (!*section)
				return 0;
			/* [[ name ]] may hold blanks: compare without them. */
			char compact[160];
			size_t c = 0;
			for (size_t i = 0; i < len && c + 1 < sizeof(compact) && line[i] != '#';
			     i++)
				if (line[i] != ' ' && line[i] != '\t')
					compact[c++] = line[i];
			compact[c] = '\0';
			if (strncmp(compact, header, strlen(header)) == 0 &&
			    strcmp(compact + strlen(header), "]]") == 0 && seen++ == index) {
				inside = true;
				found = no;
				if (!*key)
					return found;
			}
			continue;
		}
		if (inside && *key && starts(line, len, key, "="))
			return no;
	}
	return inside && *section ? found : 0;
}

/*
 * Rewrite the error the loader set for the tree read from text: keys in
 * their TOML spelling, "line N: " first when the table or key it names is
 * found.
 */
static void explain(const char *text, size_t len, struct ol_error *err)
{
	char section[128] = "", key[128] = "";
	size_t index = 0;
	unsigned line = 0;
	const char *m;
	int n = 0;

	respell_path(err->msg);
	respell(err->msg, sizeof(err->msg));
	respell(err->hint, sizeof(err->hint));
	m = err->msg;
	/* section[index].key..., section[index]..., or key... at the top level */
	if (sscanf(m, "%127[a-z_][%zu].%127[a-z_]%n", section, &index, key, &n) == 3 ||
	    sscanf(m, "%127[a-z_][%zu]%n", section, &index, &n) == 2)
		line = find_line(text, len, section, index, key);
	else if (sscanf(m, "%127[a-z_]%n", key, &n) == 1 && (m[n] == ':' || m[n] == '['))
		line = find_line(text, len, "", 0, key);
	if (line)
		ol_error_prefix(err, "line %u", line);
}

int ol_landlockconfig_parse_toml(const char *text, size_t len, struct ol_ruleset *rs,
				 struct ol_error *err)
{
	cleanup_json struct ol_json *root = NULL;
	int r = ol_toml_parse(text, len, &ol_json_policy_limits, &root, err);

	if (r < 0)
		return r;
	r = ol_landlockconfig_load(root, rs, err);
	if (r < 0)
		explain(text, len, err);
	return r;
}

int ol_toml_to_json_text(const char *text, size_t len, char **out, size_t *out_len,
			 struct ol_error *err)
{
	cleanup_json struct ol_json *root = NULL;
	struct ol_ruleset rs;
	int r = ol_toml_parse(text, len, &ol_json_policy_limits, &root, err);

	if (r < 0)
		return r;
	/* Checked here, so that a refusal names TOML's lines and keys. */
	if (ol_ruleset_init(&rs, "toml") < 0)
		return ol_error_oom(err);
	r = ol_landlockconfig_load(root, &rs, err);
	ol_ruleset_free(&rs);
	if (r < 0) {
		explain(text, len, err);
		return r;
	}
	return ol_json_emit(root, OL_JSON_COMPACT, out, out_len, err);
}

bool ol_toml_file_name(const char *name)
{
	size_t len = strlen(name);

	return len > 5 && strcmp(name + len - 5, ".toml") == 0;
}
