/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reading a runc-style command line, as containerd, CRI-O and podman write
 * it, without changing it: global options, the subcommand, and for
 * create/run the bundle.  Options follow Go's flag syntax: "-x" and "--x"
 * are the same, a value comes as "--x=v" or as the next argument.
 */
#ifndef OL_HOST_RUNTIME_ARGS_H
#define OL_HOST_RUNTIME_ARGS_H

#include <stdbool.h>

#include "common/error.h"

struct ol_runtime_args {
	int command;		/* argv index of the subcommand, or -1 */
	bool rewrite;		/* create or run: the bundle gets injected */
	bool restore;		/* restore: refused for a sandboxed container */
	const char *bundle;	/* --bundle/-b; NULL means the working directory */
	bool exec;		/* exec: the new process gets the launcher too */
	const char *process;	/* exec --process/-p: the process.json */
	int id;			/* create, run, exec: argv index of the container id, or -1 */
	int exec_command;	/* exec: argv index of the command, or -1 */
	int preserve_fds;	/* exec: argv index of --preserve-fds, or -1 */
	bool preserve_attached; /* its value is in the same word ("--preserve-fds=N") */
	unsigned preserve_n;	/* its value (0 without the option) */
	bool version;		/* global --version or -v: the runtime's, then ours */
	const char *log;	/* global --log */
	const char *log_format; /* global --log-format */
	/* The shim's own global option, --oci-landlock-settings FILE, which
	 * the runtime must not see: its value, its first word, its words. */
	const char *settings;
	int settings_at, settings_words;
};

/* The shim's own option: the settings file, for one runtime handler. */
#define OL_SHIM_SETTINGS_OPTION "oci-landlock-settings"

int ol_runtime_args_parse(int argc, char *const argv[], struct ol_runtime_args *out,
			  struct ol_error *err);

#endif
