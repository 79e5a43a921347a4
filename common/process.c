/* SPDX-License-Identifier: Apache-2.0 */
#include "process.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

pid_t ol_fork_with_pipe(int fds[2], struct ol_error *err)
{
	pid_t pid;

	if (pipe2(fds, O_CLOEXEC) < 0)
		return ol_error_errno(err, errno, "cannot create a pipe");
	pid = fork();
	if (pid < 0) {
		int e = errno;
		close(fds[0]);
		close(fds[1]);
		return ol_error_errno(err, e, "cannot fork");
	}
	return pid;
}
