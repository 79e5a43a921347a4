/* SPDX-License-Identifier: Apache-2.0 */
/* landlockconfig variables: sorted sets of values, and template expansion. */
#include "variables.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/cleanup.h"

bool ol_variable_name_valid(const char *s, size_t len)
{
	if (len == 0 || !((s[0] >= 'a' && s[0] <= 'z') || (s[0] >= 'A' && s[0] <= 'Z')))
		return false;
	for (size_t i = 1; i < len; i++) {
		char ch = s[i];
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
		      (ch >= '0' && ch <= '9') || ch == '_'))
			return false;
	}
	return true;
}

/* A name and its length, against a variable: for the sort and bsearch. */
static int name_cmp(const char *name, size_t len, const struct ol_variable *v)
{
	size_t vlen = strlen(v->name);
	int c = memcmp(name, v->name, len < vlen ? len : vlen);

	return c ? c : (len > vlen) - (len < vlen);
}

static int compare_vars(const void *a, const void *b)
{
	const struct ol_variable *x = a, *y = b;
	int c = name_cmp(x->name, strlen(x->name), y);

	return c ? c : (x->order > y->order) - (x->order < y->order);
}

struct name_key {
	const char *name;
	size_t len;
};

static int find_cmp(const void *key, const void *v)
{
	const struct name_key *k = key;

	return name_cmp(k->name, k->len, v);
}

static const struct ol_variable *find_var(const struct ol_variables *vars, const char *name,
					  size_t len)
{
	struct name_key k = { name, len };

	return vars->n ? bsearch(&k, vars->v, vars->n, sizeof(*vars->v), find_cmp) : NULL;
}

int ol_variables_merge(struct ol_variables *vars)
{
	size_t o = 0;

	if (vars->n > 1)
		qsort(vars->v, vars->n, sizeof(*vars->v), compare_vars);
	for (size_t i = 0; i < vars->n; i++) {
		struct ol_variable *v = &vars->v[i];
		if (o == 0 || strcmp(vars->v[o - 1].name, v->name) != 0) {
			vars->v[o++] = *v;
			continue;
		}
		for (size_t k = 0; k < v->values.n; k++)
			if (ol_strv_push(&vars->v[o - 1].values, v->values.v[k]) < 0)
				return -ENOMEM;
		ol_strv_free(&v->values);
	}
	vars->n = o;
	return 0;
}

void ol_variables_free(struct ol_variables *vars)
{
	for (size_t i = 0; i < vars->n; i++)
		ol_strv_free(&vars->v[i].values);
	free(vars->v);
	vars->v = NULL;
	vars->n = 0;
}

/* One piece of a parent template: literal text, or a variable. */
struct piece {
	const char *text;
	size_t len;
	const struct ol_variable *var;
};

#define MAX_PIECES 64

/*
 * Split "a/${x}/$$b" into pieces, following landlockconfig's rules: "$$" is
 * a '$', "${name}" a variable, any other '$' itself.  Literal text is copied
 * unescaped into `unescaped` (no longer than s), which pieces point into.
 */
static int split_template(const struct ol_variables *vars, const char *path, const char *s,
			  struct piece *pieces, size_t *n, char *unescaped, struct ol_error *err)
{
	size_t np = 0, u = 0;
	size_t text_start = 0;

	for (size_t i = 0; s[i];) {
		if (s[i] == '$' && s[i + 1] == '$') {
			unescaped[u++] = '$';
			i += 2;
		} else if (s[i] == '$' && s[i + 1] == '{') {
			const char *name = s + i + 2;
			const char *end = strchr(name, '}');
			const struct ol_variable *var;
			if (!end)
				return ol_error_set(err, EINVAL,
						    "%s: unclosed variable reference at "
						    "position %zu",
						    path, i);
			if (!ol_variable_name_valid(name, (size_t) (end - name)))
				return ol_error_set(err, EINVAL,
						    "%s: invalid variable name at position %zu",
						    path, i);
			var = find_var(vars, name, (size_t) (end - name));
			if (!var)
				return ol_error_set(err, EINVAL, "%s: unknown variable \"%.*s\"",
						    path, (int) (end - name), name);
			if (np + 2 > MAX_PIECES)
				return ol_error_set(err, E2BIG, "%s: too many variable references",
						    path);
			if (u > text_start)
				pieces[np++] = (struct piece){ unescaped + text_start,
							       u - text_start, NULL };
			text_start = u;
			pieces[np++] = (struct piece){ NULL, 0, var };
			i = (size_t) (end - s) + 1;
		} else {
			unescaped[u++] = s[i++];
		}
	}
	if (u > text_start) {
		if (np + 1 > MAX_PIECES)
			return ol_error_set(err, E2BIG, "%s: too many variable references", path);
		pieces[np++] = (struct piece){ unescaped + text_start, u - text_start, NULL };
	}
	*n = np;
	return 0;
}

int ol_template_expand(const struct ol_variables *vars, const char *path, const char *tmpl,
		       size_t max_paths,
		       int (*add)(const char *text, size_t len, const char *path, void *data),
		       void *data, struct ol_error *err)
{
	cleanup_free char *unescaped = malloc(strlen(tmpl) + 1);
	struct piece pieces[MAX_PIECES];
	size_t n = 0, count = 1;
	int r;

	if (!unescaped)
		return ol_error_oom(err);
	r = split_template(vars, path, tmpl, pieces, &n, unescaped, err);
	if (r < 0)
		return r;
	for (size_t i = 0; i < n; i++) {
		size_t vals = pieces[i].var ? pieces[i].var->values.n : 1;
		if (vals && count > max_paths / vals)
			return ol_error_set(err, E2BIG, "%s: expands to more than %zu paths", path,
					    max_paths);
		count *= vals;
	}
	for (size_t k = 0; k < count; k++) {
		cleanup_buf struct ol_buf out = { 0 };
		size_t rest = k;
		/* Mixed radix over the variables, the last one varying fastest. */
		size_t digit[MAX_PIECES];
		for (size_t i = n; i-- > 0;) {
			size_t vals = pieces[i].var ? pieces[i].var->values.n : 1;
			digit[i] = rest % vals;
			rest /= vals;
		}
		for (size_t i = 0; i < n; i++) {
			r = pieces[i].var ? ol_buf_puts(&out, pieces[i].var->values.v[digit[i]])
					  : ol_buf_append(&out, pieces[i].text, pieces[i].len);
			if (r < 0)
				return ol_error_oom(err);
		}
		r = add(out.data ? out.data : "", out.len, path, data);
		if (r < 0)
			return r;
	}
	return 0;
}
