/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock doctor, the kernel's part: Landlock's ABI and errata, and
 * whether its denials reach a log: audit enabled, who receives the
 * records, what drops them (audit's rate and backlog limits, the printk
 * rate limit of the kernel log).
 */
#include <stdint.h>
#include <string.h>

#include "common/strv.h"
#include "doctor.h"
#include "host/audit-status.h"
#include "sandbox/abi.h"
#include "sandbox/rights.h"

/* The errata Landlock reports fixed: what a kernel without the fix does. */
static const struct {
	int abi; /* the first ABI it affects */
	const char *what;
} errata[] = {
	{ 4, "TCP rights also restrict MPTCP, SMC and SCTP stream sockets" },
	{ 6, "signal scoping is too strict between threads of one process" },
	{ 1, "rename or link of disconnected directories under bind mounts can widen access" },
};

static void landlock(struct doctor *d)
{
	struct ol_kernel k;
	struct ol_error err = { 0 };
	struct ol_strv w = { 0 };
	char unfixed[512] = "";
	size_t used = 0;

	ol_kernel_probe(&k);
	if (!k.abi) {
		ol_kernel_require(&k, OL_MODE_STRICT, &w, &err);
		ol_strv_free(&w);
		ol_error_prefix(&err, "kernel");
		doctor_error(d, true, &err, NULL);
		return;
	}
	if (k.abi > OL_ABI_MAX)
		doctor_warning(d, "upgrade oci-landlock to use what the kernel adds",
			       "kernel: Landlock ABI %d, newer than this oci-landlock knows (1 to "
			       "%d)",
			       k.abi, OL_ABI_MAX);
	else
		doctor_ok(d, "kernel: Landlock ABI %d (Linux %s or later)", k.abi,
			  ol_abi_linux(k.abi));
	for (unsigned i = 0; i < sizeof(errata) / sizeof(errata[0]); i++) {
		int n;
		if (k.abi < errata[i].abi || (k.errata & (1U << i)))
			continue;
		n = snprintf(unfixed + used, sizeof(unfixed) - used, "%s%u (%s)", used ? "; " : "",
			     i + 1, errata[i].what);
		if (n > 0 && (size_t) n < sizeof(unfixed) - used)
			used += (size_t) n;
	}
	if (used)
		doctor_warning(d, "update the kernel to a release with the fixes",
			       "kernel: Landlock errata not reported fixed: %s", unfixed);
	else
		doctor_ok(d, "kernel: every Landlock erratum for ABI %d reported fixed", k.abi);
}

/* When no auditd listens, records go to the kernel log, through printk's limit. */
static void printk_limit(struct doctor *d)
{
	struct ol_error err = { 0 };
	uint64_t interval, burst;

	if (ol_printk_ratelimit(&interval, &burst, &err) < 0) {
		ol_error_prefix(&err, "printk rate limit");
		doctor_error(d, false, &err, NULL);
	} else if (interval == 0) {
		doctor_ok(d, "printk rate limit: off");
	} else {
		doctor_warning(d,
			       "run auditd (its log has no such limit), or sysctl -w "
			       "kernel.printk_ratelimit=0",
			       "printk rate limit: %llu messages in %llu s: denials beyond it are "
			       "dropped from the kernel log ('kauditd_printk_skb: N callbacks "
			       "suppressed')",
			       (unsigned long long) burst, (unsigned long long) interval);
	}
}

static void audit(struct doctor *d)
{
	struct ol_audit_status st;
	struct ol_error err = { 0 };

	if (ol_audit_status_get(&st, &err) < 0) {
		ol_error_prefix(&err, "audit");
		doctor_error(d, false, &err, "run doctor as root to check that denials are logged");
		printk_limit(d);
		return;
	}
	if (!st.enabled) {
		doctor_warning(
			d, "auditctl -e 1 (package auditd), or audit=1 on the kernel command line",
			"audit: disabled: the kernel logs no Landlock denial, and "
			"'oci-landlock denials' finds none");
		return;
	}
	if (st.pid)
		doctor_ok(d, "audit: enabled, records to auditd (pid %u)", st.pid);
	else
		doctor_ok(d, "audit: enabled, records to the kernel log (no auditd)");
	if (st.rate_limit)
		doctor_warning(d, "auditctl -r 0",
			       "audit: rate limit %u records a second: records "
			       "beyond it are lost",
			       st.rate_limit);
	if (st.lost)
		doctor_warning(d, "auditctl -b 8192 (a longer backlog), and run auditd",
			       "audit: %u records lost since boot (backlog limit %u)", st.lost,
			       st.backlog_limit);
	if (!st.pid)
		printk_limit(d);
}

void doctor_kernel(struct doctor *d)
{
	landlock(d);
	audit(d);
}
