/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The physical limit for the launcher: only the system calls that the
 * benchmark policy (policy-20.h) needs, and no parsing.  Create the
 * ruleset, open each path O_PATH, add the rules, no_new_privs, restrict,
 * exec.  The kernel ABI (7), the rights and which paths are files are
 * known at compile time, so nothing is probed and nothing is stat'ed.
 * Linked statically, like the launcher it is compared with.
 *
 *   baseline-exec COMMAND [ARG...]   apply the policy, exec COMMAND
 *   baseline-exec --print            the policy, one rule a line
 */
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "policy-20.h"

extern char **environ;

static int print(void)
{
	for (size_t i = 0; i < sizeof(bench_paths) / sizeof(bench_paths[0]); i++)
		printf("fs %s %s\n", bench_paths[i].preset, bench_paths[i].path);
	for (size_t i = 0; i < sizeof(bench_ports) / sizeof(bench_ports[0]); i++)
		printf("net %s %llu\n", bench_ports[i].kind,
		       (unsigned long long) bench_ports[i].port);
	printf("scope all\n");
	return 0;
}

int main(int argc, char **argv)
{
	struct ol_ll_ruleset_attr attr = {
		.handled_access_fs = B_ALL,
		.handled_access_net = OL_LL_ACCESS_NET_BIND_TCP | OL_LL_ACCESS_NET_CONNECT_TCP,
		.scoped = OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET | OL_LL_SCOPE_SIGNAL,
	};
	int ruleset;

	if (argc < 2) {
		fprintf(stderr, "usage: baseline-exec COMMAND [ARG...] | --print\n");
		return 2;
	}
	if (strcmp(argv[1], "--print") == 0)
		return print();
	/* The fields of ABI 6: the size an ABI 6 to 9 kernel knows (48 from 10). */
	ruleset = (int) ol_ll_create_ruleset(&attr, OL_LL_ATTR_SIZE_V6, 0);
	if (ruleset < 0) {
		perror("landlock_create_ruleset");
		return 126;
	}
	for (size_t i = 0; i < sizeof(bench_paths) / sizeof(bench_paths[0]); i++) {
		struct ol_ll_path_beneath_attr rule = { .allowed_access = bench_paths[i].access };
		rule.parent_fd = open(bench_paths[i].path, O_PATH | O_CLOEXEC);
		if (rule.parent_fd < 0)
			continue; /* as the launcher does: a missing path is skipped */
		if (ol_ll_add_rule(ruleset, OL_LL_RULE_PATH_BENEATH, &rule, 0) < 0) {
			perror(bench_paths[i].path);
			return 126;
		}
		close(rule.parent_fd);
	}
	for (size_t i = 0; i < sizeof(bench_ports) / sizeof(bench_ports[0]); i++) {
		struct ol_ll_net_port_attr rule = { bench_ports[i].access, bench_ports[i].port };
		if (ol_ll_add_rule(ruleset, OL_LL_RULE_NET_PORT, &rule, 0) < 0) {
			perror("landlock_add_rule");
			return 126;
		}
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
	    ol_ll_restrict_self(ruleset, OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON) < 0) {
		perror("restrict");
		return 126;
	}
	close(ruleset);
	execve(argv[1], argv + 1, environ);
	perror(argv[1]);
	return 127;
}
