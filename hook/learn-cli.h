/* SPDX-License-Identifier: Apache-2.0 */
/* The `learn` command of oci-landlock: recordings to a policy. */
#ifndef OL_HOOK_LEARN_CLI_H
#define OL_HOOK_LEARN_CLI_H

#include <stdio.h>

/*
 * learn [--depth N] [--merge] [-o FILE] RECORDING...: generate a
 * landlockconfig policy from what the recordings used (several only with
 * --merge), to FILE or out.  Exits 0, 1 on an error, 2 on bad usage.
 */
int ol_cli_learn(int argc, char **argv, FILE *out);

#endif
