/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A growable, NULL-terminated vector of owned strings.  Used for argument
 * vectors and for the warnings that library code hands back to main()
 * instead of printing them.
 */
#ifndef OL_COMMON_STRV_H
#define OL_COMMON_STRV_H

#include <stddef.h>

#include "error.h"

struct ol_strv {
	char **v; /* NULL-terminated once non-empty */
	size_t n;
	size_t cap;
};

/* Append a copy of s.  Returns 0 or -ENOMEM. */
int ol_strv_push(struct ol_strv *s, const char *str);
/* Append a formatted string.  Returns 0 or -ENOMEM. */
int ol_strv_pushf(struct ol_strv *s, const char *fmt, ...) OL_PRINTF(2, 3);
void ol_strv_free(struct ol_strv *s);

static inline void ol_strv_freep(struct ol_strv *s)
{
	ol_strv_free(s);
}

#define cleanup_strv __attribute__((__cleanup__(ol_strv_freep)))

#endif
