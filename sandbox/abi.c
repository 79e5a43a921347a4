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

/* Quiet rights are never more than the handled ones; a kind without quiet
 * rights has no quiet rule (the kernel refuses both: EINVAL). */
static void trim_quiet(struct ol_ruleset *rs)
{
	rs->quiet_fs &= rs->handled_fs;
	rs->quiet_net &= rs->handled_net;
	rs->quiet_scoped &= rs->scoped;
	for (size_t i = 0; i < rs->n_paths; i++)
		rs->paths[i].quiet &= rs->quiet_fs != 0;
	for (size_t i = 0; i < rs->n_ports; i++)
		rs->ports[i].quiet &= rs->quiet_net != 0;
	ol_ruleset_normalize(rs);
}

/*
 * What the layer says of quiet logging must make sense on any kernel: quiet
 * rules of a kind whose rights the layer handles, quiet scopes it sets.
 * (landlockconfig's loader says so with JSON paths; this catches the
 * shorthand.)  quiet_follows is resolved here.
 */
static int check_quiet(struct ol_ruleset *rs, struct ol_error *err)
{
	uint64_t scopes = rs->quiet_scoped & ~rs->scoped;
	char names[128];

	rs->quiet_fs = ol_ruleset_quiet_fs(rs);
	rs->quiet_net = ol_ruleset_quiet_net(rs);
	rs->quiet_follows = false;
	if (ol_ruleset_quiet_paths(rs) && !rs->quiet_fs) {
		ol_error_set(err, EINVAL,
			     "%s: quiet paths, but the layer handles no file-system right "
			     "whose denials they could keep out of the log",
			     rs->source);
		return ol_error_hint(err, "give the paths' layer file-system rules too (fs.ro, "
					  "fs.rw, ...), or drop the quiet paths");
	}
	if (ol_ruleset_quiet_ports(rs) && !rs->quiet_net) {
		ol_error_set(err, EINVAL,
			     "%s: quiet ports, but the layer handles no network right "
			     "whose denials they could keep out of the log",
			     rs->source);
		return ol_error_hint(err, "give the ports' layer port rules too (net.bind, "
					  "net.connect, ...), or drop the quiet ports");
	}
	if (!scopes)
		return 0;
	ol_rights_format(OL_RIGHT_SCOPE, scopes, ", ", names, sizeof(names));
	ol_error_set(err, EINVAL, "%s: quiet scope %s, but the layer does not set it", rs->source,
		     names);
	return ol_error_hint(err, "a denial the layer does not make cannot be kept quiet: "
				  "set the scope too (oci.landlock.scope, --scope), or drop it "
				  "from the quiet ones");
}

/* "quiet_access_fs needs ABI 10 (Linux 7.2), ..." for a kernel before it. */
static void describe_quiet(struct ol_buf *out, const struct ol_ruleset *rs)
{
	const char *linux_v = ol_abi_linux(OL_ABI_QUIET);
	size_t rules = ol_ruleset_quiet_paths(rs) + ol_ruleset_quiet_ports(rs);
	const struct {
		const char *name;
		bool used;
	} fields[] = { { "quiet_access_fs", rs->quiet_fs != 0 },
		       { "quiet_access_net", rs->quiet_net != 0 },
		       { "quiet_scoped", rs->quiet_scoped != 0 } };
	char item[128];

	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++) {
		if (!fields[i].used)
			continue;
		snprintf(item, sizeof(item), "%s%s needs ABI %d (Linux %s)", out->len ? ", " : "",
			 fields[i].name, OL_ABI_QUIET, linux_v);
		ol_buf_puts(out, item);
	}
	if (!rules)
		return;
	snprintf(item, sizeof(item), "%sthe quiet flag of %zu rule%s needs ABI %d (Linux %s)",
		 out->len ? ", " : "", rules, rules == 1 ? "" : "s", OL_ABI_QUIET, linux_v);
	ol_buf_puts(out, item);
}

static void drop_quiet(struct ol_ruleset *rs)
{
	rs->quiet_fs = rs->quiet_net = rs->quiet_scoped = 0;
	for (size_t i = 0; i < rs->n_paths; i++)
		rs->paths[i].quiet = false;
	for (size_t i = 0; i < rs->n_ports; i++)
		rs->ports[i].quiet = false;
	ol_ruleset_normalize(rs);
}

static int group_abi_check(const struct ol_ruleset *rs, enum ol_mode mode, struct ol_strv *warnings,
			   struct ol_error *err)
{
	if (rs->group_abi <= OL_ABI_MAX)
		return 0;
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
	return 0;
}

int ol_ruleset_fit(struct ol_ruleset *rs, int abi, enum ol_mode mode, struct ol_strv *warnings,
		   struct ol_error *err)
{
	cleanup_buf struct ol_buf missing = { 0 };
	cleanup_buf struct ol_buf quiet = { 0 };
	uint64_t fs = rs->handled_fs & ~ol_rights_mask(OL_RIGHT_FS, abi);
	uint64_t implied = fs & rs->implied_fs;
	uint64_t net = rs->handled_net & ~ol_rights_mask(OL_RIGHT_NET, abi);
	uint64_t scope = rs->scoped & ~ol_rights_mask(OL_RIGHT_SCOPE, abi);

	if (group_abi_check(rs, mode, warnings, err) < 0 || check_quiet(rs, err) < 0)
		return -err->code;
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
		trim_quiet(rs);
	}
	if (abi < OL_ABI_QUIET)
		describe_quiet(&quiet, rs);
	if (!fs && !net && !scope && !quiet.len)
		return 0;

	describe_missing(&missing, OL_RIGHT_FS, fs);
	describe_missing(&missing, OL_RIGHT_NET, net);
	describe_missing(&missing, OL_RIGHT_SCOPE, scope);
	if (mode == OL_MODE_STRICT) {
		ol_error_set(err, EOPNOTSUPP,
			     "%s: this kernel has Landlock ABI %d and cannot enforce: %s%s%s",
			     rs->source, abi, missing.len ? missing.data : "",
			     missing.len && quiet.len ? ", " : "", quiet.len ? quiet.data : "");
		if (quiet.len)
			return ol_error_hint(err, "use a newer kernel, remove these from the "
						  "policy, or set the mode to best-effort to run "
						  "without them (every denial is then logged)");
		return ol_error_hint(err, "use a newer kernel, remove these rights from "
					  "the policy, or set the mode to best-effort to "
					  "run without them");
	}

	/*
	 * Best effort, as the kernel documentation describes: what the kernel
	 * cannot handle is not handled.  For refer on ABI 1 this is stricter
	 * (ABI 1 always denies cross-directory links and renames); for every
	 * other right it leaves that action unrestricted.  Quiet settings are
	 * dropped: the kernel logs those denials too.
	 */
	if (missing.len)
		ol_strv_pushf(warnings,
			      "%s: this kernel has Landlock ABI %d and does not restrict: %s%s%s",
			      rs->source, abi, missing.data,
			      quiet.len ? "; it logs the denials meant to be quiet: " : "",
			      quiet.len ? quiet.data : "");
	else
		ol_strv_pushf(warnings,
			      "%s: this kernel has Landlock ABI %d and logs the denials meant "
			      "to be quiet: %s",
			      rs->source, abi, quiet.data);
	rs->handled_fs &= ~fs;
	rs->handled_net &= ~net;
	rs->scoped &= ~scope;
	/* Only a kernel without quiet rules drops them all; on one with them,
	 * dropping a right drops only its quiet bit (trim_quiet). */
	if (quiet.len)
		drop_quiet(rs);
	drop_from_rules(rs);
	trim_quiet(rs);
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
