/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the keys that decide how ours are read: a pod's sandbox
 * container only where the engine proves it, the container's name, and
 * near misses of the oci.landlock. prefix.
 */
#include "helpers.h"

#include <errno.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy/annotations.h"

/* Read text; the values point into the document returned (to be freed). */
static struct ol_json *read_ok(const char *text, const char *id, struct ol_annotations *a)
{
	struct ol_json *j = json(text);
	struct ol_error err = { 0 };

	if (ol_annotations_read(j, id, a, &err) < 0)
		fail_msg("%s: %s", text, err.msg);
	return j;
}

static void read_fails(const char *text, const char *id, const char *msg)
{
	cleanup_json struct ol_json *j = json(text);
	struct ol_error err = { 0 };
	struct ol_annotations a;

	assert_int_equal(ol_annotations_read(j, id, &a, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
	ol_annotations_free(&a);
}

#define CRI_SANDBOX                                                                                \
	"\"io.kubernetes.cri.container-type\":\"sandbox\",\"io.kubernetes.cri.sandbox-id\":"       \
	"\"pod1\""
#define CRIO_SANDBOX                                                                               \
	"\"io.kubernetes.cri-o.ContainerType\":\"sandbox\",\"io.kubernetes.cri-o.SandboxID\":"     \
	"\"pod1\""

/*
 * A pod's sandbox container gets the pod's annotations too, none of which
 * applies to it, not even a typo or a KEY/NAME key: when the engine's
 * sandbox id is the very container being created.
 */
static void test_proven_sandbox_container(void **state)
{
	(void) state;
	const char *sandboxes[] = {
		"{" CRI_SANDBOX ",\"oci.landlock.fs.ro\":\"/\",\"oci.landlock.fs.rw/web\":\"/srv\","
		"\"oci.landlock.fs.r0\":\"/\"}",
		"{" CRIO_SANDBOX ",\"oci.landlock.scope\":\"all\"}",
		"{" CRI_SANDBOX "," CRIO_SANDBOX ",\"oci.landlock.scope\":\"x\"}",
	};
	struct ol_annotations a;

	for (size_t i = 0; i < sizeof(sandboxes) / sizeof(sandboxes[0]); i++) {
		ol_json_free(read_ok(sandboxes[i], "pod1", &a));
		assert_true(a.sandbox);
		assert_false(a.present);
		assert_int_equal(a.warnings.n, 0);
		ol_annotations_free(&a);
	}
}

/* Whoever creates the container can write the type: without the proof
 * it is ignored, with a warning, and the keys apply. */
static void test_forged_sandbox_type(void **state)
{
	(void) state;
	struct ol_annotations a;

	/* Another container of the pod claims to be its sandbox. */
	cleanup_json struct ol_json *doc =
		read_ok("{" CRI_SANDBOX ",\"oci.landlock.fs.ro\":\"/\"}", "app1", &a);
	assert_non_null(doc);
	assert_false(a.sandbox);
	assert_true(a.present);
	assert_string_equal(a.value[OL_KEY_FS_RO], "/");
	assert_int_equal(a.warnings.n, 1);
	assert_string_equal(a.warnings.v[0],
			    "annotation io.kubernetes.cri.container-type says 'sandbox', but "
			    "io.kubernetes.cri.sandbox-id does not name this container: its "
			    "oci.landlock. keys apply");
	ol_annotations_free(&a);
	/* No sandbox id at all; CRI-O's spelling. */
	ol_json_free(read_ok(
		"{\"io.kubernetes.cri-o.ContainerType\":\"sandbox\",\"oci.landlock.fs.ro\":\"/\"}",
		"pod1", &a));
	assert_false(a.sandbox);
	assert_true(a.present);
	ol_annotations_free(&a);
	/* Where the id is unknown (precreate, inject, check), never a sandbox. */
	ol_json_free(read_ok("{" CRI_SANDBOX ",\"oci.landlock.fs.ro\":\"/\"}", NULL, &a));
	assert_false(a.sandbox);
	assert_true(a.present);
	assert_string_equal(
		a.warnings.v[0],
		"annotation io.kubernetes.cri.container-type says 'sandbox', which only "
		"the container's id can prove (the runtime shim checks it): its "
		"oci.landlock. keys apply here");
	ol_annotations_free(&a);
	/* Its typo is an error again. */
	read_fails("{" CRI_SANDBOX ",\"oci.landlock.fs.r0\":\"/\"}", "app1",
		   "unknown annotation 'oci.landlock.fs.r0' (did you mean 'oci.landlock.fs.ro'?)");
	/* CRI-O passes every pod annotation on: the two engines' types meet. */
	read_fails("{\"io.kubernetes.cri-o.ContainerType\":\"container\","
		   "\"io.kubernetes.cri.container-type\":\"sandbox\",\"oci.landlock.fs.ro\":\"/\"}",
		   "pod1",
		   "annotations io.kubernetes.cri.container-type ('sandbox') and "
		   "io.kubernetes.cri-o.ContainerType ('container') disagree: whether this is a "
		   "pod's sandbox container is unclear");
}

static void near_miss(const char *key, const char *meant)
{
	char text[512], msg[512];

	snprintf(text, sizeof(text), "{\"%s\":\"/\"}", key);
	snprintf(msg, sizeof(msg),
		 "annotation '%s' is not an oci.landlock. key, but looks like one (did you mean "
		 "'%s'?)",
		 key, meant);
	read_fails(text, NULL, msg);
}

static void test_near_misses_of_the_prefix(void **state)
{
	(void) state;
	near_miss("OCI.landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.Landlock.fs.ro", "oci.landlock.fs.ro");
	near_miss("oci-landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci_landlock_fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.landlock-fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.landlockfs.rx", "oci.landlock.fs.rx");
	near_miss("oci.landlock", "oci.landlock.");
	/* A fullwidth full stop (U+FF0E), fullwidth letters, the Kelvin sign,
	 * mathematical bold letters: what compatibility folding makes ASCII. */
	near_miss("oci\xef\xbc\x8elandlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("\xef\xbd\x8f\xef\xbd\x83\xef\xbd\x89.landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.landloc\xe2\x84\xaa.fs.rx", "oci.landlock.fs.rx");
	near_miss("\xf0\x9d\x90\xa8\xf0\x9d\x90\x9c\xf0\x9d\x90\xa2.landlock.policy",
		  "oci.landlock.policy");
	/* Any separator or none, invisible characters, look-alike letters
	 * (Cyrillic o, dotless i), diacritics, and one typo in the letters. */
	near_miss("ocilandlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci:landlock:fs.rx", "oci.landlock.fs.rx");
	near_miss("oci/landlock/fs.rx", "oci.landlock.fs.rx");
	near_miss("oci..landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.land\xc2\xadlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("\xef\xbb\xbfoci.landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("\xd0\xbe"
		  "ci.landlock.fs.rx",
		  "oci.landlock.fs.rx");
	near_miss("oc\xc4\xb1.landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oc\xc3\xad.landlock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.landlok.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.lanldock.fs.rx", "oci.landlock.fs.rx");
	near_miss("oci.landlocc.fs.rx", "oci.landlock.fs.rx");
	/* A near miss among a container's other keys still stops it. */
	read_fails(
		"{\"oci.landlock.fs.ro\":\"/\",\"Oci.landlock.fs.rw\":\"/tmp\"}", NULL,
		"annotation 'Oci.landlock.fs.rw' is not an oci.landlock. key, but looks like one "
		"(did you mean 'oci.landlock.fs.rw'?)");
}

static void test_what_is_not_a_near_miss(void **state)
{
	(void) state;
	struct ol_annotations a;

	ol_json_free(read_ok("{\"io.example.landlock\":\"x\",\"oci\":\"x\",\"oci.land\":\"x\","
			     "\"org.opencontainers.image.title\":\"x\",\"oci.image.lock\":\"x\","
			     "\"org.landlock.x\":\"x\"}",
			     NULL, &a));
	assert_false(a.present);
	ol_annotations_free(&a);
	assert_false(ol_key_near_miss("oci.landlock.fs.ro", 18));
	assert_true(ol_key_near_miss("OCI.LANDLOCK", 12));
	/* Two typos are no near miss. */
	assert_false(ol_key_near_miss("oci.lndlok.x", 12));
}

/* KEY/NAME for a name this close to the container's, and no key applies:
 * probably a typo in the name. */
static void test_near_miss_of_the_container_name(void **state)
{
	(void) state;
	struct ol_annotations a;

	ol_json_free(read_ok(
		"{\"io.kubernetes.cri.container-name\":\"web\",\"oci.landlock.fs.ro/wbe\":\"/\"}",
		NULL, &a));
	assert_false(a.present);
	assert_int_equal(a.warnings.n, 1);
	assert_string_equal(a.warnings.v[0],
			    "no oci.landlock. key applies to the container 'web', but "
			    "'oci.landlock.fs.ro/wbe' is for a container of a name this close: a "
			    "typo?");
	ol_annotations_free(&a);
	/* Another container's key when a key does apply, or a name far off:
	 * no warning. */
	ol_json_free(read_ok(
		"{\"io.kubernetes.cri.container-name\":\"web\",\"oci.landlock.fs.ro/wbe\":\"/\","
		"\"oci.landlock.fs.rx\":\"/bin\"}",
		NULL, &a));
	assert_true(a.present);
	assert_int_equal(a.warnings.n, 0);
	ol_annotations_free(&a);
	ol_json_free(read_ok(
		"{\"io.kubernetes.cri.container-name\":\"web\",\"oci.landlock.fs.ro/worker\":"
		"\"/\"}",
		NULL, &a));
	assert_int_equal(a.warnings.n, 0);
	ol_annotations_free(&a);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_proven_sandbox_container),
	cmocka_unit_test(test_forged_sandbox_type),
	cmocka_unit_test(test_near_misses_of_the_prefix),
	cmocka_unit_test(test_what_is_not_a_near_miss),
	cmocka_unit_test(test_near_miss_of_the_container_name),
};

OL_UNIT_MAIN(tests)
