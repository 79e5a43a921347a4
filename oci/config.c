/* SPDX-License-Identifier: Apache-2.0 */
/* Reading and editing config.json, and reading the hook state. */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "gokeys.h"

int ol_config_parse(const char *text, size_t len, struct ol_json **out, struct ol_error *err)
{
	struct ol_json *j = NULL;
	int r = ol_json_parse(text, len, &ol_json_config_limits, &j, err);

	if (r < 0)
		return r;
	if (j->type != OL_JSON_OBJECT)
		r = ol_error_set(err, EINVAL, "top level: expected an object, found %s",
				 ol_json_type_name(j->type));
	else
		r = ol_go_keys_check(j, err);
	if (r < 0) {
		ol_json_free(j);
		return r;
	}
	*out = j;
	return 0;
}

const struct ol_json *ol_config_annotations(const struct ol_json *config)
{
	const struct ol_json *a = ol_json_get(config, "annotations");

	return a && a->type == OL_JSON_OBJECT ? a : NULL;
}

static struct ol_json *process_args(const struct ol_json *config)
{
	struct ol_json *args = ol_json_get(ol_json_get(config, "process"), "args");

	return args && args->type == OL_JSON_ARRAY ? args : NULL;
}

/*
 * Clean a mount destination as runtimes do: "//" and "." are dropped, and
 * ".." goes up.  Returns false when the path cannot be cleaned safely.
 */
static bool clean_destination(const char *dest, char *out, size_t size)
{
	size_t o = 0;

	if (dest[0] != '/' || strlen(dest) >= size)
		return false;
	out[o++] = '/';
	for (const char *p = dest; *p;) {
		const char *end;
		size_t n;
		while (*p == '/')
			p++;
		end = strchrnul(p, '/');
		n = (size_t) (end - p);
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			/* Drop the last component and its separator. */
			while (o > 1 && out[o - 1] != '/')
				o--;
			if (o > 1)
				o--;
		} else if (n && !(n == 1 && p[0] == '.')) {
			if (out[o - 1] != '/')
				out[o++] = '/';
			memcpy(out + o, p, n);
			o += n;
		}
		p = end;
	}
	if (o > 1 && out[o - 1] == '/')
		o--;
	out[o] = '\0';
	return true;
}

/* Does a mount at dest cover path l (l itself or a directory above it)? */
static bool covers(const char *dest, const char *l)
{
	char clean[4096];
	size_t n;

	if (!dest || !clean_destination(dest, clean, sizeof(clean)))
		return true; /* unreadable: assume the worst */
	n = strlen(clean);
	return strcmp(clean, "/") == 0 ||
	       (strncmp(l, clean, n) == 0 && (l[n] == '\0' || l[n] == '/'));
}

static bool has_option(const struct ol_json *options, const char *want)
{
	for (size_t i = 0; options && options->type == OL_JSON_ARRAY && i < options->u.arr.len;
	     i++) {
		const char *o = ol_json_cstr(options->u.arr.items[i]);
		if (o && strcmp(o, want) == 0)
			return true;
	}
	return false;
}

bool ol_config_mount_is_bind(const struct ol_json *mount)
{
	const char *type = ol_json_cstr(ol_json_get(mount, "type"));
	const struct ol_json *opts = ol_json_get(mount, "options");

	return (type && strcmp(type, "bind") == 0) || has_option(opts, "bind") ||
	       has_option(opts, "rbind");
}

static bool member_is(const struct ol_json *obj, const char *key, const char *want)
{
	const char *v = ol_json_cstr(ol_json_get(obj, key));

	return v && strcmp(v, want) == 0;
}

/*
 * The last mount before index *at that covers path; *at becomes its
 * index.  Mounts are made in order, so that one decides what is found
 * there.
 */
static const struct ol_json *covering_mount(const struct ol_json *mounts, const char *path,
					    size_t *at)
{
	for (size_t i = *at; i-- > 0;) {
		const struct ol_json *m = mounts->u.arr.items[i];
		if (covers(ol_json_cstr(ol_json_get(m, "destination")), path)) {
			*at = i;
			return m;
		}
	}
	return NULL;
}

static size_t mount_count(const struct ol_json *mounts)
{
	return mounts && mounts->type == OL_JSON_ARRAY ? mounts->u.arr.len : 0;
}

static bool destination_is(const struct ol_json *m, const char *path)
{
	const char *dest = ol_json_cstr(ol_json_get(m, "destination"));
	char clean[4096];

	return dest && clean_destination(dest, clean, sizeof(clean)) && strcmp(clean, path) == 0;
}

/*
 * The runtime's own /dev: a fresh tmpfs, which no other container has.
 * Runtimes bind whatever has "bind" among its options, whatever its type.
 */
static bool is_dev_tmpfs(const struct ol_json *m)
{
	const struct ol_json *opts = ol_json_get(m, "options");

	return m && destination_is(m, "/dev") && member_is(m, "type", "tmpfs") &&
	       !has_option(opts, "bind") && !has_option(opts, "rbind");
}

/*
 * What the launcher's mount point lies in: the mount below it, past other
 * mounts at the very same path (ours is on top of those).
 */
static const struct ol_json *below_launcher(const struct ol_json *mounts, size_t at)
{
	const struct ol_json *m;

	while ((m = covering_mount(mounts, OL_LAUNCHER_IN_CONTAINER, &at)) &&
	       destination_is(m, OL_LAUNCHER_IN_CONTAINER))
		;
	return m;
}

int ol_config_check_injected(const struct ol_json *config, const char *host_launcher,
			     struct ol_error *err)
{
	const struct ol_json *args = process_args(config);
	const struct ol_json *mounts = ol_json_get(config, "mounts");
	const char *first = args && args->u.arr.len ? ol_json_cstr(args->u.arr.items[0]) : NULL;
	size_t at = mount_count(mounts);
	const struct ol_json *m = covering_mount(mounts, OL_LAUNCHER_IN_CONTAINER, &at), *opts;

	if (!first || strcmp(first, OL_LAUNCHER_IN_CONTAINER) != 0)
		return ol_error_set(err, ENOENT,
				    "the command does not start with the launcher (%s)",
				    OL_LAUNCHER_IN_CONTAINER);
	if (!m)
		return ol_error_set(err, ENOENT, "no mount puts the launcher at %s",
				    OL_LAUNCHER_IN_CONTAINER);
	opts = ol_json_get(m, "options");
	if (!member_is(m, "destination", OL_LAUNCHER_IN_CONTAINER) ||
	    !member_is(m, "source", host_launcher) || !member_is(m, "type", "bind") ||
	    !(has_option(opts, "bind") || has_option(opts, "rbind")) || !has_option(opts, "ro") ||
	    !has_option(opts, "nosuid") || !has_option(opts, "nodev"))
		return ol_error_set(err, EPERM,
				    "the last mount at %s is not the read-only, nosuid, nodev bind "
				    "mount of the launcher %s",
				    OL_LAUNCHER_IN_CONTAINER, host_launcher);
	if (!is_dev_tmpfs(below_launcher(mounts, at)))
		return ol_error_set(err, EPERM,
				    "the launcher's mount at %s is not on the container's own /dev "
				    "(the tmpfs mount at /dev before it)",
				    OL_LAUNCHER_IN_CONTAINER);
	return 0;
}

static int check_args(const struct ol_json *process, const char *where, struct ol_error *err)
{
	const struct ol_json *args = ol_json_get(process, "args");

	if (!process || process->type != OL_JSON_OBJECT)
		return ol_error_set(err, EINVAL, "%s: missing, or not an object", where);
	if (!args || args->type != OL_JSON_ARRAY || args->u.arr.len == 0)
		return ol_error_set(err, EINVAL, "%s.args: missing, or not a non-empty list",
				    where);
	for (size_t i = 0; i < args->u.arr.len; i++)
		if (!ol_json_cstr(args->u.arr.items[i]))
			return ol_error_set(err, EINVAL, "%s.args[%zu]: expected a string", where,
					    i);
	return 0;
}

int ol_process_wrap(struct ol_json *process, const char *launcher, const struct ol_strv *options,
		    struct ol_error *err)
{
	cleanup_json struct ol_json *args = ol_json_new(OL_JSON_ARRAY);
	struct ol_json *old;
	int r = check_args(process, "process", err);

	if (r < 0)
		return r;
	old = ol_json_get(process, "args");
	/* With room for every item, moving the old ones below cannot fail. */
	if (!args || ol_json_array_reserve(args, options->n + 2 + old->u.arr.len) < 0 ||
	    ol_json_array_push(args, ol_json_new_string(launcher)) < 0)
		return ol_error_oom(err);
	for (size_t i = 0; i < options->n; i++)
		if (ol_json_array_push(args, ol_json_new_string(options->v[i])) < 0)
			return ol_error_oom(err);
	if (ol_json_array_push(args, ol_json_new_string("--")) < 0)
		return ol_error_oom(err);
	for (size_t i = 0; i < old->u.arr.len; i++)
		args->u.arr.items[args->u.arr.len++] = old->u.arr.items[i];
	old->u.arr.len = 0;
	/* Replacing an existing member frees the old, now empty, list. */
	if (ol_json_object_set(process, "args", steal_pointer(&args)) < 0 ||
	    ol_json_object_set(process, "noNewPrivileges", ol_json_new(OL_JSON_TRUE)) < 0)
		return ol_error_oom(err);
	return 0;
}

static struct ol_json *launcher_mount(const char *host_launcher)
{
	static const char *const options[] = { "bind", "ro", "nosuid", "nodev" };
	cleanup_json struct ol_json *m = ol_json_new(OL_JSON_OBJECT);
	struct ol_json *opts = ol_json_new(OL_JSON_ARRAY);

	if (!m ||
	    ol_json_object_set(m, "destination", ol_json_new_string(OL_LAUNCHER_IN_CONTAINER)) <
		    0 ||
	    ol_json_object_set(m, "type", ol_json_new_string("bind")) < 0 ||
	    ol_json_object_set(m, "source", ol_json_new_string(host_launcher)) < 0) {
		ol_json_free(opts);
		return NULL;
	}
	if (ol_json_object_set(m, "options", opts) < 0)
		return NULL;
	for (size_t i = 0; i < sizeof(options) / sizeof(options[0]); i++)
		if (ol_json_array_push(opts, ol_json_new_string(options[i])) < 0)
			return NULL;
	return steal_pointer(&m);
}

/* The launcher goes on the container's own /dev: refuse a config without one. */
static int check_dev(const struct ol_json *mounts, struct ol_error *err)
{
	size_t at = mount_count(mounts);
	const struct ol_json *m = covering_mount(mounts, "/dev", &at);
	const char *dest = ol_json_cstr(ol_json_get(m, "destination"));

	if (is_dev_tmpfs(m))
		return 0;
	if (m)
		ol_error_set(err, EPERM,
			     "mounts[%zu] ('%.200s', type '%.40s') decides what is at /dev, and it "
			     "is not a tmpfs of the container's own: the launcher cannot be put "
			     "where no one else can reach it",
			     at, dest ? dest : "?",
			     ol_json_cstr(ol_json_get(m, "type"))
				     ? ol_json_cstr(ol_json_get(m, "type"))
				     : "?");
	else
		ol_error_set(err, EPERM,
			     "no mount gives the container a /dev of its own (a tmpfs at /dev), "
			     "where the launcher goes");
	return ol_error_hint(err,
			     "keep the runtime's usual /dev mount ({\"destination\": \"/dev\", "
			     "\"type\": \"tmpfs\", ...}) and mount nothing over /dev itself");
}

int ol_config_inject(struct ol_json *config, const char *host_launcher,
		     const struct ol_strv *options, struct ol_error *err)
{
	struct ol_json *mounts = ol_json_get(config, "mounts");
	int r = check_args(ol_json_get(config, "process"), "process", err);

	if (r < 0)
		return r;
	if (mounts && mounts->type != OL_JSON_ARRAY)
		return ol_error_set(err, EINVAL, "mounts: expected a list, found %s",
				    ol_json_type_name(mounts->type));
	if (check_dev(mounts, err) < 0)
		return -err->code;
	if (ol_json_array_push(mounts, launcher_mount(host_launcher)) < 0)
		return ol_error_oom(err);
	return ol_process_wrap(ol_json_get(config, "process"), OL_LAUNCHER_IN_CONTAINER, options,
			       err);
}

/* The same file: the path itself, or another path to it (a hooks.d
 * file may name the CLI through a link). */
static bool same_program(const char *path, const char *cli)
{
	struct stat a, b;

	if (!path)
		return false;
	if (strcmp(path, cli) == 0)
		return true;
	return stat(path, &a) == 0 && stat(cli, &b) == 0 && a.st_dev == b.st_dev &&
	       a.st_ino == b.st_ino;
}

static bool is_gate(const struct ol_json *hook, const char *cli)
{
	const struct ol_json *args = ol_json_get(hook, "args");
	const char *stage;

	if (!same_program(ol_json_cstr(ol_json_get(hook, "path")), cli) || !args ||
	    args->type != OL_JSON_ARRAY || args->u.arr.len != 3 ||
	    !(stage = ol_json_cstr(args->u.arr.items[2])))
		return false;
	return ol_json_cstr(args->u.arr.items[1]) &&
	       strcmp(ol_json_cstr(args->u.arr.items[1]), "hook") == 0 &&
	       (strcmp(stage, "createRuntime") == 0 || strcmp(stage, "prestart") == 0);
}

static bool has_gate(const struct ol_json *hooks, const char *cli)
{
	static const char *const stages[] = { "createRuntime", "prestart" };

	for (size_t s = 0; s < 2; s++) {
		const struct ol_json *list = ol_json_get(hooks, stages[s]);
		for (size_t i = 0; list && list->type == OL_JSON_ARRAY && i < list->u.arr.len; i++)
			if (is_gate(list->u.arr.items[i], cli))
				return true;
	}
	return false;
}

static struct ol_json *gate_hook(const char *cli, const struct ol_strv *env_list)
{
	cleanup_json struct ol_json *h = ol_json_new(OL_JSON_OBJECT);
	cleanup_json struct ol_json *args = ol_json_new(OL_JSON_ARRAY);
	cleanup_json struct ol_json *env = ol_json_new(OL_JSON_ARRAY);

	for (size_t i = 0; env && i < env_list->n; i++)
		if (ol_json_array_push(env, ol_json_new_string(env_list->v[i])) < 0)
			return NULL;
	if (!h || !args || !env ||
	    ol_json_array_push(args, ol_json_new_string("oci-landlock")) < 0 ||
	    ol_json_array_push(args, ol_json_new_string("hook")) < 0 ||
	    ol_json_array_push(args, ol_json_new_string("createRuntime")) < 0 ||
	    ol_json_object_set(h, "path", ol_json_new_string(cli)) < 0 ||
	    ol_json_object_set(h, "args", steal_pointer(&args)) < 0 ||
	    ol_json_object_set(h, "env", steal_pointer(&env)) < 0)
		return NULL;
	return steal_pointer(&h);
}

int ol_config_ensure_gate(struct ol_json *config, const char *cli, const struct ol_strv *env,
			  bool *added, struct ol_error *err)
{
	struct ol_json *hooks = ol_json_get(config, "hooks");
	struct ol_json *list;

	*added = false;
	if (hooks && hooks->type != OL_JSON_OBJECT)
		return ol_error_set(err, EINVAL, "hooks: expected an object, found %s",
				    ol_json_type_name(hooks->type));
	if (has_gate(hooks, cli))
		return 0;
	if (!hooks && (ol_json_object_set(config, "hooks", ol_json_new(OL_JSON_OBJECT)) < 0 ||
		       !(hooks = ol_json_get(config, "hooks"))))
		return ol_error_oom(err);
	list = ol_json_get(hooks, "createRuntime");
	if (list && list->type != OL_JSON_ARRAY)
		return ol_error_set(err, EINVAL, "hooks.createRuntime: expected a list, found %s",
				    ol_json_type_name(list->type));
	if (!list && (ol_json_object_set(hooks, "createRuntime", ol_json_new(OL_JSON_ARRAY)) < 0 ||
		      !(list = ol_json_get(hooks, "createRuntime"))))
		return ol_error_oom(err);
	if (ol_json_array_push(list, gate_hook(cli, env)) < 0)
		return ol_error_oom(err);
	*added = true;
	return 0;
}

int ol_config_check_options(const struct ol_json *config, const struct ol_strv *options,
			    struct ol_error *err)
{
	const struct ol_json *args = process_args(config);
	size_t n = options->n;

	for (size_t i = 0; i <= n; i++) {
		const char *want = i < n ? options->v[i] : "--";
		const char *have = args && i + 1 < args->u.arr.len
					   ? ol_json_cstr(args->u.arr.items[i + 1])
					   : NULL;
		if (!have || strcmp(have, want) != 0) {
			ol_error_set(
				err, EINVAL,
				"the launcher options in process.args do not match the "
				"annotations: argument %zu is '%.80s', the annotations ask for "
				"'%.80s'",
				i + 1, have ? have : "(nothing)", want);
			return ol_error_hint(err, "was config.json edited after the launcher was "
						  "injected? Recreate the container");
		}
	}
	return 0;
}

int ol_state_parse(const char *text, size_t len, struct ol_state *out, struct ol_error *err)
{
	uint64_t pid;
	int r;

	memset(out, 0, sizeof(*out));
	r = ol_config_parse(text, len, &out->root, err);
	if (r < 0)
		return r;
	out->id = ol_json_cstr(ol_json_get(out->root, "id"));
	out->status = ol_json_cstr(ol_json_get(out->root, "status"));
	out->bundle = ol_json_cstr(ol_json_get(out->root, "bundle"));
	if (ol_json_uint(ol_json_get(out->root, "pid"), INT32_MAX, &pid) == 0)
		out->pid = (int) pid;
	if (!out->bundle || out->bundle[0] != '/') {
		ol_state_free(out);
		return ol_error_set(err, EINVAL, "bundle: expected an absolute path");
	}
	return 0;
}

void ol_state_free(struct ol_state *state)
{
	ol_json_free(state->root);
	memset(state, 0, sizeof(*state));
}

bool ol_config_own_pid_namespace(const struct ol_json *config, const char **joined)
{
	const struct ol_json *ns = ol_json_get(ol_json_get(config, "linux"), "namespaces");

	*joined = NULL;
	if (!ns || ns->type != OL_JSON_ARRAY)
		return false;
	for (size_t i = 0; i < ns->u.arr.len; i++) {
		const struct ol_json *e = ns->u.arr.items[i];
		const struct ol_json *path = ol_json_get(e, "path");
		if (!member_is(e, "type", "pid"))
			continue;
		/* runc and crun join a namespace when the path is set and not "". */
		if (!path || path->type == OL_JSON_NULL)
			return true;
		*joined = ol_json_cstr(path);
		if (*joined && **joined)
			return false;
		*joined = NULL;
		return ol_json_cstr(path) != NULL; /* "" */
	}
	return false;
}

const char *ol_config_arg(const struct ol_json *config, size_t i)
{
	const struct ol_json *args = process_args(config);

	return args && i < args->u.arr.len ? ol_json_cstr(args->u.arr.items[i]) : NULL;
}

int ol_config_args(const struct ol_json *config, struct ol_strv *out)
{
	return ol_process_args(ol_json_get(config, "process"), out);
}

int ol_process_args(const struct ol_json *process, struct ol_strv *out)
{
	const struct ol_json *args = ol_json_get(process, "args");

	if (!args || args->type != OL_JSON_ARRAY)
		return -EINVAL;

	for (size_t i = 0; i < args->u.arr.len; i++) {
		const char *arg = ol_json_cstr(args->u.arr.items[i]);
		if (!arg)
			return -EINVAL;
		if (ol_strv_push(out, arg) < 0)
			return -ENOMEM;
	}
	return out->n ? 0 : -EINVAL;
}
