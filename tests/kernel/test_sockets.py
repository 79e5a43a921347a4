#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: the seccomp socket filter (--net-socket).

For each socket kind alone, and for none: every probe socket is created
or refused with EACCES as the list says.  Then the ways around a filter:
the high 32 bits of the arguments, SOCK_NONBLOCK/SOCK_CLOEXEC, i386
socket() and socketcall(), x32, io_uring, socketpair(); repeated options
intersect; the filter and Landlock's TCP rules together; the warning.

What the kernel does without the filter is measured first (the baseline):
a kind the filter allows must give exactly that result, so the test does
not depend on which modules are loaded.  Ping sockets need
net.ipv4.ping_group_range to include our group: it is widened for the
test and put back.  Needs root (raw and packet sockets).
"""
import platform
import subprocess

from launch import LAUNCHER, PROBE, expect, launch, listener, main
from launch import need_abi, need_root, results
from tap import Skip, test

# (kind, probe arguments of socket): spelled out here, not from the code.
SOCKETS = [
    ("unix", ["unix", "stream", "0"]),
    ("unix", ["unix", "dgram", "0"]),
    ("unix", ["unix", "seqpacket", "0"]),
    ("tcp", ["inet", "stream", "0"]),
    ("tcp", ["inet", "stream", "6"]),
    ("tcp", ["inet6", "stream", "0"]),
    ("tcp", ["inet6", "stream", "6"]),
    ("mptcp", ["inet", "stream", "262"]),
    ("mptcp", ["inet6", "stream", "262"]),
    ("udp", ["inet", "dgram", "0"]),
    ("udp", ["inet", "dgram", "17"]),
    ("udp", ["inet6", "dgram", "0"]),
    ("icmp", ["inet", "dgram", "1"]),
    ("icmp", ["inet6", "dgram", "58"]),
    ("raw", ["inet", "raw", "1"]),
    ("raw", ["inet", "raw", "255"]),
    ("raw", ["inet6", "raw", "58"]),
    ("netlink", ["netlink", "raw", "0"]),
    ("netlink", ["netlink", "dgram", "0"]),
    ("packet", ["packet", "raw", "0"]),
    ("packet", ["packet", "dgram", "0"]),
    ("vsock", ["vsock", "stream", "0"]),
    # Never on any list: SCTP over IPv4, AF_ALG, AF_KEY.
    (None, ["inet", "stream", "132"]),
    (None, ["38", "seqpacket", "0"]),
    (None, ["15", "raw", "2"]),
]
KINDS = ["unix", "tcp", "mptcp", "udp", "icmp", "raw", "netlink", "packet",
         "vsock"]
PING_RANGE = "/proc/sys/net/ipv4/ping_group_range"
FS = ["--fs-rx", PROBE]


def ops(sockets):
    return sum((["socket"] + args for _, args in sockets), [])


def direct(args):
    """The probe without the launcher: what the kernel does unfiltered."""
    proc = subprocess.run([PROBE] + args, capture_output=True, text=True,
                          timeout=60)
    return results(proc)


class PingGroups:
    """Let every group open ping sockets for the test, then put it back."""

    def __enter__(self):
        with open(PING_RANGE) as f:
            self.saved = f.read().strip()
        with open(PING_RANGE, "w") as f:
            f.write("0 2147483647")

    def __exit__(self, *exc):
        with open(PING_RANGE, "w") as f:
            f.write(self.saved.replace("\t", " "))


BASELINE = {}


def baseline():
    if not BASELINE:
        with PingGroups():
            got = direct(ops(SOCKETS))
        BASELINE.update(zip(range(len(SOCKETS)), got))
        # The kinds the tests rely on must work unfiltered, or a denial
        # below would prove nothing.
        for i, (kind, args) in enumerate(SOCKETS):
            if kind in ("unix", "tcp", "udp", "icmp", "raw", "netlink", "packet") \
                    and BASELINE[i] != "OK":
                raise AssertionError(f"{args} fails without any filter: {BASELINE[i]}")
    return BASELINE


def check_kinds(arg, allowed):
    need_root()
    base = baseline()
    want = [base[i] if kind in allowed else "EACCES"
            for i, (kind, _) in enumerate(SOCKETS)]
    with PingGroups():
        proc = launch(FS + ["--net-socket", arg], ops(SOCKETS))
    expect(proc, want)
    if proc.stderr:
        raise AssertionError(f"unexpected stderr: {proc.stderr}")


def kind_test(kind):
    def fn():
        check_kinds(kind, {kind})
    fn.__name__ = f"test_only_{kind}"
    return test(fn)


for _kind in KINDS:
    kind_test(_kind)


@test
def test_none_refuses_every_socket():
    check_kinds("none", set())


@test
def test_two_kinds():
    check_kinds("udp,unix", {"udp", "unix"})
    check_kinds("tcp mptcp", {"tcp", "mptcp"})


@test
def test_repeated_options_intersect():
    need_root()
    proc = launch(FS + ["--net-socket", "tcp,udp", "--net-socket", "udp,unix"],
                  ["socket", "inet", "dgram", "0", "socket", "inet", "stream", "0",
                   "socket", "unix", "stream", "0"])
    expect(proc, ["OK", "EACCES", "EACCES"])


@test
def test_high_bits_neither_widen_nor_narrow():
    # The kernel reads int arguments: with bit 32 set everywhere, UDP is
    # still UDP (refused) and TCP still TCP (allowed).
    proc = launch(FS + ["--net-socket", "tcp"],
                  ["socket-hi", "inet", "dgram", "0",
                   "socket-hi", "inet", "stream", "0",
                   "socket-hi", "unix", "stream", "0"])
    expect(proc, ["EACCES", "OK", "EACCES"])
    proc = launch(FS + ["--net-socket", "unix"],
                  ["socket-hi", "unix", "stream", "0"])
    expect(proc, ["OK"])


@test
def test_type_flags_do_not_matter():
    # SOCK_NONBLOCK (04000) on top of the probe's SOCK_CLOEXEC.
    proc = launch(FS + ["--net-socket", "tcp"],
                  ["socket", "inet", "2049", "0", "socket", "inet", "2050", "0"])
    expect(proc, ["OK", "EACCES"])


@test
def test_socketpair():
    proc = launch(FS + ["--net-socket", "unix"],
                  ["socketpair", "unix", "stream", "socketpair", "unix", "dgram"])
    expect(proc, ["OK", "OK"])
    proc = launch(FS + ["--net-socket", "tcp"],
                  ["socketpair", "unix", "stream"])
    expect(proc, ["EACCES"])


def need_x86_64():
    if platform.machine() != "x86_64":
        raise Skip(f"i386 and x32 entry points are x86_64 only, this is "
                   f"{platform.machine()}")


@test
def test_i386_entry_points():
    need_x86_64()
    probe = ["socket32", "inet", "dgram", "0", "socket32", "inet", "stream", "0",
             "socketcall32", "inet", "stream", "0"]
    base = direct(probe)
    if base != ["OK", "OK", "OK"]:
        raise Skip(f"no IA-32 emulation in this kernel: {base}")
    # i386 socket() is filtered like the native one; socketcall() hides
    # its arguments from seccomp, so its socket call is refused outright.
    expect(launch(FS + ["--net-socket", "tcp"], probe), ["EACCES", "OK", "EACCES"])


@test
def test_x32_entry_point():
    need_x86_64()
    base = direct(["socket-x32", "inet", "dgram", "0"])
    proc = launch(FS + ["--net-socket", "tcp"],
                  ["socket-x32", "inet", "dgram", "0",
                   "socket-x32", "inet", "stream", "0"])
    # On a kernel with x32 both are real calls; without it the refused
    # one is caught before the kernel says ENOSYS.
    expect(proc, ["EACCES", "OK" if base == ["OK"] else "ENOSYS"])


@test
def test_io_uring_is_refused():
    base = direct(["io-uring"])
    expect(launch(FS + ["--net-socket", "tcp,udp"], ["io-uring"]), ["EACCES"])
    # Without a socket filter io_uring is whatever the kernel allows.
    expect(launch(FS, ["io-uring"]), base)


@test
def test_with_landlock_tcp_rules():
    need_abi(4)
    ok, denied = listener(), listener()
    try:
        p_ok, p_denied = ok.getsockname()[1], denied.getsockname()[1]
        proc = launch(FS + ["--net-connect", str(p_ok), "--net-socket", "tcp"],
                      ["connect", str(p_ok), "connect", str(p_denied),
                       "socket", "inet", "dgram", "0"])
        expect(proc, ["OK", "EACCES", "EACCES"])
        if proc.stderr:
            raise AssertionError(f"unexpected stderr: {proc.stderr}")
    finally:
        ok.close()
        denied.close()


@test
def test_warning_when_tcp_rules_leave_udp_open():
    need_abi(4)
    want = ("oci-landlock-exec: warning: --fs/--net/--scope options: Landlock "
            "restricts TCP only; UDP, raw and other sockets are not restricted: "
            "add a socket filter, such as --net-socket unix,tcp (annotation "
            "oci.landlock.net.socket)\n")
    proc = launch(FS + ["--net-bind", ""], ["socket", "inet", "dgram", "0"])
    expect(proc, ["OK"])
    if proc.stderr != want:
        raise AssertionError(f"stderr: {proc.stderr!r}")
    # Said once for all the layers, never without network rules, never
    # with a filter.
    two = ["--layer", "x", "--fs-rx", PROBE, "--net-bind", "",
           "--layer", "y", "--net-connect", ""]
    cases = [(two, want.replace("--fs/--net/--scope options", "x")),
             (FS, ""),
             (FS + ["--net-bind", "", "--net-socket", "udp"], "")]
    for args, stderr in cases:
        proc = launch(args, ["exit", "0"])
        if proc.stderr != stderr or proc.returncode != 0:
            raise AssertionError(f"{args}: {proc.returncode} {proc.stderr!r}")


@test
def test_bad_lists_never_run_the_workload():
    cases = [
        ("udpp", 'invalid option \'--net-socket\': unknown socket kind \'udpp\' '
                 '(did you mean \'udp\'?)'),
        ("", "invalid option '--net-socket': empty socket list"),
        ("none,tcp", "invalid option '--net-socket': 'none' cannot be "
                     "combined with other kinds in 'none,tcp'"),
        ("tcp,,udp", "invalid option '--net-socket': empty socket kind at "
                     "position 2 in 'tcp,,udp'"),
    ]
    for arg, msg in cases:
        proc = launch(FS + ["--net-socket", arg], ["exit", "0"])
        got = proc.stderr.split("\nHint:")[0].rstrip("\n")
        if proc.returncode != 126 or got != f"oci-landlock-exec: {msg}" \
                or proc.stdout:
            raise AssertionError(f"{arg!r}: {proc.returncode} {proc.stderr!r}")


@test
def test_filter_survives_a_nested_launcher():
    # The workload cannot drop the filter by running the launcher again.
    proc = launch(["--fs-rx", f"{PROBE}:{LAUNCHER}", "--net-socket", "tcp"], [],
                  command=[LAUNCHER, "--fs-rx", PROBE, "--net-socket",
                           "tcp,udp", "--", PROBE, "socket", "inet", "dgram", "0"])
    expect(proc, ["EACCES"])


if __name__ == "__main__":
    main()
