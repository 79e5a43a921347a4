/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock-exec: apply Landlock layers to itself and exec a command.
 *
 * Runs as the first program of a container (injected by the hook or the
 * runtime shim, or an image's ENTRYPOINT).  It is linked statically so it
 * runs in any image, and it is the only place where policy paths are
 * resolved: inside the container, after pivot_root.
 *
 * Order: parse every policy; probe the kernel once; fit each layer to it;
 * open the rule paths and build every ruleset; no_new_privs; restrict;
 * close the ruleset descriptors; exec.  Every descriptor we open is
 * O_CLOEXEC; descriptors we inherited are left to the workload.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "common/strv.h"
#include "launcher.h"
#include "learn-run.h"
#include "sandbox/abi.h"
#include "sandbox/apply.h"
#include "sandbox/rights.h"
#include "sandbox/socket-filter.h"

#define PROGRAM "oci-landlock-exec"

static void print_error(const struct ol_error *err)
{
	char text[OL_ERROR_TEXT_MAX];

	fprintf(stderr, "%s\n", ol_error_format(err, PROGRAM, OL_ERROR_LINES, text, sizeof(text)));
}

static void print_warnings(struct ol_strv *warnings)
{
	for (size_t i = 0; i < warnings->n; i++)
		fprintf(stderr, PROGRAM ": warning: %s\n", warnings->v[i]);
	ol_strv_free(warnings);
}

/* The options of one section of the usage text, from the vocabulary. */
static void usage_section(enum ol_word_section section)
{
	for (size_t w = 0; w < OL_WORD_COUNT; w++) {
		const struct ol_word_info *info = &ol_words[w];
		char head[32];

		if (!info->option || info->section != section)
			continue;
		if (w == OL_OPT_HELP)
			snprintf(head, sizeof(head), "-h, --help");
		else if (!info->arg)
			snprintf(head, sizeof(head), "    --%s", info->option);
		else
			snprintf(head, sizeof(head), "--%s %s", info->option, info->arg);
		printf("  %-23s ", head);
		/* Each line of the help under the first, in its column. */
		for (const char *p = info->help; *p; p++)
			if (*p == '\n')
				printf("\n%26s", "");
			else
				putchar(*p);
		putchar('\n');
	}
}

static void usage(void)
{
	printf("Usage: " PROGRAM " [OPTIONS] -- COMMAND [ARG...]\n"
	       "Run COMMAND inside a Landlock sandbox it can never leave.\n\n"
	       "Policies (each --policy and --policy-file is one layer; all the\n"
	       "--fs, --net and --scope options together are one more layer):\n");
	usage_section(OL_SECTION_POLICY);
	printf("\nSettings:\n");
	usage_section(OL_SECTION_SETTING);
	printf("\nLearning (no sandbox: never use it as one):\n");
	usage_section(OL_SECTION_LEARNING);
	printf("\n");
	usage_section(OL_SECTION_OTHER);
	printf("\nExit status: COMMAND's own; 126 when the sandbox cannot be set up\n"
	       "or COMMAND cannot run; 127 when COMMAND is not found.\n");
}

/* Build the ruleset of every fitted layer.  Returns how many fds were built. */
static int build_layers(struct launcher *l, const struct ol_kernel *k, int *fds,
			struct ol_strv *warnings, struct ol_error *err)
{
	int n = 0;

	for (size_t i = 0; i < l->n_layers; i++) {
		struct ol_ruleset *rs = &l->layers[i];
		int fd;
		if (ol_ruleset_is_empty(rs))
			continue;
		fd = ol_ruleset_build(rs, k->abi, warnings, err);
		if (fd < 0)
			return fd;
		fds[n++] = fd;
	}
	return n;
}

/*
 * --confirm on: one line, once everything is enforced, that says what is:
 * the layers the kernel stacked and what they handle together.
 */
static void confirm(const struct launcher *l, const struct ol_kernel *k, int n)
{
	uint64_t fs = 0, net = 0, scoped = 0;
	char net_names[256], scope_names[256], sockets[256];

	for (size_t i = 0; i < l->n_layers; i++) {
		fs |= l->layers[i].handled_fs;
		net |= l->layers[i].handled_net;
		scoped |= l->layers[i].scoped;
	}
	ol_rights_format(OL_RIGHT_NET, net, ",", net_names, sizeof(net_names));
	ol_rights_format(OL_RIGHT_SCOPE, scoped, ",", scope_names, sizeof(scope_names));
	if (l->enforce.sockets == OL_SOCKETS_UNFILTERED)
		snprintf(sockets, sizeof(sockets), "any");
	else
		ol_socket_kinds_format(l->enforce.sockets, sockets, sizeof(sockets));
	fprintf(stderr,
		PROGRAM ": sandbox applied: %d layer%s, ABI %d, %s; fs: %d of %d rights; "
			"net: %s; scoped: %s; sockets: %s\n",
		n, n == 1 ? "" : "s", k->abi,
		l->enforce.mode == OL_MODE_STRICT ? "strict" : "best-effort",
		__builtin_popcountll(fs), __builtin_popcountll(ol_rights_mask(OL_RIGHT_FS, k->abi)),
		net_names[0] ? net_names : "none", scope_names[0] ? scope_names : "none", sockets);
}

static int run(struct launcher *l, struct ol_error *err)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	cleanup_free int *fds = NULL;
	struct ol_kernel kernel;
	int n, r;

	ol_kernel_probe(&kernel);
	r = ol_layers_fit(&kernel, l->layers, l->n_layers, l->enforce.mode, &warnings, err);
	if (r < 0) {
		print_warnings(&warnings);
		return OL_EXIT_CANNOT_RUN;
	}
	fds = calloc(l->n_layers, sizeof(*fds));
	if (!fds) {
		ol_error_oom(err);
		return OL_EXIT_CANNOT_RUN;
	}
	n = kernel.abi ? build_layers(l, &kernel, fds, &warnings, err) : 0;
	if (n >= 0 && l->enforce.sockets == OL_SOCKETS_UNFILTERED)
		ol_socket_warning(l->layers, l->n_layers, kernel.abi, &warnings);
	print_warnings(&warnings);
	if (n < 0)
		return OL_EXIT_CANNOT_RUN;
	r = ol_sandbox_enforce(fds, (size_t) n, l->enforce.log_flags, kernel.abi,
			       l->enforce.sockets, err);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	if (r < 0)
		return OL_EXIT_CANNOT_RUN;
	if (l->enforce.confirm)
		confirm(l, &kernel, n);
	/* The sandbox is in place: only the exec is left. */
	return launcher_exec_in(l->command, n > 0 ? l : NULL, err);
}

/*
 * The runtime shim runs exec sessions as /proc/self/fd/N, the host's file
 * itself (host/exec-wrap.c): that descriptor is ours, not the command's.
 */
static void close_own_descriptor(const char *argv0)
{
	static const char prefix[] = "/proc/self/fd/";
	uint64_t fd;

	if (argv0 && strncmp(argv0, prefix, sizeof(prefix) - 1) == 0 &&
	    ol_parse_uint(argv0 + sizeof(prefix) - 1, strlen(argv0 + sizeof(prefix) - 1), INT_MAX,
			  &fd) == 0 &&
	    fd > STDERR_FILENO)
		close((int) fd);
}

int main(int argc, char **argv)
{
	struct ol_error err = { 0 };
	struct launcher l;
	int status;

	close_own_descriptor(argv[0]);
	if (launcher_parse_args(&l, argc, argv, &err) < 0) {
		print_error(&err);
		launcher_free(&l);
		return OL_EXIT_CANNOT_RUN;
	}
	if (l.help || l.version) {
		if (l.help)
			usage();
		else
			printf(PROGRAM " %s (Landlock ABI 1 to %d)\n", OL_VERSION, OL_ABI_MAX);
		launcher_free(&l);
		return 0;
	}
	for (size_t i = 0; i < l.n_warnings; i++)
		fprintf(stderr, PROGRAM ": warning: %s\n", l.warnings[i]);
	if (l.learn) {
		fprintf(stderr,
			PROGRAM ": warning: learning mode: the command runs without a "
				"Landlock sandbox, only observed; never use it as a sandbox\n");
		status = learn_run(l.learn, l.learn_exec, l.command, &err);
	} else {
		status = run(&l, &err);
	}
	if (err.code)
		print_error(&err);
	launcher_free(&l);
	return status;
}
