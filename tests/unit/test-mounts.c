/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for what the gate reads of mounts and namespaces: mountinfo
 * lines (escapes, optional fields, bad lines), the /dev
 * tmpfs that may hold the launcher, and the PID namespace a config asks
 * for.
 */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "host/mountinfo.h"
#include "oci/config.h"

static void test_mountinfo_lines(void **state)
{
	static const char text[] =
		"22 1 254:1 / / rw,relatime shared:1 - ext4 /dev/vda1 rw\n"
		"36 22 0:5 /sub\\040dir /mnt/with\\134slash\\012nl rw master:3 shared:7 - tmpfs "
		"none rw\n"
		"40 22 0:27 / /dev rw,nosuid - tmpfs tmpfs rw,mode=755\n"
		"41 22 254:1 / /host ro,relatime - ext4 /dev/vda1 rw\n"
		"42 22 254:1 / /host2 rox - ext4 /dev/vda1 rw\n";
	struct ol_error err = { 0 };
	struct ol_mounts m;

	(void) state;
	assert_int_equal(ol_mounts_parse(text, strlen(text), &m, &err), 0);
	assert_int_equal(m.n, 5);
	assert_int_equal(m.m[0].id, 22);
	assert_int_equal(m.m[0].parent, 1);
	assert_int_equal(m.m[0].major, 254);
	assert_int_equal(m.m[0].minor, 1);
	assert_string_equal(m.m[0].fstype, "ext4");
	assert_string_equal(m.m[1].root, "/sub dir");
	assert_string_equal(m.m[1].point, "/mnt/with\\slash\nnl");
	assert_string_equal(m.m[1].fstype, "tmpfs");
	assert_string_equal(m.m[2].point, "/dev");
	assert_ptr_equal(ol_mounts_find(&m, 40), &m.m[2]);
	assert_null(ol_mounts_find(&m, 43));
	assert_int_equal(ol_mounts_has_fs(&m, 0, 27), 1);
	assert_int_equal(ol_mounts_has_fs(&m, 0, 28), 0);
	ol_mounts_free(&m);
}

static void test_mountinfo_bad_lines(void **state)
{
	static const char *const bad[] = {
		"22 1 254:1 / / rw shared:1 ext4 /dev/vda1 rw\n", /* no "-" */
		"22 1 254:1 / / rw -\n",			  /* no type */
		"x 1 254:1 / / rw - ext4 /dev/vda1 rw\n",
		"22 1 254 / / rw - ext4 /dev/vda1 rw\n",
		"22 1 254:1 /\n",
		"22 1 254:1 / /\n", /* no options */
	};
	(void) state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		struct ol_error err = { 0 };
		struct ol_mounts m;
		assert_int_equal(ol_mounts_parse(bad[i], strlen(bad[i]), &m, &err), -EINVAL);
		assert_non_null(strstr(err.msg, "mountinfo: cannot read the line '22 1") ||
				strstr(err.msg, "mountinfo: cannot read the line 'x 1"));
		ol_mounts_free(&m);
	}
}

static const char *injected(const char *dev_options)
{
	static struct ol_error err;
	struct ol_strv options = { 0 };
	char doc[512];
	struct ol_json *j = NULL;
	int r;

	memset(&err, 0, sizeof(err));
	snprintf(doc, sizeof(doc),
		 "{\"process\": {\"args\": [\"/bin/sh\"]}, \"mounts\": [{\"destination\": "
		 "\"/dev\", \"type\": \"tmpfs\", \"source\": \"tmpfs\", \"options\": [%s]}]}",
		 dev_options);
	assert_int_equal(ol_config_parse(doc, strlen(doc), &j, &err), 0);
	r = ol_config_inject(j, "/usr/libexec/oci-landlock-exec", &options, &err);
	ol_json_free(j);
	return r == 0 ? NULL : err.msg;
}

/* A "tmpfs" entry with bind options is a bind mount of its source. */
static void test_dev_must_be_a_fresh_tmpfs(void **state)
{
	static const char refused[] =
		"mounts[0] ('/dev', type 'tmpfs') decides what is at /dev, and it is not a "
		"tmpfs of the container's own: the launcher cannot be put where no one else "
		"can reach it";
	(void) state;
	assert_null(injected("\"nosuid\", \"mode=755\""));
	assert_string_equal(injected("\"bind\""), refused);
	assert_string_equal(injected("\"nosuid\", \"rbind\""), refused);
}

static void pid_namespace(const char *namespaces, bool own, const char *joined)
{
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;
	const char *got = "unset";
	char doc[512];

	snprintf(doc, sizeof(doc), "{\"linux\": {\"namespaces\": [%s]}}", namespaces);
	assert_int_equal(ol_config_parse(doc, strlen(doc), &j, &err), 0);
	if (ol_config_own_pid_namespace(j, &got) != own)
		fail_msg("%s: own should be %d", namespaces, own);
	if (joined)
		assert_string_equal(got, joined);
	else
		assert_null(got);
	ol_json_free(j);
}

static void test_pid_namespace(void **state)
{
	(void) state;
	pid_namespace("{\"type\": \"mount\"}, {\"type\": \"pid\"}", true, NULL);
	pid_namespace("{\"type\": \"pid\", \"path\": \"\"}", true, NULL);
	pid_namespace("{\"type\": \"pid\", \"path\": null}", true, NULL);
	pid_namespace("{\"type\": \"pid\", \"path\": \"/proc/42/ns/pid\"}", false,
		      "/proc/42/ns/pid");
	pid_namespace("{\"type\": \"mount\"}", false, NULL);
	pid_namespace("{\"type\": \"pid\", \"path\": 7}", false, NULL);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_mountinfo_lines),
	cmocka_unit_test(test_mountinfo_bad_lines),
	cmocka_unit_test(test_dev_must_be_a_fresh_tmpfs),
	cmocka_unit_test(test_pid_namespace),
};

OL_UNIT_MAIN(tests)
