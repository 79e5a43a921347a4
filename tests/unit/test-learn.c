/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode's data: recordings written, read back and merged, and the
 * policy generated from them (which directory a right lands on, the depth,
 * created directories, devices, /proc, scopes and ports).
 */
#include "helpers.h"

#include <string.h>

#include "common/cleanup.h"
#include "policy/learn.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"
#include "sandbox/socket-filter.h"

#define R  OL_LL_ACCESS_FS_READ_FILE
#define W  OL_LL_ACCESS_FS_WRITE_FILE
#define X  OL_LL_ACCESS_FS_EXECUTE
#define D  OL_LL_ACCESS_FS_READ_DIR
#define MR OL_LL_ACCESS_FS_MAKE_REG
#define MD OL_LL_ACCESS_FS_MAKE_DIR
#define T  OL_LL_ACCESS_FS_TRUNCATE
#define IO OL_LL_ACCESS_FS_IOCTL_DEV

#define ALL_FS                                                                                     \
	"\"handledAccessFs\":[\"execute\",\"write_file\",\"read_file\",\"read_dir\","              \
	"\"remove_dir\",\"remove_file\",\"make_char\",\"make_dir\",\"make_reg\",\"make_sock\","    \
	"\"make_fifo\",\"make_block\",\"make_sym\",\"refer\",\"truncate\",\"ioctl_dev\"],"         \
	"\"handledAccessNet\":[\"bind_tcp\",\"connect_tcp\"]"

/* The generated policy, compact (writes to system trees kept: system). */
static char *generate_with(struct ol_recording *rec, unsigned depth, bool system)
{
	struct ol_learn_options o = { .depth = depth, .system_writes = system, .abi = 7 };
	struct ol_ruleset rs;
	struct ol_error err = { 0 };
	char *out = NULL;
	size_t len;

	assert_int_equal(ol_ruleset_init(&rs, "learned"), 0);
	assert_int_equal(ol_learn_generate(rec, &o, &rs, NULL, &err), 0);
	assert_int_equal(ol_ruleset_print(&rs, OL_JSON_COMPACT, &out, &len, &err), 0);
	ol_ruleset_free(&rs);
	return out;
}

static char *generate(struct ol_recording *rec, unsigned depth)
{
	return generate_with(rec, depth, false);
}

static void add(struct ol_recording *rec, const char *path, uint64_t access)
{
	assert_int_equal(ol_recording_add_path(rec, path, access), 0);
}

static void test_generalise(void **state)
{
	struct ol_recording rec;
	cleanup_free char *policy = NULL;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	add(&rec, "/etc/app/app.conf", R); /* /etc grants it already */
	add(&rec, "/etc/hostname", R);
	add(&rec, "/usr/lib/x86_64-linux-gnu/libc.so.6", R);
	add(&rec, "/usr/lib/x86_64-linux-gnu/perl/5.36/Config.pm", R); /* cut to depth 3 */
	add(&rec, "/usr/bin/busybox", X | R);
	add(&rec, "/srv/data/out/result", W | T);
	add(&rec, "/srv/data/out", MR);
	add(&rec, "/dev/null", W | IO); /* a device keeps its own rule */
	add(&rec, "/proc/4242/status", R);
	add(&rec, "/hello", R); /* a file at the root keeps its own rule */
	add(&rec, "/", D);
	assert_int_equal(ol_ruleset_add_port(&rec.used, 8080, OL_LL_ACCESS_NET_BIND_TCP), 0);
	assert_int_equal(ol_ruleset_add_port(&rec.used, 5432, OL_LL_ACCESS_NET_CONNECT_TCP), 0);
	policy = generate(&rec, 3);
	assert_string_equal(
		policy,
		"{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\",\"signal\"]}],"
		"\"pathBeneath\":["
		"{\"allowedAccess\":[\"read_dir\"],\"parent\":[\"/\"]},"
		"{\"allowedAccess\":[\"write_file\",\"ioctl_dev\"],\"parent\":[\"/dev/null\"]},"
		"{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/etc\",\"/hello\","
		"\"/proc\",\"/usr/lib/x86_64-linux-gnu\"]},"
		"{\"allowedAccess\":[\"write_file\",\"make_reg\",\"truncate\"],"
		"\"parent\":[\"/srv/data/out\"]},"
		"{\"allowedAccess\":[\"execute\",\"read_file\"],\"parent\":[\"/usr/bin\"]}],"
		"\"netPort\":[{\"allowedAccess\":[\"connect_tcp\"],\"port\":[5432]},"
		"{\"allowedAccess\":[\"bind_tcp\"],\"port\":[8080]}]}");
	ol_recording_free(&rec);
}

/* Depth 1 folds everything into top-level directories; an ancestor's rule
 * that already grants a rule's rights makes that rule go. */
static void test_depth_and_covered_rules(void **state)
{
	struct ol_recording rec;
	cleanup_free char *policy = NULL;
	struct ol_ruleset rs;
	struct ol_error err = { 0 };

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	add(&rec, "/usr/lib/a/b/c.so", R);
	add(&rec, "/usr/share/x", R);
	add(&rec, "/usr/bin/tool", X | R);
	policy = generate(&rec, 1);
	assert_string_equal(policy,
			    "{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\","
			    "\"signal\"]}],\"pathBeneath\":[{\"allowedAccess\":[\"execute\","
			    "\"read_file\"],\"parent\":[\"/usr\"]}]}");
	free(steal_pointer(&policy));
	policy = generate(&rec, 2);
	assert_string_equal(policy,
			    "{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\","
			    "\"signal\"]}],\"pathBeneath\":[{\"allowedAccess\":[\"execute\","
			    "\"read_file\"],\"parent\":[\"/usr/bin\"]},{\"allowedAccess\":["
			    "\"read_file\"],\"parent\":[\"/usr/lib\",\"/usr/share\"]}]}");
	/* A rule under an ancestor that grants more is dropped. */
	add(&rec, "/usr/bin/sub/more", R);
	free(steal_pointer(&policy));
	policy = generate(&rec, 3);
	assert_null(strstr(policy, "/usr/bin/sub"));
	assert_int_equal(ol_ruleset_init(&rs, "x"), 0);
	assert_int_equal(
		ol_learn_generate(&rec, &(struct ol_learn_options){ .depth = 0 }, &rs, NULL, &err),
		-EINVAL);
	assert_string_equal(err.msg, "depth 0: expected 1 to 64");
	assert_int_equal(
		ol_learn_generate(&rec, &(struct ol_learn_options){ .depth = 65 }, &rs, NULL, &err),
		-EINVAL);
	assert_string_equal(err.msg, "depth 65: expected 1 to 64");
	ol_ruleset_free(&rs);
	ol_recording_free(&rec);
}

/* Rules never land on what the workload created: it is not there when
 * the sandbox starts. */
static void test_created(void **state)
{
	struct ol_recording rec;
	cleanup_free char *policy = NULL;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	add(&rec, "/srv", MD);
	add(&rec, "/srv/run", MD);
	add(&rec, "/srv/run/tmp", MR);
	add(&rec, "/srv/run/tmp/f", W);
	add(&rec, "/", MR); /* /out, created at the root */
	add(&rec, "/out", W);
	assert_int_equal(ol_recording_add_created(&rec, "/srv/run"), 0);
	assert_int_equal(ol_recording_add_created(&rec, "/srv/run/tmp"), 0);
	assert_int_equal(ol_recording_add_created(&rec, "/srv/run/tmp"), 0); /* once */
	assert_int_equal(ol_recording_add_created(&rec, "/out"), 0);
	assert_int_equal(ol_recording_tidy(&rec), 0);
	assert_int_equal(rec.created.n, 3);
	/* Kept, /out's rights land on "/": what --system-writes asks for. */
	policy = generate_with(&rec, 8, true);
	assert_string_equal(policy,
			    "{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\","
			    "\"signal\"]}],\"pathBeneath\":["
			    "{\"allowedAccess\":[\"write_file\",\"make_reg\"],\"parent\":[\"/\"]},"
			    "{\"allowedAccess\":[\"write_file\",\"make_dir\",\"make_reg\"],"
			    "\"parent\":[\"/srv\"]}]}");
	free(policy);
	/* By default left out: on "/" they would reach /usr, /etc, /bin. */
	policy = generate(&rec, 8);
	assert_string_equal(policy,
			    "{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\","
			    "\"signal\"]}],\"pathBeneath\":["
			    "{\"allowedAccess\":[\"write_file\",\"make_dir\",\"make_reg\"],"
			    "\"parent\":[\"/srv\"]}]}");
	ol_recording_free(&rec);
}

static void test_scopes_follow_what_was_crossed(void **state)
{
	struct ol_recording rec;
	cleanup_free char *policy = NULL;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	rec.outside = OL_LL_SCOPE_SIGNAL;
	policy = generate(&rec, 3);
	assert_string_equal(policy,
			    "{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\"]}]}");
	free(steal_pointer(&policy));
	rec.outside |= OL_LL_SCOPE_ABSTRACT_UNIX_SOCKET;
	policy = generate(&rec, 3);
	assert_string_equal(policy, "{\"ruleset\":[{" ALL_FS "}]}");
	ol_recording_free(&rec);
}

static const char recording_text[] = "{\n"
				     "  \"recording\": 2,\n"
				     "  \"complete\": true,\n"
				     "  \"paths\": [\n"
				     "    {\n"
				     "      \"path\": \"/etc/x\",\n"
				     "      \"access\": [\n"
				     "        \"read_file\"\n"
				     "      ]\n"
				     "    },\n"
				     "    {\n"
				     "      \"path\": \"/run/app.sock\",\n"
				     "      \"access\": [\n"
				     "        \"resolve_unix\"\n"
				     "      ]\n"
				     "    },\n"
				     "    {\n"
				     "      \"path\": \"/w\",\n"
				     "      \"access\": [\n"
				     "        \"make_dir\"\n"
				     "      ]\n"
				     "    }\n"
				     "  ],\n"
				     "  \"created\": [\n"
				     "    \"/w/d\"\n"
				     "  ],\n"
				     "  \"moves\": [\n"
				     "\n"
				     "  ],\n"
				     "  \"bind_tcp\": [\n"
				     "    80\n"
				     "  ],\n"
				     "  \"connect_tcp\": [\n"
				     "    443\n"
				     "  ],\n"
				     "  \"bind_udp\": [\n"
				     "    0,\n"
				     "    5353\n"
				     "  ],\n"
				     "  \"connect_send_udp\": [\n"
				     "    53\n"
				     "  ],\n"
				     "  \"sockets\": [\n"
				     "    \"unix\",\n"
				     "    \"tcp\",\n"
				     "    \"udp\"\n"
				     "  ],\n"
				     "  \"outside\": [\n"
				     "    \"signal\"\n"
				     "  ]\n"
				     "}\n";

/* Written, read back, written again: byte for byte. */
static void test_round_trip(void **state)
{
	struct ol_recording rec, back;
	struct ol_error err = { 0 };
	cleanup_free char *text = NULL;
	cleanup_free char *again = NULL;
	size_t len;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	add(&rec, "/w", MD);
	add(&rec, "/etc/x", R);
	add(&rec, "/etc/x", R);
	add(&rec, "/run/app.sock", OL_LL_ACCESS_FS_RESOLVE_UNIX);
	assert_int_equal(ol_recording_add_created(&rec, "/w/d"), 0);
	assert_int_equal(ol_ruleset_add_port(&rec.used, 443, OL_LL_ACCESS_NET_CONNECT_TCP), 0);
	assert_int_equal(ol_ruleset_add_port(&rec.used, 80, OL_LL_ACCESS_NET_BIND_TCP), 0);
	assert_int_equal(ol_ruleset_add_port(&rec.used, 5353, OL_LL_ACCESS_NET_BIND_UDP), 0);
	assert_int_equal(ol_ruleset_add_port(&rec.used, 53, OL_LL_ACCESS_NET_CONNECT_SEND_UDP), 0);
	assert_int_equal(ol_ruleset_add_port(&rec.used, 0, OL_LL_ACCESS_NET_BIND_UDP), 0);
	rec.sockets = OL_SOCK_TCP | OL_SOCK_UNIX | OL_SOCK_UDP;
	rec.outside = OL_LL_SCOPE_SIGNAL;
	assert_int_equal(ol_recording_write(&rec, true, &text, &len, &err), 0);
	assert_string_equal(text, recording_text);
	assert_int_equal(ol_recording_init(&back), 0);
	assert_int_equal(ol_recording_parse(text, len, &back, &err), 0);
	assert_int_equal(ol_recording_write(&back, true, &again, &len, &err), 0);
	assert_string_equal(again, recording_text);
	ol_recording_free(&back);
	ol_recording_free(&rec);
}

/*
 * A file moved from /srv/in to /srv/out/done: Landlock refuses the move
 * (EXDEV) when the destination grants the file more than the source, so
 * the source's rule gets the destination's file rights, wherever those
 * come from (here /srv/out's read_file and execute), and nothing else.
 */
static void test_moves_keep_working(void **state)
{
	struct ol_recording rec, back;
	struct ol_error err = { 0 };
	cleanup_free char *policy = NULL;
	cleanup_free char *again = NULL;
	cleanup_free char *text = NULL;
	size_t len;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	add(&rec, "/srv/in", MR | OL_LL_ACCESS_FS_REMOVE_FILE | OL_LL_ACCESS_FS_REFER);
	add(&rec, "/srv/in/new", W);
	add(&rec, "/srv/out/done", MR | OL_LL_ACCESS_FS_REFER);
	add(&rec, "/srv/out/f", R);
	add(&rec, "/srv/out/run", X | R);
	assert_int_equal(ol_recording_add_created(&rec, "/srv/in/new"), 0);
	assert_int_equal(ol_recording_add_move(&rec, "/srv/in", "/srv/out/done"), 0);
	assert_int_equal(ol_recording_add_move(&rec, "/srv/in", "/srv/out/done"), 0);
	/* Through the recording's JSON, as oci-landlock learn reads it. */
	assert_int_equal(ol_recording_write(&rec, true, &text, &len, &err), 0);
	assert_non_null(strstr(text, "\"moves\": [\n    [\n      \"/srv/in\",\n      "
				     "\"/srv/out/done\"\n    ]\n  ],\n"));
	assert_int_equal(ol_recording_init(&back), 0);
	assert_int_equal(ol_recording_parse(text, len, &back, &err), 0);
	policy = generate(&back, 4);
	assert_string_equal(
		policy,
		"{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\",\"signal\"]}],"
		"\"pathBeneath\":[{\"allowedAccess\":[\"execute\",\"write_file\",\"read_file\","
		"\"remove_file\",\"make_reg\",\"refer\"],\"parent\":[\"/srv/in\"]},"
		"{\"allowedAccess\":[\"execute\",\"read_file\"],\"parent\":[\"/srv/out\"]},"
		"{\"allowedAccess\":[\"make_reg\",\"refer\"],\"parent\":[\"/srv/out/done\"]}]}");
	/* The same as from the recording before its round trip. */
	again = generate(&rec, 4);
	assert_string_equal(again, policy);
	ol_recording_free(&back);
	ol_recording_free(&rec);
}

/* Two recordings parsed into one: what either used. */
static void test_merge(void **state)
{
	static const char other[] =
		"{\"recording\":1,\"paths\":[{\"path\":\"/etc/x\",\"access\":[\"write_file\"]},"
		"{\"path\":\"/var/log/app.log\",\"access\":[\"write_file\"]}],\"created\":[],"
		"\"bind_tcp\":[8080],\"connect_tcp\":[443],\"sockets\":[\"udp\"],\"outside\":[]}";
	struct ol_recording rec;
	struct ol_error err = { 0 };
	cleanup_free char *policy = NULL;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	assert_int_equal(ol_recording_parse(recording_text, strlen(recording_text), &rec, &err), 0);
	assert_int_equal(ol_recording_parse(other, strlen(other), &rec, &err), 0);
	assert_true(rec.sockets == (OL_SOCK_UNIX | OL_SOCK_TCP | OL_SOCK_UDP));
	assert_true(rec.outside == OL_LL_SCOPE_SIGNAL);
	assert_int_equal(rec.version, 1); /* what both observed */
	policy = generate_with(&rec, 3, true);
	assert_string_equal(
		policy, "{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\"]}],"
			"\"pathBeneath\":["
			"{\"allowedAccess\":[\"write_file\",\"read_file\"],\"parent\":[\"/etc\"]},"
			"{\"allowedAccess\":[\"write_file\"],\"parent\":[\"/var/log\"]},"
			"{\"allowedAccess\":[\"make_dir\"],\"parent\":[\"/w\"]}],"
			"\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[80,8080]},"
			"{\"allowedAccess\":[\"connect_tcp\"],\"port\":[443]}]}");
	ol_recording_free(&rec);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{ "[]", "expected an object" },
		{ "{\"recording\":0}", "not an oci-landlock recording (\"recording\": 1 to 2)" },
		{ "{\"recording\":\"2\"}",
		  "not an oci-landlock recording (\"recording\": 1 to 2)" },
		{ "{\"recording\":3}",
		  "a recording of version 3, newer than this oci-landlock reads (1 to 2)" },
		{ "{\"recording\":1}", "paths: missing" },
		{ "{\"recording\":2}", "paths: missing" },
		{ "{\"recording\":1,\"paths\":{}}", "paths: expected an array" },
		{ "{\"recording\":1,\"paths\":[{\"path\":\"/x\",\"access\":[\"bind_tcp\"]}]}",
		  "paths[0].access[0]: unknown file-system right 'bind_tcp'" },
		{ "{\"recording\":1,\"paths\":[],\"bind_tcp\":[65536]}",
		  "bind_tcp[0]: expected a port (0 to 65535)" },
		{ "{\"recording\":1,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"outside\":[\"signals\"]}",
		  "outside[0]: unknown scope 'signals'" },
		{ "{\"recording\":1,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"outside\":[],\"created\":[\"\"]}",
		  "created[0]: expected a non-empty string" },
		{ "{\"recording\":1,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"outside\":[],\"created\":[],\"sockets\":[\"tcpp\"]}",
		  "sockets[0]: unknown socket kind 'tcpp' (did you mean 'tcp'?)" },
		/* Version 2's lists: required there, refused in version 1. */
		{ "{\"recording\":2,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[]}",
		  "bind_udp: missing" },
		{ "{\"recording\":2,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"bind_udp\":[0]}",
		  "connect_send_udp: missing" },
		{ "{\"recording\":2,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"bind_udp\":{}}",
		  "bind_udp: expected an array" },
		{ "{\"recording\":2,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"bind_udp\":[0,65536]}",
		  "bind_udp[1]: expected a port (0 to 65535)" },
		{ "{\"recording\":2,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"bind_udp\":[],\"connect_send_udp\":[\"53\"]}",
		  "connect_send_udp[0]: expected a port (0 to 65535)" },
		{ "{\"recording\":2,\"paths\":[],\"bind_tcp\":[],\"connect_tcp\":[],"
		  "\"bind_udp\":[],\"connect_send_udp\":[-1]}",
		  "connect_send_udp[0]: expected a port (0 to 65535)" },
		{ "{\"recording\":1,\"paths\":[],\"bind_udp\":[]}",
		  "bind_udp: recorded from version 2 on, not in a recording of version 1" },
		{ "{\"recording\":1,\"connect_send_udp\":[53]}",
		  "connect_send_udp: recorded from version 2 on, not in a recording of version 1" },
		{ "{\"recording\":1,\"paths\":[{\"path\":\"/run/a.sock\",\"access\":["
		  "\"read_file\",\"resolve_unix\"]}]}",
		  "paths[0].access[1]: 'resolve_unix' is recorded from version 2 on, not in a "
		  "recording of version 1" },
		{ "{\"recording\":2,\"paths\":[{\"path\":\"/run/a.sock\",\"access\":["
		  "\"resolve_unx\"]}]}",
		  "paths[0].access[0]: unknown file-system right 'resolve_unx'" },
		{ "{\"recording\":2,\"paths\":[{\"path\":\"/x\",\"access\":[\"bind_udp\"]}]}",
		  "paths[0].access[0]: unknown file-system right 'bind_udp'" },
	};

	(void) state;
	for (size_t i = 0; i < OL_ARRAY_SIZE(cases); i++) {
		struct ol_recording rec;
		struct ol_error err = { 0 };
		assert_int_equal(ol_recording_init(&rec), 0);
		assert_int_equal(
			ol_recording_parse(cases[i].text, strlen(cases[i].text), &rec, &err),
			-EINVAL);
		assert_string_equal(err.msg, cases[i].msg);
		ol_recording_free(&rec);
	}
}

/* A workload that opens one file a million times: memory follows the
 * distinct paths. */
static void test_repeated_paths_are_merged(void **state)
{
	struct ol_recording rec;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	for (int i = 0; i < 100000; i++)
		add(&rec, i % 2 ? "/etc/a" : "/etc/b", R);
	assert_true(rec.used.n_paths < 2100);
	assert_true(rec.used.cap_paths < 4200);
	ol_recording_free(&rec);
}

/* Writes beneath /usr, /etc, /lib*...: left out, each with a use behind it. */
static void test_system_writes_are_left_out(void **state)
{
	struct ol_learn_options o = { .depth = 3, .abi = 7 };
	struct ol_learn_review review = { 0 };
	struct ol_recording rec;
	struct ol_ruleset rs;
	struct ol_error err = { 0 };
	cleanup_free char *policy = NULL;
	size_t len;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	add(&rec, "/usr/lib/python3.11/os.py", R);
	add(&rec, "/usr/lib/python3.11/__pycache__/os.cpython-311.pyc", W);
	add(&rec, "/usr/lib/python3.11/__pycache__", MR | OL_LL_ACCESS_FS_REMOVE_FILE);
	add(&rec, "/usr/lib/python3.11", MD);
	assert_int_equal(ol_recording_add_created(&rec, "/usr/lib/python3.11/__pycache__"), 0);
	add(&rec, "/lib64/ld-linux-x86-64.so.2", X | R);
	add(&rec, "/library/data/x", W); /* not a system tree: lib, lib32, lib64, libx32 are */
	add(&rec, "/srv/out/x", W);
	assert_int_equal(ol_ruleset_init(&rs, "learned"), 0);
	assert_int_equal(ol_learn_generate(&rec, &o, &rs, &review, &err), 0);
	assert_int_equal(ol_ruleset_print(&rs, OL_JSON_COMPACT, &policy, &len, &err), 0);
	assert_string_equal(
		policy,
		"{\"ruleset\":[{" ALL_FS ",\"scoped\":[\"abstract_unix_socket\","
		"\"signal\"]}],\"pathBeneath\":["
		"{\"allowedAccess\":[\"execute\",\"read_file\"],\"parent\":[\"/lib64\"]},"
		"{\"allowedAccess\":[\"write_file\"],\"parent\":[\"/library/data\","
		"\"/srv/out\"]},"
		"{\"allowedAccess\":[\"read_file\"],\"parent\":[\"/usr/lib/python3.11\"]}]}");
	assert_int_equal(review.n_left_out, 1);
	assert_string_equal(review.left_out[0].path, "/usr/lib/python3.11");
	assert_int_equal(review.left_out[0].access, W | MR | MD | OL_LL_ACCESS_FS_REMOVE_FILE);
	assert_string_equal(review.left_out[0].example,
			    "/usr/lib/python3.11/__pycache__/os.cpython-311.pyc");
	ol_learn_review_free(&review);
	ol_ruleset_free(&rs);
	free(policy);
	policy = NULL;
	/* Asked for: kept. */
	o.system_writes = true;
	assert_int_equal(ol_ruleset_init(&rs, "learned"), 0);
	assert_int_equal(ol_learn_generate(&rec, &o, &rs, &review, &err), 0);
	assert_int_equal(review.n_left_out, 0);
	assert_int_equal(rs.n_paths, 4);
	assert_string_equal(rs.paths[3].path, "/usr/lib/python3.11");
	assert_int_equal(rs.paths[3].access, R | W | MR | MD | OL_LL_ACCESS_FS_REMOVE_FILE);
	ol_ruleset_free(&rs);
	ol_recording_free(&rec);
	assert_true(ol_learn_system_tree("/etc"));
	assert_true(ol_learn_system_tree("/lib32/x"));
	assert_true(ol_learn_system_tree("/boot/grub"));
	assert_false(ol_learn_system_tree("/"));
	assert_false(ol_learn_system_tree("/usrx"));
	assert_false(ol_learn_system_tree("/srv/usr"));
	assert_false(ol_learn_system_tree("/etcetera"));
}

/* A save made while the workload ran says so, and is read back as such. */
static void test_incomplete_recording(void **state)
{
	struct ol_recording rec, back;
	struct ol_error err = { 0 };
	cleanup_free char *text = NULL;
	size_t len;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	add(&rec, "/etc/x", R);
	assert_int_equal(ol_recording_write(&rec, false, &text, &len, &err), 0);
	assert_non_null(strstr(text, "\"complete\": false,"));
	assert_int_equal(ol_recording_init(&back), 0);
	assert_int_equal(ol_recording_parse(text, len, &back, &err), 0);
	assert_true(back.incomplete);
	ol_recording_free(&back);
	ol_recording_free(&rec);
	assert_int_equal(ol_recording_init(&back), 0);
	assert_int_equal(ol_recording_parse("{\"recording\":1,\"complete\":1}", 28, &back, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "complete: expected true or false");
	ol_recording_free(&back);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_generalise),
	cmocka_unit_test(test_depth_and_covered_rules),
	cmocka_unit_test(test_created),
	cmocka_unit_test(test_scopes_follow_what_was_crossed),
	cmocka_unit_test(test_round_trip),
	cmocka_unit_test(test_moves_keep_working),
	cmocka_unit_test(test_merge),
	cmocka_unit_test(test_parse_errors),
	cmocka_unit_test(test_repeated_paths_are_merged),
	cmocka_unit_test(test_system_writes_are_left_out),
	cmocka_unit_test(test_incomplete_recording),
};

OL_UNIT_MAIN(tests)
