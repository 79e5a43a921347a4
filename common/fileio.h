/* SPDX-License-Identifier: Apache-2.0 */
/* Reading whole files with a size cap, and strict number parsing. */
#ifndef OL_COMMON_FILEIO_H
#define OL_COMMON_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * Read a regular file of at most max bytes into a NUL-terminated buffer.
 * FIFOs, devices and directories are refused (they could block or be huge).
 */
int ol_read_file(const char *path, size_t max, char **out, size_t *out_len, struct ol_error *err);

/* The same from an open descriptor (not closed); name is for messages. */
int ol_read_fd(int fd, const char *name, size_t max, char **out, size_t *out_len,
	       struct ol_error *err);

/*
 * Parse s[0..len) as a decimal unsigned integer no larger than max: digits
 * only, no sign, no spaces, no base prefix.  Returns 0, -EINVAL for a
 * malformed number, or -ERANGE when it exceeds max.
 */
int ol_parse_uint(const char *s, size_t len, uint64_t max, uint64_t *out);

#endif
