/* SPDX-License-Identifier: Apache-2.0 */
/* Checking, from the host, the mounts of a container being created. */
#include "launcher-mount.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "mountinfo.h"
#include "oci/config.h"

static int open_at(int dirfd, const char *path, uint64_t flags, uint64_t resolve)
{
	struct open_how how = { .flags = flags | O_PATH | O_CLOEXEC, .resolve = resolve };
	long fd = syscall(SYS_openat2, dirfd, path, &how, sizeof(how));

	return fd < 0 ? -errno : (int) fd;
}

/* The mount a descriptor is on, in the container's mountinfo (Linux 5.8). */
static const struct ol_mount *mount_of(int fd, const struct ol_mounts *mounts)
{
	struct statx stx;

	if (statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, STATX_MNT_ID, &stx) < 0 ||
	    !(stx.stx_mask & STATX_MNT_ID))
		return NULL;
	return ol_mounts_find(mounts, (int) stx.stx_mnt_id);
}

/*
 * A mount made for this container: its own file system, shown whole, and
 * mounted nowhere on the host (a host tmpfs such as /dev/shm, the host's
 * /dev or /proc, are not).
 */
static bool fresh(const struct ol_mount *m, const char *fstype, const struct ol_mounts *host)
{
	return m && strcmp(m->fstype, fstype) == 0 && strcmp(m->root, "/") == 0 &&
	       !ol_mounts_has_fs(host, m->major, m->minor);
}

/* name, in the container's root, reached without a link: its mount, or an error. */
static const struct ol_mount *entry(int root, const char *name, const struct ol_mounts *mounts,
				    int *fd, struct ol_error *err)
{
	*fd = open_at(root, name, 0, RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
	if (*fd == -ELOOP) {
		char target[4096];
		ssize_t n = readlinkat(root, name, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		ol_error_set(err, ELOOP,
			     "the image makes /%s a symbolic link (to '%s'): the runtime mounted "
			     "the container's /%s where it leads, which others may reach",
			     name, target, name);
		ol_error_hint(err, "use an image whose /%s is a directory", name);
		return NULL;
	}
	if (*fd < 0) {
		ol_error_errno(err, -*fd, "cannot open /%s in the container", name);
		return NULL;
	}
	return mount_of(*fd, mounts);
}

/*
 * The root directory: only root (or the container's own root) may write
 * it, or whoever can would rename its /dev or /proc from outside.
 */
static int check_owner(int root, const struct ol_json *config, struct ol_error *err)
{
	const struct ol_json *maps = ol_json_get(ol_json_get(config, "linux"), "uidMappings");
	uint64_t mapped = 0;
	struct stat st;

	for (size_t i = 0; maps && maps->type == OL_JSON_ARRAY && i < maps->u.arr.len; i++) {
		uint64_t inside = 1;
		if (ol_json_uint(ol_json_get(maps->u.arr.items[i], "containerID"), UINT32_MAX,
				 &inside) == 0 &&
		    inside == 0)
			ol_json_uint(ol_json_get(maps->u.arr.items[i], "hostID"), UINT32_MAX,
				     &mapped);
	}
	if (fstat(root, &st) < 0)
		return ol_error_errno(err, errno, "cannot look at the container's root");
	if ((st.st_uid == 0 || st.st_uid == mapped) && !(st.st_mode & (S_IWGRP | S_IWOTH)))
		return 0;
	ol_error_set(err, EPERM,
		     "the container's root directory may be written by others (owner %u, mode "
		     "%04o): they could move its /dev and the launcher on it",
		     (unsigned) st.st_uid, (unsigned) (st.st_mode & 07777));
	return ol_error_hint(err, "give the container a root file system that only root may write");
}

/*
 * /name in the container's root: a file system of type fstype (what names
 * it in the message) made for this container and mounted on its root.
 * Its descriptor in *fd and its mount in *m, or an error.
 */
static int made_for_it(int root, const char *name, const char *fstype, const char *what,
		       const struct ol_mount *rootm, const struct ol_mounts *mounts,
		       const struct ol_mounts *host, int *fd, const struct ol_mount **m,
		       struct ol_error *err)
{
	*m = entry(root, name, mounts, fd, err);
	if (*fd < 0)
		return -err->code;
	if (!fresh(*m, fstype, host) || (*m)->parent != rootm->id)
		return ol_error_set(err, EPERM,
				    "the container's /%s is not the %s made for it, mounted on its "
				    "root (%s)",
				    name, what, *m ? (*m)->fstype : "no mount");
	return 0;
}

/* /dev: the runtime's fresh tmpfs; /dev/oci-landlock-exec on it, the host's file. */
static int check_dev(int root, const struct ol_mount *rootm, const struct ol_mounts *mounts,
		     const struct ol_mounts *host, const char *host_launcher, struct ol_error *err)
{
	const char *name = &OL_LAUNCHER_IN_CONTAINER[sizeof("/dev/") - 1];
	cleanup_close int dev = -1;
	cleanup_close int fd = -1;
	const struct ol_mount *devm, *lm;
	struct stat want, got;

	if (made_for_it(root, "dev", "tmpfs", "tmpfs", rootm, mounts, host, &dev, &devm, err) < 0)
		return -err->code;
	fd = open_at(dev, name, 0, RESOLVE_NO_SYMLINKS | RESOLVE_BENEATH);
	if (fd < 0)
		return ol_error_errno(err, -fd, "the launcher is not at %s in the container",
				      OL_LAUNCHER_IN_CONTAINER);
	lm = mount_of(fd, mounts);
	if (fstatat(fd, "", &got, AT_EMPTY_PATH) < 0 || stat(host_launcher, &want) < 0)
		return ol_error_errno(err, errno, "cannot look at the launcher");
	if (!lm || lm->parent != devm->id || got.st_dev != want.st_dev || got.st_ino != want.st_ino)
		return ol_error_set(err, EPERM,
				    "what the container would run as %s is not the mount of the "
				    "launcher %s on its /dev",
				    OL_LAUNCHER_IN_CONTAINER, host_launcher);
	return 0;
}

/*
 * /proc, which exec sessions run the launcher through: a procfs mounted
 * for this container (since Linux 5.8 each mount of procfs is a file
 * system of its own).
 */
static int check_proc(int root, const struct ol_mount *rootm, const struct ol_mounts *mounts,
		      const struct ol_mounts *host, struct ol_error *err)
{
	cleanup_close int fd = -1;
	const struct ol_mount *m;

	return made_for_it(root, "proc", "proc", "procfs", rootm, mounts, host, &fd, &m, err);
}

static int check_root(const struct ol_gate_view *v, int root, const struct ol_json *config,
		      const char *host_launcher, struct ol_error *err)
{
	struct ol_mounts mounts = { 0 }, host = { 0 };
	const struct ol_mount *rootm;
	int r = ol_mounts_parse(v->self.text, v->self.len, &mounts, err);

	if (r == 0)
		r = ol_mounts_parse(v->host.text, v->host.len, &host, err);
	rootm = r == 0 ? mount_of(root, &mounts) : NULL;
	if (r == 0 && !rootm)
		r = ol_error_set(err, EPERM, "the container's root is not a mount of its own");
	else if (rootm && (check_owner(root, config, err) < 0 ||
			   (host_launcher &&
			    check_dev(root, rootm, &mounts, &host, host_launcher, err) < 0) ||
			   check_proc(root, rootm, &mounts, &host, err) < 0))
		r = -err->code;
	ol_mounts_free(&host);
	ol_mounts_free(&mounts);
	return r;
}

int ol_launcher_mount_check(const struct ol_gate_view *v, const char *bundle,
			    const struct ol_json *config, const char *host_launcher,
			    struct ol_error *err)
{
	const char *root_path = ol_json_cstr(ol_json_get(ol_json_get(config, "root"), "path"));
	cleanup_free char *full = NULL;
	cleanup_close int root = -1;

	if (v->failed.code) {
		*err = v->failed;
		return -err->code;
	}
	if (!root_path || !*root_path)
		return ol_error_set(err, EINVAL, "config.json names no root.path");
	if (asprintf(&full, "%s%s%s", root_path[0] == '/' ? "" : bundle,
		     root_path[0] == '/' ? "" : "/", root_path) < 0)
		return ol_error_oom(err);
	/* The host's own path to the root: followed as the runtime did. */
	root = open_at(v->proc_root, full, O_DIRECTORY, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
	if (root < 0)
		return ol_error_errno(err, -root, "cannot open the container's root '%s'", full);
	return check_root(v, root, config, host_launcher, err);
}

int ol_exec_mount_check(const struct ol_gate_view *v, const struct ol_json *config,
			struct ol_error *err)
{
	if (v->failed.code) {
		*err = v->failed;
		return -err->code;
	}
	/* After pivot_root the process's root is the container's root. */
	return check_root(v, v->proc_root, config, NULL, err);
}
