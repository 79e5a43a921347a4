/* SPDX-License-Identifier: Apache-2.0 */
/* A growable byte buffer, always kept NUL-terminated for convenience. */
#ifndef OL_COMMON_BUF_H
#define OL_COMMON_BUF_H

#include <stddef.h>

struct ol_buf {
	char *data;
	size_t len;
	size_t cap;
};

/* Each returns 0 or -ENOMEM; on failure the buffer keeps its old content. */
int ol_buf_reserve(struct ol_buf *b, size_t extra);
int ol_buf_append(struct ol_buf *b, const void *data, size_t len);
int ol_buf_puts(struct ol_buf *b, const char *s);
void ol_buf_free(struct ol_buf *b);

/* Hand the content to the caller; the buffer is left empty. */
char *ol_buf_steal(struct ol_buf *b, size_t *len);

static inline void ol_buf_freep(struct ol_buf *b)
{
	ol_buf_free(b);
}

#define cleanup_buf __attribute__((__cleanup__(ol_buf_freep)))

#endif
