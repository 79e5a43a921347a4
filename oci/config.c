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

bool ol_config_is_injected(const struct ol_json *config)
{
	const struct ol_json *args = process_args(config);
	const char *first;

	if (!args || args->u.arr.len == 0)
		return false;
	first = ol_json_cstr(args->u.arr.items[0]);
	return first && strcmp(first, OL_LAUNCHER_IN_CONTAINER) == 0;
}

static int check_args(const struct ol_json *config, struct ol_error *err)
{
	const struct ol_json *process = ol_json_get(config, "process");
	const struct ol_json *args = ol_json_get(process, "args");

	if (!process || process->type != OL_JSON_OBJECT)
		return ol_error_set(err, EINVAL, "process: missing, or not an object");
	if (!args || args->type != OL_JSON_ARRAY || args->u.arr.len == 0)
		return ol_error_set(err, EINVAL, "process.args: missing, or not a non-empty list");
	for (size_t i = 0; i < args->u.arr.len; i++)
		if (!ol_json_cstr(args->u.arr.items[i]))
			return ol_error_set(err, EINVAL, "process.args[%zu]: expected a string", i);
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

int ol_config_inject(struct ol_json *config, const char *host_launcher,
		     const struct ol_strv *options, struct ol_error *err)
{
	cleanup_json struct ol_json *args = ol_json_new(OL_JSON_ARRAY);
	struct ol_json *old, *mounts;
	int r = check_args(config, err);

	if (r < 0)
		return r;
	old = process_args(config);
	/* With room for every item, moving the old ones below cannot fail. */
	if (!args || ol_json_array_reserve(args, options->n + 2 + old->u.arr.len) < 0 ||
	    ol_json_array_push(args, ol_json_new_string(OL_LAUNCHER_IN_CONTAINER)) < 0)
		return ol_error_set(err, ENOMEM, "out of memory");
	for (size_t i = 0; i < options->n; i++)
		if (ol_json_array_push(args, ol_json_new_string(options->v[i])) < 0)
			return ol_error_set(err, ENOMEM, "out of memory");
	if (ol_json_array_push(args, ol_json_new_string("--")) < 0)
		return ol_error_set(err, ENOMEM, "out of memory");

	mounts = ol_json_get(config, "mounts");
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

	/* Move the original arguments behind "--" (room was reserved). */
	for (size_t i = 0; i < old->u.arr.len; i++)
		args->u.arr.items[args->u.arr.len++] = old->u.arr.items[i];
	old->u.arr.len = 0;
	/* Replacing an existing member frees the old, now empty, list. */
	return ol_json_object_set(ol_json_get(config, "process"), "args", steal_pointer(&args));
}

int ol_config_injected_options(const struct ol_json *config, struct ol_strv *out,
			       struct ol_error *err)
{
	const struct ol_json *args = process_args(config);

	if (!ol_config_is_injected(config))
		return ol_error_set(err, EINVAL, "process.args does not start with %s",
				    OL_LAUNCHER_IN_CONTAINER);
	for (size_t i = 1; i < args->u.arr.len; i++) {
		const char *a = ol_json_cstr(args->u.arr.items[i]);
		if (!a)
			return ol_error_set(err, EINVAL, "process.args[%zu]: expected a string", i);
		if (strcmp(a, "--") == 0)
			return 0;
		if (ol_strv_push(out, a) < 0)
			return ol_error_set(err, ENOMEM, "out of memory");
	}
	return ol_error_set(err, EINVAL, "process.args: the launcher's \"--\" is missing");
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
