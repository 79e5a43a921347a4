/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hook stages run as the oci-landlock command runs them: each in its
 * own cage (confine.h), with what must happen before the cage (the view,
 * the memfd helper, the exec guard) done first.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/process.h"
#include "confine.h"
#include "container-record.h"
#include "exec-guard.h"
#include "hook.h"
#include "memfd.h"
#include "oci/config.h"

/*
 * The gate must confine itself to reading the bundle's config.json, and
 * the bundle's path is in the state, next to the container's annotations.
 * A child that may read nothing parses the state and hands the process's
 * pid, the container's id ("?" when it is not one container-record.h
 * records) and the path back over a pipe ("PID ID BUNDLE").  Returns 0
 * with them, 1 when the state does not parse (the parent, confined, parses
 * it again for the message), or an error.
 */
static int bundle_of_state(const char *in, size_t len, int *process, char id[OL_RECORD_ID + 1],
			   char **bundle, struct ol_error *err)
{
	char buf[PATH_MAX + OL_RECORD_ID + 32];
	char *space;
	size_t got = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	pid = ol_fork_with_pipe(fds, err);
	if (pid < 0)
		return pid;
	if (pid == 0) {
		struct ol_state state;
		close(fds[0]);
		if (ol_hook_confine(NULL, 0, err) < 0)
			_exit(3);
		if (ol_state_parse(in, len, &state, err) < 0)
			_exit(1);
		_exit(dprintf(fds[1], "%d %s %s", state.pid,
			      state.id && ol_record_id_valid(state.id) ? state.id : "?",
			      state.bundle) < 0
			      ? 2
			      : 0);
	}
	close(fds[1]);
	while (got < sizeof(buf) && (n = read(fds[0], buf + got, sizeof(buf) - got)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		got += (size_t) n;
	}
	close(fds[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return ol_error_errno(err, errno, "cannot wait for the state parser");
	if (WIFEXITED(status) && WEXITSTATUS(status) == 1)
		return 1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || got == 0 || got >= sizeof(buf) ||
	    memchr(buf, '\0', got) || !(space = memchr(buf, ' ', got)) ||
	    !(space = memchr(space + 1, ' ', got - (size_t) (space + 1 - buf))) ||
	    space[1] != '/' || sscanf(buf, "%d %128s ", process, id) != 2)
		return ol_error_set(err, EIO,
				    "the state on stdin: the confined parser failed "
				    "(status %#x)",
				    (unsigned) status);
	*bundle = strndup(space + 1, got - (size_t) (space + 1 - buf));
	return *bundle ? 0 : ol_error_oom(err);
}

int ol_stage_precreate(const char *in, size_t len, const struct ol_settings *s, char **out,
		       size_t *out_len, struct ol_error *err)
{
	const struct ol_hook_path paths[] = { { s->profiles, OL_HOOK_READ } };

	if (ol_hook_confine(paths, 1, err) < 0)
		return -err->code;
	return ol_hook_precreate(in, len, s, out, out_len, err);
}

int ol_stage_gate(const char *in, size_t len, const struct ol_settings *s, struct ol_strv *warnings,
		  struct ol_error *err)
{
	cleanup_free char *bundle = NULL;
	cleanup_free char *config = NULL;
	struct ol_error ignored = { 0 };
	struct ol_memfd_helper memfd = { 0 };
	struct ol_gate_view view = { .proc_root = -1 };
	struct ol_gate_outcome out = { 0 };
	struct ol_exec_guard guard = { .ctl = -1, .ack = -1 };
	char id[OL_RECORD_ID + 1] = "";
	int pid = 0;
	int r = bundle_of_state(in, len, &pid, id, &bundle, err);

	if (r == 0 && asprintf(&config, "%s/config.json", bundle) < 0)
		r = ol_error_oom(err);
	/* Before the cage, which may write nothing: see container-record.h. */
	if (r == 0 && pid > 0 && ol_record_id_valid(id) && ol_record_is_container(pid) &&
	    ol_record_container(OL_RECORD_DIR, id, pid, &ignored) == -EPERM &&
	    ol_strv_pushf(warnings, "%s; 'oci-landlock denials' will not name this container",
			  ignored.msg) < 0)
		r = ol_error_oom(err);
	ol_error_clear(&ignored);
	/* What the cage would hide: see gate-view.h. */
	if (r == 0)
		ol_gate_view_collect(pid, &view);
	/* Before the cage, which refuses setns and ptrace: see memfd.h and
	 * exec-guard.h. */
	if (r == 0 && pid > 0) {
		ol_memfd_helper_start(pid, &memfd);
		ol_exec_guard_attach(pid, s->launcher, &guard);
	}
	if (r >= 0) {
		const struct ol_hook_path paths[] = { { s->profiles, OL_HOOK_READ },
						      { bundle, OL_HOOK_LIST },
						      { config, OL_LL_ACCESS_FS_READ_FILE } };
		r = ol_hook_confine(paths, 3, err);
	}
	if (r >= 0)
		r = ol_hook_gate(in, len, s, bundle, &view, &out, warnings, err);
	if (ol_memfd_helper_finish(&memfd, r >= 0 && out.restricts_exec, r >= 0 ? err : &ignored) <
	    0)
		r = -err->code;
	if (r >= 0 && out.restricts_exec && memfd.skipped &&
	    ol_strv_pushf(warnings, "memfds stay executable: %s", memfd.skipped) < 0)
		r = ol_error_oom(err);
	/* Last: armed, the guard follows the process from here on. */
	if (ol_exec_guard_arm(&guard, r >= 0 && out.guard.n ? &out.guard : NULL,
			      r >= 0 ? err : &ignored) < 0)
		r = -err->code;
	ol_strv_free(&out.guard);
	ol_gate_view_free(&view);
	return r < 0 ? r : 0;
}
