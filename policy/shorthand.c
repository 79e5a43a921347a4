/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The shorthand of annotations and launcher options, compiled to the same
 * layer model as landlockconfig.
 *
 * Lists are parsed strictly: an empty item is an error (",," or a trailing
 * ":" is a typo, never a request for "everything"), numbers are decimal
 * digits only, and ranges must be ordered.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/list.h"
#include "common/text.h"
#include "policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

#define FS_READ (OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR)

uint64_t ol_fs_preset_access(enum ol_fs_preset preset)
{
	uint64_t all = ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX);

	switch (preset) {
	case OL_FS_RO:
		return FS_READ;
	case OL_FS_RX:
		return FS_READ | OL_LL_ACCESS_FS_EXECUTE;
	case OL_FS_RW:
		/* Includes truncate: write without truncate surprises everyone. */
		return all & ~OL_LL_ACCESS_FS_EXECUTE;
	default:
		return all;
	}
}

const char *ol_fs_preset_name(enum ol_fs_preset preset)
{
	static const char *const names[] = { "ro", "rx", "rw", "rwx" };

	return names[preset];
}

/* What every item callback needs: the layer, the right, the error. */
struct list_ctx {
	struct ol_ruleset *rs;
	uint64_t access;
	struct ol_error *err;
	bool quiet;
};

int ol_policy_check_path(const char *path, size_t len, struct ol_error *err)
{
	for (size_t i = 0; i + 1 < len; i++)
		if (path[i] == '.' && path[i + 1] == '.' && (i == 0 || path[i - 1] == '/') &&
		    (i + 2 == len || path[i + 2] == '/')) {
			ol_error_set(err, EINVAL, "'%.*s': a rule path cannot hold '..'", (int) len,
				     path);
			return ol_error_hint(err, "name the directory itself, such as /srv for "
						  "/srv/app/..");
		}
	return 0;
}

static int add_fs_item(const char *item, size_t len, void *data)
{
	struct list_ctx *d = data;
	cleanup_free char *path = NULL;

	if (len > OL_POLICY_MAX_PATH_LEN)
		return ol_error_set(d->err, ENAMETOOLONG, "a path is longer than %d bytes",
				    OL_POLICY_MAX_PATH_LEN);
	if (ol_policy_check_path(item, len, d->err) < 0)
		return -d->err->code;
	path = strndup(item, len);
	if (!path || ol_ruleset_add_path_quiet(d->rs, path, d->access, d->quiet) < 0)
		return ol_error_oom(d->err);
	return 0;
}

int ol_shorthand_fs(struct ol_ruleset *rs, enum ol_fs_preset preset, const char *list,
		    struct ol_error *err)
{
	struct list_ctx d = { rs, ol_fs_preset_access(preset), err, false };
	int r;

	if (!*list) {
		ol_error_set(err, EINVAL, "empty path list");
		return ol_error_hint(err, "give at least one path; a program cannot even "
					  "start without execute on its own file");
	}
	r = ol_list_each(list, ':', false, "path", err, add_fs_item, &d);
	if (r < 0)
		return r;
	/*
	 * Every right the kernel has is handled; those newer than the
	 * shorthand's first meaning (resolve_unix) only where the kernel has
	 * them, unless something named them first (fs.unix).
	 */
	rs->implied_fs |= ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX) &
			  ~ol_rights_mask(OL_RIGHT_FS, OL_ABI_SHORTHAND) & ~rs->handled_fs;
	rs->handled_fs |= ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX);
	ol_ruleset_normalize(rs);
	return 0;
}

int ol_shorthand_unix(struct ol_ruleset *rs, const char *list, struct ol_error *err)
{
	struct list_ctx d = { rs, OL_LL_ACCESS_FS_RESOLVE_UNIX, err, false };
	int r = 0;

	/* Present but empty: handle the right, allow no socket. */
	if (*list)
		r = ol_list_each(list, ':', false, "path", err, add_fs_item, &d);
	if (r < 0)
		return r;
	rs->handled_fs |= OL_LL_ACCESS_FS_RESOLVE_UNIX;
	rs->implied_fs &= ~OL_LL_ACCESS_FS_RESOLVE_UNIX;
	ol_ruleset_normalize(rs);
	return 0;
}

static int parse_port(const char *s, size_t len, const char *item, size_t item_len, uint64_t *port,
		      struct ol_error *err)
{
	int r = ol_parse_uint(s, len, 65535, port);

	if (r == -ERANGE)
		return ol_error_set(err, EINVAL, "port '%.*s' is out of range (0-65535)",
				    (int) item_len, item);
	if (r < 0)
		return ol_error_set(err, EINVAL,
				    "'%.*s' is not a port number or a range like 8000-8099",
				    (int) item_len, item);
	return 0;
}

/*
 * A port list's ranges, merged before they become one rule per port: a
 * list of many overlapping ranges ("0-65535,0-65535,...", up to the 128
 * KiB of an annotation) must cost one expansion, not one per range.
 */
struct port_range {
	uint64_t lo, hi;
};

struct ports_ctx {
	struct port_range *ranges;
	size_t n, cap;
	struct ol_error *err;
};

static int add_port_item(const char *item, size_t len, void *data)
{
	struct ports_ctx *d = data;
	const char *s = item, *dash;
	uint64_t lo = 0, hi = 0;
	int r;

	dash = memchr(s, '-', len);
	if (!dash) {
		r = parse_port(s, len, s, len, &lo, d->err);
		hi = lo;
	} else {
		r = parse_port(s, (size_t) (dash - s), s, len, &lo, d->err);
		if (r == 0)
			r = parse_port(dash + 1, len - (size_t) (dash - s) - 1, s, len, &hi,
				       d->err);
		if (r == 0 && lo > hi)
			r = ol_error_set(d->err, EINVAL, "range '%.*s' ends before it starts",
					 (int) len, s);
	}
	if (r < 0)
		return r;
	if (OL_ARRAY_RESERVE(d->ranges, d->cap, d->n + 1) < 0)
		return ol_error_oom(d->err);
	d->ranges[d->n++] = (struct port_range){ lo, hi };
	return 0;
}

static int compare_ranges(const void *a, const void *b)
{
	uint64_t x = ((const struct port_range *) a)->lo;
	uint64_t y = ((const struct port_range *) b)->lo;

	return (x > y) - (x < y);
}

/* The rules of a port list: allowing net_access, quiet or not. */
static int add_ports(struct ol_ruleset *rs, uint64_t net_access, bool quiet, const char *list,
		     struct ol_error *err)
{
	struct ports_ctx d = { NULL, 0, 0, err };
	int r = 0;

	/* Present but empty: handle the right, allow no port. */
	if (*list)
		r = ol_list_each(list, ',', true, "port", err, add_port_item, &d);
	if (r == 0 && d.n > 1)
		qsort(d.ranges, d.n, sizeof(*d.ranges), compare_ranges);
	for (size_t i = 0; r == 0 && i < d.n; i++) {
		uint64_t lo = d.ranges[i].lo, hi = d.ranges[i].hi;
		/* Sorted by start: take in every range that overlaps or touches. */
		while (i + 1 < d.n && d.ranges[i + 1].lo <= hi + 1) {
			i++;
			if (d.ranges[i].hi > hi)
				hi = d.ranges[i].hi;
		}
		if (ol_ruleset_add_port_range(rs, lo, hi, net_access, quiet) < 0)
			r = ol_error_oom(err);
	}
	free(d.ranges);
	if (r == 0)
		ol_ruleset_normalize(rs);
	return r;
}

int ol_shorthand_ports(struct ol_ruleset *rs, uint64_t net_access, const char *list,
		       struct ol_error *err)
{
	int r = add_ports(rs, net_access, false, list, err);

	if (r == 0)
		rs->handled_net |= net_access;
	return r;
}

/*
 * quiet.fs and quiet.net: quiet rules that allow nothing, whose quiet
 * rights are what the layer handles in the end (ol_ruleset_quiet_fs()).
 * They handle nothing themselves: a list of what not to log is no reason
 * to restrict more.  Empty lists are errors, as they would mean nothing.
 */
int ol_shorthand_quiet_fs(struct ol_ruleset *rs, const char *list, struct ol_error *err)
{
	struct list_ctx d = { rs, 0, err, true };
	int r;

	if (!*list) {
		ol_error_set(err, EINVAL, "empty path list");
		return ol_error_hint(err, "give the paths beneath which denials are not logged");
	}
	r = ol_list_each(list, ':', false, "path", err, add_fs_item, &d);
	if (r < 0)
		return r;
	rs->quiet_follows = true;
	ol_ruleset_normalize(rs);
	return 0;
}

int ol_shorthand_quiet_ports(struct ol_ruleset *rs, const char *list, struct ol_error *err)
{
	int r;

	if (!*list) {
		ol_error_set(err, EINVAL, "empty port list");
		return ol_error_hint(err, "give the ports whose denials are not logged");
	}
	r = add_ports(rs, 0, true, list, err);
	if (r == 0)
		rs->quiet_follows = true;
	return r;
}

static int add_scope_item(const char *item, size_t len, void *data)
{
	struct list_ctx *d = data;
	struct ol_ruleset *rs = d->rs;
	struct ol_error *err = d->err;
	uint64_t *scopes = d->quiet ? &rs->quiet_scoped : &rs->scoped;
	char name[64];
	const struct ol_right *right;

	snprintf(name, sizeof(name), "%.*s", (int) len, item);
	if (strcmp(name, "all") == 0) {
		*scopes |= ol_rights_mask(OL_RIGHT_SCOPE, OL_ABI_MAX);
		return 0;
	}
	right = ol_right_lookup(OL_RIGHT_SCOPE, name);
	if (!right) {
		char more[64];
		ol_error_set(err, EINVAL, "unknown scope '%.*s'%s", (int) len, item,
			     ol_did_you_mean(ol_right_suggest(OL_RIGHT_SCOPE, name), "", '\'', more,
					     sizeof(more)));
		return ol_error_hint(err, "valid scopes: abstract_unix_socket, signal, all");
	}
	*scopes |= right->bit;
	return 0;
}

int ol_shorthand_scope(struct ol_ruleset *rs, bool quiet, const char *list, struct ol_error *err)
{
	struct list_ctx d = { rs, 0, err, quiet };

	if (!*list) {
		ol_error_set(err, EINVAL, "empty scope list");
		return ol_error_hint(err, "give abstract_unix_socket, signal or all");
	}
	return ol_list_each(list, ',', true, "scope", err, add_scope_item, &d);
}
