/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The effective access of stacked layers: per path and per port, the
 * rights every layer allows.  Each layer's rules are sorted once, so a
 * path costs one binary search per ancestor and layer.
 */
#include "effective.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

struct key {
	const char *s; /* into a layer's rule, not owned */
	size_t len;    /* without trailing slashes */
	uint64_t access;
};

struct table {
	struct key *k;
	size_t n;
};

static int compare(const char *a, size_t al, const char *b, size_t bl)
{
	int c = memcmp(a, b, al < bl ? al : bl);

	return c ? c : (al > bl) - (al < bl);
}

static int compare_keys(const void *a, const void *b)
{
	const struct key *x = a, *y = b;

	return compare(x->s, x->len, y->s, y->len);
}

static int compare_ports(const void *a, const void *b)
{
	uint64_t x = ((const struct ol_port_rule *) a)->port;
	uint64_t y = ((const struct ol_port_rule *) b)->port;

	return (x > y) - (x < y);
}

/* "/usr/" and "/usr" name the same directory; "/" stays "/". */
static size_t trimmed_len(const char *path)
{
	size_t n = strlen(path);

	while (n > 1 && path[n - 1] == '/')
		n--;
	return n;
}

/* A layer's path rules, sorted, the rules on one path merged. */
static int table_build(const struct ol_ruleset *rs, struct table *t)
{
	size_t o = 0;

	t->k = calloc(rs->n_paths ? rs->n_paths : 1, sizeof(*t->k));
	if (!t->k)
		return -ENOMEM;
	for (size_t i = 0; i < rs->n_paths; i++)
		t->k[i] = (struct key){ rs->paths[i].path, trimmed_len(rs->paths[i].path),
					rs->paths[i].access };
	if (rs->n_paths > 1)
		qsort(t->k, rs->n_paths, sizeof(*t->k), compare_keys);
	for (size_t i = 0; i < rs->n_paths; i++) {
		if (o > 0 && compare_keys(&t->k[o - 1], &t->k[i]) == 0)
			t->k[o - 1].access |= t->k[i].access;
		else
			t->k[o++] = t->k[i];
	}
	t->n = o;
	return 0;
}

static uint64_t table_find(const struct table *t, const char *s, size_t len)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = compare(s, len, t->k[mid].s, t->k[mid].len);
		if (c == 0)
			return t->k[mid].access;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* What one layer allows on s: what it does not handle, and what a rule
 * on s or on an ancestor of s grants. */
static uint64_t layer_allows_path(uint64_t handled, const struct table *t, const char *s,
				  size_t len, uint64_t all)
{
	uint64_t allowed = all & ~handled;

	for (size_t l = len;;) {
		allowed |= table_find(t, s, l);
		if (l <= 1)
			break;
		while (l > 0 && s[l - 1] != '/')
			l--;
		if (l == 0) /* a relative path has no ancestor to ask */
			break;
		l = l > 1 ? l - 1 : 1;
	}
	return allowed & all;
}

static uint64_t layer_allows_port(const struct ol_ruleset *rs, uint64_t port, uint64_t all)
{
	uint64_t allowed = all & ~rs->handled_net;
	size_t lo = 0, hi = rs->n_ports;

	/* The ports are sorted by ol_effective_compute()'s copy. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (rs->ports[mid].port == port) {
			/* Equal neighbours are not merged: look both ways. */
			for (size_t i = mid; i < rs->n_ports && rs->ports[i].port == port; i++)
				allowed |= rs->ports[i].access;
			for (size_t i = mid; i > 0 && rs->ports[i - 1].port == port; i--)
				allowed |= rs->ports[i - 1].access;
			break;
		}
		if (rs->ports[mid].port > port)
			hi = mid;
		else
			lo = mid + 1;
	}
	return allowed & all;
}

static int new_rule(struct ol_effective_rule *r, size_t n_layers)
{
	memset(r, 0, sizeof(*r));
	r->layer = calloc(n_layers ? n_layers : 1, sizeof(*r->layer));
	return r->layer ? 0 : -ENOMEM;
}

static int compute_paths(const struct ol_ruleset *layers, size_t n, struct ol_effective *out)
{
	const uint64_t all = ol_rights_mask(OL_RIGHT_FS, out->abi);
	cleanup_free struct table *tables = calloc(n ? n : 1, sizeof(*tables));
	cleanup_free struct key *names = NULL;
	size_t total = 0, distinct = 0;
	uint64_t implicit = 0; /* refer, see effective.h */
	int r = tables ? 0 : -ENOMEM;

	for (size_t l = 0; r == 0 && l < n; l++) {
		r = table_build(&layers[l], &tables[l]);
		total += tables[l].n;
		implicit |= layers[l].handled_fs ? OL_LL_ACCESS_FS_REFER : 0;
	}
	if (r == 0 && !(names = calloc(total ? total : 1, sizeof(*names))))
		r = -ENOMEM;
	for (size_t l = 0; r == 0 && l < n; l++) {
		memcpy(names + distinct, tables[l].k, tables[l].n * sizeof(*names));
		distinct += tables[l].n;
	}
	if (r == 0 && total > 1)
		qsort(names, total, sizeof(*names), compare_keys);
	if (r == 0 && !(out->paths = calloc(total ? total : 1, sizeof(*out->paths))))
		r = -ENOMEM;
	for (size_t i = 0; r == 0 && i < total; i++) {
		struct ol_effective_rule *e = &out->paths[out->n_paths];
		if (i > 0 && compare_keys(&names[i - 1], &names[i]) == 0)
			continue;
		r = new_rule(e, n);
		if (r == 0 && !(e->path = strndup(names[i].s, names[i].len)))
			r = -ENOMEM;
		if (r < 0) {
			free(e->layer);
			break;
		}
		out->n_paths++;
		e->allowed = all;
		for (size_t l = 0; l < n; l++) {
			uint64_t handled = layers[l].handled_fs | implicit;
			e->layer[l] = layer_allows_path(handled, &tables[l], names[i].s,
							names[i].len, all);
			e->allowed &= e->layer[l];
			e->granted |= e->layer[l] & handled;
		}
	}
	for (size_t l = 0; tables && l < n; l++)
		free(tables[l].k);
	return r;
}

static bool same_verdict(const struct ol_effective_rule *a, const struct ol_effective_rule *b,
			 size_t n)
{
	return a->port_hi + 1 == b->port && a->granted == b->granted &&
	       memcmp(a->layer, b->layer, n * sizeof(*a->layer)) == 0;
}

/* One port's verdict, appended or merged into the range before it. */
static int add_port(const struct ol_ruleset *sorted, size_t n, uint64_t port,
		    struct ol_effective *out)
{
	const uint64_t all = ol_rights_mask(OL_RIGHT_NET, out->abi);
	struct ol_effective_rule *e = &out->ports[out->n_ports];
	struct ol_effective_rule *prev = out->n_ports ? e - 1 : NULL;

	if (new_rule(e, n) < 0)
		return -ENOMEM;
	e->port = e->port_hi = port;
	e->allowed = all;
	for (size_t l = 0; l < n; l++) {
		e->layer[l] = layer_allows_port(&sorted[l], port, all);
		e->allowed &= e->layer[l];
		e->granted |= e->layer[l] & sorted[l].handled_net;
	}
	if (prev && same_verdict(prev, e, n)) {
		prev->port_hi = port;
		free(e->layer);
		return 0;
	}
	out->n_ports++;
	return 0;
}

static int compute_ports(const struct ol_ruleset *layers, size_t n, struct ol_effective *out)
{
	cleanup_free struct ol_ruleset *sorted = calloc(n ? n : 1, sizeof(*sorted));
	cleanup_free struct ol_port_rule *ports = NULL;
	cleanup_free struct ol_port_rule *names = NULL;
	size_t total = 0;
	int r = sorted ? 0 : -ENOMEM;

	for (size_t l = 0; l < n; l++)
		total += layers[l].n_ports;
	if (r == 0 && !(ports = calloc(total ? total : 1, sizeof(*ports))))
		r = -ENOMEM;
	if (r == 0 && !(names = calloc(total ? total : 1, sizeof(*names))))
		r = -ENOMEM;
	if (r == 0 && !(out->ports = calloc(total ? total : 1, sizeof(*out->ports))))
		r = -ENOMEM;
	/* Shallow copies of the layers whose port lists are sorted copies. */
	for (size_t l = 0, at = 0; r == 0 && l < n; l++) {
		sorted[l] = layers[l];
		sorted[l].ports = ports + at;
		if (layers[l].n_ports)
			memcpy(ports + at, layers[l].ports, layers[l].n_ports * sizeof(*ports));
		if (layers[l].n_ports > 1)
			qsort(ports + at, layers[l].n_ports, sizeof(*ports), compare_ports);
		at += layers[l].n_ports;
	}
	if (r == 0 && total) {
		memcpy(names, ports, total * sizeof(*names));
		qsort(names, total, sizeof(*names), compare_ports);
	}
	for (size_t i = 0; r == 0 && i < total; i++)
		if (i == 0 || names[i - 1].port != names[i].port)
			r = add_port(sorted, n, names[i].port, out);
	return r;
}

void ol_effective_free(struct ol_effective *e)
{
	for (size_t i = 0; i < e->n_paths; i++) {
		free(e->paths[i].path);
		free(e->paths[i].layer);
	}
	for (size_t i = 0; i < e->n_ports; i++)
		free(e->ports[i].layer);
	free(e->paths);
	free(e->ports);
	memset(e, 0, sizeof(*e));
}

/*
 * /bin as /usr/bin (and sbin, lib, lib32, lib64, libx32): on the images
 * people run they are links into /usr, which the launcher reads as
 * /usr/NAME (sandbox/resolve.h), so that a rule on /bin and one on
 * /usr/bin are the same directory to the kernel.  Where they are real
 * directories this says "allowed" of what the kernel denies: the safe
 * way to be wrong for an operator who relies on a denial.
 */
static char *merged_usr(const char *path)
{
	static const char *const aliases[] = { "bin", "sbin", "lib", "lib32", "lib64", "libx32" };
	size_t n = path[0] == '/' ? strcspn(path + 1, "/") : 0;
	char *out = NULL;

	for (size_t i = 0; n && i < sizeof(aliases) / sizeof(aliases[0]); i++)
		if (strlen(aliases[i]) == n && strncmp(path + 1, aliases[i], n) == 0)
			return asprintf(&out, "/usr%s", path) < 0 ? NULL : out;
	return strdup(path);
}

/* The layers with their rule paths read as merged /usr (shallow copies:
 * only the paths are their own). */
static int merged_layers(const struct ol_ruleset *in, size_t n, struct ol_ruleset *out)
{
	for (size_t l = 0; l < n; l++) {
		out[l] = in[l];
		out[l].n_paths = 0; /* counts what is filled, for free_merged() */
		out[l].paths = calloc(in[l].n_paths + 1, sizeof(*out[l].paths));
		if (!out[l].paths)
			return -ENOMEM;
		for (size_t i = 0; i < in[l].n_paths; i++) {
			char *p = merged_usr(in[l].paths[i].path);
			if (!p)
				return -ENOMEM;
			out[l].paths[i] = (struct ol_path_rule){ p, in[l].paths[i].access,
								 in[l].paths[i].quiet };
			out[l].n_paths++;
		}
	}
	return 0;
}

static void free_merged(struct ol_ruleset *layers, size_t n)
{
	for (size_t l = 0; layers && l < n; l++) {
		for (size_t i = 0; layers[l].paths && i < layers[l].n_paths; i++)
			free(layers[l].paths[i].path);
		free(layers[l].paths);
	}
	free(layers);
}

int ol_effective_compute(const struct ol_ruleset *given, size_t n, int abi,
			 struct ol_effective *out, struct ol_error *err)
{
	struct ol_ruleset *layers = calloc(n + 1, sizeof(*layers));
	uint64_t fs = ol_rights_mask(OL_RIGHT_FS, abi);
	uint64_t net = ol_rights_mask(OL_RIGHT_NET, abi);
	int r;

	memset(out, 0, sizeof(*out));
	out->abi = abi;
	if (!layers || merged_layers(given, n, layers) < 0) {
		free_merged(layers, n);
		return ol_error_oom(err);
	}
	out->n_layers = n;
	for (size_t l = 0; l < n; l++) {
		/* refer: see effective.h. */
		if (layers[l].handled_fs)
			fs &= ~(uint64_t) OL_LL_ACCESS_FS_REFER;
		fs &= ~layers[l].handled_fs;
		net &= ~layers[l].handled_net;
		out->scoped |= layers[l].scoped;
	}
	out->fs_elsewhere = fs;
	out->net_elsewhere = net;
	r = compute_paths(layers, n, out);
	if (r == 0)
		r = compute_ports(layers, n, out);
	free_merged(layers, n);
	if (r < 0) {
		ol_effective_free(out);
		return ol_error_oom(err);
	}
	return 0;
}
