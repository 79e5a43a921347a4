/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock doctor: the checks and how they are reported.  One line
 * per check, "ok: ...", "warning: ..." or "problem: ...", a warning or a
 * problem followed by "  fix: ..."; a problem makes the exit status 1.
 */
#ifndef OL_CLI_DOCTOR_H
#define OL_CLI_DOCTOR_H

#include <stdbool.h>
#include <stdio.h>

#include "common/error.h"
#include "common/strv.h"

struct doctor {
	FILE *out;
	unsigned problems, warnings;
	struct ol_strv seen;	     /* "KIND PATH" of what was checked already */
	struct ol_strv settings;     /* --settings, and those the wrappers name */
	struct ol_strv hooks_dirs;   /* --hooks-dir */
	struct ol_strv podman_confs; /* --containers-conf */
	const char *prefix;	     /* --prefix */
	bool podman_reached;	     /* a runtime or a hooks.d file of ours */
};

void doctor_ok(struct doctor *d, const char *fmt, ...) OL_PRINTF(2, 3);
void doctor_warning(struct doctor *d, const char *fix, const char *fmt, ...) OL_PRINTF(3, 4);
void doctor_problem(struct doctor *d, const char *fix, const char *fmt, ...) OL_PRINTF(3, 4);
/* A problem (or a warning) from an error: its message, its hint as the fix. */
void doctor_error(struct doctor *d, bool problem, const struct ol_error *err, const char *fix);
/* A problem when others than root can change path (ol_path_only_root_writes). */
void doctor_only_root_writes(struct doctor *d, const char *what, const char *path);
/* True the first time KIND PATH is asked about. */
bool doctor_first(struct doctor *d, const char *kind, const char *path);

/*
 * Check one settings file (NULL: the one the programs read by default)
 * and what it names: the launcher, the profiles, the runtime the shim
 * `shim` (NULL: the one next to this program) would run.
 */
void doctor_settings(struct doctor *d, const char *file, const char *shim);
/* A runtime handler's wrapper script, and the settings it names. */
void doctor_wrapper(struct doctor *d, const char *path, const char *what);
/* The oci-landlock command next to the shim, which runs it as the gate. */
void doctor_gate_cli(struct doctor *d, const char *shim);

/* podman: its runtimes and hooks directories (cli/doctor-podman.c). */
void doctor_podman(struct doctor *d);
/* The kernel's Landlock, audit and the printk rate limit (cli/doctor-kernel.c). */
void doctor_kernel(struct doctor *d);

#endif
