/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host settings shared by the hook, the runtime shim and the CLI: which
 * runtime to exec, where the launcher and the admin profiles are.
 *
 * Read from $sysconfdir/oci-landlock/config.json, or from the file that
 * OCI_LANDLOCK_CONFIG names; every key is optional:
 *     { "runtime": "/usr/bin/crun", "launcher": "/usr/libexec/...",
 *       "profiles": "/etc/oci-landlock/profiles" }
 */
#ifndef OL_HOST_SETTINGS_H
#define OL_HOST_SETTINGS_H

#include "common/error.h"

#define OL_CONFIG_ENV "OCI_LANDLOCK_CONFIG"

struct ol_settings {
	char *runtime;	/* NULL: runc, else crun, from PATH */
	char *launcher; /* the launcher on the host */
	char *profiles; /* the profile directory */
	char *file;	/* the settings file that was read, or NULL */
	char *cli;	/* the oci-landlock command next to this program, or NULL */
};

int ol_settings_load(struct ol_settings *s, struct ol_error *err);
void ol_settings_free(struct ol_settings *s);

/*
 * The launcher must be a regular, executable file on the host before it is
 * bind-mounted into a container: otherwise the error names the setting.
 */
int ol_settings_check_launcher(const struct ol_settings *s, struct ol_error *err);

/*
 * The oci-landlock command installed next to the running program (the
 * shim's and inject's gate hook): an executable file, or an error.
 */
int ol_settings_check_cli(const struct ol_settings *s, struct ol_error *err);

/*
 * The real runtime to exec: the configured one, else runc (the program
 * the shim stands in for, whose state directory the engine expects), else
 * crun, from PATH, never the program itself (`self`, a resolved path).
 */
int ol_settings_runtime(const struct ol_settings *s, const char *self, char **out,
			struct ol_error *err);

#endif
