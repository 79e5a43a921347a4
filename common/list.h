/* SPDX-License-Identifier: Apache-2.0 */
/* Separated lists, as annotations and options write them. */
#ifndef OL_COMMON_LIST_H
#define OL_COMMON_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include "error.h"

/*
 * Visit each item of a `sep`-separated list; an empty item is an error
 * ("empty WHAT at position N in ..."), never "everything".  With `words`,
 * spaces separate items too (runs of them count once), so "80 443" works
 * where a comma cannot be written (podman's --annotation splits its value
 * at commas); an item of spaces only is still empty.  Stops at the first
 * error fn returns.
 */
int ol_list_each(const char *list, char sep, bool words, const char *what, struct ol_error *err,
		 int (*fn)(const char *item, size_t len, void *data), void *data);

#endif
