/* SPDX-License-Identifier: Apache-2.0 */
/* Strict numbers, edit distances, suggestions: no I/O. */
#include "text.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

int ol_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;

	if (len == 0)
		return -EINVAL;
	for (size_t i = 0; i < len; i++) {
		unsigned d;

		if (s[i] < '0' || s[i] > '9')
			return -EINVAL;
		d = (unsigned) (s[i] - '0');
		if (d > max || v > (max - d) / 10)
			return -ERANGE;
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

#define NAME_MAX_LEN 63

static size_t min3(size_t a, size_t b, size_t c)
{
	size_t m = a < b ? a : b;

	return m < c ? m : c;
}

size_t ol_edit_distance(const char *a, size_t la, const char *b, size_t lb)
{
	/* Three rows of the table: two back (for a swap), one back, this one. */
	size_t rows[3][NAME_MAX_LEN + 1];

	if (la > NAME_MAX_LEN || lb > NAME_MAX_LEN)
		return SIZE_MAX;
	for (size_t j = 0; j <= lb; j++)
		rows[0][j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t *d = rows[i % 3], *up = rows[(i - 1) % 3], *up2 = rows[(i + 1) % 3];

		d[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			d[j] = min3(up[j - 1] + (a[i - 1] != b[j - 1]), up[j] + 1, d[j - 1] + 1);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
			    up2[j - 2] + 1 < d[j])
				d[j] = up2[j - 2] + 1;
		}
	}
	return rows[la % 3][lb];
}

void ol_suggest_init(struct ol_suggestion *s, const char *name, size_t len)
{
	s->name = name;
	s->len = len;
	s->best = NULL;
	s->distance = 3; /* within two edits */
}

void ol_suggest_try(struct ol_suggestion *s, const char *known)
{
	size_t d = ol_edit_distance(s->name, s->len, known, strlen(known));

	if (d < s->distance) {
		s->distance = d;
		s->best = known;
	}
}

const char *ol_did_you_mean(const char *best, const char *prefix, char quote, char *buf,
			    size_t size)
{
	if (!best)
		return "";
	snprintf(buf, size, " (did you mean %c%s%s%c?)", quote, prefix, best, quote);
	return buf;
}

/* A control a terminal acts on: not a newline or a tab, which only look odd. */
static bool acted_on(const unsigned char *p)
{
	return (*p < 0x20 && *p != '\n' && *p != '\t') || *p == 0x7f ||
	       (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f);
}

int ol_shell_quote(struct ol_buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *) s;
	bool ansi = false;
	int r;

	for (; *p && !ansi; p++)
		ansi = acted_on(p);
	if (!ansi) {
		r = ol_buf_puts(b, "'");
		for (p = (const unsigned char *) s; r == 0 && *p; p++)
			r = *p == '\'' ? ol_buf_puts(b, "'\\''") : ol_buf_append(b, p, 1);
		return r == 0 ? ol_buf_puts(b, "'") : r;
	}
	/* $'...' (POSIX.1-2024, bash, zsh, ksh): every byte written out. */
	r = ol_buf_puts(b, "$'");
	for (p = (const unsigned char *) s; r == 0 && *p; p++) {
		char esc[8];
		if (*p == '\'' || *p == '\\')
			snprintf(esc, sizeof(esc), "\\%c", *p);
		else if (*p < 0x20 || *p >= 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", *p);
		else
			snprintf(esc, sizeof(esc), "%c", *p);
		r = ol_buf_puts(b, esc);
	}
	return r == 0 ? ol_buf_puts(b, "'") : r;
}

const char *ol_printable(const char *s, char *buf, size_t size)
{
	size_t used = 0, boundary = 0;
	const unsigned char *p;

	for (p = (const unsigned char *) s; *p; p++) {
		char esc[8];
		size_t n = 1;
		if ((*p & 0xc0) != 0x80)
			boundary = used; /* a character starts here */
		if (*p < 0x20 || *p == 0x7f)
			n = (size_t) snprintf(esc, sizeof(esc), "\\x%02x", *p);
		else if (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f)
			n = (size_t) snprintf(esc, sizeof(esc), "\\u%04x", *++p);
		else
			esc[0] = (char) *p;
		if (used + n >= size)
			break;
		memcpy(buf + used, esc, n);
		used += n;
	}
	/* Cut short inside a character: cut before it. */
	if (*p && (*p & 0xc0) == 0x80)
		used = boundary;
	buf[used] = '\0';
	return buf;
}
