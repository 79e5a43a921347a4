/* SPDX-License-Identifier: Apache-2.0 */
/* String vector: owned strings, always NULL-terminated. */
#include "strv.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "array.h"

static int push_owned(struct ol_strv *s, char *str)
{
	if (OL_ARRAY_RESERVE(s->v, s->cap, s->n + 2) < 0) {
		free(str);
		return -ENOMEM;
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
	return 0;
}

int ol_strv_push(struct ol_strv *s, const char *str)
{
	char *copy = strdup(str);

	if (!copy)
		return -ENOMEM;
	return push_owned(s, copy);
}

int ol_strv_pushf(struct ol_strv *s, const char *fmt, ...)
{
	char *str = NULL;
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vasprintf(&str, fmt, ap);
	va_end(ap);
	if (r < 0)
		return -ENOMEM;
	return push_owned(s, str);
}

void ol_strv_free(struct ol_strv *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->v[i]);
	free(s->v);
	s->v = NULL;
	s->n = s->cap = 0;
}
