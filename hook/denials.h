/* SPDX-License-Identifier: Apache-2.0 */
/* The `denials` command of oci-landlock. */
#ifndef OL_HOOK_DENIALS_H
#define OL_HOOK_DENIALS_H

#include <stdio.h>

/*
 * denials [--log FILE] [CONTAINER...]: the Landlock denials in the audit
 * log (auditd's when it runs, else the kernel log), grouped by container,
 * each with what would allow it.  CONTAINER is a container id or a prefix.
 */
int ol_cli_denials(int argc, char **argv, FILE *out);

#endif
