/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hook confines itself before it parses anything a container controls.
 *
 * The hook runs as root on the host, and annotations are written by
 * whoever starts the container.  A bug in the code that reads them must
 * not become a root shell: before the first byte of the config or state is
 * parsed, the hook puts itself in a Landlock domain that may read only the
 * paths it needs and write nothing, and under a seccomp filter that
 * refuses exec, sockets, ptrace and the calls that change the kernel's
 * state.  Both last until the process exits.  What the kernel lacks is
 * left out without a word: this is the hook's own hardening, not the
 * container's policy.
 */
#ifndef OL_HOST_CONFINE_H
#define OL_HOST_CONFINE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "sandbox/landlock-uapi.h"

#define OL_HOOK_READ (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR)
#define OL_HOOK_LIST OL_LL_ACCESS_FS_READ_DIR

struct ol_hook_path {
	const char *path; /* NULL: left out */
	uint64_t access;  /* OL_HOOK_READ or OL_HOOK_LIST */
};

/*
 * Confine the calling process: it may read or list what paths[] grants
 * (and beneath it), nothing else.  Already open descriptors (stdin,
 * stdout, stderr) keep working.  A path that does not exist is left out.
 * Returns 0 or an error.
 */
int ol_hook_confine(const struct ol_hook_path *paths, size_t n, struct ol_error *err);

#endif
