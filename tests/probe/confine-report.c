/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The confine probe's oci-landlock: the command built with this file in
 * place of cli/report.c (tests/meson.build).  On every error path, before
 * the error is printed, it tries what code running there could do, and
 * prints one line per attempt:
 *     confine-probe: open /etc/shadow => EACCES
 * The shipped binary is built without it.  OL_TEST_READ names more paths
 * to read (':'-separated), OL_TEST_WRITE a file to create, OL_TEST_PTRACE
 * a process to attach to (and detach from at once).
 */
#include <fcntl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ptrace.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli/cli.h"

static void probe_line(const char *what, const char *arg, int r)
{
	fprintf(stderr, "confine-probe: %s %s => %s\n", what, arg,
		r < 0 ? strerrorname_np(errno) : "OK");
}

static void probe_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC, 0600);

	probe_line(flags & O_CREAT ? "create" : "open", path, fd);
	if (fd >= 0)
		close(fd);
}

static void probe_exec(void)
{
	char *const argv[] = { "true", NULL };
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execve("/bin/true", argv, environ);
		_exit(errno);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	errno = pid < 0 ? errno : WEXITSTATUS(status);
	probe_line("exec", "/bin/true", pid < 0 || status ? -1 : 0);
}

int ol_cli_report(const struct ol_error *err)
{
	const char *read = getenv("OL_TEST_READ"), *write = getenv("OL_TEST_WRITE");
	const char *tracee = getenv("OL_TEST_PTRACE");
	char text[OL_ERROR_TEXT_MAX];
	char *paths = strdup(read ? read : ""), *save = NULL;
	int fd;

	probe_open("/etc/shadow", O_RDONLY);
	for (char *p = strtok_r(paths, ":", &save); p; p = strtok_r(NULL, ":", &save))
		probe_open(p, O_RDONLY);
	free(paths);
	if (write)
		probe_open(write, O_WRONLY | O_CREAT | O_EXCL);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	probe_line("socket", "unix", fd);
	if (fd >= 0)
		close(fd);
	probe_exec();
	if (tracee) {
		pid_t pid = (pid_t) atoi(tracee);
		long r = ptrace(PTRACE_SEIZE, pid, NULL, NULL);
		probe_line("ptrace", tracee, (int) r);
		if (r == 0)
			ptrace(PTRACE_DETACH, pid, NULL, NULL);
	}
	fprintf(stderr, "%s\n",
		ol_error_format(err, "oci-landlock", OL_ERROR_LINES, text, sizeof(text)));
	return 1;
}
