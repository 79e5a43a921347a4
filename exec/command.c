/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Executing the workload: our own PATH search, so a failure can be told
 * apart (not found, denied by the sandbox, not an executable) and named
 * (explain.c says which file and what would allow it).  It runs after the
 * sandbox is in place, so the search sees exactly what the workload will
 * see.
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

/* file: what the search found (name itself when it has a '/'), or NULL. */
static int failure(int e, const char *name, const char *file, const char *path_var,
		   const struct launcher *sandbox, struct ol_error *err)
{
	if (file && (e == EACCES || e == ENOENT) && launcher_explain(name, file, e, sandbox, err))
		return e == ENOENT ? OL_EXIT_NOT_FOUND : OL_EXIT_CANNOT_RUN;
	if (e == ENOENT && !file) {
		ol_error_set(err, ENOENT, "cannot execute '%s': not found in PATH (%s)", name,
			     path_var);
		return OL_EXIT_NOT_FOUND;
	}
	ol_error_errno(err, e, "cannot execute '%s'", name);
	switch (e) {
	case EACCES:
		ol_error_hint(err, "if it runs outside the sandbox, the policy must "
				   "grant \"execute\" and \"read_file\" on it (fs.rx, "
				   "--fs-rx) and, for a script, on its interpreter");
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

int launcher_exec_in(char *const command[], const struct launcher *sandbox, struct ol_error *err)
{
	const char *name = command[0];
	const char *path_var = getenv("PATH");
	cleanup_free char *denied = NULL; /* the first file the sandbox or its mode refused */
	cleanup_free char *found = NULL;  /* the first that is there but said ENOENT */
	int last = ENOENT;

	if (!*name) {
		ol_error_set(err, ENOENT, "cannot execute the command: its name is empty");
		return OL_EXIT_NOT_FOUND;
	}
	if (strchr(name, '/')) {
		execve(name, command, environ);
		return failure(errno, name, name, NULL, sandbox, err);
	}
	if (!path_var)
		path_var = OL_DEFAULT_PATH;
	for (const char *p = path_var;;) {
		const char *end = strchrnul(p, ':');
		cleanup_buf struct ol_buf file = { 0 };

		/* An empty entry means the working directory, as in execvp(3). */
		if (ol_buf_append(&file, p, (size_t) (end - p)) < 0 ||
		    (end != p && ol_buf_puts(&file, "/") < 0) || ol_buf_puts(&file, name) < 0)
			return failure(ENOMEM, name, NULL, path_var, sandbox, err);
		execve(file.data, command, environ);
		switch (errno) {
		case EACCES:
			/* Keep looking, but report the denial if nothing runs. */
			if (!denied && !(denied = strdup(file.data)))
				return failure(ENOMEM, name, NULL, path_var, sandbox, err);
			break;
		case ENOENT:
			/* There, but its interpreter is not (stat is not restricted). */
			if (!found && access(file.data, F_OK) == 0 && !(found = strdup(file.data)))
				return failure(ENOMEM, name, NULL, path_var, sandbox, err);
			break;
		case ENOTDIR:
		case ESTALE:
		case ENODEV:
		case ETIMEDOUT:
			break;
		default:
			return failure(errno, file.data, NULL, path_var, sandbox, err);
		}
		last = errno;
		if (!*end)
			break;
		p = end + 1;
	}
	if (denied)
		return failure(EACCES, name, denied, path_var, sandbox, err);
	return failure(found ? ENOENT : last, name, found, path_var, sandbox, err);
}
