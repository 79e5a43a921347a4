/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seccomp socket filter, built with libseccomp.
 *
 * libseccomp cannot mix an unconditional rule with conditional ones for
 * one system call, nor compare one argument twice in a rule, so an
 * allow-list cannot be written directly under a default-allow filter.  It
 * is written as deny rules covering exactly the complement of what is
 * allowed, level by level: domains, then types of an allowed domain, then
 * protocols of an allowed type.  Each gap between allowed values is split
 * into aligned power-of-two blocks, and each block is one masked
 * comparison on the low 32 bits, so the high bits of an argument play no
 * part, as in the kernel.
 */
#include "socket-filter.h"

#include <errno.h>
#include <linux/net.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/list.h"
#include "common/strv.h"
#include "ruleset.h"
#include "seccomp-util.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef AF_VSOCK
#define AF_VSOCK 40
#endif

const struct ol_socket_kind ol_socket_kinds[] = {
	{ "unix", OL_SOCK_UNIX, "UNIX domain sockets (AF_UNIX)" },
	{ "tcp", OL_SOCK_TCP, "TCP over IPv4 and IPv6 (not MPTCP)" },
	{ "mptcp", OL_SOCK_MPTCP, "multipath TCP" },
	{ "udp", OL_SOCK_UDP, "UDP over IPv4 and IPv6" },
	{ "icmp", OL_SOCK_ICMP, "ping sockets (ICMP and ICMPv6 datagrams)" },
	{ "raw", OL_SOCK_RAW, "raw IPv4 and IPv6 sockets" },
	{ "netlink", OL_SOCK_NETLINK, "netlink sockets" },
	{ "packet", OL_SOCK_PACKET, "packet sockets (AF_PACKET)" },
	{ "vsock", OL_SOCK_VSOCK, "virtio sockets (AF_VSOCK)" },
};

const size_t ol_socket_kinds_count = sizeof(ol_socket_kinds) / sizeof(ol_socket_kinds[0]);

/* What each kind allows: a domain, a type (-1: any), protocols (none: any). */
static const struct {
	uint32_t kind;
	int domain, type;
	int protos[3]; /* ends at -1; -1 first means any protocol */
} allows[] = {
	{ OL_SOCK_UNIX, AF_UNIX, -1, { -1 } },
	{ OL_SOCK_TCP, AF_INET, SOCK_STREAM, { 0, IPPROTO_TCP, -1 } },
	{ OL_SOCK_TCP, AF_INET6, SOCK_STREAM, { 0, IPPROTO_TCP, -1 } },
	{ OL_SOCK_MPTCP, AF_INET, SOCK_STREAM, { IPPROTO_MPTCP, -1 } },
	{ OL_SOCK_MPTCP, AF_INET6, SOCK_STREAM, { IPPROTO_MPTCP, -1 } },
	{ OL_SOCK_UDP, AF_INET, SOCK_DGRAM, { 0, IPPROTO_UDP, -1 } },
	{ OL_SOCK_UDP, AF_INET6, SOCK_DGRAM, { 0, IPPROTO_UDP, -1 } },
	{ OL_SOCK_ICMP, AF_INET, SOCK_DGRAM, { IPPROTO_ICMP, -1 } },
	{ OL_SOCK_ICMP, AF_INET6, SOCK_DGRAM, { IPPROTO_ICMPV6, -1 } },
	{ OL_SOCK_RAW, AF_INET, SOCK_RAW, { -1 } },
	{ OL_SOCK_RAW, AF_INET6, SOCK_RAW, { -1 } },
	{ OL_SOCK_NETLINK, AF_NETLINK, -1, { -1 } },
	{ OL_SOCK_PACKET, AF_PACKET, -1, { -1 } },
	{ OL_SOCK_VSOCK, AF_VSOCK, -1, { -1 } },
};

uint32_t ol_socket_kind_of(int domain, int type, int protocol)
{
	type &= 0xf; /* SOCK_NONBLOCK and SOCK_CLOEXEC do not matter */
	for (size_t i = 0; i < sizeof(allows) / sizeof(allows[0]); i++) {
		if (allows[i].domain != domain || (allows[i].type >= 0 && allows[i].type != type))
			continue;
		if (allows[i].protos[0] < 0)
			return allows[i].kind;
		for (size_t k = 0; allows[i].protos[k] >= 0; k++)
			if (allows[i].protos[k] == protocol)
				return allows[i].kind;
	}
	return 0;
}

#define N_DOMAINS  64 /* more than AF_MAX */
#define N_TYPES	   16 /* SOCK_TYPE_MASK + 1 */
#define MAX_PROTOS 8

/* What a set of kinds allows, domain by domain. */
struct model {
	struct {
		bool allowed, any_type;
		struct {
			bool allowed, any_proto;
			uint32_t protos[MAX_PROTOS];
			size_t n;
		} types[N_TYPES];
	} domains[N_DOMAINS];
};

static void add_proto(struct model *m, int d, int t, int proto)
{
	for (size_t i = 0; i < m->domains[d].types[t].n; i++)
		if (m->domains[d].types[t].protos[i] == (uint32_t) proto)
			return;
	m->domains[d].types[t].protos[m->domains[d].types[t].n++] = (uint32_t) proto;
}

static void build_model(uint32_t kinds, struct model *m)
{
	memset(m, 0, sizeof(*m));
	for (size_t i = 0; i < sizeof(allows) / sizeof(allows[0]); i++) {
		int d = allows[i].domain, t = allows[i].type;
		if (!(kinds & allows[i].kind))
			continue;
		m->domains[d].allowed = true;
		if (t < 0) {
			m->domains[d].any_type = true;
			continue;
		}
		m->domains[d].types[t].allowed = true;
		if (allows[i].protos[0] < 0)
			m->domains[d].types[t].any_proto = true;
		for (size_t k = 0; allows[i].protos[k] >= 0; k++)
			add_proto(m, d, t, allows[i].protos[k]);
	}
}

static int compare_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

	return (x > y) - (x < y);
}

/*
 * Deny every value of argument `arg` (within `width` bits) that is not in
 * allowed[], under the comparisons already in cmp[0..n): each gap is split
 * into aligned blocks, each block one masked comparison.
 */
static int deny_complement(scmp_filter_ctx ctx, int syscall, struct scmp_arg_cmp *cmp, unsigned n,
			   unsigned arg, unsigned width, uint32_t *allowed, size_t n_allowed)
{
	const uint64_t end = 1ULL << width, full = end - 1;
	uint64_t lo = 0;

	if (n_allowed > 1)
		qsort(allowed, n_allowed, sizeof(*allowed), compare_u32);
	for (size_t i = 0; i <= n_allowed; i++) {
		uint64_t stop = i < n_allowed ? allowed[i] : end;
		while (lo < stop) {
			unsigned k = 0;
			int r;
			while (k < width && (lo & ((2ULL << k) - 1)) == 0 &&
			       lo + (2ULL << k) <= stop)
				k++;
			cmp[n] = SCMP_CMP(arg, SCMP_CMP_MASKED_EQ, full & ~((1ULL << k) - 1), lo);
			r = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO(EACCES), syscall, n + 1,
						   cmp);
			if (r < 0)
				return r;
			lo += 1ULL << k;
		}
		lo = stop + 1;
	}
	return 0;
}

static int deny_sockets(scmp_filter_ctx ctx, int syscall, const struct model *m)
{
	uint32_t values[N_DOMAINS];
	struct scmp_arg_cmp cmp[3];
	size_t n = 0;
	int r;

	for (int d = 0; d < N_DOMAINS; d++)
		if (m->domains[d].allowed)
			values[n++] = (uint32_t) d;
	if (n == 0)
		return seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), syscall, 0);
	r = deny_complement(ctx, syscall, cmp, 0, 0, 32, values, n);
	for (int d = 0; r == 0 && d < N_DOMAINS; d++) {
		if (!m->domains[d].allowed || m->domains[d].any_type)
			continue;
		cmp[0] = SCMP_CMP(0, SCMP_CMP_MASKED_EQ, 0xffffffff, (uint64_t) d);
		n = 0;
		for (int t = 0; t < N_TYPES; t++)
			if (m->domains[d].types[t].allowed)
				values[n++] = (uint32_t) t;
		r = deny_complement(ctx, syscall, cmp, 1, 1, 4, values, n);
		for (int t = 0; r == 0 && t < N_TYPES; t++) {
			uint32_t protos[MAX_PROTOS];
			if (!m->domains[d].types[t].allowed || m->domains[d].types[t].any_proto)
				continue;
			memcpy(protos, m->domains[d].types[t].protos, sizeof(protos));
			cmp[1] = SCMP_CMP(1, SCMP_CMP_MASKED_EQ, 0xf, (uint64_t) t);
			r = deny_complement(ctx, syscall, cmp, 2, 2, 32, protos,
					    m->domains[d].types[t].n);
		}
	}
	return r;
}

static int build(uint32_t kinds, scmp_filter_ctx *out, struct ol_error *err)
{
	cleanup_seccomp scmp_filter_ctx ctx = NULL;
	struct model m;
	int r;

	build_model(kinds, &m);
	r = ol_seccomp_new(&ctx, err);
	if (r < 0)
		return r;
	if ((r = deny_sockets(ctx, SCMP_SYS(socket), &m)) < 0 ||
	    (r = deny_sockets(ctx, SCMP_SYS(socketpair), &m)) < 0 ||
	    /* socketcall's arguments are in memory: its socket calls go.  (The
	     * unused datum_b is spelled out: clang's -Wextra wants it.) */
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socketcall), 1,
				  SCMP_A0(SCMP_CMP_EQ, SYS_SOCKET, 0))) < 0 ||
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(socketcall), 1,
				  SCMP_A0(SCMP_CMP_EQ, SYS_SOCKETPAIR, 0))) < 0 ||
	    /* io_uring makes sockets without socket(). */
	    (r = seccomp_rule_add(ctx, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(io_uring_setup), 0)) < 0)
		return ol_error_errno(err, -r, "cannot build the socket filter");
	*out = steal_pointer(&ctx);
	return 0;
}

void ol_socket_warning(const struct ol_ruleset *layers, size_t n, struct ol_strv *warnings)
{
	for (size_t i = 0; i < n; i++) {
		if (layers[i].handled_net) {
			ol_strv_pushf(
				warnings,
				"%s: Landlock restricts TCP only; UDP, raw and other sockets "
				"are not restricted: add a socket filter, such as --net-socket "
				"unix,tcp (annotation oci.landlock.net.socket)",
				layers[i].source);
			return;
		}
	}
}

int ol_socket_filter_load(uint32_t kinds, struct ol_error *err)
{
	cleanup_seccomp scmp_filter_ctx ctx = NULL;
	int r = build(kinds, &ctx, err);

	if (r < 0)
		return r;
	r = seccomp_load(ctx);
	if (r < 0)
		return ol_error_errno(err, -r, "cannot load the socket filter");
	return 0;
}

int ol_socket_filter_size(uint32_t kinds, struct ol_error *err)
{
	cleanup_seccomp scmp_filter_ctx ctx = NULL;
	int r = build(kinds, &ctx, err);

	return r < 0 ? r : ol_seccomp_size(ctx, err);
}

struct parse_ctx {
	uint32_t kinds;
	bool none;
	struct ol_error *err;
};

static int add_kind(const char *item, size_t len, void *data)
{
	struct parse_ctx *c = data;
	const char *close = NULL;
	size_t best = 3;
	char name[32];

	if (len == 4 && strncmp(item, "none", 4) == 0) {
		c->none = true;
		return 0;
	}
	for (size_t i = 0; i < ol_socket_kinds_count; i++) {
		if (strlen(ol_socket_kinds[i].name) == len &&
		    strncmp(ol_socket_kinds[i].name, item, len) == 0) {
			c->kinds |= ol_socket_kinds[i].bit;
			return 0;
		}
	}
	snprintf(name, sizeof(name), "%.*s", (int) len, item);
	for (size_t i = 0; i < ol_socket_kinds_count; i++) {
		size_t d = ol_edit_distance(name, ol_socket_kinds[i].name);
		if (d < best) {
			best = d;
			close = ol_socket_kinds[i].name;
		}
	}
	ol_error_set(c->err, EINVAL, "unknown socket kind \"%.*s\"%s%s%s", (int) len, item,
		     close ? " (did you mean \"" : "", close ? close : "", close ? "\"?)" : "");
	ol_error_hint(c->err, "the kinds are unix, tcp, mptcp, udp, icmp, raw, netlink, packet, "
			      "vsock, or none");
	return -c->err->code;
}

int ol_socket_kinds_parse(const char *list, uint32_t *kinds, struct ol_error *err)
{
	struct parse_ctx c = { 0, false, err };
	int r;

	if (!*list)
		return ol_error_set(err, EINVAL, "empty socket list"),
		       ol_error_hint(err, "give "
					  "the kinds allowed (unix, tcp, ...), or none to allow no "
					  "socket at all"),
		       -err->code;
	r = ol_list_each(list, ',', true, "socket kind", err, add_kind, &c);
	if (r < 0)
		return r;
	if (c.none && c.kinds)
		return ol_error_set(err, EINVAL,
				    "\"none\" cannot be combined with other kinds in \"%s\"", list);
	*kinds = c.kinds;
	return 0;
}

void ol_socket_kinds_format(uint32_t kinds, char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < ol_socket_kinds_count && used < size; i++) {
		int n;
		if (!(kinds & ol_socket_kinds[i].bit))
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? ", " : "",
			     ol_socket_kinds[i].name);
		if (n < 0)
			break;
		used += (size_t) n;
	}
	if (!used)
		snprintf(buf, size, "none");
}
