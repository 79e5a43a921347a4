/* SPDX-License-Identifier: Apache-2.0 */
/* Reading /proc/PID/mountinfo. */
#include "mountinfo.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A field, its "\ooo" escapes undone (the kernel escapes space, tab,
 * newline and backslash). */
static char *unescape(const char *s, size_t len)
{
	char *out = malloc(len + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] == '\\' && i + 3 < len && s[i + 1] >= '0' && s[i + 1] <= '3' &&
		    s[i + 2] >= '0' && s[i + 2] <= '7' && s[i + 3] >= '0' && s[i + 3] <= '7') {
			out[o++] = (char) ((s[i + 1] - '0') * 64 + (s[i + 2] - '0') * 8 +
					   (s[i + 3] - '0'));
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
	return out;
}

/* The next space-separated field of the line [*p, end). */
static int field(const char **p, const char *end, const char **start, size_t *len)
{
	while (*p < end && **p == ' ')
		(*p)++;
	*start = *p;
	while (*p < end && **p != ' ')
		(*p)++;
	*len = (size_t) (*p - *start);
	return *len ? 0 : -EINVAL;
}

/*
 * "36 35 98:0 /root /point rw,noatime master:1 - ext3 /dev/root rw": the
 * optional fields end at "-", then come the type and the source.
 */
static int parse_line(const char *p, const char *end, struct ol_mount *m)
{
	const char *f[6], *s;
	size_t n[6], len;

	/* id, parent, major:minor, root, point, options: then optional fields. */
	for (int i = 0; i < 6; i++)
		if (field(&p, end, &f[i], &n[i]) < 0)
			return -EINVAL;
	if (sscanf(f[0], "%d", &m->id) != 1 || sscanf(f[1], "%d", &m->parent) != 1 ||
	    sscanf(f[2], "%u:%u", &m->major, &m->minor) != 2)
		return -EINVAL;
	do {
		if (field(&p, end, &s, &len) < 0)
			return -EINVAL;
	} while (!(len == 1 && s[0] == '-'));
	if (field(&p, end, &s, &len) < 0)
		return -EINVAL;
	m->root = unescape(f[3], n[3]);
	m->point = unescape(f[4], n[4]);
	m->fstype = unescape(s, len);
	return m->root && m->point && m->fstype ? 0 : -ENOMEM;
}

int ol_mounts_parse(const char *text, size_t len, struct ol_mounts *out, struct ol_error *err)
{
	const char *end = text + len;
	size_t lines = 0;

	memset(out, 0, sizeof(*out));
	for (const char *p = text; p < end; p++)
		lines += *p == '\n';
	out->m = calloc(lines + 1, sizeof(*out->m));
	if (!out->m)
		return ol_error_oom(err);
	for (const char *p = text; p < end;) {
		const char *nl = memchr(p, '\n', (size_t) (end - p));
		const char *eol = nl ? nl : end;
		if (eol > p) {
			int r = parse_line(p, eol, &out->m[out->n]);
			out->n++;
			if (r < 0)
				return ol_error_set(err, -r,
						    "mountinfo: cannot read the line '%.*s'",
						    (int) (eol - p > 200 ? 200 : eol - p), p);
		}
		p = eol + 1;
	}
	return 0;
}

void ol_mounts_free(struct ol_mounts *mounts)
{
	for (size_t i = 0; mounts->m && i < mounts->n; i++) {
		free(mounts->m[i].root);
		free(mounts->m[i].point);
		free(mounts->m[i].fstype);
	}
	free(mounts->m);
	memset(mounts, 0, sizeof(*mounts));
}

const struct ol_mount *ol_mounts_find(const struct ol_mounts *mounts, int id)
{
	for (size_t i = 0; i < mounts->n; i++)
		if (mounts->m[i].id == id)
			return &mounts->m[i];
	return NULL;
}

int ol_mounts_has_fs(const struct ol_mounts *mounts, unsigned major, unsigned minor)
{
	for (size_t i = 0; i < mounts->n; i++)
		if (mounts->m[i].major == major && mounts->m[i].minor == minor)
			return 1;
	return 0;
}
