/* SPDX-License-Identifier: Apache-2.0 */
/* Reading and editing config.json, and reading the hook state. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"

int ol_config_parse(const char *text, size_t len, struct ol_json **out, struct ol_error *err)
{
	struct ol_json *j = NULL;
	int r = ol_json_parse(text, len, &ol_json_config_limits, &j, err);

	if (r < 0)
		return r;
	if (j->type != OL_JSON_OBJECT) {
		r = ol_error_set(err, EINVAL, "top level: expected an object, found %s",
				 ol_json_type_name(j->type));
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

/* Does a mount at dest cover the launcher's path (the path or a parent)? */
static bool covers_launcher(const char *dest)
{
	const char *l = OL_LAUNCHER_IN_CONTAINER;
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

int ol_config_check_injected(const struct ol_json *config, const char *host_launcher,
			     struct ol_error *err)
{
	const struct ol_json *args = process_args(config);
	const struct ol_json *mounts = ol_json_get(config, "mounts");
	const struct ol_json *m = NULL, *opts;
	const char *first = args && args->u.arr.len ? ol_json_cstr(args->u.arr.items[0]) : NULL;

	if (!first || strcmp(first, OL_LAUNCHER_IN_CONTAINER) != 0)
		return ol_error_set(err, ENOENT,
				    "the command does not start with the launcher (%s)",
				    OL_LAUNCHER_IN_CONTAINER);
	/* The last mount over the launcher's path decides what runs there. */
	for (size_t i = mounts && mounts->type == OL_JSON_ARRAY ? mounts->u.arr.len : 0; i-- > 0;) {
		const struct ol_json *cand = mounts->u.arr.items[i];
		if (covers_launcher(ol_json_cstr(ol_json_get(cand, "destination")))) {
			m = cand;
			break;
		}
	}
	if (!m)
		return ol_error_set(err, ENOENT, "no mount puts the launcher at %s",
				    OL_LAUNCHER_IN_CONTAINER);
	opts = ol_json_get(m, "options");
	if (!ol_json_cstr(ol_json_get(m, "destination")) ||
	    strcmp(ol_json_cstr(ol_json_get(m, "destination")), OL_LAUNCHER_IN_CONTAINER) != 0 ||
	    !ol_json_cstr(ol_json_get(m, "source")) ||
	    strcmp(ol_json_cstr(ol_json_get(m, "source")), host_launcher) != 0 ||
	    !ol_json_cstr(ol_json_get(m, "type")) ||
	    strcmp(ol_json_cstr(ol_json_get(m, "type")), "bind") != 0 ||
	    !(has_option(opts, "bind") || has_option(opts, "rbind")) || !has_option(opts, "ro") ||
	    !has_option(opts, "nosuid") || !has_option(opts, "nodev"))
		return ol_error_set(err, EPERM,
				    "the last mount at %s is not the read-only, nosuid, nodev bind "
				    "mount of the launcher %s",
				    OL_LAUNCHER_IN_CONTAINER, host_launcher);
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

int ol_process_wrap(struct ol_json *process, const struct ol_strv *options, struct ol_error *err)
{
	cleanup_json struct ol_json *args = ol_json_new(OL_JSON_ARRAY);
	struct ol_json *old;
	int r = check_args(process, "process", err);

	if (r < 0)
		return r;
	old = ol_json_get(process, "args");
	/* With room for every item, moving the old ones below cannot fail. */
	if (!args || ol_json_array_reserve(args, options->n + 2 + old->u.arr.len) < 0 ||
	    ol_json_array_push(args, ol_json_new_string(OL_LAUNCHER_IN_CONTAINER)) < 0)
		return ol_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < options->n; i++)
		if (ol_json_array_push(args, ol_json_new_string(options->v[i])) < 0)
			return ol_error_set(err, ENOMEM, "out of memory");
	if (ol_json_array_push(args, ol_json_new_string("--")) < 0)
		return ol_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < old->u.arr.len; i++)
		args->u.arr.items[args->u.arr.len++] = old->u.arr.items[i];
	old->u.arr.len = 0;
	/* Replacing an existing member frees the old, now empty, list. */
	return ol_json_object_set(process, "args", steal_pointer(&args));
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
	if (!mounts) {
		if (ol_json_object_set(config, "mounts", ol_json_new(OL_JSON_ARRAY)) < 0)
			return ol_error_set(err, ENOMEM, "out of memory");
		mounts = ol_json_get(config, "mounts");
	}
	if (ol_json_array_push(mounts, launcher_mount(host_launcher)) < 0)
		return ol_error_set(err, ENOMEM, "out of memory");
	return ol_process_wrap(ol_json_get(config, "process"), options, err);
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
			ol_error_hint(err, "was config.json edited after the launcher was "
					   "injected? Recreate the container");
			return -err->code;
		}
	}
	return 0;
}

int ol_state_parse(const char *text, size_t len, struct ol_state *out, struct ol_error *err)
{
	int r;

	memset(out, 0, sizeof(*out));
	r = ol_config_parse(text, len, &out->root, err);
	if (r < 0)
		return r;
	out->id = ol_json_cstr(ol_json_get(out->root, "id"));
	out->status = ol_json_cstr(ol_json_get(out->root, "status"));
	out->bundle = ol_json_cstr(ol_json_get(out->root, "bundle"));
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
