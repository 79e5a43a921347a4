/* SPDX-License-Identifier: Apache-2.0 */
/* Shared seccomp plumbing. */
#include "seccomp-util.h"

#include <errno.h>

#include "common/cleanup.h"

int ol_seccomp_new(scmp_filter_ctx *out, struct ol_error *err)
{
	cleanup_seccomp scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	uint32_t native = seccomp_arch_native();
	int r;

	if (!ctx)
		return ol_error_set(err, ENOMEM, "cannot create a seccomp filter");
	r = seccomp_attr_set(ctx, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
	if (r == 0)
		r = seccomp_attr_set(ctx, SCMP_FLTATR_CTL_NNP, 0);
	if (r == 0 && native == SCMP_ARCH_X86_64)
		r = seccomp_arch_add(ctx, SCMP_ARCH_X86);
	if (r == 0 && native == SCMP_ARCH_X86_64)
		r = seccomp_arch_add(ctx, SCMP_ARCH_X32);
	if (r == 0 && native == SCMP_ARCH_AARCH64)
		r = seccomp_arch_add(ctx, SCMP_ARCH_ARM);
	if (r < 0)
		return ol_error_errno(err, -r, "cannot set up a seccomp filter");
	*out = steal_pointer(&ctx);
	return 0;
}

int ol_seccomp_deny(const char *const *names, size_t n, int errno_value, struct ol_error *err)
{
	cleanup_seccomp scmp_filter_ctx ctx = NULL;
	int r = ol_seccomp_new(&ctx, err);

	for (size_t i = 0; r == 0 && i < n; i++) {
		int nr = seccomp_syscall_resolve_name(names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;
		r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO((uint32_t) errno_value), nr, 0);
		if (r < 0)
			return ol_error_errno(err, -r, "cannot add %s to a seccomp filter",
					      names[i]);
	}
	if (r < 0)
		return r;
	r = seccomp_load(ctx);
	if (r < 0)
		return ol_error_errno(err, -r, "cannot load a seccomp filter");
	return 0;
}
