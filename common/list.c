/* SPDX-License-Identifier: Apache-2.0 */
/* Separated lists. */
#include "list.h"

#include <errno.h>
#include <string.h>

int ol_list_each(const char *list, char sep, bool words, const char *what, struct ol_error *err,
		 int (*fn)(const char *item, size_t len, void *data), void *data)
{
	size_t pos = 1;

	for (const char *p = list;; pos++) {
		const char *end = strchrnul(p, sep);
		const char *w = p;
		bool empty = true;
		int r;

		while (words && w < end) {
			const char *word_end;
			while (w < end && *w == ' ')
				w++;
			if (w == end)
				break;
			word_end = memchr(w, ' ', (size_t) (end - w));
			word_end = word_end ? word_end : end;
			if ((r = fn(w, (size_t) (word_end - w), data)) < 0)
				return r;
			empty = false;
			w = word_end;
		}
		if (!words && end != p) {
			if ((r = fn(p, (size_t) (end - p), data)) < 0)
				return r;
			empty = false;
		}
		if (empty)
			return ol_error_set(err, EINVAL, "empty %s at position %zu in '%s'", what,
					    pos, list);
		if (!*end)
			return 0;
		p = end + 1;
	}
}
