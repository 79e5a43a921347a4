/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock learn: read what `oci-landlock-exec --learn` recorded and
 * print the least-privilege landlockconfig policy for it (the rules are
 * generalised by policy/generalise.c), as a policy file or as the
 * arguments that enforce it (learn-output.c), with a review of what it
 * grants and what it left out.
 *
 * RECORDING.exec-* beside a recording are the exec sessions' of the same
 * container (exec/learn-save.h): they are merged in.
 */
#include "cli.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/strv.h"
#include "common/text.h"
#include "learn-output.h"
#include "oci/json.h"
#include "sandbox/abi.h"
#include "sandbox/rights.h"

#define USAGE                                                                                      \
	"usage: oci-landlock learn [--depth N] [--abi N] [--merge] [--system-writes]\n"            \
	"                          [--format policy|podman|kubernetes] [-o FILE] RECORDING...\n"

struct learn_args {
	struct ol_learn_options gen;
	bool abi_given;
	bool merge;
	enum learn_format format;
	const char *out;
	char **files;
	int n_files;
};

static int bad_value(const char *option, const char *value, const char *expected)
{
	fprintf(stderr, "oci-landlock: %s '%s': expected %s\n", option, value, expected);
	return 2;
}

/* Options before and after the recordings, until "--". 0 or the status. */
static int parse_args(int argc, char **argv, struct learn_args *a)
{
	bool options = true;

	for (int i = 1; i < argc; i++) {
		const char *value = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;
		if (!options || argv[i][0] != '-' || !argv[i][1]) {
			a->files[a->n_files++] = argv[i];
		} else if (strcmp(argv[i], "--merge") == 0) {
			a->merge = true;
		} else if (strcmp(argv[i], "--system-writes") == 0) {
			a->gen.system_writes = true;
		} else if (strcmp(argv[i], "-o") == 0 && value) {
			a->out = argv[++i];
		} else if (strcmp(argv[i], "--format") == 0 && value) {
			if (learn_format_parse(value, &a->format) < 0)
				return bad_value("--format", value, "policy, podman or kubernetes");
			i++;
		} else if (strcmp(argv[i], "--depth") == 0 && value) {
			if (ol_parse_uint(value, strlen(value), OL_LEARN_DEPTH_MAX, &n) < 0 ||
			    n < 1)
				return bad_value("--depth", value, "1 to 64");
			a->gen.depth = (unsigned) n;
			i++;
		} else if (strcmp(argv[i], "--abi") == 0 && value) {
			char range[32];
			snprintf(range, sizeof(range), "1 to %d", OL_ABI_MAX);
			if (ol_parse_uint(value, strlen(value), OL_ABI_MAX, &n) < 0 || n < 1)
				return bad_value("--abi", value, range);
			a->gen.abi = (int) n;
			a->abi_given = true;
			i++;
		} else if (strcmp(argv[i], "--") == 0) {
			options = false;
		} else {
			fprintf(stderr, USAGE);
			return 2;
		}
	}
	if (a->n_files == 0) {
		fprintf(stderr, USAGE);
		return 2;
	}
	return 0;
}

/* At most this many exec sessions' recordings beside one, and bytes in all. */
#define MAX_SESSIONS 256
#define MAX_BYTES    ((size_t) 256 << 20)

/*
 * A recording's text, read through no symbolic link (the workload wrote
 * the directory), and only from a regular file (no FIFO to hang on, no
 * device to act on).
 */
static int read_text(int dirfd, const char *name, const char *shown, size_t *budget, char **text,
		     size_t *len, struct ol_error *err)
{
	cleanup_close int fd =
		openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;
	int r;

	if (fd < 0 && errno == ELOOP) {
		ol_error_set(err, ELOOP,
			     "cannot read the recording '%s': a symbolic link, which is not "
			     "followed (the workload may have put it there)",
			     shown);
		return ol_error_hint(err, "give the path of the file it leads to, if you trust it");
	}
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot read the recording '%s'", shown);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return ol_error_set(err, EINVAL,
				    "cannot read the recording '%s': not a regular file", shown);
	r = ol_read_fd(fd, shown, ol_json_config_limits.max_bytes, text, len, err);
	if (r == 0 && *len > *budget)
		return ol_error_set(err, E2BIG,
				    "the recordings merged reach '%s' past %zu MiB in all: merge "
				    "fewer at a time",
				    shown, MAX_BYTES >> 20);
	*budget -= r == 0 ? *len : 0;
	return r;
}

/* One recording, merged into rec; what a cut-short file is, said plainly. */
static int read_recording(int dirfd, const char *name, const char *file, size_t *budget,
			  struct ol_recording *rec, bool *incomplete, struct ol_error *err)
{
	cleanup_free char *text = NULL;
	size_t len, blank;
	int r = read_text(dirfd, name, file, budget, &text, &len, err);

	if (r < 0 || !text)
		return r < 0 ? r : ol_error_oom(err);
	blank = strspn(text, " \t\r\n");
	if (blank == len) {
		ol_error_set(err, ENODATA, "the recording '%s' is empty", file);
		return ol_error_hint(err, "the launcher that wrote it was killed before it saved "
					  "anything (or it is not a recording); record again");
	}
	rec->incomplete = false;
	if (ol_recording_parse(text, len, rec, err) < 0) {
		if (err->code != ENODATA)
			return ol_error_prefix(err, "invalid recording '%s'", file);
		ol_error_set(err, ENODATA,
			     "the recording '%s' is cut short: its %zu bytes end inside the JSON "
			     "document",
			     file, len);
		return ol_error_hint(err, "it was not written whole (a copy still going on, or "
					  "an older launcher killed while writing it); record "
					  "again with this version, which saves whole files only");
	}
	*incomplete = rec->incomplete;
	return 0;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/* RECORDING.exec-*: the exec sessions' recordings (their names in dir). */
static int exec_sessions(int dirfd, const char *base, const char *file, struct ol_strv *found,
			 struct ol_error *err)
{
	char prefix[NAME_MAX + 8];
	struct dirent *e;
	int fd = openat(dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d = fd < 0 ? NULL : fdopendir(fd);

	if (!d) {
		if (fd >= 0)
			close(fd);
		return 0; /* the recording itself says what is wrong */
	}
	snprintf(prefix, sizeof(prefix), "%s.exec-", base);
	while ((e = readdir(d))) {
		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0 || strstr(e->d_name, ".tmp-"))
			continue;
		if (found->n == MAX_SESSIONS) {
			closedir(d);
			return ol_error_set(err, E2BIG,
					    "more than %d exec sessions' recordings beside '%s'",
					    MAX_SESSIONS, file);
		}
		if (ol_strv_push(found, e->d_name) < 0) {
			closedir(d);
			return ol_error_oom(err);
		}
	}
	closedir(d);
	if (found->n > 1)
		qsort(found->v, found->n, sizeof(char *), by_name);
	return 0;
}

static void warn_incomplete(const char *file)
{
	char shown[PATH_MAX * 4];

	fprintf(stderr,
		"oci-landlock: warning: the recording '%s' was saved while the workload ran, "
		"and the run never ended normally (the container was killed: 'podman stop' "
		"sends SIGKILL after its timeout): what it did after the last save, at most a "
		"second before, is missing\n",
		ol_printable(file, shown, sizeof(shown)));
}

/* A recording given, and the exec sessions' beside it. */
static int read_one(const char *file, size_t *budget, struct ol_recording *rec,
		    struct ol_error *err)
{
	const char *slash = strrchr(file, '/');
	const char *base = slash ? slash + 1 : file;
	int dir_len = slash ? (int) (slash - file) + 1 : 0;
	cleanup_strv struct ol_strv sessions = { 0 };
	cleanup_close int dirfd = -1;
	char dir[PATH_MAX];
	bool incomplete = false;
	int r;

	snprintf(dir, sizeof(dir), "%.*s", dir_len ? dir_len : 1, dir_len ? file : ".");
	dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return ol_error_errno(err, errno, "cannot read the recording '%s'", file);
	r = read_recording(dirfd, base, file, budget, rec, &incomplete, err);
	if (r == 0)
		r = exec_sessions(dirfd, base, file, &sessions, err);
	if (r < 0)
		return r;
	if (incomplete)
		warn_incomplete(file);
	for (size_t k = 0; k < sessions.n; k++) {
		char path[PATH_MAX], shown[PATH_MAX * 4];
		snprintf(path, sizeof(path), "%.*s%s", dir_len, file, sessions.v[k]);
		incomplete = false;
		/* The workload can put anything there: what cannot be read is
		 * skipped, and said; only the cap stops everything. */
		if (read_recording(dirfd, sessions.v[k], path, budget, rec, &incomplete, err) < 0) {
			char text[OL_ERROR_TEXT_MAX];
			if (err->code == E2BIG)
				return -err->code;
			fprintf(stderr, "oci-landlock: warning: skipped: %s\n",
				ol_error_format(err, NULL, OL_ERROR_ONE_LINE, text, sizeof(text)));
			ol_error_clear(err);
			continue;
		}
		fprintf(stderr, "oci-landlock: merged the exec session's recording '%s'\n",
			ol_printable(path, shown, sizeof(shown)));
		if (incomplete)
			warn_incomplete(path);
	}
	return 0;
}

/*
 * The ABI the policy is for: --abi, else the running kernel's (at most the
 * newest this version knows).  A policy that handles a right the kernel
 * lacks is refused there in strict mode; one that handles fewer than it
 * has leaves the rest unrestricted.
 */
static int choose_abi(struct learn_args *a, struct learn_target *t, struct ol_error *err)
{
	struct ol_kernel k;

	ol_kernel_probe(&k);
	t->kernel = k.abi;
	t->given = a->abi_given;
	if (!a->abi_given && k.abi == 0) {
		ol_error_set(err, k.probe_errno ? k.probe_errno : ENOSYS,
			     "cannot tell which Landlock ABI the policy is for: this kernel has "
			     "no Landlock");
		return ol_error_hint(err,
				     "give --abi N (1 to %d), the ABI of the kernel that "
				     "will enforce it ('oci-landlock abi' there says it)",
				     OL_ABI_MAX);
	}
	if (!a->abi_given)
		a->gen.abi = k.abi < OL_ABI_MAX ? k.abi : OL_ABI_MAX;
	t->abi = a->gen.abi;
	return 0;
}

/* Every recording given, and each one's exec sessions. */
static int read_all(const struct learn_args *a, struct ol_recording *rec, struct ol_error *err)
{
	size_t budget = MAX_BYTES;

	for (int i = 0; i < a->n_files; i++)
		if (read_one(a->files[i], &budget, rec, err) < 0)
			return -err->code;
	return 0;
}

int ol_cli_learn(int argc, char **argv, FILE *out)
{
	struct learn_args a = { .gen = { .depth = OL_LEARN_DEPTH_DEFAULT } };
	struct ol_learn_review review = { 0 };
	struct learn_target target = { 0 };
	struct ol_recording rec;
	struct ol_ruleset rs;
	struct ol_error err = { 0 };
	cleanup_free char **files = calloc((size_t) argc, sizeof(*files));
	int r;

	if (!files) {
		ol_error_oom(&err);
		return ol_cli_report(&err);
	}
	a.files = files;
	if ((r = parse_args(argc, argv, &a)) != 0)
		return r;
	if (a.n_files > 1 && !a.merge) {
		ol_error_set(&err, EINVAL, "%d recordings given", a.n_files);
		ol_error_hint(&err, "add --merge to generate one policy that allows what any of "
				    "them used");
		return ol_cli_report(&err);
	}
	if (choose_abi(&a, &target, &err) < 0)
		return ol_cli_report(&err);
	if (ol_recording_init(&rec) < 0 || ol_ruleset_init(&rs, "learned") < 0) {
		ol_error_oom(&err);
		ol_recording_free(&rec);
		return ol_cli_report(&err);
	}
	r = read_all(&a, &rec, &err);
	if (r == 0)
		r = ol_learn_generate(&rec, &a.gen, &rs, &review, &err);
	if (r == 0)
		r = learn_output(&rs, &rec, a.format, a.out, out, &err);
	if (r == 0)
		learn_review(&rs, &rec, &review, &target, stderr);
	ol_learn_review_free(&review);
	ol_ruleset_free(&rs);
	ol_recording_free(&rec);
	return r < 0 ? ol_cli_report(&err) : 0;
}
