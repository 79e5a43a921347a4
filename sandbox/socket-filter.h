/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seccomp socket filter: an allow-list of socket kinds.
 *
 * Landlock's network rules cover TCP bind and connect only: UDP, raw, ICMP
 * and MPTCP sockets stay usable in a TCP-restricted domain.  This filter
 * closes that gap: socket() and socketpair() of any kind not listed fail
 * with EACCES (what Landlock returns), everything else is allowed, and the
 * container's own seccomp profile still applies on top.
 *
 * Arguments are compared on their low 32 bits only, as the kernel reads
 * them (int): the high bits can neither widen nor narrow what is allowed,
 * and SOCK_NONBLOCK/SOCK_CLOEXEC do not matter.  The i386 and x32 entry
 * points are filtered too; socketcall()'s socket and socketpair calls (their
 * arguments are in memory, out of seccomp's reach) and io_uring_setup(),
 * io_uring_enter() and io_uring_register() (io_uring creates sockets
 * without socket(), also on a ring passed in from outside) are refused.
 */
#ifndef OL_SANDBOX_SOCKET_FILTER_H
#define OL_SANDBOX_SOCKET_FILTER_H

#include <stddef.h>
#include <stdint.h>

#include "common/error.h"

enum {
	OL_SOCK_UNIX = 1 << 0,	  /* AF_UNIX, any type */
	OL_SOCK_TCP = 1 << 1,	  /* AF_INET/AF_INET6 stream, plain TCP only */
	OL_SOCK_MPTCP = 1 << 2,	  /* AF_INET/AF_INET6 stream, IPPROTO_MPTCP */
	OL_SOCK_UDP = 1 << 3,	  /* AF_INET/AF_INET6 datagram, UDP */
	OL_SOCK_ICMP = 1 << 4,	  /* ping sockets: datagram ICMP / ICMPv6 */
	OL_SOCK_RAW = 1 << 5,	  /* AF_INET/AF_INET6 raw */
	OL_SOCK_NETLINK = 1 << 6, /* AF_NETLINK */
	OL_SOCK_PACKET = 1 << 7,  /* AF_PACKET */
	OL_SOCK_VSOCK = 1 << 8,	  /* AF_VSOCK */
	OL_SOCK_ALL = (1 << 9) - 1,
};

/* No socket filter at all (ol_sandbox_enforce(), the launcher's options). */
#define OL_SOCKETS_UNFILTERED UINT32_MAX

struct ol_socket_kind {
	const char *name;
	uint32_t bit;
	const char *what;
};

extern const struct ol_socket_kind ol_socket_kinds[];
extern const size_t ol_socket_kinds_count;

/* What each kind allows: a domain, a type (-1: any), protocols (-1 first:
 * any), the model the filter is built from. */
struct ol_socket_allow {
	uint32_t kind;
	int domain, type;
	int protos[3]; /* ends at -1 */
};

extern const struct ol_socket_allow ol_socket_allows[];
extern const size_t ol_socket_allows_count;

/*
 * Parse "unix,tcp" (',' or spaces), or "none".  Returns 0, or an error
 * naming the unknown kind with a suggestion.
 */
int ol_socket_kinds_parse(const char *list, uint32_t *kinds, struct ol_error *err);

/*
 * The kind a socket(domain, type, protocol) call creates, or 0 when no
 * kind allows it (learning mode records what a workload created).
 */
uint32_t ol_socket_kind_of(int domain, int type, int protocol);

/* "unix, tcp" or "none", for messages. */
void ol_socket_kinds_format(uint32_t kinds, char *buf, size_t size);

/*
 * Load the filter into the calling thread (no_new_privs must be set).
 * Returns 0 or an error.
 */
int ol_socket_filter_load(uint32_t kinds, struct ol_error *err);

/*
 * Landlock restricts TCP only (and UDP from ABI 10, where a layer handles
 * a UDP right): when a layer handles network rights and no socket filter
 * is asked for, say once what stays open on a kernel of this ABI.
 */
struct ol_ruleset;
struct ol_strv;
void ol_socket_warning(const struct ol_ruleset *layers, size_t n, int abi,
		       struct ol_strv *warnings);

/*
 * The filter's program for these kinds, copied to insns[max]: returns the
 * number of instructions (at most 255) or an error (tests).
 */
struct sock_filter;
int ol_socket_filter_program(uint32_t kinds, struct sock_filter *insns, size_t max,
			     struct ol_error *err);

#endif
