#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The escape matrix: what a sandboxed workload can and cannot do, inside
real containers under runc, crun (bundles rewritten by `oci-landlock
inject`) and podman (the shipped hooks).

Every case is one probe operation with the exact result it must have: for
each of the 16 file-system rights one allowed and one denied operation;
rename and link across directories with and without refer; truncate and
O_TRUNC; exec outside the allowed paths and a script whose interpreter is
outside; TCP bind and connect over IPv4 and IPv6; UDP, ICMP, raw and MPTCP
sockets with and without the socket filter, the high-bit and i386 ways
around it, io_uring; an abstract socket, a signal and ptrace across the
domain boundary (host namespaces), with and without scopes; the workload
adding a Landlock layer of its own, which only narrows; a program run from
a memfd, refused when the policy restricts execution.

Needs root, Landlock ABI 6 or later, runc, crun and podman.
"""
import json
import os
import shutil
import socket
import subprocess

from engines import (PROBE, World, crun, injected, make_bundle, need, podman,
                     results, runc, world)
from tap import Skip, run, test

ALL_FS = ["execute", "write_file", "read_file", "read_dir", "remove_dir",
          "remove_file", "make_char", "make_dir", "make_reg", "make_sock",
          "make_fifo", "make_block", "make_sym", "refer", "truncate", "ioctl_dev"]
A, B, D, E = "/ll/a", "/ll/b", "/ll/d", "/ll/e"

# a: every right; b: every right but refer; d: read and write files only
# (so that exec, truncate and ioctl are refused for their own right);
# e: nothing.
FS_POLICY = json.dumps({
    "ruleset": [{"handledAccessFs": ALL_FS}],
    "pathBeneath": [
        {"allowedAccess": ["execute", "read_file", "read_dir"], "parent": ["/bin"]},
        {"allowedAccess": ALL_FS, "parent": [A]},
        {"allowedAccess": [r for r in ALL_FS if r != "refer"], "parent": [B]},
        {"allowedAccess": ["read_file", "write_file"], "parent": [D]},
    ]})


def pair(op, name, allowed="OK", args=(), denied_in=D):
    """One allowed operation under a/ and the same one denied elsewhere."""
    return [([op, *args, f"{A}/{name}"], allowed),
            ([op, *args, f"{denied_in}/{name}"], "EACCES")]


FS_CASES = (
    pair("exec", "prog") + pair("write", "f", denied_in=E) + pair("read", "f", denied_in=E)
    + pair("readdir", "sub") + pair("rmdir", "rmd") + pair("unlink", "g")
    + pair("mkchar", "c") + pair("mkdir", "n") + pair("mkreg", "r") + pair("mksock", "s")
    + pair("mkfifo", "p") + pair("mkblock", "bl") + pair("symlink", "l", args=["target"])
    + pair("truncate", "f") + pair("open-trunc", "f") + pair("ioctl", "null", "ENOTTY")
    + [
        # refer: across directories only where it is granted.
        (["rename", f"{A}/x", f"{A}/sub/x"], "OK"),
        (["rename", f"{B}/x", f"{B}/sub/x"], "EXDEV"),
        (["link", f"{A}/y", f"{A}/sub/y"], "OK"),
        (["link", f"{B}/y", f"{B}/sub/y"], "EXDEV"),
        (["rename", f"{B}/x", f"{B}/x2"], "OK"),
        (["rename", f"{A}/z", f"{E}/z"], "EACCES"),
        # A script runs only if its interpreter may run too.
        (["exec", f"{A}/script-ok"], "OK"),
        (["exec", f"{A}/script-bad"], "EACCES"),
        # The workload's own layers: they narrow, they never widen.
        (["landlock-self", "/ll"], "OK"),
        (["read", f"{E}/f"], "EACCES"),
        (["read", f"{A}/f"], "OK"),
        (["landlock-self", f"{A}/sub"], "OK"),
        (["read", f"{A}/f"], "EACCES"),
        (["read", f"{A}/sub/h"], "OK"),
    ])

NET = {"oci.landlock.fs.rx": "/", "oci.landlock.net.bind": "8081 8082",
       "oci.landlock.net.connect": "8081"}
NET_CASES = [
    (["listen", "8081"], "OK"), (["listen", "8082"], "OK"), (["bind", "8083"], "EACCES"),
    (["connect", "8081"], "OK"), (["connect", "8082"], "EACCES"),
    (["listen6", "8081"], "OK"), (["listen6", "8082"], "OK"), (["bind6", "8083"], "EACCES"),
    (["connect6", "8081"], "OK"), (["connect6", "8082"], "EACCES"),
]
UDP, ICMP = ["inet", "dgram", "0"], ["inet", "dgram", "1"]
RAW, MPTCP = ["inet", "raw", "1"], ["inet", "stream", "262"]
# Landlock alone: TCP ports are restricted, other sockets are not.
OPEN_SOCKET_CASES = [(["socket"] + s, "OK") for s in (UDP, ICMP, RAW, MPTCP)]
FILTERED = dict(NET, **{"oci.landlock.net.socket": "unix tcp"})
FILTERED_CASES = [
    (["socket", "inet", "stream", "0"], "OK"), (["socket", "unix", "dgram", "0"], "OK"),
    (["connect", "8082"], "EACCES"),  # Landlock still decides the port
] + [(["socket"] + s, "EACCES") for s in (UDP, ICMP, RAW, MPTCP)] + [
    (["socket-hi", "inet", "dgram", "0"], "EACCES"),
    (["socket32", "inet", "dgram", "0"], "EACCES"),
    (["socketcall32", "inet", "stream", "0"], "EACCES"),
    (["io-uring"], "EACCES"),
]
SOCKET_CAPS = ["CAP_NET_RAW"]
# Landlock does not check memfds: the gate makes them non-executable in
# the container's PID namespace when the policy restricts execution.
MEMFD_CASES = [(["memfd-exec", "0"], "EACCES"), (["memfd-exec", "exec"], "EACCES"),
               (["exec", "/bin/probe"], "OK")]
MEMFD_OPEN_CASES = [(["memfd-exec", "0"], "OK"), (["memfd-exec", "exec"], "OK")]
PING = {"net.ipv4.ping_group_range": "0 2147483647"}


class Outside:
    """An abstract socket listener and a process outside every container."""

    def __init__(self):
        self.name = f"ol-escape-{os.getpid()}"
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.bind("\0" + self.name)
        self.sock.listen(64)
        self.sleeper = subprocess.Popen(["sleep", "600"], stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self.pid = str(self.sleeper.pid)

    def close(self):
        self.sock.close()
        self.sleeper.kill()
        self.sleeper.wait()


_outside = None


def outside():
    global _outside
    if _outside is None:
        _outside = Outside()
    return _outside


def scope_cases(scoped, sandboxed=True):
    o = outside()
    out = "EPERM" if scoped else "OK"
    cases = [(["abstract", o.name], out), (["kill", o.pid], out),
             # ptrace out of a Landlock domain is refused with or without scopes.
             (["ptrace", o.pid], "EPERM" if sandboxed else "OK")]
    if sandboxed:
        cases += [(["abstract-self", o.name + "-in"], "OK"), (["kill", "0"], "OK")]
    return cases


# name, annotations, cases (a function for those that need the outside),
# capabilities, sysctls, host namespaces shared.
RUNS = [
    ("fs", {"oci.landlock.policy": FS_POLICY}, lambda: FS_CASES, ["CAP_MKNOD"], None, ()),
    ("net", NET, lambda: NET_CASES, [], None, ()),
    ("sockets-open", NET, lambda: OPEN_SOCKET_CASES, SOCKET_CAPS, PING, ()),
    ("sockets-filtered", FILTERED, lambda: FILTERED_CASES, SOCKET_CAPS, PING, ()),
    ("scoped", {"oci.landlock.fs.rx": "/", "oci.landlock.scope": "all"},
     lambda: scope_cases(True), ["CAP_SYS_PTRACE"], None, ("network", "pid")),
    ("unscoped", {"oci.landlock.fs.rx": "/"}, lambda: scope_cases(False),
     ["CAP_SYS_PTRACE"], None, ("network", "pid")),
    ("no-sandbox", {}, lambda: scope_cases(False, sandboxed=False),
     ["CAP_SYS_PTRACE"], None, ("network", "pid")),
    ("memfd", {"oci.landlock.fs.rx": "/bin"}, lambda: MEMFD_CASES, [], None, ()),
    # A policy that restricts no execution changes nothing of the kind.
    ("memfd-net-only", {"oci.landlock.net.bind": "8081"}, lambda: MEMFD_OPEN_CASES, [], None,
     ()),
]


def write(path, text, mode=0o644):
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)


def make_escape_rootfs(root):
    World.make_rootfs(root)
    for side in ("a", "b", "d", "e"):
        top = os.path.join(root, "ll", side)
        os.makedirs(os.path.join(top, "sub"))
        os.mkdir(os.path.join(top, "rmd"))
        for name in ("f", "g", "x", "y", "z", "sub/h"):
            write(os.path.join(top, name), "data\n")
        shutil.copy(PROBE, os.path.join(top, "prog"))
        os.mknod(os.path.join(top, "null"), 0o666 | 0o020000, os.makedev(1, 3))
    write(os.path.join(root, "ll/a/script-ok"), f"#!{A}/prog\n", 0o755)
    write(os.path.join(root, "ll/a/script-bad"), f"#!{D}/prog\n", 0o755)
    return root


def run_bundle(engine, name, annotations, ops, caps, sysctl, share):
    w = world()
    tag = f"{engine}-{name}"
    rootfs = make_escape_rootfs(w.path(f"rootfs-{tag}"))
    b = make_bundle(f"escape-{tag}", annotations, ops, rootfs=rootfs,
                    caps=caps, sysctl=sysctl, share=share)
    if annotations:
        injected(b)
    container = f"ol-escape-{tag}-{os.getpid()}"
    return runc(b, container) if engine == "runc" else crun(b, container)


def run_podman(name, annotations, ops, caps, sysctl, share):
    w = world()
    rootfs = w.path("rootfs-escape")
    if not os.path.exists(rootfs):
        make_escape_rootfs(rootfs)
    image = w.podman_image(rootfs, "ol-escape")
    extra = [f"--cap-add={c.removeprefix('CAP_')}" for c in caps]
    extra += [f"--sysctl={k}={v}" for k, v in (sysctl or {}).items()]
    extra += ["--network=host"] if "network" in share else []
    extra += ["--pid=host"] if "pid" in share else []
    return podman(annotations, ops, extra=extra, image=image)


COUNTS = {}


def matrix_test(engine, name, annotations, cases_of, caps, sysctl, share):
    def fn():
        if engine == "podman":
            need("podman", "runc")
        else:
            need(engine, "unshare")
        cases = cases_of()
        ops = sum((op for op, _ in cases), [])
        if engine == "podman":
            proc = run_podman(name, annotations, ops, caps, sysctl, share)
        else:
            proc = run_bundle(engine, name, annotations, ops, caps, sysctl, share)
        got, want = results(proc.stdout), [r for _, r in cases]
        if got != want or proc.returncode != 0:
            lines = [f"  {' '.join(op)}: want {w}, got {g}"
                     for (op, w), g in zip(cases, got + ["-"] * len(cases)) if w != g]
            raise AssertionError(f"status {proc.returncode}\n" + "\n".join(lines)
                                 + f"\nstderr:\n{proc.stderr}")
        COUNTS[engine] = COUNTS.get(engine, 0) + len(cases)
    fn.__name__ = f"test_{engine}_{name}".replace("-", "_")
    return test(fn)


for _engine in ("runc", "crun", "podman"):
    for _run in RUNS:
        matrix_test(_engine, *_run)


# ---- nothing of the launcher's leaks into the workload ------------------------

LEAK_OPS = ["fds", "cmdline", "environ", "nnp"]


def leak_results(engine, annotations, tag):
    w = world()
    if engine == "podman":
        return podman(annotations, LEAK_OPS)
    b = make_bundle(f"leak-{engine}-{tag}", annotations, LEAK_OPS, nnp=False)
    if annotations:
        injected(b)
    name = f"ol-leak-{engine}-{tag}-{os.getpid()}"
    if engine == "crun":
        return crun(b, name)
    # runc passes one more descriptor on purpose (--preserve-fds).
    return runc(b, name, preserve=w.path("preserved"))


def normal_env(environ):
    return "|".join(sorted(e for e in environ.split("|") if not e.startswith("HOSTNAME=")))


def leak_test(engine):
    def fn():
        need(*(["podman", "runc"] if engine == "podman" else [engine, "unshare"]))
        plain = leak_results(engine, {}, "plain")
        boxed = leak_results(engine, {"oci.landlock.fs.rx": "/"}, "boxed")
        want, got = results(plain.stdout), results(boxed.stdout)
        if engine == "podman":
            # podman orders the environment anew for every container, and
            # HOSTNAME is the container's id.
            want[2], got[2] = normal_env(want[2]), normal_env(got[2])
        if plain.returncode or len(want) != 4 or want[3] != "0":
            raise AssertionError(f"baseline: {plain.stdout}{plain.stderr}")
        # The same descriptors, command line and environment; no_new_privs.
        if got != want[:3] + ["1"] or boxed.returncode or boxed.stderr:
            raise AssertionError(f"without the sandbox:\n{plain.stdout}\nwith it:\n"
                                 f"{boxed.stdout}{boxed.stderr}")
        if engine == "runc" and not want[0].startswith("0,1,2,3"):
            raise AssertionError(f"the preserved descriptor is missing: {want[0]}")
    fn.__name__ = f"test_{engine}_no_leaks"
    return test(fn)


for _engine in ("runc", "crun", "podman"):
    leak_test(_engine)


def host_memfd_noexec():
    with open("/proc/sys/vm/memfd_noexec") as f:
        return f.read()


HOST_MEMFD = host_memfd_noexec()


@test
def test_host_memfd_setting_untouched():
    # The scoped runs share the host's PID namespace and restrict
    # execution: the gate must leave the host's own value alone.
    if host_memfd_noexec() != HOST_MEMFD:
        raise AssertionError(f"vm.memfd_noexec was {HOST_MEMFD!r}, now {host_memfd_noexec()!r}")


@test
def test_counts():
    if os.environ.get("OL_TEST_FILTER"):
        raise Skip("a filtered run counts only part of the matrix")
    for engine, n in sorted(COUNTS.items()):
        print(f"# escape matrix: {n} cases under {engine}, all as expected", flush=True)
    if sorted(COUNTS) != ["crun", "podman", "runc"] or min(COUNTS.values()) < 60:
        raise AssertionError(f"too few cases ran: {COUNTS}")


if __name__ == "__main__":
    try:
        run()
    finally:
        if _outside:
            _outside.close()
