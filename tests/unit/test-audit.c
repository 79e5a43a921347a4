/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Unit tests for the audit record parser behind `oci-landlock denials`,
 * on records copied from this kernel's log (Linux 6.18) and in auditd's
 * spelling, and for the suggestion that would allow each denial.  The
 * records of ABI 9 and 10 (resolve_unix, the UDP rights) are written as
 * those kernels print them (see host/audit.h), which this one cannot.
 */
#include "helpers.h"

#include <string.h>

#include "host/audit.h"

static struct ol_audit_record rec;

static void access_is(const char *line, const char *blockers, const char *path, long port,
		      const char *fix)
{
	char buf[4200];

	assert_int_equal(ol_audit_parse(line, &rec), OL_AUDIT_ACCESS);
	assert_string_equal(rec.domain, "139fac6e5");
	assert_string_equal(rec.blockers, blockers);
	assert_string_equal(rec.path, path);
	assert_int_equal(rec.port, port);
	if (fix) {
		assert_true(ol_audit_suggest(&rec, buf, sizeof(buf)));
		assert_string_equal(buf, fix);
	} else {
		assert_false(ol_audit_suggest(&rec, buf, sizeof(buf)));
	}
}

static void test_kernel_log(void **state)
{
	(void) state;
	/* As dmesg prints them, and as /dev/kmsg hands them out. */
	access_is("[ 8985.811108] audit: type=1423 audit(1795963009.307:463): domain=139fac6e5 "
		  "blockers=fs.make_reg path=\"/etc\" dev=\"vda\" ino=19",
		  "fs.make_reg", "/etc", -1, "oci.landlock.fs.rw=/etc");
	access_is("6,2345,8985810022,-;audit: type=1423 audit(1795963009.307:460): "
		  "domain=139fac6e5 blockers=net.bind_tcp saddr=127.0.0.1 src=8081",
		  "net.bind_tcp", "", 8081, "oci.landlock.net.bind=8081");
	access_is("audit: type=1423 audit(1795962922.663:456): domain=139fac6e5 "
		  "blockers=net.connect_tcp daddr=127.0.0.1 dest=8080",
		  "net.connect_tcp", "", 8080, "oci.landlock.net.connect=8080");
	access_is("audit: type=1423 audit(1795962922.663:455): domain=139fac6e5 "
		  "blockers=fs.read_file path=\"/etc/hostname\" dev=\"vda\" ino=733",
		  "fs.read_file", "/etc/hostname", -1, "oci.landlock.fs.ro=/etc/hostname");
	/* An abstract socket's name is hex, starting with NUL. */
	access_is("audit: type=1423 audit(1795963009.307:461): domain=139fac6e5 "
		  "blockers=scope.abstract_unix_socket path=006F6C2D617564",
		  "scope.abstract_unix_socket", "@ol-aud", -1,
		  "drop abstract_unix_socket from oci.landlock.scope");
	access_is("audit: type=1423 audit(1795963009.307:462): domain=139fac6e5 "
		  "blockers=scope.signal opid=31969 ocomm=\"sleep\"",
		  "scope.signal", "", -1, "drop signal from oci.landlock.scope");
	assert_int_equal(rec.opid, 31969);

	assert_int_equal(ol_audit_parse("[ 8985.810030] audit: type=1424 "
					"audit(1795963009.307:460): domain=139fac6e5 "
					"status=allocated mode=enforcing pid=31970 uid=0 "
					"exe=\"/usr/libexec/oci-landlock/oci-landlock-exec\" "
					"comm=\"oci-landlock-ex\"",
					&rec),
			 OL_AUDIT_DOMAIN);
	assert_string_equal(rec.domain, "139fac6e5");
	assert_true(rec.allocated);
	assert_int_equal(rec.pid, 31970);
	assert_string_equal(rec.exe, "/usr/libexec/oci-landlock/oci-landlock-exec");
	assert_int_equal(ol_audit_parse("audit: type=1424 audit(1795963009.355:464): "
					"domain=139fac6e5 status=deallocated denials=4",
					&rec),
			 OL_AUDIT_DOMAIN);
	assert_false(rec.allocated);
	assert_int_equal(rec.pid, -1);
}

static void test_auditd_log(void **state)
{
	(void) state;
	/* auditd 3.0 does not know the Landlock types; a path with a space is hex. */
	access_is("type=UNKNOWN[1423] msg=audit(1795962922.663:457): domain=139fac6e5 "
		  "blockers=fs.write_file,fs.truncate path=2F746D702F6120622063 dev=\"vda\" "
		  "ino=247066",
		  "fs.write_file,fs.truncate", "/tmp/a b c", -1, "oci.landlock.fs.rw=/tmp/a b c");
	access_is("type=LANDLOCK_ACCESS msg=audit(1795962922.663:458): domain=139fac6e5 "
		  "blockers=fs.execute path=\"/opt/tool\" dev=\"vda\" ino=1",
		  "fs.execute", "/opt/tool", -1, "oci.landlock.fs.rx=/opt/tool");
	access_is("type=LANDLOCK_ACCESS msg=audit(1795962922.663:459): domain=139fac6e5 "
		  "blockers=fs.execute,fs.write_file path=\"/opt/tool\" dev=\"vda\" ino=1",
		  "fs.execute,fs.write_file", "/opt/tool", -1, "oci.landlock.fs.rwx=/opt/tool");
	access_is("type=LANDLOCK_ACCESS msg=audit(1795962922.663:460): domain=139fac6e5 "
		  "blockers=fs.read_file,fs.read_dir path=\"/srv\" dev=\"vda\" ino=1",
		  "fs.read_file,fs.read_dir", "/srv", -1, "oci.landlock.fs.ro=/srv");
	/* Unknown blockers of a future kernel: shown, no suggestion. */
	access_is("type=LANDLOCK_ACCESS msg=audit(1795962922.663:461): domain=139fac6e5 "
		  "blockers=net.send_udp daddr=10.0.0.1",
		  "net.send_udp", "", -1, NULL);
}

/* ABI 9: a pathname UNIX socket outside the domain. */
static void test_resolve_unix(void **state)
{
	(void) state;
	access_is("[ 9120.402113] audit: type=1423 audit(1795963100.402:470): domain=139fac6e5 "
		  "blockers=fs.resolve_unix path=\"/run/dbus/system_bus_socket\" dev=\"tmpfs\" "
		  "ino=812",
		  "fs.resolve_unix", "/run/dbus/system_bus_socket", -1,
		  "oci.landlock.fs.unix=/run/dbus/system_bus_socket");
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:471): domain=139fac6e5 "
		  "blockers=fs.resolve_unix path=2F72756E2F6D7920736F636B dev=\"tmpfs\" ino=813",
		  "fs.resolve_unix", "/run/my sock", -1, "oci.landlock.fs.unix=/run/my sock");
	/* A path no annotation can name: none, as for the other rights. */
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:472): domain=139fac6e5 "
		  "blockers=fs.resolve_unix path=\"/run/a:/run/b.sock\" dev=\"tmpfs\" ino=814",
		  "fs.resolve_unix", "/run/a:/run/b.sock", -1, NULL);
	assert_false(ol_audit_path_nameable(rec.path));
	/* The kernel denies resolve_unix alone; a record naming more (from
	 * elsewhere) gets what grants all of it and nothing more: fs.unix
	 * beside a reading preset, which lacks it; a writing one has it. */
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:473): domain=139fac6e5 "
		  "blockers=fs.resolve_unix,fs.read_file path=\"/run/x.sock\"",
		  "fs.resolve_unix,fs.read_file", "/run/x.sock", -1,
		  "oci.landlock.fs.unix=/run/x.sock and oci.landlock.fs.ro=/run/x.sock");
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:474): domain=139fac6e5 "
		  "blockers=fs.execute,fs.resolve_unix path=\"/run/x.sock\"",
		  "fs.execute,fs.resolve_unix", "/run/x.sock", -1,
		  "oci.landlock.fs.unix=/run/x.sock and oci.landlock.fs.rx=/run/x.sock");
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:475): domain=139fac6e5 "
		  "blockers=fs.resolve_unix,fs.write_file path=\"/run/x.sock\"",
		  "fs.resolve_unix,fs.write_file", "/run/x.sock", -1,
		  "oci.landlock.fs.rw=/run/x.sock");
	/* A mount: no rule allows it; a blocker this version does not know. */
	access_is("audit: type=1423 audit(1795963100.402:476): domain=139fac6e5 "
		  "blockers=fs.change_topology path=\"/mnt\" dev=\"vda\" ino=2",
		  "fs.change_topology", "/mnt", -1, NULL);
	assert_true(ol_audit_path_nameable(rec.path));
	access_is("audit: type=1423 audit(1795963100.402:477): domain=139fac6e5 "
		  "blockers=fs.read_file,fs.frob path=\"/etc/x\"",
		  "fs.read_file,fs.frob", "/etc/x", -1, NULL);
}

/*
 * ABI 10: the port is the one asked for, src= for a bind, dest= for a
 * connect or send; lport= and fport= are the socket's own.  A bind
 * record without src= asked for port 0: bind(0), or the automatic bind
 * of a socket's first connect or send.
 */
static void test_udp(void **state)
{
	(void) state;
	access_is("6,2400,9120402500,-;audit: type=1423 audit(1795963100.402:480): "
		  "domain=139fac6e5 blockers=net.bind_udp src=5353",
		  "net.bind_udp", "", 5353, "oci.landlock.net.udp.bind=5353");
	assert_false(rec.bound);
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:481): domain=139fac6e5 "
		  "blockers=net.bind_udp saddr=::1 src=5354",
		  "net.bind_udp", "", 5354, "oci.landlock.net.udp.bind=5354");
	/* The automatic bind: no address, no port. */
	access_is("[ 9120.402501] audit: type=1423 audit(1795963100.402:482): domain=139fac6e5 "
		  "blockers=net.bind_udp",
		  "net.bind_udp", "", 0,
		  "oci.landlock.net.udp.bind=0 (0: the port the kernel picks, for bind(0) or a "
		  "client's first connect or send)");
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:483): domain=139fac6e5 "
		  "blockers=net.bind_udp saddr=127.0.0.1",
		  "net.bind_udp", "", 0,
		  "oci.landlock.net.udp.bind=0 (0: the port the kernel picks, for bind(0) or a "
		  "client's first connect or send)");
	/* The same rule for TCP, whose record comes from the same code:
	 * bind() to 0.0.0.0:0 and to 127.0.0.1:0 on this kernel (Linux 6.18,
	 * the domain renamed), and 0.0.0.0:8099 (no address 0 either). */
	access_is("[10899.955697] audit: type=1423 audit(1796197422.370:2740): "
		  "domain=139fac6e5 blockers=net.bind_tcp",
		  "net.bind_tcp", "", 0,
		  "oci.landlock.net.bind=0 (0: the port the kernel picks, for bind(0))");
	access_is("[10899.955724] audit: type=1423 audit(1796197422.370:2742): "
		  "domain=139fac6e5 blockers=net.bind_tcp saddr=127.0.0.1",
		  "net.bind_tcp", "", 0,
		  "oci.landlock.net.bind=0 (0: the port the kernel picks, for bind(0))");
	access_is("[10899.955717] audit: type=1423 audit(1796197422.370:2741): "
		  "domain=139fac6e5 blockers=net.bind_tcp src=8099",
		  "net.bind_tcp", "", 8099, "oci.landlock.net.bind=8099");
	/* A socket with no port yet: its automatic bind is checked next. */
	access_is("audit: type=1423 audit(1795963100.402:485): domain=139fac6e5 "
		  "blockers=net.connect_send_udp daddr=10.0.2.3 dest=53",
		  "net.connect_send_udp", "", 53,
		  "oci.landlock.net.udp.connect=53 (the socket has no port yet: its connect or "
		  "send binds one, so if oci.landlock.net.udp.bind is set, add 0 to it)");
	assert_false(rec.bound);
	/* A bound socket: lport= is its port, not the one asked for. */
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:486): domain=139fac6e5 "
		  "blockers=net.connect_send_udp lport=5353 daddr=224.0.0.251 dest=5353",
		  "net.connect_send_udp", "", 5353, "oci.landlock.net.udp.connect=5353");
	assert_true(rec.bound);
	/* A connected socket sending elsewhere: fport= is its peer's. */
	access_is("audit: type=1423 audit(1795963100.402:487): domain=139fac6e5 "
		  "blockers=net.connect_send_udp laddr=10.0.2.15 lport=41000 faddr=10.0.2.3 "
		  "fport=53 daddr=10.0.2.4 dest=5300",
		  "net.connect_send_udp", "", 5300, "oci.landlock.net.udp.connect=5300");
	assert_true(rec.bound);
	/* AF_UNSPEC to an IPv6 socket: no port, and no rule allows it. */
	access_is("type=UNKNOWN[1423] msg=audit(1795963100.402:488): domain=139fac6e5 "
		  "blockers=net.connect_send_udp",
		  "net.connect_send_udp", "", -1, NULL);
	/* A record naming two network rights is none the kernel writes. */
	access_is("audit: type=1423 audit(1795963100.402:489): domain=139fac6e5 "
		  "blockers=net.bind_udp,net.bind_tcp src=53",
		  "net.bind_udp,net.bind_tcp", "", 53, NULL);
}

static void test_not_landlock(void **state)
{
	(void) state;
	const char *lines[] = {
		"",
		"[ 1.0] Linux version 6.18.0",
		"audit: type=1400 audit(1.0:1): apparmor=\"DENIED\" operation=\"open\"",
		"audit: type=1423 audit(1.0:2): blockers=fs.read_file path=\"/x\"",
		"audit: type=1423 audit(1.0:2): domain=1 path=\"/x\"",
		"audit: type=1424 audit(1.0:2): domain=1 mode=enforcing",
	};

	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		assert_int_equal(ol_audit_parse(lines[i], &rec), OL_AUDIT_OTHER);
}

/* The time of a record; the kernel's word that it dropped some. */
static void test_time_and_losses(void **state)
{
	(void) state;
	assert_int_equal(ol_audit_parse("audit: type=1423 audit(1795962922.063:456): "
					"domain=139fac6e5 blockers=net.connect_tcp dest=8080",
					&rec),
			 OL_AUDIT_ACCESS);
	assert_true(rec.time_ms == 1795962922063LL);
	assert_int_equal(ol_audit_parse("type=UNKNOWN[1423] msg=audit(17.5:1): domain=1 "
					"blockers=fs.execute path=\"/x\"",
					&rec),
			 OL_AUDIT_ACCESS);
	assert_true(rec.time_ms == -1);

	assert_int_equal(ol_audit_parse("4,1234,298828618,-;kauditd_printk_skb: 57 callbacks "
					"suppressed",
					&rec),
			 OL_AUDIT_SUPPRESSED);
	assert_int_equal(rec.count, 57);
	assert_true(rec.time_ms == -1);
	assert_int_equal(
		ol_audit_parse("[  298.8] kauditd_printk_skb: 3 callbacks suppressed\n", &rec),
		OL_AUDIT_SUPPRESSED);
	assert_int_equal(rec.count, 3);
	assert_int_equal(ol_audit_parse("audit: audit_lost=12 audit_rate_limit=1 "
					"audit_backlog_limit=64",
					&rec),
			 OL_AUDIT_LOST);
	assert_int_equal(rec.count, 12);
	/* Another function's suppressed callbacks are not audit's. */
	assert_int_equal(ol_audit_parse("net_ratelimit: 9 callbacks suppressed", &rec),
			 OL_AUDIT_OTHER);
	assert_int_equal(ol_audit_parse("kauditd_printk_skb: x callbacks suppressed", &rec),
			 OL_AUDIT_OTHER);
	assert_int_equal(ol_audit_parse("kauditd_printk_skb: 5 callbacks", &rec), OL_AUDIT_OTHER);
}

/*
 * Text anyone with CAP_AUDIT_WRITE sends (auditctl -m) lands in a record
 * of its own, inside msg='...': it cannot pass for a denial, a domain or
 * a loss.  A record is read where the log's message starts.
 */
static void test_user_text_is_not_a_record(void **state)
{
	(void) state;
	const char *forged[] = {
		"6,100,123,-;audit: type=1005 audit(1796186819.998:2): pid=1 uid=0 "
		"msg='text=audit: type=1423 audit(1.000:1): domain=1 blockers=fs.read_file "
		"path=\"/x\"'",
		"audit: type=1005 audit(1796186819.998:2): pid=1 uid=0 msg='text=type=1424 "
		"audit(1.000:1): domain=1 status=allocated pid=1'",
		"[  1.0] audit: type=1005 audit(1796186819.998:2): msg='text=kauditd_printk_skb: "
		"99 "
		"callbacks suppressed'",
		"type=USER msg=audit(1796186819.998:2): msg='text=audit: audit_lost=99 x'",
	};

	for (size_t i = 0; i < sizeof(forged) / sizeof(forged[0]); i++)
		assert_int_equal(ol_audit_parse(forged[i], &rec), OL_AUDIT_OTHER);
	/* Written to /dev/kmsg by a process: facility 1 (priority 13), not
	 * the kernel's 0, whatever the text claims; so for losses. */
	assert_int_equal(ol_audit_parse("13,2289,8985810022,-;audit: type=1423 "
					"audit(1795963009.307:999): domain=fffff0001 "
					"blockers=fs.write_file path=\"/etc/shadow\"",
					&rec),
			 OL_AUDIT_OTHER);
	assert_int_equal(ol_audit_parse("12,2290,8985810023,-;kauditd_printk_skb: 57 callbacks "
					"suppressed",
					&rec),
			 OL_AUDIT_OTHER);
	/* A path that no annotation can name gets no suggestion: with ':'
	 * it would read as two paths (a:/etc/x grants /etc/x). */
	access_is("audit: type=1423 audit(1795963009.307:464): domain=139fac6e5 "
		  "blockers=fs.execute path=\"/tmp/a:/etc/x\" dev=\"vda\" ino=20",
		  "fs.execute", "/tmp/a:/etc/x", -1, NULL);
	access_is("audit: type=1423 audit(1795963009.307:465): domain=139fac6e5 "
		  "blockers=fs.execute path=2F746D702F1B5B324B dev=\"vda\" ino=21",
		  "fs.execute", "/tmp/\x1b[2K", -1, NULL);
	/* auditd's node= prefix (name_format) is the log's, not the message's. */
	access_is("node=web1 type=UNKNOWN[1423] msg=audit(1795962922.663:457): "
		  "domain=139fac6e5 blockers=fs.execute path=\"/opt/tool\"",
		  "fs.execute", "/opt/tool", -1, "oci.landlock.fs.rx=/opt/tool");
}

/*
 * The workload names the paths and, in a saved log, anything else: a
 * suggestion must grant what was denied and nothing more, however it is
 * used.  podman reads --annotation as CSV, so a ',' would start a second
 * annotation ("/tmp/a,oci.landlock.fs.rwx=/etc" is rwx on /etc); a C1
 * control (U+009B is CSI) would reach the terminal raw, where the path
 * column shows it escaped; a relative path or one cut at a NUL names
 * another object than the one denied.
 */
static void test_hostile_suggestions(void **state)
{
	(void) state;
	access_is("audit: type=1423 audit(1796198798.634:3022): domain=139fac6e5 "
		  "blockers=fs.execute path=\"/tmp/a,oci.landlock.fs.rwx=/etc\" dev=\"vda\" "
		  "ino=10960935",
		  "fs.execute", "/tmp/a,oci.landlock.fs.rwx=/etc", -1, NULL);
	assert_false(ol_audit_path_nameable(rec.path));
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:22): domain=139fac6e5 "
		  "blockers=fs.resolve_unix path=\"/tmp/s,oci.landlock.mode=best-effort\"",
		  "fs.resolve_unix", "/tmp/s,oci.landlock.mode=best-effort", -1, NULL);
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:23): domain=139fac6e5 "
		  "blockers=fs.read_file path=2F746D702FC29B33316D726564 dev=\"vda\" ino=3",
		  "fs.read_file",
		  "/tmp/\xc2\x9b"
		  "31mred",
		  -1, NULL);
	assert_false(ol_audit_path_nameable(rec.path));
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:31): domain=139fac6e5 "
		  "blockers=fs.resolve_unix path=\"relative.sock\"",
		  "fs.resolve_unix", "relative.sock", -1, NULL);
	assert_false(ol_audit_path_nameable(rec.path));
	/* "/etc\0A" is no path; read as "/etc" it would grant the directory. */
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:25): domain=139fac6e5 "
		  "blockers=fs.read_file path=2F6574630041 dev=\"vda\" ino=5",
		  "fs.read_file", "2F6574630041", -1, NULL);
	/* A port no rule can name, a scope this version does not know. */
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:26): domain=139fac6e5 "
		  "blockers=net.bind_udp src=70000",
		  "net.bind_udp", "", -1, NULL);
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:27): domain=139fac6e5 "
		  "blockers=net.connect_tcp dest=65536",
		  "net.connect_tcp", "", -1, NULL);
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:34): domain=139fac6e5 "
		  "blockers=scope.x;rm opid=1",
		  "scope.x;rm", "", -1, NULL);
	access_is("type=UNKNOWN[1423] msg=audit(1796186900.100:33): domain=139fac6e5 "
		  "blockers=scope.signal,scope.abstract_unix_socket opid=1",
		  "scope.signal,scope.abstract_unix_socket", "", -1, NULL);
}

/* Quiet rules (ABI 10) keep denials out of the log: said from ABI 10 on. */
static void test_quiet_note(void **state)
{
	(void) state;
	for (int abi = 0; abi < 10; abi++)
		assert_null(ol_audit_quiet_note(abi));
	for (int abi = 10; abi <= 11; abi++)
		assert_string_equal(
			ol_audit_quiet_note(abi),
			"this kernel lets a policy keep denials out of the log (quiet "
			"rules, Landlock ABI 10): a container whose policy has them was "
			"denied more than is listed; 'oci-landlock check' shows a "
			"policy's quiet rules");
}

static const struct CMUnitTest tests[] = {
	cmocka_unit_test(test_quiet_note),
	cmocka_unit_test(test_kernel_log),
	cmocka_unit_test(test_auditd_log),
	cmocka_unit_test(test_resolve_unix),
	cmocka_unit_test(test_udp),
	cmocka_unit_test(test_not_landlock),
	cmocka_unit_test(test_time_and_losses),
	cmocka_unit_test(test_user_text_is_not_a_record),
	cmocka_unit_test(test_hostile_suggestions),
};

OL_UNIT_MAIN(tests)
