/* SPDX-License-Identifier: Apache-2.0 */
/* Reading a program's "#!" interpreter or ELF dynamic loader (interpreter.h). */
#include "interpreter.h"

#include <elf.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"

static int script(const unsigned char *head, char *out, size_t size)
{
	const char *p = (const char *) head + 2;
	size_t len;

	p += strspn(p, " \t");
	len = strcspn(p, " \t\n");
	if (len == 0 || len >= size)
		return -1;
	memcpy(out, p, len);
	out[len] = '\0';
	return 0;
}

static int elf(int fd, const unsigned char *head, size_t n, char *out, size_t size)
{
	Elf64_Ehdr eh;

	/* 64-bit ELF only: a 32-bit program's loader goes unnamed. */
	if (n < sizeof(eh) || memcmp(head, ELFMAG, SELFMAG) != 0 || head[EI_CLASS] != ELFCLASS64)
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

int launcher_interpreter(const char *program, char *out, size_t size, enum launcher_interp *kind)
{
	/* The name may come from the workload (a "#!" line): looked at first
	 * through O_PATH, and reopened for reading only if a regular file. */
	cleanup_close int at = open(program, O_PATH | O_CLOEXEC);
	cleanup_close int fd = -1;
	unsigned char head[256];
	char self[64];
	struct stat st;
	ssize_t n;

	if (at < 0 || fstat(at, &st) < 0 || !S_ISREG(st.st_mode))
		return -1;
	snprintf(self, sizeof(self), "/proc/self/fd/%d", at);
	fd = open(self, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0 || (n = pread(fd, head, sizeof(head) - 1, 0)) < 4)
		return -1;
	head[n] = '\0';
	if (head[0] == '#' && head[1] == '!') {
		if (kind)
			*kind = LAUNCHER_INTERP_SCRIPT;
		return script(head, out, size);
	}
	if (kind)
		*kind = LAUNCHER_INTERP_ELF;
	return elf(fd, head, (size_t) n, out, size);
}
