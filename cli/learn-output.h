/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock learn's output: the policy as a file, or as what enforces it
 * (podman's arguments, a Kubernetes annotation block), and the review of
 * what it grants and what was left out.
 */
#ifndef OL_CLI_LEARN_OUTPUT_H
#define OL_CLI_LEARN_OUTPUT_H

#include <stdbool.h>
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

/* The Landlock ABI a policy is made for, and where that came from. */
struct learn_target {
	int abi;    /* what the policy is for, 1 to OL_ABI_MAX */
	bool given; /* by --abi; else the running kernel's */
	int kernel; /* the running kernel's ABI, 0: no Landlock */
};

/* The ABI it is for, what the policy grants, its broadest rules, what was
 * left out and what the ABI does not restrict. */
void learn_review(const struct ol_ruleset *rs, const struct ol_recording *rec,
		  const struct ol_learn_review *review, const struct learn_target *target,
		  FILE *to);

#endif
