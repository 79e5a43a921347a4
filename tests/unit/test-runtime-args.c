/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the runtime shim's command line: every runc and crun
 * spelling of the bundle, options after the container id, exec sessions,
 * and what it refuses to guess.
 */
#include "helpers.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "common/cleanup.h"
#include "host/runtime-args.h"

static void args_are(const char *line, int command, bool rewrite, const char *bundle,
		     const char *log, const char *log_format)
{
	cleanup_free char *copy = strdup(line);
	char *argv[32];
	int argc = 0;
	struct ol_runtime_args a;
	struct ol_error err = { 0 };

	for (char *tok = strtok(copy, " "); tok && argc < 31; tok = strtok(NULL, " "))
		argv[argc++] = tok;
	argv[argc] = NULL;
	if (ol_runtime_args_parse(argc, argv, &a, &err) < 0)
		fail_msg("%s: %s", line, err.msg);
	if (a.command != command || a.rewrite != rewrite)
		fail_msg("%s: command %d rewrite %d", line, a.command, a.rewrite);
	if ((bundle == NULL) != (a.bundle == NULL) || (bundle && strcmp(bundle, a.bundle)))
		fail_msg("%s: bundle %s", line, a.bundle ? a.bundle : "(none)");
	if ((log == NULL) != (a.log == NULL) || (log && strcmp(log, a.log)))
		fail_msg("%s: log %s", line, a.log ? a.log : "(none)");
	if ((log_format == NULL) != (a.log_format == NULL) ||
	    (log_format && strcmp(log_format, a.log_format)))
		fail_msg("%s: log-format %s", line, a.log_format ? a.log_format : "(none)");
}

static void test_runtime_args_bundle_spellings(void **state)
{
	(void) state;
	static const char *const lines[] = {
		"rt create --bundle /b id",
		"rt create --bundle=/b id",
		"rt create -b /b id",
		"rt create -b=/b id",
		"rt create -bundle /b id",
		"rt create -bundle=/b id",
		"rt create --b /b id",
		"rt create --b=/b id",
		"rt run -d -b /b id",
		"rt run --detach --bundle /b --keep id",
		"rt run --detach=true -b /b id",
		/* runc and crun both take options after the container id. */
		"rt create id -b /b",
		"rt run id --detach --bundle=/b --no-pivot",
		"rt create -b /x id --bundle /b",
	};
	for (size_t i = 0; i < OL_ARRAY_SIZE(lines); i++)
		args_are(lines[i], 1, true, "/b", NULL, NULL);
	/* As containerd calls runc. */
	args_are("rt --root /r --log /l.json --log-format json create --bundle /b --pid-file "
		 "/p --console-socket /s id",
		 7, true, "/b", "/l.json", "json");
	/* Values are skipped, even when they look like options. */
	args_are("rt create --pid-file -b --bundle /b id", 1, true, "/b", NULL, NULL);
	args_are("rt --log=/l --systemd-cgroup --debug create --preserve-fds 3 --no-pivot -b /x -b "
		 "/b id",
		 4, true, "/b", "/l", NULL);
	args_are("rt --cgroup-manager disabled --root /r run -b /b id", 5, true, "/b", NULL, NULL);
	/* No --bundle: the working directory.  After "--" nothing is an option. */
	args_are("rt create id", 1, true, NULL, NULL, NULL);
	args_are("rt create id -- -b /x", 1, true, NULL, NULL, NULL);
}

static void test_runtime_args_other_commands(void **state)
{
	(void) state;
	args_are("rt --root /r start id", 3, false, NULL, NULL, NULL);
	args_are("rt --root /r --log /l kill id 9", 5, false, NULL, "/l", NULL);
	args_are("rt delete --force id", 1, false, NULL, NULL, NULL);
	args_are("rt --log-format=json state id", 2, false, NULL, NULL, "json");
	args_are("rt exec --process /p id", 1, false, NULL, NULL, NULL);
	args_are("rt --version", -1, false, NULL, NULL, NULL);
	args_are("rt", -1, false, NULL, NULL, NULL);
	/* Other subcommands' options are theirs: passed through untouched. */
	args_are("rt checkpoint --image-path /i -b /x id", 1, false, NULL, NULL, NULL);
}

static void test_runtime_args_exec(void **state)
{
	(void) state;
	char *with_file[] = { "rt", "--root",	  "/r",	      "exec", "--pid-file", "/p",
			      "-p", "/proc.json", "--detach", "id",   NULL };
	char *with_command[] = { "rt", "exec",	  "-t", "--env", "A=1",
				 "id", "/bin/sh", "-c", "x",	 NULL };
	char *bad[] = { "rt", "exec", "--frob", "id", "sh", NULL };
	char *nothing[] = { "rt", "exec", "id", NULL };
	struct ol_runtime_args a;
	struct ol_error err = { 0 };

	assert_int_equal(ol_runtime_args_parse(10, with_file, &a, &err), 0);
	assert_true(a.exec && !a.rewrite);
	assert_string_equal(a.process, "/proc.json");
	assert_int_equal(a.id, 9);
	assert_int_equal(a.exec_command, -1);
	assert_int_equal(ol_runtime_args_parse(9, with_command, &a, &err), 0);
	assert_null(a.process);
	assert_int_equal(a.id, 5);
	assert_int_equal(a.exec_command, 6);
	assert_int_equal(ol_runtime_args_parse(5, bad, &a, &err), -EINVAL);
	assert_string_equal(err.msg, "exec option '--frob' is not one oci-landlock-runtime knows");
	assert_int_equal(ol_runtime_args_parse(3, nothing, &a, &err), -EINVAL);
	assert_string_equal(err.msg, "exec: neither --process nor a command");
}

static void args_fail(int argc, char **argv, const char *msg)
{
	struct ol_runtime_args a;
	struct ol_error err = { 0 };

	assert_int_equal(ol_runtime_args_parse(argc, argv, &a, &err), -EINVAL);
	assert_string_equal(err.msg, msg);
}

static void test_runtime_args_errors(void **state)
{
	(void) state;
	char *missing[] = { "rt", "--root", NULL };
	char *empty[] = { "rt", "create", "--bundle=", "id", NULL };
	char *no_value[] = { "rt", "create", "id", "-b", NULL };
	/* What crun's argp would read as the bundle, runc as something else. */
	char *attached[] = { "rt", "create", "-b/tmp/b", "id", NULL };
	char *abbreviated[] = { "rt", "create", "--bund=/tmp/b", "id", NULL };
	char *cluster[] = { "rt", "run", "-db", "/tmp/b", "id", NULL };
	char *config[] = { "rt", "create", "-f", "other.json", "id", NULL };
	char *unknown[] = { "rt", "create", "--frobnicate", "id", NULL };
	char *global[] = { "rt", "--new-global", "x", "create", "id", NULL };

	args_fail(2, missing, "option '--root' needs a value");
	args_fail(4, empty, "option --bundle is empty");
	args_fail(4, no_value, "option '-b' needs a value");
	args_fail(4, attached, "create option '-b/tmp/b' is not one oci-landlock-runtime knows");
	args_fail(4, abbreviated,
		  "create option '--bund=/tmp/b' is not one oci-landlock-runtime "
		  "knows");
	args_fail(5, cluster, "run option '-db' is not one oci-landlock-runtime knows");
	args_fail(5, config, "option '-f' is not supported");
	args_fail(4, unknown, "create option '--frobnicate' is not one oci-landlock-runtime knows");
	args_fail(5, global, "global option '--new-global' is not one oci-landlock-runtime knows");
}

/* The shim's own option, in both spellings, and where it is refused. */
static void test_runtime_args_settings(void **state)
{
	(void) state;
	char *attached[] = { "rt",     "--oci-landlock-settings=/etc/h.json",
			     "--root", "/r",
			     "create", "-b",
			     "/b",     "id",
			     NULL };
	char *apart[] = { "rt",		 "--root", "/r", "--oci-landlock-settings",
			  "/etc/h.json", "delete", "id", NULL };
	char *none[] = { "rt", "--root", "/r", "delete", "id", NULL };
	char *relative[] = { "rt", "--oci-landlock-settings=h.json", "create", "id", NULL };
	char *twice[] = {
		"rt", "--oci-landlock-settings=/a", "--oci-landlock-settings=/b", "create", "id",
		NULL
	};
	char *after[] = { "rt", "create", "--oci-landlock-settings=/a", "id", NULL };
	struct ol_runtime_args a;
	struct ol_error err = { 0 };

	assert_int_equal(ol_runtime_args_parse(8, attached, &a, &err), 0);
	assert_string_equal(a.settings, "/etc/h.json");
	assert_int_equal(a.settings_at, 1);
	assert_int_equal(a.settings_words, 1);
	assert_int_equal(a.command, 4);
	assert_string_equal(a.bundle, "/b");
	assert_int_equal(ol_runtime_args_parse(7, apart, &a, &err), 0);
	assert_string_equal(a.settings, "/etc/h.json");
	assert_int_equal(a.settings_at, 3);
	assert_int_equal(a.settings_words, 2);
	assert_int_equal(a.command, 5);
	/* Without it, nothing is recorded. */
	assert_int_equal(ol_runtime_args_parse(5, none, &a, &err), 0);
	assert_null(a.settings);
	args_fail(4, relative,
		  "option '--oci-landlock-settings': 'h.json' is not an absolute path");
	args_fail(5, twice, "option '--oci-landlock-settings' is given twice");
	/* A global option only: the runtime would get it after the command. */
	args_fail(4, after,
		  "create option '--oci-landlock-settings=/a' is not one oci-landlock-runtime "
		  "knows");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_runtime_args_settings),
	cmocka_unit_test(test_runtime_args_bundle_spellings),
	cmocka_unit_test(test_runtime_args_other_commands),
	cmocka_unit_test(test_runtime_args_errors),
	cmocka_unit_test(test_runtime_args_exec),
};

OL_UNIT_MAIN(tests)
