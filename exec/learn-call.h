/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: one notified system call, and what the supervisor can
 * find out about it: its arguments in the caller's memory, its paths made
 * absolute, the caller's place in the process tree.
 */
#ifndef OL_EXEC_LEARN_CALL_H
#define OL_EXEC_LEARN_CALL_H

#include <limits.h>
#include <linux/seccomp.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/stat.h>
#include <sys/types.h>

#include "policy/learn.h"

struct call {
	int listener;
	const struct seccomp_notif *req;
	pid_t pid;
	pid_t workload;
	int mem; /* /proc/PID/mem, opened on first use */
	struct ol_recording *rec;
	int r; /* first recording error */
};

/* Argument i as the int the kernel reads (the low 32 bits, signed). */
static inline int64_t arg_int(const struct call *c, int i)
{
	return (int32_t) (uint32_t) c->req->data.args[i];
}

/*
 * Read n bytes at addr of the caller's memory (string: up to n, ending in
 * a NUL).  0 when read and the notification is still valid afterwards.
 */
int learn_read_mem(struct call *c, uint64_t addr, void *buf, size_t n, bool string);
/* The path string in argument i. */
int learn_read_path(struct call *c, int i, char *buf, size_t size);

/* readlink() of /proc/PID/WHAT when it is an absolute path. */
int learn_proc_link(pid_t pid, const char *what, char *out, size_t size);

/*
 * The absolute path (PATH_MAX bytes at out) of `path` for the caller,
 * from dirfd (AT_FDCWD: its working directory); follow says whether a
 * symbolic link in the last component is followed.  Returns 1 when the
 * object exists (st filled in), 0 when not, -1 when the path cannot be
 * made absolute.
 */
int learn_resolve(struct call *c, int dirfd, const char *path, bool follow, char *out,
		  struct stat *st);

/* The directory of an absolute path ("/" for "/x"), PATH_MAX bytes at out. */
void learn_parent_of(const char *path, char *out);

/* Record access on path (the first error is kept in c->r). */
static inline void learn_add(struct call *c, const char *path, uint64_t access)
{
	if (c->r == 0)
		c->r = ol_recording_add_path(c->rec, path, access);
}

/* Record access on path's directory. */
static inline void learn_add_parent(struct call *c, const char *path, uint64_t access)
{
	char dir[PATH_MAX];

	learn_parent_of(path, dir);
	learn_add(c, dir, access);
}

/* Record that the call creates path. */
static inline void learn_created(struct call *c, const char *path)
{
	if (c->r == 0)
		c->r = ol_recording_add_created(c->rec, path);
}

enum learn_addr_op {
	LEARN_BIND,
	LEARN_CONNECT,
	LEARN_SEND, /* sendto(), sendmsg(), sendmmsg() with an address */
};

/* bind(), connect() or a send on the caller's fd, to the address of len
 * bytes at addr in its memory (learn-net.c). */
void learn_on_address(struct call *c, int fd, uint64_t addr, uint64_t len, enum learn_addr_op op);

/* sendmsg() (many: sendmmsg()): each message's address. */
void learn_on_sendmsg(struct call *c, bool many);

/* execve() (AT_FDCWD, path argument 0) and execveat(). */
void learn_on_exec(struct call *c, int dirfd, int path_arg, int flags);

/* Whether pid is the workload or one of its descendants. */
bool learn_in_tree(pid_t pid, pid_t workload);

/* The process (thread group) of a thread, or -1 when it is gone. */
pid_t learn_tgid_of(pid_t tid);

#endif
