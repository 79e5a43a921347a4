/* SPDX-License-Identifier: Apache-2.0 */
/*
 * oci-landlock convert: a landlockconfig policy, TOML (or JSON), written
 * as the canonical JSON the launcher reads.
 *
 * The launcher and the policy-file annotation take JSON only (the static
 * launcher has no TOML parser), so a policy written by hand in TOML is
 * converted here, once, with every check the host applies.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "common/cleanup.h"
#include "common/fileio.h"
#include "policy/policy.h"
#include "sandbox/rights.h"
#include "policy/toml.h"

static int compile(const char *file, struct ol_ruleset *rs, struct ol_error *err)
{
	cleanup_free char *text = NULL;
	bool stdin_toml = strcmp(file, "-") == 0;
	size_t len;
	int r;

	if (stdin_toml)
		r = ol_read_stream(STDIN_FILENO, "stdin", ol_json_policy_limits.max_bytes, &text,
				   &len, err);
	else
		r = ol_read_file(file, ol_json_policy_limits.max_bytes, &text, &len, err);
	if (r < 0)
		return r;
	if (stdin_toml || ol_toml_file_name(file))
		r = ol_landlockconfig_parse_toml(text, len, rs, err);
	else
		r = ol_landlockconfig_parse(text, len, rs, err);
	if (r < 0)
		return ol_error_prefix(err, "invalid policy '%s'", stdin_toml ? "stdin" : file);
	return 0;
}

int ol_cli_convert(int argc, char **argv, FILE *out)
{
	enum ol_json_style style = OL_JSON_PRETTY;
	cleanup_free char *json = NULL;
	struct ol_error err = { 0 };
	const char *file = NULL;
	bool options = true;
	struct ol_ruleset rs;
	size_t len = 0;
	int r;

	for (int i = 1; i < argc; i++) {
		if (options && strcmp(argv[i], "--") == 0)
			options = false;
		else if (options && strcmp(argv[i], "--compact") == 0)
			style = OL_JSON_COMPACT;
		else if (options && argv[i][0] == '-' && argv[i][1])
			return fprintf(stderr, "oci-landlock: convert: unknown option '%s'\n%s",
				       argv[i], OL_CONVERT_USAGE),
			       2;
		else if (!file)
			file = argv[i];
		else
			return fprintf(stderr,
				       "oci-landlock: convert: one FILE only, not also '%s'\n%s",
				       argv[i], OL_CONVERT_USAGE),
			       2;
	}
	if (!file)
		return fprintf(stderr, "%s", OL_CONVERT_USAGE), 2;
	if (ol_ruleset_init(&rs, file) < 0)
		return ol_cli_report((ol_error_oom(&err), &err));
	r = compile(file, &rs, &err);
	/* Written out, an abi.* group newer than this version would lose the
	 * "abi" that makes it refused (or warned about) where it is used. */
	if (r == 0 && rs.group_abi > OL_ABI_MAX) {
		ol_error_set(&err, EINVAL,
			     "'%s': \"abi\" is %d, and this version knows rights up to ABI %d: "
			     "its groups cannot be written out whole",
			     file, rs.group_abi, OL_ABI_MAX);
		r = ol_error_hint(&err, "convert it with a version that knows ABI %d",
				  rs.group_abi);
	}
	if (r == 0)
		r = ol_ruleset_print(&rs, style, &json, &len, &err);
	ol_ruleset_free(&rs);
	if (r < 0)
		return ol_cli_report(&err);
	if (fwrite(json, 1, len, out) != len ||
	    ((!len || json[len - 1] != '\n') && fputc('\n', out) == EOF) || fflush(out) != 0)
		return 1;
	return 0;
}
