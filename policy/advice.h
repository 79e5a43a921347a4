/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Advice on policies that are valid but probably not what their author
 * meant, for `oci-landlock check`: the warnings never change what is
 * enforced.
 */
#ifndef OL_POLICY_ADVICE_H
#define OL_POLICY_ADVICE_H

#include "annotations.h"
#include "common/strv.h"
#include "sandbox/ruleset.h"

/*
 * A path of an fs.* list that holds ',', ';' or a space: lists are
 * separated by ':' ("/usr,/etc" is one path named "/usr,/etc").  Each
 * warning names the annotation and the list as it was probably meant.
 * Returns 0 or -ENOMEM.
 */
int ol_advice_annotations(const struct ol_annotations *a, struct ol_strv *out);

/*
 * The rule paths of a layer that are not absolute: the host refuses them
 * in an annotation or a profile, the launcher in a policy file; they
 * would start at a working directory the image chose.  Each warning is
 * prefixed with "source: ".  Returns 0 or -ENOMEM.
 */
int ol_advice_relative(const struct ol_ruleset *rs, const char *source, struct ol_strv *out);

#endif
