/* SPDX-License-Identifier: Apache-2.0 */
/* Strict text for the JSON layer: what yajl lets through and we do not. */
#include "json-text.h"

#include <string.h>

/*
 * UTF-8 as RFC 3629 defines it: no overlong forms, no encoded surrogates,
 * nothing above U+10FFFF.  yajl's own check lets all three through, and Go
 * (podman) would read them as U+FFFD: the two would see different strings.
 */
bool ol_json_valid_utf8(const unsigned char *s, size_t len)
{
	for (size_t i = 0; i < len;) {
		unsigned char c = s[i];
		size_t n;
		unsigned char lo = 0x80, hi = 0xbf;

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			n = 1;
		else if (c >= 0xe0 && c <= 0xef)
			n = 2;
		else if (c >= 0xf0 && c <= 0xf4)
			n = 3;
		else
			return false;
		if (c == 0xe0)
			lo = 0xa0; /* overlong */
		else if (c == 0xed)
			hi = 0x9f; /* surrogates */
		else if (c == 0xf0)
			lo = 0x90; /* overlong */
		else if (c == 0xf4)
			hi = 0x8f; /* above U+10FFFF */
		if (i + n >= len)
			return false;
		if (s[i + 1] < lo || s[i + 1] > hi)
			return false;
		for (size_t k = 2; k <= n; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return false;
		i += n + 1;
	}
	return true;
}

static int hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];
		int d = c >= '0' && c <= '9'   ? c - '0'
			: c >= 'a' && c <= 'f' ? c - 'a' + 10
			: c >= 'A' && c <= 'F' ? c - 'A' + 10
					       : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/*
 * Find a \u escape of a lone UTF-16 surrogate, which yajl would silently
 * decode to '?'.  Returns its offset, or -1.  Only string contents are
 * looked at; malformed escapes are left to yajl.
 */
long ol_json_lone_surrogate(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	bool in_string = false;

	/* Most documents hold no \u at all: find that out at memchr()'s pace.
	 * A backslash and the character it escapes (maybe another backslash)
	 * are passed together. */
	while ((p = memchr(p, '\\', (size_t) (end - p))) && p + 1 < end && p[1] != 'u')
		p += 2;
	if (!p || p + 1 >= end)
		return -1;
	for (size_t i = 0; i < len; i++) {
		int v;

		if (!in_string) {
			in_string = text[i] == '"';
			continue;
		}
		if (text[i] == '"') {
			in_string = false;
			continue;
		}
		if (text[i] != '\\' || i + 1 >= len)
			continue;
		if (text[i + 1] != 'u' || i + 6 > len) {
			i++; /* skip the escaped character */
			continue;
		}
		v = hex4(text + i + 2);
		if (v >= 0xdc00 && v <= 0xdfff)
			return (long) i;
		if (v >= 0xd800 && v <= 0xdbff) {
			int low = i + 12 <= len && text[i + 6] == '\\' && text[i + 7] == 'u'
					  ? hex4(text + i + 8)
					  : -1;
			if (low < 0xdc00 || low > 0xdfff)
				return (long) i;
			i += 6;
		}
		i += 5;
	}
	return -1;
}
