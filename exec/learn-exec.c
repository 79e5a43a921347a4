/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode: what an execve() needs, the program and the interpreters
 * the kernel opens for it ("#!" and the ELF dynamic loader), each with
 * execute and read_file.
 */
#include <elf.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "learn-call.h"
#include "sandbox/landlock-uapi.h"

/* The interpreter a program asks the kernel for: "#!" or ELF PT_INTERP. */
static int interpreter(const char *program, char *out, size_t size)
{
	/* The name comes from the workload (a "#!" line): only a regular file
	 * is opened for reading (the kernel runs nothing else), looked at
	 * first through O_PATH, as opening a FIFO blocks and opening a device
	 * can act on it. */
	cleanup_close int at = open(program, O_PATH | O_CLOEXEC);
	cleanup_close int fd = -1;
	unsigned char head[256];
	char self[64];
	struct stat st;
	Elf64_Ehdr eh;
	ssize_t n;

	if (at < 0 || fstat(at, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", at);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || (n = pread(fd, head, sizeof(head) - 1, 0)) < 4)
		return -1;
	head[n] = '\0';
	if (head[0] == '#' && head[1] == '!') {
		char *p = (char *) head + 2;
		size_t len;
		p += strspn(p, " \t");
		len = strcspn(p, " \t\n");
		if (len == 0 || len >= size)
			return -1;
		memcpy(out, p, len);
		out[len] = '\0';
		return 0;
	}
	/* 64-bit ELF only: the 32-bit interpreter goes unrecorded. */
	if ((size_t) n < sizeof(eh) || memcmp(head, ELFMAG, SELFMAG) != 0 ||
	    head[EI_CLASS] != ELFCLASS64)
		return -1;
	memcpy(&eh, head, sizeof(eh));
	for (unsigned i = 0; i < eh.e_phnum && i < 64; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t) (eh.e_phoff + i * sizeof(ph))) !=
		    (ssize_t) sizeof(ph))
			return -1;
		if (ph.p_type != PT_INTERP)
			continue;
		if (ph.p_filesz == 0 || ph.p_filesz >= size ||
		    pread(fd, out, ph.p_filesz, (off_t) ph.p_offset) != (ssize_t) ph.p_filesz)
			return -1;
		out[ph.p_filesz] = '\0';
		return 0;
	}
	return -1;
}

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
		if (interpreter(file, interp, sizeof(interp)) < 0 || interp[0] != '/' ||
		    !(real = realpath(interp, NULL)) || stat(real, &st) < 0 || !S_ISREG(st.st_mode))
			return;
		snprintf(file, sizeof(file), "%s", real);
	}
}
