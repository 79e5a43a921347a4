#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: the rights of Landlock ABI 9 and 10 through the launcher.

resolve_unix (ABI 9, Linux 7.1: connecting to a pathname UNIX socket whose
server is outside the sandbox), bind_udp and connect_send_udp (ABI 10,
Linux 7.2).  On a kernel older than that (CI's machines have ABI 7) the
launcher must refuse each of them in strict mode with the exact message,
run with one warning in best effort, and never refuse the fs.* shorthand
for a right it only implies.  Those cases run on every kernel, each
asserting what that kernel's ABI calls for.  The cases that enforce the
new rights for real need ABI 9 or 10: they skip elsewhere, and CI names
them (tap.NewerKernel); the unit tests (unit.abi) cover the fitting on
fake ABIs 6 to 11.
"""
import os
import shutil
import socket
import tempfile

from launch import ABI, PROBE, expect, expect_stderr, free_port, launch, main, need_abi
from tap import test

HINT = ("Hint: use a newer kernel, remove these rights from the policy, or set "
        "the mode to best-effort to run without them\n")
SRC = "--fs/--net/--scope options"
UNIX_9 = "resolve_unix needs ABI 9 (Linux 7.1)"
UDP_10 = ("bind_udp needs ABI 10 (Linux 7.2), connect_send_udp needs ABI 10 "
          "(Linux 7.2)")


class Servers:
    """Two listening pathname sockets made outside the sandbox."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ol-unix-")
        self.socks = []
        for name in ("ok.sock", "no.sock"):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.bind(os.path.join(self.dir, name))
            s.listen(8)
            self.socks.append(s)
        self.ok = os.path.join(self.dir, "ok.sock")
        self.no = os.path.join(self.dir, "no.sock")

    def close(self):
        for s in self.socks:
            s.close()
        shutil.rmtree(self.dir)


def refused(missing):
    return (f"oci-landlock-exec: {SRC}: this kernel has Landlock ABI {ABI} and "
            f"cannot enforce: {missing}\n{HINT}")


def dropped(missing):
    return (f"oci-landlock-exec: warning: {SRC}: this kernel has Landlock ABI "
            f"{ABI} and does not restrict: {missing}\n")


@test
def test_fs_unix_strict_and_best_effort():
    srv = Servers()
    try:
        args = ["--fs-rx", PROBE, "--fs-unix", srv.ok]
        ops = ["unix", srv.ok, "unix", srv.no]
        proc = launch(args, ops)
        if ABI < 9:
            expect(proc, [], status=126)
            expect_stderr(proc, refused(UNIX_9))
            # Best effort runs unrestricted there, as the warning says.
            proc = launch(["--mode", "best-effort"] + args, ops)
            expect(proc, ["OK", "OK"])
            expect_stderr(proc, dropped(UNIX_9))
        else:
            expect(proc, ["OK", "EACCES"])
            expect_stderr(proc, "")
    finally:
        srv.close()


@test
def test_udp_strict_and_best_effort():
    port = free_port()
    args = ["--fs-rx", PROBE, "--net-udp-bind", "0", "--net-udp-connect", str(port)]
    ops = ["udp-send", str(port), "udp-bind", str(free_port())]
    proc = launch(args, ops)
    if ABI < 10:
        expect(proc, [], status=126)
        expect_stderr(proc, refused(UDP_10))
        proc = launch(["--mode", "best-effort"] + args, ops)
        expect(proc, ["OK", "OK"])
        expect_stderr(proc, dropped(UDP_10))
    else:
        expect(proc, ["OK", "EACCES"])


@test
def test_every_new_right_in_one_message():
    missing = ([UNIX_9] if ABI < 9 else []) + ([UDP_10] if ABI < 10 else [])
    proc = launch(["--fs-unix", "", "--net-udp-bind", "0", "--net-udp-connect", "53"],
                  ["udp-bind", "0"])
    if missing:
        expect(proc, [], status=126)
        expect_stderr(proc, refused(", ".join(missing)))
    else:
        expect(proc, ["OK"])


@test
def test_fs_shorthand_implies_resolve_unix_without_refusing():
    srv = Servers()
    try:
        proc = launch(["--fs-rx", PROBE], ["unix", srv.ok])
        # Never refused, never warned: fs.rx never named resolve_unix.
        expect_stderr(proc, "")
        # Handled where the kernel has it: a socket outside is denied.
        expect(proc, ["OK" if ABI < 9 else "EACCES"])
    finally:
        srv.close()


@test
def test_a_policy_naming_resolve_unix_beside_fs_rx_is_not_implied():
    # One layer, as the host writes the annotations: fs.rx only implies
    # resolve_unix, the policy names it, so strict mode must refuse.
    proc = launch(["--layer", "annotations", "--fs-rx", PROBE, "--policy",
                   '{"ruleset":[{"handledAccessFs":["resolve_unix"]}]}'],
                  ["udp-bind", "0"])
    if ABI < 9:
        expect(proc, [], status=126)
        expect_stderr(proc, refused(UNIX_9).replace(SRC, "annotations"))
    else:
        expect(proc, ["OK"])


@test
def test_resolve_unix_enforced():
    need_abi(9)
    srv = Servers()
    try:
        proc = launch(["--fs-rx", PROBE, "--fs-unix", srv.ok],
                      ["unix", srv.ok, "unix", srv.no])
        expect(proc, ["OK", "EACCES"])
        # fs.rw grants it on a directory; fs.ro does not.
        proc = launch(["--fs-rx", PROBE, "--fs-rw", srv.dir], ["unix", srv.no])
        expect(proc, ["OK"])
        proc = launch(["--fs-rx", PROBE, "--fs-ro", srv.dir], ["unix", srv.no])
        expect(proc, ["EACCES"])
    finally:
        srv.close()


@test
def test_udp_enforced_and_the_socket_warning():
    need_abi(10)
    ok, no = free_port(), free_port()
    proc = launch(["--fs-rx", PROBE, "--net-udp-bind", str(ok), "--net-udp-connect",
                   str(ok)],
                  ["udp-bind", str(ok), "udp-bind", str(no), "udp-send", str(no)])
    expect(proc, ["OK", "EACCES", "EACCES"])
    expect_stderr(proc, f"oci-landlock-exec: warning: {SRC}: Landlock restricts TCP "
                  "and UDP on this kernel; MPTCP, raw, ICMP, packet, netlink and other "
                  "sockets are not restricted: add a socket filter, such as "
                  "--net-socket unix,tcp,udp (annotation oci.landlock.net.socket)\n")


if __name__ == "__main__":
    main()
