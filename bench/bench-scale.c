/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How the launcher's work grows with the policy: a landlockconfig document
 * of N path rules (N directories that exist) or of N ports, parsed, fitted
 * and built into a kernel ruleset, then enforced, as the launcher does.
 * Each round runs in a fresh child (a process holds 16 Landlock layers at
 * most), which times its own phases; the fork is not counted.
 *
 *   bench-scale DIR ROUNDS paths|ports N...
 *
 * DIR is a scratch directory; N directories d0..dN-1 are made in it.
 * The sizes are measured round by round, side by side.  Prints one line
 * per N, for bench/run (medians, microseconds; growth: the median over
 * the rounds of the total over the previous N's total in the same round):
 *   N n parse US build US enforce US total US growth G runs R
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/strv.h"
#include "policy/policy.h"
#include "sandbox/abi.h"
#include "sandbox/apply.h"
#include "stats.h"

static void die(const char *what)
{
	fprintf(stderr, "bench-scale: %s\n", what);
	exit(1);
}

/* The document: N directories under dir, or N ports from 1000 up. */
static char *document(const char *dir, int ports, size_t n)
{
	struct ol_buf b = { 0 };

	(void) ol_buf_puts(&b,
			   ports ? "{\"ruleset\":[{\"handledAccessNet\":[\"bind_tcp\"]}],"
				   "\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":["
				 : "{\"ruleset\":[{\"handledAccessFs\":[\"abi.all\"]}],\"abi\":5,"
				   "\"pathBeneath\":[{\"allowedAccess\":[\"abi.read_execute\"],"
				   "\"parent\":[");
	for (size_t i = 0; i < n; i++) {
		char item[4200];
		if (ports)
			snprintf(item, sizeof(item), "%s%zu", i ? "," : "", 1000 + i);
		else
			snprintf(item, sizeof(item), "%s\"%s/d%zu\"", i ? "," : "", dir, i);
		if (ol_buf_puts(&b, item) < 0)
			die("out of memory");
	}
	(void) ol_buf_puts(&b, "]}]}");
	if (!b.data)
		die("out of memory");
	return b.data;
}

/* One round, in the child: parse; fit and build; enforce. */
static void round_child(const char *text, const struct ol_kernel *k, int out)
{
	struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;
	double t[4];
	int fd;

	t[0] = bench_now_us();
	if (ol_ruleset_init(&rs, "bench") < 0 ||
	    ol_landlockconfig_parse(text, strlen(text), &rs, &err) < 0)
		die(err.msg);
	t[1] = bench_now_us();
	if (ol_ruleset_fit(&rs, k->abi, OL_MODE_STRICT, &warnings, &err) < 0 ||
	    (fd = ol_ruleset_build(&rs, k->abi, &warnings, &err)) < 0)
		die(err.msg);
	t[2] = bench_now_us();
	if (ol_sandbox_enforce(&fd, 1, 0, k->abi, OL_SOCKETS_UNFILTERED, &err) < 0)
		die(err.msg);
	t[3] = bench_now_us();
	for (int i = 3; i > 0; i--)
		t[i] -= t[i - 1];
	if (write(out, &t[1], 3 * sizeof(double)) != 3 * sizeof(double))
		die("write");
	_exit(0);
}

/* One policy size: its document and its times, round by round. */
struct size {
	size_t n;
	char *text;
	double *t[4]; /* parse, build, enforce, total */
};

static void one_round(struct size *z, size_t r, const struct ol_kernel *k)
{
	double got[3];
	int p[2], status;
	pid_t pid;

	if (pipe(p) < 0)
		die(strerror(errno));
	pid = fork();
	if (pid < 0)
		die(strerror(errno));
	if (pid == 0)
		round_child(z->text, k, p[1]);
	close(p[1]);
	if (read(p[0], got, sizeof(got)) != sizeof(got) || waitpid(pid, &status, 0) != pid ||
	    status != 0)
		die("a round failed");
	close(p[0]);
	for (int i = 0; i < 3; i++)
		z->t[i][r] = got[i];
	z->t[3][r] = got[0] + got[1] + got[2];
}

/* Every size in every round, the order rotating, as bench/interleave does. */
static void measure(struct size *sizes, size_t k_sizes, size_t rounds, const struct ol_kernel *k)
{
	static const char *const names[] = { "parse", "build", "enforce", "total" };
	double *ratio = calloc(rounds, sizeof(double));

	if (!ratio)
		die("out of memory");
	for (size_t r = 0; r < rounds; r++)
		for (size_t j = 0; j < k_sizes; j++)
			one_round(&sizes[(r + j) % k_sizes], r, k);
	for (size_t s = 0; s < k_sizes; s++) {
		/* The growth over the size before, pairwise, before sorting. */
		double growth = 0;
		if (s > 0) {
			for (size_t r = 0; r < rounds; r++)
				ratio[r] = sizes[s].t[3][r] / sizes[s - 1].t[3][r];
			growth = bench_median(ratio, rounds);
		}
		printf("N %zu", sizes[s].n);
		for (int i = 0; i < 4; i++)
			printf(" %s %.1f", names[i], bench_median(sizes[s].t[i], rounds));
		printf(" growth %.3f runs %zu\n", growth, rounds);
	}
	if (fflush(stdout) != 0)
		die("cannot write");
	free(ratio);
}

int main(int argc, char **argv)
{
	struct size sizes[16];
	struct ol_kernel k;
	size_t rounds, k_sizes = 0;
	int ports;

	if (argc < 5)
		die("usage: bench-scale DIR ROUNDS paths|ports N...");
	rounds = strtoul(argv[2], NULL, 10);
	ports = strcmp(argv[3], "ports") == 0;
	ol_kernel_probe(&k);
	if (k.abi < 4 || rounds < 1)
		die("needs Landlock ABI 4 and one round at least");
	for (int i = 4; i < argc && k_sizes < 16; i++) {
		struct size *z = &sizes[k_sizes++];
		z->n = strtoul(argv[i], NULL, 10);
		for (size_t d = 0; !ports && d < z->n; d++) {
			char path[4096];
			snprintf(path, sizeof(path), "%s/d%zu", argv[1], d);
			if (mkdir(path, 0755) < 0 && errno != EEXIST)
				die(strerror(errno));
		}
		z->text = document(argv[1], ports, z->n);
		for (int t = 0; t < 4; t++)
			if (!(z->t[t] = calloc(rounds, sizeof(double))))
				die("out of memory");
	}
	measure(sizes, k_sizes, rounds, &k);
	return 0;
}
