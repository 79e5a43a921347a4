/* SPDX-License-Identifier: Apache-2.0 */
/* The gate's view of the container and the host, read before its cage. */
#include "gate-view.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"

#define MAX_TEXT (4u << 20) /* one mountinfo */

static int read_mountinfo(pid_t pid, struct ol_ns_text *t, struct ol_error *err)
{
	char path[64];
	cleanup_close int fd = -1;

	snprintf(path, sizeof(path), "/proc/%d/mountinfo", (int) pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot open '%s'", path);
	return ol_read_stream(fd, path, MAX_TEXT, &t->text, &t->len, err);
}

void ol_gate_view_collect(pid_t pid, struct ol_gate_view *v)
{
	char path[64];

	memset(v, 0, sizeof(*v));
	snprintf(path, sizeof(path), "/proc/%d/root", (int) pid);
	v->proc_root = pid > 0 ? open(path, O_PATH | O_DIRECTORY | O_CLOEXEC) : -1;
	if (pid <= 0)
		ol_error_set(&v->failed, ESRCH, "the hook state names no process");
	else if (v->proc_root < 0)
		ol_error_errno(&v->failed, errno, "cannot open '%s'", path);
	else if (read_mountinfo(pid, &v->self, &v->failed) == 0)
		read_mountinfo(getpid(), &v->host, &v->failed);
}

void ol_gate_view_free(struct ol_gate_view *v)
{
	if (v->proc_root >= 0)
		close(v->proc_root);
	free(v->self.text);
	free(v->host.text);
	memset(v, 0, sizeof(*v));
	v->proc_root = -1;
}
