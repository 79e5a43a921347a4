/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: what a bind(), connect() or send to an address needs from
 * Landlock.  A TCP socket's port (bind_tcp, connect_tcp), a UDP socket's
 * (bind_udp; connect_send_udp, and bind_udp on port 0 when the socket is
 * not bound yet: the kernel binds it to a free port first), resolve_unix
 * on a pathname UNIX socket, make_sock for binding one, the abstract
 * socket scope.
 *
 * The socket's kind, and whether it is bound, are read from a copy of the
 * caller's descriptor (pidfd_getfd).  sendmsg() and sendmmsg() keep the
 * address in a struct msghdr in the caller's memory, out of seccomp's
 * reach: every one is notified, and read here in the caller's layout.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/audit.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "learn-call.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/socket-filter.h"

/* The kernel sends at most this many messages of one sendmmsg(). */
#define MMSG_MAX 1024
/* An x32 call's number has this bit (its arch reads as x86-64). */
#define X32_SYSCALL_BIT 0x40000000u

/* The caller's socket, looked at once per call. */
struct target {
	struct call *c;
	int fd;
	int looked; /* 0: not yet, 1: done, -1: the call is gone */
	bool known; /* its kind could be read (else taken to be any) */
	int domain, type, protocol;
	bool bound; /* an IP socket with a local port */
};

static bool int_option(int sock, int name, int *out)
{
	socklen_t len = sizeof(*out);

	return getsockopt(sock, SOL_SOCKET, name, out, &len) == 0;
}

static void look_at(struct target *t)
{
	cleanup_close int pidfd = -1;
	cleanup_close int sock = -1;
	struct sockaddr_storage local;
	socklen_t len = sizeof(local);

	if (t->looked)
		return;
	t->looked = 1;
	pidfd = (int) syscall(SYS_pidfd_open, t->c->pid, 0);
	/* A caller gone since (its PID reused) made no call to record. */
	if (pidfd >= 0 && seccomp_notify_id_valid(t->c->listener, t->c->req->id) != 0) {
		t->looked = -1;
		return;
	}
	if (pidfd < 0 || (sock = (int) syscall(SYS_pidfd_getfd, pidfd, t->fd, 0)) < 0)
		return;
	t->known = int_option(sock, SO_DOMAIN, &t->domain) && int_option(sock, SO_TYPE, &t->type) &&
		   int_option(sock, SO_PROTOCOL, &t->protocol);
	memset(&local, 0, sizeof(local));
	if (getsockname(sock, (struct sockaddr *) &local, &len) == 0)
		t->bound = (local.ss_family == AF_INET &&
			    ((struct sockaddr_in *) &local)->sin_port != 0) ||
			   (local.ss_family == AF_INET6 &&
			    ((struct sockaddr_in6 *) &local)->sin6_port != 0);
}

static void add_port(struct call *c, uint16_t port, uint64_t access)
{
	if (c->r == 0)
		c->r = ol_ruleset_add_port(&c->rec->used, port, access);
}

static void on_port(struct target *t, uint16_t port, enum learn_addr_op op)
{
	uint32_t kind;

	look_at(t);
	if (t->looked < 0)
		return;
	/* Unknown: recorded as both, so the policy stays usable. */
	kind = t->known ? ol_socket_kind_of(t->domain, t->type, t->protocol)
			: OL_SOCK_TCP | OL_SOCK_UDP;
	/* TCP ignores a send's address (Landlock checks connect only). */
	if ((kind & OL_SOCK_TCP) && op != LEARN_SEND)
		add_port(t->c, port,
			 op == LEARN_BIND ? OL_LL_ACCESS_NET_BIND_TCP
					  : OL_LL_ACCESS_NET_CONNECT_TCP);
	if (!(kind & OL_SOCK_UDP))
		return;
	if (op == LEARN_BIND) {
		add_port(t->c, port, OL_LL_ACCESS_NET_BIND_UDP);
		return;
	}
	add_port(t->c, port, OL_LL_ACCESS_NET_CONNECT_SEND_UDP);
	if (!t->bound)
		add_port(t->c, 0, OL_LL_ACCESS_NET_BIND_UDP);
}

/* Whether the run made the socket file itself (its server is in the
 * sandbox then, and Landlock lets the workload reach it unasked). */
static bool made_by_the_run(const struct ol_recording *rec, const char *file)
{
	for (size_t i = rec->created.n; i > 0; i--)
		if (strcmp(rec->created.v[i - 1], file) == 0)
			return true;
	return false;
}

static void on_unix(struct target *t, const struct sockaddr_un *un, enum learn_addr_op op)
{
	struct call *c = t->c;
	char path[sizeof(un->sun_path) + 1], file[PATH_MAX];
	struct stat st;

	if (un->sun_path[0] == '\0') {
		/* An abstract socket: the scope must stay off. */
		if (op != LEARN_BIND)
			c->rec->outside |= OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET;
		return;
	}
	memcpy(path, un->sun_path, sizeof(un->sun_path));
	path[sizeof(un->sun_path)] = '\0';
	if (op == LEARN_BIND) {
		if (learn_resolve(c, AT_FDCWD, path, false, file, &st) == 0) {
			learn_add_parent(c, file, OL_LL_ACCESS_FS_MAKE_SOCK);
			learn_created(c, file);
		}
		return;
	}
	/* Only a datagram socket looks up a send's address; a stream or
	 * seqpacket one refuses or ignores it. */
	if (op == LEARN_SEND) {
		look_at(t);
		if (t->looked < 0 || (t->known && t->type != SOCK_DGRAM))
			return;
	}
	/* The kernel follows symbolic links to the socket, the last one too. */
	if (learn_resolve(c, AT_FDCWD, path, true, file, &st) == 1 && S_ISSOCK(st.st_mode) &&
	    !made_by_the_run(c->rec, file))
		learn_add(c, file, OL_LL_ACCESS_FS_RESOLVE_UNIX);
}

static void on_address(struct target *t, uint64_t addr, uint64_t len, enum learn_addr_op op)
{
	struct sockaddr_storage sa;

	memset(&sa, 0, sizeof(sa));
	if (len < sizeof(sa_family_t) || len > sizeof(sa) ||
	    learn_read_mem(t->c, addr, &sa, len, false) < 0)
		return;
	switch (sa.ss_family) {
	case AF_INET:
		on_port(t, ntohs(((struct sockaddr_in *) &sa)->sin_port), op);
		break;
	case AF_INET6:
		on_port(t, ntohs(((struct sockaddr_in6 *) &sa)->sin6_port), op);
		break;
	case AF_UNIX:
		/* An empty name: an unnamed socket, an automatic name. */
		if (len > offsetof(struct sockaddr_un, sun_path))
			on_unix(t, (struct sockaddr_un *) &sa, op);
		break;
	default:
		break;
	}
}

void learn_on_address(struct call *c, int fd, uint64_t addr, uint64_t len, enum learn_addr_op op)
{
	struct target t = { .c = c, .fd = fd };

	on_address(&t, addr, len, op);
}

/*
 * sendmsg(fd, msg, flags) and sendmmsg(fd, msgs, vlen, flags): msg_name
 * and msg_namelen are the first two fields of struct msghdr, a pointer
 * and an int; a struct mmsghdr is 64 bytes for a 64-bit caller.  i386
 * and x32 callers use the 32-bit layout (4-byte pointer, 32-byte entry).
 */
void learn_on_sendmsg(struct call *c, bool many)
{
	bool wide =
		(c->req->data.arch & __AUDIT_ARCH_64BIT) &&
		!(c->req->data.arch == AUDIT_ARCH_X86_64 && (c->req->data.nr & X32_SYSCALL_BIT));
	size_t ptr = wide ? 8 : 4, stride = wide ? 64 : 32;
	uint64_t vlen = many ? (uint32_t) c->req->data.args[2] : 1;
	struct target t = { .c = c, .fd = (int) arg_int(c, 0) };
	cleanup_free unsigned char *msgs = NULL;
	uint64_t last = 0;
	uint32_t last_len = 0;

	if (vlen > MMSG_MAX)
		vlen = MMSG_MAX;
	if (vlen == 0 || !(msgs = malloc(vlen * stride)) ||
	    learn_read_mem(c, c->req->data.args[1], msgs, (vlen - 1) * stride + ptr + 4, false) < 0)
		return;
	for (uint64_t i = 0; i < vlen && t.looked >= 0; i++) {
		const unsigned char *m = msgs + i * stride;
		uint64_t name = 0;
		uint32_t name32, namelen;
		if (wide) {
			memcpy(&name, m, sizeof(name));
		} else {
			memcpy(&name32, m, sizeof(name32));
			name = name32;
		}
		memcpy(&namelen, m + ptr, sizeof(namelen));
		/* No name: a connected socket, whose connect() was recorded.
		 * The same name again (one buffer for every message): read once. */
		if (name && namelen && (name != last || namelen != last_len))
			on_address(&t, name, namelen, LEARN_SEND);
		last = name;
		last_len = namelen;
	}
}
