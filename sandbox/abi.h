/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What the running kernel supports, and fitting a layer to it.
 *
 * The kernel is probed once; ol_ruleset_fit() is a pure function of the
 * layer, the ABI and the mode, so the unit tests can run it against every
 * ABI from none to newer-than-known.  Nothing a user or an image controls
 * (option, environment) can change the probed ABI.
 */
#ifndef OL_SANDBOX_ABI_H
#define OL_SANDBOX_ABI_H

#include <stdint.h>

#include "common/error.h"
#include "common/strv.h"
#include "ruleset.h"

enum ol_mode {
	OL_MODE_STRICT,	     /* refuse to run what the kernel cannot enforce */
	OL_MODE_BEST_EFFORT, /* drop it, warn, and run */
};

struct ol_kernel {
	int abi;	 /* 0: no Landlock */
	int probe_errno; /* why abi is 0: ENOSYS (not built), EOPNOTSUPP (off) */
	uint32_t errata; /* bit N-1 set: erratum N is fixed (ABI 7 kernels) */
};

void ol_kernel_probe(struct ol_kernel *k);

/*
 * Decide what to do when the kernel has no Landlock at all.  Strict: an
 * error naming the cause with a hint.  Best effort: one warning, return 0,
 * and the caller applies nothing.
 */
int ol_kernel_require(const struct ol_kernel *k, enum ol_mode mode, struct ol_strv *warnings,
		      struct ol_error *err);

/*
 * Fit a layer to a kernel ABI (>= 1).  Strict: fail when the layer handles
 * a right, scope or rule type the kernel lacks.  Best effort: drop those
 * from the handled sets and the rules, with one warning for the layer.
 * Afterwards ol_ruleset_is_empty() tells whether anything is left to apply.
 */
int ol_ruleset_fit(struct ol_ruleset *rs, int abi, enum ol_mode mode, struct ol_strv *warnings,
		   struct ol_error *err);

/* ol_kernel_require(), then every layer fitted to the kernel's ABI (when
 * it has Landlock): what the launcher, the hook and `check` all do. */
int ol_layers_fit(const struct ol_kernel *k, struct ol_ruleset *layers, size_t n, enum ol_mode mode,
		  struct ol_strv *warnings, struct ol_error *err);

#endif
