/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The Landlock kernel interface, defined here rather than taken from
 * <linux/landlock.h>: Debian 12's header stops at ABI 2, and the structs
 * there are too short for network rules and scopes.  Values are the
 * kernel's ABI and never change; the names of the structs carry our prefix
 * so they cannot clash with a system header.
 */
#ifndef OL_SANDBOX_LANDLOCK_UAPI_H
#define OL_SANDBOX_LANDLOCK_UAPI_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The three system calls share their numbers on every architecture but alpha. */
#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

struct ol_ll_ruleset_attr {
	uint64_t handled_access_fs;  /* ABI 1 */
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;	     /* ABI 6 */
	uint64_t quiet_access_fs;    /* ABI 10 */
	uint64_t quiet_access_net;   /* ABI 10 */
	uint64_t quiet_scoped;	     /* ABI 10 */
};

/* The size a kernel of a given ABI understands: older ones refuse more. */
#define OL_LL_ATTR_SIZE_V1  offsetof(struct ol_ll_ruleset_attr, handled_access_net)
#define OL_LL_ATTR_SIZE_V4  offsetof(struct ol_ll_ruleset_attr, scoped)
#define OL_LL_ATTR_SIZE_V6  offsetof(struct ol_ll_ruleset_attr, quiet_access_fs)
#define OL_LL_ATTR_SIZE_V10 sizeof(struct ol_ll_ruleset_attr)

/* What landlock_create_ruleset() gets for a kernel of this ABI: the fields
 * it does not know are left out, and the caller leaves them zero. */
static inline size_t ol_ll_ruleset_attr_size(int abi)
{
	if (abi >= 10)
		return OL_LL_ATTR_SIZE_V10;
	if (abi >= 6)
		return OL_LL_ATTR_SIZE_V6;
	if (abi >= 4)
		return OL_LL_ATTR_SIZE_V4;
	return OL_LL_ATTR_SIZE_V1;
}

struct ol_ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ol_ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

#define OL_LL_RULE_PATH_BENEATH 1
#define OL_LL_RULE_NET_PORT	2

/* landlock_create_ruleset() flags */
#define OL_LL_CREATE_RULESET_VERSION (1U << 0)
#define OL_LL_CREATE_RULESET_ERRATA  (1U << 1) /* ABI 7 */

/* landlock_restrict_self() flags, ABI 7 */
#define OL_LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF  (1U << 0)
#define OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON    (1U << 1)
#define OL_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2)
/* ABI 8: every thread of the process at once (we never need it: the
 * launcher is single-threaded when it restricts itself). */
#define OL_LL_RESTRICT_SELF_TSYNC (1U << 3)

/* landlock_add_rule() flags, ABI 10; any flag is EINVAL before */
#define OL_LL_ADD_RULE_QUIET (1U << 0)

/* File-system access rights */
#define OL_LL_ACCESS_FS_EXECUTE	     (1ULL << 0)
#define OL_LL_ACCESS_FS_WRITE_FILE   (1ULL << 1)
#define OL_LL_ACCESS_FS_READ_FILE    (1ULL << 2)
#define OL_LL_ACCESS_FS_READ_DIR     (1ULL << 3)
#define OL_LL_ACCESS_FS_REMOVE_DIR   (1ULL << 4)
#define OL_LL_ACCESS_FS_REMOVE_FILE  (1ULL << 5)
#define OL_LL_ACCESS_FS_MAKE_CHAR    (1ULL << 6)
#define OL_LL_ACCESS_FS_MAKE_DIR     (1ULL << 7)
#define OL_LL_ACCESS_FS_MAKE_REG     (1ULL << 8)
#define OL_LL_ACCESS_FS_MAKE_SOCK    (1ULL << 9)
#define OL_LL_ACCESS_FS_MAKE_FIFO    (1ULL << 10)
#define OL_LL_ACCESS_FS_MAKE_BLOCK   (1ULL << 11)
#define OL_LL_ACCESS_FS_MAKE_SYM     (1ULL << 12)
#define OL_LL_ACCESS_FS_REFER	     (1ULL << 13) /* ABI 2 */
#define OL_LL_ACCESS_FS_TRUNCATE     (1ULL << 14) /* ABI 3 */
#define OL_LL_ACCESS_FS_IOCTL_DEV    (1ULL << 15) /* ABI 5 */
#define OL_LL_ACCESS_FS_RESOLVE_UNIX (1ULL << 16) /* ABI 9 */

/* Network access rights, ABI 4 */
#define OL_LL_ACCESS_NET_BIND_TCP	  (1ULL << 0)
#define OL_LL_ACCESS_NET_CONNECT_TCP	  (1ULL << 1)
#define OL_LL_ACCESS_NET_BIND_UDP	  (1ULL << 2) /* ABI 10 */
#define OL_LL_ACCESS_NET_CONNECT_SEND_UDP (1ULL << 3) /* ABI 10 */

/* Scopes, ABI 6 */
#define OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define OL_LL_SCOPE_SIGNAL		 (1ULL << 1)

static inline long ol_ll_create_ruleset(const struct ol_ll_ruleset_attr *attr, size_t size,
					uint32_t flags)
{
	return syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

static inline long ol_ll_add_rule(int ruleset_fd, int rule_type, const void *rule_attr,
				  uint32_t flags)
{
	return syscall(__NR_landlock_add_rule, ruleset_fd, rule_type, rule_attr, flags);
}

static inline long ol_ll_restrict_self(int ruleset_fd, uint32_t flags)
{
	return syscall(__NR_landlock_restrict_self, ruleset_fd, flags);
}

#endif
