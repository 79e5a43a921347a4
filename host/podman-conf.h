/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What podman's containers.conf says about oci-landlock's two ways in:
 * the hooks directories ([engine] hooks_dir) and the runtimes ([engine]
 * runtime, [engine.runtimes]).  Read for `oci-landlock doctor`.
 *
 * containers.conf is TOML; this reads only the keys above, from the
 * subset containers.conf files use for them (basic or literal strings
 * without escapes, arrays of them over several lines, comments), and
 * skips every other key.  Later files override earlier ones, as podman
 * merges them (containers.conf(5)).
 */
#ifndef OL_HOST_PODMAN_CONF_H
#define OL_HOST_PODMAN_CONF_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "common/strv.h"

/* podman's hooks directories when containers.conf names none. */
#define OL_PODMAN_HOOKS_DIRS "/usr/share/containers/oci/hooks.d", "/etc/containers/oci/hooks.d"

struct ol_podman_conf {
	bool hooks_dir_set;
	struct ol_strv hooks_dirs; /* [engine] hooks_dir */
	char *runtime;		   /* [engine] runtime, or NULL (podman's default) */
	/* [engine.runtimes]: one entry per path, runtime_names[i] its name. */
	struct ol_strv runtime_names;
	struct ol_strv runtime_paths;
};

/* Merge one file's text into conf; an error names the line. */
int ol_podman_conf_parse(const char *text, size_t len, struct ol_podman_conf *conf,
			 struct ol_error *err);
void ol_podman_conf_free(struct ol_podman_conf *conf);

#endif
