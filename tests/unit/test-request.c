/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for what a request refuses before any runtime runs: a
 * workload that may mount, in a sandbox that handles no file-system
 * right, with CAP_SYS_ADMIN spelled as runc or crun (libcap) reads it.
 */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "host/request.h"
#include "oci/config.h"

static const struct ol_settings settings = {
	.launcher = (char *) "/bin/true",
	.profiles = (char *) "/nonexistent-profiles",
	.cli = (char *) "/bin/true",
};

static const char mounting[] =
	"the container may mount (CAP_SYS_ADMIN) and its annotations handle no file-system "
	"right, so Landlock would not stop it from mounting over /proc and changing what exec "
	"sessions run";

/* The message of ol_request_build() on such a config, or NULL. */
static char *build(const char *cap, const char *key, const char *value)
{
	static char msg[sizeof(((struct ol_error *) 0)->msg)];
	struct ol_error err = { 0 };
	struct ol_request req;
	struct ol_json *j = NULL;
	char doc[512];
	int r;

	snprintf(doc, sizeof(doc),
		 "{\"process\": {\"args\": [\"sh\"], \"capabilities\": {\"bounding\": "
		 "[\"CAP_CHOWN\"], \"permitted\": [\"%s\"]}}, \"annotations\": {\"%s\": \"%s\"}}",
		 cap, key, value);
	assert_int_equal(ol_config_parse(doc, strlen(doc), &j, &err), 0);
	r = ol_request_build(j, "c1", &settings, &req, &err);
	ol_request_free(&req);
	ol_json_free(j);
	if (r == 0)
		return NULL;
	assert_int_equal(r, -EPERM);
	snprintf(msg, sizeof(msg), "%s", err.msg);
	return msg;
}

static void test_may_mount_without_file_system_rules(void **state)
{
	static const char *const sys_admin[] = { "CAP_SYS_ADMIN", "cap_sys_admin",
						 "Cap_Sys_Admin", "21",
						 "0x15",	  "025",
						 "CAP_SYS_ADMIN " };
	static const char *const others[] = { "CAP_NET_ADMIN", "22", "sys_admin",
					      "cap_sys_adminx" };
	(void) state;
	for (size_t i = 0; i < sizeof(sys_admin) / sizeof(*sys_admin); i++) {
		const char *got = build(sys_admin[i], "oci.landlock.net.connect", "443");
		if (!got || strcmp(got, mounting) != 0)
			fail_msg("%s: %s", sys_admin[i], got ? got : "accepted");
	}
	for (size_t i = 0; i < sizeof(others) / sizeof(*others); i++)
		if (build(others[i], "oci.landlock.net.connect", "443"))
			fail_msg("%s: refused", others[i]);
	/* A domain that handles a file-system right may not mount. */
	assert_null(build("CAP_SYS_ADMIN", "oci.landlock.fs.rx", "/bin"));
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_may_mount_without_file_system_rules),
};

OL_UNIT_MAIN(tests)
