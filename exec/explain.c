/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Why an exec failed, said so that the user can act on it: the file the
 * PATH search found, the interpreters the kernel opens for it ("#!", the
 * ELF dynamic loader: interpreter.h), which of them is missing or refused
 * (its mode, a noexec mount, a Landlock layer), and the annotation or
 * option that would allow it.
 *
 * It runs only once the exec has failed, inside the sandbox: it reads no
 * more than the workload could (a header the sandbox denies stays unread),
 * and it costs nothing when the exec succeeds.  Which shared libraries a
 * program loads only its loader knows: the hint names the loader's
 * directory, where they usually are.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "interpreter.h"
#include "launcher.h"
#include "policy/annotations.h"
#include "sandbox/denied.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"

/* The program and the interpreters the kernel follows (four at most). */
#define MAX_STEPS 5
/* What the kernel's open of each of them for execution asks of Landlock. */
#define EXEC_ACCESS (OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_READ_FILE)

enum problem {
	FINE,
	UNKNOWN,      /* cannot be looked at */
	MISSING,      /* does not exist */
	NOT_REGULAR,  /* the kernel runs regular files only */
	NOEXEC_MOUNT, /* on a file system mounted noexec */
	NO_EXEC_MODE, /* its mode has no execute bit for us */
	DENIED,	      /* by one layer or more */
};

struct step {
	char name[PATH_MAX]; /* as the command, the "#!" line or PT_INTERP say */
	char real[PATH_MAX]; /* where it leads */
	enum launcher_interp kind;
	enum problem problem;
	mode_t mode;
	uint64_t denied; /* DENIED: the rights missing */
	uint64_t layers; /* DENIED: bit i, layer i denies some */
};

static enum problem look_at(struct step *s, const struct launcher *sb)
{
	struct statvfs vfs;
	struct stat st;

	if (!realpath(s->name, s->real)) {
		s->real[0] = '\0'; /* realpath() leaves the part it resolved */
		return errno == ENOENT ? MISSING : UNKNOWN;
	}
	if (stat(s->real, &st) < 0)
		return UNKNOWN;
	s->mode = st.st_mode;
	if (!S_ISREG(st.st_mode))
		return NOT_REGULAR;
	if (statvfs(s->real, &vfs) == 0 && (vfs.f_flag & ST_NOEXEC))
		return NOEXEC_MOUNT;
	/* Landlock does not restrict access(2): this is the mode alone. */
	if (faccessat(AT_FDCWD, s->real, X_OK, AT_EACCESS) < 0)
		return errno == EACCES ? NO_EXEC_MODE : UNKNOWN;
	for (size_t i = 0; sb && i < sb->n_layers && i < 64; i++) {
		uint64_t denied = 0;
		if (ol_ruleset_denied(&sb->layers[i], s->real, EXEC_ACCESS, &denied) == 0 &&
		    denied) {
			s->denied |= denied;
			s->layers |= UINT64_C(1) << i;
		}
	}
	return s->layers ? DENIED : FINE;
}

/* The program, then each interpreter while each can be looked at. */
static size_t follow(const char *file, const struct launcher *sb, struct step *steps)
{
	size_t n = 0;

	snprintf(steps[0].name, sizeof(steps[0].name), "%s", file);
	for (;;) {
		struct step *s = &steps[n++];
		s->problem = look_at(s, sb);
		if ((s->problem != FINE && s->problem != DENIED) || n == MAX_STEPS ||
		    launcher_interpreter(s->real, steps[n].name, sizeof(steps[n].name),
					 &steps[n].kind) < 0)
			return n;
	}
}

/* "it", "its dynamic loader '/lib64/ld.so'", ..., and where it leads. */
static void describe(char *buf, size_t size, const struct step *steps, size_t i)
{
	const struct step *s = &steps[i];
	const char *kind = s->kind == LAUNCHER_INTERP_SCRIPT ? "interpreter" : "dynamic loader";
	int n;

	if (i == 0)
		n = snprintf(buf, size, "it");
	else if (i == 1)
		n = snprintf(buf, size, "its %s '%s'", kind, s->name);
	else
		n = snprintf(buf, size, "the %s '%s' of '%s'", kind, s->name, steps[i - 1].name);
	if (n > 0 && (size_t) n < size && s->real[0] && strcmp(s->real, s->name) != 0)
		snprintf(buf + n, size - (size_t) n, " ('%s')", s->real);
}

static void rights(char *buf, size_t size, uint64_t mask)
{
	char names[128];

	ol_rights_format(OL_RIGHT_FS, mask, "\" and \"", names, sizeof(names));
	snprintf(buf, size, "\"%s\"", names);
}

/* The problem of steps[i], after "cannot execute 'NAME': REASON: ". */
static void say_problem(struct ol_error *err, const struct step *steps, size_t i)
{
	const struct step *s = &steps[i];
	char what[2 * PATH_MAX + 64], r[160];
	size_t len = strlen(err->msg);
	char *end = err->msg + len;
	size_t room = sizeof(err->msg) - len;

	describe(what, sizeof(what), steps, i);
	switch (s->problem) {
	case MISSING: /* an interpreter: the caller says the file itself is missing */
		snprintf(end, room, ": %s does not exist", what);
		if (s->kind == LAUNCHER_INTERP_ELF)
			ol_error_hint(err, "it was built for a C library the image does not have: "
					   "add that library to the image, or link the program "
					   "statically");
		else
			ol_error_hint(err, "install the interpreter in the image, or correct the "
					   "script's #! line");
		break;
	case NOT_REGULAR:
		snprintf(end, room, ": %s is not a regular file", what);
		break;
	case NOEXEC_MOUNT:
		snprintf(end, room, ": %s is on a file system mounted noexec", what);
		ol_error_hint(err, "run it from a file system mounted without noexec");
		break;
	case NO_EXEC_MODE:
		snprintf(end, room, ": %s is not executable (mode %04o)", what,
			 (unsigned) (s->mode & 07777));
		ol_error_hint(err, "make it executable: chmod +x '%s'", s->real);
		break;
	case DENIED:
		rights(r, sizeof(r), s->denied);
		snprintf(end, room, ": the sandbox denies %s on %s", r, what);
		break;
	default:
		break;
	}
}

static bool denies(const struct step *s, size_t layer)
{
	return s->problem == DENIED && (s->layers & (UINT64_C(1) << layer));
}

/* The length of the directory part of an absolute path ("/" for "/x"). */
static size_t dir_len(const char *path)
{
	size_t len = (size_t) (strrchr(path, '/') - path);

	return len ? len : 1;
}

/* The directory of each step the layer denies, once each, joined by sep. */
static int denied_dirs(struct ol_buf *b, const struct step *steps, size_t n, size_t layer,
		       const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		size_t len = dir_len(steps[i].real);
		bool seen = false;

		if (!denies(&steps[i], layer))
			continue;
		for (size_t k = 0; k < i && !seen; k++)
			seen = denies(&steps[k], layer) && dir_len(steps[k].real) == len &&
			       strncmp(steps[k].real, steps[i].real, len) == 0;
		if (!seen && ((b->len && ol_buf_puts(b, sep) < 0) ||
			      ol_buf_append(b, steps[i].real, len) < 0))
			return -ENOMEM;
	}
	return 0;
}

enum layer_kind {
	LAYER_HOST,	   /* the host's default (--host-layer) */
	LAYER_ANNOTATIONS, /* the hook's or the shim's layer of the annotations */
	LAYER_OPTIONS,	   /* the launcher's own --fs-* options */
	LAYER_POLICY,	   /* a policy: a profile, a policy file, --policy */
};

static enum layer_kind layer_kind(const struct launcher *sb, size_t l)
{
	if (sb->layers[l].quiet_missing)
		return LAYER_HOST;
	if (strcmp(sb->layers[l].source, OL_ANNOTATIONS_LAYER) == 0)
		return LAYER_ANNOTATIONS;
	return sb->shorthand == (long) l ? LAYER_OPTIONS : LAYER_POLICY;
}

/* What would allow it in one layer: the annotation, the option, whose policy. */
static char *layer_hint(const struct launcher *sb, size_t l, const char *dirs)
{
	const char *source = sb->layers[l].source;
	char *text = NULL;
	int r = -1;

	switch (layer_kind(sb, l)) {
	case LAYER_HOST:
		r = asprintf(&text,
			     "the host's %s does not grant it, and annotations cannot widen it: "
			     "ask the host's administrator",
			     source);
		break;
	case LAYER_ANNOTATIONS:
		r = asprintf(&text, "add '%s' to the annotation '%s%s'", dirs, OL_ANNOTATION_PREFIX,
			     ol_words[OL_KEY_FS_RX].key);
		break;
	case LAYER_OPTIONS:
		r = asprintf(&text, "add '%s' to --%s", dirs, ol_words[OL_KEY_FS_RX].option);
		break;
	case LAYER_POLICY:
		r = asprintf(&text,
			     "the policy of %s must grant \"execute\" and \"read_file\" "
			     "beneath '%s'",
			     source, dirs);
		break;
	}
	return r < 0 ? NULL : text;
}

static int denied_hint(struct ol_error *err, const struct step *steps, size_t n,
		       const struct launcher *sb)
{
	cleanup_buf struct ol_buf hint = { 0 };
	bool loader = false;

	for (size_t i = 1; i < n; i++)
		loader |= steps[i].problem == DENIED && steps[i].kind == LAUNCHER_INTERP_ELF;
	for (size_t l = 0; l < sb->n_layers && l < 64; l++) {
		const enum layer_kind kind = layer_kind(sb, l);
		cleanup_buf struct ol_buf dirs = { 0 };
		cleanup_free char *text = NULL;
		bool any = false;

		for (size_t i = 0; i < n; i++)
			any |= denies(&steps[i], l);
		if (!any)
			continue;
		/* fs.rx and --fs-rx take a ':' list; a policy, one parent each. */
		if (denied_dirs(&dirs, steps, n, l, kind == LAYER_POLICY ? "' and '" : ":") < 0 ||
		    !(text = layer_hint(sb, l, dirs.data)) ||
		    (hint.len && ol_buf_puts(&hint, "; ") < 0) || ol_buf_puts(&hint, text) < 0)
			return ol_error_oom(err);
	}
	if (loader && ol_buf_puts(&hint, " (the dynamic loader's directory: the shared "
					 "libraries are usually there too)") < 0)
		return ol_error_oom(err);
	return hint.len ? ol_error_hint(err, "%s", hint.data) : 0;
}

bool launcher_explain(const char *name, const char *file, int e, const struct launcher *sb,
		      struct ol_error *err)
{
	cleanup_free struct step *steps = calloc(MAX_STEPS, sizeof(*steps));
	size_t n, at;

	if (!steps)
		return false;
	n = follow(file, sb, steps);
	/* The first step that explains the error: exec says ENOENT for a
	 * missing interpreter too. */
	for (at = 0; at < n; at++)
		if (e == ENOENT ? steps[at].problem == MISSING
				: steps[at].problem != FINE && steps[at].problem != MISSING)
			break;
	if (at == n || steps[at].problem == UNKNOWN)
		return false;
	if (strcmp(name, file) == 0)
		ol_error_errno(err, e, "cannot execute '%s'", name);
	else
		ol_error_errno(err, e, "cannot execute '%s' ('%s')", name, file);
	if (at == 0 && steps[at].problem == MISSING)
		return true; /* the file itself: nothing to add */
	say_problem(err, steps, at);
	if (steps[at].problem == DENIED)
		denied_hint(err, steps, n, sb);
	return true;
}
