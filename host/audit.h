/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Landlock's audit records, as the kernel log (/dev/kmsg, dmesg) and
 * auditd's log write them:
 *
 *   audit: type=1423 audit(T:N): domain=1a2b blockers=fs.read_file path="/etc/x" ...
 *   audit: type=1424 audit(T:N): domain=1a2b status=allocated mode=enforcing pid=42 ...
 *   type=UNKNOWN[1423] msg=audit(T:N): domain=1a2b blockers=net.connect_tcp daddr=... dest=80
 *
 * 1423 is a denial, 1424 a domain's life: "allocated" names the process
 * that created it (for a container, the launcher, which becomes the
 * workload), "deallocated" says how many denials it had.
 *
 * The kernel also says when it dropped records:
 *
 *   kauditd_printk_skb: 57 callbacks suppressed    (printk's rate limit)
 *   audit: audit_lost=3 audit_rate_limit=0 audit_backlog_limit=64
 */
#ifndef OL_HOST_AUDIT_H
#define OL_HOST_AUDIT_H

#include <stdbool.h>
#include <stddef.h>

enum ol_audit_type {
	OL_AUDIT_OTHER,	     /* not a Landlock record */
	OL_AUDIT_ACCESS,     /* 1423: a denial */
	OL_AUDIT_DOMAIN,     /* 1424: a domain allocated or freed */
	OL_AUDIT_SUPPRESSED, /* printk dropped `count` audit records */
	OL_AUDIT_LOST,	     /* audit has lost `count` records since boot */
};

struct ol_audit_record {
	enum ol_audit_type type;
	long long time_ms; /* audit(SECONDS.MILLIS:N), -1 when absent */
	long count;	   /* SUPPRESSED, LOST */
	char domain[32];
	/* ACCESS */
	char blockers[128]; /* "fs.read_file", "net.connect_tcp", "scope.signal" */
	char path[4096];    /* the object's path, "" when none */
	long port;	    /* dest= (connect) or src= (bind), -1 when none */
	long opid;	    /* the target of a signal, -1 when none */
	/* DOMAIN */
	bool allocated; /* status=allocated (else deallocated) */
	long pid;	/* the creator, -1 when not given */
	char exe[4096];
};

/*
 * Parse one line of a kernel or audit log.  Returns the record's type;
 * OL_AUDIT_OTHER for anything else (or a record too damaged to use).
 * Values may be quoted or hex-encoded, as audit writes them.
 */
enum ol_audit_type ol_audit_parse(const char *line, struct ol_audit_record *rec);

/*
 * The annotation, or the landlockconfig rule, that would allow what a
 * denial blocked: "oci.landlock.fs.ro=/etc/x" and the like.  Written into
 * buf; returns false when nothing would (an unknown blocker).
 */
bool ol_audit_suggest(const struct ol_audit_record *rec, char *buf, size_t size);

#endif
