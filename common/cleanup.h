/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Scope-bound cleanup helpers shared by every module.
 *
 * A variable declared with one of these attributes is released when it goes
 * out of scope, so error paths are a plain `return`.  Ownership leaves a
 * scope only through steal_pointer()/steal_fd(), which makes every transfer
 * visible at the call site.  The build uses -Werror=attributes, so a
 * compiler that ignored the cleanup attribute would fail to build instead of
 * silently leaking.
 */
#ifndef OL_COMMON_CLEANUP_H
#define OL_COMMON_CLEANUP_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#define OL_CLEANUP(fn) __attribute__((__cleanup__(fn)))

static inline void ol_freep(void *p)
{
	free(*(void **) p);
}

static inline void ol_closep(int *fd)
{
	if (*fd >= 0) {
		/* close() may clobber errno on the error path being returned. */
		int saved = errno;
		close(*fd);
		errno = saved;
	}
}

static inline void ol_fclosep(FILE **f)
{
	if (*f)
		fclose(*f);
}

#define cleanup_free   OL_CLEANUP(ol_freep)
#define cleanup_close  OL_CLEANUP(ol_closep)
#define cleanup_fclose OL_CLEANUP(ol_fclosep)

/* Take ownership of *pp, leaving NULL behind so the cleanup is a no-op. */
#define steal_pointer(pp)                                                                          \
	({                                                                                         \
		__typeof__(*(pp)) ol_stolen_ = *(pp);                                              \
		*(pp) = NULL;                                                                      \
		ol_stolen_;                                                                        \
	})

/* Take ownership of a file descriptor, leaving -1 behind. */
#define steal_fd(fdp)                                                                              \
	({                                                                                         \
		int ol_stolen_fd_ = *(fdp);                                                        \
		*(fdp) = -1;                                                                       \
		ol_stolen_fd_;                                                                     \
	})

#define OL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
