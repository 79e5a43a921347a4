/* SPDX-License-Identifier: Apache-2.0 */
/* The runc command line, read without changing it. */
#include "runtime-args.h"

#include <errno.h>
#include <string.h>

/* Options that take a value, global (runc and crun) and of create/run. */
static const char *const global_values[] = {
	"log", "log-format", "log-level", "root", "criu", "rootless", "cgroup-manager", NULL,
};
static const char *const create_values[] = {
	"bundle", "b", "console-socket", "pid-file", "preserve-fds", "config", "f", NULL,
};

/* "--name=value", "-name=value", "--name", "-name": the name, or NULL. */
static const char *option_name(const char *arg, size_t *len, const char **value)
{
	const char *eq;

	if (arg[0] != '-' || !arg[1] || strcmp(arg, "--") == 0)
		return NULL;
	arg += arg[1] == '-' ? 2 : 1;
	eq = strchr(arg, '=');
	*len = eq ? (size_t) (eq - arg) : strlen(arg);
	*value = eq ? eq + 1 : NULL;
	return arg;
}

static bool is(const char *name, size_t len, const char *want)
{
	return strlen(want) == len && strncmp(name, want, len) == 0;
}

static bool takes_value(const char *name, size_t len, const char *const *list)
{
	for (size_t i = 0; list[i]; i++)
		if (is(name, len, list[i]))
			return true;
	return false;
}

/*
 * Walk the options from argv[i], skipping their values, and keep the last
 * value of the option `wanted` (and of its one-letter alias, if any).
 * Returns the index of the first argument that is no option.
 */
static int walk(int argc, char *const argv[], int i, const char *const *values, const char *wanted,
		const char *alias, const char **found, struct ol_error *err)
{
	for (; i < argc; i++) {
		const char *value, *name;
		size_t len;

		if (strcmp(argv[i], "--") == 0)
			return i + 1;
		name = option_name(argv[i], &len, &value);
		if (!name)
			return i;
		if (!value && takes_value(name, len, values)) {
			if (i + 1 >= argc)
				return ol_error_set(err, EINVAL, "option '%s' needs a value",
						    argv[i]);
			value = argv[++i];
		}
		if (is(name, len, wanted) || (alias && is(name, len, alias)))
			*found = value;
	}
	return i;
}

int ol_runtime_args_parse(int argc, char *const argv[], struct ol_runtime_args *out,
			  struct ol_error *err)
{
	int i;

	memset(out, 0, sizeof(*out));
	out->command = -1;
	/* Global options first: two walks over the same words, keeping one each. */
	if (walk(argc, argv, 1, global_values, "log-format", NULL, &out->log_format, err) < 0)
		return -err->code;
	i = walk(argc, argv, 1, global_values, "log", NULL, &out->log, err);
	if (i < 0)
		return i;
	if (i >= argc)
		return 0;
	out->command = i;
	out->rewrite = strcmp(argv[i], "create") == 0 || strcmp(argv[i], "run") == 0;
	if (!out->rewrite)
		return 0;
	if (walk(argc, argv, i + 1, create_values, "bundle", "b", &out->bundle, err) < 0)
		return -err->code;
	if (out->bundle && !*out->bundle)
		return ol_error_set(err, EINVAL, "option --bundle is empty");
	return 0;
}
