/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock check, inside: what was checked, worked out once
 * (check.c), then printed as text (check-text.c) or JSON (check-json.c).
 */
#ifndef OL_CLI_CHECK_H
#define OL_CLI_CHECK_H

#include <stdio.h>

#include "common/strv.h"
#include "host/request.h"
#include "policy/effective.h"
#include "sandbox/rights.h"

enum check_outcome {
	CHECK_INVALID,	/* the annotations or the policy are refused as written */
	CHECK_NONE,	/* nothing of oci-landlock applies */
	CHECK_EXEMPT,	/* a pod's sandbox container */
	CHECK_LEARNING, /* learning mode: unconfined */
	CHECK_ENFORCED, /* enforced as written */
	CHECK_DROPPED,	/* runs, with restrictions dropped (best effort) */
	CHECK_REFUSED,	/* this kernel cannot enforce it (strict) */
};

struct check {
	const char *file; /* what was checked, for messages and output */
	bool config;	  /* a config's annotations, else a policy */
	const struct ol_settings *s;
	struct ol_request req;	   /* a config's */
	struct ol_compiled policy; /* a policy's (or the policy file's layer) */
	struct ol_compiled *c;	   /* the layers checked: req.compiled or policy */
	const char *policy_file;   /* the host copy of the image's policy file, or NULL */
	struct ol_strv warnings;   /* before the verdict: what the reader noticed */
	struct ol_strv dropped;	   /* what this kernel drops */
	struct ol_strv notes;	   /* warnings of the verdict */
	struct ol_kernel k;
	struct ol_effective eff;
	bool have_eff;
	enum check_outcome outcome;
	bool late;	     /* CHECK_INVALID after the request was worked out */
	struct ol_error err; /* why CHECK_INVALID or CHECK_REFUSED */
};

void check_free(struct check *c);

/* "file system", "network", "scopes". */
extern const char *const ol_check_kind_label[3];

/* A mask of rights as check and abi print it ("all", "all but x", names, "-"). */
void ol_check_print_rights(FILE *out, enum ol_right_kind kind, uint64_t mask);

/* Each word in single quotes, for sh: ' inside as '\''. */
void ol_check_print_shell(FILE *out, const struct ol_strv *words);

/* The outcome as text (the exit status's reason on stderr) or JSON. */
int ol_check_print_text(FILE *out, const struct check *c);
int ol_check_print_json(FILE *out, const struct check *c);

#endif
