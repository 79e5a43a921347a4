/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock doctor [--settings FILE]... [--prefix DIR] [--hooks-dir DIR]...
 *                     [--containers-conf FILE]...
 *
 * Checks an installation and says what to fix: the settings and what they
 * name (the launcher, the profiles, the runtime the shim runs), the
 * wrappers of an installer's prefix, podman's runtimes and hooks.d files,
 * the kernel's Landlock, audit and the printk rate limit.  Without
 * options it checks what the programs themselves would read.
 */
#include "doctor.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "common/text.h"
#include "host/installation.h"
#include "host/settings.h"
#include "policy/annotations.h"
#include "policy/policy.h"

OL_PRINTF(4, 0)
static void line(struct doctor *d, const char *level, const char *fix, const char *fmt, va_list ap)
{
	char text[OL_ERROR_TEXT_MAX + PATH_MAX];

	char shown[4 * sizeof(text)];

	/* File names and contents from the installation: one line each, and
	 * nothing a terminal would act on (a forged "0 problems" line). */
	(void) vsnprintf(text, sizeof(text), fmt, ap);
	fprintf(d->out, "%s: %s\n", level, ol_printable(text, shown, sizeof(shown)));
	if (fix && *fix)
		fprintf(d->out, "  fix: %s\n", ol_printable(fix, shown, sizeof(shown)));
}

void doctor_ok(struct doctor *d, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	line(d, "ok", NULL, fmt, ap);
	va_end(ap);
}

void doctor_warning(struct doctor *d, const char *fix, const char *fmt, ...)
{
	va_list ap;

	d->warnings++;
	va_start(ap, fmt);
	line(d, "warning", fix, fmt, ap);
	va_end(ap);
}

void doctor_problem(struct doctor *d, const char *fix, const char *fmt, ...)
{
	va_list ap;

	d->problems++;
	va_start(ap, fmt);
	line(d, "problem", fix, fmt, ap);
	va_end(ap);
}

void doctor_only_root_writes(struct doctor *d, const char *what, const char *path)
{
	struct ol_error err = { 0 };

	if (!doctor_first(d, "owner", path) || ol_path_only_root_writes(path, &err) == 0)
		return;
	doctor_problem(d,
		       "chown root and chmod go-w it and each directory above it (or move it "
		       "where only root writes)",
		       "%s '%s': %s: whoever can change it decides what containers run (or what "
		       "runs as root)",
		       what, path, err.msg);
}

void doctor_error(struct doctor *d, bool problem, const struct ol_error *err, const char *fix)
{
	const char *f = err->hint[0] ? err->hint : fix;

	if (problem)
		doctor_problem(d, f, "%s", err->msg);
	else
		doctor_warning(d, f, "%s", err->msg);
}

bool doctor_first(struct doctor *d, const char *kind, const char *path)
{
	for (size_t i = 0; i < d->seen.n; i++)
		if (strncmp(d->seen.v[i], kind, strlen(kind)) == 0 &&
		    d->seen.v[i][strlen(kind)] == ' ' &&
		    strcmp(d->seen.v[i] + strlen(kind) + 1, path) == 0)
			return false;
	ol_strv_pushf(&d->seen, "%s %s", kind, path);
	return true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

static bool executable_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (st.st_mode & 0111);
}

/* The launcher the settings name: there, executable, and static. */
static void launcher(struct doctor *d, const struct ol_settings *s, const char *from)
{
	struct ol_error err = { 0 };
	bool dynamic = false;
	char fix[PATH_MAX + 128];
	struct stat st;

	if (!doctor_first(d, "launcher", s->launcher))
		return;
	snprintf(fix, sizeof(fix),
		 "install the static oci-landlock-exec there, or set \"launcher\" in '%s'",
		 s->file ? s->file : OL_CONFIG_FILE);
	if (stat(s->launcher, &st) < 0)
		doctor_problem(d, fix, "launcher '%s' (%s): %s", s->launcher, from,
			       strerror(errno));
	else if (!S_ISREG(st.st_mode) || !(st.st_mode & 0111))
		doctor_problem(d, fix, "launcher '%s' (%s): not an executable file", s->launcher,
			       from);
	else if (ol_elf_needs_interpreter(s->launcher, &dynamic, &err) < 0)
		doctor_problem(d, fix, "launcher '%s' (%s): %s", s->launcher, from,
			       err.code == ENOEXEC ? "not an ELF executable" : err.msg);
	else if (dynamic)
		doctor_problem(d,
			       "install the static oci-landlock-exec of this version (the build "
			       "links it with -static)",
			       "launcher '%s' (%s) is dynamically linked: it needs a loader and "
			       "libraries the container's image may lack",
			       s->launcher, from);
	else
		doctor_ok(d, "launcher '%s' (%s): a static executable", s->launcher, from);
	if (stat(s->launcher, &st) == 0)
		doctor_only_root_writes(d, "launcher", s->launcher);
}

/* One profile: it must parse, as the hook would parse it. */
static bool profile_parses(struct doctor *d, const char *dir, const char *name)
{
	cleanup_free char *text = NULL;
	struct ol_error err = { 0 };
	struct ol_ruleset rs = { 0 };
	int r = ol_profile_read(dir, name, &text, &err);
	bool read = r == 0; /* else the error names the profile and its file */

	if (r == 0 && ol_ruleset_init(&rs, name) < 0)
		r = ol_error_oom(&err);
	if (r == 0)
		r = ol_landlockconfig_parse(text, strlen(text), &rs, &err);
	for (size_t i = 0; r == 0 && i < rs.n_paths; i++)
		if (rs.paths[i].path[0] != '/')
			r = ol_error_set(&err, EINVAL, "'%s' is not an absolute path",
					 rs.paths[i].path);
	ol_ruleset_free(&rs);
	if (r == 0)
		return true;
	if (read) {
		char file[PATH_MAX];
		snprintf(file, sizeof(file), "%s/%s.json", dir, name);
		if (access(file, F_OK) != 0)
			snprintf(file, sizeof(file), "%s/%s.toml", dir, name);
		ol_error_prefix(&err, "profile '%s' ('%s')", name, file);
	}
	doctor_error(d, true, &err, NULL);
	return false;
}

static void profiles(struct doctor *d, const struct ol_settings *s, const char *from)
{
	cleanup_strv struct ol_strv names = { 0 };
	size_t good = 0;
	struct dirent *de;
	DIR *dir;

	if (!doctor_first(d, "profiles", s->profiles))
		return;
	dir = opendir(s->profiles);
	if (!dir) {
		char fix[PATH_MAX + 128];
		snprintf(fix, sizeof(fix), "create it, or set \"profiles\" in '%s'",
			 s->file ? s->file : OL_CONFIG_FILE);
		doctor_warning(d, fix,
			       "profiles '%s' (%s): %s: no oci.landlock.profile can be used",
			       s->profiles, from, strerror(errno));
		return;
	}
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);
		if (n > 5 && de->d_name[0] != '.' &&
		    (strcmp(de->d_name + n - 5, ".json") == 0 ||
		     strcmp(de->d_name + n - 5, ".toml") == 0))
			ol_strv_pushf(&names, "%.*s", (int) (n - 5), de->d_name);
	}
	closedir(dir);
	/* In name order, whatever order the directory holds them in. */
	if (names.n)
		qsort(names.v, names.n, sizeof(*names.v), by_name);
	for (size_t i = 0; i < names.n; i++) {
		/* NAME.json and NAME.toml: one profile (refused as such) */
		if (i && strcmp(names.v[i], names.v[i - 1]) == 0) {
			good++;
			continue;
		}
		good += profile_parses(d, s->profiles, names.v[i]);
	}
	if (good == names.n)
		doctor_ok(d, "profiles '%s' (%s): %zu profile%s, each parses", s->profiles, from,
			  good, good == 1 ? "" : "s");
	doctor_only_root_writes(d, "profiles", s->profiles);
}

/* The runtime the shim would exec with these settings. */
static void runtime(struct doctor *d, const struct ol_settings *s, const char *shim,
		    const char *from)
{
	char self[PATH_MAX];
	cleanup_free char *rt = NULL;
	struct ol_error err = { 0 };

	if (ol_settings_runtime(s, shim && realpath(shim, self) ? self : NULL, &rt, &err) < 0) {
		char fix[PATH_MAX + 128];
		snprintf(fix, sizeof(fix),
			 "install it, or name the real runtime in \"runtime\" of '%s'",
			 s->file ? s->file : OL_CONFIG_FILE);
		doctor_error(d, true, &err, s->runtime ? fix : NULL);
		return;
	}
	doctor_ok(d, "runtime (%s): the shim runs '%s'%s", from, rt,
		  s->runtime ? "" : ", found in PATH (the engine's PATH may differ)");
}

void doctor_settings(struct doctor *d, const char *file, const char *shim)
{
	struct ol_settings s = { 0 };
	struct ol_error err = { 0 };
	cleanup_free char *from = NULL;
	cleanup_free char *sibling = NULL;
	int r;

	if (!doctor_first(d, "settings", file ? file : ""))
		return;
	r = file ? ol_settings_load_file(&s, file, &err) : ol_settings_load(&s, &err);
	if (r < 0) {
		doctor_error(d, true, &err,
			     "correct the file: docs/settings.md lists its keys and values");
		ol_settings_free(&s);
		return;
	}
	if (s.file) {
		doctor_ok(d, "settings '%s': valid%s", s.file,
			  s.default_source ? (s.require ? ", with a default layer, required"
							: ", with a default layer")
			  : s.require	   ? ", a policy required"
					   : "");
	} else {
		doctor_ok(d, "settings: no file at '%s': the built-in defaults apply",
			  OL_CONFIG_FILE);
	}
	if (s.file)
		doctor_only_root_writes(d, "settings", s.file);
	if ((s.file ? asprintf(&from, "from '%s'", s.file)
		    : asprintf(&from, "from the built-in defaults")) < 0)
		from = NULL;
	launcher(d, &s, from ? from : "");
	profiles(d, &s, from ? from : "");
	/* Without a wrapper: the shim installed beside this command. */
	if (!shim && s.cli && asprintf(&sibling, "%s-runtime", s.cli) < 0)
		sibling = NULL;
	runtime(d, &s, shim ? shim : sibling, from ? from : "");
	ol_settings_free(&s);
}

void doctor_gate_cli(struct doctor *d, const char *shim)
{
	cleanup_free char *cli = NULL;
	const char *slash = strrchr(shim, '/');

	if (!slash || asprintf(&cli, "%.*s/oci-landlock", (int) (slash - shim), shim) < 0)
		return;
	if (!doctor_first(d, "gate", cli) || executable_file(cli))
		return;
	doctor_problem(d, "install oci-landlock in the same directory as oci-landlock-runtime",
		       "no oci-landlock at '%s': the shim '%s' runs it as the gate hook, and "
		       "refuses sandboxed containers without it",
		       cli, shim);
}

void doctor_wrapper(struct doctor *d, const char *path, const char *what)
{
	struct ol_wrapper w = { 0 };
	struct ol_error err = { 0 };
	int r;

	if (!doctor_first(d, "wrapper", path))
		return;
	r = ol_wrapper_read(path, &w, &err);
	if (r < 0) {
		ol_error_prefix(&err, "%s '%s'", what, path);
		doctor_error(d, true, &err, NULL);
	} else if (r == 0) {
		doctor_problem(d,
			       "write it as the installer does: OCI_LANDLOCK_CONFIG=FILE, then "
			       "exec oci-landlock-runtime \"$@\"",
			       "%s '%s' is no wrapper of oci-landlock-runtime", what, path);
	} else if (!executable_file(path)) {
		doctor_problem(d, "chmod +x it: the engine executes it",
			       "%s '%s' is not an executable file", what, path);
	} else if (!executable_file(w.program)) {
		doctor_problem(d, "install the shim there, or correct the script",
			       "%s '%s': runs '%s', which is not an executable file", what, path,
			       w.program);
	} else {
		if (w.settings)
			doctor_ok(d, "%s '%s': runs '%s' with settings '%s'", what, path, w.program,
				  w.settings);
		else
			doctor_ok(d, "%s '%s': runs '%s' with the default settings", what, path,
				  w.program);
		doctor_only_root_writes(d, what, path);
		doctor_only_root_writes(d, "shim", w.program);
		doctor_gate_cli(d, w.program);
		doctor_settings(d, w.settings, w.program);
	}
	ol_wrapper_free(&w);
}

/*
 * An installer's prefix (examples/kubernetes/installer/install.sh): its
 * wrappers bin/oci-landlock-runtime-wrapper*, each with its settings; a
 * `meson install` prefix: etc/oci-landlock/config.json.
 */
static void prefix(struct doctor *d)
{
	cleanup_free char *bin = NULL;
	cleanup_free char *conf = NULL;
	cleanup_strv struct ol_strv wrappers = { 0 };
	struct dirent *de;
	DIR *dir;

	if (asprintf(&bin, "%s/bin", d->prefix) < 0)
		return;
	dir = opendir(bin);
	while (dir && (de = readdir(dir)))
		if (strncmp(de->d_name, "oci-landlock-runtime-wrapper", 28) == 0)
			ol_strv_pushf(&wrappers, "%s/%s", bin, de->d_name);
	if (dir)
		closedir(dir);
	if (wrappers.n)
		qsort(wrappers.v, wrappers.n, sizeof(*wrappers.v), by_name);
	for (size_t i = 0; i < wrappers.n; i++)
		doctor_wrapper(d, wrappers.v[i], "wrapper");
	if (wrappers.n)
		return;
	if (asprintf(&conf, "%s/etc/oci-landlock/config.json", d->prefix) < 0)
		return;
	if (access(conf, F_OK) == 0) {
		doctor_settings(d, conf, NULL);
		return;
	}
	doctor_problem(d, "name the PREFIX the installer or meson installed into",
		       "prefix '%s': no bin/oci-landlock-runtime-wrapper* (the installer's) and "
		       "no etc/oci-landlock/config.json (meson install's)",
		       d->prefix);
}

static int usage(void)
{
	fprintf(stderr, "usage: oci-landlock doctor [--settings FILE]... [--prefix DIR] "
			"[--hooks-dir DIR]... [--containers-conf FILE]...\n");
	return 2;
}

static int parse_args(struct doctor *d, int argc, char **argv)
{
	/* Each option takes a value: two words at a time. */
	for (int i = 1; i < argc; i += 2) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		struct ol_strv *list = NULL;

		if (strcmp(argv[i], "--settings") == 0)
			list = &d->settings;
		else if (strcmp(argv[i], "--hooks-dir") == 0)
			list = &d->hooks_dirs;
		else if (strcmp(argv[i], "--containers-conf") == 0)
			list = &d->podman_confs;
		else if (strcmp(argv[i], "--prefix") != 0 || d->prefix || !v)
			return usage();
		if (!v || !*v)
			return usage();
		if (list && ol_strv_push(list, v) < 0)
			return 1;
		if (!list)
			d->prefix = v;
	}
	return 0;
}

int ol_cli_doctor(int argc, char **argv, FILE *out)
{
	struct doctor d = { .out = out };
	int r = parse_args(&d, argc, argv);

	if (r == 0) {
		for (size_t i = 0; i < d.settings.n; i++)
			doctor_settings(&d, d.settings.v[i], NULL);
		if (d.prefix)
			prefix(&d);
		if (!d.prefix && !d.settings.n)
			doctor_settings(&d, NULL, NULL);
		doctor_podman(&d);
		doctor_kernel(&d);
		fprintf(out, "%u problem%s, %u warning%s\n", d.problems, d.problems == 1 ? "" : "s",
			d.warnings, d.warnings == 1 ? "" : "s");
		r = d.problems ? 1 : 0;
	}
	ol_strv_free(&d.seen);
	ol_strv_free(&d.settings);
	ol_strv_free(&d.hooks_dirs);
	ol_strv_free(&d.podman_confs);
	return r;
}
