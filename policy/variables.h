/* SPDX-License-Identifier: Apache-2.0 */
/*
 * landlockconfig's variables: a name, a list of values, and the parent
 * templates that expand to one path per combination of values ("${x}"
 * stands for each value of x, "$$" for a '$').  Kept sorted by name, so
 * that a policy of many variables costs n log n, not n squared.
 */
#ifndef OL_POLICY_VARIABLES_H
#define OL_POLICY_VARIABLES_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "common/strv.h"

struct ol_variable {
	const char *name; /* points into the document */
	struct ol_strv values;
	size_t order; /* of its entry, for merging a name given twice */
};

struct ol_variables {
	struct ol_variable *v;
	size_t n;
};

/* ASCII letters, digits and '_', starting with a letter. */
bool ol_variable_name_valid(const char *s, size_t len);

/*
 * Sort the entries by name; a name given twice adds to the same set, in
 * document order.  Returns 0 or -ENOMEM.
 */
int ol_variables_merge(struct ol_variables *vars);
void ol_variables_free(struct ol_variables *vars);

/*
 * Expand the template tmpl (at JSON path `path`, for messages): add(text,
 * len, path, data) for each of its paths, at most max_paths.  Returns 0,
 * an error of the template's, or what add returned.
 */
int ol_template_expand(const struct ol_variables *vars, const char *path, const char *tmpl,
		       size_t max_paths,
		       int (*add)(const char *text, size_t len, const char *path, void *data),
		       void *data, struct ol_error *err);

#endif
