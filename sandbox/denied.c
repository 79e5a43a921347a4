/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A layer's decision on a file, the way the kernel makes it: from the file
 * up through each parent directory, and from the root of a mount to the
 * directory the mount is on, a right the layer handles is granted when a
 * rule on one of them grants it.  Rules attach to inodes, so the walk
 * compares device and inode numbers, never path strings.
 */
#include "denied.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "resolve.h"

/* A path of 4096 bytes has at most 2048 components. */
#define MAX_DEPTH 2049

struct node {
	dev_t dev;
	ino_t ino;
};

static bool same(const struct node *n, const struct stat *st)
{
	return n->dev == st->st_dev && n->ino == st->st_ino;
}

/* The file, then each directory above it up to the root: how many. */
static size_t walk_up(const char *file, struct node *nodes, size_t max)
{
	const char *slash = strrchr(file, '/');
	char parent[4096];
	struct stat st;
	size_t n = 0;
	int dir;

	if (file[0] != '/' || stat(file, &st) < 0)
		return 0;
	nodes[n++] = (struct node){ st.st_dev, st.st_ino };
	snprintf(parent, sizeof(parent), "%.*s", slash == file ? 1 : (int) (slash - file), file);
	/* ".." from a mount's root leads to the parent of its mount point,
	 * as the kernel's walk goes: the mount point under it is hidden. */
	for (dir = open(parent, O_PATH | O_DIRECTORY | O_CLOEXEC); dir >= 0 && n < max;) {
		int up;
		if (fstat(dir, &st) < 0 || same(&nodes[n - 1], &st))
			break;
		nodes[n++] = (struct node){ st.st_dev, st.st_ino };
		up = openat(dir, "..", O_PATH | O_DIRECTORY | O_CLOEXEC);
		close(dir);
		dir = up;
	}
	if (dir >= 0)
		close(dir);
	return n;
}

/* What the rule grants if its path is one of the nodes, else 0. */
static uint64_t rule_grants(const struct ol_ruleset *rs, const struct ol_path_rule *rule,
			    const struct node *nodes, size_t n)
{
	struct ol_resolve_link link;
	cleanup_close int fd = ol_resolve_open(rule->path, rs->follow_symlinks, &link);
	struct stat st;

	if (fd < 0 || fstat(fd, &st) < 0)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (same(&nodes[i], &st))
			return rule->access;
	return 0;
}

int ol_ruleset_denied(const struct ol_ruleset *rs, const char *file, uint64_t access,
		      uint64_t *denied)
{
	const uint64_t want = access & rs->handled_fs;
	cleanup_free struct node *nodes = NULL;
	uint64_t granted = 0;
	size_t n;

	*denied = 0;
	if (!want)
		return 0;
	nodes = calloc(MAX_DEPTH, sizeof(*nodes));
	if (!nodes)
		return -ENOMEM;
	n = walk_up(file, nodes, MAX_DEPTH);
	if (n == 0)
		return -ENOENT;
	for (size_t i = 0; i < rs->n_paths && (want & ~granted); i++)
		if (rs->paths[i].access & want & ~granted)
			granted |= rule_grants(rs, &rs->paths[i], nodes, n);
	*denied = want & ~granted;
	return 0;
}
