/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Policy sources compiled to Landlock layers (struct ol_ruleset).
 *
 *  - landlockconfig JSON, the Landlock maintainers' format
 *    (landlockconfig.c);
 *  - the annotation / command-line shorthand: fs.ro/rx/rw/rwx path lists,
 *    net.bind/connect port lists, scope (shorthand.c);
 *  - the settings shared by every layer: mode and audit log flags
 *    (enforcement.c);
 *  - the printer that writes a layer back as canonical landlockconfig JSON
 *    (print.c).
 *
 * Every function here fills a caller-initialised ruleset (whose source
 * names it) and reports errors with the JSON path or list position; the
 * caller prefixes the annotation key, option or file name.
 */
#ifndef OL_POLICY_POLICY_H
#define OL_POLICY_POLICY_H

#include <stdint.h>

#include "common/error.h"
#include "oci/json.h"
#include "sandbox/abi.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/rights.h"
#include "sandbox/ruleset.h"

/*
 * Bounds on what one layer may expand to: variables multiply paths, and a
 * small annotation must not make the root hook allocate without limit.
 */
#define OL_POLICY_MAX_PATHS	 100000
#define OL_POLICY_MAX_VARIABLES	 1024
#define OL_POLICY_MAX_PATH_BYTES (4 << 20) /* all paths of a layer together */
#define OL_POLICY_MAX_PATH_LEN	 4095	   /* one path: PATH_MAX - 1 */

/*
 * A rule path holds no ".." component: the launcher walks none (see
 * sandbox/resolve.h), and a policy can name the directory it means.
 */
int ol_policy_check_path(const char *path, size_t len, struct ol_error *err);

/* landlockconfig JSON text or an already parsed document. */
int ol_landlockconfig_parse(const char *text, size_t len, struct ol_ruleset *rs,
			    struct ol_error *err);
int ol_landlockconfig_load(const struct ol_json *root, struct ol_ruleset *rs, struct ol_error *err);

/* Shorthand presets for path lists. */
enum ol_fs_preset {
	OL_FS_RO,  /* read files, list directories */
	OL_FS_RX,  /* and execute */
	OL_FS_RW,  /* every right but execute */
	OL_FS_RWX, /* every right */
};

uint64_t ol_fs_preset_access(enum ol_fs_preset preset);
const char *ol_fs_preset_name(enum ol_fs_preset preset);

/*
 * Add a ':'-separated path list.  Any path list makes the layer handle
 * every file-system right this version knows.  Empty items are errors.
 */
int ol_shorthand_fs(struct ol_ruleset *rs, enum ol_fs_preset preset, const char *list,
		    struct ol_error *err);

/*
 * Add a ','-separated list of ports and ranges ("80,443,8000-8099") for
 * net_access (bind_tcp or connect_tcp).  That right becomes handled; an
 * empty list therefore denies it on every port.
 */
/*
 * fs.unix: the pathname UNIX sockets (or directories of them) the
 * workload may connect or send to; handles resolve_unix only.  An empty
 * list handles it and allows no socket.
 */
int ol_shorthand_unix(struct ol_ruleset *rs, const char *list, struct ol_error *err);

int ol_shorthand_ports(struct ol_ruleset *rs, uint64_t net_access, const char *list,
		       struct ol_error *err);

/*
 * Add scopes: "abstract_unix_socket", "signal" (','-separated) or "all";
 * with quiet, to the scopes whose denials are not logged (quiet.scope),
 * which must be scopes the layer sets (ol_ruleset_fit() checks).
 */
int ol_shorthand_scope(struct ol_ruleset *rs, bool quiet, const char *list, struct ol_error *err);

/*
 * quiet.fs (a ':'-separated path list) and quiet.net (a port list): quiet
 * rules that allow nothing; their quiet rights are whatever the layer
 * handles in the end (quiet_follows).  They handle nothing themselves.
 */
int ol_shorthand_quiet_fs(struct ol_ruleset *rs, const char *list, struct ol_error *err);
int ol_shorthand_quiet_ports(struct ol_ruleset *rs, const char *list, struct ol_error *err);

/* "strict" or "best-effort". */
int ol_parse_mode(const char *text, enum ol_mode *mode, struct ol_error *err);

/*
 * Audit log flags for landlock_restrict_self(), ','-separated:
 * new-exec-on, same-exec-off, subdomains-off, or off.  The list replaces
 * the default, which is new-exec-on (the only setting under which the
 * kernel logs the denials of the program the launcher executes).
 */
#define OL_LOG_DEFAULT OL_LL_RESTRICT_SELF_LOG_NEW_EXEC_ON
int ol_parse_log(const char *text, uint32_t *flags, struct ol_error *err);

/* The names of the rights of one kind in mask, as a JSON array (NULL
 * when memory runs out): what the printer and recordings write. */
struct ol_json *ol_rights_json(enum ol_right_kind kind, uint64_t mask);

/* Write a layer as canonical landlockconfig JSON (explicit rights only). */
int ol_ruleset_print(const struct ol_ruleset *rs, enum ol_json_style style, char **out,
		     size_t *out_len, struct ol_error *err);

#endif
