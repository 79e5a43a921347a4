/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Turning layers into kernel rulesets and enforcing them.
 *
 * The order, from the kernel's sandboxer sample:
 * build every ruleset first (rule paths are opened O_PATH while nothing is
 * restricted yet), then no_new_privs, then one landlock_restrict_self() per
 * layer, then close the ruleset descriptors; the caller execs right after.
 */
#ifndef OL_SANDBOX_APPLY_H
#define OL_SANDBOX_APPLY_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "common/strv.h"
#include "landlock-uapi.h"
#include "ruleset.h"
#include "socket-filter.h"

/* Layers the kernel stacks at most on one thread. */
#define OL_MAX_LAYERS 16

/*
 * What landlock_create_ruleset() gets for a layer fitted to abi: attr
 * filled, and returned the size a kernel of that ABI knows; the fields
 * beyond it are zero (an older kernel refuses them otherwise, E2BIG).
 */
size_t ol_ruleset_attr(const struct ol_ruleset *rs, int abi, struct ol_ll_ruleset_attr *attr);

/* The landlock_add_rule() flags of a rule: the quiet flag for a quiet one
 * where the kernel has it (ABI 10), else none (older kernels: EINVAL). */
uint32_t ol_rule_flags(bool quiet, int abi);

/*
 * Create a ruleset for a layer already fitted to abi and add its rules.  A
 * rule whose path does not exist (or cannot be reached) is skipped with a
 * warning: a missing allow rule only removes access.  Rules on
 * non-directories keep only the rights that apply to files.  Returns the
 * ruleset descriptor (O_CLOEXEC) or a negative errno.
 */
int ol_ruleset_build(const struct ol_ruleset *rs, int abi, struct ol_strv *warnings,
		     struct ol_error *err);

/*
 * Set no_new_privs, load the socket filter (unless sockets is
 * OL_SOCKETS_UNFILTERED), then restrict the calling thread with each
 * ruleset.  The filter goes before the layers: once the last layer is in
 * place, nothing is left but the exec.
 */
int ol_sandbox_enforce(const int *ruleset_fds, size_t n, uint32_t log_flags, int abi,
		       uint32_t sockets, struct ol_error *err);

#endif
