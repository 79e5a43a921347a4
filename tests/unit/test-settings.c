/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for what the host decides (host/settings.c, host/request.c):
 * the settings' default, require, mode and learning keys, each error with
 * its exact message, and the request they make of a container: the
 * default as the first layer and the first options, a pod's sandbox
 * container exempt, a bare container refused where a policy is required.
 */
#include "helpers.h"

#include <errno.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "host/request.h"
#include "host/settings.h"
#include "policy/policy.h"

#define CRI_SANDBOX                                                                                \
	"\"io.kubernetes.cri.container-type\":\"sandbox\",\"io.kubernetes.cri.sandbox-id\":"       \
	"\"pod1\""

static char settings_file[64];

/* Write text as the settings file and load it; returns load's status. */
static int load(const char *text, struct ol_settings *s, struct ol_error *err)
{
	const char *at = strstr(text, "@EXAMPLES@");
	FILE *f;

	snprintf(settings_file, sizeof(settings_file), "/tmp/ol-settings-%d.json", (int) getpid());
	f = fopen(settings_file, "w");
	assert_non_null(f);
	/* @EXAMPLES@ stands for the example profiles' directory. */
	if (at)
		fprintf(f, "%.*s%s%s", (int) (at - text), text, getenv("OL_EXAMPLES"),
			at + strlen("@EXAMPLES@"));
	else
		fputs(text, f);
	fclose(f);
	return ol_settings_load_file(s, settings_file, err);
}

static void load_ok(const char *text, struct ol_settings *s)
{
	struct ol_error err = { 0 };

	if (load(text, s, &err) < 0)
		fail_msg("%s", err.msg);
}

static void load_fails(const char *text, const char *msg)
{
	struct ol_settings s;
	struct ol_error err = { 0 };
	char want[1024];

	assert_true(load(text, &s, &err) < 0);
	snprintf(want, sizeof(want), "invalid settings '%s': %s", settings_file, msg);
	assert_string_equal(err.msg, want);
	ol_settings_free(&s);
}

static void test_policy_keys(void **state)
{
	struct ol_settings s;

	(void) state;
	/* Nothing said: nothing decided, learning allowed. */
	load_ok("{}", &s);
	assert_null(s.default_text);
	assert_false(s.require);
	assert_true(s.learning);
	assert_int_equal(s.mode, OL_MODE_STRICT);
	ol_settings_free(&s);
	/* A profile by name, read now; learning then refused unless said. */
	load_ok("{\"profiles\":\"@EXAMPLES@\",\"default\":\"baseline\",\"mode\":\"best-effort\"}",
		&s);
	assert_non_null(strstr(s.default_text, "\"abi.read_execute\""));
	assert_string_equal(s.default_source, "default profile 'baseline'");
	assert_int_equal(s.mode, OL_MODE_BEST_EFFORT);
	assert_false(s.learning);
	ol_settings_free(&s);
	load_ok("{\"require\":true,\"learning\":true}", &s);
	assert_true(s.require);
	assert_true(s.learning);
	ol_settings_free(&s);
	/* An inline policy, kept as compact JSON. */
	load_ok("{\"default\":{\"ruleset\":[{\"scoped\":[\"signal\"]}]}}", &s);
	assert_string_equal(s.default_text, "{\"ruleset\":[{\"scoped\":[\"signal\"]}]}");
	assert_string_equal(s.default_source, "default policy");
	ol_settings_free(&s);
}

static void test_policy_key_errors(void **state)
{
	(void) state;
	load_fails("{\"require\":\"yes\"}", "\"require\": expected true or false");
	load_fails("{\"learning\":1}", "\"learning\": expected true or false");
	load_fails("{\"mode\":\"lenient\"}", "\"mode\": unknown mode 'lenient'");
	load_fails("{\"mode\":true}", "\"mode\": expected strict or best-effort");
	load_fails("{\"default\":[]}", "\"default\": expected a profile's name or a "
				       "landlockconfig policy (an object)");
	load_fails("{\"profiles\":\"@EXAMPLES@\",\"default\":\"../baseline\"}",
		   "\"default\": invalid profile name '../baseline'");
	load_fails("{\"profiles\":\"/nonexistent\",\"default\":\"baseline\"}",
		   "\"default\": no profile 'baseline' in /nonexistent");
	load_fails("{\"default\":{\"pathBeneath\":[{\"allowedAccess\":[\"read_fil\"],"
		   "\"parent\":[\"/\"]}]}}",
		   "\"default\": pathBeneath[0].allowedAccess[0]: unknown file-system right "
		   "\"read_fil\" (did you mean \"read_file\"?)");
	load_fails("{\"defaults\":\"baseline\"}", "unknown key \"defaults\"");
	load_fails("{\"default\":{\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
		   "\"parent\":[\"tmp\"]}]}}",
		   "\"default\": 'tmp' is not an absolute path");
}

/* The request of a config under the settings s. */
static int request(const char *config, const char *id, const struct ol_settings *s,
		   struct ol_request *req, struct ol_error *err)
{
	cleanup_json struct ol_json *j = json(config);

	return ol_request_build(j, id, s, req, err);
}

static void request_fails(const char *config, const char *id, const struct ol_settings *s,
			  const char *msg)
{
	struct ol_request req;
	struct ol_error err = { 0 };

	assert_true(request(config, id, s, &req, &err) < 0);
	assert_string_equal(err.msg, msg);
	ol_request_free(&req);
}

static void test_default_is_the_first_layer(void **state)
{
	struct ol_settings s;
	struct ol_request req;
	struct ol_error err = { 0 };
	uint32_t off = 0;
	char msg[512];

	(void) state;
	load_ok("{\"default\":{\"ruleset\":[{\"scoped\":[\"signal\"]}]}}", &s);
	/* A container without keys gets the default alone. */
	assert_int_equal(request("{\"annotations\":{}}", NULL, &s, &req, &err), 0);
	assert_true(req.applies);
	assert_int_equal(req.options.n, 3);
	assert_string_equal(req.options.v[0], "--host-layer=default policy");
	assert_string_equal(req.options.v[1], "--policy");
	assert_string_equal(req.options.v[2], s.default_text);
	assert_int_equal(req.compiled.n_layers, 1);
	assert_string_equal(req.compiled.layers[0].source, "default policy");
	assert_int_equal(req.compiled.enforce.mode, OL_MODE_STRICT);
	ol_request_free(&req);
	/* With keys: the default first, in the layers and the options. */
	assert_int_equal(request("{\"annotations\":{\"oci.landlock.fs.ro\":\"/\","
				 "\"oci.landlock.mode\":\"strict\"}}",
				 NULL, &s, &req, &err),
			 0);
	assert_int_equal(req.compiled.n_layers, 2);
	assert_string_equal(req.compiled.layers[0].source, "default policy");
	assert_string_equal(req.compiled.layers[1].source, "annotations");
	assert_string_equal(req.options.v[0], "--host-layer=default policy");
	assert_string_equal(req.options.v[3], "--mode");
	assert_string_equal(req.options.v[5], "--layer=annotations");
	assert_string_equal(req.options.v[6], "--fs-ro");
	ol_request_free(&req);
	/* Keys that give no policy are enough: the host gives one. */
	assert_int_equal(
		request("{\"annotations\":{\"oci.landlock.log\":\"off\"}}", NULL, &s, &req, &err),
		0);
	assert_int_equal(req.compiled.n_layers, 1);
	assert_int_equal(ol_parse_log("off", &off, &err), 0);
	assert_int_equal(req.compiled.enforce.log_flags, off);
	assert_true(off != OL_LOG_DEFAULT);
	ol_request_free(&req);
	/* Strict default: an annotation may not make it best-effort. */
	snprintf(msg, sizeof(msg),
		 "annotation 'oci.landlock.mode' asks for best-effort, but the settings '%s' "
		 "enforce their default policy strictly",
		 settings_file);
	request_fails("{\"annotations\":{\"oci.landlock.mode\":\"best-effort\","
		      "\"oci.landlock.fs.ro\":\"/\"}}",
		      NULL, &s, msg);
	ol_settings_free(&s);
}

static void test_default_in_best_effort(void **state)
{
	struct ol_settings s;
	struct ol_request req;
	struct ol_error err = { 0 };

	(void) state;
	load_ok("{\"default\":{\"ruleset\":[{\"scoped\":[\"signal\"]}]},\"mode\":\"best-effort\"}",
		&s);
	assert_int_equal(request("{}", NULL, &s, &req, &err), 0);
	assert_string_equal(req.options.v[0], "--mode");
	assert_string_equal(req.options.v[1], "best-effort");
	assert_string_equal(req.options.v[2], "--host-layer=default policy");
	assert_int_equal(req.compiled.enforce.mode, OL_MODE_BEST_EFFORT);
	ol_request_free(&req);
	/* The container may be stricter than the host. */
	assert_int_equal(request("{\"annotations\":{\"oci.landlock.mode\":\"strict\"}}", NULL, &s,
				 &req, &err),
			 0);
	assert_int_equal(req.compiled.enforce.mode, OL_MODE_STRICT);
	assert_string_equal(req.options.v[0], "--host-layer=default policy");
	assert_string_equal(req.options.v[3], "--mode");
	assert_string_equal(req.options.v[4], "strict");
	ol_request_free(&req);
	ol_settings_free(&s);
}

static void test_sandbox_container_is_exempt(void **state)
{
	const char *settings[] = { "{\"default\":{\"ruleset\":[{\"scoped\":[\"signal\"]}]}}",
				   "{\"require\":true}" };
	struct ol_settings s;
	struct ol_request req;
	struct ol_error err = { 0 };

	(void) state;
	for (size_t i = 0; i < 2; i++) {
		load_ok(settings[i], &s);
		/* The engine proves it: its sandbox id is this container. */
		assert_int_equal(
			request("{\"annotations\":{" CRI_SANDBOX "}}", "pod1", &s, &req, &err), 0);
		assert_false(req.applies);
		assert_true(req.ann.sandbox);
		assert_int_equal(req.options.n, 0);
		ol_request_free(&req);
		/* A claim the id does not back is no exemption. */
		if (i == 0) {
			assert_int_equal(request("{\"annotations\":{" CRI_SANDBOX "}}", "app1", &s,
						 &req, &err),
					 0);
			assert_true(req.applies);
			assert_string_equal(req.ann.warnings.v[0],
					    "annotation io.kubernetes.cri.container-type says "
					    "'sandbox', but io.kubernetes.cri.sandbox-id does not "
					    "name this container: its oci.landlock. keys apply");
			ol_request_free(&req);
		}
		ol_settings_free(&s);
	}
}

static void test_require_and_learning(void **state)
{
	struct ol_settings s;
	struct ol_request req;
	struct ol_error err = { 0 };
	char msg[512];

	(void) state;
	load_ok("{\"require\":true}", &s);
	snprintf(msg, sizeof(msg),
		 "the container asks for no Landlock policy, and the settings '%s' require one "
		 "(\"require\": true)",
		 settings_file);
	request_fails("{\"annotations\":{\"io.kubernetes.cri.container-name\":\"web\"}}", "app1",
		      &s, msg);
	/* So does a container whose keys are all for another one. */
	request_fails("{\"annotations\":{\"io.kubernetes.cri.container-name\":\"web\","
		      "\"oci.landlock.fs.ro/worker\":\"/\"}}",
		      "app1", &s, msg);
	snprintf(msg, sizeof(msg),
		 "annotation 'oci.landlock.learn' asks for learning mode, which runs the "
		 "container unconfined, and the settings '%s' require a policy",
		 settings_file);
	request_fails("{\"annotations\":{\"oci.landlock.learn\":\"/out/r.json\"}}", NULL, &s, msg);
	assert_int_equal(
		request("{\"annotations\":{\"oci.landlock.scope\":\"all\"}}", NULL, &s, &req, &err),
		0);
	assert_true(req.applies);
	ol_request_free(&req);
	ol_settings_free(&s);
	/* Learning where the host allows it: alone, without the default. */
	load_ok("{\"default\":{\"ruleset\":[{\"scoped\":[\"signal\"]}]},\"learning\":true}", &s);
	assert_int_equal(request("{\"annotations\":{\"oci.landlock.learn\":\"/out/r.json\"}}", NULL,
				 &s, &req, &err),
			 0);
	assert_int_equal(req.compiled.n_layers, 0);
	/* Not on a volume: the launcher warns at the start. */
	assert_int_equal(req.options.n, 4);
	assert_string_equal(req.options.v[0], "--learn");
	assert_string_equal(req.options.v[2], "--warning");
	assert_string_equal(req.options.v[3],
			    "the recording '/out/r.json' (annotation 'oci.landlock.learn') is on "
			    "the container's own file system, lost when the container is removed: "
			    "put it on a volume (podman run -v /srv/learn:/learn, then "
			    "oci.landlock.learn=/learn/rec.json)");
	ol_request_free(&req);
	assert_int_equal(request("{\"annotations\":{\"oci.landlock.learn\":\"/out/r.json\"},"
				 "\"mounts\":[{\"destination\":\"/out\",\"type\":\"tmpfs\"},"
				 "{\"destination\":\"/\",\"type\":\"bind\"},"
				 "{\"destination\":\"/outside\",\"type\":\"bind\"}]}",
				 NULL, &s, &req, &err),
			 0);
	assert_int_equal(req.options.n, 4);
	assert_string_equal(req.options.v[3],
			    "the recording '/out/r.json' (annotation 'oci.landlock.learn') is on a "
			    "tmpfs mount at '/out', lost when the container stops: put it on a "
			    "volume (podman run -v /srv/learn:/learn, then "
			    "oci.landlock.learn=/learn/rec.json)");
	ol_request_free(&req);
	/* A volume (a bind mount, as engines write them): no warning. */
	assert_int_equal(request("{\"annotations\":{\"oci.landlock.learn\":\"/out/r.json\"},"
				 "\"mounts\":[{\"destination\":\"/out/\",\"type\":\"none\","
				 "\"options\":[\"rbind\",\"rw\"]}]}",
				 NULL, &s, &req, &err),
			 0);
	assert_int_equal(req.options.n, 2);
	assert_string_equal(req.options.v[1], "/out/r.json");
	ol_request_free(&req);
	ol_settings_free(&s);
	/* No host decision: nothing for a bare container, as before. */
	load_ok("{}", &s);
	assert_int_equal(request("{\"annotations\":{}}", NULL, &s, &req, &err), 0);
	assert_false(req.applies);
	ol_request_free(&req);
	ol_settings_free(&s);
	unlink(settings_file);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_policy_keys),
	cmocka_unit_test(test_policy_key_errors),
	cmocka_unit_test(test_default_is_the_first_layer),
	cmocka_unit_test(test_default_in_best_effort),
	cmocka_unit_test(test_sandbox_container_is_exempt),
	cmocka_unit_test(test_require_and_learning),
};

OL_UNIT_MAIN(tests)
