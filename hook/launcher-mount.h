/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The gate's look at the mounts the runtime made.
 *
 * config.json says where the launcher goes; what the runtime executes is
 * whatever that path leads to in the container's mount namespace, and the
 * image decides its layout: an image whose /dev is a symbolic link into a
 * volume makes the runtime mount the container's /dev there, where a
 * neighbour could detach it.  So while the runtime waits for the
 * createRuntime (or prestart) hook, with every mount made and pivot_root
 * still to come, the gate walks the container's root from the host, through
 * /proc/PID/root, following no symbolic link, and checks that /dev is a
 * tmpfs mount and that /dev/oci-landlock-exec is a mount of the host's
 * launcher file itself (its device and inode).
 */
#ifndef OL_HOOK_LAUNCHER_MOUNT_H
#define OL_HOOK_LAUNCHER_MOUNT_H

#include "common/error.h"
#include "oci/json.h"

/*
 * proc_root is /proc/PID/root of the container's process, opened O_PATH
 * before the gate confined itself; bundle is the bundle's directory, for a
 * relative root.path.  Returns 0 or an error saying what is wrong and why
 * it matters.
 */
int ol_launcher_mount_check(int proc_root, const char *bundle, const struct ol_json *config,
			    const char *host_launcher, struct ol_error *err);

#endif
