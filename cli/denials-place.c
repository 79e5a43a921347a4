/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Which container a Landlock domain belongs to.  The domain's "allocated"
 * record names the process that created it (the launcher, which became
 * the container's workload) and when that record was written.  The gate
 * recorded each container's process as pid and start time
 * (host/container-record.h), so:
 *
 *   - the process still runs with a recorded start time: that container,
 *     running;
 *   - else the newest record of that pid whose process started before the
 *     record was written: that container, exited; unless a process with
 *     the pid runs now that started before too (then the domain is that
 *     process's, a pid reused after the container);
 *   - else, while the process runs, the container id in its cgroup
 *     (podman, CRI-O and containerd put the 64-hex id there).
 *
 * A pid reused by a process that made a Landlock domain of its own after
 * the container exited, and exited too, gets the container's name: a
 * wrong label at worst, never a missing denial.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/process.h"
#include "denials.h"

/* The clock ticks a start time counts, and the boot time in seconds. */
static long long boot_time(void)
{
	cleanup_fclose FILE *f = fopen("/proc/stat", "re");
	char line[256];
	long long t;

	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "btime %lld", &t) == 1)
			return t;
	return -1;
}

/* The first run of 64 hex digits in /proc/PID/cgroup: the container id. */
static bool cgroup_id(long pid, char out[65])
{
	cleanup_fclose FILE *f = NULL;
	char path[64], line[4096];

	snprintf(path, sizeof(path), "/proc/%ld/cgroup", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		for (char *p = line; *p; p++) {
			size_t n = 0;
			while (isxdigit((unsigned char) p[n]) && !isupper((unsigned char) p[n]))
				n++;
			if (n == 64) {
				memcpy(out, p, 64);
				out[64] = '\0';
				return true;
			}
			p += n ? n - 1 : 0;
		}
	}
	return false;
}

/* Started no later than the domain's record (btime has 1 s steps: 2 s slack). */
static bool started_before(unsigned long long start, long long btime, long hz, long long ms)
{
	return btime >= 0 && ms >= 0 &&
	       (btime + (long long) (start / (unsigned long long) hz)) * 1000 <= ms + 2000;
}

static void place(struct ol_domain *d, const struct ol_container_record *recs, size_t n,
		  long long btime, long hz)
{
	const struct ol_container_record *best = NULL;
	unsigned long long now_start = 0;
	bool alive;
	char id[65];

	if (d->pid <= 0)
		return;
	alive = ol_process_start(d->pid, &now_start) == 0;
	for (size_t i = 0; i < n; i++) {
		if (recs[i].pid != d->pid)
			continue;
		if (alive && recs[i].start == now_start) {
			snprintf(d->container, sizeof(d->container), "%s", recs[i].id);
			d->place = OL_PLACE_RUNNING;
			return;
		}
		if (started_before(recs[i].start, btime, hz, d->born_ms) &&
		    (!best || recs[i].start > best->start))
			best = &recs[i];
	}
	if (best && !(alive && now_start > best->start &&
		      started_before(now_start, btime, hz, d->born_ms))) {
		snprintf(d->container, sizeof(d->container), "%s", best->id);
		d->place = OL_PLACE_EXITED;
		return;
	}
	if (alive && cgroup_id(d->pid, id)) {
		snprintf(d->container, sizeof(d->container), "%s", id);
		d->place = OL_PLACE_RUNNING;
	}
}

int ol_denials_place(struct ol_denials *st)
{
	cleanup_free struct ol_container_record *recs = NULL;
	long hz = sysconf(_SC_CLK_TCK);
	long long btime = boot_time();
	size_t n = 0;
	int r = ol_records_load(OL_RECORD_DIR, &recs, &n);

	if (r < 0 && r != -EPERM)
		return r;
	for (size_t i = 0; i < st->n_domains; i++)
		place(&st->domains[i], recs, n, btime, hz > 0 ? hz : 100);
	return r;
}

/*
 * `podman container inspect --format {{.Id}} -- NAME`, bounded: 10 s, one
 * line of output.  podman reads its usual configuration (and
 * CONTAINERS_CONF, CONTAINERS_STORAGE_CONF).
 */
bool ol_denials_podman_id(const char *name, char id[65])
{
	struct ol_error ignored = { 0 };
	char buf[128];
	size_t got = 0;
	bool late = false;
	int fds[2], status;
	pid_t pid = ol_fork_with_pipe(fds, &ignored);

	if (pid < 0)
		return false;
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR | O_CLOEXEC);
		if (null < 0 || dup2(null, 0) < 0 || dup2(fds[1], 1) < 0 || dup2(null, 2) < 0)
			_exit(127);
		execlp("podman", "podman", "container", "inspect", "--format", "{{.Id}}", "--",
		       name, (char *) NULL);
		_exit(127);
	}
	close(fds[1]);
	for (struct timespec t0 = { 0 }, now; got < sizeof(buf);) {
		struct pollfd p = { .fd = fds[0], .events = POLLIN };
		ssize_t n;
		if (!t0.tv_sec)
			clock_gettime(CLOCK_MONOTONIC, &t0);
		clock_gettime(CLOCK_MONOTONIC, &now);
		if ((late = now.tv_sec - t0.tv_sec >= 10) || poll(&p, 1, 1000) < 0)
			break;
		if (!p.revents)
			continue;
		n = read(fds[0], buf + got, sizeof(buf) - got);
		if (n <= 0)
			break;
		got += (size_t) n;
	}
	close(fds[0]);
	if (late)
		kill(pid, SIGKILL);
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (got != 65 || buf[64] != '\n')
		return false;
	for (int i = 0; i < 64; i++)
		if (!isxdigit((unsigned char) buf[i]) || isupper((unsigned char) buf[i]))
			return false;
	memcpy(id, buf, 64);
	id[64] = '\0';
	return true;
}
