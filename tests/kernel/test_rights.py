#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: what oci-landlock-exec allows and denies.

For every file-system right, one operation the policy allows and one it
denies (EACCES); refer across directories; rights a policy does not handle;
TCP bind and connect over IPv4 and IPv6; both scopes.

Needs: Landlock ABI 6 or later, root for device nodes.  A case that cannot
run says why and is skipped.
"""
import os
import signal
import socket
import subprocess

from launch import (PROBE, Tree, check_right, expect, free_port,
                    launch, listener, main, need_abi, need_root, policy)
from tap import Skip, test


# ---- one allowed and one denied operation per file-system right ----------

@test
def test_execute():
    check_right("execute", "exec", "prog", both=["read_file"])


@test
def test_write_file():
    check_right("write_file", "write", "f")


@test
def test_read_file():
    check_right("read_file", "read", "f")


@test
def test_read_dir():
    check_right("read_dir", "readdir", "sub")


@test
def test_remove_dir():
    check_right("remove_dir", "rmdir", "sub")


@test
def test_remove_file():
    check_right("remove_file", "unlink", "f")


@test
def test_make_char():
    need_root()
    check_right("make_char", "mkchar", "c")


@test
def test_make_dir():
    check_right("make_dir", "mkdir", "n")


@test
def test_make_reg():
    check_right("make_reg", "mkreg", "r")


@test
def test_make_sock():
    check_right("make_sock", "mksock", "s")


@test
def test_make_fifo():
    check_right("make_fifo", "mkfifo", "p")


@test
def test_make_block():
    need_root()
    check_right("make_block", "mkblock", "b")


@test
def test_make_sym():
    check_right("make_sym", "symlink", "l", args=["target"])


@test
def test_truncate():
    need_abi(3)
    check_right("truncate", "truncate", "f", both=["write_file"])
    check_right("truncate", "open-trunc", "f", both=["write_file"])


@test
def test_ioctl_dev():
    need_abi(5)
    need_root()
    # TCGETS on /dev/null: ENOTTY when the ioctl reaches the driver.
    check_right("ioctl_dev", "ioctl", "null", allowed="ENOTTY",
                both=["read_file"])


@test
def test_refer():
    need_abi(2)
    t = Tree()
    try:
        move = ["make_reg", "remove_file"]
        a, d = t.a(), t.d()
        # Without refer: renames and links across directories are EXDEV,
        # within a directory they work.
        proc = launch(["--policy", policy((a, move), (d, move))],
                      ["rename", t.a("f"), t.d("moved"),
                       "link", t.a("g"), t.d("linked"),
                       "rename", t.a("f"), t.a("f2")])
        expect(proc, ["EXDEV", "EXDEV", "OK"])
        # With refer on both sides they work.
        proc = launch(["--policy",
                       policy((a, move + ["refer"]), (d, move + ["refer"]))],
                      ["rename", t.a("f2"), t.d("moved"),
                       "link", t.a("g"), t.d("linked")])
        expect(proc, ["OK", "OK"])
    finally:
        t.close()


@test
def test_unhandled_right_is_not_restricted():
    t = Tree()
    try:
        # Handled: write_file, plus execute and read_file that the probe's
        # own rule brings in.  Making directories and removing files stay
        # allowed everywhere.
        proc = launch(["--policy", policy((t.a(), ["write_file"]),
                                          handled=["write_file"])],
                      ["mkdir", t.d("n"), "unlink", t.d("g"),
                       "write", t.a("f"), "write", t.d("f")])
        expect(proc, ["OK", "OK", "OK", "EACCES"])
    finally:
        t.close()


# ---- network ------------------------------------------------------------------

@test
def test_tcp_connect():
    need_abi(4)
    ok, denied = listener(), listener()
    try:
        p_ok, p_denied = ok.getsockname()[1], denied.getsockname()[1]
        proc = launch(["--fs-rx", PROBE, "--net-connect", str(p_ok)],
                      ["connect", str(p_ok), "connect", str(p_denied)])
        expect(proc, ["OK", "EACCES"])
        # Present but empty: no port at all.
        proc = launch(["--fs-rx", PROBE, "--net-connect", ""],
                      ["connect", str(p_ok)])
        expect(proc, ["EACCES"])
    finally:
        ok.close()
        denied.close()


@test
def test_tcp_bind():
    need_abi(4)
    p_ok, p_denied = free_port(), free_port()
    proc = launch(["--fs-rx", PROBE, "--net-bind", f"{p_ok},1-2"],
                  ["bind", str(p_ok), "bind", str(p_denied)])
    expect(proc, ["OK", "EACCES"])


@test
def test_tcp_ipv6():
    need_abi(4)
    try:
        ok = listener(socket.AF_INET6)
    except OSError as e:
        raise Skip(f"no IPv6 loopback: {e}")
    denied = listener(socket.AF_INET6)
    try:
        p_ok, p_denied = ok.getsockname()[1], denied.getsockname()[1]
        proc = launch(["--fs-rx", PROBE, "--net-connect", str(p_ok),
                       "--net-bind", str(p_denied)],
                      ["connect6", str(p_ok), "connect6", str(p_denied),
                       "bind6", str(free_port())])
        expect(proc, ["OK", "EACCES", "EACCES"])
    finally:
        ok.close()
        denied.close()


@test
def test_net_rules_alone_leave_files_alone():
    need_abi(4)
    t = Tree()
    try:
        proc = launch(["--net-connect", ""], ["read", t.d("f"), "write", t.d("f")])
        expect(proc, ["OK", "OK"])
    finally:
        t.close()


# ---- scopes ----------------------------------------------------------------------

@test
def test_scope_abstract_unix_socket():
    need_abi(6)
    name = f"ol-test-{os.getpid()}"
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.bind("\0" + name)
    s.listen(8)
    try:
        proc = launch(["--fs-rx", PROBE], ["abstract", name])
        expect(proc, ["OK"])
        proc = launch(["--fs-rx", PROBE, "--scope", "abstract_unix_socket"],
                      ["abstract", name, "abstract-self", name + "-inner"])
        expect(proc, ["EPERM", "OK"])
    finally:
        s.close()


@test
def test_scope_signal():
    need_abi(6)
    sleeper = subprocess.Popen(["sleep", "60"])
    try:
        pid = str(sleeper.pid)
        proc = launch(["--fs-rx", PROBE], ["kill", pid])
        expect(proc, ["OK"])
        proc = launch(["--fs-rx", PROBE, "--scope", "signal"],
                      ["kill", pid, "kill", "0"])
        expect(proc, ["EPERM", "OK"])
    finally:
        sleeper.send_signal(signal.SIGKILL)
        sleeper.wait()


if __name__ == "__main__":
    main()
