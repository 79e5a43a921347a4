/* SPDX-License-Identifier: Apache-2.0 */
/*
 * exec sessions (podman exec, ctr task exec, kubectl exec) start a new
 * process in the container from outside it: it is not a child of the
 * sandboxed workload, so without the launcher it would run unconfined.
 * The shim finds the container's bundle (`RUNTIME state ID`), checks that
 * its config carries the launcher, and puts the launcher, with the same
 * options, in front of the new process: in its process.json, or on the
 * command line.
 */
#include "exec-wrap.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bundle.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/process.h"
#include "launcher-mount.h"
#include "oci/config.h"
#include "request.h"

extern char **environ;

/* Run `runtime <global options> state ID`: the bundle and the pid it names. */
static int state_bundle(const char *runtime, const struct ol_runtime_args *a, char **argv,
			char **bundle, pid_t *pid, struct ol_error *err)
{
	cleanup_strv struct ol_strv cmd = { 0 };
	cleanup_free char *out = NULL;
	cleanup_json struct ol_json *state = NULL;
	int pipefd[2], status = 0, r;
	size_t len;
	uint64_t n;
	pid_t child;

	if (ol_strv_push(&cmd, runtime) < 0)
		return ol_error_oom(err);
	for (int i = 1; i < a->command; i++)
		if (ol_strv_push(&cmd, argv[i]) < 0)
			return ol_error_oom(err);
	if (ol_strv_push(&cmd, "state") < 0 || ol_strv_push(&cmd, argv[a->id]) < 0)
		return ol_error_oom(err);
	child = ol_fork_with_pipe(pipefd, err);
	if (child < 0)
		return child;
	if (child == 0) {
		/* Its error, if any, is the exec's to tell (see below). */
		int null = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (dup2(pipefd[1], STDOUT_FILENO) < 0 || null < 0 || dup2(null, STDERR_FILENO) < 0)
			_exit(127);
		execve(runtime, cmd.v, environ);
		_exit(127);
	}
	close(pipefd[1]);
	r = ol_read_stream(pipefd[0], "the runtime's state", 1 << 20, &out, &len, err);
	close(pipefd[0]);
	while (waitpid(child, &status, 0) < 0 && errno == EINTR)
		;
	if (r < 0)
		return r;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
		return ol_error_set(err, ESRCH, "'%s state %s' failed", runtime, argv[a->id]);
	r = ol_json_parse(out, len, &ol_json_config_limits, &state, err);
	if (r < 0)
		return ol_error_prefix(err, "the state of container %s", argv[a->id]);
	if (!ol_json_cstr(ol_json_get(state, "bundle")) ||
	    ol_json_cstr(ol_json_get(state, "bundle"))[0] != '/')
		return ol_error_set(err, EINVAL, "the state of container %s names no bundle",
				    argv[a->id]);
	*pid = ol_json_uint(ol_json_get(state, "pid"), INT32_MAX, &n) == 0 ? (pid_t) n : 0;
	*bundle = strdup(ol_json_cstr(ol_json_get(state, "bundle")));
	return *bundle ? 0 : ol_error_oom(err);
}

/*
 * The container's layout, as it is now: its root directory's owner and
 * /proc, which the session runs the launcher through (launcher-mount.h).
 */
static int check_running(pid_t pid, const struct ol_json *config, struct ol_error *err)
{
	struct ol_gate_view view;
	int r;

	ol_gate_view_collect(pid, &view);
	r = ol_exec_mount_check(&view, config, err);
	ol_gate_view_free(&view);
	return r < 0 ? ol_error_prefix(err, "the launcher could be swapped") : 0;
}

/* The launcher's options in a config that carries it: args 1 up to "--". */
static int carried_options(const struct ol_json *config, struct ol_strv *options,
			   struct ol_error *err)
{
	cleanup_strv struct ol_strv args = { 0 };

	if (ol_config_args(config, &args) < 0)
		return ol_error_oom(err);
	for (size_t i = 1; i < args.n && strcmp(args.v[i], "--") != 0; i++) {
		/* Nothing applies here, so nothing asked to learn: not that way. */
		if (strcmp(args.v[i], "--learn") == 0)
			return ol_error_set(err, EPERM,
					    "the container's config asks exec sessions to learn, "
					    "which no settings here allow");
		if (ol_strv_push(options, args.v[i]) < 0)
			return ol_error_oom(err);
	}
	return 0;
}

/* Whether the container's process is the launcher, whichever host's. */
static bool runs_launcher(const struct ol_json *config)
{
	const char *first = ol_config_arg(config, 0);

	return first && strcmp(first, OL_LAUNCHER_IN_CONTAINER) == 0;
}

/* The launcher options of the container, checked against its config. */
static int container_options(const char *bundle, const char *id, pid_t pid,
			     const struct ol_settings *s, struct ol_strv *options, bool *sandboxed,
			     struct ol_error *err)
{
	struct ol_request req = { 0 };
	struct ol_error ignored = { 0 };
	struct ol_bundle b;
	int r = ol_bundle_open(bundle, &b, err);

	*sandboxed = false;
	if (r == 0)
		r = ol_request_build(b.config, id, s, &req, err);
	/*
	 * Started with the launcher, though nothing applies under the settings
	 * this exec got (an engine that gave the container's create other
	 * settings): the session gets the container's own options, as its
	 * config carries them, never none.
	 */
	if (r == 0 && !req.applies && runs_launcher(b.config)) {
		if (ol_config_check_injected(b.config, s->launcher, &ignored) < 0)
			r = ol_error_set(
				err, EPERM,
				"the container was started with a launcher that is not '%s' "
				"(other settings than this exec's)",
				s->launcher);
		if (r == 0)
			r = ol_bundle_check_private(&b, err);
		if (r == 0)
			r = check_running(pid, b.config, err);
		if (r == 0)
			r = carried_options(b.config, options, err);
		*sandboxed = r == 0;
	} else if (r == 0 && req.applies) {
		/* exec joins the container: it must be the sandboxed one. */
		if (ol_config_check_injected(b.config, s->launcher, err) < 0)
			r = ol_error_prefix(err,
					    "the container has Landlock annotations but was not "
					    "started with the launcher");
		else if ((r = ol_request_matches(&req, b.config, err)) == 0 &&
			 (r = ol_bundle_check_private(&b, err)) == 0 &&
			 (r = check_running(pid, b.config, err)) == 0)
			*sandboxed = true;
		for (size_t i = 0; r == 0 && i < req.options.n; i++)
			if (ol_strv_push(options, req.options.v[i]) < 0)
				r = ol_error_oom(err);
		/* Its own recording, beside the container's (learn-save.h). */
		if (r == 0 && req.compiled.learn && ol_strv_push(options, "--learn-exec") < 0)
			r = ol_error_oom(err);
	}
	ol_request_free(&req);
	ol_bundle_close(&b);
	return r;
}

/* Rewrite the exec's process.json, atomically, in its own directory; its
 * new args in expect. */
static int wrap_process_file(const char *path, const char *launcher, const struct ol_strv *options,
			     struct ol_strv *expect, struct ol_error *err)
{
	cleanup_free char *dir_copy = strdup(path);
	cleanup_free char *base_copy = strdup(path);
	cleanup_free char *text = NULL;
	cleanup_free char *out = NULL;
	cleanup_json struct ol_json *process = NULL;
	cleanup_close int dirfd = -1;
	cleanup_close int fd = -1;
	const char *base;
	size_t len;
	int r;

	if (!dir_copy || !base_copy)
		return ol_error_oom(err);
	base = basename(base_copy);
	dirfd = open(dirname(dir_copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return ol_error_errno(err, errno, "cannot open the directory of '%s'", path);
	fd = openat(dirfd, base, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot open '%s'", path);
	r = ol_read_fd(fd, path, ol_json_config_limits.max_bytes, &text, &len, err);
	if (r == 0)
		r = ol_config_parse(text, len, &process, err);
	if (r == 0)
		r = ol_process_wrap(process, launcher, options, err);
	if (r == 0 && ol_process_args(process, expect) < 0)
		r = ol_error_oom(err);
	if (r == 0)
		r = ol_json_emit(process, OL_JSON_COMPACT, &out, &len, err);
	if (r == 0)
		r = ol_replace_file_at(dirfd, base, out, len, false, err);
	if (r < 0)
		return ol_error_prefix(err, "the exec process '%s'", path);
	return 0;
}

/*
 * The launcher, as a descriptor the runtime passes on: an exec session
 * must not execute whatever its path in the container leads to now (the
 * workload or a neighbour may have had a hand in it).  runc and crun pass
 * descriptors 3 to 3+N-1 for --preserve-fds N, so the launcher becomes
 * descriptor 3+N and N one more; the runtime executes /proc/self/fd/3+N,
 * the host's file itself, and the launcher closes it before the command.
 */
static int launcher_descriptor(const struct ol_runtime_args *a, const struct ol_settings *s,
			       char *path, size_t size, struct ol_error *err)
{
	int want = 3 + (int) a->preserve_n, fd, r;
	const char *listen = getenv("LISTEN_FDS");

	/* crun counts socket-activation descriptors in too: no guessing. */
	if (listen && *listen)
		return ol_error_set(err, EINVAL,
				    "LISTEN_FDS is set: which descriptor the runtime would pass "
				    "the launcher as is unclear");
	if (ol_settings_check_launcher(s, err) < 0)
		return -err->code;
	if (fcntl(want, F_GETFD) >= 0)
		return ol_error_set(err, EBUSY,
				    "descriptor %d, where the launcher goes (after the %u the "
				    "runtime is asked to pass on), is already open",
				    want, a->preserve_n);
	fd = open(s->launcher, O_PATH | O_CLOEXEC);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot open the launcher '%s'", s->launcher);
	/* Not close-on-exec: it must reach the runtime and the container. */
	r = fd == want ? fcntl(fd, F_SETFD, 0) : dup2(fd, want);
	if (r < 0)
		r = -errno;
	if (fd != want)
		close(fd);
	if (r < 0)
		return ol_error_errno(err, -r, "cannot make the launcher descriptor %d", want);
	snprintf(path, size, "/proc/self/fd/%d", want);
	return 0;
}

static int push_all(struct ol_strv *v, char *const *items, int from, int to)
{
	for (int i = from; i < to; i++)
		if (ol_strv_push(v, items[i]) < 0)
			return -ENOMEM;
	return 0;
}

/*
 * The runtime's new command line: --preserve-fds one more, and for
 * `exec ID COMMAND...` the launcher in front of COMMAND.
 */
static int wrapped_argv(const struct ol_runtime_args *a, int argc, char **argv,
			const char *launcher, const struct ol_strv *options, struct ol_strv *out)
{
	int i = 0, r = 0;
	char preserve[40];

	snprintf(preserve, sizeof(preserve), "%s%u", a->preserve_fds < 0 ? "--preserve-fds=" : "",
		 a->preserve_n + 1);
	for (; r == 0 && i < argc; i++) {
		if (i == a->exec_command && !a->process) {
			r = ol_strv_push(out, launcher);
			r = r < 0 ? r : push_all(out, options->v, 0, (int) options->n);
			r = r < 0 ? r : ol_strv_push(out, "--");
		}
		if (r < 0)
			break;
		if (a->preserve_fds >= 0 && i == a->preserve_fds + !a->preserve_attached)
			r = a->preserve_attached ? ol_strv_pushf(out, "--preserve-fds=%s", preserve)
						 : ol_strv_push(out, preserve);
		else
			r = ol_strv_push(out, argv[i]);
		if (r == 0 && a->preserve_fds < 0 && i == a->command)
			r = ol_strv_push(out, preserve);
	}
	return r;
}

/* The command line form's: the launcher, the options, "--", the command. */
static int expect_command(const struct ol_runtime_args *a, int argc, char **argv,
			  const char *launcher, const struct ol_strv *options, struct ol_strv *out)
{
	if (ol_strv_push(out, launcher) < 0 || push_all(out, options->v, 0, (int) options->n) < 0 ||
	    ol_strv_push(out, "--") < 0 || push_all(out, argv, a->exec_command, argc) < 0)
		return -ENOMEM;
	return 0;
}

int ol_exec_wrap(const struct ol_runtime_args *a, int argc, char **argv, const char *runtime,
		 const struct ol_settings *s, struct ol_exec_plan *plan, struct ol_error *err)
{
	cleanup_strv struct ol_strv options = { 0 };
	cleanup_strv struct ol_strv wrapped = { 0 };
	cleanup_free char *bundle = NULL;
	char launcher[64];
	bool sandboxed = false;
	pid_t pid = 0;
	int r;

	plan->argv = NULL;
	r = state_bundle(runtime, a, argv, &bundle, &pid, err);
	/*
	 * The runtime could not find the container: its exec says so (once,
	 * as without the shim), and should the container appear meanwhile,
	 * the launcher refuses to run anything.
	 */
	if (r == -ESRCH) {
		struct ol_error missing = { 0 };
		ol_error_set(&missing, ESRCH,
			     "exec: container %s was not there when oci-landlock "
			     "looked",
			     argv[a->id]);
		r = ol_request_error_options(&missing, &options) < 0 ? -ENOMEM : 0;
		sandboxed = r == 0;
		if (r < 0)
			ol_error_oom(err);
	} else if (r == 0) {
		r = container_options(bundle, argv[a->id], pid, s, &options, &sandboxed, err);
	}
	if (r == 0 && sandboxed)
		r = launcher_descriptor(a, s, launcher, sizeof(launcher), err);
	if (r < 0)
		return ol_error_prefix(err, "exec in container %s", argv[a->id]);
	if (!sandboxed)
		return 0;
	if (a->process && wrap_process_file(a->process, launcher, &options, &plan->expect, err) < 0)
		return -err->code;
	if (!a->process && expect_command(a, argc, argv, launcher, &options, &plan->expect) < 0)
		return ol_error_oom(err);
	if (wrapped_argv(a, argc, argv, launcher, &options, &wrapped) < 0)
		return ol_error_oom(err);
	plan->argv = steal_pointer(&wrapped.v);
	wrapped.n = wrapped.cap = 0;
	return 0;
}
