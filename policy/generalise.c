/* SPDX-License-Identifier: Apache-2.0 */
/* Learning mode: a recording generalised into a least-privilege layer. */
#include "learn.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/array.h"
#include "common/cleanup.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

static bool beneath(const char *path, const char *dir)
{
	size_t n = strlen(dir);

	if (strcmp(dir, "/") == 0)
		return true;
	return strncmp(path, dir, n) == 0 && (path[n] == '\0' || path[n] == '/');
}

/* Cut path (in place) to its directory; "/x" becomes "/". */
static void cut_to_parent(char *path)
{
	char *slash = strrchr(path, '/');

	if (slash == path)
		path[1] = '\0';
	else if (slash)
		*slash = '\0';
}

/* Cut path (in place) to at most depth components. */
static void cut_to_depth(char *path, unsigned depth)
{
	unsigned n = 0;

	for (char *p = path; *p; p++)
		if (*p == '/' && p != path && ++n == depth) {
			*p = '\0';
			return;
		}
}

static bool is_pid_dir(const char *path)
{
	const char *p = path + strlen("/proc/");

	if (strncmp(path, "/proc/", strlen("/proc/")) != 0 || *p < '0' || *p > '9')
		return false;
	while (*p >= '0' && *p <= '9')
		p++;
	return *p == '\0' || *p == '/';
}

/* Overwrite t with s, which is never longer than t's buffer here. */
static void replace_with(char *t, const char *s)
{
	memmove(t, s, strlen(s) + 1);
}

static int compare_strings(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* rec->created is sorted (ol_recording_tidy): a binary search. */
static bool was_created(const struct ol_recording *rec, const char *path)
{
	return rec->created.n &&
	       bsearch(&path, rec->created.v, rec->created.n, sizeof(char *), compare_strings);
}

/*
 * Call fn on each of path's ancestors, "/" first, then on path itself
 * (self), until it returns true; the prefix is in buf.  Paths are at most
 * PATH_MAX long (the recording's parser and the launcher say so).
 */
static bool each_ancestor(const char *path, bool self, bool (*fn)(const char *, void *), void *arg)
{
	char buf[4096];
	size_t n = strlen(path);

	if (n >= sizeof(buf) || path[0] != '/')
		return false;
	memcpy(buf, path, n + 1);
	if (strcmp(path, "/") != 0) {
		buf[1] = '\0';
		if (fn(buf, arg))
			return true;
		buf[1] = path[1];
	}
	for (size_t i = 1; i < n; i++)
		if (path[i] == '/') {
			buf[i] = '\0';
			if (fn(buf, arg))
				return true;
			buf[i] = '/'; /* cppcheck-suppress unreadVariable ; read by the next fn() */
		}
	return self && fn(path, arg);
}

struct created_at {
	const struct ol_recording *rec;
	char found[4096];
};

static bool created_here(const char *prefix, void *arg)
{
	struct created_at *c = arg;

	if (strcmp(prefix, "/") == 0 || !was_created(c->rec, prefix))
		return false;
	snprintf(c->found, sizeof(c->found), "%s", prefix);
	return true;
}

/* A device node: a file right in /dev or /dev/pts stays on the node. */
static bool is_device_path(const char *parent)
{
	return strcmp(parent, "/dev") == 0 || strcmp(parent, "/dev/pts") == 0;
}

/*
 * Where the rights of one recorded use go (a copy the caller frees);
 * *file says whether that is a file rule.
 */
static char *rule_target(const struct ol_recording *rec, const char *path, uint64_t access,
			 unsigned depth, bool *file)
{
	cleanup_free char *t = strdup(path);
	struct created_at created = { .rec = rec };

	*file = false;
	if (!t)
		return NULL;
	if (is_pid_dir(t)) {
		replace_with(t, "/proc");
		return steal_pointer(&t);
	}
	if (!(access & ~ol_rights_file_mask())) {
		cut_to_parent(t);
		/* A file right at the root would open the whole tree, one on a
		 * device all of them: those stay on the file, unless the
		 * workload created it (it does not exist when the sandbox starts). */
		if ((strcmp(t, "/") == 0 || is_device_path(t)) && !was_created(rec, path)) {
			*file = true;
			replace_with(t, path);
			return steal_pointer(&t);
		}
	}
	/* Created directories did not exist when the sandbox starts: the rule
	 * goes to the parent of the first (the shallowest) that was created. */
	if (each_ancestor(t, true, created_here, &created)) {
		replace_with(t, created.found);
		cut_to_parent(t);
	}
	cut_to_depth(t, depth);
	return steal_pointer(&t);
}

static int compare_rules(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, ((const struct ol_path_rule *) b)->path);
}

/* The rule on exactly path, in a normalized (sorted) layer, or NULL. */
static const struct ol_path_rule *rule_on(const struct ol_ruleset *rs, const char *path)
{
	return rs->n_paths
		       ? bsearch(&path, rs->paths, rs->n_paths, sizeof(*rs->paths), compare_rules)
		       : NULL;
}

struct grant {
	const struct ol_ruleset *rs;
	uint64_t access;
};

static bool add_grant(const char *prefix, void *arg)
{
	struct grant *g = arg;
	const struct ol_path_rule *r = rule_on(g->rs, prefix);

	g->access |= r ? r->access : 0;
	return false;
}

/* The rights rules grant at path (on it or an ancestor). */
static uint64_t granted(const struct ol_ruleset *rs, const char *path)
{
	struct grant g = { rs, 0 };

	each_ancestor(path, true, add_grant, &g);
	return g.access;
}

/* Drop rules whose rights the rules on ancestor directories already grant. */
static int drop_covered(struct ol_ruleset *rs)
{
	cleanup_free uint64_t *access = calloc(rs->n_paths + 1, sizeof(*access));

	if (!access)
		return -ENOMEM;
	for (size_t i = 0; i < rs->n_paths; i++) {
		struct grant g = { rs, 0 };
		each_ancestor(rs->paths[i].path, false, add_grant, &g);
		/* Landlock adds up what the rules on the way grant. */
		access[i] = (rs->paths[i].access & ~g.access) ? rs->paths[i].access : 0;
	}
	for (size_t i = 0; i < rs->n_paths; i++)
		rs->paths[i].access = access[i];
	ol_ruleset_normalize(rs);
	return 0;
}

/*
 * Landlock lets a file move (or be linked) to another directory only if
 * the destination grants it no right the source does not: the source
 * gets the file rights the destination grants, where its own rules went.
 * Rights only grow, so this ends.
 */
static int keep_moves_working(const struct ol_recording *rec, unsigned depth,
			      struct ol_ruleset *out)
{
	bool changed = true;

	while (changed) {
		changed = false;
		for (size_t i = 0; i < rec->moved_from.n; i++) {
			const char *from = rec->moved_from.v[i], *to = rec->moved_to.v[i];
			uint64_t missing =
				granted(out, to) & ol_rights_file_mask() & ~granted(out, from);
			cleanup_free char *t = NULL;
			bool file;
			if (!missing)
				continue;
			/* Where the source's refer right went: a directory rule. */
			t = rule_target(rec, from, OL_LL_ACCESS_FS_REFER, depth, &file);
			if (!t || ol_ruleset_add_path(out, t, missing) < 0)
				return -ENOMEM;
			ol_ruleset_normalize(out);
			changed = true;
		}
	}
	return 0;
}

bool ol_learn_system_tree(const char *path)
{
	static const char *const trees[] = { "usr", "bin",   "sbin",  "etc",   "boot",
					     "lib", "lib32", "lib64", "libx32" };
	size_t n = strcspn(path + 1, "/");

	if (path[0] != '/' || n == 0)
		return false;
	for (size_t i = 0; i < OL_ARRAY_SIZE(trees); i++)
		if (strlen(trees[i]) == n && strncmp(path + 1, trees[i], n) == 0)
			return true;
	return false;
}

void ol_learn_review_free(struct ol_learn_review *review)
{
	for (size_t i = 0; i < review->n_left_out; i++) {
		free(review->left_out[i].path);
		free(review->left_out[i].example);
	}
	for (size_t i = 0; i < review->n_unrestricted; i++)
		free(review->unrestricted[i].example);
	free(review->left_out);
	free(review->unrestricted);
	memset(review, 0, sizeof(*review));
}

/* The deepest recorded use beneath dir that needed some of access: a file
 * the workload wrote says more than the directory it wrote in. */
static const char *example_use(const struct ol_recording *rec, const char *dir, uint64_t access)
{
	const char *best = dir;

	for (size_t i = 0; i < rec->used.n_paths; i++) {
		const char *p = rec->used.paths[i].path;
		if ((rec->used.paths[i].access & access) && beneath(p, dir) &&
		    strlen(p) > strlen(best))
			best = p;
	}
	return best;
}

static int note_left_out(struct ol_learn_review *review, const struct ol_recording *rec,
			 const char *path, uint64_t access)
{
	struct ol_learn_omission *o;

	if (!review)
		return 0;
	if (OL_ARRAY_RESERVE(review->left_out, review->cap_left_out, review->n_left_out + 1) < 0)
		return -ENOMEM;
	o = &review->left_out[review->n_left_out];
	o->access = access;
	o->path = strdup(path);
	o->example = strdup(example_use(rec, path, access));
	if (!o->path || !o->example) {
		free(o->path);
		free(o->example);
		return -ENOMEM;
	}
	review->n_left_out++;
	return 0;
}

/* Writes beneath the system trees, or on "/": left out, and said so.  A
 * connection to a socket there (/etc/app/ctl.sock) writes nothing. */
static int leave_out_system_writes(const struct ol_recording *rec, struct ol_ruleset *out,
				   struct ol_learn_review *review)
{
	const uint64_t reading = OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_READ_FILE |
				 OL_LL_ACCESS_FS_READ_DIR | OL_LL_ACCESS_FS_RESOLVE_UNIX;

	for (size_t i = 0; i < out->n_paths; i++) {
		struct ol_path_rule *rule = &out->paths[i];
		uint64_t writing = rule->access & ~reading;
		/* "/" holds them all: a write there is one beneath them. */
		if (!writing || (!ol_learn_system_tree(rule->path) && strcmp(rule->path, "/") != 0))
			continue;
		if (note_left_out(review, rec, rule->path, writing) < 0)
			return -ENOMEM;
		rule->access &= ~writing;
	}
	ol_ruleset_normalize(out);
	return 0;
}

/* Each right the run used that the policy does not handle: how many uses,
 * and the first path (paths are sorted: ol_recording_tidy). */
static int note_unrestricted(struct ol_learn_review *review, const struct ol_recording *rec,
			     uint64_t fs, uint64_t net)
{
	for (size_t i = 0; review && i < ol_rights_count; i++) {
		const struct ol_right *r = &ol_rights[i];
		struct ol_learn_unrestricted *u;
		const char *example = NULL;
		size_t uses = 0;
		if (r->kind == OL_RIGHT_FS && !(fs & r->bit)) {
			for (size_t k = 0; k < rec->used.n_paths; k++)
				if ((rec->used.paths[k].access & r->bit) && !uses++)
					example = rec->used.paths[k].path;
		} else if (r->kind == OL_RIGHT_NET && !(net & r->bit)) {
			for (size_t k = 0; k < rec->used.n_ports; k++)
				uses += (rec->used.ports[k].access & r->bit) != 0;
		}
		if (!uses)
			continue;
		if (OL_ARRAY_RESERVE(review->unrestricted, review->cap_unrestricted,
				     review->n_unrestricted + 1) < 0)
			return -ENOMEM;
		u = &review->unrestricted[review->n_unrestricted];
		*u = (struct ol_learn_unrestricted){ r->kind, r->bit, NULL, uses };
		if (example && !(u->example = strdup(example)))
			return -ENOMEM;
		review->n_unrestricted++;
	}
	return 0;
}

/*
 * One recorded use's rules.  resolve_unix stays on the socket file: its
 * directory would let the workload reach every service whose socket is
 * there (/run/app.sock next to /run/docker.sock), and Landlock grants it
 * on the file.  A socket the run created is not there when the sandbox
 * starts: that one goes where rule_target puts rules.
 */
static int add_use(const struct ol_recording *rec, const char *path, uint64_t access,
		   unsigned depth, struct ol_ruleset *out)
{
	const uint64_t sock = access & OL_LL_ACCESS_FS_RESOLVE_UNIX;
	cleanup_free char *t = NULL;
	bool file;

	if (sock && !was_created(rec, path) && !is_pid_dir(path)) {
		if (ol_ruleset_add_path(out, path, sock) < 0)
			return -ENOMEM;
		access &= ~sock;
	}
	if (!access)
		return 0;
	t = rule_target(rec, path, access, depth, &file);
	return t && ol_ruleset_add_path(out, t, access) == 0 ? 0 : -ENOMEM;
}

int ol_learn_generate(struct ol_recording *rec, const struct ol_learn_options *o,
		      struct ol_ruleset *out, struct ol_learn_review *review, struct ol_error *err)
{
	unsigned depth = o->depth;
	int abi;
	uint64_t fs, net;

	if (depth < 1 || depth > OL_LEARN_DEPTH_MAX)
		return ol_error_set(err, EINVAL, "depth %u: expected 1 to %d", depth,
				    OL_LEARN_DEPTH_MAX);
	if (o->abi < 1)
		return ol_error_set(err, EINVAL, "Landlock ABI %d: expected 1 or more", o->abi);
	abi = o->abi > OL_ABI_MAX ? OL_ABI_MAX : o->abi;
	if (ol_recording_tidy(rec) < 0)
		return ol_error_oom(err);
	/*
	 * Every right of the ABI that the recordings observed: what was not
	 * used is denied.  A launcher of recording version 1 did not observe
	 * pathname-socket connects or UDP: handling those rights without
	 * rules would deny what the workload did.
	 */
	fs = ol_rights_mask(OL_RIGHT_FS, abi);
	net = ol_rights_mask(OL_RIGHT_NET, abi);
	if (rec->version < 2) {
		if (review) {
			review->unobserved_fs |= fs & OL_RECORDING_V2_FS;
			review->unobserved_net |= net & OL_RECORDING_V2_NET;
		}
		fs &= ~OL_RECORDING_V2_FS;
		net &= ~OL_RECORDING_V2_NET;
	}
	out->handled_fs |= fs;
	out->handled_net |= net;
	out->scoped |= ol_rights_mask(OL_RIGHT_SCOPE, abi) & ~rec->outside;
	if (note_unrestricted(review, rec, fs, net) < 0)
		return ol_error_oom(err);
	for (size_t i = 0; i < rec->used.n_paths; i++) {
		const struct ol_path_rule *u = &rec->used.paths[i];
		if ((u->access & fs) && add_use(rec, u->path, u->access & fs, depth, out) < 0)
			return ol_error_oom(err);
	}
	for (size_t i = 0; i < rec->used.n_ports; i++) {
		const struct ol_port_rule *p = &rec->used.ports[i];
		if ((p->access & net) && ol_ruleset_add_port(out, p->port, p->access & net) < 0)
			return ol_error_oom(err);
	}
	ol_ruleset_normalize(out);
	/* ABI 1 (no refer) refuses every move between directories anyway. */
	if ((fs & OL_LL_ACCESS_FS_REFER) && keep_moves_working(rec, depth, out) < 0)
		return ol_error_oom(err);
	if (!o->system_writes && leave_out_system_writes(rec, out, review) < 0)
		return ol_error_oom(err);
	if (drop_covered(out) < 0)
		return ol_error_oom(err);
	return 0;
}
