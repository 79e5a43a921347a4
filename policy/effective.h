/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What stacked layers allow together, as the kernel enforces them.
 *
 * Landlock checks every layer of a domain: an access is allowed only if
 * each layer that handles the right allows it.  A layer that does not
 * handle a right does not restrict it; a layer that handles it allows it
 * beneath a path only through a rule on that path or on one of its
 * ancestors.  So a path allowed in one layer and not named in another
 * that handles the right is denied, unless an ancestor's rule there
 * allows it.  refer is the kernel's exception: once any layer handles a
 * file-system right, every layer denies refer (moving or linking a file
 * into another directory) unless its rules grant it, whether it handles
 * refer or not (checked on Linux 6.18: EXDEV).
 *
 * The paths are compared as written (component by component, a trailing
 * '/' ignored): symbolic links, merged-/usr aliases and what exists in
 * the image are the launcher's business, inside the container.
 */
#ifndef OL_POLICY_EFFECTIVE_H
#define OL_POLICY_EFFECTIVE_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "sandbox/ruleset.h"

struct ol_effective_rule {
	char *path;		/* a path some layer names; NULL for ports */
	uint64_t port, port_hi; /* ports: the range port..port_hi */
	uint64_t allowed;	/* what every layer allows there */
	uint64_t granted;	/* what some layer's rule grants there */
	uint64_t *layer;	/* what each layer allows there (n_layers) */
};

struct ol_effective {
	size_t n_layers;
	struct ol_effective_rule *paths; /* sorted, one per distinct path */
	size_t n_paths;
	struct ol_effective_rule *ports; /* ascending; neighbours with equal
					    verdicts merged into ranges */
	size_t n_ports;
	/* On a path or port no layer names: what no layer handles. */
	uint64_t fs_elsewhere, net_elsewhere;
	/* Any layer's scope applies to the domain. */
	uint64_t scoped;
	/* The ABI whose rights are shown: a right the kernel lacks is
	 * neither allowed nor denied there, just absent. */
	int abi;
};

/*
 * Compute the effective access of n layers on a kernel of this ABI
 * (rights limited to those it has and this version knows).  Returns 0 or
 * -ENOMEM.
 */
int ol_effective_compute(const struct ol_ruleset *layers, size_t n, int abi,
			 struct ol_effective *out, struct ol_error *err);
void ol_effective_free(struct ol_effective *e);

#endif
