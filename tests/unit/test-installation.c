/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for what `oci-landlock doctor` reads (host/podman-conf.c,
 * host/installation.c): the keys of containers.conf that matter, over
 * the forms podman's own files use, merged as podman merges files, and
 * each error with its line; wrappers in the installer's two-line and the
 * one-line form, and scripts that are not wrappers; hooks.d files, ours
 * and others'; a program's ELF interpreter.
 */
#include "helpers.h"

#include <errno.h>
#include <unistd.h>

#include "host/installation.h"
#include "host/podman-conf.h"

static int parse(const char *text, struct ol_podman_conf *conf, struct ol_error *err)
{
	return ol_podman_conf_parse(text, strlen(text), conf, err);
}

static void test_podman_conf_keys(void **state)
{
	(void) state;
	struct ol_podman_conf c = { 0 };
	struct ol_error err = { 0 };

	assert_int_equal(
		parse("# containers.conf\n"
		      "[containers]\n"
		      "default_capabilities = [\n  \"CHOWN\", # a comment\n  \"KILL\",\n]\n"
		      "log_size_max = -1\n"
		      "runtime = \"not-engine\"\n"
		      "[ engine ]\n"
		      "hooks_dir = ['/a/hooks.d', \"/b/hooks.d\"]  # two\n"
		      "runtime = \"landlock\"\n"
		      "events_logger = \"file\"\n"
		      "[engine.runtimes]\n"
		      "landlock = [\"/opt/w\", \"/usr/local/w\"]\n"
		      "\"crun-x\" = [\n\"/usr/bin/crun\"\n]\n"
		      "[network]\n"
		      "hooks_dir = [\"/not/engine\"]\n",
		      &c, &err),
		0);
	assert_true(c.hooks_dir_set);
	assert_int_equal(c.hooks_dirs.n, 2);
	assert_string_equal(c.hooks_dirs.v[0], "/a/hooks.d");
	assert_string_equal(c.hooks_dirs.v[1], "/b/hooks.d");
	assert_string_equal(c.runtime, "landlock");
	assert_int_equal(c.runtime_paths.n, 3);
	assert_string_equal(c.runtime_names.v[0], "landlock");
	assert_string_equal(c.runtime_paths.v[1], "/usr/local/w");
	assert_string_equal(c.runtime_names.v[2], "crun-x");
	assert_string_equal(c.runtime_paths.v[2], "/usr/bin/crun");
	/* A later file overrides hooks_dir and runtime, and adds runtimes. */
	assert_int_equal(parse("[engine]\nhooks_dir = []\nruntime = 'crun'\n"
			       "[engine.runtimes]\nkata = [\"/k\"]\n",
			       &c, &err),
			 0);
	assert_true(c.hooks_dir_set);
	assert_int_equal(c.hooks_dirs.n, 0);
	assert_string_equal(c.runtime, "crun");
	assert_int_equal(c.runtime_paths.n, 4);
	ol_podman_conf_free(&c);
}

static void test_podman_conf_errors(void **state)
{
	(void) state;
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "[engine]\nruntime = landlock\n", "line 2: runtime: expected a string" },
		{ "[engine]\n\nhooks_dir = \"/a\"\n",
		  "line 3: hooks_dir: expected an array of strings" },
		{ "[engine]\nhooks_dir = [\"/a\\n\"]\n",
		  "line 2: a string with an escape or without its end quote" },
		{ "[engine]\nhooks_dir = [\"/a\" \"/b\"]\n",
		  "line 2: expected ',' or ']' in the array" },
		{ "[engine\n", "line 1: a table header without its ']'" },
		{ "[engine.runtimes]\nx = [\"/a\"] y\n", "line 2: expected the end of the line" },
		{ "[engine.runtimes]\nx = \"/a\"\n",
		  "line 2: a runtime: expected an array of paths" },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ol_podman_conf c = { 0 };
		struct ol_error err = { 0 };
		assert_int_equal(parse(cases[i].text, &c, &err), -EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
		ol_podman_conf_free(&c);
	}
}

static char *write_file(const char *name, const char *text)
{
	char *path = NULL;
	FILE *f;

	assert_true(asprintf(&path, "/tmp/ol-installation-%d-%s", (int) getpid(), name) > 0);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	return path;
}

static void test_wrappers(void **state)
{
	(void) state;
	static const struct {
		const char *text, *settings, *program;
		int r;
	} cases[] = {
		{ "#!/bin/sh\n# Written by "
		  "oci-landlock-install\nOCI_LANDLOCK_CONFIG=/p/etc/x.json\n"
		  "export OCI_LANDLOCK_CONFIG\nexec /p/bin/oci-landlock-runtime \"$@\"\n",
		  "/p/etc/x.json", "/p/bin/oci-landlock-runtime", 1 },
		{ "#!/bin/sh\nOCI_LANDLOCK_CONFIG='/etc/b.json' exec "
		  "\"/usr/local/bin/oci-landlock-runtime\" \"$@\"\n",
		  "/etc/b.json", "/usr/local/bin/oci-landlock-runtime", 1 },
		/* No settings: the shim's default. */
		{ "#!/bin/sh\n  exec /usr/bin/oci-landlock-runtime \"$@\"\n", NULL,
		  "/usr/bin/oci-landlock-runtime", 1 },
		/* A comment that looks like one is not. */
		{ "#!/bin/sh\n# exec /usr/bin/oci-landlock-runtime\nexec /usr/bin/crun \"$@\"\n",
		  NULL, NULL, 0 },
		{ "\x7f"
		  "ELF\x02\x01\x01",
		  NULL, NULL, 0 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *path = write_file("wrapper", cases[i].text);
		struct ol_wrapper w = { 0 };
		struct ol_error err = { 0 };

		assert_int_equal(ol_wrapper_read(path, &w, &err), cases[i].r);
		if (cases[i].settings)
			assert_string_equal(w.settings, cases[i].settings);
		else
			assert_null(w.settings);
		if (cases[i].program)
			assert_string_equal(w.program, cases[i].program);
		else
			assert_null(w.program);
		ol_wrapper_free(&w);
		unlink(path);
		free(path);
	}
}

static void test_hooks_files(void **state)
{
	(void) state;
	char *ours = write_file(
		"ours.json", "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/usr/bin/oci-landlock\","
			     "\"args\":[\"oci-landlock\",\"hook\",\"precreate\"],\"env\":[]},"
			     "\"when\":{\"always\":true},\"stages\":[\"precreate\"]}");
	char *other = write_file("other.json", "{\"version\":\"1.0.0\",\"hook\":{\"path\":\"/x\"},"
					       "\"stages\":[\"prestart\"]}");
	char *bad = write_file("bad.json", "{\"hook\":{\"args\":[\"oci-landlock\"]}}");
	struct ol_hooks_file h;
	struct ol_error err = { 0 };

	assert_int_equal(ol_hooks_file_read(ours, &h, &err), 0);
	assert_true(h.ours);
	assert_string_equal(h.program, "/usr/bin/oci-landlock");
	assert_int_equal(h.args.n, 3);
	assert_string_equal(h.stages.v[0], "precreate");
	ol_hooks_file_free(&h);
	assert_int_equal(ol_hooks_file_read(other, &h, &err), 0);
	assert_false(h.ours);
	ol_hooks_file_free(&h);
	assert_int_equal(ol_hooks_file_read(bad, &h, &err), -EINVAL);
	assert_string_equal(err.msg, "expected a \"hook\" object with a \"path\"");
	ol_hooks_file_free(&h);
	for (char **p = (char *[]){ ours, other, bad, NULL }; *p; p++) {
		unlink(*p);
		free(*p);
	}
}

static void test_elf_interpreter(void **state)
{
	(void) state;
	char *text = write_file("text", "#!/bin/sh\n");
	struct ol_error err = { 0 };
	bool needs = false;

	/* This test program is dynamic (it links cmocka's shared library). */
	assert_int_equal(ol_elf_needs_interpreter("/proc/self/exe", &needs, &err), 0);
	assert_true(needs);
	assert_int_equal(ol_elf_needs_interpreter(text, &needs, &err), -ENOEXEC);
	assert_int_equal(ol_elf_needs_interpreter("/nonexistent", &needs, &err), -ENOENT);
	assert_string_equal(err.msg, "cannot read '/nonexistent': No such file or directory");
	unlink(text);
	free(text);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_podman_conf_keys), cmocka_unit_test(test_podman_conf_errors),
	cmocka_unit_test(test_wrappers),	 cmocka_unit_test(test_hooks_files),
	cmocka_unit_test(test_elf_interpreter),
};

OL_UNIT_MAIN(tests)
