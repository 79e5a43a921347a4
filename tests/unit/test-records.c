/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the containers' records behind `oci-landlock denials`
 * (host/container-record.h): a record read back as written, ids that are
 * not recorded, the bound on the store, a directory others may write, and
 * forged files (a link, a FIFO, an oversized or malformed file, another
 * boot's) that the reader skips without blocking.
 */
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "host/container-record.h"

static char parent[64], dir[96];

static int setup(void **state)
{
	(void) state;
	snprintf(parent, sizeof(parent), "/tmp/ol-records-XXXXXX");
	assert_non_null(mkdtemp(parent));
	assert_int_equal(chmod(parent, 0755), 0);
	snprintf(dir, sizeof(dir), "%s/containers", parent);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void) state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", parent);
	assert_int_equal(system(cmd), 0);
	return 0;
}

static void put(const char *name, const char *text)
{
	char path[160];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static size_t count(void)
{
	struct ol_container_record *v;
	size_t n;

	assert_int_equal(ol_records_load(dir, &v, &n), 0);
	free(v);
	return n;
}

static void test_round_trip(void **state)
{
	struct ol_error err = { 0 };
	struct ol_container_record *v;
	unsigned long long start;
	struct stat st;
	size_t n;

	(void) state;
	assert_int_equal(ol_records_load(dir, &v, &n), 0); /* no store yet */
	assert_int_equal(n, 0);
	assert_int_equal(ol_record_container(dir, "ctr-web.1+x", getpid(), &err), 0);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(ol_process_start(getpid(), &start), 0);
	assert_int_equal(ol_records_load(dir, &v, &n), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].id, "ctr-web.1+x");
	assert_int_equal(v[0].pid, getpid());
	assert_true(v[0].start == start);
	free(v);
	/* Nothing taken from the id reaches a file name or a line. */
	assert_int_equal(ol_record_container(dir, "../x", getpid(), &err), -EINVAL);
	assert_int_equal(ol_record_container(dir, "a\nid b", getpid(), &err), -EINVAL);
	assert_int_equal(ol_record_container(dir, "", getpid(), &err), -EINVAL);
	assert_int_equal(ol_record_container(dir, "x", 999999999, &err), -ENOENT);
	assert_int_equal(count(), 1);
	/* This process shares our mount namespace: not a container's. */
	assert_false(ol_record_is_container(getpid()));
	assert_false(ol_record_is_container(999999999));
}

/* The store keeps the newest OL_RECORD_MAX, whatever wrote the rest. */
static void test_bounded(void **state)
{
	struct ol_error err = { 0 };
	char name[128];

	(void) state;
	/* Made by the writer, then emptied: the stale files are all there is. */
	assert_int_equal(ol_record_container(dir, "first", getpid(), &err), 0);
	snprintf(name, sizeof(name), "rm -f '%s'/[0-9]*", dir);
	assert_int_equal(system(name), 0);
	for (int i = 0; i < OL_RECORD_MAX + 50; i++) {
		snprintf(name, sizeof(name), "%d-%d", i, 100000 + i);
		put(name, "stale\n");
	}
	assert_int_equal(ol_record_container(dir, "last", getpid(), &err), 0);
	/* The stale files were the oldest (start 0 ...): they went first. */
	{
		struct ol_container_record *v;
		size_t n;
		assert_int_equal(ol_records_load(dir, &v, &n), 0);
		assert_int_equal(n, 1);
		assert_string_equal(v[0].id, "last");
		free(v);
	}
	{
		int files = 0;
		char cmd[160];
		FILE *p;
		snprintf(cmd, sizeof(cmd), "ls -A '%s' | wc -l", dir);
		p = popen(cmd, "r");
		assert_non_null(p);
		assert_int_equal(fscanf(p, "%d", &files), 1);
		pclose(p);
		assert_int_equal(files, OL_RECORD_MAX);
	}
}

static void test_forged(void **state)
{
	struct ol_error err = { 0 };
	char path[160], big[OL_RECORD_SIZE + 2];
	unsigned long long start;

	(void) state;
	assert_int_equal(ol_record_container(dir, "real", getpid(), &err), 0);
	assert_int_equal(ol_process_start(getpid(), &start), 0);
	snprintf(path, sizeof(path), "%s/1-1", dir);
	assert_int_equal(mkfifo(path, 0600), 0); /* would block a plain read */
	snprintf(path, sizeof(path), "%s/2-2", dir);
	assert_int_equal(symlink("/etc/passwd", path), 0);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	put("3-3", big);
	put("4-4", "oci-landlock container record 1\nboot 00000000-0000-0000-0000-000000000000\n"
		   "pid 4\nstart 4\nid other-boot\n");
	put("5-5", "oci-landlock container record 1\nboot x\npid -1\nstart 4\nid bad\n");
	put("6-6", "not a record\n");
	assert_int_equal(count(), 1);
}

static void test_unsafe_directory(void **state)
{
	struct ol_error err = { 0 };
	struct ol_container_record *v;
	size_t n;

	(void) state;
	assert_int_equal(ol_record_container(dir, "a", getpid(), &err), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(ol_record_container(dir, "b", getpid(), &err), -EPERM);
	assert_non_null(strstr(err.msg, "may be written by others than root"));
	assert_int_equal(ol_records_load(dir, &v, &n), -EPERM);
	assert_int_equal(n, 0);
	assert_int_equal(chmod(dir, 0700), 0);
	assert_int_equal(chmod(parent, 0777), 0);
	assert_int_equal(ol_record_container(dir, "c", getpid(), &err), -EPERM);
	assert_int_equal(chmod(parent, 0755), 0);
}

/* A link in place of the directory is not followed. */
static void test_link_for_directory(void **state)
{
	struct ol_error err = { 0 };
	char target[128];

	(void) state;
	snprintf(target, sizeof(target), "%s/elsewhere", parent);
	assert_int_equal(mkdir(target, 0700), 0);
	assert_int_equal(symlink("elsewhere", dir), 0);
	assert_int_equal(ol_record_container(dir, "a", getpid(), &err), -ENOTDIR);
	assert_int_equal(rmdir(target), 0);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	cmocka_unit_test_setup_teardown(test_bounded, setup, teardown),
	cmocka_unit_test_setup_teardown(test_forged, setup, teardown),
	cmocka_unit_test_setup_teardown(test_unsafe_directory, setup, teardown),
	cmocka_unit_test_setup_teardown(test_link_for_directory, setup, teardown),
};

OL_UNIT_MAIN(tests)
