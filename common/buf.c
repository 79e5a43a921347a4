/* SPDX-License-Identifier: Apache-2.0 */
/* Growable byte buffer. */
#include "buf.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int ol_buf_reserve(struct ol_buf *b, size_t extra)
{
	size_t need, cap;
	char *data;

	if (extra > SIZE_MAX - b->len - 1)
		return -ENOMEM;
	need = b->len + extra + 1;
	if (need <= b->cap)
		return 0;
	cap = b->cap ? b->cap : 256;
	while (cap < need)
		cap = cap > SIZE_MAX / 2 ? need : cap * 2;
	data = realloc(b->data, cap);
	if (!data)
		return -ENOMEM;
	b->data = data;
	b->cap = cap;
	return 0;
}

int ol_buf_append(struct ol_buf *b, const void *data, size_t len)
{
	int r = ol_buf_reserve(b, len);

	if (r < 0)
		return r;
	if (len)
		memcpy(b->data + b->len, data, len);
	b->len += len;
	b->data[b->len] = '\0';
	return 0;
}

int ol_buf_puts(struct ol_buf *b, const char *s)
{
	return ol_buf_append(b, s, strlen(s));
}

void ol_buf_free(struct ol_buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

char *ol_buf_steal(struct ol_buf *b, size_t *len)
{
	/* A buffer never appended to has no storage, so no NUL either. */
	char *data = b->data ? b->data : strdup("");

	if (!data)
		return NULL;
	if (len)
		*len = b->len;
	b->data = NULL;
	b->len = b->cap = 0;
	return data;
}
