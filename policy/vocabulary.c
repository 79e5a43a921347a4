/* SPDX-License-Identifier: Apache-2.0 */
/* The vocabulary table and the compilers of its words. */
#include "vocabulary.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "policy.h"
#include "sandbox/socket-filter.h"

void ol_enforcement_init(struct ol_enforcement *e)
{
	e->mode = OL_MODE_STRICT;
	e->log_flags = OL_LOG_DEFAULT;
	e->sockets = OL_SOCKETS_UNFILTERED;
	e->confirm = false;
}

static int fs_rules(struct ol_ruleset *rs, unsigned preset, const char *value, struct ol_error *err)
{
	return ol_shorthand_fs(rs, (enum ol_fs_preset) preset, value, err);
}

static int port_rules(struct ol_ruleset *rs, unsigned right, const char *value,
		      struct ol_error *err)
{
	return ol_shorthand_ports(rs, right, value, err);
}

static int unix_rules(struct ol_ruleset *rs, unsigned unused, const char *value,
		      struct ol_error *err)
{
	(void) unused;
	return ol_shorthand_unix(rs, value, err);
}

/* param: 1 for quiet.scope */
static int scope_rules(struct ol_ruleset *rs, unsigned quiet, const char *value,
		       struct ol_error *err)
{
	return ol_shorthand_scope(rs, quiet != 0, value, err);
}

static int quiet_fs_rules(struct ol_ruleset *rs, unsigned unused, const char *value,
			  struct ol_error *err)
{
	(void) unused;
	return ol_shorthand_quiet_fs(rs, value, err);
}

static int quiet_port_rules(struct ol_ruleset *rs, unsigned unused, const char *value,
			    struct ol_error *err)
{
	(void) unused;
	return ol_shorthand_quiet_ports(rs, value, err);
}

static int policy_rules(struct ol_ruleset *rs, unsigned unused, const char *value,
			struct ol_error *err)
{
	(void) unused;
	return ol_landlockconfig_parse(value, strlen(value), rs, err);
}

static int set_mode(struct ol_enforcement *e, const char *value, struct ol_error *err)
{
	return ol_parse_mode(value, &e->mode, err);
}

static int set_log(struct ol_enforcement *e, const char *value, struct ol_error *err)
{
	return ol_parse_log(value, &e->log_flags, err);
}

static int set_sockets(struct ol_enforcement *e, const char *value, struct ol_error *err)
{
	uint32_t kinds;

	if (ol_socket_kinds_parse(value, &kinds, err) < 0)
		return -err->code;
	/* Each source can only narrow: repeated lists intersect. */
	e->sockets = e->sockets == OL_SOCKETS_UNFILTERED ? kinds : e->sockets & kinds;
	return 0;
}

static int set_confirm(struct ol_enforcement *e, const char *value, struct ol_error *err)
{
	if (strcmp(value, "on") == 0 || strcmp(value, "off") == 0) {
		e->confirm = value[1] == 'n';
		return 0;
	}
	ol_error_set(err, EINVAL, "expected on or off, found '%s'", value);
	return ol_error_hint(err, "on prints one line 'sandbox applied: ...' on stderr "
				  "before the command runs");
}

#define FS(k, o, preset, text)                                                                     \
	{                                                                                          \
		.key = (k), .option = (o), .kind = OL_WORD_RULES, .paths = true,                   \
		.rules = fs_rules, .param = (preset), .arg = "PATHS",                              \
		.section = OL_SECTION_POLICY, .help = (text)                                       \
	}
#define PORTS(k, o, right, text)                                                                   \
	{                                                                                          \
		.key = (k), .option = (o), .kind = OL_WORD_RULES, .rules = port_rules,             \
		.param = (right), .arg = "PORTS", .section = OL_SECTION_POLICY, .help = (text)     \
	}

const struct ol_word_info ol_words[OL_WORD_COUNT] = {
	[OL_KEY_PROFILE] = { .key = "profile", .kind = OL_WORD_LAYER },
	[OL_KEY_POLICY] = { .key = "policy",
			    .option = "policy",
			    .kind = OL_WORD_RULES,
			    .rules = policy_rules,
			    .arg = "JSON",
			    .section = OL_SECTION_POLICY,
			    .help = "a landlockconfig document" },
	[OL_KEY_POLICY_FILE] = { .key = "policy-file",
				 .option = "policy-file",
				 .kind = OL_WORD_LAYER,
				 .arg = "PATH",
				 .section = OL_SECTION_POLICY,
				 .help = "the same, read from a file" },
	[OL_KEY_FS_RO] =
		FS("fs.ro", "fs-ro", OL_FS_RO, "read files and list directories under PATHS"),
	[OL_KEY_FS_RX] = FS("fs.rx", "fs-rx", OL_FS_RX, "the same, and execute"),
	[OL_KEY_FS_RW] = FS("fs.rw", "fs-rw", OL_FS_RW, "every file-system right but execute"),
	[OL_KEY_FS_RWX] = FS("fs.rwx", "fs-rwx", OL_FS_RWX,
			     "every file-system right\n(PATHS is ':'-separated)"),
	[OL_KEY_FS_UNIX] = { .key = "fs.unix",
			     .option = "fs-unix",
			     .kind = OL_WORD_RULES,
			     .paths = true,
			     .rules = unix_rules,
			     .arg = "PATHS",
			     .section = OL_SECTION_POLICY,
			     .help = "pathname UNIX sockets it may connect to\n"
				     "(resolve_unix, ABI 9; \"\" denies all)" },
	[OL_KEY_NET_BIND] = PORTS("net.bind", "net-bind", OL_LL_ACCESS_NET_BIND_TCP,
				  "TCP ports it may bind (80,443,8000-8099;\n\"\" denies all)"),
	[OL_KEY_NET_CONNECT] = PORTS("net.connect", "net-connect", OL_LL_ACCESS_NET_CONNECT_TCP,
				     "TCP ports it may connect to (\"\" denies all)"),
	[OL_KEY_NET_UDP_BIND] = PORTS("net.udp.bind", "net-udp-bind", OL_LL_ACCESS_NET_BIND_UDP,
				      "UDP ports it may bind (ABI 10; 0 for\n"
				      "clients: a first send binds one)"),
	[OL_KEY_NET_UDP_CONNECT] =
		PORTS("net.udp.connect", "net-udp-connect", OL_LL_ACCESS_NET_CONNECT_SEND_UDP,
		      "UDP ports it may connect or send to (ABI 10)"),
	[OL_KEY_SCOPE] = { .key = "scope",
			   .option = "scope",
			   .kind = OL_WORD_RULES,
			   .rules = scope_rules,
			   .arg = "LIST",
			   .section = OL_SECTION_POLICY,
			   .help = "abstract_unix_socket,signal or all: no\n"
				   "abstract sockets or signals outside" },
	[OL_KEY_QUIET_FS] = { .key = "quiet.fs",
			      .option = "quiet-fs",
			      .kind = OL_WORD_RULES,
			      .paths = true,
			      .rules = quiet_fs_rules,
			      .arg = "PATHS",
			      .section = OL_SECTION_POLICY,
			      .help = "keep the layer's denials beneath PATHS out\n"
				      "of the audit log (ABI 10); allows nothing" },
	[OL_KEY_QUIET_NET] = { .key = "quiet.net",
			       .option = "quiet-net",
			       .kind = OL_WORD_RULES,
			       .rules = quiet_port_rules,
			       .arg = "PORTS",
			       .section = OL_SECTION_POLICY,
			       .help = "the same for its denials on PORTS" },
	[OL_KEY_QUIET_SCOPE] = { .key = "quiet.scope",
				 .option = "quiet-scope",
				 .kind = OL_WORD_RULES,
				 .rules = scope_rules,
				 .param = 1,
				 .arg = "LIST",
				 .section = OL_SECTION_POLICY,
				 .help = "the same for these scopes (of those\n"
					 "--scope sets)" },
	[OL_KEY_MODE] = { .key = "mode",
			  .option = "mode",
			  .kind = OL_WORD_SETTING,
			  .setting = set_mode,
			  .arg = "MODE",
			  .section = OL_SECTION_SETTING,
			  .help = "strict (default): refuse to run what this\n"
				  "kernel cannot enforce; best-effort: drop it" },
	[OL_KEY_LOG] = { .key = "log",
			 .option = "log",
			 .kind = OL_WORD_SETTING,
			 .setting = set_log,
			 .arg = "LIST",
			 .section = OL_SECTION_SETTING,
			 .help = "audit logging of denials: new-exec-on\n"
				 "(default), same-exec-off, subdomains-off, off" },
	[OL_KEY_NET_SOCKET] = { .key = "net.socket",
				.option = "net-socket",
				.kind = OL_WORD_SETTING,
				.setting = set_sockets,
				.arg = "LIST",
				.section = OL_SECTION_POLICY,
				.help = "socket kinds that may be created (seccomp):\n"
					"unix,tcp,mptcp,udp,icmp,raw,netlink,packet,\n"
					"vsock, or none; others fail with EACCES" },
	[OL_KEY_CONFIRM] = { .key = "confirm",
			     .option = "confirm",
			     .kind = OL_WORD_SETTING,
			     .setting = set_confirm,
			     .arg = "on|off",
			     .section = OL_SECTION_SETTING,
			     .help = "on: print one line 'sandbox applied: ...'\n"
				     "on stderr before the command runs (off)" },
	[OL_KEY_LEARN] = { .key = "learn",
			   .option = "learn",
			   .kind = OL_WORD_STANDALONE,
			   .arg = "FILE",
			   .section = OL_SECTION_LEARNING,
			   .help = "run COMMAND unconfined but observed and write\n"
				   "what it used to FILE; 'oci-landlock learn FILE'\n"
				   "turns that into a policy" },
	[OL_OPT_LAYER] = { .option = "layer",
			   .kind = OL_WORD_LAUNCHER,
			   .arg = "NAME",
			   .section = OL_SECTION_POLICY,
			   .help = "start a layer named NAME: the policy options\n"
				   "that follow all add to it (merged)" },
	[OL_OPT_HOST_LAYER] = { .option = "host-layer",
				.kind = OL_WORD_LAUNCHER,
				.arg = "NAME",
				.section = OL_SECTION_POLICY,
				.help = "the same, for the layer the host gives every\n"
					"container: its paths an image lacks are\n"
					"skipped without a warning" },
	[OL_OPT_ERROR] = { .option = "error",
			   .kind = OL_WORD_LAUNCHER,
			   .arg = "MESSAGE",
			   .section = OL_SECTION_SETTING,
			   .help = "refuse to run, saying MESSAGE (the hook carries\n"
				   "errors it found on the host this way)" },
	[OL_OPT_WARNING] = { .option = "warning",
			     .kind = OL_WORD_LAUNCHER,
			     .arg = "MESSAGE",
			     .section = OL_SECTION_SETTING,
			     .help = "print MESSAGE as a warning, then go on (the\n"
				     "hook carries what it noticed on the host this way)" },
	[OL_OPT_LEARN_EXEC] = { .option = "learn-exec",
				.kind = OL_WORD_LAUNCHER,
				.section = OL_SECTION_LEARNING,
				.help = "with --learn FILE, in an exec session: write\n"
					"FILE.exec-PID instead, beside the container's" },
	[OL_OPT_HELP] = { .option = "help",
			  .kind = OL_WORD_LAUNCHER,
			  .section = OL_SECTION_OTHER,
			  .help = "show this help" },
	[OL_OPT_VERSION] = { .option = "version",
			     .kind = OL_WORD_LAUNCHER,
			     .section = OL_SECTION_OTHER,
			     .help = "show the version and the Landlock ABI known" },
};

enum ol_word ol_word_by_key(const char *key, size_t len)
{
	for (size_t w = 0; w < OL_KEY_COUNT; w++)
		if (strlen(ol_words[w].key) == len && memcmp(ol_words[w].key, key, len) == 0)
			return (enum ol_word) w;
	return OL_WORD_COUNT;
}

void ol_words_keys(char *buf, size_t size)
{
	size_t used = 0;

	buf[0] = '\0';
	for (size_t w = 0; w < OL_KEY_COUNT && used < size; w++) {
		int n = snprintf(buf + used, size - used, "%s%s", w ? ", " : "", ol_words[w].key);
		if (n < 0)
			break;
		used += (size_t) n;
	}
}
