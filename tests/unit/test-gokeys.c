/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for reading config keys as Go's encoding/json does: keys
 * that fold to the same are refused, naming both, and so is a field we
 * read under another spelling; map-valued members keep their keys.
 */
#include "helpers.h"

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
	assert_string_equal(err.hint,
			    "runtimes read config.json in their own ways (Go matches keys without "
			    "regard to case and keeps the last; crun's C reader stops at a NUL): "
			    "write each key once, as the runtime-spec spells it");
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

/* crun's C reader: a key or a string ends at its first NUL. */
static void test_nul_bytes(void **state)
{
	(void) state;
	refused("{\"process\":{\"args\":[\"sh\"],\"args\\u0000\xc3\xa9\":[\"x\"]}}",
		"process: the key \"args\" holds a NUL byte, where a C reader stops");
	refused("{\"process\\u0000x\":{},\"process\":{\"args\":[\"sh\"]}}",
		"top level: the key \"process\" holds a NUL byte, where a C reader stops");
	refused("{\"process\":{\"args\":[\"/bin/sh\\u0000x\"]}}",
		"process.args[0]: a string \"/bin/sh\" holds a NUL byte, where a C reader stops");
	/* In maps too: crun hands the annotations to hooks as C strings. */
	refused("{\"annotations\":{\"oci.landlock.fs.ro\\u0000x\":\"/\"}}",
		"annotations: the key \"oci.landlock.fs.ro\" holds a NUL byte, where a C reader "
		"stops");
	refused("{\"annotations\":{\"a\":\"/\\u0000\"}}",
		"annotations.a: a string \"/\" holds a NUL byte, where a C reader stops");
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

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_folded_duplicates),
	cmocka_unit_test(test_fields_we_read_are_spelled_as_such),
	cmocka_unit_test(test_nul_bytes),
	cmocka_unit_test(test_maps_and_other_keys),
};

OL_UNIT_MAIN(tests)
