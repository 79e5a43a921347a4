/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the Landlock annotations: pod-wide and per-container keys,
 * unknown keys, profiles, the launcher options, compilation, and that the
 * launcher builds from those options exactly the layers the host checked.
 */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "exec/launcher.h"
#include "policy/annotations.h"
#include "sandbox/landlock-uapi.h"

static void read_ok(const struct ol_json *ann, struct ol_annotations *a)
{
	struct ol_error err = { 0 };

	if (ol_annotations_read(ann, NULL, a, &err) < 0)
		fail_msg("%s", err.msg);
}

static void read_fails(const char *text, const char *msg)
{
	cleanup_json struct ol_json *j = json(text);
	struct ol_error err = { 0 };
	struct ol_annotations a;

	assert_true(ol_annotations_read(j, NULL, &a, &err) < 0);
	assert_string_equal(err.msg, msg);
	ol_annotations_free(&a);
}

static void test_pod_wide_and_per_container(void **state)
{
	(void) state;
	/* The per-container key wins for its container, whatever the order. */
	cleanup_json struct ol_json *j =
		json("{\"oci.landlock.fs.rw/web\":\"/srv\",\"oci.landlock.fs.rw\":\"/tmp\","
		     "\"oci.landlock.fs.ro\":\"/usr\",\"oci.landlock.fs.ro/db\":\"/var/db\","
		     "\"io.kubernetes.cri.container-name\":\"web\",\"other\":\"x\"}");
	struct ol_annotations a;

	read_ok(j, &a);
	assert_true(a.present);
	assert_string_equal(a.container, "web");
	assert_string_equal(a.value[OL_KEY_FS_RW], "/srv");
	assert_string_equal(a.key[OL_KEY_FS_RW], "oci.landlock.fs.rw/web");
	assert_string_equal(a.value[OL_KEY_FS_RO], "/usr");
	assert_string_equal(a.key[OL_KEY_FS_RO], "oci.landlock.fs.ro");
	assert_null(a.value[OL_KEY_POLICY]);
	ol_annotations_free(&a);
}

static void test_cri_o_container_name(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j = json("{\"io.kubernetes.container.name\":\"db\","
					      "\"oci.landlock.scope/db\":\"all\"}");
	struct ol_annotations a;

	read_ok(j, &a);
	assert_string_equal(a.value[OL_KEY_SCOPE], "all");
	ol_annotations_free(&a);
}

static void test_only_other_containers(void **state)
{
	(void) state;
	/* Keys for other containers of the pod do not apply here... */
	cleanup_json struct ol_json *j =
		json("{\"oci.landlock.fs.ro/web\":\"/usr\",\"io.kubernetes.cri.container-name\":"
		     "\"db\"}");
	cleanup_json struct ol_json *none = json("{\"io.podman.annotations.init\":\"FALSE\"}");
	struct ol_annotations a;

	read_ok(j, &a);
	assert_false(a.present);
	assert_int_equal(a.other_containers, 1);
	ol_annotations_free(&a);
	read_ok(none, &a);
	assert_false(a.present);
	ol_annotations_free(&a);
	read_ok(NULL, &a);
	assert_false(a.present);
	ol_annotations_free(&a);
}

/* ...but a per-container key must never be skipped for want of a name. */
static void test_per_container_keys_need_a_name(void **state)
{
	(void) state;
	read_fails("{\"oci.landlock.fs.ro/app\":\"/bin\"}",
		   "annotation 'oci.landlock.fs.ro/app' is for the container 'app', but this "
		   "container has no name (no io.kubernetes.cri.container-name or "
		   "io.kubernetes.container.name annotation)");
	read_fails("{\"io.kubernetes.cri.container-name\":\"web\","
		   "\"io.kubernetes.container.name\":\"db\",\"oci.landlock.fs.ro\":\"/\"}",
		   "annotations io.kubernetes.cri.container-name ('web') and "
		   "io.kubernetes.container.name ('db') disagree: which oci.landlock.KEY/NAME keys "
		   "apply is unclear");
	/* Disagreeing names on a container without Landlock keys are not
	 * ours to refuse (precreate passes such a config through). */
	cleanup_json struct ol_json *other = json("{\"io.kubernetes.cri.container-name\":\"web\","
						  "\"io.kubernetes.container.name\":\"db\","
						  "\"io.example.x\":\"1\"}");
	struct ol_annotations none;
	read_ok(other, &none);
	assert_false(none.present);
	assert_null(none.container);
	ol_annotations_free(&none);
	/* Both, agreeing, are fine. */
	cleanup_json struct ol_json *j = json("{\"io.kubernetes.cri.container-name\":\"web\","
					      "\"io.kubernetes.container.name\":\"web\","
					      "\"oci.landlock.fs.ro/web\":\"/\"}");
	struct ol_annotations a;
	read_ok(j, &a);
	assert_string_equal(a.value[OL_KEY_FS_RO], "/");
	ol_annotations_free(&a);
}

static void test_read_errors(void **state)
{
	(void) state;
	read_fails("{\"oci.landlock.fs.r0\":\"/usr\"}",
		   "unknown annotation 'oci.landlock.fs.r0' (did you mean 'oci.landlock.fs.ro'?)");
	read_fails("{\"oci.landlock.fs.r0/web\":\"/usr\"}",
		   "unknown annotation 'oci.landlock.fs.r0/web' (did you mean "
		   "'oci.landlock.fs.ro'?)");
	read_fails("{\"oci.landlock.\":\"x\"}", "unknown annotation 'oci.landlock.'");
	read_fails("{\"oci.landlock.sandbox\":\"on\"}",
		   "unknown annotation 'oci.landlock.sandbox'");
	read_fails("{\"oci.landlock.fs.ro\":[\"/usr\"]}",
		   "annotation 'oci.landlock.fs.ro': expected a string");
	read_fails("{\"oci.landlock.fs.ro/\":\"/usr\"}",
		   "annotation 'oci.landlock.fs.ro/': no container name after '/'");
	read_fails("{\"oci.landlock.fs.ro\\u0000x\":\"/usr\"}",
		   "an annotation key holds a NUL byte");
	/* Near misses of the prefix are refused too: see test-keys.c. */
	read_fails("{\"oci.Landlock.fs.ro\":\"/\"}",
		   "annotation 'oci.Landlock.fs.ro' is not an oci.landlock. key, but looks like "
		   "one (did you mean 'oci.landlock.fs.ro'?)");
}

static void options_are(const char *annotations, const char *profile, const char *const *want)
{
	cleanup_json struct ol_json *j = json(annotations);
	cleanup_strv struct ol_strv opts = { 0 };
	struct ol_error err = { 0 };
	struct ol_annotations a;
	size_t n = 0;

	read_ok(j, &a);
	if (ol_annotations_options(&a, profile, &opts, &err) < 0)
		fail_msg("%s", err.msg);
	while (want[n])
		n++;
	for (size_t i = 0; i < opts.n && i < n; i++)
		assert_string_equal(opts.v[i], want[i]);
	assert_int_equal(opts.n, n);
	ol_annotations_free(&a);
}

static void test_options(void **state)
{
	(void) state;
	static const char *const all[] = { "--mode",
					   "best-effort",
					   "--log",
					   "off",
					   "--layer=profile 'web'",
					   "--policy",
					   "{\"x\":1}",
					   "--layer=annotations",
					   "--policy",
					   "{}",
					   "--fs-ro",
					   "/usr",
					   "--fs-rw",
					   "/tmp",
					   "--net-connect",
					   "443",
					   "--scope",
					   "all",
					   "--layer=policy file '/etc/p.json'",
					   "--policy-file",
					   "/etc/p.json",
					   NULL };
	/* Key order in the document does not change the options. */
	options_are("{\"oci.landlock.scope\":\"all\",\"oci.landlock.policy-file\":\"/etc/p.json\","
		    "\"oci.landlock.fs.rw\":\"/tmp\",\"oci.landlock.log\":\"off\","
		    "\"oci.landlock.net.connect\":\"443\",\"oci.landlock.fs.ro\":\"/usr\","
		    "\"oci.landlock.policy\":\"{}\",\"oci.landlock.mode\":\"best-effort\","
		    "\"oci.landlock.profile\":\"web\"}",
		    "{\"x\":1}", all);
	static const char *const one[] = { "--layer=annotations", "--net-bind", "", NULL };
	options_are("{\"oci.landlock.net.bind\":\"\"}", NULL, one);
	/* The settings words first, in the table's order: --confirm last. */
	static const char *const confirm[] = { "--log",	    "off", "--net-socket",	  "unix",
					       "--confirm", "on",  "--layer=annotations", "--fs-ro",
					       "/",	    NULL };
	options_are("{\"oci.landlock.confirm\":\"on\",\"oci.landlock.fs.ro\":\"/\","
		    "\"oci.landlock.net.socket\":\"unix\",\"oci.landlock.log\":\"off\"}",
		    NULL, confirm);
}

static void test_no_policy_is_an_error(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j = json("{\"oci.landlock.mode\":\"strict\"}");
	cleanup_strv struct ol_strv opts = { 0 };
	struct ol_error err = { 0 };
	struct ol_compiled c;
	struct ol_annotations a;

	read_ok(j, &a);
	assert_true(a.present);
	assert_int_equal(ol_annotations_options(&a, NULL, &opts, &err), -EINVAL);
	assert_string_equal(err.msg, "annotation 'oci.landlock.mode' is set, but no annotation "
				     "gives a policy");
	assert_int_equal(ol_annotations_compile(&a, NULL, &c, &err), -EINVAL);
	ol_compiled_free(&c);
	ol_annotations_free(&a);
}

static void compile_fails(const char *annotations, const char *msg)
{
	cleanup_json struct ol_json *j = json(annotations);
	struct ol_error err = { 0 };
	struct ol_annotations a;
	struct ol_compiled c;

	read_ok(j, &a);
	assert_true(ol_annotations_compile(&a, NULL, &c, &err) < 0);
	assert_string_equal(err.msg, msg);
	ol_compiled_free(&c);
	ol_annotations_free(&a);
}

static void test_compile_errors_name_the_annotation(void **state)
{
	(void) state;
	compile_fails("{\"oci.landlock.net.bind\":\"80,,443\"}",
		      "invalid annotation 'oci.landlock.net.bind': empty port at position 2 in "
		      "'80,,443'");
	compile_fails("{\"io.kubernetes.cri.container-name\":\"web\","
		      "\"oci.landlock.fs.ro/web\":\"/usr:\"}",
		      "invalid annotation 'oci.landlock.fs.ro/web': empty path at position 2 in "
		      "'/usr:'");
	compile_fails("{\"oci.landlock.policy\":\"{\\\"pathBeneath\\\":[{\\\"allowedAccess\\\":"
		      "[\\\"read_fil\\\"],\\\"parent\\\":[\\\"/\\\"]}]}\"}",
		      "invalid annotation 'oci.landlock.policy': pathBeneath[0].allowedAccess[0]: "
		      "unknown file-system right \"read_fil\" (did you mean \"read_file\"?)");
	compile_fails("{\"oci.landlock.fs.ro\":\"/\",\"oci.landlock.mode\":\"lax\"}",
		      "invalid annotation 'oci.landlock.mode': unknown mode 'lax'");
	compile_fails("{\"oci.landlock.fs.ro\":\"/\",\"oci.landlock.log\":\"loud\"}",
		      "invalid annotation 'oci.landlock.log': unknown log setting 'loud'");
	compile_fails("{\"oci.landlock.scope\":\"\"}",
		      "invalid annotation 'oci.landlock.scope': empty scope list");
	compile_fails("{\"oci.landlock.fs.rw\":\"/tmp:data\"}",
		      "invalid annotation 'oci.landlock.fs.rw': 'data' is not an absolute path");
	/* In a policy too, variables expanded: ${app} is "srv/app". */
	compile_fails(
		"{\"oci.landlock.policy\":\"{\\\"variable\\\":[{\\\"name\\\":\\\"app\\\","
		"\\\"literal\\\":[\\\"srv/app\\\"]}],\\\"pathBeneath\\\":[{"
		"\\\"allowedAccess\\\":[\\\"read_file\\\"],\\\"parent\\\":[\\\"/usr\\\","
		"\\\"${app}\\\"]}]}\"}",
		"invalid annotation 'oci.landlock.policy': 'srv/app' is not an absolute path");
	compile_fails("{\"oci.landlock.policy-file\":\"etc/p.json\"}",
		      "invalid annotation 'oci.landlock.policy-file': expected an absolute path in "
		      "the container, found 'etc/p.json'");
}

static char *profile_dir(void)
{
	char *dir = strdup("/tmp/ol-profiles-XXXXXX");
	FILE *f;

	assert_non_null(mkdtemp(dir));
	for (int i = 0; i < 2; i++) {
		char path[128];
		snprintf(path, sizeof(path), "%s/%s.json", dir, i ? "web" : "build");
		f = fopen(path, "w");
		assert_non_null(f);
		fputs("{\"ruleset\":[{\"scoped\":[\"signal\"]}]}", f);
		fclose(f);
	}
	return dir;
}

static void profile_fails(const char *dir, const char *name, const char *msg, const char *hint)
{
	char doc[128];
	snprintf(doc, sizeof(doc), "{\"oci.landlock.profile\":\"%s\"}", name);
	cleanup_json struct ol_json *j = json(doc);
	struct ol_error err = { 0 };
	struct ol_annotations a;
	char *text = NULL;

	read_ok(j, &a);
	assert_true(ol_annotations_profile(&a, dir, &text, &err) < 0);
	assert_null(text);
	assert_string_equal(err.msg, msg);
	if (hint)
		assert_string_equal(err.hint, hint);
	ol_annotations_free(&a);
}

static void test_profiles(void **state)
{
	(void) state;
	char *dir = profile_dir();
	char msg[256];
	cleanup_json struct ol_json *j = json("{\"oci.landlock.profile\":\"web\"}");
	struct ol_error err = { 0 };
	struct ol_annotations a;
	struct ol_compiled c;
	char *text = NULL;

	read_ok(j, &a);
	assert_int_equal(ol_annotations_profile(&a, dir, &text, &err), 0);
	assert_string_equal(text, "{\"ruleset\":[{\"scoped\":[\"signal\"]}]}");
	assert_int_equal(ol_annotations_compile(&a, text, &c, &err), 0);
	assert_int_equal(c.n_layers, 1);
	assert_string_equal(c.layers[0].source, "profile 'web'");
	assert_true(c.layers[0].scoped == OL_LL_SCOPE_SIGNAL);
	ol_compiled_free(&c);
	free(text);
	ol_annotations_free(&a);

	snprintf(msg, sizeof(msg), "annotation 'oci.landlock.profile': no profile 'db' in %s", dir);
	profile_fails(dir, "db", msg, "profiles installed on this host: build, web");
	profile_fails(dir, "../web",
		      "annotation 'oci.landlock.profile': invalid profile name '../web'",
		      "a profile name is letters, digits, '.', '_' and '-', and does not start "
		      "with '.'");
	profile_fails(dir, "a/b", "annotation 'oci.landlock.profile': invalid profile name 'a/b'",
		      NULL);
	profile_fails(dir, "..", "annotation 'oci.landlock.profile': invalid profile name '..'",
		      NULL);
	profile_fails(dir, ".web", "annotation 'oci.landlock.profile': invalid profile name '.web'",
		      NULL);
	profile_fails(dir, "", "annotation 'oci.landlock.profile': invalid profile name ''", NULL);
	remove_tree(dir);
}

/* A value the kernel could not pass as one argument is refused early. */
static void test_options_fit_in_an_argument(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j = json("{\"oci.landlock.profile\":\"big\"}");
	cleanup_strv struct ol_strv opts = { 0 };
	cleanup_free char *big = malloc(200000);
	struct ol_error err = { 0 };
	struct ol_annotations a;

	memset(big, ' ', 199999);
	big[199999] = '\0';
	read_ok(j, &a);
	assert_int_equal(ol_annotations_options(&a, big, &opts, &err), -E2BIG);
	assert_string_equal(err.msg, "annotation 'oci.landlock.profile': the profile is 199999 "
				     "bytes, more than a process argument can hold (131071)");
	assert_int_equal(opts.n, 0);
	ol_annotations_free(&a);
}

/* What the host checks is what the launcher enforces. */
static void test_launcher_builds_what_the_host_checked(void **state)
{
	(void) state;
	cleanup_json struct ol_json *j = json(
		"{\"oci.landlock.profile\":\"web\",\"oci.landlock.fs.rx\":\"/usr:/bin\","
		"\"oci.landlock.policy\":\"{\\\"abi\\\":4,\\\"pathBeneath\\\":[{"
		"\\\"allowedAccess\\\":[\\\"abi.read_write\\\"],\\\"parent\\\":[\\\"/"
		"data\\\"]}]}\","
		"\"oci.landlock.net.connect\":\"443,8000-8002\",\"oci.landlock.scope\":\"signal\","
		"\"oci.landlock.fs.unix\":\"/run/a.sock\",\"oci.landlock.net.udp.bind\":\"0\","
		"\"oci.landlock.net.udp.connect\":\"53\",\"oci.landlock.quiet.fs\":\"/proc\","
		"\"oci.landlock.quiet.net\":\"8001\",\"oci.landlock.quiet.scope\":\"signal\","
		"\"oci.landlock.mode\":\"best-effort\",\"oci.landlock.log\":\"off\","
		"\"oci.landlock.confirm\":\"on\"}");
	const char *profile =
		"{\"ruleset\":[{\"handledAccessFs\":[\"read_file\"]}],"
		"\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/\"]}]}";
	cleanup_strv struct ol_strv argv = { 0 };
	struct ol_error err = { 0 };
	struct ol_annotations a;
	struct ol_compiled c;
	struct launcher l;

	read_ok(j, &a);
	assert_int_equal(ol_strv_push(&argv, "oci-landlock-exec"), 0);
	assert_int_equal(ol_annotations_options(&a, profile, &argv, &err), 0);
	assert_int_equal(ol_strv_push(&argv, "--"), 0);
	assert_int_equal(ol_strv_push(&argv, "/bin/true"), 0);
	assert_int_equal(ol_annotations_compile(&a, profile, &c, &err), 0);
	if (launcher_parse_args(&l, (int) argv.n, argv.v, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(l.n_layers, c.n_layers);
	assert_int_equal(l.n_layers, 2);
	for (size_t i = 0; i < c.n_layers; i++)
		assert_same_layer(&l.layers[i], &c.layers[i], true);
	/* The quiet words got there: /proc and port 8001 quiet, signal too. */
	assert_true(ol_ruleset_quiet_fs(&l.layers[1]) == l.layers[1].handled_fs);
	assert_true(ol_ruleset_quiet_net(&l.layers[1]) == l.layers[1].handled_net);
	assert_true(l.layers[1].quiet_scoped == OL_LL_SCOPE_SIGNAL);
	assert_int_equal(ol_ruleset_quiet_paths(&l.layers[1]), 1);
	assert_int_equal(ol_ruleset_quiet_ports(&l.layers[1]), 1);
	assert_int_equal(l.enforce.mode, c.enforce.mode);
	assert_int_equal(l.enforce.mode, OL_MODE_BEST_EFFORT);
	assert_int_equal(l.enforce.log_flags, c.enforce.log_flags);
	assert_int_equal(l.enforce.sockets, c.enforce.sockets);
	assert_true(l.enforce.confirm && c.enforce.confirm);
	assert_string_equal(l.command[0], "/bin/true");
	launcher_free(&l);
	ol_compiled_free(&c);
	ol_annotations_free(&a);
}

/* oci.landlock.learn: learning mode alone, carried to the launcher. */
static void test_learn(void **state)
{
	(void) state;
	static const char *const learn[] = { "--learn", "/out/rec.json", NULL };
	cleanup_json struct ol_json *j = json("{\"oci.landlock.learn\":\"/out/rec.json\"}");
	cleanup_strv struct ol_strv argv = { 0 };
	struct ol_error err = { 0 };
	struct ol_annotations a;
	struct ol_compiled c;
	struct launcher l;

	options_are("{\"oci.landlock.learn\":\"/out/rec.json\"}", NULL, learn);
	read_ok(j, &a);
	assert_int_equal(ol_annotations_compile(&a, NULL, &c, &err), 0);
	assert_string_equal(c.learn, "/out/rec.json");
	assert_int_equal(c.n_layers, 0);
	assert_int_equal(ol_strv_push(&argv, "oci-landlock-exec"), 0);
	assert_int_equal(ol_annotations_options(&a, NULL, &argv, &err), 0);
	assert_int_equal(ol_strv_push(&argv, "--"), 0);
	assert_int_equal(ol_strv_push(&argv, "/bin/true"), 0);
	if (launcher_parse_args(&l, (int) argv.n, argv.v, &err) < 0)
		fail_msg("%s", err.msg);
	assert_string_equal(l.learn, "/out/rec.json");
	assert_int_equal(l.n_layers, 0);
	launcher_free(&l);
	ol_compiled_free(&c);
	ol_annotations_free(&a);
	compile_fails("{\"oci.landlock.learn\":\"/out/rec.json\",\"oci.landlock.fs.ro\":\"/\"}",
		      "annotation 'oci.landlock.learn' cannot be combined with "
		      "'oci.landlock.fs.ro': learning mode records what the container uses, it "
		      "enforces nothing");
	compile_fails("{\"oci.landlock.mode\":\"strict\",\"oci.landlock.learn\":\"/r\"}",
		      "annotation 'oci.landlock.learn' cannot be combined with "
		      "'oci.landlock.mode': learning mode records what the container uses, it "
		      "enforces nothing");
	compile_fails("{\"oci.landlock.learn\":\"out/rec.json\"}",
		      "invalid annotation 'oci.landlock.learn': expected an absolute path in the "
		      "container, found 'out/rec.json'");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_pod_wide_and_per_container),
	cmocka_unit_test(test_cri_o_container_name),
	cmocka_unit_test(test_only_other_containers),
	cmocka_unit_test(test_per_container_keys_need_a_name),
	cmocka_unit_test(test_read_errors),
	cmocka_unit_test(test_options),
	cmocka_unit_test(test_no_policy_is_an_error),
	cmocka_unit_test(test_compile_errors_name_the_annotation),
	cmocka_unit_test(test_profiles),
	cmocka_unit_test(test_options_fit_in_an_argument),
	cmocka_unit_test(test_launcher_builds_what_the_host_checked),
	cmocka_unit_test(test_learn),
};

OL_UNIT_MAIN(tests)
