/* SPDX-License-Identifier: Apache-2.0 */
#include "array.h"

#include <errno.h>
#include <stdlib.h>

int ol_array_reserve(void **items, size_t *cap, size_t need, size_t size)
{
	size_t ncap = *cap ? *cap : 8;
	void *grown;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > ((size_t) -1) / 2)
			return -ENOMEM;
		ncap *= 2;
	}
	grown = reallocarray(*items, ncap, size);
	if (!grown)
		return -ENOMEM;
	*items = grown;
	*cap = ncap;
	return 0;
}
