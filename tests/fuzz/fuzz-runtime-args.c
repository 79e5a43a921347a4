/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Fuzz target: the runtime shim's command line.  The input is an argv,
 * its words separated by NUL bytes (a final NUL ends the last word); each
 * word is a heap block of its own, so a read past a word's end is caught.
 * What must hold: a refusal says why; on success the subcommand is a word
 * of argv and the flags agree with it, and every value returned (bundle,
 * process, log, log format) points into a word of argv after an option
 * or after its '='.  The result owns nothing, so there is nothing to free.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "host/runtime-args.h"

bool ol_fuzz_accepted;

#define MAX_WORDS 64

/*
 * v is NULL or a whole word argv[i] with first <= i < last whose previous
 * word is an option, or the part of an option word after its first '='.
 */
static bool value_of_option(const char *v, char *const argv[], int first, int last)
{
	if (!v)
		return true;
	for (int i = first; i < last; i++) {
		size_t n = strlen(argv[i]);
		const char *eq = strchr(argv[i], '=');
		if (v == argv[i] && i > first && argv[i - 1][0] == '-')
			return true;
		if (v > argv[i] && v <= argv[i] + n && argv[i][0] == '-' && v == eq + 1)
			return true;
	}
	return false;
}

static void check(int argc, char *const argv[], const struct ol_runtime_args *a)
{
	int c = a->command;
	const char *cmd = c >= 0 ? argv[c] : "";
	bool create = strcmp(cmd, "create") == 0 || strcmp(cmd, "run") == 0;

	if (c != -1 && (c < 1 || c >= argc))
		abort();
	if (a->rewrite != create || a->exec != (strcmp(cmd, "exec") == 0))
		abort();
	/* Global options before the subcommand, its own after it. */
	if (!value_of_option(a->log, argv, 0, c >= 0 ? c : argc) ||
	    !value_of_option(a->log_format, argv, 0, c >= 0 ? c : argc))
		abort();
	if (a->restore != (strcmp(cmd, "restore") == 0))
		abort();
	if (a->bundle && (!(a->rewrite || a->restore) || (a->rewrite && !a->bundle[0]) ||
			  !value_of_option(a->bundle, argv, c, argc)))
		abort();
	/* create and run: the container's id is a word after the command. */
	if (a->rewrite && a->id != -1 && (a->id <= c || a->id >= argc || argv[a->id][0] == '-'))
		abort();
	if (!a->exec) {
		if (a->process || (!a->rewrite && a->id != -1) || a->exec_command != -1 ||
		    a->preserve_fds != -1)
			abort();
		return;
	}
	/* --preserve-fds N: the word (and its value) among exec's options. */
	if (a->preserve_fds != -1 &&
	    (a->preserve_fds <= c || a->preserve_fds + !a->preserve_attached >= a->id ||
	     strncmp(argv[a->preserve_fds] + (argv[a->preserve_fds][1] == '-' ? 2 : 1),
		     "preserve-fds", 12) != 0))
		abort();
	if (a->id <= c || a->id >= argc || !value_of_option(a->process, argv, c, a->id))
		abort();
	if (a->exec_command != -1 && a->exec_command != a->id + 1)
		abort();
	if (a->exec_command == -1 && (a->id + 1 < argc || !a->process))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[MAX_WORDS + 1];
	struct ol_runtime_args a;
	struct ol_error err = { 0 };
	int argc = 0, r;

	for (size_t start = 0; start <= size && argc < MAX_WORDS;) {
		const uint8_t *nul = memchr(data + start, '\0', size - start);
		size_t end = nul ? (size_t) (nul - data) : size;

		if (start == size && argc > 0)
			break;
		argv[argc] = malloc(end - start + 1);
		if (!argv[argc])
			abort();
		memcpy(argv[argc], data + start, end - start);
		argv[argc++][end - start] = '\0';
		start = end + 1;
	}
	argv[argc] = NULL;

	r = ol_runtime_args_parse(argc, argv, &a, &err);
	if (r < 0 && (!err.msg[0] || r != -err.code))
		abort();
	if (r == 0)
		check(argc, argv, &a);
	ol_fuzz_accepted = r == 0;
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return 0;
}
