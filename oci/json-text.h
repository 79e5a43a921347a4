/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Strict text checks of the JSON layer (internal to oci/): strings are
 * RFC 3629 UTF-8, and no \u escape names a lone UTF-16 surrogate, so the
 * hook and a Go engine can never read one document as two strings.
 */
#ifndef OL_OCI_JSON_TEXT_H
#define OL_OCI_JSON_TEXT_H

#include <stdbool.h>
#include <stddef.h>

/* UTF-8 as RFC 3629 defines it. */
bool ol_json_valid_utf8(const unsigned char *s, size_t len);

/* The offset of a \u escape of a lone surrogate in a string, or -1. */
long ol_json_lone_surrogate(const char *text, size_t len);

#endif
