/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Time commands side by side: each round runs every command once, in an
 * order that rotates from round to round, so noise from the rest of the
 * machine falls on all of them alike.  Each run is posix_spawn() (a
 * vfork) to waitpid(), measured on CLOCK_MONOTONIC; stdout and stderr go
 * to /dev/null, and a run that fails stops the benchmark.
 *
 *   interleave ROUNDS CMD0... :: CMD1... [:: CMD2...]
 *
 * Prints one line per command, for bench/run to read:
 *   cmd I runs N median US min US max US pairwise P
 * where P is the median, over the rounds, of its time over command 0's
 * time in the same round.
 */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "stats.h"

#define MAX_CMDS 8

extern char **environ;

static double run(char **argv, const posix_spawn_file_actions_t *fa)
{
	double t0 = bench_now_us();
	int status;
	pid_t pid;

	if (posix_spawn(&pid, argv[0], fa, NULL, argv, environ) != 0 ||
	    waitpid(pid, &status, 0) != pid) {
		perror(argv[0]);
		exit(1);
	}
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		fprintf(stderr, "interleave: '%s ...' failed (status %d); run it by hand\n",
			argv[0], status);
		exit(1);
	}
	return bench_now_us() - t0;
}

int main(int argc, char **argv)
{
	char **cmds[MAX_CMDS];
	posix_spawn_file_actions_t fa;
	size_t k = 0, rounds = argc > 1 ? strtoul(argv[1], NULL, 10) : 0;
	double *t[MAX_CMDS], pw[MAX_CMDS], *pair;

	/* "::" separates the commands ("--" belongs to the launcher's). */
	for (int i = 2; i < argc && k < MAX_CMDS; i++) {
		if (strcmp(argv[i], "::") == 0)
			argv[i] = NULL;
		else if (i == 2 || argv[i - 1] == NULL)
			cmds[k++] = argv + i;
	}
	if (rounds < 1 || k < 1) {
		fprintf(stderr, "usage: interleave ROUNDS CMD0... :: CMD1... [:: ...]\n");
		return 2;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pair = calloc(rounds, sizeof(*pair));
	for (size_t c = 0; c < k; c++)
		t[c] = calloc(rounds, sizeof(*t[c]));
	if (!pair || !t[k - 1])
		return 1;
	for (size_t c = 0; c < k; c++) /* warm the page cache */
		run(cmds[c], &fa);
	for (size_t r = 0; r < rounds; r++)
		for (size_t j = 0; j < k; j++) {
			size_t c = (r + j) % k;
			t[c][r] = run(cmds[c], &fa);
		}
	for (size_t c = 0; c < k; c++) {
		/* The pairwise ratios first, while the runs are in order. */
		for (size_t r = 0; r < rounds; r++)
			pair[r] = t[c][r] / t[0][r];
		pw[c] = bench_median(pair, rounds);
	}
	for (size_t c = 0; c < k; c++) {
		double mid = bench_median(t[c], rounds);
		printf("cmd %zu runs %zu median %.1f min %.1f max %.1f pairwise %.4f\n", c, rounds,
		       mid, t[c][0], t[c][rounds - 1], pw[c]);
	}
	return 0;
}
