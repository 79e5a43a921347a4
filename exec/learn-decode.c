/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: which system calls are observed, and what each notified
 * call would need from Landlock.
 *
 * Arguments and paths are read by learn-path.c, socket addresses by
 * learn-net.c.  Nothing here is a security decision: the call runs
 * whatever is recorded (nothing is enforced while learning), so a path
 * swapped between our look and the call only makes the recording less
 * exact.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fiemap.h>
#include <linux/fs.h>
#include <seccomp.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "learn-call.h"
#include "learn-run.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/seccomp-util.h"
#include "sandbox/socket-filter.h"

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

enum op {
	OP_OPEN,
	OP_OPENAT,
	OP_OPENAT2,
	OP_CREAT,
	OP_EXECVE,
	OP_EXECVEAT,
	OP_MKDIR,
	OP_MKDIRAT,
	OP_MKNOD,
	OP_MKNODAT,
	OP_SYMLINK,
	OP_SYMLINKAT,
	OP_LINK,
	OP_LINKAT,
	OP_RENAME,
	OP_RENAMEAT,
	OP_RENAMEAT2,
	OP_UNLINK,
	OP_UNLINKAT,
	OP_RMDIR,
	OP_TRUNCATE,
	OP_FTRUNCATE,
	OP_BIND,
	OP_CONNECT,
	OP_SENDTO,
	OP_SENDMSG,
	OP_SENDMMSG,
	OP_IOCTL,
	OP_KILL,
	OP_TKILL,
	OP_TGKILL,
	OP_RT_SIGQUEUEINFO,
	OP_RT_TGSIGQUEUEINFO,
	OP_SOCKET,
	OP_SOCKETPAIR,
	OP_COUNT,
};

static const char *const op_names[OP_COUNT] = {
	[OP_OPEN] = "open",
	[OP_OPENAT] = "openat",
	[OP_OPENAT2] = "openat2",
	[OP_CREAT] = "creat",
	[OP_EXECVE] = "execve",
	[OP_EXECVEAT] = "execveat",
	[OP_MKDIR] = "mkdir",
	[OP_MKDIRAT] = "mkdirat",
	[OP_MKNOD] = "mknod",
	[OP_MKNODAT] = "mknodat",
	[OP_SYMLINK] = "symlink",
	[OP_SYMLINKAT] = "symlinkat",
	[OP_LINK] = "link",
	[OP_LINKAT] = "linkat",
	[OP_RENAME] = "rename",
	[OP_RENAMEAT] = "renameat",
	[OP_RENAMEAT2] = "renameat2",
	[OP_UNLINK] = "unlink",
	[OP_UNLINKAT] = "unlinkat",
	[OP_RMDIR] = "rmdir",
	[OP_TRUNCATE] = "truncate",
	[OP_FTRUNCATE] = "ftruncate",
	[OP_BIND] = "bind",
	[OP_CONNECT] = "connect",
	[OP_SENDTO] = "sendto",
	[OP_SENDMSG] = "sendmsg",
	[OP_SENDMMSG] = "sendmmsg",
	[OP_IOCTL] = "ioctl",
	[OP_KILL] = "kill",
	[OP_TKILL] = "tkill",
	[OP_TGKILL] = "tgkill",
	[OP_RT_SIGQUEUEINFO] = "rt_sigqueueinfo",
	[OP_RT_TGSIGQUEUEINFO] = "rt_tgsigqueueinfo",
	[OP_SOCKET] = "socket",
	[OP_SOCKETPAIR] = "socketpair",
};

int learn_filter_load(struct ol_error *err)
{
	static const struct scmp_arg_cmp with_address = {
		.arg = 4, .op = SCMP_CMP_NE, .datum_a = 0, .datum_b = 0
	};
	cleanup_seccomp scmp_filter_ctx ctx = NULL;
	/* Calls of the compat entry points (i386, x32) are observed too. */
	int r = ol_seccomp_new(&ctx, err), fd;

	if (r < 0)
		return r;
	for (size_t i = 0; r == 0 && i < OP_COUNT; i++) {
		int nr = seccomp_syscall_resolve_name(op_names[i]);
		if (nr == __NR_SCMP_ERROR)
			continue;
		/* sendto() matters only with an address (a UDP port, a
		 * pathname or abstract socket); sendmsg()'s is in memory, out
		 * of seccomp's reach: every one is notified. */
		if (i == OP_SENDTO)
			r = seccomp_rule_add_array(ctx, SCMP_ACT_NOTIFY, nr, 1, &with_address);
		else
			r = seccomp_rule_add(ctx, SCMP_ACT_NOTIFY, nr, 0);
	}
	if (r == 0)
		r = seccomp_load(ctx);
	if (r < 0)
		return ol_error_errno(err, -r, "cannot load the learning filter");
	fd = seccomp_notify_fd(ctx);
	if (fd < 0)
		return ol_error_errno(err, -fd, "cannot get the learning filter's listener");
	return fd;
}

/* The make_* right for a file of this type. */
static uint64_t make_right(mode_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFDIR:
		return OL_LL_ACCESS_FS_MAKE_DIR;
	case S_IFCHR:
		return OL_LL_ACCESS_FS_MAKE_CHAR;
	case S_IFBLK:
		return OL_LL_ACCESS_FS_MAKE_BLOCK;
	case S_IFIFO:
		return OL_LL_ACCESS_FS_MAKE_FIFO;
	case S_IFSOCK:
		return OL_LL_ACCESS_FS_MAKE_SOCK;
	case S_IFLNK:
		return OL_LL_ACCESS_FS_MAKE_SYM;
	default:
		return OL_LL_ACCESS_FS_MAKE_REG;
	}
}

static uint64_t remove_right(mode_t mode)
{
	return S_ISDIR(mode) ? OL_LL_ACCESS_FS_REMOVE_DIR : OL_LL_ACCESS_FS_REMOVE_FILE;
}

/* ---- files ---------------------------------------------------------------- */

static void on_open(struct call *c, int dirfd, int path_arg, uint64_t flags)
{
	char path[PATH_MAX], file[PATH_MAX];
	uint64_t access = 0;
	struct stat st;
	int exists;

	/* O_PATH opens nothing Landlock checks. */
	if ((flags & O_PATH) || learn_read_path(c, path_arg, path, sizeof(path)) < 0)
		return;
	exists = learn_resolve(c, dirfd, path, !(flags & (O_NOFOLLOW | O_EXCL)), file, &st);
	/* O_CREAT through a symbolic link to a missing file creates the
	 * link's target, in the target's directory. */
	for (int hops = 0; exists == 1 && S_ISLNK(st.st_mode) && (flags & O_CREAT) &&
			   !(flags & (O_NOFOLLOW | O_EXCL)) && hops < 40;
	     hops++) {
		char target[PATH_MAX], dir[PATH_MAX], next[2 * PATH_MAX + 2];
		ssize_t n = readlink(file, target, sizeof(target) - 1);
		if (n <= 0)
			return;
		target[n] = '\0';
		learn_parent_of(file, dir);
		if (snprintf(next, sizeof(next), "%s/%s", target[0] == '/' ? "" : dir, target) >=
		    PATH_MAX)
			return;
		exists = learn_resolve(c, AT_FDCWD, next, true, file, &st);
	}
	if (exists < 0 || (!exists && !(flags & O_CREAT)))
		return;
	if (exists && S_ISDIR(st.st_mode) && (flags & O_TMPFILE) != O_TMPFILE) {
		learn_add(c, file, OL_LL_ACCESS_FS_READ_DIR);
		return;
	}
	switch (flags & O_ACCMODE) {
	case O_RDONLY:
		access = OL_LL_ACCESS_FS_READ_FILE;
		break;
	case O_WRONLY:
		access = OL_LL_ACCESS_FS_WRITE_FILE;
		break;
	case O_RDWR:
		access = OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_WRITE_FILE;
		break;
	default:
		break;
	}
	/* An unnamed file in the directory: "DIR/" stands for the files in
	 * it, whose rights land on DIR. */
	if ((flags & O_TMPFILE) == O_TMPFILE) {
		size_t n = strlen(file);
		if (n + 1 < sizeof(file) && n > 1) {
			file[n] = '/';
			file[n + 1] = '\0';
			learn_add(c, file, access);
		}
		return;
	}
	/* O_TRUNC truncates only what already exists. */
	if (exists && (flags & O_TRUNC))
		access |= OL_LL_ACCESS_FS_TRUNCATE;
	if (!exists) {
		learn_add_parent(c, file, OL_LL_ACCESS_FS_MAKE_REG);
		learn_created(c, file);
	}
	learn_add(c, file, access);
}

static void on_make(struct call *c, int dirfd, int path_arg, uint64_t access)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct stat st;

	if (learn_read_path(c, path_arg, path, sizeof(path)) < 0 ||
	    learn_resolve(c, dirfd, path, false, file, &st) != 0)
		return;
	learn_add_parent(c, file, access);
	learn_created(c, file);
}

static void on_remove(struct call *c, int dirfd, int path_arg, bool dir)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct stat st;

	if (learn_read_path(c, path_arg, path, sizeof(path)) < 0 ||
	    learn_resolve(c, dirfd, path, false, file, &st) != 1)
		return;
	learn_add_parent(c, file,
			 dir || S_ISDIR(st.st_mode) ? OL_LL_ACCESS_FS_REMOVE_DIR
						    : OL_LL_ACCESS_FS_REMOVE_FILE);
}

/* link() and rename(): the rights on both directories. */
static void on_move(struct call *c, int old_fd, int old_arg, int new_fd, int new_arg, bool rename,
		    uint64_t flags)
{
	char old_path[PATH_MAX], new_path[PATH_MAX], from[PATH_MAX], to[PATH_MAX];
	char from_dir[PATH_MAX], to_dir[PATH_MAX];
	struct stat src, dst;
	int dst_exists;

	if (learn_read_path(c, old_arg, old_path, sizeof(old_path)) < 0 ||
	    learn_read_path(c, new_arg, new_path, sizeof(new_path)) < 0 ||
	    (dst_exists = learn_resolve(c, new_fd, new_path, false, to, &dst)) < 0)
		return;
	if (learn_resolve(c, old_fd, old_path, !rename && (flags & AT_SYMLINK_FOLLOW), from,
			  &src) != 1) {
		/* linkat(fd, "", AT_EMPTY_PATH) of an unnamed (O_TMPFILE) file. */
		if (!rename && !old_path[0] && (flags & AT_EMPTY_PATH) && dst_exists == 0) {
			learn_add_parent(c, to, OL_LL_ACCESS_FS_MAKE_REG);
			learn_created(c, to);
		}
		return;
	}
	learn_parent_of(from, from_dir);
	learn_parent_of(to, to_dir);
	learn_add(c, to_dir, make_right(src.st_mode));
	if (rename)
		learn_add(c, from_dir, remove_right(src.st_mode));
	if (dst_exists == 1 && rename) {
		learn_add(c, to_dir, remove_right(dst.st_mode));
		if (flags & RENAME_EXCHANGE)
			learn_add(c, from_dir, make_right(dst.st_mode));
	}
	if (strcmp(from_dir, to_dir) != 0) {
		learn_add(c, from_dir, OL_LL_ACCESS_FS_REFER);
		learn_add(c, to_dir, OL_LL_ACCESS_FS_REFER);
		if (c->r == 0)
			c->r = ol_recording_add_move(c->rec, from_dir, to_dir);
		/* An exchange moves the other file the other way. */
		if (c->r == 0 && dst_exists == 1 && rename && (flags & RENAME_EXCHANGE))
			c->r = ol_recording_add_move(c->rec, to_dir, from_dir);
	}
	if (dst_exists == 0)
		learn_created(c, to);
}

static void on_truncate(struct call *c, int path_arg)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct stat st;

	if (learn_read_path(c, path_arg, path, sizeof(path)) == 0 &&
	    learn_resolve(c, AT_FDCWD, path, true, file, &st) == 1)
		learn_add(c, file, OL_LL_ACCESS_FS_TRUNCATE);
}

/* A right on the file behind one of the caller's descriptors. */
static void on_fd(struct call *c, int fd, uint64_t access, bool devices_only)
{
	char what[32], file[PATH_MAX];
	struct stat st;

	snprintf(what, sizeof(what), "fd/%d", fd);
	if (learn_proc_link(c->pid, what, file, sizeof(file)) < 0 || stat(file, &st) < 0)
		return;
	if (devices_only && !S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
		return;
	learn_add(c, file, access);
}

static void on_ioctl(struct call *c)
{
	/* Landlock allows these on any file, whatever ioctl_dev says. */
	static const unsigned long always[] = { FIOCLEX,  FIONCLEX,	FIONBIO,      FIOASYNC,
						FIFREEZE, FITHAW,	FIGETBSZ,     FS_IOC_FIEMAP,
						FICLONE,  FICLONERANGE, FIDEDUPERANGE };
	unsigned long cmd = (uint32_t) c->req->data.args[1];

	for (size_t i = 0; i < OL_ARRAY_SIZE(always); i++)
		if (cmd == always[i])
			return;
	on_fd(c, (int) arg_int(c, 0), OL_LL_ACCESS_FS_IOCTL_DEV, true);
}

/* ---- signals and sockets ---------------------------------------------------- */

static void on_signal(struct call *c, pid_t target)
{

	/* kill(-1): every process we may signal, outside ones included.
	 * Process groups (0, -PGID) are taken to be the workload's own. */
	if (target == -1) {
		c->rec->outside |= OL_LL_SCOPE_SIGNAL;
		return;
	}
	if (target > 0 && (target = learn_tgid_of(target)) > 0 &&
	    !learn_in_tree(target, c->workload))
		c->rec->outside |= OL_LL_SCOPE_SIGNAL;
}

static void on_socket(struct call *c)
{
	c->rec->sockets |=
		ol_socket_kind_of((int) arg_int(c, 0), (int) arg_int(c, 1), (int) arg_int(c, 2));
}

/* ---- dispatch ------------------------------------------------------------ */

static enum op op_of(const struct seccomp_notif *req)
{
	cleanup_free char *name = seccomp_syscall_resolve_num_arch(req->data.arch, req->data.nr);

	for (size_t i = 0; name && i < OP_COUNT; i++)
		if (strcmp(name, op_names[i]) == 0)
			return (enum op) i;
	return OP_COUNT;
}

static void dispatch(struct call *c, enum op op)
{
	const __u64 *a = c->req->data.args;
	uint64_t how = 0;

	switch (op) {
	case OP_OPEN:
		on_open(c, AT_FDCWD, 0, (uint32_t) a[1]);
		break;
	case OP_OPENAT:
		on_open(c, (int) arg_int(c, 0), 1, (uint32_t) a[2]);
		break;
	case OP_OPENAT2:
		if (learn_read_mem(c, a[2], &how, sizeof(how), false) == 0)
			on_open(c, (int) arg_int(c, 0), 1, how);
		break;
	case OP_CREAT:
		on_open(c, AT_FDCWD, 0, O_CREAT | O_WRONLY | O_TRUNC);
		break;
	case OP_EXECVE:
		learn_on_exec(c, AT_FDCWD, 0, 0);
		break;
	case OP_EXECVEAT:
		learn_on_exec(c, (int) arg_int(c, 0), 1, (int) arg_int(c, 4));
		break;
	case OP_MKDIR:
		on_make(c, AT_FDCWD, 0, OL_LL_ACCESS_FS_MAKE_DIR);
		break;
	case OP_MKDIRAT:
		on_make(c, (int) arg_int(c, 0), 1, OL_LL_ACCESS_FS_MAKE_DIR);
		break;
	case OP_MKNOD:
		on_make(c, AT_FDCWD, 0, make_right((mode_t) a[1]));
		break;
	case OP_MKNODAT:
		on_make(c, (int) arg_int(c, 0), 1, make_right((mode_t) a[2]));
		break;
	case OP_SYMLINK:
		on_make(c, AT_FDCWD, 1, OL_LL_ACCESS_FS_MAKE_SYM);
		break;
	case OP_SYMLINKAT:
		on_make(c, (int) arg_int(c, 1), 2, OL_LL_ACCESS_FS_MAKE_SYM);
		break;
	case OP_LINK:
		on_move(c, AT_FDCWD, 0, AT_FDCWD, 1, false, 0);
		break;
	case OP_LINKAT:
		on_move(c, (int) arg_int(c, 0), 1, (int) arg_int(c, 2), 3, false, (uint32_t) a[4]);
		break;
	case OP_RENAME:
		on_move(c, AT_FDCWD, 0, AT_FDCWD, 1, true, 0);
		break;
	case OP_RENAMEAT:
		on_move(c, (int) arg_int(c, 0), 1, (int) arg_int(c, 2), 3, true, 0);
		break;
	case OP_RENAMEAT2:
		on_move(c, (int) arg_int(c, 0), 1, (int) arg_int(c, 2), 3, true, (uint32_t) a[4]);
		break;
	case OP_UNLINK:
		on_remove(c, AT_FDCWD, 0, false);
		break;
	case OP_UNLINKAT:
		on_remove(c, (int) arg_int(c, 0), 1, (a[2] & AT_REMOVEDIR) != 0);
		break;
	case OP_RMDIR:
		on_remove(c, AT_FDCWD, 0, true);
		break;
	case OP_TRUNCATE:
		on_truncate(c, 0);
		break;
	case OP_FTRUNCATE:
		on_fd(c, (int) arg_int(c, 0), OL_LL_ACCESS_FS_TRUNCATE, false);
		break;
	case OP_BIND:
	case OP_CONNECT:
		learn_on_address(c, (int) arg_int(c, 0), a[1], (uint32_t) a[2],
				 op == OP_BIND ? LEARN_BIND : LEARN_CONNECT);
		break;
	case OP_SENDTO:
		learn_on_address(c, (int) arg_int(c, 0), a[4], (uint32_t) a[5], LEARN_SEND);
		break;
	case OP_SENDMSG:
	case OP_SENDMMSG:
		learn_on_sendmsg(c, op == OP_SENDMMSG);
		break;
	case OP_IOCTL:
		on_ioctl(c);
		break;
	case OP_KILL:
	case OP_TKILL:
	case OP_RT_SIGQUEUEINFO:
		on_signal(c, (pid_t) arg_int(c, 0));
		break;
	case OP_TGKILL:
	case OP_RT_TGSIGQUEUEINFO:
		on_signal(c, (pid_t) arg_int(c, 1));
		break;
	case OP_SOCKET:
	case OP_SOCKETPAIR:
		on_socket(c);
		break;
	default:
		break;
	}
}

int learn_record(int listener, const struct seccomp_notif *req, pid_t workload,
		 struct ol_recording *rec)
{
	struct call c = {
		.listener = listener,
		.req = req,
		.pid = (pid_t) req->pid,
		.workload = workload,
		.mem = -1,
		.rec = rec,
	};

	dispatch(&c, op_of(req));
	if (c.mem >= 0)
		close(c.mem);
	return c.r;
}
