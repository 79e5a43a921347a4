/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the socket kinds and the seccomp socket filter's build. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <seccomp.h>
#include <string.h>

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
	kinds_fail("unix,,tcp", "empty socket kind at position 2 in \"unix,,tcp\"");
	kinds_fail("tcp,", "empty socket kind at position 2 in \"tcp,\"");
	kinds_fail("udp6", "unknown socket kind \"udp6\" (did you mean \"udp\"?)");
	kinds_fail("inet", "unknown socket kind \"inet\"");
	kinds_fail("none,unix", "\"none\" cannot be combined with other kinds in \"none,unix\"");
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

/* Every combination of kinds builds, and fits in the kernel's 4096 limit. */
static void test_every_combination_builds(void **state)
{
	(void) state;
	int largest = 0;

	for (uint32_t kinds = 0; kinds <= OL_SOCK_ALL; kinds++) {
		struct ol_error err = { 0 };
		int n = ol_socket_filter_size(kinds, &err);
		if (n < 0)
			fail_msg("kinds %#x: %s", kinds, err.msg);
		assert_true(n > 0);
		if (n > largest)
			largest = n;
	}
	assert_true(largest < 4096);
	print_message("largest filter: %d BPF instructions\n", largest);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_every_combination_builds),
	};

	/*
	 * valgrind does not know seccomp(2): libseccomp then probes API level 1
	 * and refuses SCMP_ACT_KILL_PROCESS. These tests build filters and never
	 * load one, so give them the level every Landlock kernel (5.13 and
	 * later) has; on a real kernel the probe already says so.
	 */
	if (seccomp_api_get() < 3 && seccomp_api_set(3) < 0)
		return 1;
	return cmocka_run_group_tests(tests, NULL, NULL);
}
