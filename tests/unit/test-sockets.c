/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the socket kinds and the seccomp socket filter's build. */
#include "helpers.h"

#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "common/strv.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/ruleset.h"
#include "sandbox/socket-filter.h"

static void kinds_are(const char *list, uint32_t want)
{
	struct ol_error err = { 0 };
	uint32_t got = 0xdead;

	if (ol_socket_kinds_parse(list, &got, &err) < 0)
		fail_msg("%s: %s", list, err.msg);
	assert_int_equal(got, want);
}

static void kinds_fail(const char *list, const char *msg)
{
	struct ol_error err = { 0 };
	uint32_t got = 0xdead;

	assert_int_equal(ol_socket_kinds_parse(list, &got, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
	assert_int_equal(got, 0xdead);
}

static void test_parse(void **state)
{
	(void) state;
	kinds_are("unix", OL_SOCK_UNIX);
	kinds_are("unix,tcp", OL_SOCK_UNIX | OL_SOCK_TCP);
	kinds_are("tcp udp  icmp", OL_SOCK_TCP | OL_SOCK_UDP | OL_SOCK_ICMP);
	kinds_are("mptcp,raw,netlink,packet,vsock",
		  OL_SOCK_MPTCP | OL_SOCK_RAW | OL_SOCK_NETLINK | OL_SOCK_PACKET | OL_SOCK_VSOCK);
	kinds_are("none", 0);
	kinds_fail("", "empty socket list");
	kinds_fail("unix,,tcp", "empty socket kind at position 2 in 'unix,,tcp'");
	kinds_fail("tcp,", "empty socket kind at position 2 in 'tcp,'");
	kinds_fail("udp6", "unknown socket kind 'udp6' (did you mean 'udp'?)");
	kinds_fail("inet", "unknown socket kind 'inet'");
	kinds_fail("none,unix", "'none' cannot be combined with other kinds in 'none,unix'");
}

static void test_format(void **state)
{
	(void) state;
	char buf[128];

	ol_socket_kinds_format(OL_SOCK_UNIX | OL_SOCK_VSOCK, buf, sizeof(buf));
	assert_string_equal(buf, "unix, vsock");
	ol_socket_kinds_format(0, buf, sizeof(buf));
	assert_string_equal(buf, "none");
}

/* A classic BPF interpreter for what the filter uses; fails on the rest. */
static uint32_t run(const struct sock_filter *insns, int n, const struct seccomp_data *data)
{
	uint32_t a = 0;

	for (int pc = 0; pc < n; pc++) {
		const struct sock_filter *f = &insns[pc];
		switch (f->code) {
		case BPF_LD | BPF_W | BPF_ABS:
			if (f->k > sizeof(*data) - 4 || f->k % 4)
				fail_msg("pc %d: load at %u", pc, f->k);
			memcpy(&a, (const char *) data + f->k, 4);
			break;
		case BPF_ALU | BPF_AND | BPF_K:
			a &= f->k;
			break;
		case BPF_JMP | BPF_JEQ | BPF_K:
			pc += a == f->k ? f->jt : f->jf;
			break;
		case BPF_JMP | BPF_JA:
			pc += (int) f->k;
			break;
		case BPF_RET | BPF_K:
			return f->k;
		default:
			fail_msg("pc %d: unexpected instruction %#x", pc, f->code);
		}
	}
	fail_msg("the program runs off its end");
	return 0;
}

#define REFUSE (SECCOMP_RET_ERRNO | EACCES)

static uint32_t call(const struct sock_filter *insns, int n, uint32_t arch, uint32_t nr,
		     uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct seccomp_data data = { .nr = (int) nr, .arch = arch, .args = { a0, a1, a2 } };

	return run(insns, n, &data);
}

/*
 * Every combination of kinds: the program fits, and on every entry point
 * (x86-64, x32, i386) socket() and socketpair() are allowed exactly when
 * the kind of (domain, type, protocol), read on the low 32 bits with the
 * type's flags ignored, is in the set; socketcall's socket calls and
 * io_uring_setup, io_uring_enter and io_uring_register are refused, other
 * calls allowed, other architectures killed.
 */
static void test_every_combination(void **state)
{
	(void) state;
#if defined(__x86_64__)
	const uint64_t hi = 1ULL << 32;
	const uint64_t domains[] = { AF_UNSPEC,	 AF_UNIX,      AF_INET,		  AF_INET6,
				     AF_NETLINK, AF_PACKET,    40 /* AF_VSOCK */, 3,
				     63,	 hi | AF_INET, hi | AF_UNIX };
	const uint64_t types[] = { SOCK_STREAM,
				   SOCK_DGRAM,
				   SOCK_RAW,
				   SOCK_SEQPACKET,
				   SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
				   hi | SOCK_DGRAM };
	const uint64_t protos[] = { 0,
				    IPPROTO_TCP,
				    IPPROTO_UDP,
				    IPPROTO_ICMP,
				    IPPROTO_ICMPV6,
				    262 /* IPPROTO_MPTCP */,
				    255,
				    hi | IPPROTO_UDP };
	const struct {
		uint32_t arch, nr;
	} entries[] = { { AUDIT_ARCH_X86_64, 41 },
			{ AUDIT_ARCH_X86_64, 53 },
			{ AUDIT_ARCH_X86_64, 0x40000000 | 41 },
			{ AUDIT_ARCH_X86_64, 0x40000000 | 53 },
			{ AUDIT_ARCH_I386, 359 },
			{ AUDIT_ARCH_I386, 360 } };
	int largest = 0;

	for (uint32_t kinds = 0; kinds <= OL_SOCK_ALL; kinds++) {
		struct ol_error err = { 0 };
		struct sock_filter insns[256];
		int n = ol_socket_filter_program(kinds, insns, 256, &err);

		if (n < 0)
			fail_msg("kinds %#x: %s", kinds, err.msg);
		if (n > largest)
			largest = n;
		for (size_t e = 0; e < sizeof(entries) / sizeof(entries[0]); e++)
			for (size_t d = 0; d < sizeof(domains) / sizeof(domains[0]); d++)
				for (size_t t = 0; t < sizeof(types) / sizeof(types[0]); t++)
					for (size_t p = 0; p < sizeof(protos) / sizeof(protos[0]);
					     p++) {
						uint32_t kind = ol_socket_kind_of(
							(int) (uint32_t) domains[d],
							(int) (uint32_t) types[t],
							(int) (uint32_t) protos[p]);
						uint32_t want = kind && (kinds & kind)
									? SECCOMP_RET_ALLOW
									: REFUSE;
						uint32_t got = call(insns, n, entries[e].arch,
								    entries[e].nr, domains[d],
								    types[t], protos[p]);
						if (got != want)
							fail_msg("kinds %#x, arch %#x, call %#x "
								 "(%#llx, "
								 "%#llx, %#llx): %#x, expected %#x",
								 kinds, entries[e].arch,
								 entries[e].nr,
								 (unsigned long long) domains[d],
								 (unsigned long long) types[t],
								 (unsigned long long) protos[p],
								 got, want);
					}
		/* socketcall(SYS_SOCKET / SYS_SOCKETPAIR, ...) on i386; connect goes. */
		assert_int_equal(call(insns, n, AUDIT_ARCH_I386, 102, 1, 0, 0), REFUSE);
		assert_int_equal(call(insns, n, AUDIT_ARCH_I386, 102, 8, 0, 0), REFUSE);
		assert_int_equal(call(insns, n, AUDIT_ARCH_I386, 102, 3, 0, 0), SECCOMP_RET_ALLOW);
		/* io_uring_setup everywhere; other calls allowed. */
		assert_int_equal(call(insns, n, AUDIT_ARCH_X86_64, 425, 0, 0, 0), REFUSE);
		assert_int_equal(call(insns, n, AUDIT_ARCH_X86_64, 0x40000000 | 425, 0, 0, 0),
				 REFUSE);
		assert_int_equal(call(insns, n, AUDIT_ARCH_I386, 425, 0, 0, 0), REFUSE);
		/* A ring made outside and passed in (SCM_RIGHTS) makes sockets through
		 * io_uring_enter(): it and io_uring_register() go too. */
		for (uint32_t nr = 426; nr <= 427; nr++) {
			assert_int_equal(call(insns, n, AUDIT_ARCH_X86_64, nr, 0, 0, 0), REFUSE);
			assert_int_equal(
				call(insns, n, AUDIT_ARCH_X86_64, 0x40000000 | nr, 0, 0, 0),
				REFUSE);
			assert_int_equal(call(insns, n, AUDIT_ARCH_I386, nr, 0, 0, 0), REFUSE);
		}
		assert_int_equal(call(insns, n, AUDIT_ARCH_X86_64, 42, 0, 0, 0), SECCOMP_RET_ALLOW);
		assert_int_equal(call(insns, n, AUDIT_ARCH_I386, 362, 0, 0, 0), SECCOMP_RET_ALLOW);
		/* Any other architecture is killed. */
		assert_int_equal(call(insns, n, AUDIT_ARCH_AARCH64, 198, AF_UNIX, 1, 0),
				 SECCOMP_RET_KILL_PROCESS);
	}
	print_message("largest filter: %d BPF instructions\n", largest);
#else
	skip();
#endif
}

#define TCP_ONLY                                                                                   \
	": Landlock restricts TCP only; UDP, raw and other sockets are not restricted: add a "     \
	"socket filter, such as --net-socket unix,tcp (annotation oci.landlock.net.socket)"
#define TCP_UDP                                                                                    \
	": Landlock restricts TCP and UDP on this kernel; MPTCP, raw, ICMP, packet, netlink and "  \
	"other sockets are not restricted: add a socket filter, such as --net-socket "             \
	"unix,tcp,udp (annotation oci.landlock.net.socket)"

#define UDP_ONLY                                                                                   \
	": Landlock restricts UDP only (no layer handles a TCP right); TCP, MPTCP, raw, ICMP, "    \
	"packet, netlink and other sockets are not restricted: add a socket filter, such as "      \
	"--net-socket unix,udp (annotation oci.landlock.net.socket)"

/* What the warning says stays open, per kernel ABI and handled rights. */
static void test_warning_per_abi(void **state)
{
	(void) state;
	static const struct {
		uint64_t a, b; /* handled_net of two layers */
		int abi;
		const char *want; /* NULL: no warning */
	} cases[] = {
		{ 0, 0, 10, NULL },
		{ 0, OL_LL_ACCESS_NET_CONNECT_TCP, 7, "b" TCP_ONLY },
		{ 0, OL_LL_ACCESS_NET_CONNECT_TCP, 10, "b" TCP_ONLY },
		/* UDP rules on a kernel without them restrict no UDP. */
		{ OL_LL_ACCESS_NET_BIND_TCP, OL_LL_ACCESS_NET_BIND_UDP, 9, "a" TCP_ONLY },
		/* The first layer that restricts anything names the warning. */
		{ OL_LL_ACCESS_NET_BIND_TCP, OL_LL_ACCESS_NET_BIND_UDP, 10, "a" TCP_UDP },
		{ 0, OL_LL_ACCESS_NET_BIND_UDP | OL_LL_ACCESS_NET_CONNECT_TCP, 10, "b" TCP_UDP },
		{ OL_LL_ACCESS_NET_CONNECT_SEND_UDP, 0, 11, "a" UDP_ONLY },
		/* A UDP-only layer on a kernel without UDP rules restricts nothing. */
		{ OL_LL_ACCESS_NET_CONNECT_SEND_UDP, 0, 9, NULL },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ol_strv warnings = { 0 };
		struct ol_ruleset layers[2] = { { .source = (char *) "a" },
						{ .source = (char *) "b" } };

		layers[0].handled_net = cases[i].a;
		layers[1].handled_net = cases[i].b;
		ol_socket_warning(layers, 2, cases[i].abi, &warnings);
		if (!cases[i].want) {
			assert_int_equal(warnings.n, 0);
			continue;
		}
		assert_int_equal(warnings.n, 1);
		assert_string_equal(warnings.v[0], cases[i].want);
		ol_strv_free(&warnings);
	}
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_warning_per_abi),
	cmocka_unit_test(test_parse),
	cmocka_unit_test(test_format),
	cmocka_unit_test(test_every_combination),
};

OL_UNIT_MAIN(tests)
