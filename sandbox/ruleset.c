/* SPDX-License-Identifier: Apache-2.0 */
/* The in-memory Landlock layer: rule lists, normalisation, merging. */
#include "ruleset.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"

int ol_ruleset_init(struct ol_ruleset *rs, const char *source)
{
	memset(rs, 0, sizeof(*rs));
	rs->source = strdup(source);
	return rs->source ? 0 : -ENOMEM;
}

void ol_ruleset_free(struct ol_ruleset *rs)
{
	for (size_t i = 0; i < rs->n_paths; i++)
		free(rs->paths[i].path);
	free(rs->paths);
	free(rs->ports);
	free(rs->source);
	memset(rs, 0, sizeof(*rs));
}

/*
 * Collapse repeated slashes, which never change what a path names.  "."
 * components and a trailing "/" are kept: on a file, "f/" and "f/." fail
 * with ENOTDIR, so the rule is skipped rather than applied to the file.
 */
static char *normalize_path(const char *path)
{
	char *out = malloc(strlen(path) + 1);
	size_t o = 0;

	if (!out)
		return NULL;
	for (const char *p = path; *p; p++)
		if (!(*p == '/' && o > 0 && out[o - 1] == '/'))
			out[o++] = *p;
	out[o] = '\0';
	return out;
}

int ol_ruleset_add_path(struct ol_ruleset *rs, const char *path, uint64_t access)
{
	return ol_ruleset_add_path_quiet(rs, path, access, false);
}

int ol_ruleset_add_path_quiet(struct ol_ruleset *rs, const char *path, uint64_t access, bool quiet)
{
	char *norm;

	if (OL_ARRAY_RESERVE(rs->paths, rs->cap_paths, rs->n_paths + 1) < 0)
		return -ENOMEM;
	norm = normalize_path(path);
	if (!norm)
		return -ENOMEM;
	rs->paths[rs->n_paths].path = norm;
	rs->paths[rs->n_paths].access = access;
	rs->paths[rs->n_paths].quiet = quiet;
	rs->n_paths++;
	return 0;
}

int ol_ruleset_add_port(struct ol_ruleset *rs, uint64_t port, uint64_t access)
{
	return ol_ruleset_add_port_quiet(rs, port, access, false);
}

int ol_ruleset_add_port_quiet(struct ol_ruleset *rs, uint64_t port, uint64_t access, bool quiet)
{
	if (OL_ARRAY_RESERVE(rs->ports, rs->cap_ports, rs->n_ports + 1) < 0)
		return -ENOMEM;
	rs->ports[rs->n_ports].port = port;
	rs->ports[rs->n_ports].access = access;
	rs->ports[rs->n_ports].quiet = quiet;
	rs->n_ports++;
	return 0;
}

int ol_ruleset_copy(struct ol_ruleset *dst, const struct ol_ruleset *src)
{
	*dst = *src;
	dst->source = NULL;
	dst->paths = NULL;
	dst->ports = NULL;
	dst->n_paths = dst->cap_paths = dst->n_ports = dst->cap_ports = 0;
	if (!(dst->source = strdup(src->source)))
		goto oom;
	for (size_t i = 0; i < src->n_paths; i++)
		if (ol_ruleset_add_path_quiet(dst, src->paths[i].path, src->paths[i].access,
					      src->paths[i].quiet) < 0)
			goto oom;
	for (size_t i = 0; i < src->n_ports; i++)
		if (ol_ruleset_add_port_quiet(dst, src->ports[i].port, src->ports[i].access,
					      src->ports[i].quiet) < 0)
			goto oom;
	return 0;
oom:
	ol_ruleset_free(dst);
	return -ENOMEM;
}

static int compare_paths(const void *a, const void *b)
{
	return strcmp(((const struct ol_path_rule *) a)->path,
		      ((const struct ol_path_rule *) b)->path);
}

static int compare_ports(const void *a, const void *b)
{
	uint64_t x = ((const struct ol_port_rule *) a)->port;
	uint64_t y = ((const struct ol_port_rule *) b)->port;

	return (x > y) - (x < y);
}

static void normalize_ports(struct ol_ruleset *rs)
{
	size_t o = 0;

	if (rs->n_ports > 1)
		qsort(rs->ports, rs->n_ports, sizeof(*rs->ports), compare_ports);
	for (size_t i = 0; i < rs->n_ports; i++) {
		struct ol_port_rule *r = &rs->ports[i];
		if (r->access == 0 && !r->quiet)
			continue;
		if (o > 0 && rs->ports[o - 1].port == r->port) {
			rs->ports[o - 1].access |= r->access;
			rs->ports[o - 1].quiet |= r->quiet;
		} else
			rs->ports[o++] = *r;
	}
	rs->n_ports = o;
}

void ol_ruleset_normalize(struct ol_ruleset *rs)
{
	size_t o = 0;

	/* qsort() must not see the NULL array of an empty list. */
	if (rs->n_paths > 1)
		qsort(rs->paths, rs->n_paths, sizeof(*rs->paths), compare_paths);
	for (size_t i = 0; i < rs->n_paths; i++) {
		struct ol_path_rule *r = &rs->paths[i];
		if (r->access == 0 && !r->quiet) {
			free(r->path);
		} else if (o > 0 && strcmp(rs->paths[o - 1].path, r->path) == 0) {
			rs->paths[o - 1].access |= r->access;
			rs->paths[o - 1].quiet |= r->quiet;
			free(r->path);
		} else {
			rs->paths[o++] = *r;
		}
	}
	rs->n_paths = o;
	normalize_ports(rs);
}

int ol_ruleset_add_port_range(struct ol_ruleset *rs, uint64_t lo, uint64_t hi, uint64_t access,
			      bool quiet)
{
	if (rs->n_ports + (hi - lo) >= 2 * 65536UL)
		normalize_ports(rs);
	for (uint64_t p = lo; p <= hi; p++)
		if (ol_ruleset_add_port_quiet(rs, p, access, quiet) < 0)
			return -ENOMEM;
	return 0;
}

struct ol_ruleset *ol_layers_add(struct ol_ruleset **layers, size_t *n, const char *source)
{
	struct ol_ruleset *grown = reallocarray(*layers, *n + 1, sizeof(*grown));

	if (!grown)
		return NULL;
	*layers = grown;
	if (ol_ruleset_init(&grown[*n], source) < 0)
		return NULL;
	return &grown[(*n)++];
}

void ol_layers_free(struct ol_ruleset *layers, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ol_ruleset_free(&layers[i]);
	free(layers);
}

bool ol_ruleset_is_empty(const struct ol_ruleset *rs)
{
	return !rs->handled_fs && !rs->handled_net && !rs->scoped;
}

size_t ol_ruleset_quiet_paths(const struct ol_ruleset *rs)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n_paths; i++)
		n += rs->paths[i].quiet;
	return n;
}

size_t ol_ruleset_quiet_ports(const struct ol_ruleset *rs)
{
	size_t n = 0;

	for (size_t i = 0; i < rs->n_ports; i++)
		n += rs->ports[i].quiet;
	return n;
}

uint64_t ol_ruleset_quiet_fs(const struct ol_ruleset *rs)
{
	if (rs->quiet_follows && ol_ruleset_quiet_paths(rs))
		return rs->quiet_fs | rs->handled_fs;
	return rs->quiet_fs;
}

uint64_t ol_ruleset_quiet_net(const struct ol_ruleset *rs)
{
	if (rs->quiet_follows && ol_ruleset_quiet_ports(rs))
		return rs->quiet_net | rs->handled_net;
	return rs->quiet_net;
}

bool ol_ruleset_has_quiet(const struct ol_ruleset *rs)
{
	return rs->quiet_fs || rs->quiet_net || rs->quiet_scoped || ol_ruleset_quiet_paths(rs) ||
	       ol_ruleset_quiet_ports(rs);
}
