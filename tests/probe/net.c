/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The probe's network operations: TCP bind, connect and listen over IPv4
 * and IPv6, UDP bind, connect and send (sendto, sendmsg, sendmmsg, from an
 * unbound socket or a bound one), pathname and abstract UNIX sockets
 * (stream connect, datagram send, one of the probe's own), and socket
 * creation by every way a filter could be gone around (high bits, i386,
 * x32, io_uring).
 */
#include <errno.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "probe.h"

static int tcp(char **a, int family, bool do_bind)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6 };
	unsigned port = (unsigned) strtoul(a[0], NULL, 10);
	struct sockaddr *sa;
	socklen_t len;
	int fd, e;

	in4.sin_port = in6.sin6_port = htons((uint16_t) port);
	in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	in6.sin6_addr = in6addr_loopback;
	sa = family == AF_INET ? (struct sockaddr *) &in4 : (struct sockaddr *) &in6;
	len = family == AF_INET ? sizeof(in4) : sizeof(in6);
	fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	e = probe_result(do_bind ? bind(fd, sa, len) : connect(fd, sa, len));
	close(fd);
	return e;
}

/* Listen on 127.0.0.1:PORT until the probe exits (for connect tests). */
static int listen_on(char **a, int family)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };
	struct sockaddr_in6 in6 = { .sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT };
	uint16_t port = htons((uint16_t) strtoul(a[0], NULL, 10));
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int r;

	if (fd < 0)
		return errno;
	in4.sin_port = in6.sin6_port = port;
	in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (family == AF_INET)
		r = bind(fd, (struct sockaddr *) &in4, sizeof(in4));
	else
		r = bind(fd, (struct sockaddr *) &in6, sizeof(in6));
	if (r < 0 || listen(fd, 8) < 0) {
		int e = errno;
		close(fd);
		return e;
	}
	return 0; /* the descriptor stays open on purpose */
}

static int op_listen(char **a)
{
	return listen_on(a, AF_INET);
}

static int op_listen6(char **a)
{
	return listen_on(a, AF_INET6);
}

static long sock_domain(const char *s)
{
	static const struct {
		const char *name;
		long value;
	} names[] = { { "unix", AF_UNIX },	 { "inet", AF_INET },	  { "inet6", AF_INET6 },
		      { "netlink", AF_NETLINK }, { "packet", AF_PACKET }, { "vsock", 40 } };

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].value;
	return strtol(s, NULL, 0);
}

static long sock_type(const char *s)
{
	if (strcmp(s, "stream") == 0)
		return SOCK_STREAM;
	if (strcmp(s, "dgram") == 0)
		return SOCK_DGRAM;
	if (strcmp(s, "raw") == 0)
		return SOCK_RAW;
	if (strcmp(s, "seqpacket") == 0)
		return SOCK_SEQPACKET;
	return strtol(s, NULL, 0);
}

/* socket DOMAIN TYPE PROTOCOL */
static int op_socket(char **a)
{
	int fd = socket((int) sock_domain(a[0]), (int) sock_type(a[1]) | SOCK_CLOEXEC,
			(int) strtol(a[2], NULL, 0));

	if (fd < 0)
		return errno;
	close(fd);
	return 0;
}

/* The same with the high 32 bits of every argument set: the kernel reads
 * ints and ignores them; a filter comparing 64 bits would not. */
static int op_socket_hi(char **a)
{
	const long hi = (long) (1UL << 32);
	long fd = syscall(SYS_socket, hi | sock_domain(a[0]), hi | sock_type(a[1]),
			  hi | strtol(a[2], NULL, 0));

	if (fd < 0)
		return errno;
	close((int) fd);
	return 0;
}

static int op_socketpair(char **a)
{
	int sv[2];

	if (socketpair((int) sock_domain(a[0]), (int) sock_type(a[1]) | SOCK_CLOEXEC, 0, sv) < 0)
		return errno;
	close(sv[0]);
	close(sv[1]);
	return 0;
}

#if defined(__x86_64__)
/* An i386 system call from this 64-bit process, through int 0x80. */
static long int80(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("int $0x80"
			 : "=a"(ret)
			 : "a"(nr), "b"(a), "c"(b), "d"(c)
			 : "memory", "r8", "r9", "r10", "r11");
	return (int) ret;
}

/* i386 socket() (359), then i386 socketcall(SYS_SOCKET) (102). */
static int op_socket32(char **a)
{
	long fd = int80(359, sock_domain(a[0]), sock_type(a[1]), strtol(a[2], NULL, 0));

	if (fd < 0)
		return (int) -fd;
	close((int) fd);
	return 0;
}

static unsigned int socketcall_args[3]; /* below 4 GiB: a static, non-PIE binary */

static int op_socketcall32(char **a)
{
	long fd;

	socketcall_args[0] = (unsigned int) sock_domain(a[0]);
	socketcall_args[1] = (unsigned int) sock_type(a[1]);
	socketcall_args[2] = (unsigned int) strtol(a[2], NULL, 0);
	fd = int80(102, 1 /* SYS_SOCKET */, (long) (uintptr_t) socketcall_args, 0);
	if (fd < 0)
		return (int) -fd;
	close((int) fd);
	return 0;
}

/* An x32 socket(): ENOSYS on kernels without the x32 ABI. */
static int op_socket_x32(char **a)
{
	long fd = syscall(0x40000000 | SYS_socket, sock_domain(a[0]), sock_type(a[1]),
			  strtol(a[2], NULL, 0));

	if (fd < 0)
		return errno;
	close((int) fd);
	return 0;
}
#endif

/* io_uring can create sockets without socket(): is it reachable? */
static int op_io_uring(char **a)
{
	unsigned char params[120] = { 0 };
	long fd = syscall(425 /* io_uring_setup */, 1, params);

	(void) a;
	if (fd < 0)
		return errno;
	close((int) fd);
	return 0;
}

static int op_bind(char **a)
{
	return tcp(a, AF_INET, true);
}
static int op_connect(char **a)
{
	return tcp(a, AF_INET, false);
}
static int op_bind6(char **a)
{
	return tcp(a, AF_INET6, true);
}
static int op_connect6(char **a)
{
	return tcp(a, AF_INET6, false);
}

static struct sockaddr_in loopback(const char *port)
{
	struct sockaddr_in in4 = { .sin_family = AF_INET };

	in4.sin_port = htons((uint16_t) strtoul(port, NULL, 10));
	in4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return in4;
}

enum udp_op { UDP_BIND, UDP_SENDTO, UDP_CONNECT, UDP_SENDMSG, UDP_SENDMMSG };

/* UDP on 127.0.0.1:PORT from an unbound socket: bind, or connect, or a
 * send (sendmmsg: to PORT and PORT + 1, each name in a buffer of its own). */
static int udp(char **a, enum udp_op op)
{
	struct sockaddr_in to[2] = { loopback(a[0]), loopback(a[0]) };
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct mmsghdr m[2];
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int e;

	if (fd < 0)
		return errno;
	to[1].sin_port = htons((uint16_t) (ntohs(to[0].sin_port) + 1));
	memset(m, 0, sizeof(m));
	for (int i = 0; i < 2; i++)
		m[i].msg_hdr = (struct msghdr){ .msg_name = &to[i],
						.msg_namelen = sizeof(to[i]),
						.msg_iov = &iov,
						.msg_iovlen = 1 };
	switch (op) {
	case UDP_BIND:
		e = probe_result(bind(fd, (struct sockaddr *) &to[0], sizeof(to[0])));
		break;
	case UDP_CONNECT:
		e = probe_result(connect(fd, (struct sockaddr *) &to[0], sizeof(to[0])));
		break;
	case UDP_SENDTO:
		e = probe_result(
			(int) sendto(fd, "x", 1, 0, (struct sockaddr *) &to[0], sizeof(to[0])));
		break;
	case UDP_SENDMSG:
		e = probe_result((int) sendmsg(fd, &m[0].msg_hdr, 0));
		break;
	default:
		e = sendmmsg(fd, m, 2, 0);
		e = e == 2 ? 0 : e < 0 ? errno : EIO;
		break;
	}
	close(fd);
	return e;
}

static int op_udp_bind(char **a)
{
	return udp(a, UDP_BIND);
}

static int op_udp_send(char **a)
{
	return udp(a, UDP_SENDTO);
}

static int op_udp_connect(char **a)
{
	return udp(a, UDP_CONNECT);
}

static int op_udp_sendmsg(char **a)
{
	return udp(a, UDP_SENDMSG);
}

static int op_udp_sendmmsg(char **a)
{
	return udp(a, UDP_SENDMMSG);
}

/* Bind to 127.0.0.1:BIND, then send to PORT: no automatic bind. */
static int op_udp_bound_send(char **a)
{
	struct sockaddr_in from = loopback(a[0]), to = loopback(a[1]);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int e;

	if (fd < 0)
		return errno;
	e = probe_result(bind(fd, (struct sockaddr *) &from, sizeof(from)));
	if (e == 0)
		e = probe_result((int) sendto(fd, "x", 1, 0, (struct sockaddr *) &to, sizeof(to)));
	close(fd);
	return e;
}

static int unix_addr(const char *path, struct sockaddr_un *addr)
{
	size_t n = strlen(path);

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	if (n >= sizeof(addr->sun_path))
		return ENAMETOOLONG;
	memcpy(addr->sun_path, path, n + 1);
	return 0;
}

/* connect() to the pathname UNIX stream socket PATH. */
static int op_unix(char **a)
{
	struct sockaddr_un addr;
	int fd, e = unix_addr(a[0], &addr);

	if (e)
		return e;
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	e = probe_result(connect(fd, (struct sockaddr *) &addr, sizeof(addr)));
	close(fd);
	return e;
}

/* sendmsg() of a datagram to the pathname UNIX datagram socket PATH. */
static int op_unix_dgram(char **a)
{
	struct sockaddr_un addr;
	struct iovec iov = { .iov_base = "x", .iov_len = 1 };
	struct msghdr m = {
		.msg_name = &addr, .msg_namelen = sizeof(addr), .msg_iov = &iov, .msg_iovlen = 1
	};
	int fd, e = unix_addr(a[0], &addr);

	if (e)
		return e;
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return errno;
	e = probe_result((int) sendmsg(fd, &m, 0));
	close(fd);
	return e;
}

/* Listen on the pathname socket PATH of our own, connect to it, remove it. */
static int op_unix_self(char **a)
{
	struct sockaddr_un addr;
	int srv, e = unix_addr(a[0], &addr);

	if (e)
		return e;
	srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (srv < 0)
		return errno;
	if (bind(srv, (struct sockaddr *) &addr, sizeof(addr)) < 0 || listen(srv, 1) < 0) {
		e = errno;
		close(srv);
		return e;
	}
	e = op_unix(a);
	close(srv);
	unlink(a[0]);
	return e;
}

static int abstract_addr(const char *name, struct sockaddr_un *addr)
{
	size_t n = strlen(name);

	memset(addr, 0, sizeof(*addr));
	addr->sun_family = AF_UNIX;
	memcpy(addr->sun_path + 1, name, n);
	return (int) (offsetof(struct sockaddr_un, sun_path) + 1 + n);
}

static int op_abstract(char **a)
{
	struct sockaddr_un addr;
	socklen_t len = (socklen_t) abstract_addr(a[0], &addr);
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e;

	if (fd < 0)
		return errno;
	e = probe_result(connect(fd, (struct sockaddr *) &addr, len));
	close(fd);
	return e;
}

/* Listen on an abstract socket of our own and connect to it. */
static int op_abstract_self(char **a)
{
	struct sockaddr_un addr;
	socklen_t len = (socklen_t) abstract_addr(a[0], &addr);
	int srv = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	int e;

	if (srv < 0)
		return errno;
	if (bind(srv, (struct sockaddr *) &addr, len) < 0 || listen(srv, 1) < 0) {
		e = errno;
		close(srv);
		return e;
	}
	e = op_abstract(a);
	close(srv);
	return e;
}

const struct probe_op probe_net_ops[] = {
	{ "bind", 1, op_bind },
	{ "connect", 1, op_connect },
	{ "bind6", 1, op_bind6 },
	{ "connect6", 1, op_connect6 },
	{ "udp-bind", 1, op_udp_bind },
	{ "udp-send", 1, op_udp_send },
	{ "udp-connect", 1, op_udp_connect },
	{ "udp-sendmsg", 1, op_udp_sendmsg },
	{ "udp-sendmmsg", 1, op_udp_sendmmsg },
	{ "udp-bound-send", 2, op_udp_bound_send },
	{ "unix", 1, op_unix },
	{ "unix-dgram", 1, op_unix_dgram },
	{ "unix-self", 1, op_unix_self },
	{ "abstract", 1, op_abstract },
	{ "abstract-self", 1, op_abstract_self },
	{ "listen", 1, op_listen },
	{ "listen6", 1, op_listen6 },
	{ "socket", 3, op_socket },
	{ "socket-hi", 3, op_socket_hi },
	{ "socketpair", 2, op_socketpair },
#if defined(__x86_64__)
	{ "socket32", 3, op_socket32 },
	{ "socketcall32", 3, op_socketcall32 },
	{ "socket-x32", 3, op_socket_x32 },
#endif
	{ "io-uring", 0, op_io_uring },
	{ NULL, 0, NULL },
};
