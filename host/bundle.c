/* SPDX-License-Identifier: Apache-2.0 */
/* Reading and rewriting BUNDLE/config.json. */
#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "oci/config.h"

int ol_bundle_open(const char *path, struct ol_bundle *b, struct ol_error *err)
{
	cleanup_close int fd = -1;
	cleanup_free char *text = NULL;
	size_t len;
	int r;

	memset(b, 0, sizeof(*b));
	b->dirfd = -1;
	b->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (b->dirfd < 0)
		return ol_error_errno(err, errno, "cannot open the bundle '%s'", path);
	b->path = strdup(path);
	if (!b->path)
		return ol_error_oom(err);
	/* O_NONBLOCK: a FIFO must not hang us before the type check. */
	fd = openat(b->dirfd, "config.json", O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot open '%s/config.json'", path);
	r = ol_read_fd(fd, "config.json", ol_json_config_limits.max_bytes, &text, &len, err);
	if (r == 0)
		r = ol_config_parse(text, len, &b->config, err);
	if (r < 0)
		return ol_error_prefix(err, "%s/config.json", path);
	return 0;
}

int ol_bundle_write(struct ol_bundle *b, bool durable, struct ol_error *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	int r = ol_json_emit(b->config, OL_JSON_COMPACT, &text, &len, err);

	if (r == 0)
		r = ol_replace_file_at(b->dirfd, "config.json", text, len, durable, err);
	if (r < 0)
		return ol_error_prefix(err, "%s", b->path);
	return 0;
}

void ol_bundle_close(struct ol_bundle *b)
{
	if (b->dirfd >= 0)
		close(b->dirfd);
	ol_json_free(b->config);
	free(b->path);
	memset(b, 0, sizeof(*b));
	b->dirfd = -1;
}

/* Whether dir is path or one of its ancestors (both resolved). */
static bool holds(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	return strcmp(dir, "/") == 0 ||
	       (strncmp(dir, path, n) == 0 && (path[n] == '\0' || path[n] == '/'));
}

/* path, relative to the bundle when it is, resolved; false if it is not there. */
static bool resolved(const struct ol_bundle *b, const char *path, char out[PATH_MAX])
{
	char joined[PATH_MAX];

	if (path[0] != '/' &&
	    snprintf(joined, sizeof(joined), "%s/%s", b->path, path) >= (int) sizeof(joined))
		return false;
	return realpath(path[0] == '/' ? path : joined, out) != NULL;
}

int ol_bundle_check_private(const struct ol_bundle *b, struct ol_error *err)
{
	const struct ol_json *mounts = ol_json_get(b->config, "mounts");
	const char *root = ol_json_cstr(ol_json_get(ol_json_get(b->config, "root"), "path"));
	char bundle[PATH_MAX], real[PATH_MAX];

	if (!realpath(b->path, bundle))
		return ol_error_errno(err, errno, "cannot resolve the bundle '%s'", b->path);
	if (root && resolved(b, root, real) && holds(real, bundle)) {
		ol_error_set(
			err, EPERM,
			"%s/config.json is inside the container's root file system ('%s'): its "
			"workload could rewrite what exec sessions are checked against",
			b->path, root);
		return ol_error_hint(err, "keep the root file system in a directory of its own, "
					  "such as BUNDLE/rootfs");
	}
	for (size_t i = 0; mounts && mounts->type == OL_JSON_ARRAY && i < mounts->u.arr.len; i++) {
		const struct ol_json *m = mounts->u.arr.items[i];
		const char *source = ol_json_cstr(ol_json_get(m, "source"));
		if (source && ol_config_mount_is_bind(m) && resolved(b, source, real) &&
		    holds(real, bundle)) {
			ol_error_set(err, EPERM,
				     "%s/config.json is reachable in the container: the bind mount "
				     "of '%s' holds it",
				     b->path, source);
			return ol_error_hint(err, "mount something that does not hold the bundle");
		}
	}
	return 0;
}
