/* SPDX-License-Identifier: Apache-2.0 */
/* Growing an array by doubling its capacity. */
#ifndef OL_COMMON_ARRAY_H
#define OL_COMMON_ARRAY_H

#include <stddef.h>

/*
 * Make room for at least need items of size bytes in *items, whose
 * capacity is *cap: the capacity doubles (from 8) until it is enough.
 * Returns 0, or -ENOMEM with *items and *cap unchanged.
 */
int ol_array_reserve(void **items, size_t *cap, size_t need, size_t size);

/* The same for an array variable: OL_ARRAY_RESERVE(v, cap, n + 1). */
#define OL_ARRAY_RESERVE(items, cap, need)                                                         \
	ol_array_reserve((void **) &(items), &(cap), (need), sizeof(*(items)))

#endif
