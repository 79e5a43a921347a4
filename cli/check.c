/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock check: read what to check (a config, a bundle, -a
 * annotations, a policy), work out what the host and this kernel make of
 * it, and hand that to the text or the JSON printer.
 */
#include "check.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "oci/gokeys.h"
#include "policy/advice.h"
#include "policy/policy.h"
#include "policy/toml.h"
#include "sandbox/apply.h"
#include "sandbox/socket-filter.h"

#define USAGE                                                                                      \
	"usage: oci-landlock check [--mode strict|best-effort | --id ID] [-a KEY=VALUE]...\n"      \
	"                          [--policy-file FILE] [--json] [FILE|BUNDLE]\n"

struct check_args {
	const char *file, *mode, *id, *policy_file;
	struct ol_strv annotations; /* KEY=VALUE */
	bool json;
};

void check_free(struct check *c)
{
	ol_request_free(&c->req);
	ol_compiled_free(&c->policy);
	ol_strv_free(&c->warnings);
	ol_strv_free(&c->dropped);
	ol_strv_free(&c->notes);
	ol_effective_free(&c->eff);
}

/* A copy of the layers, for the kernel fit to change. */
static int copy_layers(const struct ol_compiled *from, struct ol_compiled *to)
{
	memset(to, 0, sizeof(*to));
	to->layers = calloc(from->n_layers ? from->n_layers : 1, sizeof(*to->layers));
	if (!to->layers)
		return -ENOMEM;
	for (; to->n_layers < from->n_layers; to->n_layers++)
		if (ol_ruleset_copy(&to->layers[to->n_layers], &from->layers[to->n_layers]) < 0)
			return -ENOMEM;
	return 0;
}

/* Fit the layers to this kernel, and what every layer allows there. */
static void verdict(struct check *c)
{
	struct ol_compiled fitted = { 0 };
	int r;

	ol_kernel_probe(&c->k);
	if (c->c->enforce.sockets == OL_SOCKETS_UNFILTERED)
		ol_socket_warning(c->c->layers, c->c->n_layers, c->k.abi, &c->notes);
	r = copy_layers(c->c, &fitted);
	if (r < 0)
		ol_error_oom(&c->err);
	else
		r = ol_layers_fit(&c->k, fitted.layers, fitted.n_layers, c->c->enforce.mode,
				  &c->dropped, &c->err);
	if (r == 0 && c->k.abi)
		c->have_eff = ol_effective_compute(fitted.layers, fitted.n_layers, c->k.abi,
						   &c->eff, &c->err) == 0;
	ol_compiled_free(&fitted);
	if (r < 0 || (c->k.abi && !c->have_eff))
		c->outcome = CHECK_REFUSED;
	else
		c->outcome = c->dropped.n ? CHECK_DROPPED : CHECK_ENFORCED;
}

/*
 * The image's policy file, given from the host (--policy-file), as the
 * layer the launcher would read: its paths must be absolute there too.
 */
static int add_policy_file(struct check *c, struct ol_error *err)
{
	struct ol_compiled *cc = c->c;
	cleanup_free char *source = NULL;
	cleanup_free char *text = NULL;
	struct ol_ruleset *rs;
	size_t len;

	if (!cc->policy_file) {
		ol_error_set(err, EINVAL,
			     "--policy-file '%s': the container names no policy file "
			     "(no oci.landlock.policy-file annotation)",
			     c->policy_file);
		return ol_error_hint(err, "give --policy-file where the annotations name one");
	}
	if (ol_read_file(c->policy_file, ol_json_policy_limits.max_bytes, &text, &len, err) < 0)
		return ol_error_prefix(err, "--policy-file");
	if (asprintf(&source, "policy file '%s'", cc->policy_file) < 0 ||
	    !(rs = ol_layers_add(&cc->layers, &cc->n_layers, source)))
		return ol_error_oom(err);
	if (ol_landlockconfig_parse(text, len, rs, err) < 0)
		return ol_error_prefix(err, "invalid policy '%s' (--policy-file for '%s')",
				       c->policy_file, cc->policy_file);
	for (size_t i = 0; i < rs->n_paths; i++)
		if (rs->paths[i].path[0] != '/') {
			ol_error_set(err, EINVAL,
				     "invalid policy '%s' (--policy-file for '%s'): '%.200s' is "
				     "not an absolute path",
				     c->policy_file, cc->policy_file, rs->paths[i].path);
			return ol_error_hint(err, "a policy file's paths are resolved from the "
						  "container's root: write them so, such as /srv");
		}
	return 0;
}

static void check_config(struct check *c, const struct ol_json *config, const char *id)
{
	int r = ol_go_keys_check(config, &c->err);

	c->config = true;
	c->c = &c->req.compiled;
	if (r == 0)
		r = ol_request_build(config, id, c->s, &c->req, &c->err);
	else
		ol_error_prefix(&c->err, "%s", c->file);
	if (ol_request_warnings(&c->req, &c->warnings) < 0 ||
	    ol_advice_annotations(&c->req.ann, &c->warnings) < 0)
		r = ol_error_oom(&c->err);
	if (r < 0)
		c->outcome = CHECK_INVALID;
	else if (c->req.ann.sandbox)
		c->outcome = CHECK_EXEMPT;
	else if (!c->req.applies)
		c->outcome = CHECK_NONE;
	else if (c->req.compiled.learn)
		c->outcome = CHECK_LEARNING;
	else if (!c->policy_file || add_policy_file(c, &c->err) == 0)
		verdict(c);
	else
		c->late = true; /* outcome: CHECK_INVALID */
}

static void check_policy(struct check *c, const struct ol_json *root, const char *mode)
{
	int r;

	c->c = &c->policy;
	if (!ol_layers_add(&c->policy.layers, &c->policy.n_layers, c->file)) {
		ol_error_oom(&c->err);
		c->outcome = CHECK_INVALID;
		return;
	}
	ol_enforcement_init(&c->policy.enforce);
	r = ol_landlockconfig_load(root, &c->policy.layers[0], &c->err);
	if (r == 0 && mode)
		r = ol_parse_mode(mode, &c->policy.enforce.mode, &c->err);
	if (r == 0 && ol_advice_relative(&c->policy.layers[0], c->file, &c->warnings) < 0)
		r = ol_error_oom(&c->err);
	if (r < 0) {
		ol_error_prefix(&c->err, "invalid policy '%s'", c->file);
		c->outcome = CHECK_INVALID;
		return;
	}
	verdict(c);
}

static bool looks_like_config(const struct ol_json *root)
{
	return ol_json_get(root, "ociVersion") || ol_json_get(root, "process") ||
	       ol_json_get(root, "annotations") || ol_json_get(root, "mounts");
}

/* The options, before or after the one operand, until "--". */
static int parse_args(int argc, char **argv, struct check_args *a)
{
	bool options = true;

	for (int i = 1; i < argc; i++) {
		const char *o = argv[i];
		bool value = options && i + 1 < argc;

		if (options && strcmp(o, "--") == 0)
			options = false;
		else if (value && strcmp(o, "--mode") == 0 && !a->mode)
			a->mode = argv[++i];
		else if (value && strcmp(o, "--id") == 0 && !a->id)
			a->id = argv[++i];
		else if (value && strcmp(o, "--policy-file") == 0 && !a->policy_file)
			a->policy_file = argv[++i];
		else if (value && (strcmp(o, "-a") == 0 || strcmp(o, "--annotation") == 0)) {
			if (ol_strv_push(&a->annotations, argv[++i]) < 0)
				return -ENOMEM;
		} else if (options && strcmp(o, "--json") == 0)
			a->json = true;
		else if ((options && o[0] == '-' && o[1]) || a->file)
			return -EINVAL;
		else
			a->file = o;
	}
	return a->file || a->annotations.n ? 0 : -EINVAL;
}

/* The config -a annotations go into, when no file is given. */
static struct ol_json *empty_config(void)
{
	struct ol_json *root = ol_json_new(OL_JSON_OBJECT);
	struct ol_json *process = ol_json_new(OL_JSON_OBJECT);
	struct ol_json *args = ol_json_new(OL_JSON_ARRAY);

	if (!root || ol_json_object_set(root, "ociVersion", ol_json_new_string("1.0.2")) < 0 ||
	    ol_json_object_set(root, "process", process) < 0) {
		ol_json_free(root);
		ol_json_free(args);
		return NULL;
	}
	if (ol_json_object_set(process, "args", args) < 0 ||
	    ol_json_array_push(args, ol_json_new_string("sh")) < 0) {
		ol_json_free(root);
		return NULL;
	}
	return root;
}

/* -a KEY=VALUE: set in the config's annotations, replacing the file's. */
static int add_annotations(struct ol_json *root, const struct ol_strv *list, struct ol_error *err)
{
	struct ol_json *ann = ol_json_get(root, "annotations");

	if (!ann) {
		ann = ol_json_new(OL_JSON_OBJECT);
		if (ol_json_object_set(root, "annotations", ann) < 0)
			return ol_error_oom(err);
	}
	if (ann->type != OL_JSON_OBJECT)
		return ol_error_set(err, EINVAL, "the config's \"annotations\" is not an object");
	for (size_t i = 0; i < list->n; i++) {
		cleanup_free char *key = strdup(list->v[i]);
		char *eq = key ? strchr(key, '=') : NULL;

		if (!eq) /* ol_cli_check() let only KEY=VALUE through */
			return ol_error_oom(err);
		*eq = '\0';
		if (ol_json_object_set(ann, key, ol_json_new_string(eq + 1)) < 0)
			return ol_error_oom(err);
	}
	return 0;
}

/* FILE, BUNDLE/config.json or stdin, parsed; *label names it. */
static int load(const char *file, struct ol_json **root, char **label, struct ol_error *err)
{
	cleanup_free char *text = NULL;
	struct stat st;
	size_t len;
	int r;

	if (strcmp(file, "-") == 0) {
		*label = strdup(file);
		if (!*label)
			return ol_error_oom(err);
		r = ol_read_stream(STDIN_FILENO, "stdin", ol_json_config_limits.max_bytes, &text,
				   &len, err);
	} else {
		bool bundle = stat(file, &st) == 0 && S_ISDIR(st.st_mode);
		if ((bundle		       ? asprintf(label, "%s/config.json", file)
		     : (*label = strdup(file)) ? 0
					       : -1) < 0) {
			*label = NULL;
			return ol_error_oom(err);
		}
		r = ol_read_file(*label, ol_json_config_limits.max_bytes, &text, &len, err);
		if (r == -ENOENT && bundle)
			ol_error_hint(err, "a bundle directory holds config.json");
	}
	if (r == 0 && ol_toml_file_name(*label)) {
		/* Checked as TOML first, so that an error names TOML's lines. */
		cleanup_free char *json = NULL;
		r = ol_toml_to_json_text(text, len, &json, &len, err);
		if (r < 0)
			return ol_error_prefix(err, "invalid policy '%s'", *label);
		r = ol_json_parse(json, len, &ol_json_policy_limits, root, err);
	} else if (r == 0) {
		r = ol_json_parse(text, len, &ol_json_config_limits, root, err);
	}
	return r;
}

static int misuse(const char *message)
{
	fprintf(stderr, "oci-landlock: %s\n", message);
	return 2;
}

static int run(const struct check_args *a, const struct ol_settings *s, FILE *out)
{
	cleanup_json struct ol_json *root = NULL;
	cleanup_free char *label = NULL;
	struct check c = { .s = s, .policy_file = a->policy_file };
	struct ol_error err = { 0 };
	bool config;
	int r;

	if (a->file && load(a->file, &root, &label, &err) < 0)
		return ol_cli_report(&err);
	if (!a->file && !(root = empty_config()))
		return ol_cli_report((ol_error_oom(&err), &err));
	if (!root)
		return ol_cli_report(&err);
	/* A .toml file is a landlockconfig policy, whatever its keys. */
	config = root->type == OL_JSON_OBJECT && (looks_like_config(root) || !a->file) &&
		 !(label && ol_toml_file_name(label));
	if (config && a->mode)
		return misuse("--mode applies to a policy; a config takes its mode from "
			      "oci.landlock.mode");
	if (!config && a->id)
		return misuse("--id applies to a config, not to a policy");
	if (!config && a->annotations.n)
		return misuse("-a applies to a config, not to a policy");
	if (!config && a->policy_file)
		return misuse("--policy-file applies to a config whose annotations name a policy "
			      "file, not to a policy");
	if (a->annotations.n && add_annotations(root, &a->annotations, &err) < 0)
		return ol_cli_report((ol_error_prefix(&err, "%s", label ? label : "-a"), &err));
	c.file = label ? label : "-a";
	if (config)
		check_config(&c, root, a->id);
	else
		check_policy(&c, root, a->mode);
	r = a->json ? ol_check_print_json(out, &c) : ol_check_print_text(out, &c);
	check_free(&c);
	return r;
}

int ol_cli_check(int argc, char **argv, const struct ol_settings *s, FILE *out)
{
	struct check_args a = { 0 };
	int r = parse_args(argc, argv, &a);

	if (r == -ENOMEM) {
		struct ol_error err = { 0 };
		ol_strv_free(&a.annotations);
		return ol_cli_report((ol_error_oom(&err), &err));
	}
	if (r < 0 || (a.mode && a.id)) {
		ol_strv_free(&a.annotations);
		fprintf(stderr, USAGE);
		return 2;
	}
	for (size_t i = 0; i < a.annotations.n; i++) {
		const char *eq = strchr(a.annotations.v[i], '=');
		if (!eq || eq == a.annotations.v[i]) {
			fprintf(stderr,
				"oci-landlock: -a '%s': expected KEY=VALUE\n"
				"Hint: for example -a oci.landlock.fs.ro=/usr\n",
				a.annotations.v[i]);
			ol_strv_free(&a.annotations);
			return 2;
		}
	}
	r = run(&a, s, out);
	ol_strv_free(&a.annotations);
	return r;
}
