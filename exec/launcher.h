/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The launcher's command line turned into layers and settings.
 *
 * Parsing reads every policy (inline, from a file, shorthand) before the
 * kernel is asked anything, so a bad policy is reported with the option
 * that carried it and nothing has been restricted yet.
 */
#ifndef OL_EXEC_LAUNCHER_H
#define OL_EXEC_LAUNCHER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "common/error.h"
#include "sandbox/abi.h"
#include "policy/vocabulary.h"
#include "sandbox/ruleset.h"

/* Exit statuses of the launcher itself, as a shell reports them. */
#define OL_EXIT_CANNOT_RUN 126
#define OL_EXIT_NOT_FOUND  127

struct launcher {
	struct ol_ruleset *layers; /* in command-line order */
	size_t n_layers;
	long shorthand;		 /* index of the shorthand layer, or -1 */
	long named;		 /* index of the layer --layer opened last, or -1 */
	const char *error;	 /* --error: refuse to run with this message */
	const char *learn;	 /* --learn: the recording to write, or NULL */
	bool learn_exec;	 /* --learn-exec: an exec session's recording */
	const char *warnings[8]; /* --warning: what the host noticed */
	size_t n_warnings;
	struct ol_enforcement enforce; /* --mode, --log, --net-socket */
	char **command;		       /* points into argv */
	bool help;
	bool version;
};

int launcher_parse_args(struct launcher *l, int argc, char **argv, struct ol_error *err);
void launcher_free(struct launcher *l);

/*
 * Execute command[0] after a PATH search of our own, like execvp(3) but
 * able to say why it failed.  sandbox: the launcher whose layers are in
 * place, or NULL when none is.  Returns only on failure: the exit status
 * to use (126 or 127), with err filled in.
 */
int launcher_exec_in(char *const command[], const struct launcher *sandbox, struct ol_error *err);

/* The same, outside any sandbox of ours. */
static inline int launcher_exec(char *const command[], struct ol_error *err)
{
	return launcher_exec_in(command, NULL, err);
}

/*
 * Why the exec of file (command name, after the PATH search) failed with
 * e (EACCES or ENOENT), into err: what is missing or denied among the file
 * and its interpreters, and what would allow it.  Returns false when it
 * cannot tell, leaving err alone.
 */
bool launcher_explain(const char *name, const char *file, int e, const struct launcher *sandbox,
		      struct ol_error *err);

#endif
