/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The workload's own cost of running inside a Landlock domain: CALLS
 * open()+close() and CALLS stat() of a file DEPTH directories down.  Under
 * Landlock each open walks the path back up to the rules (the kernel's
 * cost, not ours); stat is not restricted by Landlock and is the control.
 *
 *   bench-walk DIR [CALLS] [DEPTH]     (default 100000 and 16)
 *
 * Makes DIR/a/a/.../a/file if needed, then prints, in nanoseconds per call:
 *   open NS stat NS
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static double now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double) t.tv_sec * 1e9 + (double) t.tv_nsec;
}

static void die(const char *what, const char *path)
{
	fprintf(stderr, "bench-walk: %s '%s': %s\n", what, path, strerror(errno));
	exit(1);
}

int main(int argc, char **argv)
{
	long calls = argc > 2 ? strtol(argv[2], NULL, 10) : 100000;
	long depth = argc > 3 ? strtol(argv[3], NULL, 10) : 16;
	char path[4096];
	struct stat st;
	double t0, t1, t2;
	size_t len;
	int fd;

	if (argc < 2 || calls < 1 || depth < 0 || depth > 1000) {
		fprintf(stderr, "usage: bench-walk DIR [CALLS] [DEPTH]\n");
		return 2;
	}
	if (mkdir(argv[1], 0755) < 0 && errno != EEXIST)
		die("cannot make", argv[1]);
	len = (size_t) snprintf(path, sizeof(path), "%s", argv[1]);
	for (long i = 0; i < depth && len + 3 < sizeof(path); i++) {
		len += (size_t) snprintf(path + len, sizeof(path) - len, "/a");
		if (mkdir(path, 0755) < 0 && errno != EEXIST)
			die("cannot make", path);
	}
	snprintf(path + len, sizeof(path) - len, "/file");
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		die("cannot create", path);
	close(fd);
	t0 = now_ns();
	for (long i = 0; i < calls; i++) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			die("cannot open", path);
		close(fd);
	}
	t1 = now_ns();
	for (long i = 0; i < calls; i++)
		if (stat(path, &st) < 0)
			die("cannot stat", path);
	t2 = now_ns();
	printf("open %.1f stat %.1f\n", (t1 - t0) / (double) calls, (t2 - t1) / (double) calls);
	return 0;
}
