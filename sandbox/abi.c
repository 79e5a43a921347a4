/* SPDX-License-Identifier: Apache-2.0 */
/* Landlock ABI probe and the strict / best-effort downgrade. */
#include "abi.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "landlock-uapi.h"
#include "rights.h"

void ol_kernel_probe(struct ol_kernel *k)
{
	long abi = ol_ll_create_ruleset(NULL, 0, OL_LL_CREATE_RULESET_VERSION);
	long errata;

	memset(k, 0, sizeof(*k));
	if (abi < 0) {
		k->probe_errno = errno;
		return;
	}
	k->abi = (int) abi;
	/* Kernels before ABI 7 reject the flag; they report no errata. */
	errata = ol_ll_create_ruleset(NULL, 0, OL_LL_CREATE_RULESET_ERRATA);
	if (errata > 0)
		k->errata = (uint32_t) errata;
}

int ol_kernel_require(const struct ol_kernel *k, enum ol_mode mode, struct ol_strv *warnings,
		      struct ol_error *err)
{
	const char *why;

	if (k->abi > 0)
		return 0;
	switch (k->probe_errno) {
	case ENOSYS:
		why = "this kernel is built without Landlock";
		break;
	case EOPNOTSUPP:
		why = "Landlock is disabled on this kernel";
		break;
	default:
		why = strerror(k->probe_errno);
		break;
	}
	if (mode == OL_MODE_BEST_EFFORT) {
		ol_strv_pushf(warnings, "%s: running WITHOUT a sandbox (mode best-effort)", why);
		return 0;
	}
	ol_error_set(err, EOPNOTSUPP, "cannot sandbox: %s", why);
	if (k->probe_errno == EOPNOTSUPP)
		return ol_error_hint(err,
				     "enable it at boot: add \"landlock\" to the kernel's lsm= "
				     "parameter (see /sys/kernel/security/lsm)");
	return ol_error_hint(err, "use a kernel with CONFIG_SECURITY_LANDLOCK=y (Linux 5.13 "
				  "or later), or set the mode to best-effort to run "
				  "without a sandbox");
}

/* Describe each right of mask: "ioctl_dev needs ABI 5 (Linux 6.10)". */
static void describe_missing(struct ol_buf *out, enum ol_right_kind kind, uint64_t mask)
{
	for (size_t i = 0; i < ol_rights_count; i++) {
		const struct ol_right *r = &ol_rights[i];
		char item[128];
		if (r->kind != kind || !(mask & r->bit))
			continue;
		snprintf(item, sizeof(item), "%s%s needs ABI %d (Linux %s)", out->len ? ", " : "",
			 r->name, r->abi, ol_abi_linux(r->abi));
		ol_buf_puts(out, item);
	}
}

static void drop_from_rules(struct ol_ruleset *rs)
{
	for (size_t i = 0; i < rs->n_paths; i++)
		rs->paths[i].access &= rs->handled_fs;
	for (size_t i = 0; i < rs->n_ports; i++)
		rs->ports[i].access &= rs->handled_net;
	ol_ruleset_normalize(rs);
}

int ol_ruleset_fit(struct ol_ruleset *rs, int abi, enum ol_mode mode, struct ol_strv *warnings,
		   struct ol_error *err)
{
	cleanup_buf struct ol_buf missing = { 0 };
	uint64_t fs = rs->handled_fs & ~ol_rights_mask(OL_RIGHT_FS, abi);
	uint64_t implied = fs & rs->implied_fs;
	uint64_t net = rs->handled_net & ~ol_rights_mask(OL_RIGHT_NET, abi);
	uint64_t scope = rs->scoped & ~ol_rights_mask(OL_RIGHT_SCOPE, abi);

	if (rs->group_abi > OL_ABI_MAX) {
		if (mode == OL_MODE_STRICT) {
			ol_error_set(err, EOPNOTSUPP,
				     "%s: \"abi\" is %d but this version of "
				     "oci-landlock knows rights up to ABI %d only",
				     rs->source, rs->group_abi, OL_ABI_MAX);
			return ol_error_hint(err, "update oci-landlock, lower \"abi\" in "
						  "the policy, or set the mode to best-effort");
		}
		ol_strv_pushf(warnings,
			      "%s: \"abi\" is %d, rights newer than ABI %d are "
			      "unknown to this version and not restricted",
			      rs->source, rs->group_abi, OL_ABI_MAX);
	}
	/*
	 * Rights a shorthand handles only because it handles everything the
	 * kernel has (resolve_unix under fs.ro): not there, not handled, in
	 * either mode and without a word: the policy never named them.
	 */
	if (implied) {
		rs->handled_fs &= ~implied;
		rs->implied_fs &= ~implied;
		fs &= ~implied;
		drop_from_rules(rs);
	}
	if (!fs && !net && !scope)
		return 0;

	describe_missing(&missing, OL_RIGHT_FS, fs);
	describe_missing(&missing, OL_RIGHT_NET, net);
	describe_missing(&missing, OL_RIGHT_SCOPE, scope);
	if (mode == OL_MODE_STRICT) {
		ol_error_set(err, EOPNOTSUPP,
			     "%s: this kernel has Landlock ABI %d and cannot enforce: %s",
			     rs->source, abi, missing.data);
		return ol_error_hint(err, "use a newer kernel, remove these rights from "
					  "the policy, or set the mode to best-effort to "
					  "run without them");
	}

	/*
	 * Best effort, as the kernel documentation describes: what the kernel
	 * cannot handle is not handled.  For refer on ABI 1 this is stricter
	 * (ABI 1 always denies cross-directory links and renames); for every
	 * other right it leaves that action unrestricted.
	 */
	ol_strv_pushf(warnings, "%s: this kernel has Landlock ABI %d and does not restrict: %s",
		      rs->source, abi, missing.data);
	rs->handled_fs &= ~fs;
	rs->handled_net &= ~net;
	rs->scoped &= ~scope;
	drop_from_rules(rs);
	if (ol_ruleset_is_empty(rs))
		ol_strv_pushf(warnings, "%s: nothing left to enforce, layer skipped", rs->source);
	return 0;
}

int ol_layers_fit(const struct ol_kernel *k, struct ol_ruleset *layers, size_t n, enum ol_mode mode,
		  struct ol_strv *warnings, struct ol_error *err)
{
	int r = ol_kernel_require(k, mode, warnings, err);

	for (size_t i = 0; r == 0 && k->abi && i < n; i++)
		r = ol_ruleset_fit(&layers[i], k->abi, mode, warnings, err);
	return r;
}
