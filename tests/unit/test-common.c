/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for common/: the error object and how programs print it,
 * strict numbers, edit distances and suggestions, array growth, string
 * vectors, the pipe-and-fork.
 */
#include "helpers.h"

#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/array.h"
#include "common/buf.h"
#include "common/error.h"
#include "common/fileio.h"
#include "common/process.h"
#include "common/strv.h"
#include "common/text.h"

/* A buffer never appended to is handed over as "", NUL-terminated. */
static void test_buf_steal_empty(void **state)
{
	(void) state;
	struct ol_buf b = { 0 };
	size_t len = 1;
	char *s = ol_buf_steal(&b, &len);

	assert_non_null(s);
	assert_int_equal(len, 0);
	assert_string_equal(s, "");
	assert_null(b.data);
	free(s);
}

static void test_error_object(void **state)
{
	struct ol_error err = { 0 };
	char long_text[2000];

	(void) state;
	assert_int_equal(ol_error_set(&err, ENOENT, "no %s", "file"), -ENOENT);
	assert_string_equal(err.msg, "no file");
	assert_int_equal(ol_error_hint(&err, "create %s", "it"), -ENOENT);
	assert_string_equal(err.hint, "create it");
	/* A new error forgets the old hint; a prefix keeps the code. */
	assert_int_equal(ol_error_set(&err, 0, "bad"), -EINVAL);
	assert_string_equal(err.hint, "");
	assert_int_equal(ol_error_prefix(&err, "annotation '%s'", "k"), -EINVAL);
	assert_string_equal(err.msg, "annotation 'k': bad");
	assert_int_equal(ol_error_errno(&err, EACCES, "cannot open '%s'", "/x"), -EACCES);
	assert_string_equal(err.msg, "cannot open '/x': Permission denied");
	assert_int_equal(ol_error_oom(&err), -ENOMEM);
	assert_string_equal(err.msg, "out of memory");
	/* A hint on no error yet still makes the call fail. */
	ol_error_clear(&err);
	assert_int_equal(ol_error_hint(&err, "x"), -EINVAL);
	/* Truncation shows. */
	memset(long_text, 'a', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	ol_error_set(&err, EINVAL, "%s", long_text);
	assert_int_equal(strlen(err.msg), sizeof(err.msg) - 1);
	assert_string_equal(err.msg + sizeof(err.msg) - 4, "...");
}

static void test_error_format(void **state)
{
	struct ol_error err = { 0 };
	char text[OL_ERROR_TEXT_MAX];

	(void) state;
	ol_error_set(&err, EINVAL, "bad value");
	assert_string_equal(ol_error_format(&err, "prog", OL_ERROR_LINES, text, sizeof(text)),
			    "prog: bad value");
	assert_string_equal(ol_error_format(&err, NULL, OL_ERROR_ONE_LINE, text, sizeof(text)),
			    "bad value");
	ol_error_hint(&err, "fix it");
	assert_string_equal(ol_error_format(&err, "prog", OL_ERROR_LINES, text, sizeof(text)),
			    "prog: bad value\nHint: fix it");
	assert_string_equal(ol_error_format(&err, NULL, OL_ERROR_LINES, text, sizeof(text)),
			    "bad value\nHint: fix it");
	assert_string_equal(ol_error_format(&err, "prog", OL_ERROR_ONE_LINE, text, sizeof(text)),
			    "prog: bad value (Hint: fix it)");
	/* The longest message and hint fit whole. */
	memset(err.msg, 'm', sizeof(err.msg) - 1);
	memset(err.hint, 'h', sizeof(err.hint) - 1);
	ol_error_format(&err, "oci-landlock-runtime", OL_ERROR_ONE_LINE, text, sizeof(text));
	assert_int_equal(strlen(text), strlen("oci-landlock-runtime: ") + sizeof(err.msg) - 1 +
					       strlen(" (Hint: ") + sizeof(err.hint) - 1 + 1);
}

static void test_parse_uint(void **state)
{
	uint64_t v = 7;

	(void) state;
	assert_int_equal(ol_parse_uint("65535", 5, 65535, &v), 0);
	assert_int_equal(v, 65535);
	assert_int_equal(ol_parse_uint("65536", 5, 65535, &v), -ERANGE);
	assert_int_equal(ol_parse_uint("18446744073709551615", 20, UINT64_MAX, &v), 0);
	assert_true(v == UINT64_MAX);
	assert_int_equal(ol_parse_uint("18446744073709551616", 20, UINT64_MAX, &v), -ERANGE);
	assert_int_equal(ol_parse_uint("0", 1, 0, &v), 0);
	assert_int_equal(v, 0);
	/* Only digits: no sign, space, base prefix or empty text. */
	v = 7;
	assert_int_equal(ol_parse_uint("+1", 2, 10, &v), -EINVAL);
	assert_int_equal(ol_parse_uint(" 1", 2, 10, &v), -EINVAL);
	assert_int_equal(ol_parse_uint("0x1", 3, 10, &v), -EINVAL);
	assert_int_equal(ol_parse_uint("", 0, 10, &v), -EINVAL);
	/* The length counts, not the NUL. */
	assert_int_equal(ol_parse_uint("12x", 2, 100, &v), 0);
	assert_int_equal(v, 12);
}

static size_t distance(const char *a, const char *b)
{
	return ol_edit_distance(a, strlen(a), b, strlen(b));
}

static void test_edit_distance(void **state)
{
	char long_name[65];

	(void) state;
	assert_int_equal(distance("scope", "scope"), 0);
	assert_int_equal(distance("", "abc"), 3);
	assert_int_equal(distance("fs.r0", "fs.ro"), 1);    /* changed */
	assert_int_equal(distance("fs.rw", "fs.rwx"), 1);   /* added */
	assert_int_equal(distance("fs.or", "fs.ro"), 1);    /* swapped */
	assert_int_equal(distance("signals", "signal"), 1); /* removed */
	assert_int_equal(distance("kitten", "sitting"), 3);
	assert_int_equal(distance("ca", "abc"), 3); /* a swap is not then edited again */
	memset(long_name, 'a', 64);
	long_name[64] = '\0';
	assert_true(distance(long_name, "a") == SIZE_MAX);
	long_name[63] = '\0';
	assert_int_equal(distance(long_name, long_name), 0);
}

static void test_suggestions(void **state)
{
	static const char *const kinds[] = { "unix", "tcp", "udp", "raw" };
	struct ol_suggestion s;
	char buf[64];

	(void) state;
	ol_suggest_init(&s, "udpp", 4);
	for (size_t i = 0; i < 4; i++)
		ol_suggest_try(&s, kinds[i]);
	assert_string_equal(s.best, "udp");
	assert_string_equal(ol_did_you_mean(s.best, "", '\'', buf, sizeof(buf)),
			    " (did you mean 'udp'?)");
	assert_string_equal(ol_did_you_mean("fs.ro", "oci.landlock.", '"', buf, sizeof(buf)),
			    " (did you mean \"oci.landlock.fs.ro\"?)");
	/* Three edits away is no suggestion; the length given counts. */
	ol_suggest_init(&s, "netlinks", 8);
	for (size_t i = 0; i < 4; i++)
		ol_suggest_try(&s, kinds[i]);
	assert_null(s.best);
	assert_string_equal(ol_did_you_mean(s.best, "", '\'', buf, sizeof(buf)), "");
	ol_suggest_init(&s, "tcpxyz", 3);
	ol_suggest_try(&s, "tcp");
	assert_string_equal(s.best, "tcp");
	assert_int_equal(s.distance, 0);
}

static void test_array_reserve(void **state)
{
	size_t cap = 0, n = 0;
	int *v = NULL;

	(void) state;
	for (int i = 0; i < 1000; i++) {
		assert_int_equal(OL_ARRAY_RESERVE(v, cap, n + 1), 0);
		assert_true(cap >= n + 1);
		v[n++] = i;
	}
	assert_int_equal(cap, 1024);
	for (int i = 0; i < 1000; i++)
		assert_int_equal(v[i], i);
	/* Enough room: nothing moves. */
	{
		int *before = v;
		assert_int_equal(OL_ARRAY_RESERVE(v, cap, 1024), 0);
		assert_ptr_equal(v, before);
	}
	/* A size that overflows fails and leaves the array as it was. */
	assert_int_equal(OL_ARRAY_RESERVE(v, cap, SIZE_MAX), -ENOMEM);
	assert_int_equal(cap, 1024);
	assert_int_equal(v[999], 999);
	free(v);
}

static void test_strv(void **state)
{
	struct ol_strv s = { 0 };

	(void) state;
	for (int i = 0; i < 20; i++)
		assert_int_equal(ol_strv_pushf(&s, "item %d", i), 0);
	assert_int_equal(ol_strv_push(&s, "last"), 0);
	assert_int_equal(s.n, 21);
	assert_string_equal(s.v[0], "item 0");
	assert_string_equal(s.v[19], "item 19");
	assert_string_equal(s.v[20], "last");
	assert_null(s.v[21]); /* always NULL-terminated, as argv */
	ol_strv_free(&s);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
}

static void test_fork_with_pipe(void **state)
{
	struct ol_error err = { 0 };
	int fds[2], status;
	char c = 0;
	pid_t pid;

	(void) state;
	pid = ol_fork_with_pipe(fds, &err);
	assert_true(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		_exit(write(fds[1], "x", 1) == 1 ? 0 : 1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &c, 1), 1);
	assert_int_equal(c, 'x');
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* One shell word, whatever the bytes: '\'' for each quote. */
static void test_shell_quote(void **state)
{
	struct ol_buf b = { 0 };

	(void) state;
	assert_int_equal(ol_shell_quote(&b, "it's a \"x\" $(y)\n"), 0);
	assert_int_equal(ol_shell_quote(&b, ""), 0);
	assert_string_equal(b.data, "'it'\\''s a \"x\" $(y)\n'''");
	ol_buf_free(&b);
	/* An escape sequence is written out, never shown raw (bash reads
	 * this back as the very bytes). */
	assert_int_equal(ol_shell_quote(&b, "a\x1b[2J'\\\r\xc3\xa9"), 0);
	assert_string_equal(b.data, "$'a\\x1b[2J\\'\\\\\\x0d\\xc3\\xa9'");
	ol_buf_free(&b);
}

/* Controls written out, UTF-8 text kept, cut to the buffer whole. */
static void test_printable(void **state)
{
	char buf[64], small[6];

	(void) state;
	assert_string_equal(ol_printable("a\nb\x1b[1A\r\x7f", buf, sizeof(buf)),
			    "a\\x0ab\\x1b[1A\\x0d\\x7f");
	assert_string_equal(ol_printable("caf\xc3\xa9 \xc2\x9b"
					 "2J",
					 buf, sizeof(buf)),
			    "caf\xc3\xa9 \\u009b2J");
	assert_string_equal(ol_printable("ab\ncd", small, sizeof(small)), "ab");
}

/* Looked at before it is opened: no device, FIFO or file of the kernel's. */
static void test_read_file_refusals(void **state)
{
	struct ol_error err = { 0 };
	char *text = NULL;
	size_t len;

	(void) state;
	assert_int_equal(ol_read_file("/dev/null", 64, &text, &len, &err), -EINVAL);
	assert_string_equal(err.msg, "'/dev/null' is not a regular file");
	assert_int_equal(ol_read_file("/proc/self/stat", 4096, &text, &len, &err), -EINVAL);
	assert_string_equal(err.msg, "'/proc/self/stat' is a file of the kernel's (/proc, /sys)");
	assert_int_equal(ol_read_kernel_file("/proc/self/stat", 4096, &text, &len, &err), 0);
	assert_true(len > 0);
	free(text);
}

/* A message cut to its buffer is still text: never inside a character. */
static void test_error_cut_between_characters(void **state)
{
	struct ol_error err = { 0 };
	char value[2000];

	(void) state;
	for (size_t i = 0; i + 2 < sizeof(value); i += 2)
		memcpy(value + i, "\xc3\xa9", 2);
	value[sizeof(value) - 2] = '\0';
	ol_error_set(&err, EINVAL, "x%s", value);
	assert_string_equal(err.msg + strlen(err.msg) - 5, "\xc3\xa9...");
	assert_int_equal(strlen(err.msg) % 2, 0); /* "x", whole pairs, "..." */
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_buf_steal_empty),
	cmocka_unit_test(test_error_object),
	cmocka_unit_test(test_error_format),
	cmocka_unit_test(test_parse_uint),
	cmocka_unit_test(test_edit_distance),
	cmocka_unit_test(test_suggestions),
	cmocka_unit_test(test_array_reserve),
	cmocka_unit_test(test_strv),
	cmocka_unit_test(test_fork_with_pipe),
	cmocka_unit_test(test_shell_quote),
	cmocka_unit_test(test_printable),
	cmocka_unit_test(test_read_file_refusals),
	cmocka_unit_test(test_error_cut_between_characters),
};

OL_UNIT_MAIN(tests)
