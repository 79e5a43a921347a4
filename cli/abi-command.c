/* SPDX-License-Identifier: Apache-2.0 */
/* oci-landlock abi: what this kernel's Landlock supports. */
#include <stdint.h>

#include "check.h"
#include "cli.h"
#include "sandbox/abi.h"
#include "sandbox/rights.h"

int ol_cli_abi(FILE *out)
{
	static const char *const errata[] = {
		"TCP rights apply to TCP sockets only (ABI 4)",
		"threads of one process may signal each other (ABI 6)",
		"rights on disconnected directories (ABI 1)",
		"whiteouts need make_reg (ABI 1)",
	};
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
	fprintf(out, "this oci-landlock knows ABI 1 to %d\n", OL_ABI_MAX);
	return 0;
}
