/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The runc/crun command line, read without changing it.
 *
 * runc takes Go-style options ("-x" or "--x", values as "--x=v" or as the
 * next word); crun takes argp options (also "-bDIR", clusters of short
 * options, abbreviated long options); both accept options after the
 * container id.  What matters is which bundle the runtime will create, so
 * for create and run every word is looked at, and anything that could be
 * read two ways is refused rather than guessed at: an unknown option, an
 * abbreviation, a short option with its value attached, crun's --config.
 */
#include "runtime-args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "common/fileio.h"
#include "common/text.h"

struct spec {
	const char *name;
	bool value; /* takes a value */
};

/* The global options of runc and crun. */
static const struct spec globals[] = {
	{ OL_SHIM_SETTINGS_OPTION, true },
	{ "log", true },
	{ "log-format", true },
	{ "log-level", true },
	{ "root", true },
	{ "criu", true },
	{ "rootless", true },
	{ "cgroup-manager", true },
	{ "debug", false },
	{ "systemd-cgroup", false },
	{ "help", false },
	{ "h", false },
	{ "version", false },
	{ "v", false },
	{ "V", false },
	{ "usage", false },
	{ NULL, false },
};

/* The options of create and run, in runc and crun. */
static const struct spec create_opts[] = {
	{ "bundle", true },
	{ "b", true },
	{ "console-socket", true },
	{ "pid-file", true },
	{ "preserve-fds", true },
	{ "config", true },
	{ "f", true },
	{ "no-pivot", false },
	{ "no-new-keyring", false },
	{ "detach", false },
	{ "d", false },
	{ "keep", false },
	{ "no-subreaper", false },
	{ "help", false },
	{ "h", false },
	{ "usage", false },
	{ NULL, false },
};

/* The options of exec, in runc and crun. */
static const struct spec exec_opts[] = {
	{ "console-socket", true },
	{ "cwd", true },
	{ "env", true },
	{ "e", true },
	{ "user", true },
	{ "u", true },
	{ "additional-gids", true },
	{ "g", true },
	{ "process", true },
	{ "p", true },
	{ "pid-file", true },
	{ "process-label", true },
	{ "apparmor", true },
	{ "cap", true },
	{ "c", true },
	{ "preserve-fds", true },
	{ "cgroup", true },
	{ "tty", false },
	{ "t", false },
	{ "detach", false },
	{ "d", false },
	{ "no-new-privs", false },
	{ "ignore-paused", false },
	{ "help", false },
	{ "h", false },
	{ "usage", false },
	{ NULL, false },
};

/*
 * One option word: its spec, and its attached value ("--x=v") in *value.
 * A word that is no exact known option is an error (NULL).
 */
static const struct spec *option(const char *arg, const struct spec *specs, const char *what,
				 const char **value, struct ol_error *err)
{
	const char *name = arg + (arg[1] == '-' ? 2 : 1);
	const char *eq = strchr(name, '=');
	size_t len = eq ? (size_t) (eq - name) : strlen(name);

	for (const struct spec *s = specs; s->name; s++) {
		if (strlen(s->name) == len && strncmp(s->name, name, len) == 0) {
			*value = eq ? eq + 1 : NULL;
			return s;
		}
	}
	ol_error_set(err, EINVAL, "%s option '%s' is not one oci-landlock-runtime knows", what,
		     arg);
	ol_error_hint(err, "the shim refuses what it cannot read for sure (an abbreviation, a "
			   "value attached to a short option, a new option): write options in "
			   "full, as runc documents them");
	return NULL;
}

/*
 * exec --preserve-fds N: the shim passes the launcher as one descriptor
 * more, so it must know N for sure.  Go reads an int in any base and with
 * a sign ("0x2", "+2"): only plain decimal is taken, the rest refused.
 */
static int preserve_fds(const char *word, const char *value, int i, struct ol_runtime_args *out,
			struct ol_error *err)
{
	uint64_t n;

	if (!value || ol_parse_uint(value, strlen(value), 1024, &n) < 0 ||
	    (value[0] == '0' && value[1]))
		return ol_error_set(err, EINVAL,
				    "option '%s': '%s' is not a plain number of "
				    "descriptors (0 to 1024)",
				    word, value);
	out->preserve_fds = strchr(word, '=') ? i : i - 1;
	out->preserve_attached = strchr(word, '=') != NULL;
	out->preserve_n = (unsigned) n;
	return 0;
}

/*
 * exec [OPTIONS] ID [COMMAND ARGS...]: options stop at the id (what
 * follows it is the command, as runc and crun read it).
 */
static int parse_exec(int argc, char *const argv[], struct ol_runtime_args *out,
		      struct ol_error *err)
{
	for (int i = out->command + 1; i < argc; i++) {
		const char *word = argv[i];
		const struct spec *spec;
		const char *value;

		if (strcmp(word, "--") == 0 || word[0] != '-' || !word[1]) {
			if (strcmp(word, "--") == 0)
				i++;
			out->id = i < argc ? i : -1;
			out->exec_command = i + 1 < argc ? i + 1 : -1;
			break;
		}
		if (!(spec = option(word, exec_opts, "exec", &value, err)))
			return -err->code;
		if (spec->value && !value) {
			if (i + 1 >= argc)
				return ol_error_set(err, EINVAL, "option '%s' needs a value", word);
			value = argv[++i];
		}
		if (strcmp(spec->name, "process") == 0 || strcmp(spec->name, "p") == 0)
			out->process = value;
		if (strcmp(spec->name, "preserve-fds") == 0 &&
		    preserve_fds(word, value, i, out, err) < 0)
			return -err->code;
	}
	if (out->id < 0)
		return ol_error_set(err, EINVAL, "exec: no container id");
	if (!out->process && out->exec_command < 0)
		return ol_error_set(err, EINVAL, "exec: neither --process nor a command");
	return 0;
}

/*
 * restore's bundle, only to refuse a sandboxed container (CRIU does not
 * restore Landlock domains): its many options are not all known here, so
 * the words are scanned for --bundle or -b in any spelling, the last one
 * counting, as runc has it.
 */
static void restore_bundle(int argc, char *const argv[], struct ol_runtime_args *out)
{
	static const char *const names[] = { "--bundle", "-bundle", "-b", "--b" };

	for (int i = out->command + 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
			size_t n = strlen(names[k]);
			if (strcmp(argv[i], names[k]) == 0 && i + 1 < argc)
				out->bundle = argv[i + 1];
			else if (strncmp(argv[i], names[k], n) == 0 && argv[i][n] == '=')
				out->bundle = argv[i] + n + 1;
		}
}

int ol_runtime_args_parse(int argc, char *const argv[], struct ol_runtime_args *out,
			  struct ol_error *err)
{
	const struct spec *spec;
	const char *value;
	int i = 1;

	memset(out, 0, sizeof(*out));
	out->command = -1;
	/* Global options come before the command. */
	for (; i < argc && argv[i][0] == '-' && argv[i][1]; i++) {
		int at = i;

		if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		}
		if (!(spec = option(argv[i], globals, "global", &value, err)))
			return -err->code;
		if (spec->value && !value) {
			if (i + 1 >= argc)
				return ol_error_set(err, EINVAL, "option '%s' needs a value",
						    argv[i]);
			value = argv[++i];
		}
		if (strcmp(spec->name, OL_SHIM_SETTINGS_OPTION) == 0) {
			if (out->settings)
				return ol_error_set(err, EINVAL, "option '--%s' is given twice",
						    OL_SHIM_SETTINGS_OPTION);
			if (!value || value[0] != '/')
				return ol_error_set(err, EINVAL,
						    "option '--%s': '%s' is not an absolute path",
						    OL_SHIM_SETTINGS_OPTION, value);
			out->settings = value;
			out->settings_at = at;
			out->settings_words = i - at + 1;
		} else if (strcmp(spec->name, "version") == 0 || strcmp(spec->name, "v") == 0) {
			out->version = true;
		} else if (strcmp(spec->name, "log") == 0)
			out->log = value;
		else if (strcmp(spec->name, "log-format") == 0)
			out->log_format = value;
	}
	out->id = out->exec_command = out->preserve_fds = -1;
	if (i >= argc)
		return 0;
	out->command = i;
	out->rewrite = strcmp(argv[i], "create") == 0 || strcmp(argv[i], "run") == 0;
	out->exec = strcmp(argv[i], "exec") == 0;
	out->restore = strcmp(argv[i], "restore") == 0;
	if (out->exec)
		return parse_exec(argc, argv, out, err);
	if (out->restore) {
		restore_bundle(argc, argv, out);
		return 0;
	}
	if (!out->rewrite)
		return 0;
	/* Options may come before or after the container id, until "--". */
	for (i++; i < argc && strcmp(argv[i], "--") != 0; i++) {
		const char *word = argv[i];

		/* The first word that is no option is the container's id. */
		if (word[0] != '-' || !word[1]) {
			if (out->id < 0)
				out->id = i;
			continue;
		}
		if (!(spec = option(word, create_opts, argv[out->command], &value, err)))
			return -err->code;
		if (spec->value && !value) {
			if (i + 1 >= argc)
				return ol_error_set(err, EINVAL, "option '%s' needs a value", word);
			value = argv[++i];
		}
		if (strcmp(spec->name, "config") == 0 || strcmp(spec->name, "f") == 0) {
			ol_error_set(err, EINVAL, "option '%s' is not supported", word);
			return ol_error_hint(
				err, "the bundle's config.json is the one oci-landlock checks "
				     "and rewrites");
		}
		/* Like runc, the last of --bundle and -b wins. */
		if (strcmp(spec->name, "bundle") == 0 || strcmp(spec->name, "b") == 0)
			out->bundle = value;
	}
	if (out->bundle && !*out->bundle)
		return ol_error_set(err, EINVAL, "option --bundle is empty");
	return 0;
}
