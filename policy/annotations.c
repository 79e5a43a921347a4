/* SPDX-License-Identifier: Apache-2.0 */
/* Landlock annotations: reading, launcher options, compilation to layers. */
#include "annotations.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "policy.h"
#include "toml.h"
#include "sandbox/apply.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/socket-filter.h"

void ol_annotations_free(struct ol_annotations *a)
{
	for (size_t i = 0; i < OL_KEY_COUNT; i++)
		free(a->key[i]);
	free(a->container);
	ol_strv_free(&a->warnings);
	memset(a, 0, sizeof(*a));
}

static int unknown_key(const char *key, size_t name_len, struct ol_error *err)
{
	const size_t plen = strlen(OL_ANNOTATION_PREFIX);
	struct ol_suggestion s;
	char more[96];

	ol_suggest_init(&s, key + plen, name_len - plen);
	char names[256];

	for (size_t i = 0; i < OL_KEY_COUNT; i++)
		ol_suggest_try(&s, ol_words[i].key);
	ol_error_set(err, EINVAL, "unknown annotation '%s'%s", key,
		     ol_did_you_mean(s.best, OL_ANNOTATION_PREFIX, '\'', more, sizeof(more)));
	ol_words_keys(names, sizeof(names));
	return ol_error_hint(
		err, "the keys under oci.landlock. are: %s (each also as KEY/CONTAINER)", names);
}

/*
 * A KEY/NAME key whose NAME is nearly this container's: when no key
 * applies, the operator probably misspelt one of the names.
 */
static bool near_name(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0 || ol_edit_distance(a, strlen(a), b, strlen(b)) <= 2;
}

static bool has_landlock_key(const struct ol_json *annotations)
{
	for (size_t i = 0; i < annotations->u.obj.len; i++) {
		const struct ol_json_member *m = &annotations->u.obj.items[i];
		if (strncmp(m->key, OL_ANNOTATION_PREFIX, strlen(OL_ANNOTATION_PREFIX)) == 0 ||
		    ol_key_near_miss(m->key, m->key_len))
			return true;
	}
	return false;
}

/*
 * The kernel takes no single argument longer than MAX_ARG_STRLEN (32
 * pages): a bigger policy would fail at exec, naming nothing.
 */
#define MAX_ARG_LEN (32 * 4096 - 1)

static int check_length(const char *what, const char *key, size_t len, struct ol_error *err)
{
	if (len <= MAX_ARG_LEN)
		return 0;
	ol_error_set(err, E2BIG,
		     "annotation '%s': %s is %zu bytes, more than a process argument can hold "
		     "(%d)",
		     key, what, len, MAX_ARG_LEN);
	return ol_error_hint(err, "make it smaller, or put it in the image and name it with "
				  "oci.landlock.policy-file");
}

int ol_annotations_read(const struct ol_json *annotations, const char *id,
			struct ol_annotations *out, struct ol_error *err)
{
	const size_t plen = strlen(OL_ANNOTATION_PREFIX);
	bool per_container[OL_KEY_COUNT] = { false };
	const char *name = NULL, *near = NULL;

	memset(out, 0, sizeof(*out));
	/* Without a Landlock key the names do not matter: such a container is
	 * none of our business, even when its names disagree. */
	if (!annotations || annotations->type != OL_JSON_OBJECT || !has_landlock_key(annotations))
		return 0;
	if (ol_engine_sandbox(annotations, id, &out->sandbox, &out->warnings, err) < 0)
		return -err->code;
	if (out->sandbox)
		return 0;
	if (ol_engine_container_name(annotations, &name, err) < 0)
		return -err->code;
	if (name && !(out->container = strdup(name)))
		return ol_error_oom(err);
	for (size_t i = 0; i < annotations->u.obj.len; i++) {
		const struct ol_json_member *m = &annotations->u.obj.items[i];
		const char *slash, *value;
		size_t name_len;
		enum ol_word k;

		if (ol_key_near_miss(m->key, m->key_len))
			return ol_key_near_miss_error(m->key, m->key_len, err);
		if (m->key_len < plen || memcmp(m->key, OL_ANNOTATION_PREFIX, plen) != 0)
			continue;
		if (strlen(m->key) != m->key_len)
			return ol_error_set(err, EINVAL, "an annotation key holds a NUL byte");
		slash = strchr(m->key + plen, '/');
		name_len = slash ? (size_t) (slash - m->key) : m->key_len;
		k = ol_word_by_key(m->key + plen, name_len - plen);
		if (k == OL_WORD_COUNT)
			return unknown_key(m->key, name_len, err);
		value = ol_json_cstr(m->value);
		if (!value)
			return ol_error_set(err, EINVAL, "annotation '%s': expected a string",
					    m->key);
		/* Before anything is compiled: a huge value costs nothing. */
		if (check_length("the value", m->key, m->value->u.str.len, err) < 0)
			return -err->code;
		if (slash && !slash[1]) {
			ol_error_set(err, EINVAL, "annotation '%s': no container name after '/'",
				     m->key);
			return ol_error_hint(
				err,
				"write %.*s/NAME for the container NAME of a pod, or %.*s "
				"for every container",
				(int) name_len, m->key, (int) name_len, m->key);
		}
		/* A per-container key where the container has no name would be
		 * skipped silently: that must not leave a container unconfined. */
		if (slash && !name) {
			ol_error_set(
				err, EINVAL,
				"annotation '%s' is for the container '%s', but this container "
				"has no name (no io.kubernetes.cri.container-name or "
				"io.kubernetes.container.name annotation)",
				m->key, slash + 1);
			return ol_error_hint(
				err, "per-container keys are for Kubernetes pods; here write %.*s",
				(int) name_len, m->key);
		}
		/* KEY/NAME applies to the container NAME only, and wins there. */
		if (slash && strcmp(slash + 1, name) != 0) {
			out->other_containers++;
			if (!near && near_name(slash + 1, name))
				near = m->key;
			continue;
		}
		if (!slash && per_container[k])
			continue;
		per_container[k] = slash != NULL;
		free(out->key[k]);
		out->key[k] = strdup(m->key);
		if (!out->key[k])
			return ol_error_oom(err);
		out->value[k] = value;
		out->present = true;
	}
	if (near && !out->present &&
	    ol_strv_pushf(&out->warnings,
			  "no oci.landlock. key applies to the container '%s', but '%s' is for "
			  "a container of a name this close: a typo?",
			  name, near) < 0)
		return ol_error_oom(err);
	return 0;
}

static bool valid_profile_name(const char *s)
{
	if (!*s || *s == '.' || strlen(s) > 200)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '.' || *s == '_' || *s == '-'))
			return false;
	return true;
}

/* The profile a file name is of ("web" for web.json and web.toml), or 0. */
static size_t profile_of(const char *d)
{
	size_t len = strlen(d);

	if (d[0] == '.')
		return 0;
	if (len > 5 && strcmp(d + len - 5, ".json") == 0)
		return len - 5;
	if (len > 5 && strcmp(d + len - 5, ".toml") == 0)
		return len - 5;
	return 0;
}

/* "a, b, c": the profiles an administrator installed, for a hint. */
static void list_profiles(const char *dir, struct ol_buf *out)
{
	struct dirent **names = NULL;
	int n = scandir(dir, &names, NULL, alphasort);
	const char *last = NULL;
	size_t last_len = 0;

	for (int i = 0; i < n; i++) {
		const char *d = names[i]->d_name;
		size_t len = profile_of(d);
		/* web.json and web.toml sort next to each other: name it once */
		if (len && !(last && last_len == len && memcmp(last, d, len) == 0)) {
			ol_buf_puts(out, out->len ? ", " : "");
			ol_buf_append(out, d, len);
		}
		if (len) {
			last = d;
			last_len = len;
		}
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/* DIR/NAME.toml, converted to the JSON text every reader of profiles takes. */
static int read_toml_profile(const char *path, const char *name, char **text, struct ol_error *err)
{
	cleanup_free char *toml = NULL;
	size_t len;
	int r = ol_read_file(path, ol_json_policy_limits.max_bytes, &toml, &len, err);

	if (r < 0)
		return r;
	if (ol_toml_to_json_text(toml, len, text, &len, err) < 0)
		return ol_error_prefix(err, "invalid profile '%s' (%s)", name, path);
	return 0;
}

int ol_profile_read(const char *dir, const char *name, char **text, struct ol_error *err)
{
	cleanup_free char *path = NULL;
	cleanup_free char *toml = NULL;
	struct stat st;
	size_t len;
	int r;

	*text = NULL;
	if (!valid_profile_name(name)) {
		ol_error_set(err, EINVAL, "invalid profile name '%s'", name);
		return ol_error_hint(err, "a profile name is letters, digits, '.', '_' and '-', "
					  "and does not start with '.'");
	}
	if (asprintf(&path, "%s/%s.json", dir, name) < 0 ||
	    asprintf(&toml, "%s/%s.toml", dir, name) < 0)
		return ol_error_oom(err);
	r = ol_read_file(path, ol_json_policy_limits.max_bytes, text, &len, err);
	if (r == 0 && lstat(toml, &st) == 0) {
		free(*text);
		*text = NULL;
		ol_error_set(err, EEXIST, "profile '%s' is both %s and %s", name, path, toml);
		return ol_error_hint(err, "keep one of the two files (oci-landlock convert "
					  "writes a TOML profile as JSON)");
	}
	if (r == -ENOENT)
		r = read_toml_profile(toml, name, text, err);
	if (r == -ENOENT) {
		cleanup_buf struct ol_buf names = { 0 };
		list_profiles(dir, &names);
		ol_error_set(err, ENOENT, "no profile '%s' in %s", name, dir);
		return ol_error_hint(err, "profiles installed on this host: %s",
				     names.len ? names.data : "none");
	}
	return r;
}

int ol_annotations_profile(const struct ol_annotations *a, const char *profile_dir, char **text,
			   struct ol_error *err)
{
	*text = NULL;
	if (!a->value[OL_KEY_PROFILE])
		return 0;
	if (ol_profile_read(profile_dir, a->value[OL_KEY_PROFILE], text, err) < 0)
		return ol_error_prefix(err, "annotation '%s'", a->key[OL_KEY_PROFILE]);
	return 0;
}

static bool has_layer_keys(const struct ol_annotations *a)
{
	for (size_t k = 0; k < OL_KEY_COUNT; k++)
		if (ol_words[k].kind == OL_WORD_RULES && a->value[k])
			return true;
	return false;
}

/* "--OPTION" and the value of the annotation k. */
static int push_option(struct ol_strv *out, const struct ol_annotations *a, enum ol_word k)
{
	return ol_strv_pushf(out, "--%s", ol_words[k].option) < 0 ||
			       ol_strv_push(out, a->value[k]) < 0
		       ? -ENOMEM
		       : 0;
}

/* Whether the keys give a policy, or need not: the host adds a layer. */
static bool gives_policy(const struct ol_annotations *a)
{
	return a->host_layer || a->value[OL_KEY_PROFILE] || a->value[OL_KEY_POLICY_FILE] ||
	       a->value[OL_KEY_NET_SOCKET] || has_layer_keys(a);
}

static int no_policy(const struct ol_annotations *a, struct ol_error *err)
{
	for (size_t i = 0; i < OL_KEY_COUNT; i++)
		if (a->key[i]) {
			ol_error_set(err, EINVAL,
				     "annotation '%s' is set, but no annotation gives a policy",
				     a->key[i]);
			break;
		}
	return ol_error_hint(err, "add oci.landlock.policy, .profile, .policy-file, .fs.*, .net.* "
				  "or .scope");
}

/*
 * oci.landlock.learn stands alone: an absolute path, and no other key
 * (a container cannot be both learned from and sandboxed).
 */
static int check_learn(const struct ol_annotations *a, struct ol_error *err)
{
	const char *path = a->value[OL_KEY_LEARN];

	for (size_t i = 0; i < OL_KEY_COUNT; i++)
		if (i != OL_KEY_LEARN && a->key[i]) {
			ol_error_set(err, EINVAL,
				     "annotation '%s' cannot be combined with '%s': learning "
				     "mode records what the container uses, it enforces nothing",
				     a->key[OL_KEY_LEARN], a->key[i]);
			return ol_error_hint(err,
					     "learn first with oci.landlock.learn alone, then run "
					     "with the policy 'oci-landlock learn' generates");
		}
	if (path[0] != '/')
		return ol_error_set(err, EINVAL,
				    "invalid annotation '%s': expected an absolute path in the "
				    "container, found '%s'",
				    a->key[OL_KEY_LEARN], path);
	/* The host checks where it leads (a volume?): it must read as written. */
	for (const char *p = path; *p;) {
		const char *end = strchrnul(++p, '/');
		size_t n = (size_t) (end - p);
		if (n == 0 || (n == 1 && p[0] == '.') || (n == 2 && p[0] == '.' && p[1] == '.'))
			return ol_error_set(
				err, EINVAL,
				"invalid annotation '%s': '%s' has a '.', '..' or empty "
				"component; write the path it means",
				a->key[OL_KEY_LEARN], path);
		p = end;
	}
	return 0;
}

int ol_annotations_options(const struct ol_annotations *a, const char *profile_text,
			   struct ol_strv *out, struct ol_error *err)
{
	int r = 0;

	if (a->value[OL_KEY_LEARN]) {
		if (check_learn(a, err) < 0)
			return -err->code;
		if (check_length("the value", a->key[OL_KEY_LEARN], strlen(a->value[OL_KEY_LEARN]),
				 err) < 0)
			return -err->code;
		return push_option(out, a, OL_KEY_LEARN) < 0 ? ol_error_oom(err) : 0;
	}

	if (profile_text &&
	    check_length("the profile", a->key[OL_KEY_PROFILE], strlen(profile_text), err) < 0)
		return -err->code;
	for (size_t i = 0; i < OL_KEY_COUNT; i++)
		if (a->value[i] &&
		    check_length("the value", a->key[i], strlen(a->value[i]), err) < 0)
			return -err->code;

	if (!gives_policy(a))
		return no_policy(a, err);
	for (size_t k = 0; r == 0 && k < OL_KEY_COUNT; k++)
		if (ol_words[k].kind == OL_WORD_SETTING && a->value[k])
			r = push_option(out, a, (enum ol_word) k);
	if (r == 0 && profile_text) {
		r = ol_strv_pushf(out, "--layer=profile '%s'", a->value[OL_KEY_PROFILE]);
		if (r == 0)
			r = ol_strv_pushf(out, "--%s", ol_words[OL_KEY_POLICY].option);
		if (r == 0)
			r = ol_strv_push(out, profile_text);
	}
	if (r == 0 && has_layer_keys(a))
		r = ol_strv_push(out, "--layer=" OL_ANNOTATIONS_LAYER);
	for (size_t k = 0; r == 0 && k < OL_KEY_COUNT; k++)
		if (ol_words[k].kind == OL_WORD_RULES && a->value[k])
			r = push_option(out, a, (enum ol_word) k);
	if (r == 0 && a->value[OL_KEY_POLICY_FILE]) {
		r = ol_strv_pushf(out, "--layer=policy file '%s'", a->value[OL_KEY_POLICY_FILE]);
		if (r == 0)
			r = push_option(out, a, OL_KEY_POLICY_FILE);
	}
	return r < 0 ? ol_error_oom(err) : 0;
}

void ol_compiled_free(struct ol_compiled *c)
{
	ol_layers_free(c->layers, c->n_layers);
	memset(c, 0, sizeof(*c));
}

static int add_layer(struct ol_compiled *c, const char *source, struct ol_ruleset **out,
		     struct ol_error *err)
{
	*out = ol_layers_add(&c->layers, &c->n_layers, source);
	return *out ? 0 : ol_error_oom(err);
}

/*
 * Paths in annotations are resolved inside the container, relative to a
 * working directory the annotation's author may not know: only absolute
 * ones are taken.
 */
static int not_absolute(const char *path, int len, struct ol_error *err)
{
	ol_error_set(err, EINVAL, "'%.*s' is not an absolute path", len, path);
	return ol_error_hint(err,
			     "paths are resolved inside the container: write them from its root, "
			     "such as /usr");
}

static int absolute_paths(const char *list, struct ol_error *err)
{
	for (const char *p = list; *p;) {
		const char *end = strchrnul(p, ':');
		if (end != p && *p != '/')
			return not_absolute(p, (int) (end - p), err);
		p = *end ? end + 1 : end;
	}
	return 0;
}

/* The same for the paths of a landlockconfig document (its variables expanded). */
static int absolute_rules(const struct ol_ruleset *rs, struct ol_error *err)
{
	for (size_t i = 0; i < rs->n_paths; i++) {
		if (rs->paths[i].path[0] != '/')
			return not_absolute(rs->paths[i].path, -1, err);
	}
	return 0;
}

/* One annotation of the "annotations" layer into that layer. */
static int compile_key(const struct ol_annotations *a, enum ol_word k, struct ol_ruleset *rs,
		       struct ol_error *err)
{
	const struct ol_word_info *w = &ol_words[k];
	const char *v = a->value[k];

	if (w->paths && absolute_paths(v, err) < 0)
		return -err->code;
	if (w->rules(rs, w->param, v, err) < 0)
		return -err->code;
	return k == OL_KEY_POLICY ? absolute_rules(rs, err) : 0;
}

int ol_annotations_compile(const struct ol_annotations *a, const char *profile_text,
			   struct ol_compiled *out, struct ol_error *err)
{
	struct ol_ruleset *rs = NULL;
	int r = 0;

	memset(out, 0, sizeof(*out));
	ol_enforcement_init(&out->enforce);
	if (a->value[OL_KEY_LEARN]) {
		out->learn = a->value[OL_KEY_LEARN];
		return check_learn(a, err);
	}
	if (!gives_policy(a))
		return no_policy(a, err);
	for (size_t k = 0; k < OL_KEY_COUNT; k++)
		if (ol_words[k].kind == OL_WORD_SETTING && a->value[k] &&
		    ol_words[k].setting(&out->enforce, a->value[k], err) < 0)
			return ol_error_prefix(err, "invalid annotation '%s'", a->key[k]);
	if (profile_text) {
		cleanup_free char *source = NULL;
		if (asprintf(&source, "profile '%s'", a->value[OL_KEY_PROFILE]) < 0)
			return ol_error_oom(err);
		r = add_layer(out, source, &rs, err);
		if (r < 0)
			return r;
		if (ol_landlockconfig_parse(profile_text, strlen(profile_text), rs, err) < 0 ||
		    absolute_rules(rs, err) < 0)
			return ol_error_prefix(err, "invalid profile '%s' (annotation '%s')",
					       a->value[OL_KEY_PROFILE], a->key[OL_KEY_PROFILE]);
	}
	if (has_layer_keys(a) && (r = add_layer(out, OL_ANNOTATIONS_LAYER, &rs, err)) < 0)
		return r;
	for (size_t k = 0; k < OL_KEY_COUNT; k++)
		if (ol_words[k].kind == OL_WORD_RULES && a->value[k] &&
		    compile_key(a, (enum ol_word) k, rs, err) < 0)
			return ol_error_prefix(err, "invalid annotation '%s'", a->key[k]);
	out->policy_file = a->value[OL_KEY_POLICY_FILE];
	if (out->policy_file && out->policy_file[0] != '/')
		return ol_error_set(err, EINVAL,
				    "invalid annotation '%s': expected an absolute path in the "
				    "container, found '%s'",
				    a->key[OL_KEY_POLICY_FILE], out->policy_file);
	/* The launcher reads JSON only (it has no TOML parser): say so here,
	 * not inside the container. */
	if (out->policy_file && strlen(out->policy_file) > 5 &&
	    strcmp(out->policy_file + strlen(out->policy_file) - 5, ".toml") == 0) {
		ol_error_set(err, EINVAL,
			     "invalid annotation '%s': '%s' is TOML, and the launcher reads a "
			     "policy file as JSON",
			     a->key[OL_KEY_POLICY_FILE], out->policy_file);
		return ol_error_hint(err, "put 'oci-landlock convert FILE.toml' output in the "
					  "image, and name that file");
	}
	return 0;
}
