/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock learn: read what `oci-landlock-exec --learn` recorded and
 * print the least-privilege landlockconfig policy for it (the rules are
 * generalised by policy/generalise.c), plus the socket filter that fits.
 */
#include "cli.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cleanup.h"
#include "common/fileio.h"
#include "common/text.h"
#include "oci/json.h"
#include "policy/learn.h"
#include "policy/policy.h"
#include "sandbox/socket-filter.h"

#define USAGE "usage: oci-landlock learn [--depth N] [--merge] [-o FILE] RECORDING...\n"

static int write_out(const char *file, const char *text, size_t len, FILE *out,
		     struct ol_error *err)
{
	cleanup_close int fd = -1;
	int r;

	if (!file)
		return fwrite(text, 1, len, out) == len && fflush(out) == 0
			       ? 0
			       : ol_error_errno(err, errno, "cannot write the policy");
	fd = open(file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOCTTY, 0644);
	if (fd < 0)
		return ol_error_errno(err, errno, "cannot write the policy '%s'", file);
	r = ol_write_all(fd, text, len);
	return r < 0 ? ol_error_errno(err, -r, "cannot write the policy '%s'", file) : 0;
}

/* The socket filter that allows what was used, for the operator to add. */
static void socket_note(uint32_t kinds)
{
	char list[256], *p;

	ol_socket_kinds_format(kinds, list, sizeof(list));
	/* "unix, tcp" as a list the option takes: "unix,tcp". */
	while ((p = strstr(list, ", ")))
		memmove(p + 1, p + 2, strlen(p + 2) + 1);
	fprintf(stderr,
		"oci-landlock: socket kinds used: %s: add --net-socket %s (annotation "
		"oci.landlock.net.socket=%s) to refuse every other kind\n",
		list, list, list);
}

int ol_cli_learn(int argc, char **argv, FILE *out)
{
	struct ol_recording rec;
	struct ol_ruleset rs;
	struct ol_error err = { 0 };
	cleanup_free char *policy = NULL;
	const char *file = NULL;
	unsigned depth = OL_LEARN_DEPTH_DEFAULT;
	bool merge = false;
	cleanup_free char **files = calloc((size_t) argc, sizeof(*files));
	bool options = true;
	size_t len;
	int i, n_files = 0, r;

	if (!files) {
		ol_error_oom(&err);
		return ol_cli_report(&err);
	}
	/* Options before and after the recordings, until "--". */
	for (i = 1; i < argc; i++) {
		uint64_t n;
		if (!options || argv[i][0] != '-' || !argv[i][1]) {
			files[n_files++] = argv[i];
		} else if (strcmp(argv[i], "--merge") == 0) {
			merge = true;
		} else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc) {
			file = argv[++i];
		} else if (strcmp(argv[i], "--depth") == 0 && i + 1 < argc) {
			if (ol_parse_uint(argv[i + 1], strlen(argv[i + 1]), OL_LEARN_DEPTH_MAX,
					  &n) < 0 ||
			    n < 1) {
				fprintf(stderr, "oci-landlock: --depth '%s': expected 1 to %d\n",
					argv[i + 1], OL_LEARN_DEPTH_MAX);
				return 2;
			}
			depth = (unsigned) n;
			i++;
		} else if (strcmp(argv[i], "--") == 0) {
			options = false;
		} else {
			fprintf(stderr, USAGE);
			return 2;
		}
	}
	if (n_files == 0) {
		fprintf(stderr, USAGE);
		return 2;
	}
	if (n_files > 1 && !merge) {
		ol_error_set(&err, EINVAL, "%d recordings given", n_files);
		ol_error_hint(&err, "add --merge to generate one policy that allows what any of "
				    "them used");
		return ol_cli_report(&err);
	}
	if (ol_recording_init(&rec) < 0 || ol_ruleset_init(&rs, "learned") < 0) {
		ol_error_oom(&err);
		ol_recording_free(&rec);
		return ol_cli_report(&err);
	}
	for (r = 0, i = 0; r == 0 && i < n_files; i++) {
		cleanup_free char *text = NULL;
		r = ol_read_file(files[i], ol_json_config_limits.max_bytes, &text, &len, &err);
		if (r == 0 && ol_recording_parse(text, len, &rec, &err) < 0)
			r = ol_error_prefix(&err, "invalid recording '%s'", files[i]);
	}
	if (r == 0)
		r = ol_learn_generate(&rec, depth, &rs, &err);
	if (r == 0)
		r = ol_ruleset_print(&rs, OL_JSON_PRETTY, &policy, &len, &err);
	if (r == 0 && (r = write_out(file, policy, len, out, &err)) == 0 && file == NULL)
		r = fputc('\n', out) == EOF ? -EIO : 0;
	if (r == 0)
		socket_note(rec.sockets);
	ol_ruleset_free(&rs);
	ol_recording_free(&rec);
	return r < 0 ? ol_cli_report(&err) : 0;
}
