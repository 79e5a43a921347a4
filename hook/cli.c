/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock: the host command.
 *
 *   oci-landlock hook STAGE        the entry point of the hooks.d files
 *   oci-landlock inject BUNDLE     rewrite a bundle, for plain crun/runc
 *   oci-landlock check FILE        what a config or policy does on this kernel
 *   oci-landlock abi               what this kernel's Landlock supports
 *   oci-landlock denials           Landlock denials from the audit log, per container
 *   oci-landlock learn RECORDING   a policy from what a learning run recorded
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "check.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/strv.h"
#include "confine.h"
#include "denials.h"
#include "hook.h"
#include "learn-cli.h"
#include "exec-guard.h"
#include "memfd.h"
#include "oci/config.h"
#include "oci/json.h"
#include "settings.h"

#define PROGRAM "oci-landlock"

#ifdef OL_TEST_CONFINE_PROBE
#include "confine-probe.h"
#else
static inline void confine_probe(void)
{
}
#endif

static int report(const struct ol_error *err)
{
	confine_probe();
	fprintf(stderr, PROGRAM ": %s\n", err->msg);
	if (err->hint[0])
		fprintf(stderr, "Hint: %s\n", err->hint);
	return 1;
}

static void print_warnings(const struct ol_strv *w)
{
	for (size_t i = 0; i < w->n; i++)
		fprintf(stderr, PROGRAM ": warning: %s\n", w->v[i]);
}

static int usage(FILE *to, int status)
{
	fprintf(to, "Usage: " PROGRAM " COMMAND ...\n"
		    "Landlock sandboxes for OCI containers.\n\n"
		    "  hook STAGE            run as an OCI hook: precreate (config on stdin,\n"
		    "                        config on stdout), createRuntime or prestart\n"
		    "                        (state on stdin: check and fail closed)\n"
		    "  inject BUNDLE         inject the launcher into BUNDLE/config.json\n"
		    "                        for its oci.landlock.* annotations\n"
		    "  check [--mode M] FILE show what a config.json (its annotations) or\n"
		    "                        a landlockconfig policy does on this kernel\n"
		    "  abi                   show what this kernel's Landlock supports\n"
		    "  denials [--log FILE] [CONTAINER...]\n"
		    "                        Landlock denials from the audit log, per\n"
		    "                        container, with what would allow each\n"
		    "  learn [--depth N] [--merge] [-o FILE] RECORDING...\n"
		    "                        a least-privilege policy from what\n"
		    "                        oci-landlock-exec --learn recorded\n"
		    "  --version, --help\n\n"
		    "Settings: " OL_CONFIG_FILE " (or $" OL_CONFIG_ENV ").\n");
	return status;
}

static int read_stdin(char **text, size_t *len, struct ol_error *err)
{
	return ol_read_stream(STDIN_FILENO, "stdin", ol_json_config_limits.max_bytes, text, len,
			      err);
}

/*
 * The gate must confine itself to reading the bundle's config.json, and
 * the bundle's path is in the state, next to the container's annotations.
 * A child that may read nothing parses the state and hands the process's
 * pid and the path back over a pipe ("PID BUNDLE").  Returns 0 with them,
 * 1 when the state does not parse (the parent, confined, parses it again
 * for the message), or an error.
 */
static int bundle_of_state(const char *in, size_t len, int *process, char **bundle,
			   struct ol_error *err)
{
	char buf[PATH_MAX + 16];
	char *space;
	size_t got = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return ol_error_errno(err, errno, "cannot create a pipe");
	pid = fork();
	if (pid < 0) {
		close(fds[0]);
		close(fds[1]);
		return ol_error_errno(err, errno, "cannot fork");
	}
	if (pid == 0) {
		struct ol_state state;
		close(fds[0]);
		if (ol_hook_confine(NULL, 0, err) < 0)
			_exit(3);
		if (ol_state_parse(in, len, &state, err) < 0)
			_exit(1);
		_exit(dprintf(fds[1], "%d %s", state.pid, state.bundle) < 0 ? 2 : 0);
	}
	close(fds[1]);
	while (got < sizeof(buf) && (n = read(fds[0], buf + got, sizeof(buf) - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t) n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return ol_error_errno(err, errno, "cannot wait for the state parser");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got == 0 || got >= sizeof(buf) ||
	    memchr(buf, '\0', got) || !(space = memchr(buf, ' ', got)) || space[1] != '/' ||
	    sscanf(buf, "%d ", process) != 1)
		return ol_error_set(err, EIO,
				    "the state on stdin: the confined parser failed "
				    "(status %#x)",
				    (unsigned) status);
	*bundle = strndup(space + 1, got - (size_t) (space + 1 - buf));
	return *bundle ? 0 : ol_error_set(err, ENOMEM, "out of memory");
}

static int hook_precreate(const char *in, size_t len, const struct ol_settings *s)
{
	const struct ol_hook_path paths[] = { { s->profiles, OL_HOOK_READ } };
	cleanup_free char *out = NULL;
	struct ol_error err = { 0 };
	size_t out_len;

	if (ol_hook_confine(paths, 1, &err) < 0 ||
	    ol_hook_precreate(in, len, s, &out, &out_len, &err) < 0)
		return report(&err);
	return fwrite(out, 1, out_len, stdout) == out_len && fflush(stdout) == 0 ? 0 : 1;
}

static int hook_gate(const char *in, size_t len, const struct ol_settings *s)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	cleanup_free char *bundle = NULL;
	cleanup_free char *config = NULL;
	struct ol_error err = { 0 }, ignored = { 0 };
	struct ol_memfd_helper memfd = { 0 };
	struct ol_gate_view view = { .proc_root = -1 };
	struct ol_gate_outcome out = { 0 };
	struct ol_exec_guard guard = { .ctl = -1, .ack = -1 };
	int pid = 0;
	int r = bundle_of_state(in, len, &pid, &bundle, &err);

	if (r == 0 && asprintf(&config, "%s/config.json", bundle) < 0)
		r = ol_error_set(&err, ENOMEM, "out of memory");
	/* What the cage would hide: see gate-view.h. */
	if (r == 0)
		ol_gate_view_collect(pid, &view);
	/* Before the cage, which refuses setns and ptrace: see memfd.h and
	 * exec-guard.h. */
	if (r == 0 && pid > 0) {
		ol_memfd_helper_start(pid, &memfd);
		ol_exec_guard_attach(pid, s->launcher, &guard);
	}
	if (r >= 0) {
		const struct ol_hook_path paths[] = { { s->profiles, OL_HOOK_READ },
						      { bundle, OL_HOOK_LIST },
						      { config, OL_LL_ACCESS_FS_READ_FILE } };
		r = ol_hook_confine(paths, 3, &err);
	}
	if (r >= 0)
		r = ol_hook_gate(in, len, s, bundle, &view, &out, &warnings, &err);
	if (ol_memfd_helper_finish(&memfd, r >= 0 && out.restricts_exec, r >= 0 ? &err : &ignored) <
	    0)
		r = -err.code;
	if (r >= 0 && out.restricts_exec && memfd.skipped &&
	    ol_strv_pushf(&warnings, "memfds stay executable: %s", memfd.skipped) < 0)
		r = ol_error_set(&err, ENOMEM, "out of memory");
	/* Last: armed, the guard follows the process from here on. */
	if (ol_exec_guard_arm(&guard, r >= 0 && out.guard.n ? &out.guard : NULL,
			      r >= 0 ? &err : &ignored) < 0)
		r = -err.code;
	ol_strv_free(&out.guard);
	ol_gate_view_free(&view);
	print_warnings(&warnings);
	return r < 0 ? report(&err) : 0;
}

static int cmd_hook(int argc, char **argv, const struct ol_settings *s)
{
	cleanup_free char *in = NULL;
	struct ol_error err = { 0 };
	size_t len;

	if (argc != 3)
		return usage(stderr, 2);
	if (read_stdin(&in, &len, &err) < 0)
		return report(&err);
	if (strcmp(argv[2], "precreate") == 0)
		return hook_precreate(in, len, s);
	if (strcmp(argv[2], "createRuntime") == 0 || strcmp(argv[2], "prestart") == 0)
		return hook_gate(in, len, s);
	ol_error_set(&err, EINVAL, "unknown hook stage '%s'", argv[2]);
	ol_error_hint(&err, "the stages are precreate, createRuntime and prestart");
	return report(&err);
}

static int cmd_inject(int argc, char **argv, const struct ol_settings *s)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	bool changed;
	int r;

	if (argc != 3)
		return usage(stderr, 2);
	r = ol_hook_rewrite_bundle(argv[2], NULL, s, true, &warnings, &changed, &err);
	print_warnings(&warnings);
	if (r < 0)
		return report(&err);
	printf("%s: %s\n", argv[2],
	       changed ? "launcher injected"
		       : "unchanged (no Landlock annotation, or already injected)");
	return 0;
}

int main(int argc, char **argv)
{
	struct ol_settings settings = { 0 };
	struct ol_error err = { 0 };
	int status;

	if (argc < 2)
		return usage(stderr, 2);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)
		return usage(stdout, 0);
	if (strcmp(argv[1], "--version") == 0) {
		printf(PROGRAM " %s\n", OL_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "abi") == 0)
		return ol_cli_abi(stdout);
	if (strcmp(argv[1], "denials") == 0)
		return ol_cli_denials(argc - 1, argv + 1, stdout);
	if (strcmp(argv[1], "learn") == 0)
		return ol_cli_learn(argc - 1, argv + 1, stdout);
	if (ol_settings_load(&settings, &err) < 0) {
		ol_settings_free(&settings);
		return report(&err);
	}
	if (strcmp(argv[1], "hook") == 0)
		status = cmd_hook(argc, argv, &settings);
	else if (strcmp(argv[1], "inject") == 0)
		status = cmd_inject(argc, argv, &settings);
	else if (strcmp(argv[1], "check") == 0)
		status = ol_cli_check(argc - 1, argv + 1, &settings, stdout);
	else
		status = usage(stderr, 2);
	ol_settings_free(&settings);
	return status;
}
