/* SPDX-License-Identifier: Apache-2.0 */
/* Parsing Landlock's audit records, and what would allow a denial. */
#include "audit.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/fileio.h"
#include "common/text.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

/*
 * The network rights the kernel names in blockers=, with the annotation
 * that grants each.  Every network request is one right, so a record
 * names one.
 */
static const struct {
	const char *blocker, *key;
	bool bind, udp;
} net_rights[] = {
	{ "net.bind_tcp", "net.bind", true, false },
	{ "net.connect_tcp", "net.connect", false, false },
	{ "net.bind_udp", "net.udp.bind", true, true },
	{ "net.connect_send_udp", "net.udp.connect", false, true },
};

static int net_right(const char *blockers)
{
	for (size_t i = 0; i < sizeof(net_rights) / sizeof(net_rights[0]); i++)
		if (strcmp(blockers, net_rights[i].blocker) == 0)
			return (int) i;
	return -1;
}

/*
 * Where the kernel's or auditd's message starts, after what the log put
 * before it: /dev/kmsg's "PRIORITY,SEQUENCE,TIME,FLAGS;", dmesg's
 * "[TIME] ", auditd's "node=NAME ".  A record is read only there: text
 * that someone sent to audit (`auditctl -m`, a program with
 * CAP_AUDIT_WRITE) shows inside msg='...' and cannot pass for one.
 */
static const char *message_start(const char *line)
{
	const char *p = line, *semi = strchr(line, ';');

	/* "6,2345,8985810022,-;": four fields, the last the flags. */
	if (isdigit((unsigned char) *p) && semi &&
	    strspn(p, "0123456789,-+c") == (size_t) (semi - p)) {
		size_t commas = 0;
		for (const char *c = p; c < semi; c++)
			commas += *c == ',';
		/* The kernel's own records are of facility 0 (priority 0 to 7);
		 * what a process writes to /dev/kmsg is of facility 1 at least,
		 * whatever it says. */
		if (commas == 3 && strtol(p, NULL, 10) > 7)
			return "";
		if (commas == 3)
			p = semi + 1;
	} else if (*p == '[') {
		p = strchr(p, ']');
		p = p ? p + 1 : line;
		while (*p == ' ')
			p++;
	}
	if (strncmp(p, "node=", 5) == 0 && strchr(p, ' '))
		p = strchr(p, ' ') + 1;
	return p;
}

/* The record type of a kernel-log or auditd line, or 0. */
static int record_type(const char *msg)
{
	static const struct {
		const char *tag;
		int type;
	} tags[] = {
		{ "audit: type=1423 ", 1423 },
		{ "audit: type=1424 ", 1424 },
		{ "type=1423 ", 1423 },
		{ "type=1424 ", 1424 },
		{ "type=UNKNOWN[1423] ", 1423 },
		{ "type=UNKNOWN[1424] ", 1424 },
		{ "type=LANDLOCK_ACCESS ", 1423 },
		{ "type=LANDLOCK_DOMAIN ", 1424 },
	};

	for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++)
		if (strncmp(msg, tags[i].tag, strlen(tags[i].tag)) == 0)
			return tags[i].type;
	return 0;
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* audit writes a string with spaces, quotes or controls as hex digits. */
static bool decode_hex(const char *s, size_t len, char *out, size_t size)
{
	if (len == 0 || len % 2 || len / 2 >= size)
		return false;
	for (size_t i = 0; i < len; i += 2) {
		int hi = hex_digit(s[i]), lo = hex_digit(s[i + 1]);
		if (hi < 0 || lo < 0)
			return false;
		out[i / 2] = (char) (hi << 4 | lo);
	}
	out[len / 2] = '\0';
	/* An abstract UNIX socket's name starts with NUL: shown as '@'.  A
	 * path holds none: one cut at a NUL would name another ("/etc"). */
	if (out[0] == '\0' && len > 2)
		out[0] = '@';
	else if (strlen(out) != len / 2)
		return false;
	return true;
}

/*
 * The value of " key=" in the part of the line after the record's header:
 * quoted ("..."), hex-encoded (when `text`), or a bare token.  Returns
 * false when the key is absent or the value does not fit.
 */
static bool field(const char *body, const char *key, bool text, char *out, size_t size)
{
	char pattern[32];
	const char *v, *end;
	size_t len;

	snprintf(pattern, sizeof(pattern), " %s=", key);
	v = strstr(body, pattern);
	if (!v)
		return false;
	v += strlen(pattern);
	if (*v == '"') {
		end = strchr(++v, '"');
		if (!end)
			return false;
	} else {
		end = v + strcspn(v, " \n");
	}
	len = (size_t) (end - v);
	if (text && v[-1] != '"' && decode_hex(v, len, out, size))
		return true;
	if (len >= size)
		return false;
	memcpy(out, v, len);
	out[len] = '\0';
	return true;
}

/* The number of key, at most max, or -1. */
static long number(const char *body, const char *key, uint64_t max)
{
	char buf[32];
	uint64_t v;

	if (!field(body, key, false, buf, sizeof(buf)) ||
	    ol_parse_uint(buf, strlen(buf), max, &v) < 0)
		return -1;
	return (long) v;
}

#define PORT_MAX 65535

/* "audit(SECONDS.MILLIS:SERIAL)" in milliseconds, or -1. */
static long long record_time(const char *line)
{
	const char *p = strstr(line, "audit("), *dot, *colon;
	uint64_t s, ms;

	if (!p)
		return -1;
	p += 6;
	dot = strchr(p, '.');
	colon = dot ? strchr(dot, ':') : NULL;
	if (!colon || colon - dot != 4 ||
	    ol_parse_uint(p, (size_t) (dot - p), 1ULL << 40, &s) < 0 ||
	    ol_parse_uint(dot + 1, 3, 999, &ms) < 0)
		return -1;
	return (long long) s * 1000 + (long long) ms;
}

/* The kernel's word that it dropped records (see audit.h), or OTHER. */
static enum ol_audit_type loss(const char *msg, struct ol_audit_record *rec)
{
	static const char suppressed[] = " callbacks suppressed";
	const char *p = msg;
	char buf[32];
	uint64_t v;

	if (strncmp(p, "kauditd_printk_skb: ", strlen("kauditd_printk_skb: ")) == 0) {
		p += strlen("kauditd_printk_skb: ");
		if (ol_parse_uint(p, strcspn(p, " "), INT32_MAX, &v) < 0 ||
		    strncmp(p + strcspn(p, " "), suppressed, strlen(suppressed)) != 0)
			return OL_AUDIT_OTHER;
		rec->count = (long) v;
		return rec->type = OL_AUDIT_SUPPRESSED;
	}
	if (strncmp(p, "audit: audit_lost=", strlen("audit: audit_lost=")) != 0 ||
	    !field(p + 6, "audit_lost", false, buf, sizeof(buf)) ||
	    ol_parse_uint(buf, strlen(buf), INT32_MAX, &v) < 0)
		return OL_AUDIT_OTHER;
	rec->count = (long) v;
	return rec->type = OL_AUDIT_LOST;
}

enum ol_audit_type ol_audit_parse(const char *line, struct ol_audit_record *rec)
{
	const char *msg = message_start(line);
	int type = record_type(msg);
	const char *body = strstr(msg, "): ");
	int net;

	memset(rec, 0, sizeof(*rec));
	rec->port = rec->opid = rec->pid = -1;
	rec->time_ms = record_time(msg);
	if (!type)
		return loss(msg, rec);
	/* The fields start after "audit(TIME:SERIAL):", with a space before each. */
	if (!body || !field(body + 1, "domain", false, rec->domain, sizeof(rec->domain)))
		return OL_AUDIT_OTHER;
	body++;
	if (type == 1424) {
		char status[32];
		if (!field(body, "status", false, status, sizeof(status)))
			return OL_AUDIT_OTHER;
		rec->allocated = strcmp(status, "allocated") == 0;
		rec->pid = number(body, "pid", 1UL << 31);
		field(body, "exe", true, rec->exe, sizeof(rec->exe));
		return rec->type = OL_AUDIT_DOMAIN;
	}
	if (!field(body, "blockers", false, rec->blockers, sizeof(rec->blockers)))
		return OL_AUDIT_OTHER;
	field(body, "path", true, rec->path, sizeof(rec->path));
	net = net_right(rec->blockers);
	/* lsm_audit.c prints no port 0 (see audit.h): a bind without src=
	 * asked for port 0. */
	if (net >= 0 && net_rights[net].bind)
		rec->port = strstr(body, " src=") ? number(body, "src", PORT_MAX) : 0;
	else
		rec->port =
			number(body, strstr(rec->blockers, "net.bind_") ? "src" : "dest", PORT_MAX);
	rec->bound = number(body, "lport", PORT_MAX) > 0;
	rec->opid = number(body, "opid", 1UL << 31);
	return rec->type = OL_AUDIT_ACCESS;
}

bool ol_audit_path_nameable(const char *path)
{
	const unsigned char *p = (const unsigned char *) path;

	if (*p != '/')
		return false;
	for (; *p; p++)
		if (*p == ':' || *p == ',' || *p < 0x20 || *p == 0x7f ||
		    (*p == 0xc2 && p[1] >= 0x80 && p[1] <= 0x9f))
			return false;
	return true;
}

static bool net_suggest(const struct ol_audit_record *rec, char *buf, size_t size)
{
	int i = net_right(rec->blockers);

	if (i < 0 || rec->port < 0)
		return false;
	if (net_rights[i].bind && rec->port == 0)
		snprintf(buf, size,
			 "oci.landlock.%s=0 (0: the port the kernel picks, for bind(0)%s)",
			 net_rights[i].key,
			 net_rights[i].udp ? " or a client's first connect or send" : "");
	else if (net_rights[i].udp && !net_rights[i].bind && !rec->bound)
		/* The kernel checks the automatic bind only once this passes:
		 * its denial would come on the next run. */
		snprintf(buf, size,
			 "oci.landlock.%s=%ld (the socket has no port yet: its connect or send "
			 "binds one, so if oci.landlock.net.udp.bind is set, add 0 to it)",
			 net_rights[i].key, rec->port);
	else
		snprintf(buf, size, "oci.landlock.%s=%ld", net_rights[i].key, rec->port);
	return true;
}

/* The file-system rights blocked, or 0 when one is none we know (such
 * as fs.change_topology: no rule allows a mount). */
static uint64_t fs_blocked(const char *blockers)
{
	uint64_t mask = 0;

	for (const char *p = blockers; *p;) {
		size_t n = strcspn(p, ",");
		const struct ol_right *r;
		char name[64];
		if (n <= 3 || n - 3 >= sizeof(name) || strncmp(p, "fs.", 3) != 0)
			return 0;
		memcpy(name, p + 3, n - 3);
		name[n - 3] = '\0';
		r = ol_right_lookup(OL_RIGHT_FS, name);
		if (!r)
			return 0;
		mask |= r->bit;
		p += n + (p[n] == ',');
	}
	return mask;
}

/*
 * The weakest shorthand that grants every file-system right blocked.
 * resolve_unix alone is fs.unix's, which grants nothing else (fs.rw
 * would also grant writes); with reading or executing, fs.unix and
 * fs.ro or fs.rx; with a write, fs.rw or fs.rwx, which include it.
 * The kernel denies resolve_unix alone (its hook asks for nothing else);
 * the rest is for a record from elsewhere.
 */
static bool fs_suggest(const struct ol_audit_record *rec, char *buf, size_t size)
{
	uint64_t blocked = fs_blocked(rec->blockers);
	uint64_t rest = blocked & ~OL_LL_ACCESS_FS_RESOLVE_UNIX;
	enum ol_fs_preset p = OL_FS_RO;

	if (!blocked || !ol_audit_path_nameable(rec->path))
		return false;
	if (!rest) {
		snprintf(buf, size, "oci.landlock.fs.unix=%s", rec->path);
		return true;
	}
	while (p < OL_FS_RWX && (ol_fs_preset_access(p) & rest) != rest)
		p++;
	if (blocked & ~ol_fs_preset_access(p))
		snprintf(buf, size, "oci.landlock.fs.unix=%s and oci.landlock.fs.%s=%s", rec->path,
			 ol_fs_preset_name(p), rec->path);
	else
		snprintf(buf, size, "oci.landlock.fs.%s=%s", ol_fs_preset_name(p), rec->path);
	return true;
}

bool ol_audit_suggest(const struct ol_audit_record *rec, char *buf, size_t size)
{
	if (strncmp(rec->blockers, "net.", 4) == 0)
		return net_suggest(rec, buf, size);
	/* One scope the kernel names: a saved log may say anything. */
	if (strncmp(rec->blockers, "scope.", 6) == 0) {
		if (!ol_right_lookup(OL_RIGHT_SCOPE, rec->blockers + 6))
			return false;
		snprintf(buf, size, "drop %s from oci.landlock.scope", rec->blockers + 6);
		return true;
	}
	return fs_suggest(rec, buf, size);
}

const char *ol_audit_quiet_note(int abi)
{
	if (abi < OL_ABI_QUIET)
		return NULL;
	return "this kernel lets a policy keep denials out of the log (quiet rules, Landlock "
	       "ABI 10): a container whose policy has them was denied more than is listed; "
	       "'oci-landlock check' shows a policy's quiet rules";
}
