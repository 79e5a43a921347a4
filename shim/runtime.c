/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock-runtime: a stand-in for runc/crun, for engines without a
 * precreate hook (containerd, CRI-O, Kubernetes RuntimeClass).
 *
 * For `create` and `run` it rewrites BUNDLE/config.json for its Landlock
 * annotations (atomically; refusing the container if the policy is bad or,
 * in strict mode, the kernel cannot enforce it), then execs the real
 * runtime with the very same argv and environment.  For `exec` into such a
 * container it puts the launcher in front of the new process too (see
 * host/exec-wrap.c).  Every other subcommand execs the real runtime at once.  Errors go to stderr
 * and, as runc does, to the --log file in the --log-format the engine asked for, which is what
 * containerd shows.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/strv.h"
#include "common/text.h"
#include "host/exec-guard.h"
#include "host/exec-wrap.h"
#include "host/hook.h"
#include "host/runtime-args.h"
#include "host/settings.h"
#include "oci/json.h"

#define PROGRAM "oci-landlock-runtime"

extern char **environ;

/* One line in the engine's log file, in runc's format. */
static void log_line(const struct ol_runtime_args *a, const char *level, const char *msg)
{
	cleanup_json struct ol_json *line = ol_json_new(OL_JSON_OBJECT);
	cleanup_free char *text = NULL;
	struct ol_error err = { 0 };
	char when[64];
	time_t now = time(NULL);
	struct tm tm;
	int fd;

	if (!a->log || !line)
		return;
	if (strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&now, &tm)) == 0)
		when[0] = '\0';
	if (a->log_format && strcmp(a->log_format, "json") == 0) {
		if (ol_json_object_set(line, "level", ol_json_new_string(level)) < 0 ||
		    ol_json_object_set(line, "msg", ol_json_new_string(msg)) < 0 ||
		    ol_json_object_set(line, "time", ol_json_new_string(when)) < 0 ||
		    ol_json_emit(line, OL_JSON_COMPACT, &text, NULL, &err) < 0)
			return;
	} else {
		cleanup_buf struct ol_buf quoted = { 0 };
		/* logrus' text format: a quoted string, so no line can be forged. */
		for (const char *p = msg; *p; p++) {
			char esc[8];
			unsigned char c = (unsigned char) *p;
			if (c == '"' || c == '\\')
				snprintf(esc, sizeof(esc), "\\%c", c);
			else if (c < 0x20 || c == 0x7f)
				snprintf(esc, sizeof(esc), "\\x%02x", c);
			else
				snprintf(esc, sizeof(esc), "%c", c);
			ol_buf_puts(&quoted, esc);
		}
		if (asprintf(&text, "time=\"%s\" level=%s msg=\"%s\"", when, level,
			     quoted.data ? quoted.data : "") < 0) {
			text = NULL;
			return;
		}
	}
	fd = open(a->log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0644);
	if (fd < 0)
		return;
	if (write(fd, text, strlen(text)) < 0 || write(fd, "\n", 1) < 0)
		fprintf(stderr, PROGRAM ": cannot write the log '%s'\n", a->log);
	close(fd);
}

static int fail(const struct ol_runtime_args *a, const struct ol_error *err)
{
	char text[OL_ERROR_TEXT_MAX];

	fprintf(stderr, "%s\n", ol_error_format(err, PROGRAM, OL_ERROR_LINES, text, sizeof(text)));
	/* The engine shows the log's line as the runtime's: name the project. */
	log_line(a, "error",
		 ol_error_format(err, "oci-landlock", OL_ERROR_ONE_LINE, text, sizeof(text)));
	return 1;
}

/* For create and run: inject the launcher into the bundle, or refuse. */
static int rewrite(const struct ol_runtime_args *args, const char *id,
		   const struct ol_settings *settings, struct ol_error *err)
{
	cleanup_strv struct ol_strv warnings = { 0 };
	bool changed;
	/* Not synced to disk: the runtime reads it at once (see fileio.h). */
	int r = ol_hook_rewrite_bundle(args->bundle ? args->bundle : ".", id, settings, false,
				       &warnings, &changed, NULL, err);

	for (size_t i = 0; i < warnings.n; i++) {
		fprintf(stderr, PROGRAM ": warning: %s\n", warnings.v[i]);
		log_line(args, "warning", warnings.v[i]);
	}
	return r;
}

/*
 * Set, to the shim's PID, in the environment of the runtime the shim
 * execs (which keeps that PID) or, for a guarded exec session, runs as
 * its child.  No real runtime runs the shim: finding our own PID, our
 * parent's or our grandparent's on the way in means the runtime is the
 * shim itself, through a wrapper script that execs it or runs it as a
 * child (the path check cannot see through either), and it would run
 * itself for ever.  Another PID is some other shim's runtime that handed
 * its environment on further down (a nested engine, a hook): no loop.
 * runc and crun do not pass their own environment to the container.
 */
#define IN_SHIM "_OCI_LANDLOCK_RUNTIME_SHIM"

/* The parent of pid, or 0. */
static long parent_of(pid_t pid)
{
	char path[64], buf[512];
	cleanup_close int fd = -1;
	const char *paren;
	ssize_t n;
	long ppid = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int) pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	paren = strrchr(buf, ')');
	return paren && sscanf(paren + 1, " %*c %ld", &ppid) == 1 ? ppid : 0;
}

static bool looped(void)
{
	const char *v = getenv(IN_SHIM);
	uint64_t pid;

	if (!v || ol_parse_uint(v, strlen(v), INT32_MAX, &pid) < 0 || pid == 0)
		return false;
	/* The grandparent too: an exec session's runtime is the shim's child. */
	return pid == (uint64_t) getpid() || pid == (uint64_t) getppid() ||
	       pid == (uint64_t) parent_of(getppid());
}

static int ran_again(const char *runtime, struct ol_error *err)
{
	ol_error_set(err, ELOOP,
		     "the runtime '%s' runs oci-landlock-runtime again (a wrapper script around "
		     "the shim?)",
		     runtime);
	return ol_error_hint(err, "name the real runtime in the settings (\"runtime\"), such as "
				  "/usr/sbin/runc, or put it first in PATH");
}

/*
 * The settings of this runtime handler: --oci-landlock-settings FILE (a
 * Docker runtime's runtimeArgs; not podman's --runtime-flag, which podman
 * forgets on a restart: docs/settings.md), else
 * OCI_LANDLOCK_CONFIG (a wrapper script, for containerd's BinaryName and
 * containers.conf, which take no arguments), else the installed settings.
 * The engine's administrator chose each of them, not the container's
 * creator.
 */
static int load_settings(const char *file, struct ol_settings *s, struct ol_error *err)
{
	return file ? ol_settings_load_file(s, file, err) : ol_settings_load(s, err);
}

/*
 * --version: the runtime's own lines first (engines read them: "runc
 * version ..."), then one of ours, so that the shim can be told from the
 * runtime it stands in for.
 */
static int show_version(char **argv, const char *runtime)
{
	int status = 0;
	pid_t pid = fork();

	if (pid == 0) {
		execve(runtime, argv, environ);
		_exit(127);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0)
		status = 1 << 8;
	printf(PROGRAM " %s, running %s\n", OL_VERSION, runtime);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* Take the shim's own option out of the runtime's command line. */
static void drop_words(int *argc, char **argv, int at, int n)
{
	memmove(&argv[at], &argv[at + n], (size_t) (*argc - at - n + 1) * sizeof(*argv));
	*argc -= n;
}

/*
 * An exec session into a sandboxed container: the runtime runs under the
 * exec guard (exec-guard.h), and its status is the shim's.
 */
static int run_guarded(char **argv, const char *launcher, const struct ol_strv *expect,
		       const struct ol_runtime_args *args)
{
	struct ol_error err = { 0 };
	int status = 0;

	if (ol_exec_guard_run(argv, launcher, expect, &status, &err) < 0)
		return fail(args, &err);
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	/* Die of the same signal, as the runtime did, where it can be
	 * (raise() returns when the signal is blocked). */
	if (signal(WTERMSIG(status), SIG_DFL) != SIG_ERR)
		(void) !raise(WTERMSIG(status));
	return 128 + WTERMSIG(status);
}

int main(int argc, char **argv)
{
	cleanup_free char *runtime = NULL;
	const char *settings_file = NULL;
	struct ol_exec_plan plan = { 0 };
	struct ol_settings settings = { 0 };
	struct ol_runtime_args args;
	struct ol_error err = { 0 };
	char self[PATH_MAX];
	int r;

	if (!realpath("/proc/self/exe", self))
		self[0] = '\0';
	r = ol_runtime_args_parse(argc, argv, &args, &err);
	if (r == 0 && args.settings) {
		settings_file = args.settings;
		drop_words(&argc, argv, args.settings_at, args.settings_words);
		r = ol_runtime_args_parse(argc, argv, &args, &err);
	}
	if (r == 0)
		r = load_settings(settings_file, &settings, &err);
	if (r == 0)
		r = ol_settings_runtime(&settings, self[0] ? self : NULL, &runtime, &err);
	if (r == 0 && looped())
		r = ran_again(runtime, &err);
	if (r == 0 && args.rewrite)
		r = rewrite(&args, args.id >= 0 ? argv[args.id] : NULL, &settings, &err);
	if (r == 0 && args.restore)
		r = ol_hook_refuse_restore(args.bundle ? args.bundle : ".", &settings, &err);
	if (r == 0 && args.exec)
		r = ol_exec_wrap(&args, argc, argv, runtime, &settings, &plan, &err);
	if (r < 0)
		return fail(&args, &err);
	/* The same argv (but for an exec's command) and environment, with
	 * one variable more, for the loop above. */
	if (plan.argv)
		argv = plan.argv;
	argv[0] = runtime;
	snprintf(self, sizeof(self), "%d", (int) getpid());
	if (setenv(IN_SHIM, self, 1) < 0)
		ol_error_errno(&err, errno, "cannot set %s", IN_SHIM);
	else if (args.version && args.command < 0)
		return show_version(argv, runtime);
	else if (plan.expect.n)
		return run_guarded(argv, settings.launcher, &plan.expect, &args);
	else
		execve(runtime, argv, environ);
	ol_error_errno(&err, errno, "cannot execute the runtime '%s'", runtime);
	return fail(&args, &err);
}
