/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The socket kinds of the socket filter: their names, what each allows,
 * their parser and printer.  The filter itself is built in socket-filter.c.
 */
#include "socket-filter.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "common/list.h"
#include "common/strv.h"
#include "common/text.h"
#include "landlock-uapi.h"
#include "rights.h"
#include "ruleset.h"

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

const struct ol_socket_allow ol_socket_allows[] = {
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

const size_t ol_socket_allows_count = sizeof(ol_socket_allows) / sizeof(ol_socket_allows[0]);

uint32_t ol_socket_kind_of(int domain, int type, int protocol)
{
	type &= 0xf; /* SOCK_NONBLOCK and SOCK_CLOEXEC do not matter */
	for (size_t i = 0; i < ol_socket_allows_count; i++) {
		if (ol_socket_allows[i].domain != domain ||
		    (ol_socket_allows[i].type >= 0 && ol_socket_allows[i].type != type))
			continue;
		if (ol_socket_allows[i].protos[0] < 0)
			return ol_socket_allows[i].kind;
		for (size_t k = 0; ol_socket_allows[i].protos[k] >= 0; k++)
			if (ol_socket_allows[i].protos[k] == protocol)
				return ol_socket_allows[i].kind;
	}
	return 0;
}

void ol_socket_warning(const struct ol_ruleset *layers, size_t n, int abi, struct ol_strv *warnings)
{
	const uint64_t have = ol_rights_mask(OL_RIGHT_NET, abi);
	const uint64_t tcp_bits = OL_LL_ACCESS_NET_BIND_TCP | OL_LL_ACCESS_NET_CONNECT_TCP;
	const char *source = NULL;
	bool tcp = false, udp = false;

	for (size_t i = 0; i < n; i++) {
		uint64_t handled = layers[i].handled_net & have;
		if (handled && !source)
			source = layers[i].source;
		tcp = tcp || (handled & tcp_bits);
		udp = udp || (handled & ~tcp_bits); /* ABI 10 */
	}
	if (tcp && !udp)
		ol_strv_pushf(warnings,
			      "%s: Landlock restricts TCP only; UDP, raw and other sockets "
			      "are not restricted: add a socket filter, such as --net-socket "
			      "unix,tcp (annotation oci.landlock.net.socket)",
			      source);
	else if (tcp)
		ol_strv_pushf(warnings,
			      "%s: Landlock restricts TCP and UDP on this kernel; MPTCP, "
			      "raw, ICMP, packet, netlink and other sockets are not "
			      "restricted: add a socket filter, such as --net-socket "
			      "unix,tcp,udp (annotation oci.landlock.net.socket)",
			      source);
	else if (udp)
		ol_strv_pushf(warnings,
			      "%s: Landlock restricts UDP only (no layer handles a TCP "
			      "right); TCP, MPTCP, raw, ICMP, packet, netlink and other "
			      "sockets are not restricted: add a socket filter, such as "
			      "--net-socket unix,udp (annotation oci.landlock.net.socket)",
			      source);
}

struct parse_ctx {
	uint32_t kinds;
	bool none;
	struct ol_error *err;
};

static int add_kind(const char *item, size_t len, void *data)
{
	struct parse_ctx *c = data;
	struct ol_suggestion s;
	char more[64];

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
	ol_suggest_init(&s, item, len);
	for (size_t i = 0; i < ol_socket_kinds_count; i++)
		ol_suggest_try(&s, ol_socket_kinds[i].name);
	ol_error_set(c->err, EINVAL, "unknown socket kind '%.*s'%s", (int) len, item,
		     ol_did_you_mean(s.best, "", '\'', more, sizeof(more)));
	return ol_error_hint(c->err,
			     "the kinds are unix, tcp, mptcp, udp, icmp, raw, netlink, packet, "
			     "vsock, or none");
}

int ol_socket_kinds_parse(const char *list, uint32_t *kinds, struct ol_error *err)
{
	struct parse_ctx c = { 0, false, err };
	int r;

	if (!*list) {
		ol_error_set(err, EINVAL, "empty socket list");
		return ol_error_hint(err, "give the kinds allowed (unix, tcp, ...), or none to "
					  "allow no socket at all");
	}
	r = ol_list_each(list, ',', true, "socket kind", err, add_kind, &c);
	if (r < 0)
		return r;
	if (c.none && c.kinds)
		return ol_error_set(err, EINVAL,
				    "'none' cannot be combined with other kinds in '%s'", list);
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
