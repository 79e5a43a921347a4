/* SPDX-License-Identifier: Apache-2.0 */
/* The few keys of containers.conf that decide whether podman reaches us. */
#include "podman-conf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* A string array holds a few paths; more is not a file we understand. */
#define MAX_ITEMS 64

struct scan {
	const char *p, *end;
	unsigned line;
	struct ol_error *err;
};

void ol_podman_conf_free(struct ol_podman_conf *conf)
{
	ol_strv_free(&conf->hooks_dirs);
	free(conf->runtime);
	ol_strv_free(&conf->runtime_names);
	ol_strv_free(&conf->runtime_paths);
	memset(conf, 0, sizeof(*conf));
}

static int bad(struct scan *s, const char *what)
{
	return ol_error_set(s->err, EINVAL, "line %u: %s", s->line, what);
}

/* Blanks, comments and (when lines) newlines. */
static void skip(struct scan *s, bool lines)
{
	while (s->p < s->end) {
		if (*s->p == '#')
			while (s->p < s->end && *s->p != '\n')
				s->p++;
		else if (*s->p == ' ' || *s->p == '\t' || *s->p == '\r')
			s->p++;
		else if (*s->p == '\n' && lines)
			s->line++, s->p++;
		else
			break;
	}
}

static void to_line_end(struct scan *s)
{
	while (s->p < s->end && *s->p != '\n')
		s->p++;
}

/* A "basic" or 'literal' string without escapes: a copy in *out. */
static int string(struct scan *s, char **out)
{
	const char quote = *s->p;
	const char *start = ++s->p;

	while (s->p < s->end && *s->p != quote && *s->p != '\n' && *s->p != '\\')
		s->p++;
	if (s->p >= s->end || *s->p != quote)
		return bad(s, "a string with an escape or without its end quote");
	*out = strndup(start, (size_t) (s->p++ - start));
	return *out ? 0 : ol_error_oom(s->err);
}

/* [ "a", 'b', ] over any number of lines, into out. */
static int string_array(struct scan *s, struct ol_strv *out)
{
	s->p++;
	for (;;) {
		char *item = NULL;
		skip(s, true);
		if (s->p < s->end && *s->p == ']') {
			s->p++;
			return 0;
		}
		if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
			return bad(s, "expected a string in the array");
		if (string(s, &item) < 0)
			return -s->err->code;
		if (out->n >= MAX_ITEMS || ol_strv_push(out, item) < 0) {
			free(item);
			return out->n >= MAX_ITEMS ? bad(s, "too many items")
						   : ol_error_oom(s->err);
		}
		free(item);
		skip(s, true);
		if (s->p < s->end && *s->p == ',')
			s->p++;
		else if (s->p >= s->end || *s->p != ']')
			return bad(s, "expected ',' or ']' in the array");
	}
}

static int hooks_dir(struct scan *s, struct ol_podman_conf *conf)
{
	if (s->p >= s->end || *s->p != '[')
		return bad(s, "hooks_dir: expected an array of strings");
	ol_strv_free(&conf->hooks_dirs);
	conf->hooks_dir_set = true;
	return string_array(s, &conf->hooks_dirs);
}

static int runtime(struct scan *s, struct ol_podman_conf *conf)
{
	if (s->p >= s->end || (*s->p != '"' && *s->p != '\''))
		return bad(s, "runtime: expected a string");
	free(conf->runtime);
	conf->runtime = NULL;
	return string(s, &conf->runtime);
}

/* NAME = ["PATH", ...] under [engine.runtimes]. */
static int runtime_entry(struct scan *s, const char *name, struct ol_podman_conf *conf)
{
	struct ol_strv paths = { 0 };
	int r;

	if (s->p >= s->end || *s->p != '[')
		return bad(s, "a runtime: expected an array of paths");
	r = string_array(s, &paths);
	for (size_t i = 0; r == 0 && i < paths.n; i++)
		if (ol_strv_push(&conf->runtime_names, name) < 0 ||
		    ol_strv_push(&conf->runtime_paths, paths.v[i]) < 0)
			r = ol_error_oom(s->err);
	ol_strv_free(&paths);
	return r;
}

/* A [table] header: which table the keys that follow are in. */
static int table(struct scan *s, char *name, size_t size)
{
	const char *start = ++s->p;

	while (s->p < s->end && *s->p != ']' && *s->p != '\n')
		s->p++;
	if (s->p >= s->end || *s->p != ']' || (size_t) (s->p - start) >= size)
		return bad(s, "a table header without its ']'");
	memcpy(name, start, (size_t) (s->p - start));
	name[s->p - start] = '\0';
	s->p++;
	/* "[ engine . runtimes ]": TOML allows blanks around the dots. */
	for (char *r = name, *w = name;; r++)
		if (*r != ' ' && *r != '\t' && !(*w++ = *r))
			break;
	return 0;
}

static int key_value(struct scan *s, const char *in, struct ol_podman_conf *conf)
{
	char key[128];
	size_t n = 0;

	if (*s->p == '"' || *s->p == '\'') {
		char *quoted = NULL;
		if (string(s, &quoted) < 0 || !quoted)
			return -s->err->code;
		n = strlen(quoted) < sizeof(key) ? strlen(quoted) : sizeof(key) - 1;
		memcpy(key, quoted, n);
		free(quoted);
	} else {
		while (s->p < s->end && n < sizeof(key) - 1 &&
		       (strchr("_-", *s->p) || (*s->p >= 'a' && *s->p <= 'z') ||
			(*s->p >= 'A' && *s->p <= 'Z') || (*s->p >= '0' && *s->p <= '9')))
			key[n++] = *s->p++;
	}
	key[n] = '\0';
	skip(s, false);
	if (n == 0 || s->p >= s->end || *s->p != '=') {
		/* A dotted key or something else we do not read. */
		to_line_end(s);
		return 0;
	}
	s->p++;
	skip(s, false);
	if (strcmp(in, "engine") == 0 && strcmp(key, "hooks_dir") == 0)
		return hooks_dir(s, conf);
	if (strcmp(in, "engine") == 0 && strcmp(key, "runtime") == 0)
		return runtime(s, conf);
	if (strcmp(in, "engine.runtimes") == 0)
		return runtime_entry(s, key, conf);
	if (s->p < s->end && *s->p == '[') {
		struct ol_strv ignored = { 0 };
		int r = string_array(s, &ignored);
		ol_strv_free(&ignored);
		if (r == 0)
			return 0;
		/* Not an array of strings: some other key's value; skip it. */
		ol_error_clear(s->err);
	}
	to_line_end(s);
	return 0;
}

int ol_podman_conf_parse(const char *text, size_t len, struct ol_podman_conf *conf,
			 struct ol_error *err)
{
	struct scan s = { text, text + len, 1, err };
	char in[128] = "";

	for (;;) {
		int r;
		skip(&s, true);
		if (s.p >= s.end)
			return 0;
		if (*s.p == '[')
			r = table(&s, in, sizeof(in));
		else
			r = key_value(&s, in, conf);
		if (r < 0)
			return r;
		skip(&s, false);
		if (s.p < s.end && *s.p != '\n')
			return bad(&s, "expected the end of the line");
	}
}
