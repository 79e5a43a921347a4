/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A bounded reader of the TOML subset landlockconfig uses (see toml.h).
 *
 * One pass over the text, no backtracking: each line is blank, a comment,
 * a `[[name]]` header or `key = value`; only an array may span lines.  The
 * tree it builds is what ol_json_parse would build for the JSON spelling
 * of the same policy, so the loader and its messages are shared.
 */
#include "toml.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "oci/json-text.h"
#include "policy.h"

struct parser {
	const char *p, *end;
	unsigned line;
	const struct ol_json_limits *limits;
	struct ol_error *err;
	struct ol_json *root;
	struct ol_json *table;	 /* where `key = value` lines go */
	unsigned table_depth;	 /* its depth: 1 for the root, 3 for [[name]] */
	struct ol_json **arrays; /* root members made by [[name]] headers */
	size_t n_arrays;
};

static int fail(struct parser *ps, int code, const char *fmt, ...) OL_PRINTF(3, 4);
static int fail(struct parser *ps, int code, const char *fmt, ...)
{
	char what[400];
	va_list ap;

	va_start(ap, fmt);
	(void) vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	return ol_error_set(ps->err, code, "line %u: %s", ps->line, what);
}

static int oom(struct parser *ps)
{
	return ol_error_oom(ps->err);
}

static bool at(const struct parser *ps, char c)
{
	return ps->p < ps->end && *ps->p == c;
}

static bool at_str(const struct parser *ps, const char *s)
{
	size_t n = strlen(s);

	return (size_t) (ps->end - ps->p) >= n && memcmp(ps->p, s, n) == 0;
}

static void skip_blanks(struct parser *ps)
{
	while (at(ps, ' ') || at(ps, '\t'))
		ps->p++;
}

/* A comment runs to the end of the line; TOML allows no control
 * character in it but tab. */
static int skip_comment(struct parser *ps)
{
	if (!at(ps, '#'))
		return 0;
	for (; ps->p < ps->end && *ps->p != '\n'; ps->p++) {
		unsigned char c = (unsigned char) *ps->p;
		if (c == '\r' && ps->p + 1 < ps->end && ps->p[1] == '\n')
			continue;
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(ps, EINVAL, "a control character (0x%02x) in a comment", c);
	}
	return 0;
}

/* A line break (LF or CRLF); true when one was consumed. */
static bool newline(struct parser *ps)
{
	if (at_str(ps, "\r\n"))
		ps->p++;
	if (!at(ps, '\n'))
		return false;
	ps->p++;
	ps->line++;
	return true;
}

/* What may follow a header or a value: blanks, a comment, the line's end. */
static int end_of_line(struct parser *ps, const char *after)
{
	int r;

	skip_blanks(ps);
	if ((r = skip_comment(ps)) < 0)
		return r;
	if (ps->p == ps->end || newline(ps))
		return 0;
	return fail(ps, EINVAL, "unexpected text after %s (one per line)", after);
}

/* ---- keys ----------------------------------------------------------------- */

static bool bare_key_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

/* snake_case (lower-case words joined by single '_') becomes camelCase. */
static void json_spelling(const char *key, size_t len, char *out)
{
	bool snake = key[0] >= 'a' && key[0] <= 'z' && key[len - 1] != '_';
	size_t n = 0;

	for (size_t i = 0; snake && i < len; i++) {
		bool lower = key[i] >= 'a' && key[i] <= 'z', digit = key[i] >= '0' && key[i] <= '9';
		bool word = key[i] == '_' && key[i + 1] >= 'a' && key[i + 1] <= 'z';
		snake = lower || digit || word;
	}
	for (size_t i = 0; i < len; i++) {
		if (snake && key[i] == '_') {
			out[n++] = (char) (key[++i] - 'a' + 'A');
			continue;
		}
		out[n++] = key[i];
	}
	out[n] = '\0';
}

/* A bare key, in its JSON spelling, into out (OL_TOML_MAX_KEY_LEN + 1). */
static int parse_key(struct parser *ps, char *out)
{
	const char *start = ps->p;
	size_t len;

	if (at(ps, '"') || at(ps, '\''))
		return fail(ps, EINVAL, "quoted keys are not part of landlockconfig TOML");
	while (ps->p < ps->end && bare_key_char(*ps->p))
		ps->p++;
	len = (size_t) (ps->p - start);
	if (len == 0)
		return fail(ps, EINVAL, "expected a key");
	if (len > OL_TOML_MAX_KEY_LEN)
		return fail(ps, E2BIG, "a key is longer than %d bytes", OL_TOML_MAX_KEY_LEN);
	for (size_t i = 0; i < len; i++) {
		char snake[2 * OL_TOML_MAX_KEY_LEN + 1];
		size_t n = 0;
		if (!(start[i] >= 'A' && start[i] <= 'Z'))
			continue;
		for (size_t k = 0; k < len; k++) {
			if (start[k] >= 'A' && start[k] <= 'Z') {
				if (k)
					snake[n++] = '_';
				snake[n++] = (char) (start[k] - 'A' + 'a');
			} else {
				snake[n++] = start[k];
			}
		}
		snake[n] = '\0';
		ol_error_set(ps->err, EINVAL,
			     "line %u: \"%.*s\" is the JSON spelling: TOML keys are snake_case",
			     ps->line, (int) len, start);
		return ol_error_hint(ps->err, "write \"%s\"", snake);
	}
	skip_blanks(ps);
	if (at(ps, '.'))
		return fail(ps, EINVAL, "dotted keys are not part of landlockconfig TOML");
	json_spelling(start, len, out);
	return 0;
}

static int add_member(struct parser *ps, struct ol_json *obj, const char *key,
		      struct ol_json *value)
{
	if (!value)
		return oom(ps);
	if (obj->u.obj.len >= OL_TOML_MAX_KEYS) {
		ol_json_free(value);
		return fail(ps, E2BIG, "more than %d keys in one table", OL_TOML_MAX_KEYS);
	}
	return ol_json_object_set(obj, key, value) < 0 ? oom(ps) : 0;
}

/* ---- values --------------------------------------------------------------- */

static int put_utf8(struct ol_buf *b, uint32_t cp)
{
	char u[4];
	size_t n;

	if (cp < 0x80) {
		u[0] = (char) cp;
		n = 1;
	} else if (cp < 0x800) {
		u[0] = (char) (0xc0 | (cp >> 6));
		u[1] = (char) (0x80 | (cp & 0x3f));
		n = 2;
	} else if (cp < 0x10000) {
		u[0] = (char) (0xe0 | (cp >> 12));
		u[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
		u[2] = (char) (0x80 | (cp & 0x3f));
		n = 3;
	} else {
		u[0] = (char) (0xf0 | (cp >> 18));
		u[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
		u[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
		u[3] = (char) (0x80 | (cp & 0x3f));
		n = 4;
	}
	return ol_buf_append(b, u, n);
}

/* \uXXXX or \UXXXXXXXX: a Unicode scalar value. */
static int unicode_escape(struct parser *ps, size_t digits, struct ol_buf *b)
{
	uint32_t cp = 0;

	if ((size_t) (ps->end - ps->p) < digits)
		return fail(ps, EINVAL, "a \\%c escape needs %zu hex digits",
			    digits == 4 ? 'u' : 'U', digits);
	for (size_t i = 0; i < digits; i++) {
		char c = *ps->p++;
		int v = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (v < 0)
			return fail(ps, EINVAL, "a \\%c escape needs %zu hex digits",
				    digits == 4 ? 'u' : 'U', digits);
		cp = cp << 4 | (uint32_t) v;
	}
	if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return fail(ps, EINVAL,
			    "escape of U+%04" PRIX32 ", which is no Unicode scalar value", cp);
	return put_utf8(b, cp) < 0 ? oom(ps) : 0;
}

static int escape(struct parser *ps, struct ol_buf *b)
{
	static const char from[] = "btnfr\"\\", to[] = "\b\t\n\f\r\"\\";
	const char *hit;
	char c;

	if (ps->p == ps->end)
		return fail(ps, EINVAL, "a string is not closed on its line");
	c = *ps->p++;
	if (c == 'u' || c == 'U')
		return unicode_escape(ps, c == 'u' ? 4 : 8, b);
	hit = c ? strchr(from, c) : NULL;
	if (!hit) {
		ps->p--;
		return fail(ps, EINVAL,
			    "invalid escape in a string (\\b, \\t, \\n, \\f, \\r, "
			    "\\\", \\\\, \\uXXXX and \\UXXXXXXXX are)");
	}
	return ol_buf_append(b, &to[hit - from], 1) < 0 ? oom(ps) : 0;
}

/* A basic "..." (escapes) or literal '...' (none) string, on one line. */
static int parse_string(struct parser *ps, struct ol_json **out)
{
	cleanup_buf struct ol_buf b = { 0 };
	char quote = *ps->p;
	int r;

	if (at_str(ps, quote == '"' ? "\"\"\"" : "'''"))
		return fail(ps, EINVAL, "multi-line strings are not part of landlockconfig TOML");
	ps->p++;
	for (;;) {
		unsigned char c;
		if (ps->p == ps->end || *ps->p == '\n' || at_str(ps, "\r\n"))
			return fail(ps, EINVAL, "a string is not closed on its line");
		c = (unsigned char) *ps->p++;
		if (c == (unsigned char) quote)
			break;
		if (c == '\\' && quote == '"') {
			if ((r = escape(ps, &b)) < 0)
				return r;
			continue;
		}
		if ((c < 0x20 && c != '\t') || c == 0x7f)
			return fail(ps, EINVAL, "a control character (0x%02x) in a string", c);
		if (ol_buf_append(&b, &c, 1) < 0)
			return oom(ps);
	}
	*out = ol_json_new(OL_JSON_STRING);
	if (!*out)
		return oom(ps);
	(*out)->u.str.ptr = ol_buf_steal(&b, &(*out)->u.str.len);
	if (!(*out)->u.str.ptr) {
		free(*out);
		*out = NULL;
		return oom(ps);
	}
	return 0;
}

static bool word_char(char c)
{
	return bare_key_char(c) || c == '.' || c == '+' || c == ':';
}

/*
 * An integer as TOML writes them: decimal with an optional sign, or 0x,
 * 0o, 0b; '_' only between digits; no leading zero; within int64.  Stored
 * as the decimal text the JSON parser would keep.
 */
static int parse_integer(struct parser *ps, const char *w, size_t len, struct ol_json **out)
{
	unsigned base = 10;
	bool neg = false, digit_before = false;
	uint64_t v = 0, max;
	size_t i = 0;
	char text[24];

	if (w[0] == '+' || w[0] == '-') {
		neg = w[0] == '-';
		i++;
	}
	if (i + 1 < len && w[i] == '0') {
		char p = w[i + 1];
		if (p != 'x' && p != 'o' && p != 'b')
			return fail(ps, EINVAL, "'%.*s': an integer has no leading zero", (int) len,
				    w);
		if (neg || i)
			return fail(ps, EINVAL, "'%.*s': only a decimal integer takes a sign",
				    (int) len, w);
		base = p == 'x' ? 16 : p == 'o' ? 8 : 2;
		i += 2;
	}
	if (i == len)
		return fail(ps, EINVAL,
			    "'%.*s' is no integer (landlockconfig TOML has no floats or dates)",
			    (int) len, w);
	max = neg ? (uint64_t) INT64_MAX + 1 : (uint64_t) INT64_MAX;
	for (; i < len; i++) {
		char c = w[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (c == '_' && digit_before && i + 1 < len && w[i + 1] != '_') {
			digit_before = false;
			continue;
		}
		if (d < 0 || (unsigned) d >= base)
			return fail(ps, EINVAL,
				    "'%.*s' is no integer (landlockconfig TOML has no floats "
				    "or dates)",
				    (int) len, w);
		if (v > (max - (uint64_t) d) / base)
			return fail(ps, ERANGE, "'%.*s' is out of the range of a TOML integer",
				    (int) len, w);
		v = v * base + (uint64_t) d;
		digit_before = true;
	}
	snprintf(text, sizeof(text), "%s%" PRIu64, neg && v ? "-" : "", v);
	*out = ol_json_new(OL_JSON_NUMBER);
	if (!*out || !((*out)->u.str.ptr = strdup(text))) {
		free(*out);
		*out = NULL;
		return oom(ps);
	}
	(*out)->u.str.len = strlen(text);
	return 0;
}

static int parse_value(struct parser *ps, unsigned depth, struct ol_json **out);

/* Blanks, comments and line breaks between the items of an array. */
static int skip_array_space(struct parser *ps)
{
	for (;;) {
		int r;
		skip_blanks(ps);
		if ((r = skip_comment(ps)) < 0)
			return r;
		if (!newline(ps))
			return 0;
	}
}

static int parse_array(struct parser *ps, unsigned depth, struct ol_json **out)
{
	cleanup_json struct ol_json *arr = NULL;
	unsigned first = ps->line;

	if (depth > ps->limits->max_depth)
		return fail(ps, E2BIG, "nesting is deeper than the limit of %u",
			    ps->limits->max_depth);
	arr = ol_json_new(OL_JSON_ARRAY);
	if (!arr)
		return oom(ps);
	ps->p++;
	/* An item, then ',' or the end, then an item or the end, ... */
	for (bool want_item = true;;) {
		struct ol_json *item = NULL;
		int r = skip_array_space(ps);
		if (r < 0)
			return r;
		if (at(ps, ']'))
			break;
		if (ps->p == ps->end) {
			/* The line it starts on says more than the document's end. */
			ps->line = first;
			return fail(ps, ENODATA, "the array is not closed (no ']')");
		}
		if (!want_item) {
			if (!at(ps, ','))
				return fail(ps, EINVAL, "expected ',' or ']' in an array");
			ps->p++;
			want_item = true;
			continue;
		}
		if ((r = parse_value(ps, depth + 1, &item)) < 0)
			return r;
		if (ol_json_array_push(arr, item) < 0)
			return oom(ps);
		want_item = false;
	}
	ps->p++;
	*out = steal_pointer(&arr);
	return 0;
}

static int parse_value(struct parser *ps, unsigned depth, struct ol_json **out)
{
	const char *w = ps->p;
	size_t len = 0;

	if (at(ps, '"') || at(ps, '\''))
		return parse_string(ps, out);
	if (at(ps, '['))
		return parse_array(ps, depth, out);
	if (at(ps, '{'))
		return fail(ps, EINVAL,
			    "inline tables are not part of landlockconfig TOML: write a "
			    "[[name]] table");
	while (w + len < ps->end && word_char(w[len]))
		len++;
	if (len == 0)
		return fail(ps, EINVAL,
			    "expected a value (a string, an integer, true, false or "
			    "an array)");
	ps->p += len;
	if ((len == 4 && memcmp(w, "true", 4) == 0) || (len == 5 && memcmp(w, "false", 5) == 0)) {
		*out = ol_json_new(len == 4 ? OL_JSON_TRUE : OL_JSON_FALSE);
		return *out ? 0 : oom(ps);
	}
	if ((w[0] >= '0' && w[0] <= '9') || w[0] == '+' || w[0] == '-')
		return parse_integer(ps, w, len, out);
	return fail(ps, EINVAL, "'%.*s' is no value (strings are quoted)",
		    (int) (len > 64 ? 64 : len), w);
}

/* ---- lines ---------------------------------------------------------------- */

static bool made_by_header(const struct parser *ps, const struct ol_json *j)
{
	for (size_t i = 0; i < ps->n_arrays; i++)
		if (ps->arrays[i] == j)
			return true;
	return false;
}

/* [[name]]: a new table appended to the root array name. */
static int parse_header(struct parser *ps)
{
	char key[OL_TOML_MAX_KEY_LEN + 1];
	struct ol_json *arr, *table;
	int r;

	if (!at_str(ps, "[["))
		return fail(ps, EINVAL,
			    "a [table] is not part of landlockconfig TOML: its sections are "
			    "arrays of tables, written [[name]]");
	ps->p += 2;
	skip_blanks(ps);
	if ((r = parse_key(ps, key)) < 0)
		return r;
	if (!at_str(ps, "]]"))
		return fail(ps, EINVAL, "expected ']]' to end the header");
	ps->p += 2;
	arr = ol_json_get(ps->root, key);
	if (arr && !made_by_header(ps, arr))
		return fail(ps, EINVAL, "\"%s\" is already defined as a value", key);
	if (!arr) {
		if (ps->n_arrays >= OL_TOML_MAX_KEYS)
			return fail(ps, E2BIG, "more than %d keys in one table", OL_TOML_MAX_KEYS);
		if ((r = add_member(ps, ps->root, key, ol_json_new(OL_JSON_ARRAY))) < 0)
			return r;
		arr = ol_json_get(ps->root, key);
		ps->arrays[ps->n_arrays++] = arr;
	}
	if (ps->limits->max_depth < 3)
		return fail(ps, E2BIG, "nesting is deeper than the limit of %u",
			    ps->limits->max_depth);
	table = ol_json_new(OL_JSON_OBJECT);
	if (!table)
		return oom(ps);
	if (ol_json_array_push(arr, table) < 0)
		return oom(ps);
	ps->table = table;
	ps->table_depth = 3;
	return end_of_line(ps, "the header");
}

static int parse_assignment(struct parser *ps)
{
	char key[OL_TOML_MAX_KEY_LEN + 1];
	struct ol_json *value = NULL;
	int r;

	if ((r = parse_key(ps, key)) < 0)
		return r;
	if (!at(ps, '='))
		return fail(ps, EINVAL, "expected '=' after the key");
	ps->p++;
	skip_blanks(ps);
	if (ol_json_get(ps->table, key))
		return fail(ps, EINVAL, "duplicate key \"%s\"", key);
	if ((r = parse_value(ps, ps->table_depth + 1, &value)) < 0)
		return r;
	if ((r = add_member(ps, ps->table, key, value)) < 0)
		return r;
	return end_of_line(ps, "a value");
}

/* Each line is where the message says: check UTF-8 per line. */
static int check_utf8(struct parser *ps)
{
	const char *s = ps->p;

	while (s < ps->end) {
		const char *nl = memchr(s, '\n', (size_t) (ps->end - s));
		const char *e = nl ? nl : ps->end;
		if (!ol_json_valid_utf8((const unsigned char *) s, (size_t) (e - s)))
			return fail(ps, EINVAL, "not valid UTF-8");
		s = nl ? nl + 1 : ps->end;
		ps->line++;
	}
	ps->line = 1;
	return 0;
}

int ol_toml_parse(const char *text, size_t len, const struct ol_json_limits *limits,
		  struct ol_json **out, struct ol_error *err)
{
	struct ol_json *arrays[OL_TOML_MAX_KEYS];
	struct parser ps = {
		.p = text,
		.end = text + len,
		.line = 1,
		.limits = limits,
		.err = err,
		.table_depth = 1,
		.arrays = arrays,
	};
	cleanup_json struct ol_json *root = NULL;
	int r;

	ol_error_clear(err);
	if (len > limits->max_bytes)
		return ol_error_set(err, E2BIG, "document is %zu bytes, more than the limit of %zu",
				    len, limits->max_bytes);
	if ((r = check_utf8(&ps)) < 0)
		return r;
	if (at_str(&ps, "\xef\xbb\xbf")) /* a byte order mark */
		ps.p += 3;
	root = ps.table = ps.root = ol_json_new(OL_JSON_OBJECT);
	if (!root)
		return ol_error_oom(err);
	while (ps.p < ps.end) {
		skip_blanks(&ps);
		if ((r = skip_comment(&ps)) < 0)
			return r;
		if (ps.p == ps.end || newline(&ps))
			continue;
		r = at(&ps, '[') ? parse_header(&ps) : parse_assignment(&ps);
		if (r < 0)
			return r;
	}
	*out = steal_pointer(&root);
	return 0;
}
