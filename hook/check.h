/* SPDX-License-Identifier: Apache-2.0 */
/* The `check` and `abi` commands of oci-landlock. */
#ifndef OL_HOOK_CHECK_H
#define OL_HOOK_CHECK_H

#include <stdio.h>

#include "settings.h"

/*
 * check [--mode MODE | --id ID] FILE: FILE is a config.json (its Landlock
 * annotations are checked, for the container ID if given: a pod's sandbox
 * container is exempt only as the one its engine's sandbox id names) or a
 * landlockconfig policy; "-" is stdin.  Prints the layers, what this
 * kernel enforces of them, the runtime the shim would run, and exits 1
 * where the container would be refused.
 */
int ol_cli_check(int argc, char **argv, const struct ol_settings *s, FILE *out);

/* abi: the running kernel's Landlock ABI, errata and rights. */
int ol_cli_abi(FILE *out);

#endif
