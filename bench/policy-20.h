/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The benchmark policy: 20 paths, 4 TCP ports, both scopes.  One table for
 * the baseline program, which applies it with no parsing at all, and for
 * bench/run, which reads it back (baseline-exec --print) to write the same
 * policy as launcher options and as a landlockconfig document.  The paths
 * exist on a Debian host and in the benchmark's busybox bundle.
 */
#ifndef OL_BENCH_POLICY_20_H
#define OL_BENCH_POLICY_20_H

#include "sandbox/landlock-uapi.h"

#define B_RO  (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR)
#define B_RX  (B_RO | OL_LL_ACCESS_FS_EXECUTE)
#define B_ALL ((OL_LL_ACCESS_FS_IOCTL_DEV << 1) - 1)
#define B_RW  (B_ALL & ~OL_LL_ACCESS_FS_EXECUTE)
/* What a rule on a file keeps (the kernel refuses directory rights there). */
#define B_FILE                                                                                     \
	(OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_WRITE_FILE | OL_LL_ACCESS_FS_READ_FILE |        \
	 OL_LL_ACCESS_FS_TRUNCATE | OL_LL_ACCESS_FS_IOCTL_DEV)

struct bench_path {
	const char *preset; /* the launcher option: ro, rx, rw */
	const char *path;
	uint64_t access; /* as the kernel gets it, file rights only on files */
};

static const struct bench_path bench_paths[] = {
	{ "rx", "/usr", B_RX },
	{ "rx", "/bin", B_RX },
	{ "rx", "/lib", B_RX },
	{ "rx", "/lib64", B_RX },
	{ "rx", "/sbin", B_RX },
	{ "ro", "/etc", B_RO },
	{ "ro", "/usr/share", B_RO },
	{ "ro", "/var/lib", B_RO },
	{ "ro", "/sys", B_RO },
	{ "ro", "/proc", B_RO },
	{ "rw", "/tmp", B_RW },
	{ "rw", "/var/tmp", B_RW },
	{ "rw", "/dev/shm", B_RW },
	{ "rw", "/run", B_RW },
	{ "rw", "/var/log", B_RW },
	{ "rw", "/var/cache", B_RW },
	{ "rw", "/root", B_RW },
	{ "rw", "/home", B_RW },
	{ "rw", "/dev/null", B_RW &B_FILE },
	{ "rw", "/dev/zero", B_RW &B_FILE },
};

static const struct {
	const char *kind; /* the launcher option: bind, connect */
	uint64_t port;
	uint64_t access;
} bench_ports[] = {
	{ "bind", 8080, OL_LL_ACCESS_NET_BIND_TCP },
	{ "connect", 80, OL_LL_ACCESS_NET_CONNECT_TCP },
	{ "connect", 443, OL_LL_ACCESS_NET_CONNECT_TCP },
	{ "connect", 5432, OL_LL_ACCESS_NET_CONNECT_TCP },
};

#endif
