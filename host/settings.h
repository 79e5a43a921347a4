/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Host settings shared by the hook, the runtime shim and the CLI: which
 * runtime to exec, where the launcher and the admin profiles are, and what
 * the host decides for every container (docs/settings.md).
 *
 * Read from $sysconfdir/oci-landlock/config.json, or from the file that
 * OCI_LANDLOCK_CONFIG names, or (the shim) --oci-landlock-settings FILE;
 * every key is optional:
 *     { "runtime": "/usr/bin/crun", "launcher": "/usr/libexec/...",
 *       "profiles": "/etc/oci-landlock/profiles",
 *       "default": "baseline", "require": true, "mode": "strict",
 *       "learning": false }
 * "default" is an admin profile's name or an inline landlockconfig policy:
 * the first layer of every container that is not exempt (a pod's sandbox
 * container).  "require" refuses a container that would get no policy at
 * all.  "mode" is the default layer's enforcement mode.  "learning" allows
 * oci.landlock.learn (unconfined) where a default or require would apply;
 * elsewhere it is allowed unless false.
 */
#ifndef OL_HOST_SETTINGS_H
#define OL_HOST_SETTINGS_H

#include <stdbool.h>

#include "common/error.h"
#include "sandbox/abi.h"

#define OL_CONFIG_ENV "OCI_LANDLOCK_CONFIG"

struct ol_settings {
	char *runtime;	/* NULL: runc, else crun, from PATH */
	char *launcher; /* the launcher on the host */
	char *profiles; /* the profile directory */
	char *file;	/* the settings file that was read, or NULL */
	char *cli;	/* the oci-landlock command next to this program, or NULL */
	/* The host's policy for every container: */
	char *default_text;   /* "default" as landlockconfig text, or NULL */
	char *default_source; /* "default profile 'NAME'": the layer's name */
	enum ol_mode mode;    /* the default layer's mode */
	bool require;	      /* a container with no policy is refused */
	bool learning;	      /* oci.landlock.learn is allowed */
};

/* The settings of OCI_LANDLOCK_CONFIG, else of the installed file. */
int ol_settings_load(struct ol_settings *s, struct ol_error *err);
/* The settings of file (which must exist), or as ol_settings_load() when NULL. */
int ol_settings_load_file(struct ol_settings *s, const char *file, struct ol_error *err);
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
