/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The physical limit of a runtime shim: a static program that does
 * nothing but exec the runtime it is given, with the same arguments.
 * bench/run puts it in front of runc and crun, on a bundle that already
 * runs baseline-exec, to show what any design with a shim and a launcher
 * costs at the least.
 *
 *   exec-only RUNTIME [ARG...]
 */
#include <stdio.h>
#include <unistd.h>

extern char **environ;

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: exec-only RUNTIME [ARG...]\n");
		return 2;
	}
	execve(argv[1], argv + 1, environ);
	perror(argv[1]);
	return 127;
}
