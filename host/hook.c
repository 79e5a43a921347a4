/* SPDX-License-Identifier: Apache-2.0 */
/* The hook stages and the bundle rewrite. */
#include "hook.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bundle.h"
#include "common/cleanup.h"
#include "common/text.h"
#include "launcher-mount.h"
#include "oci/config.h"
#include "request.h"
#include "sandbox/landlock-uapi.h"

static int copy_out(const char *in, size_t len, char **out, size_t *out_len, struct ol_error *err)
{
	*out = malloc(len + 1);
	if (!*out)
		return ol_error_oom(err);
	memcpy(*out, in, len);
	(*out)[len] = '\0';
	*out_len = len;
	return 0;
}

/* The launcher's first option: an injected config that already fails closed. */
static bool carries_error(const struct ol_json *config)
{
	const char *first = ol_config_arg(config, 1);

	return first && strcmp(first, "--error") == 0;
}

/*
 * A config that already carries the launcher (podman may run precreate
 * twice, or its creator wrote it so) passes as it is only when the
 * launcher runs with what the annotations ask for, or refuses to run.
 * Otherwise (a creator's own --learn, say) the command is wrapped once
 * more, with --error: the gate may not be installed to say no.
 */
static bool injected_passes(const struct ol_json *config, const struct ol_settings *s,
			    struct ol_error *why)
{
	struct ol_request req;
	int r = ol_request_build(config, NULL, s, &req, why);
	bool passes = carries_error(config) ||
		      (r == 0 && (!req.applies || ol_request_matches(&req, config, why) == 0));

	ol_request_free(&req);
	return passes;
}

int ol_hook_precreate(const char *in, size_t len, const struct ol_settings *s, char **out,
		      size_t *out_len, struct ol_error *err)
{
	cleanup_json struct ol_json *config = NULL;
	struct ol_error policy_err = { 0 };
	cleanup_strv struct ol_strv error_options = { 0 };
	struct ol_request req = { 0 };
	int r = ol_config_parse(in, len, &config, err);

	if (r < 0)
		return ol_error_prefix(err, "the config on stdin");
	if (ol_config_check_injected(config, s->launcher, &policy_err) == 0) {
		if (injected_passes(config, s, &policy_err))
			return copy_out(in, len, out, out_len, err);
		if (ol_request_error_options(&policy_err, &error_options) < 0)
			return ol_error_oom(err);
		if (ol_process_wrap(ol_json_get(config, "process"), OL_LAUNCHER_IN_CONTAINER,
				    &error_options, err) < 0)
			return ol_error_prefix(err, "the config on stdin");
		return ol_json_emit(config, OL_JSON_COMPACT, out, out_len, err);
	}
	/* podman gives precreate no container id, and shows no warning. */
	ol_error_clear(&policy_err);
	r = ol_request_build(config, NULL, s, &req, &policy_err);
	if (r == 0 && !req.applies) {
		ol_request_free(&req);
		return copy_out(in, len, out, out_len, err);
	}
	/* Without a launcher nothing could even carry the error: refuse here. */
	if (ol_settings_check_launcher(s, err) < 0) {
		ol_request_free(&req);
		return -err->code;
	}
	/* A policy error travels to the launcher, which refuses to run. */
	if (r < 0 && ol_request_error_options(&policy_err, &error_options) < 0)
		r = ol_error_oom(err);
	else
		r = ol_config_inject(config, s->launcher, r < 0 ? &error_options : &req.options,
				     err);
	ol_request_free(&req);
	if (r < 0)
		return ol_error_prefix(err, "the config on stdin");
	return ol_json_emit(config, OL_JSON_COMPACT, out, out_len, err);
}

static int not_injected(struct ol_error *err)
{
	err->code = EPERM;
	ol_error_prefix(err, "the container has Landlock annotations, but it would run "
			     "unconfined");
	return ol_error_hint(err,
			     "install the precreate hook (hooks.d/oci-landlock-precreate.json), "
			     "run through oci-landlock-runtime, or rewrite the bundle with "
			     "'oci-landlock inject'");
}

/* What the container's process would run as the launcher. */
static int check_mounts(const struct ol_gate_view *view, const char *bundle,
			const struct ol_json *config, const struct ol_settings *s,
			struct ol_error *err)
{
	if (ol_launcher_mount_check(view, bundle, config, s->launcher, err) < 0)
		return ol_error_prefix(err, "the launcher could be swapped");
	return 0;
}

/* Whether any layer handles execute (a policy file, read in the container, may). */
static bool restricts_exec(const struct ol_request *req)
{
	if (req->compiled.learn)
		return false;
	for (size_t i = 0; i < req->compiled.n_layers; i++)
		if (req->compiled.layers[i].handled_fs & OL_LL_ACCESS_FS_EXECUTE)
			return true;
	return req->compiled.policy_file != NULL;
}

/*
 * Whether vm.memfd_noexec is the container's to raise: in a PID namespace
 * made for it alone.  One it joins (a pod's, another container's) is
 * shared, and the value, which cannot be lowered again, would change what
 * the others may run: a warning says memfds stay executable there.
 */
static int memfds_closable(const struct ol_json *config, bool *closable, struct ol_strv *warnings)
{
	const char *joined;

	*closable = ol_config_own_pid_namespace(config, &joined);
	if (*closable)
		return 0;
	if (joined)
		return ol_strv_pushf(
			warnings,
			"memfds stay executable: the container joins the PID namespace "
			"'%s', which others share (vm.memfd_noexec is left as it is)",
			joined);
	return ol_strv_pushf(warnings, "memfds stay executable: the container has no PID "
				       "namespace of its own (vm.memfd_noexec is left as it is)");
}

/*
 * The request failed (a bad annotation, a policy the host refuses), and
 * precreate already carried that very error to the launcher (--error):
 * the launcher, checked like any other, refuses to run the workload and
 * says why on the container's stderr.  crun shows a failing hook only as
 * "error executing hook ... (exit code: 1)": letting the launcher say it
 * is how the reason reaches the user there.
 */
static bool carries_this_error(const struct ol_json *config, const struct ol_settings *s,
			       const struct ol_error *why)
{
	cleanup_strv struct ol_strv options = { 0 };
	struct ol_error ignored = { 0 };

	return ol_request_error_options(why, &options) == 0 &&
	       ol_config_check_injected(config, s->launcher, &ignored) == 0 &&
	       ol_config_check_options(config, &options, &ignored) == 0;
}

/* The checks of the gate, on a parsed config. */
static int check_config(const struct ol_bundle *b, const char *id, const struct ol_gate_view *view,
			const struct ol_settings *s, struct ol_gate_outcome *out,
			struct ol_strv *warnings, struct ol_error *err)
{
	struct ol_request req;
	int r = ol_request_build(b->config, id, s, &req, err);

	if (ol_request_warnings(&req, warnings) < 0)
		r = ol_error_oom(err);
	if (r < 0 && err->code != ENOMEM && carries_this_error(b->config, s, err)) {
		/* Only the launcher may run, and it refuses: follow it there. */
		r = check_mounts(view, b->path, b->config, s, err);
		if (r == 0 && ol_config_args(b->config, &out->guard) < 0)
			r = ol_error_oom(err);
	} else if (r == 0 && req.applies) {
		if (ol_config_check_injected(b->config, s->launcher, err) < 0)
			r = not_injected(err);
		else
			r = ol_request_matches(&req, b->config, err);
		if (r == 0)
			r = ol_bundle_check_private(b, err);
		if (r == 0)
			r = ol_request_check_kernel(&req, warnings, err);
		if (r == 0)
			r = check_mounts(view, b->path, b->config, s, err);
		if (r == 0 && restricts_exec(&req) &&
		    memfds_closable(b->config, &out->restricts_exec, warnings) < 0)
			r = ol_error_oom(err);
		if (r == 0 && ol_config_args(b->config, &out->guard) < 0)
			r = ol_error_oom(err);
	}
	ol_request_free(&req);
	return r;
}

int ol_hook_gate(const char *state_text, size_t len, const struct ol_settings *s,
		 const char *bundle, const struct ol_gate_view *view, struct ol_gate_outcome *out,
		 struct ol_strv *warnings, struct ol_error *err)
{
	struct ol_bundle b = { .dirfd = -1 };
	struct ol_state state;
	int r = ol_state_parse(state_text, len, &state, err);

	out->restricts_exec = false;
	if (r < 0)
		return ol_error_prefix(err, "the state on stdin");
	if (bundle && strcmp(bundle, state.bundle) != 0)
		r = ol_error_set(err, EIO, "the state on stdin names the bundle '%s', not '%s'",
				 state.bundle, bundle);
	else
		r = ol_bundle_open(state.bundle, &b, err);
	if (r == 0)
		r = check_config(&b, state.id, view, s, out, warnings, err);
	if (r < 0)
		ol_error_prefix(err, "container %s", state.id ? state.id : "(no id)");
	ol_bundle_close(&b);
	ol_state_free(&state);
	return r;
}

/* The gate runs in every container the shim or inject rewrites. */
static int ensure_gate(struct ol_json *config, const struct ol_settings *s, bool *changed,
		       struct ol_error *err)
{
	cleanup_strv struct ol_strv env = { 0 };
	bool added;

	if (ol_settings_check_cli(s, err) < 0)
		return -err->code;
	if (ol_strv_push(&env, "PATH=" OL_DEFAULT_PATH) < 0 ||
	    (s->file && ol_strv_pushf(&env, OL_CONFIG_ENV "=%s", s->file) < 0))
		return ol_error_oom(err);
	if (ol_config_ensure_gate(config, s->cli, &env, &added, err) < 0)
		return ol_error_prefix(err, "%s", "config.json");
	*changed |= added;
	return 0;
}

/* The launcher and the gate into b's config, unless they are there. */
static int inject_request(struct ol_bundle *b, struct ol_request *req, const struct ol_settings *s,
			  struct ol_strv *warnings, bool *changed, struct ol_error *err)
{
	struct ol_error ignored = { 0 };
	int r;

	/* Already injected (a second run): it must still match. */
	if (ol_config_check_injected(b->config, s->launcher, &ignored) == 0) {
		r = ol_request_matches(req, b->config, err);
	} else if ((r = ol_settings_check_launcher(s, err)) == 0 &&
		   (r = ol_request_check_kernel(req, warnings, err)) == 0) {
		if (ol_config_inject(b->config, s->launcher, &req->options, err) < 0)
			return ol_error_prefix(err, "%s/config.json", b->path);
		*changed = true;
	}
	return r < 0 ? r : ensure_gate(b->config, s, changed, err);
}

int ol_hook_rewrite_bundle(const char *bundle, const char *id, const struct ol_settings *s,
			   bool durable, struct ol_strv *warnings, bool *changed, bool *applies,
			   struct ol_error *err)
{
	struct ol_request req;
	struct ol_bundle b;
	int r = ol_bundle_open(bundle, &b, err);

	*changed = false;
	if (r < 0) {
		ol_bundle_close(&b);
		return r;
	}
	r = ol_request_build(b.config, id, s, &req, err);
	if (ol_request_warnings(&req, warnings) < 0)
		r = ol_error_oom(err);
	if (applies)
		*applies = r == 0 && req.applies;
	if (r == 0 && req.applies)
		r = ol_bundle_check_private(&b, err);
	if (r == 0 && req.applies)
		r = inject_request(&b, &req, s, warnings, changed, err);
	if (r == 0 && *changed)
		r = ol_bundle_write(&b, durable, err);
	ol_request_free(&req);
	ol_bundle_close(&b);
	return r;
}

int ol_hook_refuse_restore(const char *bundle, const struct ol_settings *s, struct ol_error *err)
{
	struct ol_error ignored = { 0 };
	struct ol_request req = { 0 };
	struct ol_bundle b;
	int r = ol_bundle_open(bundle, &b, err);

	if (r == 0)
		r = ol_request_build(b.config, NULL, s, &req, err);
	/* Sandboxed when it was created, whatever these settings say. */
	if (r == 0 &&
	    (req.applies || ol_config_check_injected(b.config, s->launcher, &ignored) == 0)) {
		r = ol_error_set(err, EPERM,
				 "%s/config.json: the container asks for Landlock, and a restored "
				 "checkpoint would run unconfined (CRIU does not restore Landlock "
				 "domains)",
				 bundle);
		ol_error_hint(err, "start the container anew instead of restoring it");
	}
	ol_request_free(&req);
	ol_bundle_close(&b);
	return r;
}
