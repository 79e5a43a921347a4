/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Executing the workload: our own PATH search, so a failure can be told
 * apart (not found, denied by the sandbox, not an executable) and named.
 * It runs after the sandbox is in place, so the search sees exactly what
 * the workload will see.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/text.h"
#include "launcher.h"

extern char **environ;

static int failure(int e, const char *name, const char *path_var, struct ol_error *err)
{
	if (e == ENOENT && !strchr(name, '/')) {
		ol_error_set(err, ENOENT, "cannot execute '%s': not found in PATH (%s)", name,
			     path_var);
		return OL_EXIT_NOT_FOUND;
	}
	ol_error_errno(err, e, "cannot execute '%s'", name);
	switch (e) {
	case EACCES:
		ol_error_hint(err, "if it runs outside the sandbox, the policy must "
				   "grant execute and read_file on it (fs.rx, --fs-rx) "
				   "and, for a script, on its interpreter");
		break;
	case ENOENT:
		ol_error_hint(err, "if the file exists, its interpreter (#! line) or "
				   "dynamic loader is missing");
		return OL_EXIT_NOT_FOUND;
	case ENOEXEC:
		ol_error_hint(err, "it is not an executable for this machine; a script "
				   "needs a #! line");
		break;
	default:
		break;
	}
	return OL_EXIT_CANNOT_RUN;
}

int launcher_exec(char *const command[], struct ol_error *err)
{
	const char *name = command[0];
	const char *path_var = getenv("PATH");
	bool denied = false;
	int last = ENOENT;

	if (!*name) {
		ol_error_set(err, ENOENT, "cannot execute the command: its name is empty");
		return OL_EXIT_NOT_FOUND;
	}
	if (strchr(name, '/')) {
		execve(name, command, environ);
		return failure(errno, name, NULL, err);
	}
	if (!path_var)
		path_var = OL_DEFAULT_PATH;
	for (const char *p = path_var;;) {
		const char *end = strchrnul(p, ':');
		cleanup_buf struct ol_buf file = { 0 };

		/* An empty entry means the working directory, as in execvp(3). */
		if (ol_buf_append(&file, p, (size_t) (end - p)) < 0 ||
		    (end != p && ol_buf_puts(&file, "/") < 0) || ol_buf_puts(&file, name) < 0)
			return failure(ENOMEM, name, path_var, err);
		execve(file.data, command, environ);
		switch (errno) {
		case EACCES:
			/* Keep looking, but report the denial if nothing runs. */
			denied = true;
			break;
		case ENOENT:
		case ENOTDIR:
		case ESTALE:
		case ENODEV:
		case ETIMEDOUT:
			break;
		default:
			return failure(errno, file.data, path_var, err);
		}
		last = errno;
		if (!*end)
			break;
		p = end + 1;
	}
	return failure(denied ? EACCES : last, name, path_var, err);
}
