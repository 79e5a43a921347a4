#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: learning mode and the rights of Landlock ABI 9 and 10.

A workload binds a UDP port, sends UDP datagrams (sendto, sendmsg,
sendmmsg, connect) and connects to pathname UNIX sockets served outside
it: the recording holds exactly those ports (bind_udp on 0 for each send
from an unbound socket), resolve_unix on exactly the socket files (a
symbolic link resolved as the kernel does, a socket of the workload's own
left out).  `oci-landlock learn` makes the policy for this kernel's ABI
(7 on CI's machines): it leaves those rights out and names each, with the
ports and sockets behind it; with --abi 10 it has the UDP ports and the
resolve_unix rules.  The case that enforces the ABI 10 policy for real
needs a kernel with ABI 10 (tap.NewerKernel elsewhere).

Needs: Landlock, seccomp user notification.
"""
import json
import os
import shutil
import socket
import subprocess
import tempfile

from launch import ABI, ALL_FS, LAUNCHER, PROBE, expect, main, need_abi
from tap import test

CLI = os.path.abspath(os.environ["OL_CLI"])
OL_ABI_MAX = 10
# The Linux release of each ABI the new rights need.
NEEDS = {"resolve_unix": (9, "7.1"), "bind_udp": (10, "7.2"), "connect_send_udp": (10, "7.2")}
PROBE_FILE = os.path.realpath(PROBE)


class Work:
    """srv/app.sock (stream) and srv/log (datagram), served by this test,
    outside any workload; link.sock leads to app.sock."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="ol-learn-net-")
        os.mkdir(self.path("srv"))
        self.app, self.log = self.path("srv", "app.sock"), self.path("srv", "log")
        self.socks = [socket.socket(socket.AF_UNIX, socket.SOCK_STREAM),
                      socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM),
                      socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)]
        self.socks[0].bind(self.app)
        self.socks[0].listen(8)
        self.socks[1].bind(self.log)
        self.other = self.path("srv", "other.sock")
        self.socks[2].bind(self.other)
        self.socks[2].listen(8)
        os.symlink("srv/app.sock", self.path("link.sock"))

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def close(self):
        for s in self.socks:
            s.close()
        shutil.rmtree(self.root, ignore_errors=True)


def free_udp_port():
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def record(w, ops, name="rec.json"):
    rec = w.path(name)
    proc = subprocess.run([LAUNCHER, "--learn", rec, "--", PROBE] + ops, capture_output=True,
                          text=True, timeout=60)
    with open(rec) as f:
        return proc, rec, json.load(f)


def learn(*args):
    return subprocess.run([CLI, "learn"] + list(args), capture_output=True, text=True,
                          timeout=60)


def depth_rule(path, depth=3):
    return "/" + "/".join(path.strip("/").split("/")[:depth])


def expect_recording(r, paths, bind_udp, connect_send_udp, sockets):
    got = ({p["path"]: p["access"] for p in r["paths"]}, r["bind_udp"],
           r["connect_send_udp"], r["bind_tcp"], r["connect_tcp"], r["sockets"],
           r["outside"], r["recording"])
    want = (paths, bind_udp, connect_send_udp, [], [], sockets, [], 2)
    if got != want:
        raise AssertionError(f"recorded\n{json.dumps(r, indent=1)}\nwant {want}")


# ---- what is recorded --------------------------------------------------------

@test
def test_a_udp_bind_a_send_and_a_pathname_connect_are_recorded():
    w = Work()
    try:
        bind, to = free_udp_port(), free_udp_port()
        proc, _, r = record(w, ["udp-bind", str(bind), "udp-send", str(to), "unix", w.app])
        expect(proc, ["OK"] * 3)
        # The send from an unbound socket binds it to a free port: bind_udp 0.
        expect_recording(r, {PROBE_FILE: ["execute", "read_file"], w.app: ["resolve_unix"]},
                         sorted([0, bind]), [to], ["unix", "udp"])
    finally:
        w.close()


@test
def test_every_way_to_send_and_connect():
    """connect() of a UDP socket, sendmsg(), sendmmsg() (two names), a
    datagram to a pathname socket, a stream connect through a symbolic
    link (the socket file is recorded), and a socket of the workload's own
    (its server is in the sandbox: no resolve_unix, make_sock on its
    directory)."""
    w = Work()
    try:
        port = free_udp_port()
        own = w.path("own.sock")
        proc, _, r = record(w, ["udp-connect", str(port), "udp-sendmsg", str(port + 2),
                                "udp-sendmmsg", str(port + 4), "unix", w.path("link.sock"),
                                "unix-dgram", w.log, "unix-self", own])
        expect(proc, ["OK"] * 6)
        expect_recording(r, {PROBE_FILE: ["execute", "read_file"],
                             w.root: ["remove_file", "make_sock"],
                             w.log: ["resolve_unix"], w.app: ["resolve_unix"]},
                         [0], [port, port + 2, port + 4, port + 5], ["unix", "udp"])
        if r["created"] != [own]:
            raise AssertionError(r["created"])
    finally:
        w.close()


@test
def test_a_bound_socket_needs_no_automatic_bind():
    w = Work()
    try:
        bind, to = free_udp_port(), free_udp_port()
        proc, _, r = record(w, ["udp-bound-send", str(bind), str(to)])
        expect(proc, ["OK"])
        expect_recording(r, {PROBE_FILE: ["execute", "read_file"]}, [bind], [to], ["udp"])
    finally:
        w.close()


# ---- generated for this kernel, and for ABI 10 ------------------------------

def review_lines(abi_line, rules, writers, ports, broadest, unrestricted, abi):
    lines = [abi_line, f"oci-landlock: the policy grants {rules} path rules ({writers} with "
             f"more than reading and executing){ports}", broadest]
    if unrestricted:
        lines.append(f"oci-landlock: not restricted under Landlock ABI {abi}, though the run "
                     "used them:")
        for right, what in unrestricted:
            need, linux = NEEDS[right]
            lines.append(f"  {right} (needs ABI {need}, Linux {linux}): {what}")
    lines.append("oci-landlock: socket kinds used: unix,udp: add --net-socket unix,udp "
                 "(podman: --annotation 'oci.landlock.net.socket=unix udp') to refuse "
                 "every other kind")
    return lines


def net_ports(abi, bind, to):
    ports = ""
    if abi >= 4:
        ports += ", bind_tcp none, connect_tcp none"
    if abi >= 10:
        ports += f", bind_udp {','.join(map(str, sorted([0, bind])))}, connect_send_udp {to}"
    return ports


@test
def test_generated_for_this_kernel_and_for_abi_10():
    w = Work()
    try:
        bind, to = free_udp_port(), free_udp_port()
        ops = ["udp-bind", str(bind), "udp-send", str(to), "unix", w.app]
        proc, rec, _ = record(w, ops)
        expect(proc, ["OK"] * 3)
        probe_dir = depth_rule(os.path.dirname(PROBE_FILE))
        here = min(ABI, OL_ABI_MAX)
        uses = {"resolve_unix": f"'{w.app}'",
                "bind_udp": f"ports {','.join(map(str, sorted([0, bind])))}",
                "connect_send_udp": f"ports {to}"}
        # 1. For this kernel (ABI 7 on CI's machines): the new rights it
        #    lacks are left out, each named with what the run did.
        gen = learn(rec)
        policy = json.loads(gen.stdout)
        lacks = [(r, uses[r]) for r in NEEDS if NEEDS[r][0] > here]
        abi_line = (f"oci-landlock: the policy is for Landlock ABI {here}, this kernel's "
                    "(--abi N makes it for another)") if ABI <= OL_ABI_MAX else (
                    f"oci-landlock: the policy is for Landlock ABI {here}, the newest this "
                    f"version knows (this kernel has ABI {ABI})")
        sock_rule = here >= 9
        want = review_lines(abi_line, 2 if sock_rule else 1, 1 if sock_rule else 0,
                            net_ports(here, bind, to),
                            f"oci-landlock: broadest: '{probe_dir}' (execute, read_file)"
                            + (f", '{w.app}' (resolve_unix)" if sock_rule else ""),
                            lacks, here)
        if gen.returncode or gen.stderr.splitlines() != want:
            raise AssertionError(f"{gen.stderr}\nwant:\n" + "\n".join(want))
        handled = policy["ruleset"][0]
        if ABI < 9 and (handled["handledAccessFs"] != ALL_FS or
                        handled["handledAccessNet"] != ["bind_tcp", "connect_tcp"] or
                        policy["pathBeneath"] != [{"allowedAccess": ["execute", "read_file"],
                                                   "parent": [probe_dir]}] or
                        "netPort" in policy):
            raise AssertionError(json.dumps(policy, indent=1))
        # 2. --abi 10: exactly the UDP ports and the socket's rule.
        gen = learn("--abi", "10", rec)
        policy = json.loads(gen.stdout)
        if policy != {
                "ruleset": [{"handledAccessFs": ALL_FS + ["resolve_unix"],
                             "handledAccessNet": ["bind_tcp", "connect_tcp", "bind_udp",
                                                  "connect_send_udp"],
                             "scoped": ["abstract_unix_socket", "signal"]}],
                "pathBeneath": [{"allowedAccess": ["execute", "read_file"],
                                 "parent": [probe_dir]},
                                {"allowedAccess": ["resolve_unix"], "parent": [w.app]}],
                "netPort": [{"allowedAccess": ["bind_udp"], "port": sorted([0, bind])},
                            {"allowedAccess": ["connect_send_udp"], "port": [to]}]}:
            raise AssertionError(json.dumps(policy, indent=1))
        if ABI == 10:
            abi_line = "oci-landlock: the policy is for Landlock ABI 10 (--abi), this kernel's"
        else:
            abi_line = (f"oci-landlock: the policy is for Landlock ABI 10 (--abi); this kernel "
                        f"has ABI {ABI}, " + (
                            "which lacks some of its rights: strict mode refuses it here, "
                            "best effort drops them" if ABI < 10 else
                            "which enforces it as written"))
        want = review_lines(abi_line, 2, 1, net_ports(10, bind, to),
                            f"oci-landlock: broadest: '{probe_dir}' (execute, read_file), "
                            f"'{w.app}' (resolve_unix)", [], 10)
        if gen.returncode or gen.stderr.splitlines() != want:
            raise AssertionError(f"{gen.stderr}\nwant:\n" + "\n".join(want))
    finally:
        w.close()


@test
def test_abi_option_errors():
    w = Work()
    try:
        proc, rec, _ = record(w, ["udp-bind", "0"])
        expect(proc, ["OK"])
        for value in ["0", "11", "ten", ""]:
            gen = learn("--abi", value, rec)
            if (gen.returncode, gen.stdout, gen.stderr) != (
                    2, "", f"oci-landlock: --abi '{value}': expected 1 to 10\n"):
                raise AssertionError(f"{value}: {gen}")
    finally:
        w.close()


@test
def test_abi_1_names_what_it_cannot_restrict():
    """No network rules, scopes, truncate or refer on ABI 1; refer is
    different: that ABI refuses every move between directories, so the
    source of a move gets no rights for it (/srv/in: no write_file)."""
    w = Work()
    try:
        with open(w.path("rec.json"), "w") as f:
            json.dump({"recording": 2, "paths": [
                {"path": "/srv/in", "access": ["remove_file", "refer"]},
                {"path": "/srv/out", "access": ["make_reg", "refer"]},
                {"path": "/srv/out/f", "access": ["write_file", "truncate"]}],
                "created": [], "moves": [["/srv/in", "/srv/out"]], "bind_tcp": [8080],
                "connect_tcp": [], "bind_udp": [], "connect_send_udp": [53], "sockets": [],
                "outside": []}, f)
        gen = learn("--abi", "1", w.path("rec.json"))
        policy = json.loads(gen.stdout)
        want = [f"oci-landlock: the policy is for Landlock ABI 1 (--abi); this kernel has ABI "
                f"{ABI}, which enforces it as written",
                "oci-landlock: the policy grants 2 path rules (2 with more than reading and "
                "executing)",
                "oci-landlock: broadest: '/srv/out' (write_file, make_reg), '/srv/in' "
                "(remove_file)",
                "oci-landlock: not restricted under Landlock ABI 1, though the run used them:",
                "  refer (ABI 1 refuses every link or rename between directories, whatever "
                "the policy; ABI 2 restricts it): '/srv/in' and 1 more",
                "  truncate (needs ABI 3, Linux 6.2): '/srv/out/f'",
                "  bind_tcp (needs ABI 4, Linux 6.7): ports 8080",
                "  connect_send_udp (needs ABI 10, Linux 7.2): ports 53"]
        if gen.returncode or gen.stderr.splitlines() != want or policy != {
                "ruleset": [{"handledAccessFs": ALL_FS[:13]}],
                "pathBeneath": [{"allowedAccess": ["remove_file"], "parent": ["/srv/in"]},
                                {"allowedAccess": ["write_file", "make_reg"],
                                 "parent": ["/srv/out"]}]}:
            raise AssertionError(f"{gen.stdout}{gen.stderr}want:\n" + "\n".join(want))
    finally:
        w.close()


# ---- enforced ----------------------------------------------------------------

def enforce(policy_file, ops):
    return subprocess.run([LAUNCHER, "--policy-file", policy_file, "--net-socket", "unix,udp",
                           "--", PROBE] + ops, capture_output=True, text=True, timeout=60)


def learned_and_enforced(w, *learn_args):
    """Record a UDP bind, a UDP send and a connect to w.app, generate a
    policy (learn_args say for which ABI) and enforce it: the same three
    operations work.  Returns the operations and the policy file."""
    bind, to = free_udp_port(), free_udp_port()
    ops = ["udp-bind", str(bind), "udp-send", str(to), "unix", w.app]
    proc, rec, _ = record(w, ops)
    expect(proc, ["OK"] * 3)
    policy_file = w.path("policy.json")
    gen = learn(*learn_args, "-o", policy_file, rec)
    if gen.returncode:
        raise AssertionError(gen)
    expect(enforce(policy_file, ops), ["OK"] * 3)
    return ops, policy_file


@test
def test_the_policy_for_this_kernel_runs_the_workload():
    """What this kernel cannot restrict is left out, so its policy runs
    the workload in strict mode (with ABI 10 everything is restricted:
    another UDP port and another socket are denied)."""
    w = Work()
    try:
        ops, policy_file = learned_and_enforced(w)
        other = ["udp-bind", str(free_udp_port()), "udp-send", str(free_udp_port()),
                 "unix", w.other]
        expect(enforce(policy_file, other),
               ["OK" if ABI < 10 else "EACCES"] * 2 + ["OK" if ABI < 9 else "EACCES"])
    finally:
        w.close()


@test
def test_the_abi_10_policy_enforced():
    need_abi(10)
    w = Work()
    try:
        ops, policy_file = learned_and_enforced(w, "--abi", "10")
        expect(enforce(policy_file, ["udp-bind", str(free_udp_port()), "udp-send",
                                     str(free_udp_port()), "unix", w.other,
                                     "unix-dgram", w.log]),
               ["EACCES"] * 4)
    finally:
        w.close()


if __name__ == "__main__":
    main()
