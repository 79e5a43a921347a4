/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock learn's output: the policy as a file, or as what enforces it
 * (podman's arguments, a Kubernetes annotation block), and the review of
 * what it grants and what was left out.
 */
#ifndef OL_CLI_LEARN_OUTPUT_H
#define OL_CLI_LEARN_OUTPUT_H

#include <stdio.h>

#include "common/error.h"
#include "policy/learn.h"
#include "sandbox/ruleset.h"

enum learn_format {
	LEARN_POLICY,	  /* the landlockconfig document */
	LEARN_PODMAN,	  /* podman run's --annotation (and -v) arguments */
	LEARN_KUBERNETES, /* a pod's metadata.annotations */
};

/* Where the policy file goes in the container, with -o and podman. */
#define LEARN_POLICY_IN_CONTAINER "/etc/oci-landlock/learned.json"

int learn_format_parse(const char *name, enum learn_format *out);

/* The policy in that format to out; the document to file too when given. */
int learn_output(const struct ol_ruleset *rs, const struct ol_recording *rec,
		 enum learn_format format, const char *file, FILE *out, struct ol_error *err);

/* What the policy grants, its broadest rules, what was left out. */
void learn_review(const struct ol_ruleset *rs, const struct ol_recording *rec,
		  const struct ol_learn_review *review, FILE *to);

#endif
