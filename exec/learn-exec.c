/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: what an execve() needs, the program and the interpreters
 * the kernel opens for it ("#!" and the ELF dynamic loader), each with
 * execute and read_file.
 */
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "interpreter.h"
#include "learn-call.h"
#include "sandbox/landlock-uapi.h"

void learn_on_exec(struct call *c, int dirfd, int path_arg, int flags)
{
	char path[PATH_MAX], file[PATH_MAX];
	struct stat st;

	if (learn_read_path(c, path_arg, path, sizeof(path)) < 0)
		return;
	if (path[0] == '\0' && (flags & AT_EMPTY_PATH))
		snprintf(path, sizeof(path), ".");
	if (learn_resolve(c, dirfd, path, !(flags & AT_SYMLINK_NOFOLLOW), file, &st) != 1 ||
	    !S_ISREG(st.st_mode))
		return;
	/* The kernel opens the program, its script interpreter and its dynamic
	 * loader for execution: each needs execute and read_file. */
	for (int depth = 0; depth < 4; depth++) {
		char interp[PATH_MAX];
		cleanup_free char *real = NULL;
		learn_add(c, file, OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_READ_FILE);
		if (launcher_interpreter(file, interp, sizeof(interp), NULL) < 0 ||
		    interp[0] != '/' || !(real = realpath(interp, NULL)) || stat(real, &st) < 0 ||
		    !S_ISREG(st.st_mode))
			return;
		snprintf(file, sizeof(file), "%s", real);
	}
}
