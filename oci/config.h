/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The parts of an OCI runtime-spec config.json and of the hook state that
 * oci-landlock reads and edits.  Everything else in the document is kept as
 * it was: the tree keeps unknown members, their order and the exact text of
 * every number.
 */
#ifndef OL_OCI_CONFIG_H
#define OL_OCI_CONFIG_H

#include <stdbool.h>

#include "common/error.h"
#include "common/strv.h"
#include "json.h"

/*
 * Where the launcher is bind-mounted inside the container: on the /dev
 * tmpfs the runtime makes for this container alone.  Since Linux 3.18,
 * removing or renaming a mount point from another mount namespace
 * detaches the mount, so the launcher's mount point must lie where no one
 * else has a path to: not in the image (whose /run may lead into a volume
 * or a shared host directory), but in a file system that exists in this
 * container's mount namespace only.  There its dentry is a mount point,
 * which the container's own processes cannot rename or remove (EBUSY),
 * and /dev itself is one too.  The runtime creates the mount point in the
 * tmpfs it owns, so a user namespace that cannot write the image's root
 * works as well.
 */
#define OL_LAUNCHER_IN_CONTAINER "/dev/oci-landlock-exec"

/* Parse a config.json: a JSON object, within the config limits. */
int ol_config_parse(const char *text, size_t len, struct ol_json **out, struct ol_error *err);

/* The annotations object, or NULL when there is none. */
const struct ol_json *ol_config_annotations(const struct ol_json *config);

/*
 * Whether the config carries the launcher: process.args starts with it,
 * the last mount at (or above) its path is the read-only, nosuid, nodev
 * bind mount of host_launcher, and the mount before it there is the
 * container's own /dev tmpfs.  A first argument that merely names the
 * launcher path proves nothing: the image or a user mount could put any
 * program there.  Returns 0 when injected, else an error saying what is
 * missing.  (The gate also checks the mounts the runtime made: see
 * host/launcher-mount.h.)
 */
int ol_config_check_injected(const struct ol_json *config, const char *host_launcher,
			     struct ol_error *err);

/*
 * Inject the launcher: process.args becomes [launcher, options..., "--",
 * original args...], process.noNewPrivileges true (the launcher sets it
 * anyway), and a read-only, nosuid, nodev bind mount of host_launcher is
 * appended to mounts.  Fails when process.args is missing or not a
 * non-empty list of strings, and when the container has no /dev tmpfs of
 * its own to hold the launcher.
 */
int ol_config_inject(struct ol_json *config, const char *host_launcher,
		     const struct ol_strv *options, struct ol_error *err);

/*
 * Wrap a process object (config.json's "process", or an exec's
 * process.json): args becomes [launcher, options..., "--", args...], with
 * launcher the path the runtime executes, and noNewPrivileges true.
 */
int ol_process_wrap(struct ol_json *process, const char *launcher, const struct ol_strv *options,
		    struct ol_error *err);

/*
 * Make sure the config runs the gate, `cli hook createRuntime`: add it,
 * with the environment env, to hooks.createRuntime unless a createRuntime
 * or prestart hook already runs cli so.  *added says whether it was added.
 */
int ol_config_ensure_gate(struct ol_json *config, const char *cli, const struct ol_strv *env,
			  bool *added, struct ol_error *err);

/*
 * Whether process.args is exactly [launcher, options..., "--", ...]: the
 * options compared one by one (an option value may itself be "--").
 */
int ol_config_check_options(const struct ol_json *config, const struct ol_strv *options,
			    struct ol_error *err);

/* process.args (of a config, or of a process object), as strings:
 * -EINVAL when there are none (or one is not a string). */
int ol_config_args(const struct ol_json *config, struct ol_strv *out);
int ol_process_args(const struct ol_json *process, struct ol_strv *out);

/* process.args[i] of a config, or NULL (no such argument, or no string). */
const char *ol_config_arg(const struct ol_json *config, size_t i);

/*
 * The container's PID namespace, as linux.namespaces asks for it: true when
 * the runtime makes a new one.  Else *joined is the namespace the container
 * joins (others are in it too), or NULL when the container stays in the
 * runtime's own.
 */
bool ol_config_own_pid_namespace(const struct ol_json *config, const char **joined);

/* The hook state on stdin (runc and crun): what oci-landlock needs of it. */
struct ol_state {
	struct ol_json *root;
	const char *id;
	const char *status;
	const char *bundle; /* absolute path */
	int pid;	    /* the container's process on the host; 0 if none */
};

int ol_state_parse(const char *text, size_t len, struct ol_state *out, struct ol_error *err);
void ol_state_free(struct ol_state *state);

/* Whether an OCI mount object is a bind mount: type "bind", or the
 * option "bind" or "rbind" (what engines write for a volume). */
bool ol_config_mount_is_bind(const struct ol_json *mount);

#endif
