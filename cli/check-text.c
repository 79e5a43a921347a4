/* SPDX-License-Identifier: Apache-2.0 */
/* oci-landlock check, printed for people. */
#include <string.h>

#include "check.h"
#include "cli.h"
#include "common/buf.h"
#include "common/cleanup.h"
#include "common/text.h"
#include "sandbox/rights.h"
#include "sandbox/socket-filter.h"

const char *const ol_check_kind_label[3] = { "file system", "network", "scopes" };

/* Text from annotations and files, with what a terminal would act on
 * written out; one use per call of fprintf (one buffer). */
static const char *printable(const char *s)
{
	static char buf[4 * 4096];

	return ol_printable(s, buf, sizeof(buf));
}

/* "all" and "all but" count the rights of this ABI. */
static void print_rights_of(FILE *out, enum ol_right_kind kind, uint64_t mask, int abi)
{
	char names[512];

	uint64_t all = ol_rights_mask(kind, abi);

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

void ol_check_print_rights(FILE *out, enum ol_right_kind kind, uint64_t mask)
{
	print_rights_of(out, kind, mask, OL_ABI_MAX);
}

void ol_check_print_shell(FILE *out, const struct ol_strv *words)
{
	for (size_t i = 0; i < words->n; i++) {
		cleanup_buf struct ol_buf b = { 0 };
		if (ol_shell_quote(&b, words->v[i]) < 0 || ol_buf_append(&b, "", 1) < 0) {
			fprintf(out, "%s(out of memory)", i ? " " : "");
			continue;
		}
		fprintf(out, "%s%s", i ? " " : "", b.data);
	}
}

static void print_layer(FILE *out, size_t n, const struct ol_ruleset *rs)
{
	const uint64_t handled[] = { rs->handled_fs, rs->handled_net, rs->scoped };
	const uint64_t quiet[] = { ol_ruleset_quiet_fs(rs), ol_ruleset_quiet_net(rs),
				   rs->quiet_scoped };
	const bool any_quiet = ol_ruleset_has_quiet(rs);

	fprintf(out, "layer %zu: %s\n", n, printable(rs->source));
	for (int k = 0; k < 3; k++) {
		fprintf(out, "  handles %-12s ", ol_check_kind_label[k]);
		ol_check_print_rights(out, (enum ol_right_kind) k, handled[k]);
		fprintf(out, "\n");
	}
	/* Only a layer that says something of quiet logging shows it. */
	for (int k = 0; any_quiet && k < 3; k++) {
		fprintf(out, "  quiet   %-12s ", ol_check_kind_label[k]);
		ol_check_print_rights(out, (enum ol_right_kind) k, quiet[k]);
		fprintf(out, "\n");
	}
	for (size_t i = 0; i < rs->n_paths; i++) {
		fprintf(out, "  allows  %-24s ", printable(rs->paths[i].path));
		ol_check_print_rights(out, OL_RIGHT_FS, rs->paths[i].access);
		fprintf(out, "%s\n", rs->paths[i].quiet ? " (quiet)" : "");
	}
	for (size_t i = 0; i < rs->n_ports; i++) {
		fprintf(out, "  allows  port %-19llu ", (unsigned long long) rs->ports[i].port);
		ol_check_print_rights(out, OL_RIGHT_NET, rs->ports[i].access);
		fprintf(out, "%s\n", rs->ports[i].quiet ? " (quiet)" : "");
	}
}

/* " (layer 2 denies execute)": which layer takes away what a rule grants. */
static void print_denials(FILE *out, enum ol_right_kind kind, const struct ol_effective_rule *e,
			  size_t n)
{
	const char *sep = " (";
	char names[512];

	for (size_t l = 0; l < n; l++)
		if (e->granted & ~e->layer[l]) {
			ol_rights_format(kind, e->granted & ~e->layer[l], ", ", names,
					 sizeof(names));
			fprintf(out, "%slayer %zu denies %s", sep, l + 1, names);
			sep = "; ";
		}
	if (sep[0] == ';')
		fprintf(out, ")");
}

static void print_effective(FILE *out, const struct check *c)
{
	const struct ol_effective *e = &c->eff;
	char what[64];

	fprintf(out,
		"effective access (what every layer allows, /bin read as /usr/bin as on "
		"merged-/usr images; the kernel denies the rest%s):\n",
		c->c->policy_file && !c->policy_file
			? ", without the policy file: give it with --policy-file FILE"
			: "");
	for (size_t i = 0; i < e->n_paths; i++) {
		fprintf(out, "  %-30s ", printable(e->paths[i].path));
		print_rights_of(out, OL_RIGHT_FS, e->paths[i].allowed, e->abi);
		print_denials(out, OL_RIGHT_FS, &e->paths[i], e->n_layers);
		fprintf(out, "\n");
	}
	fprintf(out, "  %-30s ", "any other path");
	print_rights_of(out, OL_RIGHT_FS, e->fs_elsewhere, e->abi);
	fprintf(out, "\n");
	for (size_t i = 0; i < e->n_ports; i++) {
		if (e->ports[i].port == e->ports[i].port_hi)
			snprintf(what, sizeof(what), "port %llu",
				 (unsigned long long) e->ports[i].port);
		else
			snprintf(what, sizeof(what), "ports %llu-%llu",
				 (unsigned long long) e->ports[i].port,
				 (unsigned long long) e->ports[i].port_hi);
		fprintf(out, "  %-30s ", what);
		print_rights_of(out, OL_RIGHT_NET, e->ports[i].allowed, e->abi);
		print_denials(out, OL_RIGHT_NET, &e->ports[i], e->n_layers);
		fprintf(out, "\n");
	}
	fprintf(out, "  %-30s ", "other ports");
	print_rights_of(out, OL_RIGHT_NET, e->net_elsewhere, e->abi);
	fprintf(out, "\n  %-30s ", "scoped");
	print_rights_of(out, OL_RIGHT_SCOPE, e->scoped, e->abi);
	fprintf(out, "\n");
}

/* The layers, what this kernel makes of them, and the result. */
static int print_verdict(FILE *out, const struct check *c)
{
	const struct ol_compiled *cc = c->c;

	for (size_t i = 0; i < cc->n_layers; i++)
		print_layer(out, i + 1, &cc->layers[i]);
	if (cc->policy_file && !c->policy_file)
		fprintf(out,
			"layer %zu: policy file '%s' (read by the launcher inside the "
			"container, not checked here)\n",
			cc->n_layers + 1, cc->policy_file);
	if (cc->enforce.sockets == OL_SOCKETS_UNFILTERED) {
		fprintf(out, "sockets: not filtered\n");
	} else if (cc->enforce.sockets == 0) {
		fprintf(out, "sockets: none may be created (seccomp; socket() gets EACCES)\n");
	} else {
		char kinds[256];
		ol_socket_kinds_format(cc->enforce.sockets, kinds, sizeof(kinds));
		fprintf(out, "sockets: only %s may be created (seccomp; others get EACCES)\n",
			kinds);
	}
	fprintf(out, "mode: %s\nthis kernel: ",
		cc->enforce.mode == OL_MODE_STRICT ? "strict" : "best-effort");
	if (c->k.abi)
		fprintf(out, "Landlock ABI %d\n", c->k.abi);
	else
		fprintf(out, "no Landlock\n");
	for (size_t i = 0; i < c->dropped.n; i++)
		fprintf(out, "dropped: %s\n", printable(c->dropped.v[i]));
	for (size_t i = 0; i < c->notes.n; i++)
		fprintf(out, "warning: %s\n", printable(c->notes.v[i]));
	if (c->outcome == CHECK_REFUSED) {
		fprintf(out, "result: refused\n");
		return ol_cli_report(&c->err);
	}
	if (c->have_eff && cc->n_layers > 1)
		print_effective(out, c);
	fprintf(out, "result: %s\n",
		c->dropped.n ? "runs, with the restrictions above dropped" : "enforced as written");
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

static int print_config(FILE *out, const struct check *c)
{
	const struct ol_request *req = &c->req;

	print_runtime(out, c->s);
	print_host(out, c->s);
	if (c->outcome == CHECK_EXEMPT) {
		fprintf(out, "a pod's sandbox (pause) container: nothing of oci-landlock applies "
			     "to it (the pod's oci.landlock.* annotations and the host's default "
			     "apply to its other containers)\n");
		return 0;
	}
	if (req->ann.other_containers)
		fprintf(out,
			"%zu oci.landlock.KEY/NAME annotation(s) are for other containers than "
			"'%s'\n",
			req->ann.other_containers, req->ann.container);
	if (c->outcome == CHECK_NONE) {
		fprintf(out, "no oci.landlock.* annotation applies to this container, and the "
			     "host gives no default: it runs without Landlock\n");
		return 0;
	}
	fprintf(out, "launcher options: ");
	ol_check_print_shell(out, &req->options);
	fprintf(out, "\n");
	if (c->outcome == CHECK_LEARNING) {
		fprintf(out,
			"learning mode: the workload runs WITHOUT a sandbox, observed; what it "
			"uses is recorded to '%s' in the container\n"
			"result: runs unconfined (never use learning mode as a sandbox)\n",
			req->compiled.learn);
		return 0;
	}
	if (c->outcome == CHECK_INVALID)
		return ol_cli_report(&c->err);
	return print_verdict(out, c);
}

int ol_check_print_text(FILE *out, const struct check *c)
{
	for (size_t i = 0; i < c->warnings.n; i++)
		fprintf(out, "warning: %s\n", c->warnings.v[i]);
	/* A config refused as read: nothing more to say. */
	if (c->outcome == CHECK_INVALID && !c->late)
		return ol_cli_report(&c->err);
	return c->config ? print_config(out, c) : print_verdict(out, c);
}
