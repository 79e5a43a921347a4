/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The interpreter a program asks the kernel for: the "#!" line of a script
 * or the PT_INTERP of an ELF program (its dynamic loader).  Learning reads
 * it to record what an exec needs; the launcher reads it to say why an
 * exec failed.  One reader for both, so they cannot disagree.
 */
#ifndef OL_EXEC_INTERPRETER_H
#define OL_EXEC_INTERPRETER_H

#include <stddef.h>

enum launcher_interp {
	LAUNCHER_INTERP_SCRIPT, /* "#!" */
	LAUNCHER_INTERP_ELF,	/* PT_INTERP: the dynamic loader */
};

/*
 * The interpreter program names, as written there, into out; its kind into
 * *kind (may be NULL).  Only a regular file is read (opening a FIFO
 * blocks, opening a device can act on it), and only its first bytes and
 * program headers; 64-bit ELF only.  Returns 0, or -1 when the program has
 * none, cannot be read, or names one that does not fit in size.
 */
int launcher_interpreter(const char *program, char *out, size_t size, enum launcher_interp *kind);

#endif
