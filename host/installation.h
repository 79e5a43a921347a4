/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The files of an installation that name programs, read for `oci-landlock
 * doctor`: a program's ELF headers (is it static?), a hooks.d file (which
 * program at which stage), a runtime handler's wrapper script (which
 * settings, which shim).  Nothing here runs what it reads.
 */
#ifndef OL_HOST_INSTALLATION_H
#define OL_HOST_INSTALLATION_H

#include <stdbool.h>

#include "common/error.h"
#include "common/strv.h"

/*
 * Whether the ELF executable at path asks for a program interpreter (a
 * dynamic loader, which a container image may lack).  An error when the
 * file cannot be read or is not an ELF executable.
 */
int ol_elf_needs_interpreter(const char *path, bool *needs, struct ol_error *err);

/*
 * Whether only root can change what path is: the file and every directory
 * above it owned by root and writable by no group or other user (a
 * directory others may write is fine when it is sticky and root's, as
 * /tmp: they cannot rename or remove root's entries there).  Whoever can
 * write the launcher, the settings, a profile or a hooks.d file runs code
 * in every container, or as root.  -EPERM with the reason, which names the
 * path at fault.
 */
int ol_path_only_root_writes(const char *path, struct ol_error *err);

/* A hooks.d file, as podman reads it. */
struct ol_hooks_file {
	char *program;	     /* "hook": {"path": ...} */
	struct ol_strv args; /* "hook": {"args": [...]} */
	struct ol_strv stages;
	bool ours; /* it runs `oci-landlock hook STAGE` */
};

/* Read and parse path (a JSON object with a "hook" object naming a path). */
int ol_hooks_file_read(const char *path, struct ol_hooks_file *out, struct ol_error *err);
void ol_hooks_file_free(struct ol_hooks_file *h);

/*
 * A runtime handler's wrapper: a shell script that sets
 * OCI_LANDLOCK_CONFIG=FILE and runs `exec PROGRAM "$@"`, as the installer
 * writes it (on separate lines, or both on one).  Either may be NULL when
 * the script does not say.
 */
struct ol_wrapper {
	char *settings;
	char *program;
};

/*
 * Read the script at path.  Returns 1 when it is a wrapper (a "#!" script
 * that execs a program named oci-landlock-runtime), 0 when it is not (an
 * ELF file, another script), or an error.
 */
int ol_wrapper_read(const char *path, struct ol_wrapper *out, struct ol_error *err);
void ol_wrapper_free(struct ol_wrapper *w);

#endif
