/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the host side: the precreate rewrite on real configs
 * (runc spec, crun spec, podman's own),
 * idempotence, the createRuntime gate and the atomic bundle rewrite.
 * Real configs come from OL_TEST_DATA.
 */
#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "host/hook.h"
#include "oci/config.h"

/* The launcher (and the gate's command) must exist: any executable does. */
#define LAUNCHER "/bin/true"

/* The container's own /dev, where the launcher goes. */
#define DEV "{\"destination\":\"/dev\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}"

static const struct ol_settings settings = {
	.launcher = (char *) LAUNCHER,
	.profiles = (char *) "/nonexistent-profiles",
	.cli = (char *) LAUNCHER,
};

/* ---- precreate --------------------------------------------------------- */

static char *fixture(const char *name, size_t *len)
{
	const char *dir = getenv("OL_TEST_DATA");
	struct ol_error err = { 0 };
	cleanup_free char *path = NULL;
	char *text = NULL;

	assert_non_null(dir);
	assert_true(asprintf(&path, "%s/%s", dir, name) > 0);
	if (ol_read_file(path, 1 << 20, &text, len, &err) < 0)
		fail_msg("%s", err.msg);
	return text;
}

static struct ol_json *parse(const char *text, size_t len)
{
	struct ol_error err = { 0 };
	struct ol_json *j = NULL;

	if (ol_json_parse(text, len, &ol_json_config_limits, &j, &err) < 0)
		fail_msg("%s", err.msg);
	return j;
}

static char *emit(const struct ol_json *j)
{
	struct ol_error err = { 0 };
	char *out = NULL;

	assert_int_equal(ol_json_emit(j, OL_JSON_COMPACT, &out, NULL, &err), 0);
	return out;
}

static char *precreate(const char *in, size_t len, size_t *out_len)
{
	struct ol_error err = { 0 };
	char *out = NULL;

	if (ol_hook_precreate(in, len, &settings, &out, out_len, &err) < 0)
		fail_msg("precreate: %s", err.msg);
	return out;
}

/* A fixture with annotations set (and a few hard values added). */
static char *annotated(const char *name, const char *key, const char *value, size_t *len)
{
	cleanup_free char *text = fixture(name, len);
	cleanup_json struct ol_json *j = parse(text, *len);
	struct ol_json *ann = ol_json_get(j, "annotations");
	char *out;

	if (!ann) {
		assert_int_equal(ol_json_object_set(j, "annotations", ol_json_new(OL_JSON_OBJECT)),
				 0);
		ann = ol_json_get(j, "annotations");
	}
	assert_int_equal(ol_json_object_set(ann, key, ol_json_new_string(value)), 0);
	assert_int_equal(ol_json_object_set(ann, "x-unicode",
					    ol_json_new_string("h\xc3\xa9llo \xe2\x9c\x93")),
			 0);
	cleanup_json struct ol_json *big = parse("18446744073709551615", 20);
	assert_int_equal(ol_json_object_set(j, "x-big", steal_pointer(&big)), 0);
	out = emit(j);
	*len = strlen(out);
	return out;
}

static void test_precreate_passes_through_without_annotations(void **state)
{
	(void) state;
	static const char *const names[] = { "runc-spec.json", "crun-spec.json" };

	for (size_t i = 0; i < OL_ARRAY_SIZE(names); i++) {
		size_t len, out_len;
		cleanup_free char *in = fixture(names[i], &len);
		cleanup_free char *out = precreate(in, len, &out_len);
		/* Byte for byte, pretty printing and all. */
		assert_int_equal(out_len, len);
		assert_memory_equal(out, in, len);
	}
}

/* Two trees are equal: same types, same number text, same member order. */
static bool same(const struct ol_json *a, const struct ol_json *b)
{
	cleanup_free char *x = emit(a);
	cleanup_free char *y = emit(b);

	return strcmp(x, y) == 0;
}

static void check_injection(const char *name)
{
	size_t len, out_len;
	cleanup_free char *in = annotated(name, "oci.landlock.fs.rx", "/bin", &len);
	cleanup_free char *out = precreate(in, len, &out_len);
	cleanup_json struct ol_json *before = parse(in, len);
	cleanup_json struct ol_json *after = parse(out, out_len);
	const struct ol_json *args = ol_json_get(ol_json_get(after, "process"), "args");
	const struct ol_json *old_args = ol_json_get(ol_json_get(before, "process"), "args");
	static const char *const opts[] = { OL_LAUNCHER_IN_CONTAINER, "--layer=annotations",
					    "--fs-rx", "/bin", "--" };

	/* process.args: the launcher, its options, then the original command. */
	assert_int_equal(args->u.arr.len, OL_ARRAY_SIZE(opts) + old_args->u.arr.len);
	for (size_t i = 0; i < OL_ARRAY_SIZE(opts); i++)
		assert_string_equal(ol_json_cstr(args->u.arr.items[i]), opts[i]);
	for (size_t i = 0; i < old_args->u.arr.len; i++)
		assert_true(
			same(args->u.arr.items[OL_ARRAY_SIZE(opts) + i], old_args->u.arr.items[i]));

	/* Everything else is what it was, member for member, in order. */
	assert_int_equal(after->u.obj.len,
			 before->u.obj.len + (ol_json_get(before, "mounts") ? 0 : 1));
	for (size_t i = 0; i < before->u.obj.len; i++) {
		const struct ol_json_member *m = &before->u.obj.items[i];
		const struct ol_json *v = ol_json_get(after, m->key);
		assert_string_equal(after->u.obj.items[i].key, m->key);
		if (strcmp(m->key, "process") == 0) {
			/* noNewPrivileges says what the launcher does anyway. */
			assert_int_equal(ol_json_get(v, "noNewPrivileges")->type, OL_JSON_TRUE);
			assert_int_equal(v->u.obj.len,
					 m->value->u.obj.len +
						 !ol_json_get(m->value, "noNewPrivileges"));
			for (size_t k = 0; k < m->value->u.obj.len; k++) {
				const struct ol_json_member *p = &m->value->u.obj.items[k];
				assert_string_equal(v->u.obj.items[k].key, p->key);
				if (strcmp(p->key, "args") != 0 &&
				    strcmp(p->key, "noNewPrivileges") != 0)
					assert_true(same(v->u.obj.items[k].value, p->value));
			}
		} else if (strcmp(m->key, "mounts") == 0) {
			assert_int_equal(v->u.arr.len, m->value->u.arr.len + 1);
			for (size_t k = 0; k < m->value->u.arr.len; k++)
				assert_true(same(v->u.arr.items[k], m->value->u.arr.items[k]));
		} else {
			assert_true(same(v, m->value));
		}
	}
	/* The launcher's mount: read-only, nosuid, nodev, from the host path. */
	const struct ol_json *mounts = ol_json_get(after, "mounts");
	cleanup_free char *mount = emit(mounts->u.arr.items[mounts->u.arr.len - 1]);
	assert_string_equal(mount,
			    "{\"destination\":\"" OL_LAUNCHER_IN_CONTAINER "\",\"type\":\"bind\","
			    "\"source\":\"" LAUNCHER "\",\"options\":[\"bind\",\"ro\","
			    "\"nosuid\",\"nodev\"]}");
	assert_non_null(strstr(out, "\"x-big\":18446744073709551615"));
	assert_non_null(strstr(out, "h\xc3\xa9llo \xe2\x9c\x93"));
}

/* The number tokens of a JSON text, in order, as written. */
static void number_tokens(const char *s, struct ol_strv *out)
{
	bool in_string = false;

	for (const char *p = s; *p; p++) {
		if (in_string) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_string = false;
		} else if (*p == '"') {
			in_string = true;
		} else if (*p == '-' || (*p >= '0' && *p <= '9')) {
			size_t n = strspn(p, "-+.eE0123456789");
			assert_int_equal(ol_strv_pushf(out, "%.*s", (int) n, p), 0);
			p += n - 1;
		}
	}
}

static void test_precreate_keeps_everything_else(void **state)
{
	(void) state;
	static const char *const names[] = { "runc-spec.json", "crun-spec.json",
					     "podman-precreate.json" };

	for (size_t i = 0; i < OL_ARRAY_SIZE(names); i++) {
		check_injection(names[i]);
		/* Every number of the original bytes, as written, in order (the
		 * check above compares trees that went through our own parser). */
		size_t len, out_len;
		cleanup_free char *raw = fixture(names[i], &len);
		cleanup_free char *in = annotated(names[i], "oci.landlock.fs.rx", "/bin", &len);
		cleanup_free char *out = precreate(in, len, &out_len);
		cleanup_strv struct ol_strv want = { 0 };
		cleanup_strv struct ol_strv got = { 0 };
		number_tokens(raw, &want);
		number_tokens(out, &got);
		assert_true(want.n > 0);
		/* The annotated copy adds 18446744073709551615 at the end. */
		assert_int_equal(got.n, want.n + 1);
		for (size_t k = 0; k < want.n; k++)
			assert_string_equal(got.v[k], want.v[k]);
	}
}

static void test_precreate_is_idempotent(void **state)
{
	(void) state;
	size_t len, once_len, twice_len;
	cleanup_free char *in = annotated("podman-precreate.json", "oci.landlock.fs.ro", "/", &len);
	cleanup_free char *once = precreate(in, len, &once_len);
	cleanup_free char *twice = precreate(once, once_len, &twice_len);

	assert_int_equal(once_len, twice_len);
	assert_memory_equal(once, twice, once_len);
	assert_non_null(strstr(once, "\"args\":[\"" OL_LAUNCHER_IN_CONTAINER "\""));
}

static void test_precreate_policy_error_reaches_the_launcher(void **state)
{
	(void) state;
	size_t len, out_len;
	cleanup_free char *in = annotated("runc-spec.json", "oci.landlock.fs.r0", "/", &len);
	cleanup_free char *out = precreate(in, len, &out_len);
	cleanup_json struct ol_json *j = parse(out, out_len);
	const struct ol_json *args = ol_json_get(ol_json_get(j, "process"), "args");

	/* Injected anyway, with --error: the launcher refuses and says why. */
	assert_string_equal(ol_json_cstr(args->u.arr.items[0]), OL_LAUNCHER_IN_CONTAINER);
	assert_string_equal(ol_json_cstr(args->u.arr.items[1]), "--error");
	assert_string_equal(
		ol_json_cstr(args->u.arr.items[2]),
		"unknown annotation 'oci.landlock.fs.r0' (did you mean "
		"'oci.landlock.fs.ro'?)\nHint: the keys under oci.landlock. are: profile, "
		"policy, policy-file, fs.ro, fs.rx, fs.rw, fs.rwx, fs.unix, net.bind, "
		"net.connect, net.udp.bind, net.udp.connect, scope, quiet.fs, quiet.net, "
		"quiet.scope, mode, log, net.socket, confirm, learn (each also as "
		"KEY/CONTAINER)");
	assert_string_equal(ol_json_cstr(args->u.arr.items[3]), "--");
}

static void test_precreate_refuses_what_is_not_a_config(void **state)
{
	(void) state;
	static const char *const bad[] = { "[]", "{", "", "{\"a\":1,\"a\":2}" };
	static const char *const msgs[] = {
		"the config on stdin: top level: expected an object, found array",
		"the config on stdin: invalid JSON at the end of the document: parse error: "
		"premature EOF",
		"the config on stdin: invalid JSON at the end of the document: parse error: "
		"premature EOF",
		"the config on stdin: top level: duplicate key \"a\"",
	};
	for (size_t i = 0; i < OL_ARRAY_SIZE(bad); i++) {
		struct ol_error err = { 0 };
		char *out = NULL;
		size_t out_len;
		assert_true(ol_hook_precreate(bad[i], strlen(bad[i]), &settings, &out, &out_len,
					      &err) < 0);
		assert_null(out);
		assert_string_equal(err.msg, msgs[i]);
	}
	/* Annotations but no process.args: nothing to wrap, so it fails. */
	const char *no_args = "{\"annotations\":{\"oci.landlock.fs.ro\":\"/\"}}";
	struct ol_error err = { 0 };
	char *out = NULL;
	size_t out_len;
	assert_true(ol_hook_precreate(no_args, strlen(no_args), &settings, &out, &out_len, &err) <
		    0);
	assert_string_equal(err.msg, "the config on stdin: process: missing, or not an object");
}

/* No launcher on the host: nothing could carry an error into the
 * container, so precreate itself refuses, naming the setting. */
static void test_precreate_without_a_launcher(void **state)
{
	(void) state;
	const struct ol_settings missing = { .launcher = (char *) "/nonexistent/oci-landlock-exec",
					     .profiles = (char *) "/nonexistent-profiles",
					     .file = (char *) "/etc/ol.json" };
	const struct ol_settings not_exec = { .launcher = (char *) "/etc/passwd",
					      .profiles = (char *) "/nonexistent-profiles" };
	const char *asks = "{\"process\":{\"args\":[\"sh\"]},\"annotations\":"
			   "{\"oci.landlock.fs.ro\":\"/\"}}";
	const char *plain = "{\"process\":{\"args\":[\"sh\"]}}";
	struct ol_error err = { 0 };
	cleanup_free char *out = NULL;
	size_t len;

	assert_int_equal(ol_hook_precreate(asks, strlen(asks), &missing, &out, &len, &err),
			 -ENOENT);
	assert_string_equal(err.msg,
			    "the launcher '/nonexistent/oci-landlock-exec' cannot be used: "
			    "No such file or directory");
	assert_string_equal(err.hint, "install oci-landlock-exec there, or set \"launcher\" in "
				      "/etc/ol.json");
	assert_int_equal(ol_hook_precreate(asks, strlen(asks), &not_exec, &out, &len, &err),
			 -EACCES);
	assert_string_equal(err.msg, "the launcher '/etc/passwd' is not an executable file");
	/* Containers that do not ask for Landlock do not need it. */
	assert_int_equal(ol_hook_precreate(plain, strlen(plain), &missing, &out, &len, &err), 0);
	assert_memory_equal(out, plain, strlen(plain));
}

/* ---- the gate and the bundle rewrite ---------------------------------- */

static char *make_bundle(const char *config)
{
	char *dir = strdup("/tmp/ol-bundle-XXXXXX");
	cleanup_free char *path = NULL;
	FILE *f;

	assert_non_null(mkdtemp(dir));
	assert_true(asprintf(&path, "%s/config.json", dir) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(config, f);
	fclose(f);
	assert_int_equal(chmod(path, 0640), 0);
	return dir;
}

/* What the gate sees without a container's process: nothing. */
static struct ol_gate_view no_process = {
	.proc_root = -1,
	.failed = { .code = ESRCH, .msg = "the hook state names no process" },
};

static int gate(const char *dir, struct ol_error *err)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	cleanup_free char *state = NULL;

	assert_true(asprintf(&state,
			     "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":"
			     "\"creating\",\"pid\":0,\"root\":\"/run/crun\",\"bundle\":\"%s\"}",
			     dir) > 0);
	/* No process: the runtime's mounts are checked in real containers
	 * (containers.launcher). */
	struct ol_gate_outcome out = { 0 };
	int r = ol_hook_gate(state, strlen(state), &settings, NULL, &no_process, &out, &warnings,
			     err);
	ol_strv_free(&out.guard);
	return r;
}

#define NO_PROCESS "container c1: the launcher could be swapped: the hook state names no process"

static void test_gate(void **state)
{
	(void) state;
	const char *plain = "{\"process\":{\"args\":[\"sh\"]},\"annotations\":{\"a\":\"b\"}}";
	/* Best effort, so that the kernel (or valgrind, which lacks the
	 * Landlock calls) plays no part in what is tested here. */
	const char *asks = "{\"process\":{\"args\":[\"sh\"]},\"mounts\":[" DEV "],"
			   "\"annotations\":{\"oci.landlock.mode\":\"best-effort\","
			   "\"oci.landlock.fs.ro\":\"/\"}}";
	struct ol_error err = { 0 };
	char *dir;

	/* No Landlock annotation: nothing to check. */
	dir = make_bundle(plain);
	assert_int_equal(gate(dir, &err), 0);
	remove_tree(dir);

	/* Annotations, but nobody injected the launcher: refused. */
	dir = make_bundle(asks);
	assert_int_equal(gate(dir, &err), -EPERM);
	assert_string_equal(err.msg, "container c1: the container has Landlock annotations, but it "
				     "would run unconfined: the command does not start with the "
				     "launcher (" OL_LAUNCHER_IN_CONTAINER ")");
	remove_tree(dir);

	/* Injected: the config is right; then the runtime's mounts are
	 * looked at, which takes the container's process.  Edited
	 * afterwards: refused. */
	size_t len;
	cleanup_free char *injected = precreate(asks, strlen(asks), &len);
	dir = make_bundle(injected);
	assert_int_equal(gate(dir, &err), -ESRCH);
	assert_string_equal(err.msg, NO_PROCESS);
	remove_tree(dir);

	/* The bundle the confined parser found must be the state's. */
	cleanup_strv struct ol_strv w = { 0 };
	struct ol_gate_outcome exec = { 0 };
	const char *st = "{\"ociVersion\":\"1.0.2\",\"id\":\"c1\",\"status\":\"creating\","
			 "\"bundle\":\"/b\"}";
	assert_int_equal(
		ol_hook_gate(st, strlen(st), &settings, "/a", &no_process, &exec, &w, &err), -EIO);
	assert_string_equal(err.msg, "container c1: the state on stdin names the bundle '/b', "
				     "not '/a'");
	cleanup_json struct ol_json *j = parse(injected, len);
	struct ol_json *ann = ol_json_get(j, "annotations");
	assert_int_equal(ol_json_object_set(ann, "oci.landlock.fs.ro", ol_json_new_string("/usr")),
			 0);
	cleanup_free char *edited = emit(j);
	dir = make_bundle(edited);
	assert_int_equal(gate(dir, &err), -EINVAL);
	assert_string_equal(err.msg,
			    "container c1: the launcher options in process.args do not "
			    "match the annotations: argument 5 is '/', the annotations ask for "
			    "'/usr'");
	remove_tree(dir);

	/* Bad state. */
	assert_true(ol_hook_gate("{\"bundle\":\"rel\"}", 16, &settings, NULL, &no_process, &exec,
				 &w, &err) < 0);
	assert_string_equal(err.msg, "the state on stdin: bundle: expected an absolute path");
}

/*
 * A first argument naming the launcher proves nothing: the image, or a
 * user's mount, could put any program at that path.  Only the exact
 * read-only bind mount of the host's launcher, last over that path, counts.
 */
static void test_launcher_path_alone_is_not_injection(void **state)
{
	(void) state;
	const char *head = "{\"process\":{\"args\":[\"" OL_LAUNCHER_IN_CONTAINER "\","
			   "\"--mode\",\"best-effort\",\"--layer=annotations\",\"--fs-ro\",\"/\","
			   "\"--\",\"sh\"]},\"annotations\":{\"oci.landlock.mode\":\"best-effort\","
			   "\"oci.landlock.fs.ro\":\"/\"},\"mounts\":[";
	static const struct {
		const char *mounts, *why, *no_dev;
	} cases[] = {
		{ "{\"destination\":\"/tmp\",\"type\":\"tmpfs\"}",
		  "no mount puts the launcher at " OL_LAUNCHER_IN_CONTAINER,
		  "no mount gives the container a /dev of its own (a tmpfs at /dev), where the "
		  "launcher goes" },
		/* Our mount, but on a /dev that is a host directory. */
		{ DEV ",{\"destination\":\"/dev\",\"type\":\"bind\",\"source\":\"/dev\"},"
		      "{\"destination\":\"" OL_LAUNCHER_IN_CONTAINER "\",\"type\":\"bind\","
		      "\"source\":\"" LAUNCHER
		      "\",\"options\":[\"bind\",\"ro\",\"nosuid\",\"nodev\"]}",
		  "the launcher's mount at " OL_LAUNCHER_IN_CONTAINER " is not on the container's "
		  "own /dev (the tmpfs mount at /dev before it)",
		  "mounts[1] ('/dev', type 'bind') decides what is at "
		  "/dev, and it is not a tmpfs of the container's own: the launcher cannot be put "
		  "where no one else can reach it" },
		{ DEV
		  ",{\"destination\":\"" OL_LAUNCHER_IN_CONTAINER "\",\"type\":\"bind\","
		  "\"source\":\"/tmp/fake\",\"options\":[\"bind\",\"ro\",\"nosuid\",\"nodev\"]}",
		  "the last mount at " OL_LAUNCHER_IN_CONTAINER " is not the read-only, nosuid, "
		  "nodev bind mount of the launcher " LAUNCHER,
		  NULL },
		{ DEV ",{\"destination\":\"" OL_LAUNCHER_IN_CONTAINER "\",\"type\":\"bind\","
		      "\"source\":\"" LAUNCHER "\",\"options\":[\"bind\",\"nosuid\",\"nodev\"]}",
		  "the last mount at " OL_LAUNCHER_IN_CONTAINER " is not the read-only, nosuid, "
		  "nodev bind mount of the launcher " LAUNCHER,
		  NULL },
		/* Our mount, then a tmpfs over /dev (spelled "/dev/./") hides it. */
		{ DEV ",{\"destination\":\"" OL_LAUNCHER_IN_CONTAINER "\",\"type\":\"bind\","
		      "\"source\":\"" LAUNCHER
		      "\",\"options\":[\"bind\",\"ro\",\"nosuid\",\"nodev\"]},"
		      "{\"destination\":\"/dev/./\",\"type\":\"tmpfs\",\"source\":\"tmpfs\"}",
		  "the last mount at " OL_LAUNCHER_IN_CONTAINER " is not the read-only, nosuid, "
		  "nodev bind mount of the launcher " LAUNCHER,
		  NULL },
		{ DEV ",{\"destination\":\"" OL_LAUNCHER_IN_CONTAINER "\",\"type\":\"bind\","
		      "\"source\":\"" LAUNCHER
		      "\",\"options\":[\"bind\",\"ro\",\"nosuid\",\"nodev\"]},"
		      "{\"destination\":\"/dev/x/../oci-landlock-exec\",\"type\":\"bind\","
		      "\"source\":\"/tmp/fake\"}",
		  "the last mount at " OL_LAUNCHER_IN_CONTAINER " is not the read-only, nosuid, "
		  "nodev bind mount of the launcher " LAUNCHER,
		  NULL },
	};

	for (size_t i = 0; i < OL_ARRAY_SIZE(cases); i++) {
		cleanup_free char *config = NULL;
		cleanup_strv struct ol_strv w = { 0 };
		struct ol_error err = { 0 };
		char want[512];
		bool changed;
		size_t len;

		assert_true(asprintf(&config, "%s%s]}", head, cases[i].mounts) > 0);
		/* The gate refuses, saying why. */
		char *dir = make_bundle(config);
		assert_int_equal(gate(dir, &err), -EPERM);
		snprintf(want, sizeof(want),
			 "container c1: the container has Landlock annotations, but it would "
			 "run unconfined: %s",
			 cases[i].why);
		assert_string_equal(err.msg, want);
		/* Without a /dev of its own, nothing can be injected safely. */
		if (cases[i].no_dev) {
			assert_int_equal(ol_hook_rewrite_bundle(dir, NULL, &settings, true, &w,
								&changed, NULL, &err),
					 -EPERM);
			snprintf(want, sizeof(want), "%s/config.json: %s", dir, cases[i].no_dev);
			assert_string_equal(err.msg, want);
			remove_tree(dir);
			continue;
		}
		/* The shim and inject wrap it again: their launcher runs first. */
		assert_int_equal(ol_hook_rewrite_bundle(dir, NULL, &settings, true, &w, &changed,
							NULL, &err),
				 0);
		assert_true(changed);
		assert_int_equal(gate(dir, &err), -ESRCH);
		assert_string_equal(err.msg, NO_PROCESS);
		remove_tree(dir);
		/* precreate too. */
		cleanup_free char *out = precreate(config, strlen(config), &len);
		cleanup_json struct ol_json *j = parse(out, len);
		const struct ol_json *args = ol_json_get(ol_json_get(j, "process"), "args");
		assert_int_equal(args->u.arr.len, 15);
		assert_string_equal(ol_json_cstr(args->u.arr.items[6]), "--");
		assert_string_equal(ol_json_cstr(args->u.arr.items[7]), OL_LAUNCHER_IN_CONTAINER);
	}
}

static void test_rewrite_bundle(void **state)
{
	(void) state;
	const char *asks = "{\"process\":{\"args\":[\"sh\"]},\"mounts\":[" DEV "],"
			   "\"annotations\":{\"oci.landlock.mode\":\"best-effort\","
			   "\"oci.landlock.fs.ro\":\"/\"}}";
	cleanup_strv struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	cleanup_free char *path = NULL;
	cleanup_free char *tmp = NULL;
	bool changed;
	struct stat st;
	char *dir = make_bundle(asks);

	assert_true(asprintf(&path, "%s/config.json", dir) > 0);
	assert_true(asprintf(&tmp, "%s/config.json.tmp", dir) > 0);
	assert_int_equal(chown(path, 1234, 5678), 0);
	/* A stale temporary file from a crash does not block the rewrite. */
	assert_int_equal(close(open(tmp, O_CREAT | O_WRONLY | O_CLOEXEC, 0600)), 0);
	assert_int_equal(
		ol_hook_rewrite_bundle(dir, NULL, &settings, true, &warnings, &changed, NULL, &err),
		0);
	assert_true(changed);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0640);
	assert_int_equal(st.st_uid, 1234);
	assert_int_equal(st.st_gid, 5678);
	assert_int_equal(access(tmp, F_OK), -1);
	/* A second time changes nothing. */
	assert_int_equal(
		ol_hook_rewrite_bundle(dir, NULL, &settings, true, &warnings, &changed, NULL, &err),
		0);
	assert_false(changed);
	/* config.json as a symlink is not followed. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(symlink("/etc/hostname", path), 0);
	assert_true(ol_hook_rewrite_bundle(dir, NULL, &settings, true, &warnings, &changed, NULL,
					   &err) < 0);
	assert_non_null(strstr(err.msg, "cannot open"));
	assert_non_null(strstr(err.msg, "Too many levels of symbolic links"));
	/* A FIFO is refused at once, not waited on. */
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_true(ol_hook_rewrite_bundle(dir, NULL, &settings, true, &warnings, &changed, NULL,
					   &err) < 0);
	assert_non_null(strstr(err.msg, "'config.json' is not a regular file"));
	remove_tree(dir);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_precreate_passes_through_without_annotations),
	cmocka_unit_test(test_precreate_keeps_everything_else),
	cmocka_unit_test(test_precreate_is_idempotent),
	cmocka_unit_test(test_precreate_policy_error_reaches_the_launcher),
	cmocka_unit_test(test_precreate_refuses_what_is_not_a_config),
	cmocka_unit_test(test_precreate_without_a_launcher),
	cmocka_unit_test(test_gate),
	cmocka_unit_test(test_launcher_path_alone_is_not_injection),
	cmocka_unit_test(test_rewrite_bundle),
};

OL_UNIT_MAIN(tests)
