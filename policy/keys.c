/* SPDX-License-Identifier: Apache-2.0 */
/* The engines' keys, and near misses of our prefix. */
#include "keys.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/buf.h"
#include "common/text.h"
#include "keyfold-table.h"

/* One code point of the (valid UTF-8) key, advancing *i. */
static uint32_t next_cp(const unsigned char *s, size_t len, size_t *i)
{
	uint32_t c = s[(*i)++];
	int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;

	if (more)
		c &= 0x3fu >> more;
	for (; more && *i < len; more--)
		c = (c << 6) | (s[(*i)++] & 0x3f);
	return c;
}

static int compare_cp(const void *key, const void *entry)
{
	uint32_t a = *(const uint32_t *) key, b = ((const struct keyfold *) entry)->cp;

	return (a > b) - (a < b);
}

/*
 * A code point as a letter or digit of a key's skeleton: ASCII letters in
 * lower case, digits, and the forms of our prefix's letters that the
 * table lists (keyfold-table.h); 0 for anything else, which the skeleton
 * leaves out (separators, spaces, invisible characters).
 */
static char fold_cp(uint32_t c)
{
	const struct keyfold *f;

	if (c >= 'A' && c <= 'Z')
		return (char) (c - 'A' + 'a');
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return (char) c;
	if (c < 0x80)
		return 0;
	f = bsearch(&c, keyfold, sizeof(keyfold) / sizeof(keyfold[0]), sizeof(keyfold[0]),
		    compare_cp);
	return f ? f->to : 0;
}

#define PREFIX_LETTERS "ocilandlock"
#define SKELETON       (sizeof(PREFIX_LETTERS) + 1)

/*
 * The first letters of the key, folded: sk[k], and in at[k] the byte just
 * after the one that gave it.  Returns how many.
 */
static size_t skeleton(const char *key, size_t len, char sk[SKELETON], size_t at[SKELETON])
{
	size_t n = 0, i = 0;

	while (i < len && n < SKELETON) {
		char c = fold_cp(next_cp((const unsigned char *) key, len, &i));
		if (c) {
			sk[n] = c;
			at[n++] = i;
		}
	}
	return n;
}

/*
 * How many letters of the skeleton stand for the prefix: all of
 * "ocilandlock", or as many as make it with one typo (a letter missing,
 * added, changed, or two swapped); 0 when the key is no near miss.
 */
static size_t prefix_letters(const char *sk, size_t n)
{
	const size_t want = sizeof(PREFIX_LETTERS) - 1;
	/* The prefix's own length first: "landlocc" is a changed letter. */
	const size_t tries[] = { want, want - 1, want + 1 };

	for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]); t++)
		if (tries[t] <= n && ol_edit_distance(sk, tries[t], PREFIX_LETTERS, want) == 0)
			return tries[t];
	for (size_t t = 0; t < sizeof(tries) / sizeof(tries[0]); t++)
		if (tries[t] <= n && ol_edit_distance(sk, tries[t], PREFIX_LETTERS, want) <= 1)
			return tries[t];
	return 0;
}

bool ol_key_near_miss(const char *key, size_t len)
{
	size_t plen = strlen(OL_ANNOTATION_PREFIX), at[SKELETON];
	char sk[SKELETON];

	if (len >= plen && memcmp(key, OL_ANNOTATION_PREFIX, plen) == 0)
		return false;
	return prefix_letters(sk, skeleton(key, len, sk, at)) > 0;
}

int ol_key_near_miss_error(const char *key, size_t len, struct ol_error *err)
{
	size_t at[SKELETON], m, i, j;
	char sk[SKELETON];

	m = prefix_letters(sk, skeleton(key, len, sk, at));
	/* What follows the prefix, past what is no letter (a separator). */
	for (i = m ? at[m - 1] : 0; i < len; i = j) {
		j = i;
		if (fold_cp(next_cp((const unsigned char *) key, len, &j)))
			break;
	}
	ol_error_set(err, EINVAL,
		     "annotation '%.200s' is not an oci.landlock. key, but looks like one (did "
		     "you mean '" OL_ANNOTATION_PREFIX "%.200s'?)",
		     key, key + i);
	return ol_error_hint(
		err, "keys are written exactly oci.landlock.KEY, in lower case and with "
		     "dots; a near miss is refused rather than leave the container "
		     "unconfined, and the oci.landlock namespace is ours in every spelling");
}

#define CRI_NAME  "io.kubernetes.cri.container-name" /* containerd */
#define CRIO_NAME "io.kubernetes.container.name"     /* CRI-O */

int ol_engine_container_name(const struct ol_json *annotations, const char **out,
			     struct ol_error *err)
{
	const char *cri = ol_json_cstr(ol_json_get(annotations, CRI_NAME));
	const char *crio = ol_json_cstr(ol_json_get(annotations, CRIO_NAME));

	if (cri && crio && strcmp(cri, crio) != 0)
		return ol_error_set(err, EINVAL,
				    "annotations " CRI_NAME " ('%s') and " CRIO_NAME " ('%s') "
				    "disagree: which oci.landlock.KEY/NAME keys apply is unclear",
				    cri, crio);
	*out = cri ? cri : crio;
	return 0;
}

#define CRI_TYPE     "io.kubernetes.cri.container-type"	 /* containerd */
#define CRI_SANDBOX  "io.kubernetes.cri.sandbox-id"	 /* containerd */
#define CRIO_TYPE    "io.kubernetes.cri-o.ContainerType" /* CRI-O */
#define CRIO_SANDBOX "io.kubernetes.cri-o.SandboxID"	 /* CRI-O */

static bool claims_sandbox(const struct ol_json *annotations, const char *type_key)
{
	const char *type = ol_json_cstr(ol_json_get(annotations, type_key));

	return type && strcmp(type, "sandbox") == 0;
}

/* The engine's sandbox id names the container being created. */
static bool proven(const struct ol_json *annotations, const char *sandbox_key, const char *id)
{
	const char *sandbox = ol_json_cstr(ol_json_get(annotations, sandbox_key));

	return id && sandbox && strcmp(sandbox, id) == 0;
}

int ol_engine_sandbox(const struct ol_json *annotations, const char *id, bool *out,
		      struct ol_strv *warnings, struct ol_error *err)
{
	const char *cri = ol_json_cstr(ol_json_get(annotations, CRI_TYPE));
	const char *crio = ol_json_cstr(ol_json_get(annotations, CRIO_TYPE));
	bool cri_claim = claims_sandbox(annotations, CRI_TYPE);
	bool crio_claim = claims_sandbox(annotations, CRIO_TYPE);

	*out = false;
	if (cri && crio && strcmp(cri, crio) != 0)
		return ol_error_set(
			err, EINVAL,
			"annotations " CRI_TYPE " ('%s') and " CRIO_TYPE " ('%s') "
			"disagree: whether this is a pod's sandbox container is unclear",
			cri, crio);
	if (!cri_claim && !crio_claim)
		return 0;
	*out = (cri_claim && proven(annotations, CRI_SANDBOX, id)) ||
	       (crio_claim && proven(annotations, CRIO_SANDBOX, id));
	if (*out)
		return 0;
	if ((id ? ol_strv_pushf(warnings,
				"annotation %s says 'sandbox', but %s does not name this "
				"container: its oci.landlock. keys apply",
				cri_claim ? CRI_TYPE : CRIO_TYPE,
				cri_claim ? CRI_SANDBOX : CRIO_SANDBOX)
		: ol_strv_pushf(
			  warnings,
			  "annotation %s says 'sandbox', which only the container's id can "
			  "prove (the runtime shim checks it): its oci.landlock. keys apply here",
			  cri_claim ? CRI_TYPE : CRIO_TYPE)) < 0)
		return ol_error_oom(err);
	return 0;
}
