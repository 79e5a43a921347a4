/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How oci-landlock reports an error.  A file of its own: the confine
 * probe's test build replaces it (tests/probe/confine-report.c).
 */
#include <stdio.h>

#include "cli.h"

int ol_cli_report(const struct ol_error *err)
{
	char text[OL_ERROR_TEXT_MAX];

	fprintf(stderr, "%s\n",
		ol_error_format(err, "oci-landlock", OL_ERROR_LINES, text, sizeof(text)));
	return 1;
}
