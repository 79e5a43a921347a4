/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the seccomp filters of the project share: a default-allow context
 * that covers every ABI this machine can run (a filter for the native ABI
 * alone could be gone around through i386's int 0x80 or x32) and its
 * cleanup.
 */
#ifndef OL_SANDBOX_SECCOMP_UTIL_H
#define OL_SANDBOX_SECCOMP_UTIL_H

#include <seccomp.h>

#include "common/error.h"

static inline void ol_seccomp_releasep(scmp_filter_ctx *ctx)
{
	if (*ctx)
		seccomp_release(*ctx);
}

#define cleanup_seccomp __attribute__((__cleanup__(ol_seccomp_releasep)))

/*
 * A context that allows what no rule denies, with the native ABI and the
 * compat ones (x86-64: i386 and x32; arm64: arm).  A call from any other
 * ABI kills the process.  no_new_privs is the caller's job.
 */
int ol_seccomp_new(scmp_filter_ctx *out, struct ol_error *err);

/*
 * Load a filter that makes each named system call fail with `errno_value`
 * (names this architecture lacks are left out).  no_new_privs must be set.
 */
int ol_seccomp_deny(const char *const *names, size_t n, int errno_value, struct ol_error *err);

#endif
