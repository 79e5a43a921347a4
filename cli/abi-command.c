/* SPDX-License-Identifier: Apache-2.0 */
/* oci-landlock abi: what this kernel's Landlock supports, ABI by ABI. */
#include <stdint.h>

#include "check.h"
#include "cli.h"
#include "sandbox/abi.h"
#include "sandbox/rights.h"

/* What an ABI adds besides rights (which come from the table). */
static const struct {
	int abi;
	const char *what;
} abi_extra[] = {
	{ 7, "audit log flags, errata report" },
	{ 8, "restrict flag TSYNC: every thread at once (not needed: the launcher is "
	     "single-threaded)" },
	{ 10, "UDP port rules; quiet rules (quiet.fs, quietAccessFs ...)" },
};

/* The errata Landlock reports fixed, and what the fix means for a policy. */
static const char *const errata[] = {
	"TCP rights apply to TCP sockets only (ABI 4): bind_tcp and connect_tcp no "
	"longer restrict MPTCP, SMC or SCTP; keep those out with net.socket",
	"threads of one process may signal each other (ABI 6): the signal scope "
	"no longer denies it between threads in different domains",
	"rights on disconnected directories (ABI 1): a rename or link of a "
	"directory disconnected under a bind mount can no longer widen what a "
	"policy with refer allows",
	"whiteouts need make_reg (ABI 1)",
};

static void print_abis(FILE *out, int have)
{
	for (int abi = 1; abi <= OL_ABI_MAX; abi++) {
		const char *sep = "";
		char names[512];
		fprintf(out, "  %-2d Linux %-5s %-3s ", abi, ol_abi_linux(abi),
			abi <= have ? "yes" : "no");
		for (int kind = 0; kind < 3; kind++) {
			uint64_t mask = ol_rights_mask((enum ol_right_kind) kind, abi) &
					~ol_rights_mask((enum ol_right_kind) kind, abi - 1);
			if (!mask)
				continue;
			ol_rights_format((enum ol_right_kind) kind, mask, ", ", names,
					 sizeof(names));
			fprintf(out, "%s%s", sep, names);
			sep = "; ";
		}
		for (size_t i = 0; i < sizeof(abi_extra) / sizeof(abi_extra[0]); i++)
			if (abi_extra[i].abi == abi)
				fprintf(out, "%s%s", sep, abi_extra[i].what);
		fprintf(out, "\n");
	}
}

int ol_cli_abi(FILE *out)
{
	struct ol_kernel k;
	struct ol_error err = { 0 };
	struct ol_strv w = { 0 };

	ol_kernel_probe(&k);
	if (!k.abi) {
		ol_kernel_require(&k, OL_MODE_STRICT, &w, &err);
		fprintf(out, "Landlock: not available\n");
		return ol_cli_report(&err);
	}
	fprintf(out, "Landlock ABI: %d%s%s%s\n", k.abi, ol_abi_linux(k.abi) ? " (Linux " : "",
		ol_abi_linux(k.abi) ? ol_abi_linux(k.abi) : "",
		ol_abi_linux(k.abi) ? " or later)" : "");
	for (int kind = 0; kind < 3; kind++) {
		fprintf(out, "%-12s ", ol_check_kind_label[kind]);
		ol_check_print_rights(out, (enum ol_right_kind) kind,
				      ol_rights_mask((enum ol_right_kind) kind, k.abi));
		fprintf(out, "\n");
	}
	fprintf(out, "audit log flags: %s\n", k.abi >= OL_ABI_LOG_FLAGS ? "yes" : "no");
	fprintf(out, "errata fixed:%s\n", k.errata ? "" : " none reported");
	for (unsigned i = 0; i < 32; i++)
		if (k.errata & (1U << i))
			fprintf(out, "  %u: %s\n", i + 1,
				i < 4 ? errata[i] : "(unknown to this version)");
	fprintf(out, "ABIs this oci-landlock knows (1 to %d), and whether this kernel has them:\n",
		OL_ABI_MAX);
	print_abis(out, k.abi);
	return 0;
}
