/* SPDX-License-Identifier: Apache-2.0 */
/* The Landlock rights table and the lookups built on it. */
#include "rights.h"

#include <stdio.h>
#include <string.h>

#include "common/strv.h"
#include "common/text.h"
#include "landlock-uapi.h"

#define FS(n, b, a, f, w)                                                                          \
	{                                                                                          \
		n, OL_RIGHT_FS, OL_LL_ACCESS_FS_##b, a, f, w                                       \
	}
#define NET(n, b, a, w)                                                                            \
	{                                                                                          \
		n, OL_RIGHT_NET, OL_LL_ACCESS_NET_##b, a, false, w                                 \
	}
#define SCOPE(n, b, a, w)                                                                          \
	{                                                                                          \
		n, OL_RIGHT_SCOPE, OL_LL_SCOPE_##b, a, false, w                                    \
	}

const struct ol_right ol_rights[] = {
	FS("execute", EXECUTE, 1, true, "execute a file"),
	FS("write_file", WRITE_FILE, 1, true, "open a file with write access"),
	FS("read_file", READ_FILE, 1, true, "open a file with read access"),
	FS("read_dir", READ_DIR, 1, false, "open a directory or list its content"),
	FS("remove_dir", REMOVE_DIR, 1, false, "remove an empty directory or rename one"),
	FS("remove_file", REMOVE_FILE, 1, false, "unlink or rename a file"),
	FS("make_char", MAKE_CHAR, 1, false, "create, rename or link a character device"),
	FS("make_dir", MAKE_DIR, 1, false, "create or rename a directory"),
	FS("make_reg", MAKE_REG, 1, false, "create, rename or link a regular file"),
	FS("make_sock", MAKE_SOCK, 1, false, "create, rename or link a UNIX domain socket"),
	FS("make_fifo", MAKE_FIFO, 1, false, "create, rename or link a named pipe"),
	FS("make_block", MAKE_BLOCK, 1, false, "create, rename or link a block device"),
	FS("make_sym", MAKE_SYM, 1, false, "create, rename or link a symbolic link"),
	FS("refer", REFER, 2, false, "link or rename a file from or to a different directory"),
	FS("truncate", TRUNCATE, 3, true, "truncate a file (truncate, ftruncate, creat, O_TRUNC)"),
	FS("ioctl_dev", IOCTL_DEV, 5, true, "use ioctl(2) on a character or block device"),
	FS("resolve_unix", RESOLVE_UNIX, 9, true,
	   "connect or send to a pathname UNIX socket whose server is outside the sandbox"),
	NET("bind_tcp", BIND_TCP, 4, "bind a TCP socket to a local port"),
	NET("connect_tcp", CONNECT_TCP, 4, "connect a TCP socket to a remote port"),
	NET("bind_udp", BIND_UDP, 10, "bind a UDP socket to a local port"),
	NET("connect_send_udp", CONNECT_SEND_UDP, 10,
	    "connect a UDP socket to, or send a datagram to, a remote port"),
	SCOPE("abstract_unix_socket", ABSTRACT_UNIX_SOCKET, 6,
	      "connect to an abstract UNIX socket created outside the sandbox"),
	SCOPE("signal", SIGNAL, 6, "send a signal to a process outside the sandbox"),
};

const size_t ol_rights_count = sizeof(ol_rights) / sizeof(ol_rights[0]);

const struct ol_right *ol_right_lookup(enum ol_right_kind kind, const char *name)
{
	for (size_t i = 0; i < ol_rights_count; i++)
		if (ol_rights[i].kind == kind && strcmp(ol_rights[i].name, name) == 0)
			return &ol_rights[i];
	return NULL;
}

const struct ol_right *ol_right_by_bit(enum ol_right_kind kind, uint64_t bit)
{
	for (size_t i = 0; i < ol_rights_count; i++)
		if (ol_rights[i].kind == kind && ol_rights[i].bit == bit)
			return &ol_rights[i];
	return NULL;
}

uint64_t ol_rights_mask(enum ol_right_kind kind, int abi)
{
	uint64_t mask = 0;

	for (size_t i = 0; i < ol_rights_count; i++)
		if (ol_rights[i].kind == kind && ol_rights[i].abi <= abi)
			mask |= ol_rights[i].bit;
	return mask;
}

uint64_t ol_rights_file_mask(void)
{
	uint64_t mask = 0;

	for (size_t i = 0; i < ol_rights_count; i++)
		if (ol_rights[i].kind == OL_RIGHT_FS && ol_rights[i].file)
			mask |= ol_rights[i].bit;
	return mask;
}

const char *ol_right_kind_noun(enum ol_right_kind kind)
{
	switch (kind) {
	case OL_RIGHT_FS:
		return "file-system right";
	case OL_RIGHT_NET:
		return "network right";
	default:
		return "scope";
	}
}

void ol_rights_format(enum ol_right_kind kind, uint64_t mask, const char *sep, char *buf,
		      size_t size)
{
	size_t used = 0;

	if (size == 0)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < ol_rights_count && used < size; i++) {
		const struct ol_right *r = &ol_rights[i];
		int n;
		if (r->kind != kind || !(mask & r->bit))
			continue;
		n = snprintf(buf + used, size - used, "%s%s", used ? sep : "", r->name);
		if (n < 0)
			break;
		used += (size_t) n;
	}
}

const char *ol_right_suggest(enum ol_right_kind kind, const char *name)
{
	struct ol_suggestion s;

	ol_suggest_init(&s, name, strlen(name));
	for (size_t i = 0; i < ol_rights_count; i++)
		if (ol_rights[i].kind == kind)
			ol_suggest_try(&s, ol_rights[i].name);
	return s.best;
}

const char *ol_abi_linux(int abi)
{
	static const char *const linux_of[] = {
		[1] = "5.13", [2] = "5.19", [3] = "6.2", [4] = "6.7", [5] = "6.10",
		[6] = "6.12", [7] = "6.15", [8] = "7.0", [9] = "7.1", [10] = "7.2",
	};

	if (abi < 1 || abi > OL_ABI_MAX)
		return NULL;
	return linux_of[abi];
}
