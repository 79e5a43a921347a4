/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One Landlock layer as data: what it handles and what its rules allow.
 *
 * This is what every policy source compiles to and what the sandbox
 * applies.  It knows nothing of JSON or annotations; `source` only names
 * the layer in messages ("--policy-file /etc/app.json").
 */
#ifndef OL_SANDBOX_RULESET_H
#define OL_SANDBOX_RULESET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * A rule allows access on its object; a quiet rule (ABI 10) also marks
 * it, so that the layer's denials of the quiet rights there (beneath it,
 * for a directory) are not logged.  A quiet rule may allow nothing.
 */
struct ol_path_rule {
	char *path;
	uint64_t access;
	bool quiet;
};

struct ol_port_rule {
	uint64_t port;
	uint64_t access;
	bool quiet;
};

struct ol_ruleset {
	char *source;
	uint64_t handled_fs;
	uint64_t handled_net;
	uint64_t scoped;
	/*
	 * Quiet rights (ABI 10), subsets of the three above: their denials
	 * are not logged on the objects of quiet rules (quiet_fs, quiet_net),
	 * or not at all (quiet_scoped).  quiet_follows: the shorthand's
	 * quiet.fs / quiet.net, whose quiet rights are whatever the layer
	 * handles in the end (ol_ruleset_quiet_fs(), _net()).
	 */
	uint64_t quiet_fs, quiet_net, quiet_scoped;
	bool quiet_follows;
	/*
	 * Of handled_fs, the rights handled only because a shorthand (fs.ro
	 * ...) handles every right the kernel has: fitting drops them on a
	 * kernel without them in strict mode too (docs/policy.md).
	 */
	uint64_t implied_fs;
	/* Highest ABI an `abi.*` group was resolved against; 0 if none. */
	int group_abi;
	struct ol_path_rule *paths;
	size_t n_paths, cap_paths;
	struct ol_port_rule *ports;
	size_t n_ports, cap_ports;
	/*
	 * Rule paths are opened as resolve.h says (no symbolic link but a
	 * merged-/usr alias), unless they are the host administrator's own
	 * paths, which are followed as written.
	 */
	bool follow_symlinks;
	/*
	 * A layer the host gives every container (--host-layer), written for
	 * no image in particular: a rule path the image lacks is skipped
	 * without a warning, as what it would allow is not there.
	 */
	bool quiet_missing;
};

/* Start an empty ruleset named source.  Returns 0 or -ENOMEM. */
int ol_ruleset_init(struct ol_ruleset *rs, const char *source);
void ol_ruleset_free(struct ol_ruleset *rs);

/*
 * Add a rule; repeated slashes in the path are collapsed (nothing else
 * changes: a trailing "/" still means "a directory").  Rules are merged by
 * ol_ruleset_normalize().
 * Return 0 or -ENOMEM.
 */
int ol_ruleset_add_path(struct ol_ruleset *rs, const char *path, uint64_t access);
int ol_ruleset_add_port(struct ol_ruleset *rs, uint64_t port, uint64_t access);
/* The same for a quiet rule (or a plain one when quiet is false). */
int ol_ruleset_add_path_quiet(struct ol_ruleset *rs, const char *path, uint64_t access, bool quiet);
int ol_ruleset_add_port_quiet(struct ol_ruleset *rs, uint64_t port, uint64_t access, bool quiet);

/*
 * Add the ports lo..hi (at most 65535).  Rules are merged as the list
 * grows, so repeating a range costs no memory: a layer never holds more
 * than twice the 65,536 distinct ports.  Returns 0 or -ENOMEM.
 */
int ol_ruleset_add_port_range(struct ol_ruleset *rs, uint64_t lo, uint64_t hi, uint64_t access,
			      bool quiet);

/* Make dst (uninitialised) a copy of src: every field, every rule.
 * Returns 0 or -ENOMEM (dst is then freed). */
int ol_ruleset_copy(struct ol_ruleset *dst, const struct ol_ruleset *src);

/* Sort rules, merge rules on the same path or port (a rule is quiet if
 * any of those merged was), drop those that allow nothing and are not
 * quiet. */
void ol_ruleset_normalize(struct ol_ruleset *rs);

/*
 * Append an empty layer named source to a growable array of layers (the
 * launcher's and the host's alike).  Returns it, or NULL when out of
 * memory; the pointer is valid until the next append.
 */
struct ol_ruleset *ol_layers_add(struct ol_ruleset **layers, size_t *n, const char *source);
void ol_layers_free(struct ol_ruleset *layers, size_t n);

/* True when the layer restricts nothing (the kernel would refuse it). */
bool ol_ruleset_is_empty(const struct ol_ruleset *rs);

/* The quiet rights of the layer (quiet_follows resolved). */
uint64_t ol_ruleset_quiet_fs(const struct ol_ruleset *rs);
uint64_t ol_ruleset_quiet_net(const struct ol_ruleset *rs);

/* How many path and port rules are quiet. */
size_t ol_ruleset_quiet_paths(const struct ol_ruleset *rs);
size_t ol_ruleset_quiet_ports(const struct ol_ruleset *rs);

/* Whether the layer asks for anything of quiet logging (ABI 10). */
bool ol_ruleset_has_quiet(const struct ol_ruleset *rs);

#endif
