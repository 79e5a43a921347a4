/* SPDX-License-Identifier: Apache-2.0 */
/* The hook's own cage: one Landlock layer and two seccomp filters. */
#include "confine.h"

#include <errno.h>
#include <sys/prctl.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/strv.h"
#include "sandbox/abi.h"
#include "sandbox/apply.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"
#include "sandbox/seccomp-util.h"

/*
 * Refused with EPERM.  Sockets and io_uring are refused by the socket
 * filter (no kind allowed).  The hook is root: besides exec and ptrace,
 * nothing that loads code into the kernel, reaches files by handle
 * (around Landlock's path checks), or changes mounts and namespaces.
 */
/* clang-format off */
static const char *const denied[] = {
	/* running programs, reading or steering other processes */
	"execve", "execveat", "ptrace", "process_vm_readv", "process_vm_writev",
	"pidfd_getfd", "kcmp",
	/* io_uring (its setup is refused by the socket filter) */
	"io_uring_enter", "io_uring_register",
	/* code and state in the kernel */
	"bpf", "perf_event_open", "userfaultfd", "init_module", "finit_module",
	"delete_module", "kexec_load", "kexec_file_load", "keyctl", "add_key",
	"request_key", "swapon", "swapoff", "reboot",
	/* files by handle, mounts, namespaces */
	"open_by_handle_at", "mount", "umount2", "move_mount", "open_tree", "fsopen",
	"fsmount", "fspick", "mount_setattr", "pivot_root", "chroot", "setns", "unshare",
};
/* clang-format on */

/* The layer: every right this kernel has is handled, paths[] allowed. */
static int build_layer(const struct ol_hook_path *paths, size_t n, int abi, struct ol_error *err)
{
	cleanup_strv struct ol_strv ignored = { 0 };
	struct ol_ruleset rs;
	int fd;

	if (ol_ruleset_init(&rs, "oci-landlock hook") < 0)
		return ol_error_oom(err);
	/* The administrator's own host paths: followed as written. */
	rs.follow_symlinks = true;
	rs.handled_fs = ol_rights_mask(OL_RIGHT_FS, abi);
	rs.handled_net = ol_rights_mask(OL_RIGHT_NET, abi);
	rs.scoped = ol_rights_mask(OL_RIGHT_SCOPE, abi);
	for (size_t i = 0; i < n; i++) {
		if (paths[i].path && ol_ruleset_add_path(&rs, paths[i].path, paths[i].access) < 0) {
			ol_ruleset_free(&rs);
			return ol_error_oom(err);
		}
	}
	ol_ruleset_normalize(&rs);
	/* Missing paths are skipped; the warnings say nothing the hook needs. */
	fd = ol_ruleset_build(&rs, abi, &ignored, err);
	ol_ruleset_free(&rs);
	return fd;
}

int ol_hook_confine(const struct ol_hook_path *paths, size_t n, struct ol_error *err)
{
	cleanup_close int fd = -1;
	struct ol_kernel k;

	ol_kernel_probe(&k);
	if (k.abi > 0) {
		fd = build_layer(paths, n, k.abi, err);
		if (fd < 0)
			return fd;
	}
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ol_error_errno(err, errno, "cannot set no_new_privs");
	if (ol_seccomp_deny(denied, sizeof(denied) / sizeof(denied[0]), EPERM, err) < 0)
		return -err->code;
	/* No socket kind at all; then the layer, logged as usual. */
	return ol_sandbox_enforce(&fd, fd >= 0 ? 1 : 0, 0, k.abi, 0, err);
}
