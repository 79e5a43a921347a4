/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OCI hook stages, as functions of their input (the programs do the
 * I/O: cli/ for the hook, shim/ for the runtime shim).
 *
 * precreate (podman): config in, config out.  A config without Landlock
 * annotations, or already injected, comes out byte for byte as it came in.
 * A policy error does not fail the hook, because podman would show only
 * "exit status 1": the launcher is injected with --error and reports it,
 * and the createRuntime gate reports it before that.  Only input that is
 * not a usable config fails.
 *
 * createRuntime / prestart (the gate): state in; the bundle's config must
 * carry exactly the launcher options its annotations ask for, the policy
 * must compile, and in strict mode the kernel must enforce it.  Any
 * failure is an error naming the annotation, and the runtime stops there.
 */
#ifndef OL_HOST_HOOK_H
#define OL_HOST_HOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "common/strv.h"
#include "gate-view.h"
#include "settings.h"

int ol_hook_precreate(const char *in, size_t len, const struct ol_settings *s, char **out,
		      size_t *out_len, struct ol_error *err);

/*
 * The createRuntime/prestart gate: refuse a container whose annotations
 * ask for Landlock when its config does not carry the launcher, or when
 * what its process would run as the launcher is not the host's launcher
 * (launcher-mount.h).  bundle, when given, is the path the state must name
 * (found earlier by a confined parser); view is what the gate read of the
 * container and the host before it confined itself (gate-view.h).
 * out says what the gate does outside its cage for a container it let go.
 */
struct ol_gate_outcome {
	bool restricts_exec;  /* the sandbox restricts execution (memfd.h) */
	struct ol_strv guard; /* what the process must execute (exec-guard.h); empty: no guard */
};

int ol_hook_gate(const char *state, size_t len, const struct ol_settings *s, const char *bundle,
		 const struct ol_gate_view *view, struct ol_gate_outcome *out,
		 struct ol_strv *warnings, struct ol_error *err);

/*
 * Rewrite a bundle's config for its annotations (the runtime shim and
 * `oci-landlock inject`): checked like the gate, then injected, given the
 * gate as a createRuntime hook (so that the runtime's mounts are checked
 * too), and written back atomically; `durable` (inject) also syncs it to
 * disk, the shim, whose runtime reads it at once, does not.  id is the
 * container being created (the shim knows it, inject does not: NULL).
 * *changed tells whether the file was rewritten; *applies (may be NULL)
 * whether oci-landlock applies to the container at all.
 */
int ol_hook_rewrite_bundle(const char *bundle, const char *id, const struct ol_settings *s,
			   bool durable, struct ol_strv *warnings, bool *changed, bool *applies,
			   struct ol_error *err);

/*
 * restore: CRIU does not restore a process's Landlock domain, so a
 * container whose annotations ask for Landlock would come back unconfined.
 * An error for such a bundle, 0 for any other.
 */
int ol_hook_refuse_restore(const char *bundle, const struct ol_settings *s, struct ol_error *err);

/*
 * The stages as `oci-landlock hook STAGE` runs them (gate.c): precreate
 * confined to reading the profiles; the gate with its view, memfd helper
 * and exec guard set up before its cage (gate-view.h, memfd.h,
 * exec-guard.h).  in is the hook's stdin.
 */
int ol_stage_precreate(const char *in, size_t len, const struct ol_settings *s, char **out,
		       size_t *out_len, struct ol_error *err);
int ol_stage_gate(const char *in, size_t len, const struct ol_settings *s, struct ol_strv *warnings,
		  struct ol_error *err);

#endif
