/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Learning mode's policy for a given Landlock ABI: what it handles, its
 * rules and what the review says it leaves unrestricted, from a recording
 * with UDP ports and pathname sockets, on fake ABIs 3, 7, 9, 10 and 11;
 * recordings of version 1 (an older launcher), read and written back.
 */
#include "helpers.h"

#include <string.h>

#include "common/cleanup.h"
#include "policy/learn.h"
#include "policy/policy.h"
#include "sandbox/landlock-uapi.h"

#define R  OL_LL_ACCESS_FS_READ_FILE
#define X  OL_LL_ACCESS_FS_EXECUTE
#define MS OL_LL_ACCESS_FS_MAKE_SOCK
#define RU OL_LL_ACCESS_FS_RESOLVE_UNIX
#define BU OL_LL_ACCESS_NET_BIND_UDP
#define CU OL_LL_ACCESS_NET_CONNECT_SEND_UDP

#define FS_7                                                                                       \
	"\"handledAccessFs\":[\"execute\",\"write_file\",\"read_file\",\"read_dir\","              \
	"\"remove_dir\",\"remove_file\",\"make_char\",\"make_dir\",\"make_reg\",\"make_sock\","    \
	"\"make_fifo\",\"make_block\",\"make_sym\",\"refer\",\"truncate\",\"ioctl_dev\""
#define FS_9 FS_7 ",\"resolve_unix\"]"
#define TCP  "\"handledAccessNet\":[\"bind_tcp\",\"connect_tcp\"]"
#define NET_10                                                                                     \
	"\"handledAccessNet\":[\"bind_tcp\",\"connect_tcp\",\"bind_udp\",\"connect_send_udp\"]"
#define SCOPES "\"scoped\":[\"abstract_unix_socket\",\"signal\"]"

/* The rules every ABI from 1 on keeps. */
#define FILE_RULES                                                                                 \
	"{\"allowedAccess\":[\"make_sock\"],\"parent\":[\"/srv/run\"]},"                           \
	"{\"allowedAccess\":[\"execute\",\"read_file\"],\"parent\":[\"/usr/bin\"]}"

/*
 * A client of a DNS server (UDP 53 from an unbound socket: bind_udp on 0),
 * a mDNS responder (bind_udp 5353), a web server (bind_tcp 8080), talking
 * to syslog (/dev/log), an outside service's socket at depth 4 and one in
 * /etc, and a socket the run made itself (bound in /srv/run), which an
 * exec session merged in reached.
 */
static void make_recording(struct ol_recording *rec)
{
	assert_int_equal(ol_recording_init(rec), 0);
	assert_int_equal(ol_recording_add_path(rec, "/usr/bin/app", X | R), 0);
	assert_int_equal(ol_recording_add_path(rec, "/dev/log", RU), 0);
	assert_int_equal(ol_recording_add_path(rec, "/run/user/1000/bus", RU), 0);
	assert_int_equal(ol_recording_add_path(rec, "/etc/app/ctl.sock", RU), 0);
	assert_int_equal(ol_recording_add_path(rec, "/srv/run", MS), 0);
	assert_int_equal(ol_recording_add_path(rec, "/srv/run/own.sock", RU), 0);
	assert_int_equal(ol_recording_add_created(rec, "/srv/run/own.sock"), 0);
	assert_int_equal(ol_ruleset_add_port(&rec->used, 0, BU), 0);
	assert_int_equal(ol_ruleset_add_port(&rec->used, 5353, BU), 0);
	assert_int_equal(ol_ruleset_add_port(&rec->used, 53, CU), 0);
	assert_int_equal(ol_ruleset_add_port(&rec->used, 8080, OL_LL_ACCESS_NET_BIND_TCP), 0);
}

/* Generated for abi: the policy, compact; the review in *review. */
static char *generate_for(struct ol_recording *rec, int abi, struct ol_learn_review *review)
{
	struct ol_learn_options o = { .depth = 3, .abi = abi };
	struct ol_ruleset rs;
	struct ol_error err = { 0 };
	char *out = NULL;
	size_t len;

	memset(review, 0, sizeof(*review));
	assert_int_equal(ol_ruleset_init(&rs, "learned"), 0);
	assert_int_equal(ol_learn_generate(rec, &o, &rs, review, &err), 0);
	assert_int_equal(ol_ruleset_print(&rs, OL_JSON_COMPACT, &out, &len, &err), 0);
	ol_ruleset_free(&rs);
	return out;
}

static void expect_unrestricted(const struct ol_learn_review *review, size_t i, uint64_t bit,
				const char *example, size_t uses)
{
	const struct ol_learn_unrestricted *u = &review->unrestricted[i];

	assert_true(i < review->n_unrestricted);
	assert_int_equal(u->kind, bit == RU ? OL_RIGHT_FS : OL_RIGHT_NET);
	assert_int_equal(u->bit, bit);
	if (example)
		assert_string_equal(u->example, example);
	else
		assert_null(u->example);
	assert_int_equal(u->uses, uses);
}

/* ABI 7 (this machine's): neither resolve_unix nor UDP is handled, so their
 * rules go, and the review names each with its uses. */
static void test_abi_7(void **state)
{
	struct ol_learn_review review;
	struct ol_recording rec;
	cleanup_free char *policy = NULL;

	(void) state;
	make_recording(&rec);
	policy = generate_for(&rec, 7, &review);
	assert_string_equal(policy,
			    "{\"ruleset\":[{" FS_7 "]," TCP "," SCOPES "}],"
			    "\"pathBeneath\":[" FILE_RULES "],"
			    "\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[8080]}]}");
	assert_int_equal(review.n_unrestricted, 3);
	expect_unrestricted(&review, 0, RU, "/dev/log", 4);
	expect_unrestricted(&review, 1, BU, NULL, 2);
	expect_unrestricted(&review, 2, CU, NULL, 1);
	assert_int_equal(review.n_left_out, 0);
	assert_true(review.unobserved_fs == 0 && review.unobserved_net == 0);
	ol_learn_review_free(&review);
	ol_recording_free(&rec);
}

/*
 * ABI 9: resolve_unix is handled, each socket keeps a rule of its own,
 * whatever the depth (/run/user/1000/bus) and in /etc (connecting writes
 * nothing there); the socket the run made lands on its directory.  UDP
 * is still left unrestricted.
 */
static void test_abi_9(void **state)
{
	struct ol_learn_review review;
	struct ol_recording rec;
	cleanup_free char *policy = NULL;

	(void) state;
	make_recording(&rec);
	policy = generate_for(&rec, 9, &review);
	assert_string_equal(
		policy,
		"{\"ruleset\":[{" FS_9 "," TCP "," SCOPES "}],\"pathBeneath\":["
		"{\"allowedAccess\":[\"resolve_unix\"],\"parent\":[\"/dev/log\","
		"\"/etc/app/ctl.sock\",\"/run/user/1000/bus\"]},"
		"{\"allowedAccess\":[\"make_sock\",\"resolve_unix\"],\"parent\":[\"/srv/run\"]},"
		"{\"allowedAccess\":[\"execute\",\"read_file\"],\"parent\":[\"/usr/bin\"]}],"
		"\"netPort\":[{\"allowedAccess\":[\"bind_tcp\"],\"port\":[8080]}]}");
	assert_int_equal(review.n_unrestricted, 2);
	expect_unrestricted(&review, 0, BU, NULL, 2);
	expect_unrestricted(&review, 1, CU, NULL, 1);
	ol_learn_review_free(&review);
	ol_recording_free(&rec);
}

#define POLICY_10                                                                                  \
	"{\"ruleset\":[{" FS_9 "," NET_10 "," SCOPES "}],\"pathBeneath\":["                        \
	"{\"allowedAccess\":[\"resolve_unix\"],\"parent\":[\"/dev/log\","                          \
	"\"/etc/app/ctl.sock\",\"/run/user/1000/bus\"]},"                                          \
	"{\"allowedAccess\":[\"make_sock\",\"resolve_unix\"],\"parent\":[\"/srv/run\"]},"          \
	"{\"allowedAccess\":[\"execute\",\"read_file\"],\"parent\":[\"/usr/bin\"]}],"              \
	"\"netPort\":[{\"allowedAccess\":[\"bind_udp\"],\"port\":[0,5353]},"                       \
	"{\"allowedAccess\":[\"connect_send_udp\"],\"port\":[53]},"                                \
	"{\"allowedAccess\":[\"bind_tcp\"],\"port\":[8080]}]}"

/* ABI 10 has every right recorded; 11 (newer than this version knows)
 * gives the same policy: never more than OL_ABI_MAX's rights. */
static void test_abi_10_and_11(void **state)
{
	struct ol_learn_review review;
	struct ol_recording rec;
	cleanup_free char *policy = NULL;

	(void) state;
	make_recording(&rec);
	for (int abi = 10; abi <= 11; abi++) {
		policy = generate_for(&rec, abi, &review);
		assert_string_equal(policy, POLICY_10);
		assert_int_equal(review.n_unrestricted, 0);
		assert_null(review.unrestricted);
		ol_learn_review_free(&review);
		free(steal_pointer(&policy));
	}
	ol_recording_free(&rec);
}

/* ABI 3: no network rules, no scopes; the TCP port is named too. */
static void test_abi_3(void **state)
{
	struct ol_learn_review review;
	struct ol_recording rec;
	cleanup_free char *policy = NULL;
	struct ol_ruleset rs;
	struct ol_error err = { 0 };

	(void) state;
	make_recording(&rec);
	policy = generate_for(&rec, 3, &review);
	assert_string_equal(policy,
			    "{\"ruleset\":[{\"handledAccessFs\":[\"execute\",\"write_file\","
			    "\"read_file\",\"read_dir\",\"remove_dir\",\"remove_file\","
			    "\"make_char\",\"make_dir\",\"make_reg\",\"make_sock\",\"make_fifo\","
			    "\"make_block\",\"make_sym\",\"refer\",\"truncate\"]}],"
			    "\"pathBeneath\":[" FILE_RULES "]}");
	assert_int_equal(review.n_unrestricted, 4);
	expect_unrestricted(&review, 0, RU, "/dev/log", 4);
	assert_int_equal(review.unrestricted[1].bit, OL_LL_ACCESS_NET_BIND_TCP);
	assert_int_equal(review.unrestricted[1].uses, 1);
	expect_unrestricted(&review, 2, BU, NULL, 2);
	expect_unrestricted(&review, 3, CU, NULL, 1);
	ol_learn_review_free(&review);
	/* Below ABI 1 there is no Landlock to make a policy for. */
	assert_int_equal(ol_ruleset_init(&rs, "learned"), 0);
	assert_int_equal(ol_learn_generate(&rec, &(struct ol_learn_options){ .depth = 3, .abi = 0 },
					   &rs, NULL, &err),
			 -EINVAL);
	assert_string_equal(err.msg, "Landlock ABI 0: expected 1 or more");
	ol_ruleset_free(&rs);
	ol_recording_free(&rec);
}

static const char version_1[] = "{\n"
				"  \"recording\": 1,\n"
				"  \"complete\": true,\n"
				"  \"paths\": [\n"
				"    {\n"
				"      \"path\": \"/usr/bin/app\",\n"
				"      \"access\": [\n"
				"        \"execute\",\n"
				"        \"read_file\"\n"
				"      ]\n"
				"    }\n"
				"  ],\n"
				"  \"created\": [\n"
				"\n"
				"  ],\n"
				"  \"moves\": [\n"
				"\n"
				"  ],\n"
				"  \"bind_tcp\": [\n"
				"\n"
				"  ],\n"
				"  \"connect_tcp\": [\n"
				"    443\n"
				"  ],\n"
				"  \"sockets\": [\n"
				"    \"udp\"\n"
				"  ],\n"
				"  \"outside\": [\n"
				"\n"
				"  ]\n"
				"}\n";

/*
 * A recording of version 1 stays one, byte for byte.  Its launcher did
 * not observe UDP or pathname sockets: a policy for ABI 10 does not
 * handle those rights (it would deny what the run may have done), and
 * the review says so.  Merged with a version 2 one, the UDP ports that
 * one used are left unrestricted, and named.
 */
static void test_version_1(void **state)
{
	static const char v2[] = "{\"recording\":2,\"paths\":[],\"created\":[],\"bind_tcp\":[],"
				 "\"connect_tcp\":[],\"bind_udp\":[0],\"connect_send_udp\":[53],"
				 "\"sockets\":[],\"outside\":[]}";
	struct ol_learn_review review;
	struct ol_recording rec;
	struct ol_error err = { 0 };
	cleanup_free char *text = NULL;
	cleanup_free char *policy = NULL;
	size_t len;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	assert_int_equal(rec.version, 2);
	assert_int_equal(ol_recording_parse(version_1, strlen(version_1), &rec, &err), 0);
	assert_int_equal(rec.version, 1);
	assert_int_equal(ol_recording_write(&rec, true, &text, &len, &err), 0);
	assert_string_equal(text, version_1);
	policy = generate_for(&rec, 10, &review);
	assert_string_equal(policy,
			    "{\"ruleset\":[{" FS_7 "]," TCP "," SCOPES "}],\"pathBeneath\":["
			    "{\"allowedAccess\":[\"execute\",\"read_file\"],\"parent\":"
			    "[\"/usr/bin\"]}],\"netPort\":[{\"allowedAccess\":[\"connect_tcp\"],"
			    "\"port\":[443]}]}");
	assert_true(review.unobserved_fs == RU);
	assert_true(review.unobserved_net == (BU | CU));
	assert_int_equal(review.n_unrestricted, 0);
	ol_learn_review_free(&review);
	/* Below ABI 9 nothing is missing for that reason. */
	free(steal_pointer(&policy));
	policy = generate_for(&rec, 7, &review);
	assert_true(review.unobserved_fs == 0 && review.unobserved_net == 0);
	ol_learn_review_free(&review);
	assert_int_equal(ol_recording_parse(v2, strlen(v2), &rec, &err), 0);
	assert_int_equal(rec.version, 1);
	free(steal_pointer(&policy));
	policy = generate_for(&rec, 10, &review);
	assert_null(strstr(policy, "udp"));
	assert_int_equal(review.n_unrestricted, 2);
	expect_unrestricted(&review, 0, BU, NULL, 1);
	expect_unrestricted(&review, 1, CU, NULL, 1);
	ol_learn_review_free(&review);
	ol_recording_free(&rec);
}

/* The launcher's recordings are of version 2, written with both lists. */
static void test_version_2_written(void **state)
{
	struct ol_recording rec;
	struct ol_error err = { 0 };
	cleanup_free char *text = NULL;
	size_t len;

	(void) state;
	assert_int_equal(ol_recording_init(&rec), 0);
	assert_int_equal(ol_recording_write(&rec, true, &text, &len, &err), 0);
	assert_string_equal(text, "{\n  \"recording\": 2,\n  \"complete\": true,\n"
				  "  \"paths\": [\n\n  ],\n  \"created\": [\n\n  ],\n"
				  "  \"moves\": [\n\n  ],\n  \"bind_tcp\": [\n\n  ],\n"
				  "  \"connect_tcp\": [\n\n  ],\n  \"bind_udp\": [\n\n  ],\n"
				  "  \"connect_send_udp\": [\n\n  ],\n  \"sockets\": [\n\n  ],\n"
				  "  \"outside\": [\n\n  ]\n}\n");
	ol_recording_free(&rec);
	/* A newer one: refused, with what to do. */
	assert_int_equal(ol_recording_init(&rec), 0);
	assert_int_equal(ol_recording_parse("{\"recording\":3}", 15, &rec, &err), -EINVAL);
	assert_string_equal(
		err.msg, "a recording of version 3, newer than this oci-landlock reads (1 to 2)");
	assert_string_equal(err.hint, "generate the policy with the oci-landlock whose launcher "
				      "recorded it, or a newer one");
	ol_recording_free(&rec);
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_abi_7),	      cmocka_unit_test(test_abi_9),
	cmocka_unit_test(test_abi_10_and_11), cmocka_unit_test(test_abi_3),
	cmocka_unit_test(test_version_1),     cmocka_unit_test(test_version_2_written),
};

OL_UNIT_MAIN(tests)
