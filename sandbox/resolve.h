/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Opening a rule path inside a file system that others laid out.
 *
 * A Landlock rule attaches to the inode its path leads to when it is
 * opened, so every symbolic link on the way decides where the rule lands.
 * Inside a container, the image chose every link and the workload may have
 * planted more (a persistent /tmp/bin -> / for its next run): followed,
 * they turn fs.rw=/tmp into read-write on "/".  So a rule path is opened
 * without following any symbolic link (openat2 RESOLVE_NO_SYMLINKS, which
 * also refuses /proc's magic links), with one exception: the merged-/usr
 * aliases.  A link directly under "/" named bin, sbin, lib, lib32, lib64
 * or libx32 whose target is exactly "usr/NAME" or "/usr/NAME" (Debian,
 * Ubuntu, Fedora) is read as that directory, so that fs.rx=/bin:/lib works
 * on the images people run; what it grants is /usr/NAME, the very
 * directory the policy's /NAME means there, and never anything an image
 * or workload could point elsewhere.  Any other link fails the rule,
 * naming the link and its target.
 */
#ifndef OL_SANDBOX_RESOLVE_H
#define OL_SANDBOX_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

/* Where a path stopped on a symbolic link: the link and what it says. */
struct ol_resolve_link {
	char link[4096];   /* the path up to and including the link */
	char target[4096]; /* its contents, as readlink() gives them */
};

/*
 * Open path O_PATH | O_CLOEXEC, following no symbolic link but a
 * merged-/usr alias (for an absolute path; a relative one starts at the
 * working directory, as the launcher's own command line allows).  Returns
 * the descriptor, or a negative errno: -ELOOP when a symbolic link is in
 * the way (*link says which), the errno of the lookup otherwise.  ".."
 * components are refused (-EINVAL): a policy can name the directory it
 * means.
 */
int ol_resolve_rule_path(const char *path, struct ol_resolve_link *link);

/*
 * A layer's rule path, opened as the layer says: followed as written
 * (follow: the host administrator's own paths) or as above.
 */
int ol_resolve_open(const char *path, bool follow, struct ol_resolve_link *link);

/* Whether the symbolic link /name -> target is a merged-/usr alias. */
int ol_resolve_is_usr_alias(const char *name, size_t name_len, const char *target);

#endif
