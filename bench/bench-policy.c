/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmarks of the host-side policy work, reported as ratios measured in
 * one run (the machines are shared and noisy; absolute times mean little):
 *
 *   ports: compiling a port list of N overlapping full ranges (what an
 *          annotation of 128 KiB can hold) against a single full range;
 *          the list's ranges are merged first, so the ratio stays small.
 *   paths: a shorthand path list of N paths against one path.
 *
 *   bench-policy [ROUNDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return (double) t.tv_sec + (double) t.tv_nsec / 1e9;
}

/* "ITEM<sep>ITEM..." n times, without the last separator. */
static char *repeat(const char *item, char sep, size_t n)
{
	size_t len = strlen(item) + 1;
	char *s = malloc(n * len + 1);

	if (!s)
		abort();
	for (size_t i = 0; i < n; i++) {
		memcpy(s + i * len, item, len - 1);
		s[i * len + len - 1] = sep;
	}
	s[n * len - 1] = '\0';
	return s;
}

static double run(int kind, const char *list, int rounds)
{
	double t0 = now();

	for (int i = 0; i < rounds; i++) {
		struct ol_error err = { 0 };
		struct ol_ruleset rs;
		int r;
		if (ol_ruleset_init(&rs, "bench") < 0)
			abort();
		r = kind ? ol_shorthand_fs(&rs, OL_FS_RO, list, &err)
			 : ol_shorthand_ports(&rs, OL_LL_ACCESS_NET_BIND_TCP, list, &err);
		if (r < 0) {
			fprintf(stderr, "bench-policy: %s\n", err.msg);
			exit(1);
		}
		ol_ruleset_free(&rs);
	}
	return (now() - t0) / rounds;
}

int main(int argc, char **argv)
{
	int rounds = argc > 1 ? atoi(argv[1]) : 20;
	size_t n_ranges = (size_t) 128 * 1024 / strlen("0-65535,");
	char *many_ranges = repeat("0-65535", ',', n_ranges);
	char *many_paths = repeat("/usr/share/doc", ':', 10000);
	double one, many;

	if (rounds < 1)
		rounds = 1;
	one = run(0, "0-65535", rounds);
	many = run(0, many_ranges, rounds);
	printf("ports: %zu overlapping full ranges / 1 full range: %.1fx (%.2f ms / %.2f ms)\n",
	       n_ranges, many / one, many * 1e3, one * 1e3);
	one = run(1, "/usr/share/doc", rounds);
	many = run(1, many_paths, rounds);
	printf("paths: 10000 paths / 1 path: %.0fx (%.2f ms / %.4f ms)\n", many / one, many * 1e3,
	       one * 1e3);
	free(many_ranges);
	free(many_paths);
	return 0;
}
