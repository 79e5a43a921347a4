/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Landlock's audit records, as the kernel log (/dev/kmsg, dmesg) and
 * auditd's log write them:
 *
 *   audit: type=1423 audit(T:N): domain=1a2b blockers=fs.read_file path="/etc/x" ...
 *   audit: type=1424 audit(T:N): domain=1a2b status=allocated mode=enforcing pid=42 ...
 *   type=UNKNOWN[1423] msg=audit(T:N): domain=1a2b blockers=net.connect_tcp daddr=... dest=80
 *
 * The port of a network denial is the one the hook was asked for: a
 * bind's is src=, a connect's or a send's dest= (lsm_audit.c prints
 * audit_net's sport and dport so; Landlock's net.c fills them by the
 * right, the same for TCP and UDP).  A port 0 is not printed, nor an
 * address 0 (bind() to 0.0.0.0:0 on Linux 6.18 logs neither): a bind
 * record without src= is a bind to port 0, as a UDP socket's automatic
 * bind at its first connect or send is checked (ABI 10).  The UDP hooks
 * also hand the socket over, whose own ports show as lport= and fport=
 * (when bound, connected): never the port asked for.
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
	long port;	    /* dest= (connect, send) or src= (bind, 0 when absent), or -1 */
	bool bound;	    /* lport=: the socket had a local port already */
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
 * buf; returns false when nothing would (an unknown blocker or scope, a
 * mount, a port out of range, a path no annotation can name).
 */
bool ol_audit_suggest(const struct ol_audit_record *rec, char *buf, size_t size);

/*
 * Whether a suggested annotation can name this path as it is: an absolute
 * one, without ':' (a path list would read two: a:/etc/x grants /etc/x),
 * ',' (podman's --annotation is CSV: a,oci.landlock.fs.rwx=/etc would be
 * a second annotation) or a control character, C1 included (the workload
 * chose the path, and the suggestion is printed as it is).
 */
bool ol_audit_path_nameable(const char *path);

/*
 * What a list of denials cannot show on a kernel of this ABI: from ABI 10
 * a policy may keep denials out of the log (quiet rules).  The note for
 * `denials` to print, or NULL when there is nothing to say.
 */
const char *ol_audit_quiet_note(int abi);

#endif
