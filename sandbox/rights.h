/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one table of Landlock rights.
 *
 * Parsing (names), downgrading (the ABI that introduced each right),
 * applying (which rights a rule on a file may carry), printing and the
 * generated policy reference all read this table; a new kernel right is one
 * new line here.
 */
#ifndef OL_SANDBOX_RIGHTS_H
#define OL_SANDBOX_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The newest Landlock ABI whose rights this version knows. */
#define OL_ABI_MAX 10
/*
 * The fs.ro/rx/rw/rwx shorthand handles every file-system right; those of
 * ABIs after this one are handled where the kernel has them and dropped
 * without a word where it does not, in strict mode too (docs/policy.md).
 */
#define OL_ABI_SHORTHAND 8
/* The ABI that added audit log flags to landlock_restrict_self(). */
#define OL_ABI_LOG_FLAGS 7
/* The ABI that added quiet rights and rules (LANDLOCK_ADD_RULE_QUIET). */
#define OL_ABI_QUIET 10

enum ol_right_kind {
	OL_RIGHT_FS,
	OL_RIGHT_NET,
	OL_RIGHT_SCOPE,
};

struct ol_right {
	const char *name; /* the landlockconfig spelling */
	enum ol_right_kind kind;
	uint64_t bit;
	int abi;	  /* first ABI that has it */
	bool file;	  /* may be granted on a non-directory */
	const char *what; /* one line for help text and docs */
};

extern const struct ol_right ol_rights[];
extern const size_t ol_rights_count;

const struct ol_right *ol_right_lookup(enum ol_right_kind kind, const char *name);
const struct ol_right *ol_right_by_bit(enum ol_right_kind kind, uint64_t bit);

/* Every right of a kind that a kernel with this ABI supports. */
uint64_t ol_rights_mask(enum ol_right_kind kind, int abi);

/* The file-system rights a rule on a non-directory may carry. */
uint64_t ol_rights_file_mask(void);

/* "a right" / "a scope", for messages. */
const char *ol_right_kind_noun(enum ol_right_kind kind);

/* Names of the rights in mask, in table order, joined by sep. */
void ol_rights_format(enum ol_right_kind kind, uint64_t mask, const char *sep, char *buf,
		      size_t size);

/* The known name closest to a misspelt one, or NULL if none is close. */
const char *ol_right_suggest(enum ol_right_kind kind, const char *name);

/* The first Linux release with a given Landlock ABI ("6.10"), or NULL. */
const char *ol_abi_linux(int abi);

#endif
