/* SPDX-License-Identifier: Apache-2.0 */
/* The containers' records for `denials`: see container-record.h. */
#include "container-record.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/array.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"

#define BOOT_ID "/proc/sys/kernel/random/boot_id"
#define MAGIC	"oci-landlock container record 1\n"

int ol_record_id_valid(const char *id)
{
	size_t n = strlen(id);

	if (n == 0 || n > OL_RECORD_ID)
		return 0;
	return strspn(id, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.+-") ==
	       n;
}

static int boot_id(char out[40])
{
	cleanup_free char *text = NULL;
	struct ol_error ignored = { 0 };
	size_t len;

	if (ol_read_kernel_file(BOOT_ID, 64, &text, &len, &ignored) < 0)
		return -ignored.code;
	if (len != 37 || text[36] != '\n')
		return -EINVAL;
	memcpy(out, text, 36);
	out[36] = '\0';
	return 0;
}

int ol_process_start(long pid, unsigned long long *start)
{
	cleanup_free char *text = NULL;
	struct ol_error ignored = { 0 };
	char path[64];
	const char *p;
	size_t len;
	uint64_t v;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	if (ol_read_kernel_file(path, 4096, &text, &len, &ignored) < 0)
		return -ignored.code;
	/* After the command's name, which may hold anything: the last ')'. */
	p = strrchr(text, ')');
	if (!p)
		return -EINVAL;
	/* Fields 3 to 21 come first: 19 spaces, then the start time. */
	for (int i = 0; i < 20 && p; i++)
		p = strchr(p + 1, ' ');
	if (!p || ol_parse_uint(p + 1, strcspn(p + 1, " \n"), UINT64_MAX, &v) < 0)
		return -EINVAL;
	*start = v;
	return 0;
}

bool ol_record_is_container(long pid)
{
	struct stat ours, theirs;
	char path[64];

	snprintf(path, sizeof(path), "/proc/%ld/ns/mnt", pid);
	return stat("/proc/self/ns/mnt", &ours) == 0 && stat(path, &theirs) == 0 &&
	       (ours.st_ino != theirs.st_ino || ours.st_dev != theirs.st_dev);
}

/* dir's descriptor, after checking that only its owner (us) may write it. */
static int open_checked(int at, const char *name, int flags)
{
	struct stat st;
	int fd = openat(at, name, flags | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st) < 0 || (st.st_uid != 0 && st.st_uid != geteuid()) ||
	    (st.st_mode & 022)) {
		close(fd);
		return -EPERM;
	}
	return fd;
}

/* The directory, made 0700 when missing, with its parent checked too. */
static int open_store(const char *dir, bool create, struct ol_error *err)
{
	char parent[4096];
	cleanup_close int pfd = -1;
	char *slash;
	int fd;

	if (snprintf(parent, sizeof(parent), "%s", dir) >= (int) sizeof(parent) ||
	    !(slash = strrchr(parent, '/')) || slash == parent || !slash[1] || parent[0] != '/')
		return ol_error_set(err, EINVAL, "'%s' is not an absolute path", dir);
	*slash = '\0';
	if (create && mkdir(parent, 0755) < 0 && errno != EEXIST)
		return ol_error_errno(err, errno, "cannot make '%s'", parent);
	pfd = open_checked(AT_FDCWD, parent, O_PATH);
	if (pfd == -EPERM)
		return ol_error_set(err, EPERM, "'%s' may be written by others than root", parent);
	if (pfd < 0)
		return ol_error_errno(err, -pfd, "cannot open '%s'", parent);
	if (create && mkdirat(pfd, slash + 1, 0700) < 0 && errno != EEXIST)
		return ol_error_errno(err, errno, "cannot make '%s'", dir);
	fd = open_checked(pfd, slash + 1, O_RDONLY);
	if (fd == -EPERM)
		return ol_error_set(err, EPERM, "'%s' may be written by others than root", dir);
	if (fd < 0)
		return ol_error_errno(err, -fd, "cannot open '%s'", dir);
	return fd;
}

/* "START-PID" as the writer names a record (".tmp-" before it, unfinished). */
static bool record_name(const char *name, unsigned long long *start)
{
	const char *dash = strchr(name, '-');
	uint64_t v, pid;

	if (strncmp(name, ".tmp-", 5) == 0)
		return record_name(name + 5, start);
	if (!dash || ol_parse_uint(name, (size_t) (dash - name), UINT64_MAX, &v) < 0 ||
	    ol_parse_uint(dash + 1, strlen(dash + 1), INT32_MAX, &pid) < 0)
		return false;
	*start = v;
	return true;
}

struct entry {
	unsigned long long start;
	char name[64];
};

static int older(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* Keep room for one more: remove the oldest beyond OL_RECORD_MAX - 1. */
static void prune(int dfd)
{
	cleanup_free struct entry *v = NULL;
	size_t n = 0, cap = 0;
	int fd = dup(dfd);
	DIR *d = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!d) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(d))) {
		unsigned long long start;
		if (strlen(e->d_name) >= sizeof(v->name) || !record_name(e->d_name, &start))
			continue;
		if (OL_ARRAY_RESERVE(v, cap, n + 1) < 0)
			break;
		v[n].start = start;
		snprintf(v[n].name, sizeof(v[n].name), "%s", e->d_name);
		n++;
	}
	closedir(d);
	if (n < OL_RECORD_MAX)
		return;
	qsort(v, n, sizeof(*v), older);
	for (size_t i = 0; i + OL_RECORD_MAX - 1 < n; i++)
		unlinkat(dfd, v[i].name, 0);
}

int ol_record_container(const char *dir, const char *id, long pid, struct ol_error *err)
{
	cleanup_close int dfd = -1;
	cleanup_close int fd = -1;
	char boot[40], name[64], tmp[80], text[OL_RECORD_SIZE];
	unsigned long long start = 0;
	int len, r;

	if (!ol_record_id_valid(id))
		return ol_error_set(err, EINVAL, "container id '%.*s' is not recorded", 64, id);
	r = ol_process_start(pid, &start);
	if (r < 0)
		return ol_error_errno(err, -r, "cannot read the start of process %ld", pid);
	r = boot_id(boot);
	if (r < 0)
		return ol_error_errno(err, -r, "cannot read '%s'", BOOT_ID);
	dfd = open_store(dir, true, err);
	if (dfd < 0)
		return dfd;
	prune(dfd);
	snprintf(name, sizeof(name), "%llu-%ld", start, pid);
	snprintf(tmp, sizeof(tmp), ".tmp-%s", name);
	len = snprintf(text, sizeof(text), MAGIC "boot %s\npid %ld\nstart %llu\nid %s\n", boot, pid,
		       start, id);
	fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0 && errno == EEXIST && unlinkat(dfd, tmp, 0) == 0)
		fd = openat(dfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot create '%s/%s'", dir, tmp);
	r = ol_write_all(fd, text, (size_t) len);
	if (r == 0 && renameat(dfd, tmp, dfd, name) < 0)
		r = -errno;
	if (r < 0) {
		unlinkat(dfd, tmp, 0);
		return ol_error_errno(err, -r, "cannot write '%s/%s'", dir, name);
	}
	return 0;
}

/* One "KEY VALUE\n" line: the value, its end moved past the line. */
static const char *line_value(const char **p, const char *key, size_t *len)
{
	size_t k = strlen(key);
	const char *v = *p, *nl;

	if (strncmp(v, key, k) != 0 || v[k] != ' ' || !(nl = strchr(v + k + 1, '\n')))
		return NULL;
	*p = nl + 1;
	*len = (size_t) (nl - (v + k + 1));
	return v + k + 1;
}

static bool parse(const char *text, const char *boot, struct ol_container_record *rec)
{
	const char *p = text, *v;
	uint64_t pid, start;
	size_t len;

	if (strncmp(p, MAGIC, strlen(MAGIC)) != 0)
		return false;
	p += strlen(MAGIC);
	if (!(v = line_value(&p, "boot", &len)) || len != strlen(boot) || memcmp(v, boot, len) != 0)
		return false;
	if (!(v = line_value(&p, "pid", &len)) || ol_parse_uint(v, len, INT32_MAX, &pid) < 0)
		return false;
	if (!(v = line_value(&p, "start", &len)) || ol_parse_uint(v, len, UINT64_MAX, &start) < 0)
		return false;
	if (!(v = line_value(&p, "id", &len)) || len > OL_RECORD_ID || *p)
		return false;
	memcpy(rec->id, v, len);
	rec->id[len] = '\0';
	rec->pid = (long) pid;
	rec->start = start;
	return ol_record_id_valid(rec->id);
}

static bool read_one(int dfd, const char *name, const char *boot, struct ol_container_record *rec)
{
	char text[OL_RECORD_SIZE + 1];
	struct stat st;
	ssize_t n;
	int fd;

	if (name[0] == '.')
		return false;
	/* Never block on a FIFO, never follow a link, never read much. */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		return false;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_size > OL_RECORD_SIZE) {
		close(fd);
		return false;
	}
	n = read(fd, text, OL_RECORD_SIZE);
	close(fd);
	if (n <= 0 || memchr(text, '\0', (size_t) n))
		return false;
	text[n] = '\0';
	return parse(text, boot, rec);
}

int ol_records_load(const char *dir, struct ol_container_record **out, size_t *n)
{
	struct ol_error ignored = { 0 };
	struct ol_container_record *v = NULL;
	size_t cap = 0, seen = 0;
	char boot[40];
	struct dirent *e;
	int dfd;
	DIR *d;

	*out = NULL;
	*n = 0;
	if (boot_id(boot) < 0)
		return 0;
	dfd = open_store(dir, false, &ignored);
	if (dfd < 0)
		return dfd == -ENOENT ? 0 : dfd;
	d = fdopendir(dfd);
	if (!d) {
		close(dfd);
		return -errno;
	}
	/* A store over its bound was not made by the writer: read a bound of it. */
	while ((e = readdir(d)) && seen++ < (size_t) 4 * OL_RECORD_MAX && *n < OL_RECORD_MAX) {
		if (OL_ARRAY_RESERVE(v, cap, *n + 1) < 0) {
			closedir(d);
			free(v);
			return -ENOMEM;
		}
		if (read_one(dfd, e->d_name, boot, &v[*n]))
			(*n)++;
	}
	closedir(d);
	*out = v;
	return 0;
}
