/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The seccomp socket filter, written as classic BPF from a model of what
 * the socket kinds allow (socket-kinds.c; see build()).
 */
#include "socket-filter.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/net.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/strv.h"
#include "ruleset.h"

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
	for (size_t i = 0; i < ol_socket_allows_count; i++) {
		int d = ol_socket_allows[i].domain, t = ol_socket_allows[i].type;
		if (!(kinds & ol_socket_allows[i].kind))
			continue;
		m->domains[d].allowed = true;
		if (t < 0) {
			m->domains[d].any_type = true;
			continue;
		}
		m->domains[d].types[t].allowed = true;
		if (ol_socket_allows[i].protos[0] < 0)
			m->domains[d].types[t].any_proto = true;
		for (size_t k = 0; ol_socket_allows[i].protos[k] >= 0; k++)
			add_proto(m, d, t, ol_socket_allows[i].protos[k]);
	}
}

/*
 * The filter is classic BPF, written here rather than through libseccomp:
 * libseccomp cannot express an allow-list under a default-allow filter
 * without hundreds of complement rules, and building those cost 2 ms per
 * container start.  The program is small and shaped like the model:
 *
 *   arch is one of ours?  no: kill the process
 *     socket, socketpair     -> the argument check below
 *     socketcall (i386)      -> SYS_SOCKET and SYS_SOCKETPAIR refused
 *     io_uring_setup, _enter -> refused (a ring passed in from outside
 *     and _register             would make sockets through _enter)
 *     anything else          -> allowed
 *   argument check: domain allowed?  type allowed (SOCK_TYPE_MASK)?
 *   protocol allowed?  each level ends in allow or refuse.
 *
 * Arguments are loaded as their low 32 bits, as the kernel reads an int.
 */
#define MAX_INSNS 255 /* every jump offset then fits in 8 bits */
#define ALLOW	  SECCOMP_RET_ALLOW
#define REFUSE	  (SECCOMP_RET_ERRNO | (EACCES & SECCOMP_RET_DATA))
#define X32	  0x40000000U /* __X32_SYSCALL_BIT */

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define ARG_LOW(i) ((uint32_t) offsetof(struct seccomp_data, args[i]))
#else
#define ARG_LOW(i) ((uint32_t) offsetof(struct seccomp_data, args[i]) + 4)
#endif

enum call { SOCKET, SOCKETCALL, REFUSED };

/* The system calls that make sockets, per architecture, grouped by arch. */
static const struct {
	uint32_t arch, nr;
	enum call call;
} calls[] = {
#if defined(__x86_64__)
	{ AUDIT_ARCH_X86_64, 41, SOCKET },
	{ AUDIT_ARCH_X86_64, 53, SOCKET },
	{ AUDIT_ARCH_X86_64, 425, REFUSED },
	{ AUDIT_ARCH_X86_64, 426, REFUSED },
	{ AUDIT_ARCH_X86_64, 427, REFUSED },
	{ AUDIT_ARCH_X86_64, X32 | 41, SOCKET },
	{ AUDIT_ARCH_X86_64, X32 | 53, SOCKET },
	{ AUDIT_ARCH_X86_64, X32 | 425, REFUSED },
	{ AUDIT_ARCH_X86_64, X32 | 426, REFUSED },
	{ AUDIT_ARCH_X86_64, X32 | 427, REFUSED },
#endif
#if defined(__x86_64__) || defined(__i386__)
	{ AUDIT_ARCH_I386, 359, SOCKET },
	{ AUDIT_ARCH_I386, 360, SOCKET },
	{ AUDIT_ARCH_I386, 102, SOCKETCALL },
	{ AUDIT_ARCH_I386, 425, REFUSED },
	{ AUDIT_ARCH_I386, 426, REFUSED },
	{ AUDIT_ARCH_I386, 427, REFUSED },
#endif
#if defined(__aarch64__)
	{ AUDIT_ARCH_AARCH64, 198, SOCKET },
	{ AUDIT_ARCH_AARCH64, 199, SOCKET },
	{ AUDIT_ARCH_AARCH64, 425, REFUSED },
	{ AUDIT_ARCH_AARCH64, 426, REFUSED },
	{ AUDIT_ARCH_AARCH64, 427, REFUSED },
#endif
#if defined(__aarch64__) || defined(__arm__)
	{ AUDIT_ARCH_ARM, 281, SOCKET },
	{ AUDIT_ARCH_ARM, 288, SOCKET },
	{ AUDIT_ARCH_ARM, 425, REFUSED },
	{ AUDIT_ARCH_ARM, 426, REFUSED },
	{ AUDIT_ARCH_ARM, 427, REFUSED },
#endif
	{ 0, 0, REFUSED }, /* the end */
};

struct prog {
	struct sock_filter insns[MAX_INSNS];
	unsigned n;
	bool overflow;
};

static unsigned emit(struct prog *p, uint16_t code, uint32_t k)
{
	if (p->n == MAX_INSNS) {
		p->overflow = true;
		return 0;
	}
	p->insns[p->n] = (struct sock_filter) BPF_STMT(code, k);
	return p->n++;
}

static void ret(struct prog *p, uint32_t action)
{
	emit(p, BPF_RET | BPF_K, action);
}

static void load(struct prog *p, uint32_t offset)
{
	emit(p, BPF_LD | BPF_W | BPF_ABS, offset);
}

/* "if A != value, skip what follows up to land()": returns the jump. */
static unsigned unless(struct prog *p, uint32_t value)
{
	return emit(p, BPF_JMP | BPF_JEQ | BPF_K, value);
}

static void land(struct prog *p, unsigned jump)
{
	if (!p->overflow)
		p->insns[jump].jf = (uint8_t) (p->n - jump - 1);
}

/* on_match when A is one of values[], else otherwise. */
static void match(struct prog *p, const uint32_t *values, size_t n, uint32_t on_match,
		  uint32_t otherwise)
{
	for (size_t i = 0; i < n; i++) {
		unsigned next = unless(p, values[i]);
		ret(p, on_match);
		land(p, next);
	}
	ret(p, otherwise);
}

static void check_socket_args(struct prog *p, const struct model *m)
{
	load(p, ARG_LOW(0));
	for (uint32_t d = 0; d < N_DOMAINS; d++) {
		unsigned next_domain;
		if (!m->domains[d].allowed)
			continue;
		next_domain = unless(p, d);
		if (m->domains[d].any_type) {
			ret(p, ALLOW);
		} else {
			load(p, ARG_LOW(1));
			emit(p, BPF_ALU | BPF_AND | BPF_K, 0xf); /* SOCK_TYPE_MASK */
			for (uint32_t t = 0; t < N_TYPES; t++) {
				unsigned next_type;
				if (!m->domains[d].types[t].allowed)
					continue;
				next_type = unless(p, t);
				if (m->domains[d].types[t].any_proto) {
					ret(p, ALLOW);
				} else {
					load(p, ARG_LOW(2));
					match(p, m->domains[d].types[t].protos,
					      m->domains[d].types[t].n, ALLOW, REFUSE);
				}
				land(p, next_type);
			}
			ret(p, REFUSE);
		}
		land(p, next_domain);
	}
	ret(p, REFUSE);
}

static void refuse_socketcall(struct prog *p)
{
	static const uint32_t refused[] = { SYS_SOCKET, SYS_SOCKETPAIR };

	load(p, ARG_LOW(0));
	match(p, refused, sizeof(refused) / sizeof(refused[0]), REFUSE, ALLOW);
}

/* A jump to a block not written yet: BPF_JA takes a 32-bit offset. */
static void jump_later(struct prog *p, unsigned *at, size_t *n_at)
{
	at[(*n_at)++] = emit(p, BPF_JMP | BPF_JA, 0);
}

static void jump_here(struct prog *p, const unsigned *at, size_t n_at)
{
	for (size_t i = 0; !p->overflow && i < n_at; i++)
		p->insns[at[i]].k = p->n - at[i] - 1;
}

static int build(uint32_t kinds, struct prog *p, struct ol_error *err)
{
	unsigned to_socket[sizeof(calls) / sizeof(calls[0])];
	unsigned to_socketcall[sizeof(calls) / sizeof(calls[0])];
	size_t n_socket = 0, n_socketcall = 0;
	struct model m;

	if (!calls[0].arch)
		return ol_error_set(err, ENOTSUP,
				    "the socket filter is not available on this architecture");
	build_model(kinds, &m);
	p->n = 0;
	p->overflow = false;
	load(p, (uint32_t) offsetof(struct seccomp_data, arch));
	for (size_t i = 0; calls[i].arch;) {
		uint32_t arch = calls[i].arch;
		unsigned next_arch = unless(p, arch);
		load(p, (uint32_t) offsetof(struct seccomp_data, nr));
		for (; calls[i].arch == arch; i++) {
			unsigned next = unless(p, calls[i].nr);
			if (calls[i].call == SOCKET)
				jump_later(p, to_socket, &n_socket);
			else if (calls[i].call == SOCKETCALL)
				jump_later(p, to_socketcall, &n_socketcall);
			else
				ret(p, REFUSE);
			land(p, next);
		}
		ret(p, ALLOW);
		land(p, next_arch);
	}
	ret(p, SECCOMP_RET_KILL_PROCESS);
	jump_here(p, to_socket, n_socket);
	check_socket_args(p, &m);
	if (n_socketcall) {
		jump_here(p, to_socketcall, n_socketcall);
		refuse_socketcall(p);
	}
	if (p->overflow)
		return ol_error_set(err, E2BIG, "the socket filter is too large");
	return 0;
}

int ol_socket_filter_load(uint32_t kinds, struct ol_error *err)
{
	struct prog p = { .n = 0 };
	struct sock_fprog fprog;

	if (build(kinds, &p, err) < 0)
		return -err->code;
	fprog = (struct sock_fprog){ .len = (unsigned short) p.n, .filter = p.insns };
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &fprog) < 0)
		return ol_error_errno(err, errno, "cannot load the socket filter");
	return 0;
}

int ol_socket_filter_program(uint32_t kinds, struct sock_filter *insns, size_t max,
			     struct ol_error *err)
{
	struct prog p = { .n = 0 };

	if (build(kinds, &p, err) < 0)
		return -err->code;
	if (p.n > max)
		return ol_error_set(err, ENOBUFS, "the socket filter has %u instructions", p.n);
	memcpy(insns, p.insns, p.n * sizeof(*insns));
	return (int) p.n;
}
