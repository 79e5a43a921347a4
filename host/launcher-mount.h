/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The gate's look at the mounts the runtime made.
 *
 * config.json says where the launcher goes; what the runtime executes is
 * whatever that path leads to in the container's mount namespace, and the
 * image has a say in that: a /dev that is a link into a volume makes the
 * runtime mount the container's /dev there, a /host that leads to / puts
 * a node agent's -v /proc:/host/proc over its /proc.  So while the runtime
 * waits for the createRuntime (or prestart) hook, with every mount made
 * and pivot_root still to come, the gate walks the container's root from
 * the host, through /proc/PID/root, following no symbolic link, and with
 * the container's and the host's mountinfo checks:
 *  - that only root (or the container's own root) may write its root
 *    directory;
 *  - that /dev is a tmpfs made for this container (its file system
 *    shown whole, mounted nowhere on the host), mounted on the root, and
 *    /dev/oci-landlock-exec a mount on it of the host's launcher file
 *    itself (its device and inode);
 *  - that /proc, which exec sessions run the launcher through, is a
 *    procfs mounted for this container, on the root.
 * These say early and clearly what is wrong with a layout.  They cannot
 * say who else may rename an entry of the root directory later (since
 * Linux 3.18 that moves the container's /dev or /proc away from another
 * mount namespace): that is the exec guard's (exec-guard.h).  The shim
 * checks the same, but for /dev, before each exec session
 * (ol_exec_mount_check).
 */
#ifndef OL_HOST_LAUNCHER_MOUNT_H
#define OL_HOST_LAUNCHER_MOUNT_H

#include "common/error.h"
#include "gate-view.h"
#include "oci/json.h"

/*
 * v was collected before the gate confined itself; bundle is the bundle's
 * directory, for a relative root.path.  Returns 0 or an error saying what
 * is wrong and why it matters.
 */
int ol_launcher_mount_check(const struct ol_gate_view *v, const char *bundle,
			    const struct ol_json *config, const char *host_launcher,
			    struct ol_error *err);

/* The same for a running container (its process's root is the container's). */
int ol_exec_mount_check(const struct ol_gate_view *v, const struct ol_json *config,
			struct ol_error *err);

#endif
