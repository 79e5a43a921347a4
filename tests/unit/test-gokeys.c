/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for reading config keys as Go's encoding/json does: keys
 * that fold to the same are refused, naming both, and so is a field we
 * read under another spelling; map-valued members keep their keys.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "oci/config.h"

static void refused(const char *doc, const char *msg)
{
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;

	assert_int_equal(ol_config_parse(doc, strlen(doc), &j, &err), -EINVAL);
	assert_null(j);
	assert_string_equal(err.msg, msg);
	assert_string_equal(err.hint, "the runtime (Go's encoding/json) matches keys without "
				      "regard to case and keeps the last; write each key once, as "
				      "the runtime-spec spells it");
}

static void accepted(const char *doc)
{
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;

	if (ol_config_parse(doc, strlen(doc), &j, &err) < 0)
		fail_msg("%s: %s", doc, err.msg);
	ol_json_free(j);
}

static void test_folded_duplicates(void **state)
{
	(void) state;
	refused("{\"process\":{\"args\":[\"sh\"],\"ARGS\":[\"x\"]}}",
		"process: keys \"args\" and \"ARGS\" are the same key to the runtime");
	/* U+017F, the long s, is an s to Go. */
	refused("{\"process\":{\"args\":[\"sh\"],\"arg\xc5\xbf\":[\"x\"]}}",
		"process: keys \"args\" and \"arg\xc5\xbf\" are the same key to the runtime");
	/* U+212A, the Kelvin sign, is a k. */
	refused("{\"hoo\xe2\x84\xaas\":{},\"hooks\":{}}",
		"top level: keys \"hoo\xe2\x84\xaas\" and \"hooks\" are the same key to the "
		"runtime");
	refused("{\"process\":{\"args\":[\"sh\"]},\"Process\":{\"args\":[\"x\"]}}",
		"top level: keys \"process\" and \"Process\" are the same key to the runtime");
	refused("{\"mounts\":[{\"destination\":\"/a\"},{\"destination\":\"/b\","
		"\"DESTINATION\":\"/c\"}]}",
		"mounts[1]: keys \"destination\" and \"DESTINATION\" are the same key to the "
		"runtime");
	/* Keys we do not read either: Go would still read one of them only. */
	refused("{\"linux\":{\"seccomp\":{\"defaultAction\":\"a\",\"DefaultAction\":\"b\"}}}",
		"linux.seccomp: keys \"defaultAction\" and \"DefaultAction\" are the same key to "
		"the runtime");
}

static void test_fields_we_read_are_spelled_as_such(void **state)
{
	(void) state;
	refused("{\"Process\":{\"args\":[\"sh\"]}}",
		"top level: key \"Process\" is \"process\" to the runtime: write it \"process\"");
	refused("{\"process\":{\"Args\":[\"sh\"]}}",
		"process: key \"Args\" is \"args\" to the runtime: write it \"args\"");
	refused("{\"ANNOTATIONS\":{\"oci.landlock.fs.ro\":\"/\"}}",
		"top level: key \"ANNOTATIONS\" is \"annotations\" to the runtime: write it "
		"\"annotations\"");
	/* Wherever it stands: the check does not know the whole schema. */
	refused("{\"x-Vendor\":{\"Args\":1}}",
		"[\"x-Vendor\"]: key \"Args\" is \"args\" to the runtime: write it \"args\"");
	refused("{\"process\":{\"args\":[\"sh\"],\"nonewprivileges\":false}}",
		"process: key \"nonewprivileges\" is \"noNewPrivileges\" to the runtime: write it "
		"\"noNewPrivileges\"");
}

static void test_maps_and_other_keys(void **state)
{
	(void) state;
	/* Go reads annotations, sysctl and unified as maps: keys are data. */
	accepted("{\"annotations\":{\"a\":\"1\",\"A\":\"2\",\"Process\":\"x\"}}");
	accepted("{\"linux\":{\"sysctl\":{\"net.a\":\"1\",\"NET.A\":\"2\"},"
		 "\"resources\":{\"unified\":{\"x\":\"1\",\"X\":\"2\"}}}}");
	/* Keys with other non-ASCII letters match no field of the spec. */
	accepted("{\"\xc3\xa4\":1,\"\xc3\x84\":2}");
	/* Real spellings, and unknown keys of a single spelling. */
	accepted("{\"ociVersion\":\"1.0.2\",\"process\":{\"args\":[\"sh\"],\"noNewPrivileges\":"
		 "true},\"x-Vendor\":{\"Flags\":1}}");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_folded_duplicates),
		cmocka_unit_test(test_fields_we_read_are_spelled_as_such),
		cmocka_unit_test(test_maps_and_other_keys),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
