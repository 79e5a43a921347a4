/* SPDX-License-Identifier: Apache-2.0 */
/* oci-landlock check and oci-landlock abi. */
#include "cli.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "host/request.h"
#include "oci/gokeys.h"
#include "policy/policy.h"
#include "sandbox/apply.h"
#include "sandbox/rights.h"
#include "sandbox/socket-filter.h"

static const char *const kind_label[] = { "file system", "network", "scopes" };

static void print_rights(FILE *out, enum ol_right_kind kind, uint64_t mask)
{
	char names[512];

	uint64_t all = ol_rights_mask(kind, OL_ABI_MAX);

	if (mask && mask == all) {
		fprintf(out, "all");
		return;
	}
	/* "all but execute" reads better than fifteen names. */
	if ((mask & all) == mask && __builtin_popcountll(mask) >= 8 &&
	    __builtin_popcountll(all & ~mask) <= 2) {
		ol_rights_format(kind, all & ~mask, ", ", names, sizeof(names));
		fprintf(out, "all but %s", names);
		return;
	}
	ol_rights_format(kind, mask, ", ", names, sizeof(names));
	fprintf(out, "%s", mask ? names : "-");
}

static void print_layer(FILE *out, size_t n, const struct ol_ruleset *rs)
{
	const uint64_t handled[] = { rs->handled_fs, rs->handled_net, rs->scoped };

	fprintf(out, "layer %zu: %s\n", n, rs->source);
	for (int k = 0; k < 3; k++) {
		fprintf(out, "  handles %-12s ", kind_label[k]);
		print_rights(out, (enum ol_right_kind) k, handled[k]);
		fprintf(out, "\n");
	}
	for (size_t i = 0; i < rs->n_paths; i++) {
		fprintf(out, "  allows  %-24s ", rs->paths[i].path);
		print_rights(out, OL_RIGHT_FS, rs->paths[i].access);
		fprintf(out, "\n");
	}
	for (size_t i = 0; i < rs->n_ports; i++) {
		fprintf(out, "  allows  port %-19llu ", (unsigned long long) rs->ports[i].port);
		print_rights(out, OL_RIGHT_NET, rs->ports[i].access);
		fprintf(out, "\n");
	}
}

/* Print the layers, then fit them to this kernel and say what happens. */
static int verdict(FILE *out, struct ol_compiled *c)
{
	cleanup_strv struct ol_strv dropped = { 0 };
	cleanup_strv struct ol_strv notes = { 0 };
	struct ol_error err = { 0 };
	struct ol_kernel k;
	int r;

	for (size_t i = 0; i < c->n_layers; i++)
		print_layer(out, i + 1, &c->layers[i]);
	if (c->policy_file)
		fprintf(out,
			"layer %zu: policy file '%s' (read by the launcher inside the "
			"container, not checked here)\n",
			c->n_layers + 1, c->policy_file);
	if (c->enforce.sockets == OL_SOCKETS_UNFILTERED) {
		fprintf(out, "sockets: not filtered\n");
		ol_socket_warning(c->layers, c->n_layers, &notes);
	} else if (c->enforce.sockets == 0) {
		fprintf(out, "sockets: none may be created (seccomp; socket() gets EACCES)\n");
	} else {
		char kinds[256];
		ol_socket_kinds_format(c->enforce.sockets, kinds, sizeof(kinds));
		fprintf(out, "sockets: only %s may be created (seccomp; others get EACCES)\n",
			kinds);
	}
	ol_kernel_probe(&k);
	fprintf(out, "mode: %s\nthis kernel: ",
		c->enforce.mode == OL_MODE_STRICT ? "strict" : "best-effort");
	if (k.abi)
		fprintf(out, "Landlock ABI %d\n", k.abi);
	else
		fprintf(out, "no Landlock\n");
	r = ol_layers_fit(&k, c->layers, c->n_layers, c->enforce.mode, &dropped, &err);
	for (size_t i = 0; i < dropped.n; i++)
		fprintf(out, "dropped: %s\n", dropped.v[i]);
	for (size_t i = 0; i < notes.n; i++)
		fprintf(out, "warning: %s\n", notes.v[i]);
	if (r < 0) {
		fprintf(out, "result: refused\n");
		return ol_cli_report(&err);
	}
	fprintf(out, "result: %s\n",
		dropped.n ? "runs, with the restrictions above dropped" : "enforced as written");
	return 0;
}

/* Which runtime the shim would execute, with these settings. */
static void print_runtime(FILE *out, const struct ol_settings *s)
{
	cleanup_free char *runtime = NULL;
	struct ol_error err = { 0 };

	if (ol_settings_runtime(s, NULL, &runtime, &err) < 0)
		fprintf(out, "shim runtime: none (%s)\n", err.msg);
	else
		fprintf(out, "shim runtime: %s (%s)\n", runtime,
			s->runtime ? "the \"runtime\" setting" : "runc, else crun, from PATH");
}

/* What the host decides for every container, and where it says so. */
static void print_host(FILE *out, const struct ol_settings *s)
{
	const char *file = s->file ? s->file : OL_CONFIG_FILE;

	if (s->default_text)
		fprintf(out,
			"host default: the %s, as layer 1 of every container but a pod's "
			"sandbox (\"default\" in %s), in %s mode\n",
			s->default_source, file,
			s->mode == OL_MODE_STRICT ? "strict" : "best-effort");
	else if (s->require)
		fprintf(out,
			"host requires a policy: a container without one is refused "
			"(\"require\" in %s)\n",
			file);
}

static int check_config(FILE *out, const char *file, const struct ol_json *config, const char *id,
			const struct ol_settings *s)
{
	struct ol_error err = { 0 };
	struct ol_request req;
	int r = ol_go_keys_check(config, &err);

	if (r == 0) {
		r = ol_request_build(config, id, s, &req, &err);
	} else {
		ol_error_prefix(&err, "%s", file);
		memset(&req, 0, sizeof(req));
	}
	for (size_t i = 0; i < req.ann.warnings.n; i++)
		fprintf(out, "warning: %s\n", req.ann.warnings.v[i]);
	if (r < 0) {
		ol_request_free(&req);
		return ol_cli_report(&err);
	}
	print_runtime(out, s);
	print_host(out, s);
	if (req.ann.sandbox) {
		fprintf(out, "a pod's sandbox (pause) container: nothing of oci-landlock applies "
			     "to it (the pod's oci.landlock.* annotations and the host's default "
			     "apply to its other containers)\n");
		ol_request_free(&req);
		return 0;
	}
	if (req.ann.other_containers)
		fprintf(out,
			"%zu oci.landlock.KEY/NAME annotation(s) are for other containers than "
			"'%s'\n",
			req.ann.other_containers, req.ann.container);
	if (!req.applies) {
		fprintf(out, "no oci.landlock.* annotation applies to this container, and the "
			     "host gives no default: it runs without Landlock\n");
		ol_request_free(&req);
		return 0;
	}
	fprintf(out, "launcher options:");
	for (size_t i = 0; i < req.options.n; i++)
		fprintf(out, " '%.60s%s'", req.options.v[i],
			strlen(req.options.v[i]) > 60 ? "..." : "");
	fprintf(out, "\n");
	if (req.compiled.learn) {
		fprintf(out,
			"learning mode: the workload runs WITHOUT a sandbox, observed; what it "
			"uses is recorded to '%s' in the container\n"
			"result: runs unconfined (never use learning mode as a sandbox)\n",
			req.compiled.learn);
		ol_request_free(&req);
		return 0;
	}
	r = verdict(out, &req.compiled);
	ol_request_free(&req);
	return r;
}

static bool looks_like_config(const struct ol_json *root)
{
	return ol_json_get(root, "ociVersion") || ol_json_get(root, "process") ||
	       ol_json_get(root, "annotations") || ol_json_get(root, "mounts");
}

int ol_cli_check(int argc, char **argv, const struct ol_settings *s, FILE *out)
{
	cleanup_json struct ol_json *root = NULL;
	cleanup_free char *text = NULL;
	struct ol_compiled c = { 0 };
	struct ol_error err = { 0 };
	const char *file = NULL, *mode = NULL, *id = NULL;
	bool options = true, bad = false;
	size_t len;
	int r;

	/* One FILE, and the options before or after it, until "--". */
	for (int i = 1; i < argc && !bad; i++) {
		if (options && strcmp(argv[i], "--") == 0)
			options = false;
		else if (options && i + 1 < argc && strcmp(argv[i], "--mode") == 0 && !mode)
			mode = argv[++i];
		else if (options && i + 1 < argc && strcmp(argv[i], "--id") == 0 && !id)
			id = argv[++i];
		else if ((options && argv[i][0] == '-' && argv[i][1]) || file)
			bad = true;
		else
			file = argv[i];
	}
	if (bad || !file || (mode && id)) {
		fprintf(stderr,
			"usage: oci-landlock check [--mode strict|best-effort | --id ID] FILE\n");
		return 2;
	}
	r = strcmp(file, "-") == 0
		    ? ol_read_stream(STDIN_FILENO, "stdin", ol_json_config_limits.max_bytes, &text,
				     &len, &err)
		    : ol_read_file(file, ol_json_config_limits.max_bytes, &text, &len, &err);
	if (r == 0)
		r = ol_json_parse(text, len, &ol_json_config_limits, &root, &err);
	if (r < 0 || !root)
		return ol_cli_report(&err);
	if (root->type == OL_JSON_OBJECT && looks_like_config(root)) {
		if (mode) {
			fprintf(stderr, "oci-landlock: --mode applies to a policy; a config "
					"takes its mode from oci.landlock.mode\n");
			return 2;
		}
		return check_config(out, file, root, id, s);
	}
	if (id) {
		fprintf(stderr, "oci-landlock: --id applies to a config, not to a policy\n");
		return 2;
	}
	if (!ol_layers_add(&c.layers, &c.n_layers, file)) {
		ol_compiled_free(&c);
		ol_error_oom(&err);
		return ol_cli_report(&err);
	}
	ol_enforcement_init(&c.enforce);
	r = ol_landlockconfig_load(root, &c.layers[0], &err);
	if (r == 0 && mode)
		r = ol_parse_mode(mode, &c.enforce.mode, &err);
	if (r < 0) {
		ol_error_prefix(&err, "invalid policy '%s'", file);
		ol_compiled_free(&c);
		return ol_cli_report(&err);
	}
	r = verdict(out, &c);
	ol_compiled_free(&c);
	return r;
}

int ol_cli_abi(FILE *out)
{
	static const char *const errata[] = {
		"TCP rights apply to TCP sockets only (ABI 4)",
		"threads of one process may signal each other (ABI 6)",
		"rights on disconnected directories (ABI 1)",
		"whiteouts need make_reg (ABI 1)",
	};
	struct ol_kernel k;
	struct ol_error err = { 0 };
	struct ol_strv w = { 0 };

	ol_kernel_probe(&k);
	if (!k.abi) {
		ol_kernel_require(&k, OL_MODE_STRICT, &w, &err);
		fprintf(out, "Landlock: not available\n");
		return ol_cli_report(&err);
	}
	fprintf(out, "Landlock ABI: %d%s%s%s\n", k.abi, ol_abi_linux(k.abi) ? " (Linux " : "",
		ol_abi_linux(k.abi) ? ol_abi_linux(k.abi) : "",
		ol_abi_linux(k.abi) ? " or later)" : "");
	for (int kind = 0; kind < 3; kind++) {
		fprintf(out, "%-12s ", kind_label[kind]);
		print_rights(out, (enum ol_right_kind) kind,
			     ol_rights_mask((enum ol_right_kind) kind, k.abi));
		fprintf(out, "\n");
	}
	fprintf(out, "audit log flags: %s\n", k.abi >= OL_ABI_LOG_FLAGS ? "yes" : "no");
	fprintf(out, "errata fixed:%s\n", k.errata ? "" : " none reported");
	for (unsigned i = 0; i < 32; i++)
		if (k.errata & (1U << i))
			fprintf(out, "  %u: %s\n", i + 1,
				i < 4 ? errata[i] : "(unknown to this version)");
	fprintf(out, "this oci-landlock knows ABI 1 to %d\n", OL_ABI_MAX);
	return 0;
}
