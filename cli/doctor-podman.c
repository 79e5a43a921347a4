/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock doctor, podman's part: does podman reach oci-landlock, as
 * a runtime of containers.conf or through hooks.d files, and does what
 * they name exist?
 */
#include <dirent.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "doctor.h"
#include "host/installation.h"
#include "host/podman-conf.h"

/* containers.conf is small; podman's own files are a few kilobytes. */
#define MAX_CONF ((size_t) 1024 * 1024)

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* The files podman reads, in its order (containers.conf(5)). */
static void default_confs(struct ol_strv *out)
{
	const char *env = getenv("CONTAINERS_CONF");
	glob_t g;

	if (env && *env) {
		ol_strv_push(out, env);
		return;
	}
	ol_strv_push(out, "/usr/share/containers/containers.conf");
	ol_strv_push(out, "/etc/containers/containers.conf");
	if (glob("/etc/containers/containers.conf.d/*.conf", 0, NULL, &g) == 0) {
		for (size_t i = 0; i < g.gl_pathc; i++)
			ol_strv_push(out, g.gl_pathv[i]);
		globfree(&g);
	}
}

static void read_confs(struct doctor *d, struct ol_podman_conf *conf)
{
	cleanup_strv struct ol_strv defaults = { 0 };
	const struct ol_strv *files = d->podman_confs.n ? &d->podman_confs : &defaults;

	if (!d->podman_confs.n)
		default_confs(&defaults);
	for (size_t i = 0; i < files->n; i++) {
		cleanup_free char *text = NULL;
		struct ol_error err = { 0 };
		size_t len;
		int r = ol_read_file(files->v[i], MAX_CONF, &text, &len, &err);

		/* podman's default files need not exist; one named must. */
		if (r == -ENOENT && !d->podman_confs.n)
			continue;
		if (r == 0)
			r = ol_podman_conf_parse(text, len, conf, &err);
		if (r < 0) {
			ol_error_prefix(&err, "containers.conf '%s'", files->v[i]);
			doctor_error(d, false, &err,
				     "oci-landlock reads only hooks_dir and the runtimes, from "
				     "plain strings: check those lines");
		}
	}
}

/* Is this runtime of podman's ours: the shim, or a wrapper of it? */
static bool ours(const char *path)
{
	struct ol_wrapper w = { 0 };
	struct ol_error err = { 0 };
	int r;

	if (strncmp(base_name(path), "oci-landlock-runtime", 20) == 0)
		return true;
	r = ol_wrapper_read(path, &w, &err);
	ol_wrapper_free(&w);
	return r == 1;
}

static void runtimes(struct doctor *d, const struct ol_podman_conf *conf)
{
	bool default_ours = false;

	for (size_t i = 0; i < conf->runtime_paths.n; i++) {
		const char *name = conf->runtime_names.v[i], *path = conf->runtime_paths.v[i];
		struct ol_wrapper w = { 0 };
		struct ol_error err = { 0 };
		int r;

		if (!ours(path) && strncmp(base_name(path), "oci-landlock", 12) != 0)
			continue;
		d->podman_reached = true;
		default_ours |= conf->runtime && strcmp(conf->runtime, name) == 0;
		if (access(path, X_OK) < 0) {
			doctor_problem(d,
				       "install it there, or correct [engine.runtimes] in "
				       "containers.conf",
				       "podman runtime '%s': '%s': %s", name, path,
				       strerror(errno));
			continue;
		}
		doctor_ok(d, "podman runtime '%s': '%s'", name, path);
		r = ol_wrapper_read(path, &w, &err);
		ol_wrapper_free(&w);
		if (r == 1) {
			doctor_wrapper(d, path, "wrapper");
		} else {
			doctor_gate_cli(d, path);
			doctor_settings(d, NULL, path);
		}
	}
	if (default_ours)
		doctor_ok(d,
			  "podman's default runtime '%s' is the shim: every container and exec "
			  "session goes through it",
			  conf->runtime);
}

/* Does the stage a file runs at match the hook command it runs? */
static bool stage_matches(const struct ol_hooks_file *h, bool *precreate)
{
	const char *arg = h->args.n >= 3 ? h->args.v[2] : "";

	*precreate = strcmp(arg, "precreate") == 0;
	for (size_t i = 0; i < h->stages.n; i++)
		if (strcmp(h->stages.v[i], arg) != 0)
			return false;
	return h->stages.n > 0;
}

static void hooks_file(struct doctor *d, const char *path, bool *precreate, bool *gate)
{
	struct ol_hooks_file h = { 0 };
	struct ol_error err = { 0 };
	bool pre = false;

	if (ol_hooks_file_read(path, &h, &err) < 0) {
		ol_error_prefix(&err, "hooks.d file '%s'", path);
		doctor_error(d, false, &err, "podman refuses a hooks.d file it cannot parse");
	} else if (!h.ours) {
		/* Another program's hook: not ours to judge. */
	} else if (!stage_matches(&h, &pre)) {
		doctor_problem(d, "run 'oci-landlock hook STAGE' at the stage it names",
			       "hooks.d file '%s': runs 'oci-landlock hook %s' at another stage",
			       path, h.args.n >= 3 ? h.args.v[2] : "");
	} else if (access(h.program, X_OK) < 0) {
		doctor_problem(d, "install oci-landlock there, or correct \"hook\".\"path\"",
			       "hooks.d file '%s': runs '%s': %s", path, h.program,
			       strerror(errno));
	} else {
		doctor_ok(d, "hooks.d file '%s': runs '%s' at %s", path, h.program, h.args.v[2]);
		doctor_only_root_writes(d, "hooks.d file", path);
		doctor_only_root_writes(d, "hook program", h.program);
		*precreate |= pre;
		*gate |= !pre;
		d->podman_reached = true;
	}
	ol_hooks_file_free(&h);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static void hooks_dir(struct doctor *d, const char *dir, bool named, bool *precreate, bool *gate)
{
	cleanup_strv struct ol_strv files = { 0 };
	struct dirent *de;
	DIR *dh = opendir(dir);

	if (!dh) {
		if (named)
			doctor_problem(d,
				       "create it, or name the directory the hooks.d files are in",
				       "hooks directory '%s': %s", dir, strerror(errno));
		return;
	}
	while ((de = readdir(dh))) {
		size_t n = strlen(de->d_name);
		if (n > 5 && strcmp(de->d_name + n - 5, ".json") == 0)
			ol_strv_pushf(&files, "%s/%s", dir, de->d_name);
	}
	closedir(dh);
	if (files.n)
		qsort(files.v, files.n, sizeof(*files.v), by_name);
	for (size_t i = 0; i < files.n; i++)
		hooks_file(d, files.v[i], precreate, gate);
	/* Whoever can add a file here has podman run it as root. */
	if (files.n)
		doctor_only_root_writes(d, "hooks directory", dir);
}

/* Is podman installed at all (in PATH)? */
static bool have_podman(void)
{
	const char *path = getenv("PATH");

	for (const char *p = path && *path ? path : OL_DEFAULT_PATH;;) {
		const char *end = strchrnul(p, ':');
		cleanup_free char *file = NULL;
		if (end != p && asprintf(&file, "%.*s/podman", (int) (end - p), p) > 0 &&
		    access(file, X_OK) == 0)
			return true;
		if (!*end)
			return false;
		p = end + 1;
	}
}

void doctor_podman(struct doctor *d)
{
	static const char *const defaults[] = { OL_PODMAN_HOOKS_DIRS };
	struct ol_podman_conf conf = { 0 };
	bool precreate = false, gate = false;

	if (!d->podman_confs.n && !d->hooks_dirs.n && !have_podman()) {
		doctor_ok(d, "podman: not in PATH, not checked");
		return;
	}
	read_confs(d, &conf);
	runtimes(d, &conf);
	if (d->hooks_dirs.n) {
		for (size_t i = 0; i < d->hooks_dirs.n; i++)
			hooks_dir(d, d->hooks_dirs.v[i], true, &precreate, &gate);
	} else if (conf.hooks_dir_set) {
		for (size_t i = 0; i < conf.hooks_dirs.n; i++)
			hooks_dir(d, conf.hooks_dirs.v[i], false, &precreate, &gate);
	} else {
		for (size_t i = 0; i < sizeof(defaults) / sizeof(defaults[0]); i++)
			hooks_dir(d, defaults[i], false, &precreate, &gate);
	}
	if (precreate && !gate)
		doctor_problem(d,
			       "install oci-landlock-gate.json beside oci-landlock-precreate.json",
			       "podman hooks: precreate without the gate (createRuntime): a "
			       "container the launcher was not injected into is not refused");
	else if (gate && !precreate)
		doctor_warning(d,
			       "install oci-landlock-precreate.json beside oci-landlock-gate.json",
			       "podman hooks: the gate without precreate: a container with "
			       "oci.landlock.* annotations is refused, never sandboxed");
	if (!d->podman_reached)
		doctor_warning(d,
			       "name the shim in [engine.runtimes] of containers.conf, or add the "
			       "hooks.d files' directory to hooks_dir (docs/containers.md)",
			       "podman: no runtime of containers.conf is the shim and no hooks "
			       "directory podman reads has oci-landlock's hooks.d files");
	ol_podman_conf_free(&conf);
}
