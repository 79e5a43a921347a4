/* SPDX-License-Identifier: Apache-2.0 */
/*
 * landlockconfig's TOML form, read into the same ol_json tree as its JSON
 * form, so that one loader (landlockconfig.c) validates both.
 *
 * Only the subset of TOML that landlockconfig uses is read: top-level
 * `key = value` lines, `[[name]]` arrays of tables, basic and literal
 * strings, integers, booleans, arrays, comments.  Everything else (tables,
 * inline tables, dotted or quoted keys, multi-line strings, floats, dates)
 * is refused by name, never guessed at.  TOML keys are snake_case and are
 * stored in their JSON spelling (`path_beneath` as "pathBeneath"); a key
 * with a capital letter is refused, as landlockconfig refuses it.
 *
 * Bounds: the document size and the nesting depth of ol_json_limits (as
 * the JSON parser), at most OL_TOML_MAX_KEYS keys per table, keys of at most
 * OL_TOML_MAX_KEY_LEN bytes.  Errors start with "line N: ".
 */
#ifndef OL_POLICY_TOML_H
#define OL_POLICY_TOML_H

#include <stdbool.h>
#include <stddef.h>

#include "common/error.h"
#include "oci/json.h"
#include "sandbox/ruleset.h"

#define OL_TOML_MAX_KEYS    64
#define OL_TOML_MAX_KEY_LEN 128

int ol_toml_parse(const char *text, size_t len, const struct ol_json_limits *limits,
		  struct ol_json **out, struct ol_error *err);

/* landlockconfig TOML text compiled to a layer (ol_landlockconfig_parse's twin). */
int ol_landlockconfig_parse_toml(const char *text, size_t len, struct ol_ruleset *rs,
				 struct ol_error *err);

/* The same policy as compact landlockconfig JSON text (NUL-terminated). */
int ol_toml_to_json_text(const char *text, size_t len, char **out, size_t *out_len,
			 struct ol_error *err);

/* Whether a file name ends in ".toml": how files choose their form. */
bool ol_toml_file_name(const char *name);

#endif
