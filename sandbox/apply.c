/* SPDX-License-Identifier: Apache-2.0 */
/* Building kernel rulesets from layers and restricting the caller. */
#include "apply.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>

#include "common/cleanup.h"
#include "landlock-uapi.h"
#include "resolve.h"
#include "rights.h"
#include "socket-filter.h"

/* Errors that mean "this path is not there for us": skip the rule. */
static bool is_missing(int e)
{
	return e == ENOENT || e == ENOTDIR || e == EACCES || e == ELOOP || e == ENAMETOOLONG;
}

/*
 * The rule's path, opened O_PATH; -ENOENT when the rule is skipped (with a
 * warning), another negative errno on failure.  Host paths of the
 * administrator are followed as written; container paths follow no
 * symbolic link but a merged-/usr alias (resolve.h).
 */
static int open_rule(const struct ol_ruleset *rs, const struct ol_path_rule *rule,
		     struct ol_strv *warnings, struct ol_error *err)
{
	struct ol_resolve_link link;
	int fd = ol_resolve_open(rule->path, rs->follow_symlinks, &link);

	if (fd >= 0)
		return fd;
	if (rs->quiet_missing && is_missing(-fd))
		return -ENOENT;
	if (fd == -ELOOP && !rs->follow_symlinks)
		ol_strv_pushf(warnings,
			      "%s: rule for '%s' skipped: '%s' is a symbolic link (to '%s'), and "
			      "rules follow none (write the path it leads to)",
			      rs->source, rule->path, link.link, link.target);
	else if (is_missing(-fd))
		ol_strv_pushf(warnings, "%s: rule for '%s' skipped: %s", rs->source, rule->path,
			      strerror(-fd));
	else
		return ol_error_errno(err, -fd, "%s: cannot open '%s'", rs->source, rule->path);
	return -ENOENT;
}

/*
 * The rule goes to the kernel first: it checks the type of the file anyway,
 * and refuses directory-only rights on a file (EINVAL).  Only then is the
 * file looked at, so a rule on a directory, the common case, costs no stat.
 */
static int add_path_rule(int ruleset_fd, const struct ol_ruleset *rs,
			 const struct ol_path_rule *rule, int abi, struct ol_strv *warnings,
			 struct ol_error *err)
{
	struct ol_ll_path_beneath_attr attr = { .allowed_access = rule->access };
	uint32_t flags = ol_rule_flags(rule->quiet, abi);
	cleanup_close int fd = -1;
	struct stat st;

	fd = open_rule(rs, rule, warnings, err);
	if (fd < 0)
		return fd == -ENOENT ? 0 : fd;
	attr.parent_fd = fd;
	if (ol_ll_add_rule(ruleset_fd, OL_LL_RULE_PATH_BENEATH, &attr, flags) == 0)
		return 0;
	if (errno == EINVAL && (attr.allowed_access & ~ol_rights_file_mask())) {
		if (fstat(fd, &st) < 0)
			return ol_error_errno(err, errno, "%s: cannot stat '%s'", rs->source,
					      rule->path);
		if (S_ISDIR(st.st_mode)) {
			errno = EINVAL;
		} else {
			attr.allowed_access &= ol_rights_file_mask();
			/* A quiet rule may allow nothing; another is moot. */
			if (!attr.allowed_access && !rule->quiet) {
				ol_strv_pushf(warnings,
					      "%s: rule for '%s' skipped: it is not a "
					      "directory and none of its rights apply to a file",
					      rs->source, rule->path);
				return 0;
			}
			if (ol_ll_add_rule(ruleset_fd, OL_LL_RULE_PATH_BENEATH, &attr, flags) == 0)
				return 0;
		}
	}
	/*
	 * EBADFD: not on a file system at all, such as /dev/stdout when it
	 * is a pipe.  Landlock does not restrict those: the rule is moot.
	 */
	if (errno == EBADFD)
		return 0;
	return ol_error_errno(err, errno, "%s: cannot add the rule for '%s'", rs->source,
			      rule->path);
}

size_t ol_ruleset_attr(const struct ol_ruleset *rs, int abi, struct ol_ll_ruleset_attr *attr)
{
	size_t size = ol_ll_ruleset_attr_size(abi);

	*attr = (struct ol_ll_ruleset_attr){
		.handled_access_fs = rs->handled_fs,
		.handled_access_net = rs->handled_net,
		.scoped = rs->scoped,
		.quiet_access_fs = ol_ruleset_quiet_fs(rs),
		.quiet_access_net = ol_ruleset_quiet_net(rs),
		.quiet_scoped = rs->quiet_scoped,
	};
	memset((char *) attr + size, 0, sizeof(*attr) - size);
	return size;
}

uint32_t ol_rule_flags(bool quiet, int abi)
{
	return quiet && abi >= OL_ABI_QUIET ? OL_LL_ADD_RULE_QUIET : 0;
}

int ol_ruleset_build(const struct ol_ruleset *rs, int abi, struct ol_strv *warnings,
		     struct ol_error *err)
{
	struct ol_ll_ruleset_attr attr;
	size_t size = ol_ruleset_attr(rs, abi, &attr);
	cleanup_close int ruleset_fd = -1;

	ruleset_fd = (int) ol_ll_create_ruleset(&attr, size, 0);
	if (ruleset_fd < 0)
		return ol_error_errno(err, errno, "%s: cannot create the Landlock ruleset",
				      rs->source);
	for (size_t i = 0; i < rs->n_paths; i++) {
		int r = add_path_rule(ruleset_fd, rs, &rs->paths[i], abi, warnings, err);
		if (r < 0)
			return r;
	}
	for (size_t i = 0; i < rs->n_ports; i++) {
		struct ol_ll_net_port_attr net = {
			.allowed_access = rs->ports[i].access,
			.port = rs->ports[i].port,
		};
		if (ol_ll_add_rule(ruleset_fd, OL_LL_RULE_NET_PORT, &net,
				   ol_rule_flags(rs->ports[i].quiet, abi)) < 0)
			return ol_error_errno(err, errno, "%s: cannot add the rule for port %llu",
					      rs->source, (unsigned long long) net.port);
	}
	return steal_fd(&ruleset_fd);
}

int ol_sandbox_enforce(const int *ruleset_fds, size_t n, uint32_t log_flags, int abi,
		       uint32_t sockets, struct ol_error *err)
{
	/* Log flags are observability: a kernel without them still enforces. */
	uint32_t flags = abi >= OL_ABI_LOG_FLAGS ? log_flags : 0;

	if (n > OL_MAX_LAYERS)
		return ol_error_set(err, E2BIG,
				    "%zu Landlock layers requested, the kernel "
				    "allows %d per process",
				    n, OL_MAX_LAYERS);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return ol_error_errno(err, errno, "cannot set no_new_privs");
	if (sockets != OL_SOCKETS_UNFILTERED && ol_socket_filter_load(sockets, err) < 0)
		return -err->code;
	for (size_t i = 0; i < n; i++) {
		/*
		 * Each layer is a domain nested in the one before: "subdomains
		 * off" on an early layer would silence the denials of the later
		 * ones.  Only the last layer carries it, for the command's own
		 * sandboxes.
		 */
		uint32_t f = i + 1 < n ? flags & ~OL_LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF : flags;
		if (ol_ll_restrict_self(ruleset_fds[i], f) < 0) {
			int e = errno;
			ol_error_errno(err, e, "cannot enforce Landlock layer %zu", i + 1);
			if (e == E2BIG)
				ol_error_hint(err,
					      "the process already runs inside other Landlock "
					      "layers (%d at most in all); use fewer policy "
					      "sources",
					      OL_MAX_LAYERS);
			return -e;
		}
	}
	return 0;
}
