/* SPDX-License-Identifier: Apache-2.0 */
/* Reading the files of an installation: ELF headers, hooks.d files, wrappers. */
#include "installation.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "oci/json.h"

/* Program headers we look at: more is not an executable we built. */
#define MAX_PHDRS 256
/* A wrapper is a few lines; a hooks.d file a few hundred bytes. */
#define MAX_SCRIPT ((size_t) 64 * 1024)

static int not_elf(const char *path, struct ol_error *err)
{
	return ol_error_set(err, ENOEXEC, "'%s' is not an ELF executable", path);
}

static int writable_by_others(const char *path, const struct stat *st, struct ol_error *err)
{
	if (st->st_uid != 0)
		return ol_error_set(err, EPERM,
				    "'%s' is owned by uid %u, not root: that user can "
				    "change it",
				    path, (unsigned) st->st_uid);
	if ((st->st_mode & 022) && !(S_ISDIR(st->st_mode) && (st->st_mode & S_ISVTX)))
		return ol_error_set(err, EPERM, "'%s' is writable by %s (mode %04o)", path,
				    (st->st_mode & 002) ? "every user" : "its group",
				    (unsigned) (st->st_mode & 07777));
	return 0;
}

int ol_path_only_root_writes(const char *path, struct ol_error *err)
{
	char real[PATH_MAX];
	struct stat st;

	if (!realpath(path, real))
		return ol_error_errno(err, errno, "cannot resolve '%s'", path);
	for (;;) {
		char *slash;
		if (lstat(real, &st) < 0)
			return ol_error_errno(err, errno, "cannot stat '%s'", real);
		if (writable_by_others(real, &st, err) < 0)
			return -err->code;
		if (strcmp(real, "/") == 0)
			return 0;
		/* Up one: "/a/b" to "/a", "/a" to "/". */
		slash = strrchr(real, '/');
		slash[slash == real ? 1 : 0] = '\0';
	}
}

int ol_elf_needs_interpreter(const char *path, bool *needs, struct ol_error *err)
{
	/* No FIFO to hang on, no device to open: looked at first. */
	cleanup_close int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	unsigned char ident[EI_NIDENT];
	struct stat st;
	Elf64_Ehdr eh;

	if (fd < 0)
		return ol_error_errno(err, errno, "cannot read '%s'", path);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return ol_error_set(err, EINVAL, "'%s' is not a regular file", path);
	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t) sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0 || ident[EI_CLASS] != ELFCLASS64)
		return not_elf(path, err);
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t) sizeof(eh) || eh.e_phnum > MAX_PHDRS ||
	    eh.e_phentsize != sizeof(Elf64_Phdr))
		return not_elf(path, err);
	*needs = false;
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf64_Phdr ph;
		if (pread(fd, &ph, sizeof(ph), (off_t) (eh.e_phoff + i * sizeof(ph))) !=
		    (ssize_t) sizeof(ph))
			return not_elf(path, err);
		*needs |= ph.p_type == PT_INTERP;
	}
	return 0;
}

void ol_hooks_file_free(struct ol_hooks_file *h)
{
	free(h->program);
	ol_strv_free(&h->args);
	ol_strv_free(&h->stages);
	memset(h, 0, sizeof(*h));
}

static int strings(const struct ol_json *arr, const char *what, struct ol_strv *out,
		   struct ol_error *err)
{
	if (!arr)
		return 0;
	if (arr->type != OL_JSON_ARRAY)
		return ol_error_set(err, EINVAL, "\"%s\": expected an array of strings", what);
	for (size_t i = 0; i < arr->u.arr.len; i++) {
		const char *s = ol_json_cstr(arr->u.arr.items[i]);
		if (!s)
			return ol_error_set(err, EINVAL, "\"%s\"[%zu]: expected a string", what, i);
		if (ol_strv_push(out, s) < 0)
			return ol_error_oom(err);
	}
	return 0;
}

static const char *base_name(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

int ol_hooks_file_read(const char *path, struct ol_hooks_file *out, struct ol_error *err)
{
	cleanup_json struct ol_json *root = NULL;
	cleanup_free char *text = NULL;
	const struct ol_json *hook;
	size_t len;
	int r;

	memset(out, 0, sizeof(*out));
	r = ol_read_file(path, MAX_SCRIPT, &text, &len, err);
	if (r == 0)
		r = ol_json_parse(text, len, &ol_json_policy_limits, &root, err);
	if (r < 0 || !root)
		return r < 0 ? r : ol_error_set(err, EINVAL, "empty document");
	hook = root->type == OL_JSON_OBJECT ? ol_json_get(root, "hook") : NULL;
	if (!hook || hook->type != OL_JSON_OBJECT || !ol_json_cstr(ol_json_get(hook, "path")))
		return ol_error_set(err, EINVAL, "expected a \"hook\" object with a \"path\"");
	out->program = strdup(ol_json_cstr(ol_json_get(hook, "path")));
	if (!out->program)
		return ol_error_oom(err);
	if ((r = strings(ol_json_get(hook, "args"), "args", &out->args, err)) < 0 ||
	    (r = strings(ol_json_get(root, "stages"), "stages", &out->stages, err)) < 0)
		return r;
	out->ours = out->args.n >= 2 && strcmp(base_name(out->args.v[0]), "oci-landlock") == 0 &&
		    strcmp(out->args.v[1], "hook") == 0;
	return 0;
}

void ol_wrapper_free(struct ol_wrapper *w)
{
	free(w->settings);
	free(w->program);
	memset(w, 0, sizeof(*w));
}

/* A shell word without the quotes around it (no escapes inside). */
static char *unquote(const char *word, size_t len)
{
	if (len >= 2 && (word[0] == '"' || word[0] == '\'') && word[len - 1] == word[0]) {
		word++;
		len -= 2;
	}
	return strndup(word, len);
}

/* The words of one line: VAR=VALUE assignments and `exec PROGRAM`. */
static int wrapper_line(const char *line, size_t len, struct ol_wrapper *w)
{
	static const char var[] = "OCI_LANDLOCK_CONFIG=";
	bool after_exec = false;

	for (size_t i = 0; i < len;) {
		size_t n;
		while (i < len && (line[i] == ' ' || line[i] == '\t'))
			i++;
		if (i < len && line[i] == '#')
			return 0;
		n = strcspn(line + i, " \t\n");
		if (n > len - i)
			n = len - i;
		if (n == 0)
			break;
		if (after_exec && !w->program) {
			if (!(w->program = unquote(line + i, n)))
				return -ENOMEM;
		} else if (n > sizeof(var) - 1 && memcmp(line + i, var, sizeof(var) - 1) == 0) {
			free(w->settings);
			w->settings = unquote(line + i + sizeof(var) - 1, n - (sizeof(var) - 1));
			if (!w->settings)
				return -ENOMEM;
		}
		after_exec = n == 4 && memcmp(line + i, "exec", 4) == 0;
		i += n;
	}
	return 0;
}

int ol_wrapper_read(const char *path, struct ol_wrapper *out, struct ol_error *err)
{
	cleanup_free char *text = NULL;
	size_t len;
	int r;

	memset(out, 0, sizeof(*out));
	r = ol_read_file(path, MAX_SCRIPT, &text, &len, err);
	if (r < 0)
		return r;
	if (len < 2 || memcmp(text, "#!", 2) != 0 || memchr(text, '\0', len))
		return 0;
	for (const char *p = text; p < text + len;) {
		const char *end = memchr(p, '\n', (size_t) (text + len - p));
		if (!end)
			end = text + len;
		if (p != text && wrapper_line(p, (size_t) (end - p), out) < 0)
			return ol_error_oom(err);
		p = end + 1;
	}
	if (out->program && strncmp(base_name(out->program), "oci-landlock-runtime", 20) == 0)
		return 1;
	ol_wrapper_free(out);
	return 0;
}
