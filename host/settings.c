/* SPDX-License-Identifier: Apache-2.0 */
/* Host settings file. */
#include "settings.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "oci/json.h"
#include "policy/annotations.h"
#include "policy/policy.h"

void ol_settings_free(struct ol_settings *s)
{
	free(s->runtime);
	free(s->launcher);
	free(s->profiles);
	free(s->file);
	free(s->cli);
	free(s->default_text);
	free(s->default_source);
	memset(s, 0, sizeof(*s));
}

static int read_key(const struct ol_json *root, const char *key, char **out, struct ol_error *err)
{
	const struct ol_json *v = ol_json_get(root, key);
	const char *s = ol_json_cstr(v);

	if (!v)
		return 0;
	if (!s || s[0] != '/')
		return ol_error_set(err, EINVAL, "\"%s\": expected an absolute path", key);
	free(*out);
	*out = strdup(s);
	return *out ? 0 : ol_error_oom(err);
}

static int read_bool(const struct ol_json *root, const char *key, bool *out, struct ol_error *err)
{
	const struct ol_json *v = ol_json_get(root, key);

	if (!v)
		return 0;
	if (v->type != OL_JSON_TRUE && v->type != OL_JSON_FALSE)
		return ol_error_set(err, EINVAL, "\"%s\": expected true or false", key);
	*out = v->type == OL_JSON_TRUE;
	return 0;
}

/* "default": a profile's name, or a landlockconfig policy; checked now. */
static int read_default(struct ol_settings *s, const struct ol_json *v, struct ol_error *err)
{
	struct ol_ruleset rs = { 0 };
	const char *name = ol_json_cstr(v);
	size_t len = 0;
	int r;

	if (name) {
		r = ol_profile_read(s->profiles, name, &s->default_text, err);
		if (r == 0 && asprintf(&s->default_source, "default profile '%s'", name) < 0)
			s->default_source = NULL;
	} else if (v->type == OL_JSON_OBJECT) {
		r = ol_json_emit(v, OL_JSON_COMPACT, &s->default_text, &len, err);
		if (r == 0)
			s->default_source = strdup("default policy");
	} else {
		return ol_error_set(err, EINVAL,
				    "\"default\": expected a profile's name or a "
				    "landlockconfig policy (an object)");
	}
	if (r == 0 && !s->default_source)
		r = ol_error_oom(err);
	if (r == 0 && ol_ruleset_init(&rs, s->default_source) < 0)
		r = ol_error_oom(err);
	if (r == 0)
		r = ol_landlockconfig_parse(s->default_text, strlen(s->default_text), &rs, err);
	/* Resolved in the container, from a working directory its creator
	 * chose: only absolute paths, as for annotations. */
	for (size_t i = 0; r == 0 && i < rs.n_paths; i++)
		if (rs.paths[i].path[0] != '/')
			r = ol_error_set(err, EINVAL, "'%s' is not an absolute path",
					 rs.paths[i].path);
	ol_ruleset_free(&rs);
	return r < 0 ? ol_error_prefix(err, "\"default\"") : 0;
}

static int read_policy_keys(struct ol_settings *s, const struct ol_json *root, struct ol_error *err)
{
	const struct ol_json *mode = ol_json_get(root, "mode");
	bool learning_set = ol_json_get(root, "learning") != NULL;
	int r = read_bool(root, "require", &s->require, err);

	if (r == 0)
		r = read_bool(root, "learning", &s->learning, err);
	if (r == 0 && mode && !ol_json_cstr(mode))
		r = ol_error_set(err, EINVAL, "\"mode\": expected strict or best-effort");
	else if (r == 0 && mode && ol_parse_mode(ol_json_cstr(mode), &s->mode, err) < 0)
		r = ol_error_prefix(err, "\"mode\"");
	if (r == 0 && ol_json_get(root, "default"))
		r = read_default(s, ol_json_get(root, "default"), err);
	/* Learning runs unconfined: where the host decides, only if it says so. */
	if (r == 0 && !learning_set)
		s->learning = !s->default_text && !s->require;
	return r;
}

static int parse(struct ol_settings *s, const char *text, size_t len, struct ol_error *err)
{
	static const char *const keys[] = { "runtime", "launcher", "profiles", "default",
					    "require", "mode",	   "learning" };
	cleanup_json struct ol_json *root = NULL;
	int r = ol_json_parse(text, len, &ol_json_policy_limits, &root, err);

	if (r < 0)
		return r;
	if (root->type != OL_JSON_OBJECT)
		return ol_error_set(err, EINVAL, "expected an object");
	for (size_t i = 0; i < root->u.obj.len; i++) {
		const char *key = root->u.obj.items[i].key;
		bool known = false;
		for (size_t k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			known |= strcmp(key, keys[k]) == 0;
		if (!known) {
			ol_error_set(err, EINVAL, "unknown key \"%s\"", key);
			return ol_error_hint(err, "the keys are runtime, launcher, profiles, "
						  "default, require, mode and learning");
		}
	}
	if ((r = read_key(root, "runtime", &s->runtime, err)) < 0 ||
	    (r = read_key(root, "launcher", &s->launcher, err)) < 0 ||
	    (r = read_key(root, "profiles", &s->profiles, err)) < 0)
		return r;
	return read_policy_keys(s, root, err);
}

/* The oci-landlock command in the directory of the running program. */
static int sibling_cli(char **out)
{
	char self[PATH_MAX];
	char *slash;

	*out = NULL;
	if (!realpath("/proc/self/exe", self) || !(slash = strrchr(self, '/')))
		return 0;
	*slash = '\0';
	return asprintf(out, "%s/oci-landlock", self) < 0 ? (*out = NULL, -ENOMEM) : 0;
}

int ol_settings_load(struct ol_settings *s, struct ol_error *err)
{
	const char *env = getenv(OL_CONFIG_ENV);

	return ol_settings_load_file(s, env && *env ? env : NULL, err);
}

int ol_settings_load_file(struct ol_settings *s, const char *file, struct ol_error *err)
{
	const char *path = file ? file : OL_CONFIG_FILE;
	cleanup_free char *text = NULL;
	size_t len;
	int r;

	memset(s, 0, sizeof(*s));
	s->mode = OL_MODE_STRICT;
	s->learning = true;
	s->launcher = strdup(OL_LAUNCHER_PATH);
	s->profiles = strdup(OL_PROFILE_DIR);
	if (!s->launcher || !s->profiles || sibling_cli(&s->cli) < 0)
		return ol_error_oom(err);
	r = ol_read_file(path, ol_json_policy_limits.max_bytes, &text, &len, err);
	/* No settings file is fine, unless one was named explicitly. */
	if (r == -ENOENT && !file)
		return 0;
	if (r < 0)
		return ol_error_prefix(err, "settings");
	s->file = strdup(path);
	if (!s->file)
		return ol_error_oom(err);
	r = parse(s, text, len, err);
	if (r < 0)
		return ol_error_prefix(err, "invalid settings '%s'", path);
	return 0;
}

int ol_settings_check_launcher(const struct ol_settings *s, struct ol_error *err)
{
	struct stat st;

	if (stat(s->launcher, &st) < 0)
		ol_error_errno(err, errno, "the launcher '%s' cannot be used", s->launcher);
	else if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		ol_error_set(err, EACCES, "the launcher '%s' is not an executable file",
			     s->launcher);
	else
		return 0;
	return ol_error_hint(err, "install oci-landlock-exec there, or set \"launcher\" in %s",
			     s->file ? s->file : OL_CONFIG_FILE);
}

int ol_settings_check_cli(const struct ol_settings *s, struct ol_error *err)
{
	struct stat st;

	if (s->cli && stat(s->cli, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111))
		return 0;
	ol_error_set(err, ENOENT, "no oci-landlock command at '%s', to run as the gate hook",
		     s->cli ? s->cli : "(unknown)");
	return ol_error_hint(err,
			     "install oci-landlock in the same directory as oci-landlock-runtime");
}

/* The first executable `name` in PATH that is not `self`. */
static char *find_in_path(const char *name, const char *self)
{
	const char *path = getenv("PATH");

	if (!path || !*path)
		path = OL_DEFAULT_PATH;
	for (const char *p = path;;) {
		const char *end = strchrnul(p, ':');
		cleanup_free char *file = NULL;
		char real[PATH_MAX];

		if (end != p && asprintf(&file, "%.*s/%s", (int) (end - p), p, name) > 0 &&
		    access(file, X_OK) == 0 && realpath(file, real) &&
		    (!self || strcmp(real, self) != 0))
			return strdup(real);
		if (!*end)
			return NULL;
		p = end + 1;
	}
}

int ol_settings_runtime(const struct ol_settings *s, const char *self, char **out,
			struct ol_error *err)
{
	if (s->runtime) {
		char real[PATH_MAX];
		if (access(s->runtime, X_OK) < 0 || !realpath(s->runtime, real))
			return ol_error_errno(err, errno, "runtime '%s' (from '%s')", s->runtime,
					      s->file ? s->file : "the settings");
		/* Naming the shim itself would exec it again and again. */
		if (self && strcmp(real, self) == 0) {
			ol_error_set(err, EINVAL, "runtime '%s' (from '%s') is this program itself",
				     s->runtime, s->file ? s->file : "the settings");
			return ol_error_hint(err, "name the real runtime, such as /usr/bin/crun or "
						  "/usr/sbin/runc");
		}
		*out = strdup(real);
		return *out ? 0 : ol_error_oom(err);
	}
	*out = find_in_path("runc", self);
	if (!*out)
		*out = find_in_path("crun", self);
	if (*out)
		return 0;
	ol_error_set(err, ENOENT, "no OCI runtime found: neither crun nor runc is in PATH");
	return ol_error_hint(err, "install crun or runc, or name the runtime in %s (\"runtime\")",
			     OL_CONFIG_FILE);
}
