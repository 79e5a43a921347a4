/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Small text helpers every layer uses: strict numbers, the distance
 * between two names, and the "did you mean" that follows an unknown name.
 */
#ifndef OL_COMMON_TEXT_H
#define OL_COMMON_TEXT_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* PATH where none is set (the usual default of the OCI runtimes and of
 * sudo's secure_path): for the hooks oci-landlock runs, as the hooks.d
 * files set it; the runtime the shim looks for; the launcher's command. */
#define OL_DEFAULT_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/*
 * Parse s[0..len) as a decimal unsigned integer no larger than max: digits
 * only, no sign, no spaces, no base prefix.  Returns 0, -EINVAL for a
 * malformed number, or -ERANGE when it exceeds max.
 */
int ol_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out);

/*
 * The edit distance of a[0..la) and b[0..lb): letters added, removed or
 * changed, and two neighbours swapped, one edit each (the optimal string
 * alignment distance).  SIZE_MAX when either is 64 bytes or longer.
 */
size_t ol_edit_distance(const char *a, size_t la, const char *b, size_t lb);

/*
 * The closest of a list of known names to an unknown one, within two
 * edits: start with ol_suggest_init(), offer each known name with
 * ol_suggest_try(), and read .best (NULL when none is close).
 */
struct ol_suggestion {
	const char *name;
	size_t len;
	const char *best;
	size_t distance;
};

void ol_suggest_init(struct ol_suggestion *s, const char *name, size_t len);
void ol_suggest_try(struct ol_suggestion *s, const char *known);

/*
 * The end of an "unknown NAME" message: " (did you mean 'PREFIXBEST'?)",
 * or "" when best is NULL (nothing is close).  quote is the quote the message uses for
 * the name ('\'' or '"': see docs/error-handling.md); prefix may be "".
 */
const char *ol_did_you_mean(const char *best, const char *prefix, char quote, char *buf,
			    size_t size);

/*
 * Append s as one POSIX shell word: in single quotes, each ' written as
 * '\''; or, when s holds a control a terminal would act on (an escape,
 * a carriage return: anything below 0x20 but newline and tab, DEL, C1),
 * as $'...' with every byte not printable ASCII as \xNN, so that showing
 * the word cannot rewrite the screen.  Any byte but NUL reads back
 * exactly.  0 or -ENOMEM.
 */
int ol_shell_quote(struct ol_buf *b, const char *s);

/*
 * s with what a terminal would act on written out: bytes below 0x20 and
 * 0x7f as \xNN, the C1 controls (UTF-8 0xc2 0x80 to 0x9f) as \u00NN.  For
 * text that others chose (paths, file names, an image's "#!" line) on its
 * way to a terminal or log.  Cut to size; returns buf.
 */
const char *ol_printable(const char *s, char *buf, size_t size);

#endif
