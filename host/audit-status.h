/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Whether the kernel's Landlock denials reach a log, and how they get
 * lost: the audit status (enabled, auditd's pid, rate and backlog limits,
 * records lost) and the printk rate limit that throttles audit records
 * written to the kernel log when no auditd listens.  For `oci-landlock
 * doctor`.
 */
#ifndef OL_HOST_AUDIT_STATUS_H
#define OL_HOST_AUDIT_STATUS_H

#include <stdint.h>

#include "common/error.h"

struct ol_audit_status {
	uint32_t enabled;	/* 0 off, 1 on, 2 on and locked */
	uint32_t pid;		/* auditd's, or 0: records go to the kernel log */
	uint32_t rate_limit;	/* records a second, 0: none */
	uint32_t backlog_limit; /* records queued for auditd */
	uint32_t lost;		/* records dropped since boot */
};

/* The status, from the kernel (AUDIT_GET; needs CAP_AUDIT_CONTROL). */
int ol_audit_status_get(struct ol_audit_status *st, struct ol_error *err);

/*
 * The printk rate limit: at most burst messages in interval seconds
 * (interval 0: no limit), from /proc/sys/kernel/printk_ratelimit{,_burst}.
 */
int ol_printk_ratelimit(uint64_t *interval, uint64_t *burst, struct ol_error *err);

#endif
