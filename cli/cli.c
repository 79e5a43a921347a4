/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock: the host command.
 *
 *   oci-landlock hook STAGE        the entry point of the hooks.d files
 *   oci-landlock inject BUNDLE     rewrite a bundle, for plain crun/runc
 *   oci-landlock check FILE        what a config, bundle or policy does on this kernel
 *   oci-landlock convert FILE      a TOML policy as the canonical JSON the launcher reads
 *   oci-landlock abi               what this kernel's Landlock supports
 *   oci-landlock denials           Landlock denials from the audit log, per container
 *   oci-landlock learn RECORDING   a policy from what a learning run recorded
 *   oci-landlock doctor            check an installation, say what to fix
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/strv.h"
#include "common/text.h"
#include "host/hook.h"
#include "oci/json.h"

#define PROGRAM "oci-landlock"

static void print_warnings(const struct ol_strv *w)
{
	char shown[4096];

	/* Warnings quote annotations and paths: written out, not acted on. */
	for (size_t i = 0; i < w->n; i++)
		fprintf(stderr, PROGRAM ": warning: %s\n",
			ol_printable(w->v[i], shown, sizeof(shown)));
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
		    "  check [--mode M | --id ID] [-a KEY=VALUE]... [--policy-file FILE]\n"
		    "        [--json] [FILE|BUNDLE]\n"
		    "                        show what a config.json, a bundle, -a annotations\n"
		    "                        or a landlockconfig policy does on this kernel\n"
		    "  convert [--compact] FILE\n"
		    "                        a landlockconfig policy (FILE.toml, '-' for TOML\n"
		    "                        on stdin, or JSON) as canonical JSON\n"
		    "  abi                   show what this kernel's Landlock supports\n"
		    "  denials [--since TIME] [--all] [--log FILE] [CONTAINER...]\n"
		    "                        Landlock denials from the audit log, per\n"
		    "                        container, timed, with what would allow each\n"
		    "  learn [--depth N] [--abi N] [--merge] [--system-writes] [--format F]\n"
		    "        [-o FILE] RECORDING...\n"
		    "                        a least-privilege policy from what\n"
		    "                        oci-landlock-exec --learn recorded, for this\n"
		    "                        kernel's Landlock ABI or --abi's; F: policy,\n"
		    "                        podman or kubernetes (what enforces it)\n"
		    "  doctor [--settings FILE]... [--prefix DIR] [--hooks-dir DIR]...\n"
		    "         [--containers-conf FILE]...\n"
		    "                        check an installation (settings, launcher,\n"
		    "                        profiles, runtime, podman, kernel, audit)\n"
		    "                        and say what to fix\n"
		    "  --version, --help\n\n"
		    "Settings: " OL_CONFIG_FILE " (or $" OL_CONFIG_ENV ").\n");
	return status;
}

static int read_stdin(char **text, size_t *len, struct ol_error *err)
{
	return ol_read_stream(STDIN_FILENO, "stdin", ol_json_config_limits.max_bytes, text, len,
			      err);
}

static int hook_precreate(const char *in, size_t len, const struct ol_settings *s)
{
	cleanup_free char *out = NULL;
	struct ol_error err = { 0 };
	size_t out_len;

	if (ol_stage_precreate(in, len, s, &out, &out_len, &err) < 0)
		return ol_cli_report(&err);
	return fwrite(out, 1, out_len, stdout) == out_len && fflush(stdout) == 0 ? 0 : 1;
}

static int hook_gate(const char *in, size_t len, const struct ol_settings *s)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	int r = ol_stage_gate(in, len, s, &warnings, &err);

	print_warnings(&warnings);
	return r < 0 ? ol_cli_report(&err) : 0;
}

static int cmd_hook(int argc, char **argv, const struct ol_settings *s)
{
	cleanup_free char *in = NULL;
	struct ol_error err = { 0 };
	size_t len;

	if (argc != 3)
		return usage(stderr, 2);
	if (read_stdin(&in, &len, &err) < 0)
		return ol_cli_report(&err);
	if (strcmp(argv[2], "precreate") == 0)
		return hook_precreate(in, len, s);
	if (strcmp(argv[2], "createRuntime") == 0 || strcmp(argv[2], "prestart") == 0)
		return hook_gate(in, len, s);
	ol_error_set(&err, EINVAL, "unknown hook stage '%s'", argv[2]);
	ol_error_hint(&err, "the stages are precreate, createRuntime and prestart");
	return ol_cli_report(&err);
}

static int cmd_inject(int argc, char **argv, const struct ol_settings *s)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	struct ol_error err = { 0 };
	bool changed, applies;
	int r;

	if (argc != 3)
		return usage(stderr, 2);
	r = ol_hook_rewrite_bundle(argv[2], NULL, s, true, &warnings, &changed, &applies, &err);
	print_warnings(&warnings);
	if (r < 0)
		return ol_cli_report(&err);
	printf("%s: %s\n", argv[2],
	       changed	 ? "launcher injected"
	       : applies ? "unchanged: already injected, with the options it asks for"
			 : "unchanged: nothing of oci-landlock applies to it (no oci.landlock.* "
			   "annotation, and no default in the settings)");
	return 0;
}

/* The commands, for `COMMAND --help` and for a misspelt one. */
static const struct {
	const char *name;
	const char *synopsis;
} commands[] = {
	{ "hook", "hook precreate|createRuntime|prestart" },
	{ "inject", "inject BUNDLE" },
	{ "check", "check [--mode MODE | --id ID] [-a KEY=VALUE]... [--policy-file FILE] [--json] "
		   "[FILE|BUNDLE]" },
	{ "convert", "convert [--compact] FILE.toml|FILE.json|-\n"
		     "Writes a landlockconfig policy, TOML or JSON, as the canonical JSON the\n"
		     "launcher and the policy-file annotation read (groups and variables\n"
		     "resolved); '-' reads TOML from stdin" },
	{ "abi", "abi" },
	{ "denials", "denials [--since TIME] [--all] [--log FILE] [CONTAINER...]" },
	{ "learn", "learn [--depth N] [--abi N] [--merge] [--system-writes] [--format F] "
		   "[-o FILE] RECORDING..." },
	{ "doctor", "doctor [--settings FILE]... [--prefix DIR] [--hooks-dir DIR]...\n"
		    "       [--containers-conf FILE]...\n"
		    "Checks the settings (by default those the programs read) and what they\n"
		    "name: the launcher, the profiles, the runtime the shim runs; the runtime\n"
		    "wrappers of an installer's PREFIX; podman's runtimes and hooks.d files\n"
		    "(containers.conf, or the files and directories named); the kernel's\n"
		    "Landlock ABI and errata; audit and the printk rate limit.  One line per\n"
		    "check: ok, warning or problem, with what to fix; exit status 1 when a\n"
		    "problem is found" },
};

/* `oci-landlock COMMAND ... --help`: the command's usage, on stdout. */
static bool command_help(int argc, char **argv)
{
	for (int i = 2; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
			for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
				if (strcmp(commands[k].name, argv[1]) == 0)
					printf("Usage: " PROGRAM " %s\n(" PROGRAM
					       " --help describes every command)\n",
					       commands[k].synopsis);
			return true;
		}
	return false;
}

static int unknown_command(const char *name)
{
	struct ol_suggestion s;
	char more[64];

	ol_suggest_init(&s, name, strlen(name));
	for (size_t k = 0; k < sizeof(commands) / sizeof(commands[0]); k++)
		ol_suggest_try(&s, commands[k].name);
	if (!s.best)
		return usage(stderr, 2);
	fprintf(stderr, PROGRAM ": unknown command '%s'%s\n", name,
		ol_did_you_mean(s.best, "", '\'', more, sizeof(more)));
	return 2;
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
	if (command_help(argc, argv))
		return 0;
	if (strcmp(argv[1], "abi") == 0)
		return argc == 2 ? ol_cli_abi(stdout) : usage(stderr, 2);
	if (strcmp(argv[1], "convert") == 0)
		return ol_cli_convert(argc - 1, argv + 1, stdout);
	if (strcmp(argv[1], "denials") == 0)
		return ol_cli_denials(argc - 1, argv + 1, stdout);
	if (strcmp(argv[1], "learn") == 0)
		return ol_cli_learn(argc - 1, argv + 1, stdout);
	if (strcmp(argv[1], "doctor") == 0)
		return ol_cli_doctor(argc - 1, argv + 1, stdout);
	if (ol_settings_load(&settings, &err) < 0) {
		ol_settings_free(&settings);
		return ol_cli_report(&err);
	}
	if (strcmp(argv[1], "hook") == 0)
		status = cmd_hook(argc, argv, &settings);
	else if (strcmp(argv[1], "inject") == 0)
		status = cmd_inject(argc, argv, &settings);
	else if (strcmp(argv[1], "check") == 0)
		status = ol_cli_check(argc - 1, argv + 1, &settings, stdout);
	else
		status = unknown_command(argv[1]);
	ol_settings_free(&settings);
	return status;
}
