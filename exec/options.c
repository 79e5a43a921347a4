/* SPDX-License-Identifier: Apache-2.0 */
/* Command-line parsing for oci-landlock-exec. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "launcher.h"
#include "policy/policy.h"
#include "sandbox/apply.h"
#include "sandbox/socket-filter.h"

enum {
	OPT_POLICY = 256,
	OPT_POLICY_FILE,
	OPT_FS_RO,
	OPT_FS_RX,
	OPT_FS_RW,
	OPT_FS_RWX,
	OPT_NET_BIND,
	OPT_NET_CONNECT,
	OPT_SCOPE,
	OPT_MODE,
	OPT_LOG,
	OPT_NET_SOCKET,
	OPT_LAYER,
	OPT_ERROR,
	OPT_LEARN,
	OPT_VERSION,
};

static const struct option long_options[] = {
	{ "policy", required_argument, NULL, OPT_POLICY },
	{ "policy-file", required_argument, NULL, OPT_POLICY_FILE },
	{ "fs-ro", required_argument, NULL, OPT_FS_RO },
	{ "fs-rx", required_argument, NULL, OPT_FS_RX },
	{ "fs-rw", required_argument, NULL, OPT_FS_RW },
	{ "fs-rwx", required_argument, NULL, OPT_FS_RWX },
	{ "net-bind", required_argument, NULL, OPT_NET_BIND },
	{ "net-connect", required_argument, NULL, OPT_NET_CONNECT },
	{ "scope", required_argument, NULL, OPT_SCOPE },
	{ "mode", required_argument, NULL, OPT_MODE },
	{ "log", required_argument, NULL, OPT_LOG },
	{ "net-socket", required_argument, NULL, OPT_NET_SOCKET },
	{ "layer", required_argument, NULL, OPT_LAYER },
	{ "error", required_argument, NULL, OPT_ERROR },
	{ "learn", required_argument, NULL, OPT_LEARN },
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, OPT_VERSION },
	{ NULL, 0, NULL, 0 },
};

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

static int add_shorthand(struct launcher *l, int opt, const char *name, const char *value,
			 struct ol_error *err)
{
	struct ol_ruleset *rs = NULL;
	int r = shorthand_layer(l, &rs, err);

	if (r < 0)
		return r;
	switch (opt) {
	case OPT_FS_RO:
	case OPT_FS_RX:
	case OPT_FS_RW:
	case OPT_FS_RWX:
		r = ol_shorthand_fs(rs, (enum ol_fs_preset)(opt - OPT_FS_RO), value, err);
		break;
	case OPT_NET_BIND:
		r = ol_shorthand_ports(rs, OL_LL_ACCESS_NET_BIND_TCP, value, err);
		break;
	case OPT_NET_CONNECT:
		r = ol_shorthand_ports(rs, OL_LL_ACCESS_NET_CONNECT_TCP, value, err);
		break;
	default:
		r = ol_shorthand_scope(rs, value, err);
		break;
	}
	if (r < 0)
		return ol_error_prefix(err, "invalid option '--%s'", name);
	return 0;
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

int launcher_parse_args(struct launcher *l, int argc, char **argv, struct ol_error *err)
{
	unsigned n_policy = 0;
	int index, r = 0;

	memset(l, 0, sizeof(*l));
	l->shorthand = -1;
	l->named = -1;
	l->sockets = OL_SOCKETS_UNFILTERED;
	l->log_flags = OL_LOG_DEFAULT;
	opterr = 0; /* our messages, not getopt's */
	optind = 1;
	while (r == 0) {
		int at = optind, opt;

		index = -1;
		opt = getopt_long(argc, argv, "+:h", long_options, &index);
		if (opt == -1)
			break;
		if (index >= 0 && !exact_option(argv[at], long_options[index].name)) {
			r = ol_error_set(err, EINVAL, "option '%s' is abbreviated", argv[at]);
			ol_error_hint(err, "write --%s in full", long_options[index].name);
			break;
		}
		switch (opt) {
		case 'h':
			l->help = true;
			break;
		case OPT_VERSION:
			l->version = true;
			break;
		case OPT_POLICY: {
			char source[32];
			snprintf(source, sizeof(source), "--policy #%u", ++n_policy);
			r = add_policy(l, optarg, strlen(optarg), source, false, err);
			break;
		}
		case OPT_POLICY_FILE:
			r = add_policy_file(l, optarg, err);
			break;
		case OPT_MODE:
			r = ol_parse_mode(optarg, &l->mode, err);
			if (r < 0)
				ol_error_prefix(err, "invalid option '--mode'");
			break;
		case OPT_LOG:
			r = ol_parse_log(optarg, &l->log_flags, err);
			if (r < 0)
				ol_error_prefix(err, "invalid option '--log'");
			break;
		case OPT_NET_SOCKET: {
			uint32_t kinds;
			r = ol_socket_kinds_parse(optarg, &kinds, err);
			if (r < 0) {
				ol_error_prefix(err, "invalid option '--net-socket'");
				break;
			}
			/* Each source can only narrow: repeated lists intersect. */
			l->sockets =
				l->sockets == OL_SOCKETS_UNFILTERED ? kinds : l->sockets & kinds;
			break;
		}
		case OPT_LAYER: {
			struct ol_ruleset *rs = NULL;
			r = new_layer(l, optarg, &rs, err);
			l->named = (long) l->n_layers - 1;
			break;
		}
		case OPT_ERROR:
			/* An error found on the host, carried here to fail closed. */
			l->error = optarg;
			break;
		case OPT_LEARN:
			l->learn = optarg;
			break;
		case ':':
			r = ol_error_set(err, EINVAL, "option '%s' needs a value",
					 argv[optind - 1]);
			break;
		case '?':
			if (optopt > 0 && optopt < 256)
				r = ol_error_set(err, EINVAL, "option '-%c' is unknown", optopt);
			else
				r = ol_error_set(err, EINVAL, "option '%s' is unknown",
						 argv[optind - 1]);
			ol_error_hint(err, "see oci-landlock-exec --help");
			break;
		default:
			r = add_shorthand(l, opt, long_options[index].name, optarg, err);
			break;
		}
	}
	if (l->error)
		return ol_error_set(err, EINVAL, "%s", l->error);
	if (r < 0 || l->help || l->version)
		return r;
	for (size_t i = 0; i < l->n_layers; i++)
		if (ol_ruleset_is_empty(&l->layers[i]))
			return ol_error_set(err, EINVAL, "layer '%s' has no policy",
					    l->layers[i].source);
	if (optind >= argc) {
		ol_error_set(err, EINVAL, "no command given");
		return ol_error_hint(err, "usage: oci-landlock-exec [OPTIONS] -- COMMAND [ARG...]");
	}
	if (l->learn) {
		if (l->n_layers == 0 && l->sockets == OL_SOCKETS_UNFILTERED && l->learn[0]) {
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
	if (l->n_layers == 0 && l->sockets == OL_SOCKETS_UNFILTERED) {
		/* Running a command unsandboxed by mistake is what we exist to stop. */
		ol_error_set(err, EINVAL, "no policy given");
		return ol_error_hint(err,
				     "give --policy, --policy-file, --fs-*/--net-*/--scope, or "
				     "--net-socket");
	}
	l->command = argv + optind;
	return 0;
}

void launcher_free(struct launcher *l)
{
	ol_layers_free(l->layers, l->n_layers);
	l->layers = NULL;
	l->n_layers = 0;
}
