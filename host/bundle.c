/* SPDX-License-Identifier: Apache-2.0 */
/* Reading and rewriting BUNDLE/config.json. */
#include "bundle.h"

#include <errno.h>
#include <fcntl.h>
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
