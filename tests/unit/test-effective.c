/* SPDX-License-Identifier: Apache-2.0 */
/* Unit tests for the effective access of stacked layers, and check's advice. */
#include "helpers.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "policy/advice.h"
#include "policy/annotations.h"
#include "policy/effective.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

#define X   OL_LL_ACCESS_FS_EXECUTE
#define W   OL_LL_ACCESS_FS_WRITE_FILE
#define R   OL_LL_ACCESS_FS_READ_FILE
#define D   OL_LL_ACCESS_FS_READ_DIR
#define MD  OL_LL_ACCESS_FS_MAKE_DIR
#define REF OL_LL_ACCESS_FS_REFER
#define B   OL_LL_ACCESS_NET_BIND_TCP
#define C   OL_LL_ACCESS_NET_CONNECT_TCP

struct stack {
	struct ol_ruleset *layers;
	size_t n;
};

static struct ol_ruleset *layer(struct stack *s, uint64_t fs, uint64_t net)
{
	struct ol_ruleset *rs = ol_layers_add(&s->layers, &s->n, "test");

	assert_non_null(rs);
	rs->handled_fs = fs;
	rs->handled_net = net;
	return rs;
}

static void path(struct ol_ruleset *rs, const char *p, uint64_t access)
{
	assert_int_equal(ol_ruleset_add_path(rs, p, access), 0);
}

static void port(struct ol_ruleset *rs, uint64_t p, uint64_t access)
{
	assert_int_equal(ol_ruleset_add_port(rs, p, access), 0);
}

static void compute(struct stack *s, struct ol_effective *e)
{
	struct ol_error err = { 0 };

	assert_int_equal(ol_effective_compute(s->layers, s->n, OL_ABI_MAX, e, &err), 0);
	assert_int_equal(e->n_layers, s->n);
}

static const struct ol_effective_rule *find(const struct ol_effective *e, const char *p)
{
	for (size_t i = 0; i < e->n_paths; i++)
		if (strcmp(e->paths[i].path, p) == 0)
			return &e->paths[i];
	fail_msg("no effective rule for '%s'", p);
	return NULL;
}

static void assert_allowed(const struct ol_effective *e, const char *p, uint64_t want)
{
	const struct ol_effective_rule *r = find(e, p);

	if (r->allowed != want)
		fail_msg("'%s': allowed 0x%llx, expected 0x%llx", p,
			 (unsigned long long) r->allowed, (unsigned long long) want);
}

static void free_stack(struct stack *s)
{
	ol_layers_free(s->layers, s->n);
}

/* A right is allowed only where every layer that handles it allows it. */
static void test_intersection_per_path(void **state)
{
	/* Without refer, which no layer here grants (test_refer). */
	const uint64_t all = ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX) & ~REF;
	struct stack s = { 0 };
	struct ol_effective e;
	struct ol_ruleset *a, *b;

	(void) state;
	a = layer(&s, X | W | R | D | MD, 0);
	path(a, "/", X | R | D);
	path(a, "/srv/", W | R | D | MD); /* a trailing '/' names the same directory */
	b = layer(&s, X | W | R | D, 0);
	path(b, "/usr", X | R | D);
	path(b, "/srv", W | R | D);
	compute(&s, &e);
	/* Paths sorted, one each; "/srv/" and "/srv" are one. */
	assert_int_equal(e.n_paths, 3);
	assert_string_equal(e.paths[0].path, "/");
	assert_string_equal(e.paths[1].path, "/srv");
	assert_string_equal(e.paths[2].path, "/usr");
	/* "/": b names no ancestor of it, and handles X R D W: only what
	 * neither handles (everything but X W R D MD, minus a's MD). */
	assert_allowed(&e, "/", all & ~(X | W | R | D | MD));
	/* "/usr": a allows X R D beneath "/" (an ancestor), b on "/usr". */
	assert_allowed(&e, "/usr", (all & ~(X | W | R | D | MD)) | X | R | D);
	/* "/srv": a allows X R D (from "/") and W R D MD; b allows W R D and
	 * MD, which it does not handle: no X. */
	assert_allowed(&e, "/srv", (all & ~(X | W | R | D | MD)) | W | R | D | MD);
	assert_true(find(&e, "/srv")->layer[0] ==
		    ((all & ~(X | W | R | D | MD)) | X | W | R | D | MD));
	assert_true(find(&e, "/srv")->layer[1] == ((all & ~(X | W | R | D)) | W | R | D));
	/* What some rule grants there, for "layer N denies": only handled rights. */
	assert_true(find(&e, "/srv")->granted == (X | W | R | D | MD));
	/* A path no layer names: only what no layer handles. */
	assert_true(e.fs_elsewhere == (all & ~(X | W | R | D | MD)));
	ol_effective_free(&e);
	free_stack(&s);
}

/* A rule on "/usr" does not cover "/usrlocal": ancestors are components. */
static void test_ancestors_by_component(void **state)
{
	const uint64_t all = ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX) & ~REF;
	struct stack s = { 0 };
	struct ol_effective e;
	struct ol_ruleset *a, *b;

	(void) state;
	a = layer(&s, R, 0);
	path(a, "/usr", R);
	b = layer(&s, R, 0);
	path(b, "/usrlocal", R);
	path(b, "/usr/lib/x", R);
	compute(&s, &e);
	/* Only R is handled: every other right is allowed everywhere. */
	assert_allowed(&e, "/usr", all & ~R);
	assert_allowed(&e, "/usrlocal", all & ~R);
	assert_allowed(&e, "/usr/lib/x", all);
	ol_effective_free(&e);
	free_stack(&s);
}

/* A layer that handles no file-system right restricts no path. */
static void test_layer_without_fs_rights(void **state)
{
	const uint64_t all = ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX);
	struct stack s = { 0 };
	struct ol_effective e;
	struct ol_ruleset *a, *b;

	(void) state;
	a = layer(&s, all, 0);
	path(a, "/data", R | D);
	b = layer(&s, 0, C);
	b->scoped = OL_LL_SCOPE_SIGNAL;
	compute(&s, &e);
	assert_int_equal(e.n_paths, 1);
	assert_allowed(&e, "/data", R | D);
	assert_true(e.fs_elsewhere == 0);
	assert_true(e.scoped == OL_LL_SCOPE_SIGNAL);
	ol_effective_free(&e);
	free_stack(&s);
}

/*
 * Once a domain handles any file-system right, every layer denies refer
 * unless it grants it, even one that handles no file-system right.
 */
static void test_refer(void **state)
{
	const uint64_t all = ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX);
	struct stack s = { 0 };
	struct ol_effective e;
	struct ol_ruleset *a;

	(void) state;
	a = layer(&s, R | REF, 0);
	path(a, "/srv", R | REF);
	compute(&s, &e);
	assert_allowed(&e, "/srv", all);
	assert_true(e.fs_elsewhere == (all & ~(R | REF)));
	ol_effective_free(&e);
	/* A layer that handles only TCP denies refer here too. */
	layer(&s, 0, C);
	compute(&s, &e);
	assert_allowed(&e, "/srv", all & ~REF);
	assert_true(find(&e, "/srv")->layer[1] == (all & ~REF));
	assert_true(find(&e, "/srv")->granted == (R | REF));
	ol_effective_free(&e);
	free_stack(&s);
	/* A domain that handles no file-system right restricts no refer. */
	memset(&s, 0, sizeof(s));
	layer(&s, 0, C);
	compute(&s, &e);
	assert_true(e.fs_elsewhere == all);
	ol_effective_free(&e);
	free_stack(&s);
}

#define UDP (OL_LL_ACCESS_NET_BIND_UDP | OL_LL_ACCESS_NET_CONNECT_SEND_UDP)

/* Ports: the same rule, and neighbours with one verdict become a range. */
static void test_ports(void **state)
{
	struct stack s = { 0 };
	struct ol_effective e;
	struct ol_ruleset *a, *b;

	(void) state;
	a = layer(&s, 0, C);
	for (uint64_t p = 445; p >= 443; p--)
		port(a, p, C);
	port(a, 8080, C);
	b = layer(&s, 0, B | C);
	port(b, 443, C);
	port(b, 444, C);
	port(b, 445, C);
	port(b, 80, B);
	compute(&s, &e);
	assert_int_equal(e.n_ports, 3);
	assert_int_equal(e.ports[0].port, 80);
	assert_int_equal(e.ports[0].port_hi, 80);
	/* Neither layer handles the UDP rights (ABI 10): allowed on every port. */
	assert_true(e.ports[0].allowed == (B | UDP));
	assert_int_equal(e.ports[1].port, 443);
	assert_int_equal(e.ports[1].port_hi, 445);
	assert_true(e.ports[1].allowed == (C | UDP));
	assert_int_equal(e.ports[2].port, 8080);
	assert_true(e.ports[2].allowed == UDP);
	assert_true(e.ports[2].granted == C);
	assert_true(e.ports[2].layer[1] == UDP);
	assert_true(e.net_elsewhere == UDP);
	ol_effective_free(&e);
	free_stack(&s);
}

static void test_no_layers(void **state)
{
	struct ol_effective e;
	struct ol_error err = { 0 };

	(void) state;
	assert_int_equal(ol_effective_compute(NULL, 0, OL_ABI_MAX, &e, &err), 0);
	assert_int_equal(e.n_paths, 0);
	assert_int_equal(e.n_ports, 0);
	assert_true(e.fs_elsewhere == ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX));
	ol_effective_free(&e);
}

static void advise(const char *key, const char *value, struct ol_strv *out)
{
	char doc[512];
	struct ol_error err = { 0 };
	cleanup_json struct ol_json *root = NULL;
	struct ol_annotations a;

	snprintf(doc, sizeof(doc), "{\"%s\": \"%s\"}", key, value);
	assert_int_equal(ol_json_parse(doc, strlen(doc), &ol_json_config_limits, &root, &err), 0);
	assert_int_equal(ol_annotations_read(root, NULL, &a, &err), 0);
	assert_int_equal(ol_advice_annotations(&a, out), 0);
	ol_annotations_free(&a);
}

static void test_advice_on_separators(void **state)
{
	static const struct {
		const char *value, *warning;
	} cases[] = {
		{ "/usr,/etc", "annotation 'oci.landlock.fs.ro': the path '/usr,/etc' holds ',', "
			       "but paths are separated by ':': did you mean '/usr:/etc'?" },
		{ "/usr,,/etc:/srv", "annotation 'oci.landlock.fs.ro': the path '/usr,,/etc' holds "
				     "',', but paths are separated by ':': did you mean "
				     "'/usr:/etc'?" },
		{ "/srv:/usr,", "annotation 'oci.landlock.fs.ro': the path '/usr,' holds ',', but "
				"paths are separated by ':': did you mean '/usr'?" },
		{ "/usr;/etc", "annotation 'oci.landlock.fs.ro': the path '/usr;/etc' holds ';', "
			       "but paths are separated by ':': did you mean '/usr:/etc'?" },
		{ "/usr /etc", "annotation 'oci.landlock.fs.ro': the path '/usr /etc' holds a "
			       "space, but paths are separated by ':': did you mean '/usr:/etc'?" },
		{ "/usr, /etc", "annotation 'oci.landlock.fs.ro': the path '/usr, /etc' holds ',', "
				"but paths are separated by ':': did you mean '/usr:/etc'?" },
	};

	(void) state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		cleanup_strv struct ol_strv w = { 0 };
		advise("oci.landlock.fs.ro", cases[i].value, &w);
		assert_int_equal(w.n, 1);
		assert_string_equal(w.v[0], cases[i].warning);
	}
	/* Lists of ':' only, ports and other keys: nothing to say. */
	{
		cleanup_strv struct ol_strv w = { 0 };
		advise("oci.landlock.fs.rw", "/usr:/etc", &w);
		advise("oci.landlock.net.connect", "80,443", &w);
		advise("oci.landlock.scope", "signal, abstract_unix_socket", &w);
		assert_int_equal(w.n, 0);
	}
}

static void test_advice_on_relative_paths(void **state)
{
	const char *doc = "{\"pathBeneath\":[{\"allowedAccess\":[\"read_file\"],"
			  "\"parent\":[\"/usr\",\"usr/lib\",\"./srv\"]}]}";
	cleanup_strv struct ol_strv w = { 0 };
	struct ol_error err = { 0 };
	struct ol_ruleset rs;

	(void) state;
	assert_int_equal(ol_ruleset_init(&rs, "test"), 0);
	assert_int_equal(ol_landlockconfig_parse(doc, strlen(doc), &rs, &err), 0);
	assert_int_equal(ol_advice_relative(&rs, "p.json", &w), 0);
	assert_int_equal(w.n, 2);
	/* In the order of the sorted rules. */
	assert_string_equal(w.v[0], "p.json: './srv' is not an absolute path: the launcher "
				    "refuses it in a policy file, the host in a profile or an "
				    "annotation (write it from the container's root, such as "
				    "'/srv')");
	assert_string_equal(w.v[1], "p.json: 'usr/lib' is not an absolute path: the launcher "
				    "refuses it in a policy file, the host in a profile or an "
				    "annotation (write it from the container's root, such as "
				    "'/usr/lib')");
	ol_ruleset_free(&rs);
}

/* /bin and /usr/bin are one directory on a merged-/usr image, as the
 * launcher reads them: a rule on either allows on both. */
static void test_merged_usr(void **state)
{
	const uint64_t all = ol_rights_mask(OL_RIGHT_FS, OL_ABI_MAX) & ~REF;
	struct stack s = { 0 };
	struct ol_effective e;
	struct ol_ruleset *a, *b;

	(void) state;
	a = layer(&s, X | R, 0);
	path(a, "/bin", X | R);
	b = layer(&s, X | R, 0);
	path(b, "/usr/bin", X | R);
	path(b, "/binaries", X | R); /* not an alias */
	compute(&s, &e);
	assert_int_equal(e.n_paths, 2);
	assert_string_equal(e.paths[0].path, "/binaries");
	assert_string_equal(e.paths[1].path, "/usr/bin");
	assert_allowed(&e, "/usr/bin", all);
	assert_allowed(&e, "/binaries", all & ~(X | R)); /* layer 1 names none of it */
	ol_effective_free(&e);
	free_stack(&s);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_intersection_per_path),
	cmocka_unit_test(test_ancestors_by_component),
	cmocka_unit_test(test_layer_without_fs_rights),
	cmocka_unit_test(test_refer),
	cmocka_unit_test(test_ports),
	cmocka_unit_test(test_no_layers),
	cmocka_unit_test(test_merged_usr),
	cmocka_unit_test(test_advice_on_separators),
	cmocka_unit_test(test_advice_on_relative_paths),
};

OL_UNIT_MAIN(tests)
