/* SPDX-License-Identifier: Apache-2.0 */
/* The `check` and `abi` commands of oci-landlock. */
#ifndef OL_HOOK_CHECK_H
#define OL_HOOK_CHECK_H

#include <stdio.h>

#include "settings.h"

/*
 * check [--mode MODE] FILE: FILE is a config.json (its Landlock
 * annotations are checked) or a landlockconfig policy; "-" is stdin.
 * Prints the layers, what this kernel enforces of them, and exits 1 where
 * the container would be refused.
 */
int ol_cli_check(int argc, char **argv, const struct ol_settings *s, FILE *out);

/* abi: the running kernel's Landlock ABI, errata and rights. */
int ol_cli_abi(FILE *out);

#endif
