/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line parsing for oci-landlock-exec. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "launcher.h"
#include "policy/policy.h"
#include "sandbox/apply.h"
#include "sandbox/socket-filter.h"

/* getopt_long()'s value for a word of the vocabulary. */
#define OPT_WORD 256

/* The launcher's long options: the words of the vocabulary that have one. */
static void make_long_options(struct option opts[OL_WORD_COUNT + 1])
{
	size_t n = 0;

	for (size_t w = 0; w < OL_WORD_COUNT; w++)
		if (ol_words[w].option)
			opts[n++] =
				(struct option){ ol_words[w].option,
						 ol_words[w].arg ? required_argument : no_argument,
						 NULL, OPT_WORD + (int) w };
	opts[n] = (struct option){ NULL, 0, NULL, 0 };
}

static int new_layer(struct launcher *l, const char *source, struct ol_ruleset **out,
		     struct ol_error *err)
{
	*out = ol_layers_add(&l->layers, &l->n_layers, source);
	return *out ? 0 : ol_error_oom(err);
}

/*
 * The layer collecting the --fs-*, --net-* and --scope options: the one
 * --layer opened, else one layer for all of them.
 */
static int shorthand_layer(struct launcher *l, struct ol_ruleset **out, struct ol_error *err)
{
	int r;

	if (l->named >= 0) {
		*out = &l->layers[l->named];
		return 0;
	}
	if (l->shorthand >= 0) {
		*out = &l->layers[l->shorthand];
		return 0;
	}
	r = new_layer(l, "--fs/--net/--scope options", out, err);
	if (r == 0)
		l->shorthand = (long) l->n_layers - 1;
	return r;
}

/*
 * A policy document: a layer of its own, or merged into the --layer one.
 * A policy file's paths must be absolute: relative ones would start at the
 * working directory, which the image chose (and which may be a link).
 */
static int add_policy(struct launcher *l, const char *text, size_t len, const char *source,
		      bool absolute, struct ol_error *err)
{
	struct ol_ruleset *rs = l->named >= 0 ? &l->layers[l->named] : NULL;
	int r = rs ? 0 : new_layer(l, source, &rs, err);

	if (r == 0)
		r = ol_landlockconfig_parse(text, len, rs, err);
	for (size_t i = 0; r == 0 && absolute && i < rs->n_paths; i++)
		if (rs->paths[i].path[0] != '/') {
			r = ol_error_set(err, EINVAL, "'%.200s' is not an absolute path",
					 rs->paths[i].path);
			ol_error_hint(err,
				      "a policy file's paths are resolved from the container's "
				      "root: write them so, such as /srv");
		}
	if (r < 0)
		return ol_error_prefix(err, "invalid policy '%s'", source);
	return 0;
}

static int add_policy_file(struct launcher *l, const char *path, struct ol_error *err)
{
	cleanup_free char *source = NULL;
	cleanup_free char *text = NULL;
	size_t len;
	int r;

	if (asprintf(&source, "--policy-file %s", path) < 0)
		return ol_error_oom(err);
	r = ol_read_file(path, ol_json_policy_limits.max_bytes, &text, &len, err);
	if (r < 0) {
		ol_error_prefix(err, "--policy-file");
		if (r == -ENOENT)
			ol_error_hint(err, "the path is resolved inside the container; "
					   "is the file part of the image or a mount?");
		return r;
	}
	return add_policy(l, text, len, source, true, err);
}

/* --fs-*, --net-bind, --net-connect, --scope: rules for the shorthand layer. */
static int add_rules(struct launcher *l, enum ol_word w, const char *value, struct ol_error *err)
{
	struct ol_ruleset *rs = NULL;
	int r = shorthand_layer(l, &rs, err);

	if (r == 0)
		r = ol_words[w].rules(rs, ol_words[w].param, value, err);
	return r < 0 ? ol_error_prefix(err, "invalid option '--%s'", ol_words[w].option) : 0;
}

/* One option: a word of the vocabulary, and its value (NULL for a flag). */
static int take_word(struct launcher *l, enum ol_word w, const char *value, unsigned *n_policy,
		     struct ol_error *err)
{
	const struct ol_word_info *info = &ol_words[w];
	struct ol_ruleset *rs = NULL;
	char source[32];
	int r;

	switch (w) {
	case OL_KEY_POLICY:
		snprintf(source, sizeof(source), "--policy #%u", ++*n_policy);
		return add_policy(l, value, strlen(value), source, false, err);
	case OL_KEY_POLICY_FILE:
		return add_policy_file(l, value, err);
	case OL_KEY_LEARN:
		l->learn = value;
		return 0;
	case OL_OPT_LAYER:
	case OL_OPT_HOST_LAYER:
		r = new_layer(l, value, &rs, err);
		l->named = (long) l->n_layers - 1;
		if (r == 0)
			rs->quiet_missing = w == OL_OPT_HOST_LAYER;
		return r;
	case OL_OPT_ERROR:
		/* An error found on the host, carried here to fail closed. */
		l->error = value;
		return 0;
	case OL_OPT_WARNING:
		if (l->n_warnings == OL_ARRAY_SIZE(l->warnings))
			return ol_error_set(err, E2BIG, "more than %zu options '--warning'",
					    OL_ARRAY_SIZE(l->warnings));
		l->warnings[l->n_warnings++] = value;
		return 0;
	case OL_OPT_LEARN_EXEC:
		l->learn_exec = true;
		return 0;
	case OL_OPT_HELP:
		l->help = true;
		return 0;
	case OL_OPT_VERSION:
		l->version = true;
		return 0;
	default:
		break;
	}
	if (info->kind == OL_WORD_SETTING)
		return info->setting(&l->enforce, value, err) < 0
			       ? ol_error_prefix(err, "invalid option '--%s'", info->option)
			       : 0;
	return add_rules(l, w, value, err);
}

/*
 * getopt_long() takes any unambiguous prefix ("--m" for "--mode"); the
 * launcher's command line is written by programs and read by auditors, so
 * only the full names count.
 */
static bool exact_option(const char *arg, const char *name)
{
	size_t n = strlen(name);

	return strncmp(arg, "--", 2) == 0 && strncmp(arg + 2, name, n) == 0 &&
	       (arg[2 + n] == '\0' || arg[2 + n] == '=');
}

/* getopt_long()'s ':' (a value missing) and '?' (an unknown option). */
static int bad_option(int opt, char **argv, struct ol_error *err)
{
	if (opt == ':')
		return ol_error_set(err, EINVAL, "option '%s' needs a value", argv[optind - 1]);
	if (optopt > 0 && optopt < 256) {
		ol_error_set(err, EINVAL, "option '-%c' is unknown", optopt);
	} else {
		const char *word = argv[optind - 1];
		struct ol_suggestion s;
		char more[64];

		/* "--fs-r0=/" or "--fs-r0": the name, for the suggestion. */
		ol_suggest_init(&s, word + 2, strcspn(word + 2, "="));
		for (size_t w = 0; w < OL_WORD_COUNT; w++)
			if (ol_words[w].option)
				ol_suggest_try(&s, ol_words[w].option);
		ol_error_set(err, EINVAL, "option '%s' is unknown%s", word,
			     strncmp(word, "--", 2) == 0
				     ? ol_did_you_mean(s.best, "--", '\'', more, sizeof(more))
				     : "");
	}
	return ol_error_hint(err, "see oci-landlock-exec --help");
}

/* The options, up to the command: each into the layers and settings. */
static int parse_options(struct launcher *l, int argc, char **argv, struct ol_error *err)
{
	struct option opts[OL_WORD_COUNT + 1];
	unsigned n_policy = 0;
	int r = 0;

	make_long_options(opts);
	opterr = 0; /* our messages, not getopt's */
	optind = 1;
	while (r == 0) {
		int at = optind, index = -1;
		int opt = getopt_long(argc, argv, "+:h", opts, &index);

		if (opt == -1)
			break;
		if (index >= 0 && !exact_option(argv[at], opts[index].name)) {
			ol_error_set(err, EINVAL, "option '%s' is abbreviated", argv[at]);
			return ol_error_hint(err, "write --%s in full", opts[index].name);
		}
		if (opt == 'h')
			r = take_word(l, OL_OPT_HELP, NULL, &n_policy, err);
		else if (opt >= OPT_WORD && opt < OPT_WORD + OL_WORD_COUNT)
			r = take_word(l, (enum ol_word)(opt - OPT_WORD), optarg, &n_policy, err);
		else
			r = bad_option(opt, argv, err);
	}
	return r;
}

/* What the options say as a whole: a policy, a command, learning alone. */
static int check_parsed(struct launcher *l, int argc, char **argv, struct ol_error *err)
{
	const bool unfiltered = l->enforce.sockets == OL_SOCKETS_UNFILTERED;

	for (size_t i = 0; i < l->n_layers; i++)
		if (ol_ruleset_is_empty(&l->layers[i]))
			return ol_error_set(err, EINVAL, "layer '%s' has no policy",
					    l->layers[i].source);
	if (optind >= argc) {
		ol_error_set(err, EINVAL, "no command given");
		return ol_error_hint(err, "usage: oci-landlock-exec [OPTIONS] -- COMMAND [ARG...]");
	}
	if (l->learn_exec && !l->learn)
		return ol_error_set(err, EINVAL, "option '--learn-exec' needs '--learn FILE'");
	if (l->learn) {
		if (l->n_layers == 0 && unfiltered && l->learn[0]) {
			l->command = argv + optind;
			return 0;
		}
		ol_error_set(err, EINVAL,
			     l->learn[0] ? "--learn cannot be combined with a policy: learning "
					   "mode records what the command uses, it enforces nothing"
					 : "option '--learn' needs a file name");
		return ol_error_hint(err, "record with --learn FILE alone, generate a policy with "
					  "'oci-landlock learn FILE', then run with that policy");
	}
	if (l->n_layers == 0 && unfiltered) {
		/* Running a command unsandboxed by mistake is what we exist to stop. */
		ol_error_set(err, EINVAL, "no policy given");
		return ol_error_hint(err,
				     "give --policy, --policy-file, --fs-*/--net-*/--scope, or "
				     "--net-socket");
	}
	l->command = argv + optind;
	return 0;
}

int launcher_parse_args(struct launcher *l, int argc, char **argv, struct ol_error *err)
{
	int r;

	memset(l, 0, sizeof(*l));
	l->shorthand = -1;
	l->named = -1;
	ol_enforcement_init(&l->enforce);
	r = parse_options(l, argc, argv, err);
	if (l->error) {
		/* The host's message, as ol_error_format() wrote it: its hint
		 * after "\nHint: ", a line of its own again here. */
		const char *hint = strstr(l->error, "\nHint: ");
		if (!hint)
			return ol_error_set(err, EINVAL, "%s", l->error);
		ol_error_set(err, EINVAL, "%.*s", (int) (hint - l->error), l->error);
		return ol_error_hint(err, "%s", hint + strlen("\nHint: "));
	}
	if (r < 0 || l->help || l->version)
		return r;
	return check_parsed(l, argc, argv, err);
}

void launcher_free(struct launcher *l)
{
	ol_layers_free(l->layers, l->n_layers);
	l->layers = NULL;
	l->n_layers = 0;
}
