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
 *   - else, while the process runs in another mount namespace, the
 *     container id in its cgroup (podman, CRI-O and containerd put the
 *     64-hex id there), from a segment named the engines' way in a
 *     directory root made (a user with a delegated cgroup could name one
 *     after another container, but not as root).
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
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/process.h"
#include "denials.h"

/*
 * When the machine booted, in milliseconds of the real-time clock (audit's
 * clock): a start time in clock ticks since boot is then a time to the
 * tick (10 ms), not to the second /proc/stat's btime gives.
 */
static long long boot_ms(void)
{
	struct timespec real, boot;

	if (clock_gettime(CLOCK_REALTIME, &real) < 0 || clock_gettime(CLOCK_BOOTTIME, &boot) < 0)
		return -1;
	return (real.tv_sec - boot.tv_sec) * 1000LL + (real.tv_nsec - boot.tv_nsec) / 1000000;
}

/* The segment of a cgroup path that names a container: ID, or
 * libpod-ID.scope and the like, as the engines name them. */
static bool engine_segment(const char *seg, size_t len, char out[65])
{
	static const char *const prefixes[] = { "",	 "libpod-",	    "docker-",
						"crio-", "cri-containerd-", "containerd-" };

	if (len > 6 && strncmp(seg + len - 6, ".scope", 6) == 0)
		len -= 6;
	for (size_t k = 0; k < sizeof(prefixes) / sizeof(prefixes[0]); k++) {
		size_t n = strlen(prefixes[k]), hex = 0;
		if (len != n + 64 || strncmp(seg, prefixes[k], n) != 0)
			continue;
		while (hex < 64 && isxdigit((unsigned char) seg[n + hex]) &&
		       !isupper((unsigned char) seg[n + hex]))
			hex++;
		if (hex == 64) {
			memcpy(out, seg + n, 64);
			out[64] = '\0';
			return true;
		}
	}
	return false;
}

/*
 * Whether the cgroup directory that names the container is root's: an
 * engine running as root made it; a user to whom a cgroup subtree is
 * delegated (systemd's user@UID.service) could make one named after
 * another container, but it would be the user's.
 */
static bool made_by_root(const char *controllers, const char *dir)
{
	char path[4200];
	struct stat st;
	const char *comma = strchr(controllers, ',');
	int n = comma ? (int) (comma - controllers) : (int) strlen(controllers);

	if (!*controllers) { /* cgroup v2: pure, or hybrid's unified */
		snprintf(path, sizeof(path), "/sys/fs/cgroup/unified%s", dir);
		if (stat(path, &st) != 0)
			snprintf(path, sizeof(path), "/sys/fs/cgroup%s", dir);
	} else {
		if (strncmp(controllers, "name=", 5) == 0) {
			controllers += 5;
			n -= 5;
		}
		snprintf(path, sizeof(path), "/sys/fs/cgroup/%.*s%s", n, controllers, dir);
	}
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == 0;
}

/*
 * The container id in /proc/PID/cgroup, for a process in another mount
 * namespace than ours: a segment the engines' way (engine_segment), in a
 * directory root made.
 */
static bool cgroup_id(long pid, char out[65])
{
	cleanup_fclose FILE *f = NULL;
	char path[64], line[4096];
	struct stat ours, theirs;

	snprintf(path, sizeof(path), "/proc/%ld/ns/mnt", pid);
	if (stat("/proc/self/ns/mnt", &ours) < 0 || stat(path, &theirs) < 0 ||
	    ours.st_ino == theirs.st_ino)
		return false;
	snprintf(path, sizeof(path), "/proc/%ld/cgroup", pid);
	f = fopen(path, "re");
	while (f && fgets(line, sizeof(line), f)) {
		/* "ID:CONTROLLERS:/PATH" */
		char *ctl = strchr(line, ':'), *dir = ctl ? strchr(ctl + 1, ':') : NULL;
		if (!dir)
			continue;
		*dir++ = '\0';
		dir[strcspn(dir, "\n")] = '\0';
		for (char *seg = dir; seg && *seg;) {
			char *end = strchrnul(seg + 1, '/');
			char keep = *end;
			if (engine_segment(seg + 1, (size_t) (end - seg - 1), out)) {
				*end = '\0';
				if (made_by_root(ctl + 1, dir))
					return true;
				*end = keep;
			}
			seg = *end ? end : NULL;
		}
	}
	return false;
}

/* Started no later than the domain's record: to the tick, with 50 ms for
 * the clocks' reading and the tick itself. */
static bool started_before(unsigned long long start, long long boot, long hz, long long ms)
{
	return boot >= 0 && ms >= 0 &&
	       boot + (long long) (start * 1000ULL / (unsigned long long) hz) <= ms + 50;
}

static void place(struct ol_domain *d, const struct ol_container_record *recs, size_t n,
		  long long boot, long hz)
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
		if (started_before(recs[i].start, boot, hz, d->born_ms) &&
		    (!best || recs[i].start > best->start))
			best = &recs[i];
	}
	if (best && !(alive && now_start > best->start &&
		      started_before(now_start, boot, hz, d->born_ms))) {
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
	long long boot = boot_ms();
	size_t n = 0;
	int r = ol_records_load(OL_RECORD_DIR, &recs, &n);

	if (r < 0 && r != -EPERM)
		return r;
	for (size_t i = 0; i < st->n_domains; i++)
		place(&st->domains[i], recs, n, boot, hz > 0 ? hz : 100);
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
	/* Too late, or more said than an id: either way, not waited on. */
	if (late || got == sizeof(buf))
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
