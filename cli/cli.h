/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The printing subcommands of oci-landlock, each a front end over the
 * libraries: it parses its arguments, calls them, and prints.  Each
 * returns the exit status: 0, 1 on an error, 2 on bad usage.
 */
#ifndef OL_CLI_CLI_H
#define OL_CLI_CLI_H

#include <stdio.h>

#include "host/settings.h"

/*
 * check [--mode MODE | --id ID] [-a KEY=VALUE]... [--policy-file FILE]
 * [--json] [FILE|BUNDLE]: FILE is a config.json (its Landlock annotations
 * are checked, for the container ID if given: a pod's sandbox container is
 * exempt only as the one its engine's sandbox id names), a bundle
 * directory (its config.json) or a landlockconfig policy; "-" is stdin.
 * -a sets annotations (on an empty config without FILE); --policy-file
 * gives the image's policy file from the host.  Prints the layers, what
 * this kernel enforces of them and what they allow together, the runtime
 * the shim would run (as text or JSON), and exits 1 where the container
 * would be refused.
 */
int ol_cli_check(int argc, char **argv, const struct ol_settings *s, FILE *out);

/* abi: the running kernel's Landlock ABI, errata and rights. */
int ol_cli_abi(FILE *out);

/*
 * denials [--since TIME] [--all] [--log FILE] [CONTAINER...]: the Landlock
 * denials in the audit log (auditd's when it runs, else the kernel log),
 * grouped by container, each with its time and what would allow it; only
 * containers' unless --all.  CONTAINER is a container id, a prefix of a
 * 64-hex one, or a podman name.  Warns when the kernel dropped records.
 */
int ol_cli_denials(int argc, char **argv, FILE *out);

/*
 * learn [--depth N] [--abi N] [--merge] [-o FILE] RECORDING...: generate a
 * landlockconfig policy for a Landlock ABI (the kernel's, or --abi's)
 * from what the recordings used (several only with --merge), to FILE or
 * out.
 */
int ol_cli_learn(int argc, char **argv, FILE *out);

/*
 * doctor [--settings FILE]... [--prefix DIR] [--hooks-dir DIR]...
 * [--containers-conf FILE]...: check an installation, one line per check,
 * with what to fix; exits 1 when a problem is found (cli/doctor.c).
 */
int ol_cli_doctor(int argc, char **argv, FILE *out);

/*
 * convert [--compact] FILE: a landlockconfig policy (TOML when FILE ends
 * in .toml or is "-", stdin, else JSON) as canonical JSON on out.
 */
#define OL_CONVERT_USAGE "Usage: oci-landlock convert [--compact] FILE.toml|FILE.json|-\n"
int ol_cli_convert(int argc, char **argv, FILE *out);

/* The error as the command reports it, on stderr; returns 1. */
int ol_cli_report(const struct ol_error *err);

#endif
