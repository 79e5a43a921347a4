/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a layer denies on a file, worked out again from its rules: for the
 * launcher's message once an exec failed inside the sandbox.
 */
#ifndef OL_SANDBOX_DENIED_H
#define OL_SANDBOX_DENIED_H

#include <stdint.h>

#include "ruleset.h"

/*
 * The rights of access that layer rs handles and no rule of it grants on
 * file (an absolute path without symbolic links, such as realpath() gives)
 * into *denied.  Rule paths are opened as ol_ruleset_build() opens them; a
 * rule it would skip grants nothing here either.  Only O_PATH descriptors
 * are opened, which Landlock does not restrict: this works inside the
 * sandbox.  Returns 0, or a negative errno when file cannot be looked at.
 */
int ol_ruleset_denied(const struct ol_ruleset *rs, const char *file, uint64_t access,
		      uint64_t *denied);

#endif
