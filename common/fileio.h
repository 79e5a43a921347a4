/* SPDX-License-Identifier: Apache-2.0 */
/* Reading whole files with a size cap, and strict number parsing. */
#ifndef OL_COMMON_FILEIO_H
#define OL_COMMON_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "error.h"

/*
 * Read a regular file of at most max bytes into a NUL-terminated buffer.
 * FIFOs, devices and directories are refused before they are opened
 * (they could block, be huge, or act when opened), and so are the files of
 * procfs and sysfs (reading /proc/kmsg consumes it).
 */
int ol_read_file(const char *path, size_t max, char **out, size_t *out_len, struct ol_error *err);

/* The same for a value the kernel shows in /proc or /sys. */
int ol_read_kernel_file(const char *path, size_t max, char **out, size_t *out_len,
			struct ol_error *err);

/* Read any descriptor (a pipe, say) to its end, at most max bytes. */
int ol_read_stream(int fd, const char *name, size_t max, char **out, size_t *out_len,
		   struct ol_error *err);

/* The same from an open descriptor (not closed); name is for messages. */
int ol_read_fd(int fd, const char *name, size_t max, char **out, size_t *out_len,
	       struct ol_error *err);

/* Write all of data[len] to fd, through short writes and EINTR: 0 or -errno. */
int ol_write_all(int fd, const char *data, size_t len);

/*
 * Replace the regular file `name` in the directory dirfd with data,
 * atomically: write "name.tmp" (O_EXCL, O_NOFOLLOW; a stale one from a
 * crash is removed first), give it the mode and owner of the old file,
 * rename it over the old one.  Readers see the old file or the new one,
 * never half of either.  `durable` also fsyncs the file before the rename
 * and the directory after it, so that a crash leaves one or the other on
 * disk too: for a file read after a reboot (`oci-landlock inject`), not
 * for one the runtime reads at once (the shim: a crash ends that container
 * start anyway, and the sync cost up to milliseconds per start).
 */
int ol_replace_file_at(int dirfd, const char *name, const char *data, size_t len, bool durable,
		       struct ol_error *err);

#endif
