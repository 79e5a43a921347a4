/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the precreate hook, config.json in, config.json out.  The
 * first byte picks the settings (launcher path, profile directory); the
 * rest is the config.  What must hold:
 *  - a refusal says why and writes no output;
 *  - the output parses, and running precreate on it again changes nothing;
 *  - a config with no oci.landlock.* annotation comes out byte for byte;
 *  - a config with a Landlock annotation that applies to it (or that is
 *    refused) comes out injected, so it never runs unconfined: the
 *    launcher mount last over its path, process.args = [launcher,
 *    options..., "--", the original args...], and the options are those
 *    the gate will ask for (or --error when the request was refused);
 *  - everything else in the config is kept as it was.
 * An input counts as accepted (for the replay's accept-/reject- seeds)
 * when the container would run: precreate succeeded and did not have to
 * pass the launcher an --error.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fuzz.h"
#include "common/cleanup.h"
#include "host/hook.h"
#include "host/request.h"
#include "oci/config.h"
#include "policy/keys.h"

bool ol_fuzz_accepted;

#define CRI_NAME  "io.kubernetes.cri.container-name"
#define CRIO_NAME "io.kubernetes.container.name"
#define CRI_TYPE  "io.kubernetes.cri.container-type"
#define CRIO_TYPE "io.kubernetes.cri-o.ContainerType"

static bool has_landlock_key(const struct ol_json *config)
{
	const struct ol_json *a = ol_config_annotations(config);

	for (size_t i = 0; a && i < a->u.obj.len; i++)
		if (strncmp(a->u.obj.items[i].key, "oci.landlock.", 13) == 0 ||
		    ol_key_near_miss(a->u.obj.items[i].key, a->u.obj.items[i].key_len))
			return true;
	return false;
}

static bool differ(const char *x, const char *y)
{
	return x && y && strcmp(x, y) != 0;
}

/*
 * Whether a Landlock annotation applies to this container, read without
 * the library's annotation code (but for what a near miss of the prefix
 * is): precreate knows no container id, so even a pod's sandbox container
 * gets its keys; a pod-wide key, a key for this container, or anything the
 * hook must refuse (two container types or names that disagree, a key
 * with a NUL byte, a per-container key on a container without a name, a
 * near miss of the prefix).
 */
static bool asks_for_landlock(const struct ol_json *config)
{
	const struct ol_json *a = ol_config_annotations(config);
	const size_t plen = strlen("oci.landlock.");
	const char *cri = ol_json_cstr(ol_json_get(a, CRI_NAME));
	const char *crio = ol_json_cstr(ol_json_get(a, CRIO_NAME));
	const char *cri_type = ol_json_cstr(ol_json_get(a, CRI_TYPE));
	const char *crio_type = ol_json_cstr(ol_json_get(a, CRIO_TYPE));
	const char *name = cri ? cri : crio;

	if (!has_landlock_key(config))
		return false;
	if (differ(cri_type, crio_type) || differ(cri, crio))
		return true;
	for (size_t i = 0; i < a->u.obj.len; i++) {
		const char *key = a->u.obj.items[i].key;
		const char *slash;

		if (ol_key_near_miss(key, a->u.obj.items[i].key_len))
			return true;
		if (a->u.obj.items[i].key_len < plen || memcmp(key, "oci.landlock.", plen) != 0)
			continue;
		if (strlen(key) != a->u.obj.items[i].key_len)
			return true;
		slash = strchr(key + plen, '/');
		if (!slash || !name || strcmp(slash + 1, name) == 0)
			return true;
	}
	return false;
}

static char *emit(const struct ol_json *j)
{
	struct ol_error err = { 0 };
	char *text = NULL;

	if (ol_json_emit(j, OL_JSON_COMPACT, &text, NULL, &err) < 0)
		abort();
	return text;
}

static bool same(const struct ol_json *a, const struct ol_json *b)
{
	cleanup_free char *x = emit(a);
	cleanup_free char *y = emit(b);

	return strcmp(x, y) == 0;
}

/* b starts with a's members, in order, with the same values but for two. */
static bool same_members(const struct ol_json *a, const struct ol_json *b, const char *except1,
			 const char *except2)
{
	/* b may have more members (process.noNewPrivileges, at the end). */
	if (a->u.obj.len > b->u.obj.len)
		return false;
	for (size_t i = 0; i < a->u.obj.len; i++) {
		const struct ol_json_member *x = &a->u.obj.items[i], *y = &b->u.obj.items[i];
		if (x->key_len != y->key_len || memcmp(x->key, y->key, x->key_len) != 0)
			return false;
		if (strcmp(x->key, except1) != 0 && strcmp(x->key, except2) != 0 &&
		    !same(x->value, y->value))
			return false;
	}
	return true;
}

/*
 * The checks of an output that precreate injected itself.  Returns false
 * when the launcher got --error (the container will not run).
 */
static bool check_injected(const struct ol_json *in, const struct ol_json *out,
			   const struct ol_settings *s)
{
	const struct ol_json *in_args = ol_json_get(ol_json_get(in, "process"), "args");
	const struct ol_json *args = ol_json_get(ol_json_get(out, "process"), "args");
	const struct ol_json *in_mounts = ol_json_get(in, "mounts");
	const struct ol_json *mounts = ol_json_get(out, "mounts");
	size_t n_in_mounts = in_mounts ? in_mounts->u.arr.len : 0;
	struct ol_error err = { 0 };
	struct ol_request req;
	bool refused;
	size_t skip;

	if (ol_config_check_injected(out, s->launcher, &err) < 0)
		abort();
	/* [launcher, options..., "--", the original args...] */
	if (args->u.arr.len < in_args->u.arr.len + 2)
		abort();
	skip = args->u.arr.len - in_args->u.arr.len;
	if (strcmp(ol_json_cstr(args->u.arr.items[skip - 1]), "--") != 0)
		abort();
	for (size_t i = 0; i < in_args->u.arr.len; i++)
		if (!same(in_args->u.arr.items[i], args->u.arr.items[skip + i]))
			abort();
	/* The gate asks for these very options; a refused request gets --error. */
	refused = ol_request_build(out, NULL, s, &req, &err) < 0;
	if (refused ? strcmp(ol_json_cstr(args->u.arr.items[1]), "--error") != 0
		    : !req.ann.present || ol_request_matches(&req, out, &err) < 0)
		abort();
	ol_request_free(&req);
	/* The rest as it was: other members, other process members, the
	 * mounts with one more at the end. */
	if (out->u.obj.len != in->u.obj.len + (in_mounts ? 0 : 1) ||
	    !same_members(in, out, "process", "mounts") ||
	    !same_members(ol_json_get(in, "process"), ol_json_get(out, "process"), "args",
			  "noNewPrivileges") ||
	    ol_json_get(ol_json_get(out, "process"), "noNewPrivileges")->type != OL_JSON_TRUE ||
	    mounts->u.arr.len != n_in_mounts + 1)
		abort();
	for (size_t i = 0; i < n_in_mounts; i++)
		if (!same(in_mounts->u.arr.items[i], mounts->u.arr.items[i]))
			abort();
	return !refused;
}

/*
 * An injected config whose launcher options are not what its annotations
 * ask for: its command is wrapped once more, with --error, and nothing
 * else changes.  Returns false: the container will not run.
 */
static bool check_rewrapped(const struct ol_json *in, const struct ol_json *out)
{
	const struct ol_json *in_args = ol_json_get(ol_json_get(in, "process"), "args");
	const struct ol_json *args = ol_json_get(ol_json_get(out, "process"), "args");

	if (args->u.arr.len != in_args->u.arr.len + 4 ||
	    strcmp(ol_json_cstr(args->u.arr.items[0]), OL_LAUNCHER_IN_CONTAINER) != 0 ||
	    strcmp(ol_json_cstr(args->u.arr.items[1]), "--error") != 0 ||
	    strcmp(ol_json_cstr(args->u.arr.items[3]), "--") != 0)
		abort();
	for (size_t i = 0; i < in_args->u.arr.len; i++)
		if (!same(in_args->u.arr.items[i], args->u.arr.items[4 + i]))
			abort();
	if (!same_members(in, out, "process", "") ||
	    !same_members(ol_json_get(in, "process"), ol_json_get(out, "process"), "args",
			  "noNewPrivileges"))
		abort();
	return false;
}

/*
 * precreate refuses a launcher that is not an executable file, so the
 * launchers are real: the fuzz program itself (the seeds' injected configs
 * name its path), one with quotes, a backslash, a space and UTF-8 in its
 * path, made once in a scratch directory, and one that is not there.
 */
#define ODD_NAME "o l/\"exec\"\\\xc3\xa9"
static char scratch[] = "/tmp/ol-fuzz-precreate-XXXXXX";
static char odd_launcher[PATH_MAX];

static void remove_scratch(void)
{
	char dir[PATH_MAX];

	snprintf(dir, sizeof(dir), "%s/o l", scratch);
	unlink(odd_launcher);
	rmdir(dir);
	rmdir(scratch);
}

static void make_odd_launcher(void)
{
	char dir[PATH_MAX];
	int fd;

	if (!mkdtemp(scratch))
		abort();
	snprintf(dir, sizeof(dir), "%s/o l", scratch);
	snprintf(odd_launcher, sizeof(odd_launcher), "%s/" ODD_NAME, scratch);
	if (mkdir(dir, 0700) < 0 ||
	    (fd = open(odd_launcher, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0700)) < 0)
		abort();
	close(fd);
	if (atexit(remove_scratch) != 0)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *const launchers[] = { "/proc/self/exe", odd_launcher,
					  "/nonexistent/oci-landlock-exec", "/proc/self/exe" };
	static const char *const profiles[] = { "/nonexistent-profiles", OL_FUZZ_PROFILE_DIR };
	struct ol_settings s = { 0 };
	struct ol_error err = { 0 }, ignored = { 0 };
	cleanup_json struct ol_json *in = NULL;
	cleanup_json struct ol_json *out = NULL;
	cleanup_free char *text = NULL;
	cleanup_free char *again = NULL;
	size_t len = 0, again_len = 0;
	const char *config;
	bool passthrough, was_injected;

	ol_fuzz_accepted = false;
	if (size < 1)
		return 0;
	if (!odd_launcher[0])
		make_odd_launcher();
	s.launcher = (char *) launchers[data[0] & 3];
	s.profiles = (char *) profiles[(data[0] >> 2) & 1];
	config = (const char *) data + 1;
	size--;

	if (ol_hook_precreate(config, size, &s, &text, &len, &err) < 0) {
		if (!err.msg[0] || text)
			abort();
		return 0;
	}
	ol_fuzz_accepted = true;
	if (ol_config_parse(config, size, &in, &err) < 0 ||
	    ol_config_parse(text, len, &out, &err) < 0)
		abort();
	if (ol_hook_precreate(text, len, &s, &again, &again_len, &err) < 0 || again_len != len ||
	    memcmp(again, text, len) != 0)
		abort();
	/* No Landlock key at all: byte for byte.  Already injected: byte for
	 * byte, or wrapped once more with --error.  A key that applies:
	 * injected.  Keys for other containers only: either. */
	was_injected = ol_config_check_injected(in, s.launcher, &ignored) == 0;
	passthrough = len == size && memcmp(text, config, size) == 0;
	if (was_injected) {
		if (!passthrough)
			ol_fuzz_accepted = check_rewrapped(in, out);
		return 0;
	}
	if ((!has_landlock_key(in) || data[0] % 4 == 2) && !passthrough)
		abort();
	if (asks_for_landlock(in) && passthrough)
		abort();
	if (!passthrough)
		ol_fuzz_accepted = check_injected(in, out, &s);
	return 0;
}
