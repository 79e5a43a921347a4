/* SPDX-License-Identifier: Apache-2.0 */
/* oci-landlock learn's output (learn-output.h). */
#include "learn-output.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/buf.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "oci/json.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"
#include "sandbox/socket-filter.h"

/* How many of the broadest rules the review names. */
#define BROADEST_SHOWN 3

static const char *const format_names[] = { "policy", "podman", "kubernetes" };

int learn_format_parse(const char *name, enum learn_format *out)
{
	for (size_t i = 0; i < OL_ARRAY_SIZE(format_names); i++)
		if (strcmp(name, format_names[i]) == 0) {
			*out = (enum learn_format) i;
			return 0;
		}
	return -EINVAL;
}

/*
 * The policy file, replaced whole: often beside the recording, in a
 * directory the workload could write, where a symbolic link or a FIFO may
 * wait at the name.  where gets the path written, for the mount.
 */
static int write_file(const char *file, const char *text, size_t len, char *where, size_t size,
		      struct ol_error *err)
{
	const char *slash = strrchr(file, '/');
	const char *base = slash ? slash + 1 : file;
	char dir[PATH_MAX], real[PATH_MAX], tmp[NAME_MAX + 1];
	cleanup_close int dirfd = -1;
	cleanup_close int fd = -1;
	struct stat st;
	int r = 0;

	snprintf(dir, sizeof(dir), "%.*s", slash ? (int) (slash - file) + (slash == file) : 1,
		 slash ? file : ".");
	if (!*base ||
	    snprintf(tmp, sizeof(tmp), "%s.tmp-%d", base, (int) getpid()) >= (int) sizeof(tmp))
		return ol_error_set(err, EINVAL, "cannot write the policy '%s': not a file name",
				    file);
	dirfd = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0 || !realpath(dir, real))
		return ol_error_errno(err, errno, "cannot write the policy '%s'", file);
	if (fstatat(dirfd, base, &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISREG(st.st_mode))
		return ol_error_set(err, EEXIST,
				    "cannot write the policy '%s': it exists and is not a regular "
				    "file (a symbolic link is not followed)",
				    file);
	(void) unlinkat(dirfd, tmp, 0);
	fd = openat(dirfd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot write the policy '%s'", file);
	r = ol_write_all(fd, text, len);
	if (r == 0)
		r = ol_write_all(fd, "\n", 1);
	if (r == 0 && renameat(dirfd, tmp, dirfd, base) < 0)
		r = -errno;
	if (r < 0) {
		(void) unlinkat(dirfd, tmp, 0);
		return ol_error_errno(err, -r, "cannot write the policy '%s'", file);
	}
	if (snprintf(where, size, "%s%s%s", real, strcmp(real, "/") ? "/" : "", base) >= (int) size)
		return ol_error_set(err, ENAMETOOLONG, "the policy '%s': %s", file,
				    strerror(ENAMETOOLONG));
	return 0;
}

/* podman reads --annotation as CSV: a value with a comma or a quote is
 * quoted, its quotes doubled. */
static int podman_annotation(struct ol_buf *b, const char *key, const char *value)
{
	cleanup_buf struct ol_buf kv = { 0 };
	cleanup_buf struct ol_buf csv = { 0 };
	int r = ol_buf_puts(&kv, key);

	if (r == 0)
		r = ol_buf_puts(&kv, "=");
	if (r == 0)
		r = ol_buf_puts(&kv, value);
	if (r == 0)
		r = ol_buf_append(&kv, "", 1);
	if (r == 0 && !strpbrk(kv.data, ",\""))
		return ol_buf_puts(b, "--annotation ") == 0 ? ol_shell_quote(b, kv.data) : -ENOMEM;
	r = r == 0 ? ol_buf_puts(&csv, "\"") : r;
	for (const char *p = kv.data; r == 0 && *p; p++)
		r = *p == '"' ? ol_buf_puts(&csv, "\"\"") : ol_buf_append(&csv, p, 1);
	if (r == 0)
		r = ol_buf_append(&csv, "\"", 2);
	if (r == 0)
		r = ol_buf_puts(b, "--annotation ");
	return r == 0 ? ol_shell_quote(b, csv.data) : r;
}

/*
 * A YAML scalar in double quotes: '"' and '\\' escaped, and every code
 * point but printable ASCII as \uXXXX (\UXXXXXXXX), which no YAML reader
 * folds or refuses (a raw NEL or DEL would be).  The text is UTF-8, as the
 * JSON printer writes it.
 */
static int yaml_entry(struct ol_buf *b, const char *key, const char *value)
{
	int r = ol_buf_puts(b, "    ");

	if (r == 0)
		r = ol_buf_puts(b, key);
	if (r == 0)
		r = ol_buf_puts(b, ": \"");
	for (const unsigned char *p = (const unsigned char *) value; r == 0 && *p;) {
		char esc[16];
		uint32_t c = *p++;
		int more = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
		if (c >= 0x80)
			c &= 0x3fu >> more;
		for (; more > 0 && (*p & 0xc0) == 0x80; more--)
			c = c << 6 | (*p++ & 0x3fu);
		if (c == '"' || c == '\\')
			snprintf(esc, sizeof(esc), "\\%c", (char) c);
		else if (c >= 0x20 && c < 0x7f)
			snprintf(esc, sizeof(esc), "%c", (char) c);
		else
			snprintf(esc, sizeof(esc), c > 0xffff ? "\\U%08x" : "\\u%04x", c);
		r = ol_buf_puts(b, esc);
	}
	return r == 0 ? ol_buf_puts(b, "\"\n") : r;
}

/* The socket kinds used, as the option takes them: "unix,tcp". */
static void socket_list(uint32_t kinds, char sep, char *list, size_t size)
{
	char *p;

	ol_socket_kinds_format(kinds, list, size);
	while ((p = strstr(list, ", "))) {
		*p = sep;
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	}
}

static int enforcing_args(const char *policy, const char *where, uint32_t sockets, bool yaml,
			  struct ol_buf *b, struct ol_error *err)
{
	char list[256];
	int r = 0;

	if (yaml) {
		r = ol_buf_puts(b, "metadata:\n  annotations:\n");
		if (r == 0)
			r = yaml_entry(b, "oci.landlock.policy", policy);
		socket_list(sockets, ',', list, sizeof(list));
		if (r == 0 && sockets)
			r = yaml_entry(b, "oci.landlock.net.socket", list);
		return r < 0 ? ol_error_oom(err) : 0;
	}
	if (where) {
		/* The policy file, mounted read-only where the launcher reads it. */
		r = ol_buf_puts(b, "-v ");
		if (r == 0) {
			char mount[PATH_MAX + 64];
			snprintf(mount, sizeof(mount), "%s:%s:ro", where,
				 LEARN_POLICY_IN_CONTAINER);
			r = ol_shell_quote(b, mount);
		}
		if (r == 0)
			r = ol_buf_puts(b, " \\\n");
		if (r == 0)
			r = podman_annotation(b, "oci.landlock.policy-file",
					      LEARN_POLICY_IN_CONTAINER);
	} else {
		r = podman_annotation(b, "oci.landlock.policy", policy);
	}
	/* Spaces, not commas: nothing for podman to split. */
	socket_list(sockets, ' ', list, sizeof(list));
	if (r == 0 && sockets)
		r = ol_buf_puts(b, " \\\n");
	if (r == 0 && sockets)
		r = podman_annotation(b, "oci.landlock.net.socket", list);
	if (r == 0)
		r = ol_buf_puts(b, "\n");
	return r < 0 ? ol_error_oom(err) : 0;
}

int learn_output(const struct ol_ruleset *rs, const struct ol_recording *rec,
		 enum learn_format format, const char *file, FILE *out, struct ol_error *err)
{
	cleanup_free char *pretty = NULL;
	cleanup_free char *compact = NULL;
	cleanup_buf struct ol_buf b = { 0 };
	char where[PATH_MAX];
	size_t len, clen;
	int r = ol_ruleset_print(rs, OL_JSON_PRETTY, &pretty, &len, err);

	if (r == 0 && file)
		r = write_file(file, pretty, len, where, sizeof(where), err);
	if (r < 0)
		return r;
	if (format == LEARN_POLICY) {
		if (file)
			return 0;
		return fwrite(pretty, 1, len, out) == len && fputc('\n', out) != EOF &&
				       fflush(out) == 0
			       ? 0
			       : ol_error_errno(err, errno, "cannot write the policy");
	}
	r = ol_ruleset_print(rs, OL_JSON_COMPACT, &compact, &clen, err);
	if (r == 0)
		r = enforcing_args(compact, format == LEARN_PODMAN && file ? where : NULL,
				   rec->sockets, format == LEARN_KUBERNETES, &b, err);
	if (r < 0)
		return r;
	return fwrite(b.data, 1, b.len, out) == b.len && fflush(out) == 0
		       ? 0
		       : ol_error_errno(err, errno, "cannot write the arguments");
}

static unsigned components(const char *path)
{
	unsigned n = 0;

	for (const char *p = path; *p; p++)
		n += *p == '/' && p[1];
	return n;
}

static int broader(const struct ol_path_rule *a, const struct ol_path_rule *b)
{
	unsigned ca = components(a->path), cb = components(b->path);

	if (ca != cb)
		return ca < cb;
	return __builtin_popcountll(a->access) > __builtin_popcountll(b->access);
}

/* The ports of the rules with a right: "80,443", or "none". */
static void print_port_list(const struct ol_ruleset *rs, uint64_t access, FILE *to)
{
	unsigned n = 0;

	for (size_t i = 0; i < rs->n_ports; i++)
		if (rs->ports[i].access & access)
			fprintf(to, "%s%llu", n++ ? "," : "",
				(unsigned long long) rs->ports[i].port);
	if (!n)
		fprintf(to, "none");
}

/* Which kernel the policy is for, and what this one makes of it. */
static void print_target(const struct ol_ruleset *rs, const struct learn_target *t, FILE *to)
{
	bool lacks = (rs->handled_fs & ~ol_rights_mask(OL_RIGHT_FS, t->kernel)) ||
		     (rs->handled_net & ~ol_rights_mask(OL_RIGHT_NET, t->kernel)) ||
		     (rs->scoped & ~ol_rights_mask(OL_RIGHT_SCOPE, t->kernel));

	fprintf(to, "oci-landlock: the policy is for Landlock ABI %d", t->abi);
	if (!t->given && t->kernel > t->abi)
		fprintf(to, ", the newest this version knows (this kernel has ABI %d)\n",
			t->kernel);
	else if (!t->given)
		fprintf(to, ", this kernel's (--abi N makes it for another)\n");
	else if (t->kernel == t->abi)
		fprintf(to, " (--abi), this kernel's\n");
	else if (t->kernel == 0)
		fprintf(to, " (--abi); this kernel has no Landlock\n");
	else
		fprintf(to, " (--abi); this kernel has ABI %d%s\n", t->kernel,
			lacks ? ", which lacks some of its rights: strict mode refuses it here, "
				"best effort drops them"
			      : ", which enforces it as written");
}

/* What the run used and the policy leaves unrestricted, one line a right. */
static void print_unrestricted(const struct ol_recording *rec, const struct ol_learn_review *review,
			       int abi, FILE *to)
{
	char path[4 * PATH_MAX];

	if (!review->n_unrestricted)
		return;
	fprintf(to,
		"oci-landlock: not restricted under Landlock ABI %d, though the run used "
		"them:\n",
		abi);
	for (size_t i = 0; i < review->n_unrestricted; i++) {
		const struct ol_learn_unrestricted *u = &review->unrestricted[i];
		const struct ol_right *r = ol_right_by_bit(u->kind, u->bit);
		fprintf(to, "  %s ", r->name);
		if (u->bit == OL_LL_ACCESS_FS_REFER)
			fprintf(to,
				"(ABI %d refuses every link or rename between directories, "
				"whatever the policy; ABI 2 restricts it): ",
				abi);
		else if (r->abi > abi)
			fprintf(to, "(needs ABI %d, Linux %s): ", r->abi, ol_abi_linux(r->abi));
		else
			fprintf(to, "(a recording of version 1 did not observe it): ");
		if (u->example) {
			fprintf(to, "'%s'", ol_printable(u->example, path, sizeof(path)));
			if (u->uses > 1)
				fprintf(to, " and %zu more", u->uses - 1);
		} else {
			fprintf(to, "ports ");
			print_port_list(&rec->used, u->bit, to);
		}
		fprintf(to, "\n");
	}
}

static void print_unobserved(const struct ol_learn_review *review, FILE *to)
{
	char fs[256], net[256];

	if (!review->unobserved_fs && !review->unobserved_net)
		return;
	ol_rights_format(OL_RIGHT_FS, review->unobserved_fs, ", ", fs, sizeof(fs));
	ol_rights_format(OL_RIGHT_NET, review->unobserved_net, ", ", net, sizeof(net));
	fprintf(to,
		"oci-landlock: not handled, as a recording of version 1 (an older launcher) did "
		"not observe them: %s%s%s; record again to restrict them\n",
		fs, *fs && *net ? ", " : "", net);
}

void learn_review(const struct ol_ruleset *rs, const struct ol_recording *rec,
		  const struct ol_learn_review *review, const struct learn_target *target, FILE *to)
{
	const uint64_t reading =
		OL_LL_ACCESS_FS_EXECUTE | OL_LL_ACCESS_FS_READ_FILE | OL_LL_ACCESS_FS_READ_DIR;
	const struct ol_path_rule *top[BROADEST_SHOWN] = { 0 };
	size_t writers = 0;
	char rights[512], path[4 * PATH_MAX];

	for (size_t i = 0; i < rs->n_paths; i++) {
		const struct ol_path_rule *p = &rs->paths[i];
		writers += (p->access & ~reading) != 0;
		for (size_t k = 0; k < BROADEST_SHOWN; k++)
			if (!top[k] || broader(p, top[k])) {
				memmove(&top[k + 1], &top[k],
					(BROADEST_SHOWN - k - 1) * sizeof(*top));
				top[k] = p;
				break;
			}
	}
	print_target(rs, target, to);
	fprintf(to,
		"oci-landlock: the policy grants %zu path rules (%zu with more than reading "
		"and executing)",
		rs->n_paths, writers);
	/* The ports of each network right it handles ("none": all denied). */
	for (size_t i = 0; i < ol_rights_count; i++)
		if (ol_rights[i].kind == OL_RIGHT_NET && (rs->handled_net & ol_rights[i].bit)) {
			fprintf(to, ", %s ", ol_rights[i].name);
			print_port_list(rs, ol_rights[i].bit, to);
		}
	fprintf(to, "\n");
	/* Paths the workload chose: printed as text, never as controls. */
	for (size_t k = 0; k < BROADEST_SHOWN && top[k]; k++) {
		ol_rights_format(OL_RIGHT_FS, top[k]->access, ", ", rights, sizeof(rights));
		fprintf(to, "%s'%s' (%s)%s", k ? ", " : "oci-landlock: broadest: ",
			ol_printable(top[k]->path, path, sizeof(path)), rights,
			k + 1 == BROADEST_SHOWN || !top[k + 1] ? "\n" : "");
	}
	if (review->n_left_out) {
		fprintf(to, "oci-landlock: left out, writing beneath system directories or on '/' "
			    "(the workload could rewrite its own programs):\n");
		for (size_t i = 0; i < review->n_left_out; i++) {
			const struct ol_learn_omission *o = &review->left_out[i];
			ol_rights_format(OL_RIGHT_FS, o->access, ", ", rights, sizeof(rights));
			fprintf(to, "  '%s': %s", ol_printable(o->path, path, sizeof(path)),
				rights);
			fprintf(to, " (the run used '%s')\n",
				ol_printable(o->example, path, sizeof(path)));
		}
		fprintf(to, "oci-landlock: add --system-writes to keep them, once you know why the "
			    "workload writes there\n");
	}
	print_unrestricted(rec, review, target->abi, to);
	print_unobserved(review, to);
	if (rec->sockets) {
		char list[256], spaced[256];
		socket_list(rec->sockets, ',', list, sizeof(list));
		socket_list(rec->sockets, ' ', spaced, sizeof(spaced));
		fprintf(to,
			"oci-landlock: socket kinds used: %s: add --net-socket %s (podman: "
			"--annotation 'oci.landlock.net.socket=%s') to refuse every other kind\n",
			list, list, spaced);
	}
}
