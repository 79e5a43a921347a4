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

static void usage(void)
{
	printf("Usage: " PROGRAM " [OPTIONS] -- COMMAND [ARG...]\n"
	       "Run COMMAND inside a Landlock sandbox it can never leave.\n\n"
	       "Policies (each --policy and --policy-file is one layer; all the\n"
	       "--fs, --net and --scope options together are one more layer):\n"
	       "  --policy JSON        a landlockconfig document\n"
	       "  --policy-file PATH   the same, read from a file\n"
	       "  --fs-ro PATHS        read files and list directories under PATHS\n"
	       "  --fs-rx PATHS        the same, and execute\n"
	       "  --fs-rw PATHS        every file-system right but execute\n"
	       "  --fs-rwx PATHS       every file-system right\n"
	       "                       (PATHS is ':'-separated)\n"
	       "  --net-bind PORTS     TCP ports it may bind (80,443,8000-8099;\n"
	       "                       \"\" denies all)\n"
	       "  --net-connect PORTS  TCP ports it may connect to (\"\" denies all)\n"
	       "  --scope LIST         abstract_unix_socket,signal or all: no\n"
	       "                       abstract sockets or signals outside\n"
	       "  --net-socket LIST    socket kinds that may be created (seccomp):\n"
	       "                       unix,tcp,mptcp,udp,icmp,raw,netlink,packet,\n"
	       "                       vsock, or none; others fail with EACCES\n"
	       "  --layer NAME         start a layer named NAME: the policy options\n"
	       "                       that follow all add to it (merged)\n\n"
	       "Settings:\n"
	       "  --mode MODE          strict (default): refuse to run what this\n"
	       "                       kernel cannot enforce; best-effort: drop it\n"
	       "  --log LIST           audit logging of denials: new-exec-on\n"
	       "                       (default), same-exec-off, subdomains-off, off\n"
	       "  --error MESSAGE      refuse to run, saying MESSAGE (the hook carries\n"
	       "                       errors it found on the host this way)\n\n"
	       "Learning (no sandbox: never use it as one):\n"
	       "  --learn FILE         run COMMAND unconfined but observed and write\n"
	       "                       what it used to FILE; 'oci-landlock learn FILE'\n"
	       "                       turns that into a policy\n\n"
	       "  -h, --help           show this help\n"
	       "      --version        show the version and the Landlock ABI known\n\n"
	       "Exit status: COMMAND's own; 126 when the sandbox cannot be set up\n"
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

static int run(struct launcher *l, struct ol_error *err)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	cleanup_free int *fds = NULL;
	struct ol_kernel kernel;
	int n, r;

	ol_kernel_probe(&kernel);
	r = ol_layers_fit(&kernel, l->layers, l->n_layers, l->mode, &warnings, err);
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
	if (n >= 0 && l->sockets == OL_SOCKETS_UNFILTERED)
		ol_socket_warning(l->layers, l->n_layers, &warnings);
	print_warnings(&warnings);
	if (n < 0)
		return OL_EXIT_CANNOT_RUN;
	r = ol_sandbox_enforce(fds, (size_t) n, l->log_flags, kernel.abi, l->sockets, err);
	for (int i = 0; i < n; i++)
		close(fds[i]);
	if (r < 0)
		return OL_EXIT_CANNOT_RUN;
	/* The sandbox is in place: only the exec is left. */
	return launcher_exec(l->command, err);
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
	if (l.learn) {
		fprintf(stderr,
			PROGRAM ": warning: learning mode: the command runs without a "
				"Landlock sandbox, only observed; never use it as a sandbox\n");
		status = learn_run(l.learn, l.command, &err);
	} else {
		status = run(&l, &err);
	}
	if (err.code)
		print_error(&err);
	launcher_free(&l);
	return status;
}
