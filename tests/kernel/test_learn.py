#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: learning mode, record -> generate -> enforce.

oci-landlock-exec --learn FILE runs a workload observed by a seccomp
user-notification supervisor: the workload must behave as without it
(output, exit status, death by a signal), its children, grandchildren and
threads are all recorded, and `oci-landlock learn` turns the recording into
a policy that lets the same workload run under Landlock while what it did
not do is denied.

Needs: Landlock ABI 6 (scopes), seccomp user notification, busybox.
"""
import csv
import json
import os
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

from launch import (ABI, LAUNCHER, PROBE, expect, free_port, listener,
                    main, need_abi)
from tap import Skip, test

CLI = os.path.abspath(os.environ["OL_CLI"])
WARNING = ("oci-landlock-exec: warning: learning mode: the command runs without "
           "a Landlock sandbox, only observed; never use it as a sandbox\n")
BUSYBOX = shutil.which("busybox")


def need_busybox():
    if not BUSYBOX:
        raise Skip("busybox is not installed")


class Work:
    """A scratch tree: cfg/ (read), work/ (written), other/ (untouched)."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="ol-learn-")
        for d in ("cfg", "work", "other"):
            os.mkdir(self.path(d))
        for name in ("cfg/app.conf", "other/f"):
            with open(self.path(name), "w") as f:
                f.write("setting=1\n")
        # Rules are cut to this many components: the tree's own directories.
        self.depth = len(self.root.strip("/").split("/")) + 1

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def record(w, command, name="rec.json", **kw):
    rec = w.path(name)
    proc = subprocess.run([LAUNCHER, "--learn", rec, "--"] + command, capture_output=True,
                          text=True, timeout=60, **kw)
    return proc, rec


def recording(rec):
    with open(rec) as f:
        return json.load(f)


def learn(*args):
    return subprocess.run([CLI, "learn"] + list(args), capture_output=True, text=True,
                          timeout=60)


def rules(policy):
    """{path: sorted rights} of a generated policy."""
    out = {}
    for entry in policy.get("pathBeneath", []):
        for p in entry["parent"]:
            out[p] = sorted(entry["allowedAccess"])
    return out


def abi_line():
    """The review's first line: the policy is for this kernel's ABI."""
    if ABI > 10:
        return ("oci-landlock: the policy is for Landlock ABI 10, the newest this version "
                f"knows (this kernel has ABI {ABI})")
    return (f"oci-landlock: the policy is for Landlock ABI {ABI}, this kernel's (--abi N "
            "makes it for another)")


# The ports of the UDP rights, which a policy for ABI 10 handles.
UDP_NONE = ", bind_udp none, connect_send_udp none" if ABI >= 10 else ""


def used(rec, path):
    for entry in recording(rec)["paths"]:
        if entry["path"] == path:
            return entry["access"]
    return None


# ---- the workload behaves as without learning -------------------------------

@test
def test_same_output_and_status():
    need_busybox()
    w = Work()
    try:
        script = ('echo out; echo err >&2; cat cfg/app.conf; (cat cfg/app.conf) | wc -l; '
                  'echo written > work/log; exit 7')
        plain = subprocess.run([BUSYBOX, "sh", "-c", script], cwd=w.root,
                               capture_output=True, text=True, timeout=60)
        os.unlink(w.path("work", "log"))
        learned, _ = record(w, [BUSYBOX, "sh", "-c", script], cwd=w.root)
        if plain.returncode != 7 or plain.stdout != "out\nsetting=1\n1\n":
            raise AssertionError(f"the plain run itself: {plain}")
        if (learned.returncode, learned.stdout, learned.stderr) != \
                (plain.returncode, plain.stdout, WARNING + plain.stderr):
            raise AssertionError(f"plain {plain}\nlearned {learned}")
    finally:
        w.close()


@test
def test_death_by_signal_is_mirrored():
    need_busybox()
    w = Work()
    try:
        proc, _ = record(w, [BUSYBOX, "sh", "-c", "kill -TERM $$"])
        if proc.returncode != -signal.SIGTERM or proc.stderr != WARNING:
            raise AssertionError(proc)
    finally:
        w.close()


@test
def test_signals_are_forwarded():
    need_busybox()
    w = Work()
    try:
        # The workload reports SIGTERM it received through the supervisor.
        script = "trap 'echo got TERM; exit 3' TERM; echo ready; while :; do sleep 1; done"
        p = subprocess.Popen([LAUNCHER, "--learn", w.path("rec.json"), "--", BUSYBOX, "sh",
                              "-c", script], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             text=True)
        if p.stdout.readline() != "ready\n":
            raise AssertionError("the workload did not start")
        p.send_signal(signal.SIGTERM)
        out, err = p.communicate(timeout=60)
        if (p.returncode, out, err) != (3, "got TERM\n", WARNING):
            raise AssertionError((p.returncode, out, err))
    finally:
        w.close()


@test
def test_no_descriptor_leaks():
    w = Work()
    try:
        proc, _ = record(w, [PROBE, "fds", "nnp"])
        # The listener, the socket pair, the signalfd and the recording
        # are the launcher's: none reaches the workload.
        if proc.stdout != "fds => 0,1,2\nnnp => 1\n" or proc.stderr != WARNING:
            raise AssertionError(proc)
    finally:
        w.close()


@test
def test_command_not_found():
    w = Work()
    try:
        proc, rec = record(w, ["ol-no-such-command"], env=dict(os.environ, PATH="/usr/bin:/bin"))
        want = (WARNING + "oci-landlock-exec: cannot execute 'ol-no-such-command': not "
                "found in PATH (/usr/bin:/bin)\n")
        if proc.returncode != 127 or proc.stderr != want:
            raise AssertionError(proc)
    finally:
        w.close()


# ---- what is recorded --------------------------------------------------------

@test
def test_children_grandchildren_threads_exec():
    need_busybox()
    w = Work()
    try:
        for name in ("a", "b", "c"):
            with open(w.path("cfg", name), "w") as f:
                f.write("x\n")
        script = (f'cat {w.path("cfg", "a")} >/dev/null; '
                  f'{BUSYBOX} sh -c "cat {w.path("cfg", "b")}" >/dev/null; '
                  f'exec {PROBE} thread-read {w.path("cfg", "c")}')
        proc, rec = record(w, [BUSYBOX, "sh", "-c", script])
        expect(proc, ["OK"])
        for name in ("a", "b", "c"):
            if used(rec, w.path("cfg", name)) != ["read_file"]:
                raise AssertionError(f"{name}: {used(rec, w.path('cfg', name))}")
        for program in (os.path.realpath(BUSYBOX), os.path.realpath(PROBE)):
            if used(rec, program) != ["execute", "read_file"]:
                raise AssertionError(f"{program}: {recording(rec)['paths']}")
    finally:
        w.close()


@test
def test_file_rights_recorded():
    w = Work()
    try:
        ops = ["read", w.path("cfg/app.conf"), "mkreg", w.path("work/new"),
               "write", w.path("work/new"), "open-trunc", w.path("work/new"),
               "mkdir", w.path("work/d"), "rename", w.path("work/new"), w.path("work/d/moved"),
               "unlink", w.path("work/d/moved"), "rmdir", w.path("work/d"),
               "symlink", "target", w.path("work/sym"), "readdir", w.path("cfg")]
        proc, rec = record(w, [PROBE] + ops)
        expect(proc, ["OK"] * 10)
        got = {e["path"]: e["access"] for e in recording(rec)["paths"]
               if e["path"].startswith(w.root)}
        want = {
            w.path("cfg"): ["read_dir"],
            w.path("cfg/app.conf"): ["read_file"],
            w.path("work"): ["remove_dir", "remove_file", "make_dir", "make_reg", "make_sym",
                             "refer"],
            w.path("work/d"): ["remove_file", "make_reg", "refer"],
            w.path("work/new"): ["write_file", "truncate"],
        }
        if got != want:
            raise AssertionError(json.dumps(got, indent=1))
        if recording(rec)["created"] != [w.path("work/d"), w.path("work/d/moved"),
                                         w.path("work/new"), w.path("work/sym")]:
            raise AssertionError(recording(rec)["created"])
    finally:
        w.close()


@test
def test_dotdot_after_a_symlink_is_resolved_as_the_kernel_does():
    """work/ln/../f, with work/ln -> other/sub, is other/f for the kernel:
    ".." is taken after the link, not by cutting the text."""
    w = Work()
    try:
        os.mkdir(w.path("other/sub"))
        os.symlink(w.path("other/sub"), w.path("work/ln"))
        with open(w.path("work/f"), "w") as f:
            f.write("decoy\n")
        proc, rec = record(w, [PROBE, "read", w.path("work/ln/../f")])
        expect(proc, ["OK"])
        got = (used(rec, w.path("other/f")), used(rec, w.path("work/f")))
        if got != (["read_file"], None):
            raise AssertionError(got)
    finally:
        w.close()


@test
def test_an_interpreter_that_is_no_regular_file_is_not_opened():
    """A script's "#!" line names what the supervisor reads to find the
    next interpreter: a FIFO there must not block it (and with it every
    observed call of the workload); the kernel refuses to run it."""
    w = Work()
    try:
        os.mkfifo(w.path("work/fifo"))
        script = w.path("work/run.sh")
        with open(script, "w") as f:
            f.write(f"#!{w.path('work/fifo')}\n")
        os.chmod(script, 0o755)
        proc, rec = record(w, [PROBE, "exec", script, "read", w.path("cfg/app.conf")])
        expect(proc, ["EACCES", "OK"])
        got = (used(rec, script), used(rec, w.path("work/fifo")),
               used(rec, w.path("cfg/app.conf")))
        if got != (["execute", "read_file"], None, ["read_file"]):
            raise AssertionError(got)
    finally:
        w.close()


@test
def test_creation_through_a_dangling_symlink_records_the_target():
    """open(O_CREAT) through a symbolic link to a missing file creates the
    link's target: make_reg is needed where the target is, and the policy
    generated from the recording lets the same run create it again."""
    w = Work()
    try:
        os.symlink("../other/new", w.path("work/ln"))
        cmd = [sys.executable, "-S", "-c", "import sys; open(sys.argv[1], 'w').write('x')",
               w.path("work/ln")]
        proc, rec = record(w, cmd)
        if proc.returncode or not os.path.exists(w.path("other/new")):
            raise AssertionError(proc)
        got = (used(rec, w.path("other")), used(rec, w.path("other/new")),
               w.path("other/new") in recording(rec)["created"])
        if got != (["make_reg"], ["write_file"], True):
            raise AssertionError(json.dumps(recording(rec), indent=1))
        os.unlink(w.path("other/new"))
        gen = learn("--depth", str(w.depth), "-o", w.path("policy.json"), rec)
        if gen.returncode:
            raise AssertionError(gen)
        enforced = subprocess.run([LAUNCHER, "--policy-file", w.path("policy.json"), "--"]
                                  + cmd, capture_output=True, text=True, timeout=60)
        if enforced.returncode or not os.path.exists(w.path("other/new")):
            raise AssertionError(enforced)
    finally:
        w.close()


TMPFILE = """
import os, sys
fd = os.open(sys.argv[1], os.O_TMPFILE | os.O_WRONLY, 0o600)
os.write(fd, b"x")
d = os.open(sys.argv[1], os.O_PATH)
os.link(f"/proc/self/fd/{fd}", "named", dst_dir_fd=d, follow_symlinks=True)
print(open(os.path.join(sys.argv[1], "named")).read())
"""


@test
def test_unnamed_file_and_a_dynamic_interpreter():
    """O_TMPFILE, then linkat() through /proc/self/fd, by Python: a
    dynamically linked interpreter with its loader, libraries and modules,
    recorded, generated, and enforced."""
    w = Work()
    try:
        cmd = [sys.executable, "-S", "-c", TMPFILE, w.path("work")]
        proc, rec = record(w, cmd)
        if proc.returncode or proc.stdout != "x\n":
            raise AssertionError(proc)
        if used(rec, w.path("work") + "/") != ["write_file"] or \
                used(rec, w.path("work")) != ["make_reg"] or \
                recording(rec)["created"] != [w.path("work/named")]:
            raise AssertionError(json.dumps(recording(rec), indent=1))
        os.unlink(w.path("work/named"))
        gen = learn("--depth", str(w.depth), "-o", w.path("policy.json"), rec)
        if gen.returncode:
            raise AssertionError(gen)
        enforced = subprocess.run([LAUNCHER, "--policy-file", w.path("policy.json"), "--"]
                                  + cmd, capture_output=True, text=True, timeout=60)
        if enforced.returncode or enforced.stdout != "x\n":
            raise AssertionError(enforced)
        # The policy allows exactly that: not a file in other/.
        other = subprocess.run([LAUNCHER, "--policy-file", w.path("policy.json"), "--"]
                               + cmd[:-1] + [w.path("other")], capture_output=True,
                               text=True, timeout=60)
        if other.returncode != 1 or "PermissionError: [Errno 13]" not in other.stderr:
            raise AssertionError(other)
    finally:
        w.close()


@test
def test_ports_sockets_and_scopes():
    w = Work()
    srv = listener()
    try:
        port, bind_port = srv.getsockname()[1], free_port()
        proc, rec = record(w, [PROBE, "connect", str(port), "bind", str(bind_port),
                               "socket", "inet", "dgram", "0", "socketpair", "unix",
                               "stream"])
        expect(proc, ["OK"] * 4)
        r = recording(rec)
        if (r["bind_tcp"], r["connect_tcp"], r["sockets"], r["outside"]) != \
                ([bind_port], [port], ["unix", "tcp", "udp"], []):
            raise AssertionError(r)
        # A signal to a process outside the workload's tree (this test) and
        # an abstract socket: both scopes must stay off.
        name = f"ol-learn-{os.getpid()}"
        abstract = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        abstract.bind("\0" + name)
        abstract.listen(1)
        proc, rec2 = record(w, [PROBE, "kill", str(os.getpid()), "abstract", name],
                            name="rec2.json")
        abstract.close()
        expect(proc, ["OK", "OK"])
        if recording(rec2)["outside"] != ["abstract_unix_socket", "signal"]:
            raise AssertionError(recording(rec2))
        # Signals inside the tree (itself) do not count.
        proc, rec3 = record(w, [PROBE, "kill", "0"], name="rec3.json")
        expect(proc, ["OK"])
        if recording(rec3)["outside"] != []:
            raise AssertionError(recording(rec3))
    finally:
        srv.close()
        w.close()


# ---- the loop: record, generate, enforce ------------------------------------

@test
def test_record_generate_enforce():
    need_abi(6)
    w = Work()
    srv = listener()
    try:
        port, bind_port, other_port = srv.getsockname()[1], free_port(), free_port()
        ops = ["read", w.path("cfg/app.conf"), "mkreg", w.path("work/out"),
               "write", w.path("work/out"), "listen", str(bind_port), "connect", str(port)]
        proc, rec = record(w, [PROBE] + ops)
        expect(proc, ["OK"] * 5)
        os.unlink(w.path("work/out"))
        policy_file = w.path("policy.json")
        gen = learn("--depth", str(w.depth), "-o", policy_file, rec)
        # The review: what is granted, the broadest rules, the sockets.
        lines = gen.stderr.splitlines()
        if gen.returncode or len(lines) != 4 or lines[0] != abi_line() or lines[1] != (
                "oci-landlock: the policy grants 3 path rules (1 with more than reading "
                f"and executing), bind_tcp {bind_port}, connect_tcp {port}{UDP_NONE}") or \
                not lines[2].startswith("oci-landlock: broadest: ") or \
                f"'{w.path('work')}' (write_file, make_reg)" not in lines[2] or lines[3] != (
                "oci-landlock: socket kinds used: tcp: add --net-socket tcp (podman: "
                "--annotation 'oci.landlock.net.socket=tcp') to refuse every other kind"):
            raise AssertionError(gen)
        with open(policy_file) as f:
            policy = json.load(f)
        got = {p: r for p, r in rules(policy).items() if p.startswith(w.root)}
        if got != {w.path("cfg"): ["read_file"],
                   w.path("work"): ["make_reg", "write_file"]}:
            raise AssertionError(json.dumps(policy, indent=1))
        if policy["netPort"] != [{"allowedAccess": ["bind_tcp"], "port": [bind_port]},
                                 {"allowedAccess": ["connect_tcp"], "port": [port]}] and \
                policy["netPort"] != [{"allowedAccess": ["connect_tcp"], "port": [port]},
                                      {"allowedAccess": ["bind_tcp"], "port": [bind_port]}]:
            raise AssertionError(policy["netPort"])
        if policy["ruleset"][0]["scoped"] != ["abstract_unix_socket", "signal"]:
            raise AssertionError(policy["ruleset"])
        check = subprocess.run([CLI, "check", policy_file], capture_output=True, text=True)
        if check.returncode or "result: enforced as written" not in check.stdout:
            raise AssertionError(check)
        # The same workload, enforced: it runs as it did.
        enforced = subprocess.run([LAUNCHER, "--policy-file", policy_file, "--net-socket",
                                   "tcp", "--", PROBE] + ops, capture_output=True,
                                  text=True, timeout=60)
        expect(enforced, ["OK"] * 5)
        # What it did not do is denied: another directory, a read-only
        # one, another port, a UDP socket, a signal outside.
        denied = subprocess.run(
            [LAUNCHER, "--policy-file", policy_file, "--net-socket", "tcp", "--", PROBE,
             "write", w.path("other/f"), "mkreg", w.path("cfg/new"), "connect",
             str(other_port), "bind", str(other_port), "socket", "inet", "dgram", "0",
             "kill", str(os.getpid()), "read", w.path("cfg/app.conf")],
            capture_output=True, text=True, timeout=60)
        expect(denied, ["EACCES", "EACCES", "EACCES", "EACCES", "EACCES", "EPERM", "OK"])
    finally:
        srv.close()
        w.close()


@test
def test_created_directory_rules_move_up():
    w = Work()
    try:
        ops = ["mkdir", w.path("work/run"), "mkdir", w.path("work/run/deep"),
               "mkreg", w.path("work/run/deep/f"), "write", w.path("work/run/deep/f")]
        proc, rec = record(w, [PROBE] + ops)
        expect(proc, ["OK"] * 4)
        gen = learn("--depth", "32", rec)
        got = {p: r for p, r in rules(json.loads(gen.stdout)).items()
               if p.startswith(w.root)}
        # work/run did not exist before the run: everything lands on work.
        if got != {w.path("work"): ["make_dir", "make_reg", "write_file"]}:
            raise AssertionError(got)
        shutil.rmtree(w.path("work/run"))
        enforced = subprocess.run([LAUNCHER, "--policy", gen.stdout, "--", PROBE] + ops,
                                  capture_output=True, text=True, timeout=60)
        expect(enforced, ["OK"] * 4)
    finally:
        w.close()


@test
def test_a_move_across_directories_still_works_enforced():
    """Landlock refuses (EXDEV) to move a file to a directory that grants
    it more than the one it comes from: the generated policy gives the
    source what the destination grants."""
    w = Work()
    try:
        cmd = [PROBE, "read", w.path("cfg/app.conf"), "mkreg", w.path("work/new"),
               "rename", w.path("work/new"), w.path("cfg/moved")]
        proc, rec = record(w, cmd)
        expect(proc, ["OK", "OK", "OK"])
        if recording(rec)["moves"] != [[w.path("work"), w.path("cfg")]]:
            raise AssertionError(recording(rec))
        os.unlink(w.path("cfg/moved"))
        gen = learn("--depth", str(w.depth), "-o", w.path("policy.json"), rec)
        if gen.returncode:
            raise AssertionError(gen)
        with open(w.path("policy.json")) as f:
            got = rules(json.load(f))
        if (got.get(w.path("work")), got.get(w.path("cfg"))) != (
                ["make_reg", "read_file", "refer", "remove_file"],
                ["make_reg", "read_file", "refer"]):
            raise AssertionError(got)
        enforced = subprocess.run([LAUNCHER, "--policy-file", w.path("policy.json"), "--"]
                                  + cmd, capture_output=True, text=True, timeout=60)
        expect(enforced, ["OK", "OK", "OK"])
    finally:
        w.close()


@test
def test_merge():
    w = Work()
    try:
        _, a = record(w, [PROBE, "read", w.path("cfg/app.conf")], name="a.json")
        _, b = record(w, [PROBE, "write", w.path("other/f")], name="b.json")
        alone = learn(a, b)
        if alone.returncode != 1 or alone.stderr != (
                "oci-landlock: 2 recordings given\nHint: add --merge to generate one policy "
                "that allows what any of them used\n"):
            raise AssertionError(alone)
        merged = learn("--merge", "--depth", str(w.depth), a, b)
        got = {p: r for p, r in rules(json.loads(merged.stdout)).items()
               if p.startswith(w.root)}
        if got != {w.path("cfg"): ["read_file"], w.path("other"): ["write_file"]}:
            raise AssertionError(got)
    finally:
        w.close()


# ---- refusals ------------------------------------------------------------------

@test
def test_refuses_a_policy_with_learning():
    w = Work()
    try:
        marker = w.path("work/ran")
        proc = subprocess.run([LAUNCHER, "--learn", w.path("rec.json"), "--fs-ro", "/",
                               "--", PROBE, "mkreg", marker], capture_output=True, text=True)
        want = ("oci-landlock-exec: --learn cannot be combined with a policy: learning mode "
                "records what the command uses, it enforces nothing\nHint: record with "
                "--learn FILE alone, generate a policy with 'oci-landlock learn FILE', then "
                "run with that policy\n")
        if proc.returncode != 126 or proc.stderr != want or os.path.exists(marker):
            raise AssertionError(proc)
    finally:
        w.close()


@test
def test_unwritable_recording_stops_before_the_workload():
    w = Work()
    try:
        marker = w.path("work/ran")
        proc = subprocess.run([LAUNCHER, "--learn", w.path("none/rec.json"), "--", PROBE,
                               "mkreg", marker], capture_output=True, text=True)
        want = (WARNING + f"oci-landlock-exec: cannot write the recording "
                f"'{w.path('none/rec.json')}': No such file or directory\n")
        if proc.returncode != 126 or proc.stderr != want or os.path.exists(marker):
            raise AssertionError(proc)
    finally:
        w.close()


@test
def test_recording_through_a_symlink_or_to_a_fifo_is_refused():
    """The recording path may be in a tree the workload writes to: a
    symbolic link planted there must not make the launcher truncate its
    target, nor a FIFO make it hang before the workload runs; a device is
    no recording either."""
    w = Work()
    try:
        marker = w.path("work/ran")
        target = w.path("other/f")
        os.symlink(target, w.path("work/rec.json"))
        os.mkfifo(w.path("work/fifo.json"))
        for name, reason in ((w.path("work/rec.json"), "a symbolic link, which is not followed"),
                             (w.path("work/fifo.json"), "not a regular file"),
                             ("/dev/null", "not a regular file")):
            proc = subprocess.run([LAUNCHER, "--learn", name, "--", PROBE, "mkreg", marker],
                                  capture_output=True, text=True, timeout=60)
            want = (WARNING + f"oci-landlock-exec: cannot write the recording "
                    f"'{name}': {reason}\n")
            if proc.returncode != 126 or proc.stderr != want or os.path.exists(marker):
                raise AssertionError(proc)
        with open(target) as f:
            if f.read() != "setting=1\n":
                raise AssertionError("the link's target was truncated")
    finally:
        w.close()


@test
def test_bad_recordings():
    w = Work()
    try:
        cases = [
            ('{"recording": 3}', "a recording of version 3, newer than this oci-landlock "
             "reads (1 to 2)"),
            ('{"recording": "1"}', 'not an oci-landlock recording ("recording": 1 to 2)'),
            ('{"recording": 1, "paths": [], "created": [], "bind_tcp": [], "connect_tcp": [],'
             ' "bind_udp": [53], "sockets": [], "outside": []}',
             "bind_udp: recorded from version 2 on, not in a recording of version 1"),
            ('{"recording": 2, "paths": [], "created": [], "bind_tcp": [], "connect_tcp": [],'
             ' "bind_udp": [0], "connect_send_udp": [65536], "sockets": [], "outside": []}',
             "connect_send_udp[0]: expected a port (0 to 65535)"),
            ('{"recording": 1, "paths": [], "created": [], "bind_tcp": [], "connect_tcp": [],'
             ' "sockets": [], "outside": [], "extra": 1}', "unknown key 'extra'"),
            ('{"recording": 1, "paths": [{"path": "rel", "access": []}]}',
             'paths[0]: expected {"path": an absolute path, "access": [rights]}'),
            ('{"recording": 1, "paths": [{"path": "/x", "access": ["reed_file"]}]}',
             "paths[0].access[0]: unknown file-system right 'reed_file'"),
            # The launcher writes resolved paths; anything else would be a
            # rule that reads as one directory and means another.
            ('{"recording": 1, "paths": [{"path": "/srv/app/../..", "access": ["read_file"]}]}',
             "paths[0]: '/srv/app/../..' is not an absolute path without '.', '..' or empty "
             "components"),
            ('{"recording": 1, "paths": [], "created": ["/srv//app"], "bind_tcp": [],'
             ' "connect_tcp": [], "sockets": [], "outside": []}',
             "created[0]: '/srv//app' is not an absolute path without '.', '..' or empty "
             "components"),
            ('{"recording": 1, "paths": [], "moves": [["/a", "/b/."]]}',
             "moves[0]: '/b/.' is not an absolute path without '.', '..' or empty components"),
        ]
        for text, message in cases:
            with open(w.path("bad.json"), "w") as f:
                f.write(text)
            proc = learn(w.path("bad.json"))
            want = f"oci-landlock: invalid recording '{w.path('bad.json')}': {message}\n"
            if proc.returncode != 1 or not proc.stderr.startswith(want) or proc.stdout:
                raise AssertionError(f"{text}: {proc}")
    finally:
        w.close()


# ---- saving as the run goes ---------------------------------------------------

def wait_for(predicate, what, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def recorded_paths(rec):
    """The paths of a recording, which must be whole whenever it is read."""
    try:
        with open(rec) as f:
            return {p["path"] for p in json.load(f)["paths"]}
    except FileNotFoundError:
        return set()


@test
def test_a_killed_run_leaves_what_it_recorded():
    """SIGKILL (podman stop after its grace period) kills the supervisor
    too: what it saw until then is on disk, whole at every moment."""
    w = Work()
    try:
        rec, conf = w.path("rec.json"), w.path("cfg/app.conf")
        proc = subprocess.Popen([LAUNCHER, "--learn", rec, "--", PROBE, "read", conf, "sleep",
                                 "60"], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            wait_for(lambda: conf in recorded_paths(rec), "the periodic save")
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
        if recording(rec)["complete"] is not False:
            raise AssertionError(recording(rec))
        gen = learn("--depth", str(w.depth), rec)
        warning = (f"oci-landlock: warning: the recording '{rec}' was saved while the workload "
                   "ran, and the run never ended normally (the container was killed: "
                   "'podman stop' sends SIGKILL after its timeout): what it did after the last "
                   "save, at most a second before, is missing\n")
        if gen.returncode or not gen.stderr.startswith(warning) or \
                rules(json.loads(gen.stdout)).get(w.path("cfg")) != ["read_file"]:
            raise AssertionError(gen)
    finally:
        w.close()


@test
def test_a_stopping_signal_saves_at_once():
    """SIGTERM is what a runtime sends before SIGKILL: the supervisor saves
    then, without waiting for its next periodic save."""
    need_busybox()
    w = Work()
    try:
        rec, conf = w.path("rec.json"), w.path("cfg/app.conf")
        marker = w.path("work/read")
        # The workload ignores SIGTERM, as a stubborn one does.
        proc = subprocess.Popen([LAUNCHER, "--learn", rec, "--", BUSYBOX, "sh", "-c",
                                 f"trap '' TERM; {BUSYBOX} cat {conf} >/dev/null; "
                                 f"{BUSYBOX} touch {marker}; exec {BUSYBOX} sleep 60"],
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                start_new_session=True)
        try:
            wait_for(lambda: os.path.exists(marker), "the workload's read")
            proc.send_signal(signal.SIGTERM)
            wait_for(lambda: conf in recorded_paths(rec), "the save on SIGTERM", timeout=0.5)
        finally:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate(timeout=60)
    finally:
        w.close()


@test
def test_exec_sessions_record_apart_and_are_merged():
    """Each exec session (--learn-exec) saves FILE.exec-PID, a name it
    claims: in a PID namespace, where every session is PID 1, the second
    takes FILE.exec-1-2.  `learn FILE` merges them and names each."""
    if os.geteuid() != 0:
        raise Skip("a PID namespace needs root")
    w = Work()
    try:
        rec = w.path("rec.json")
        proc, _ = record(w, [PROBE, "read", w.path("cfg/app.conf")])
        expect(proc, ["OK"])
        for name, target in (("exec-1", "other/f"), ("exec-1-2", "work")):
            p = subprocess.run(["unshare", "--pid", "--fork", "--mount-proc", LAUNCHER, "--learn",
                                rec, "--learn-exec", "--", PROBE, "readdir" if name == "exec-1-2"
                                else "read", w.path(target)],
                               capture_output=True, text=True, timeout=60)
            want = (WARNING + "oci-landlock-exec: learning: this exec session's recording is "
                    f"'{rec}.{name}'\n")
            if p.returncode or p.stderr != want or recording(f"{rec}.{name}")["complete"] is not \
                    True:
                raise AssertionError(p)
        gen = learn("--depth", str(w.depth), rec)
        merged = [line for line in gen.stderr.splitlines() if "merged" in line]
        got = rules(json.loads(gen.stdout))
        if gen.returncode or merged != [
                f"oci-landlock: merged the exec session's recording '{rec}.exec-1'",
                f"oci-landlock: merged the exec session's recording '{rec}.exec-1-2'"] or \
                got.get(w.path("cfg")) != ["read_file"] or \
                got.get(w.path("other")) != ["read_file"] or \
                got.get(w.path("work")) != ["read_dir"]:
            raise AssertionError(f"{gen}\n{got}")
    finally:
        w.close()


@test
def test_empty_and_cut_short_recordings_are_named():
    w = Work()
    try:
        proc, rec = record(w, [PROBE, "read", w.path("cfg/app.conf")])
        expect(proc, ["OK"])
        with open(rec) as f:
            text = f.read()
        cases = [("", f"oci-landlock: the recording '{w.path('bad.json')}' is empty\nHint: the "
                  "launcher that wrote it was killed before it saved anything (or it is not a "
                  "recording); record again\n"),
                 (text[:len(text) // 2], f"oci-landlock: the recording '{w.path('bad.json')}' "
                  f"is cut short: its {len(text) // 2} bytes end inside the JSON document\n"
                  "Hint: it was not written whole (a copy still going on, or an older launcher "
                  "killed while writing it); record again with this version, which saves whole "
                  "files only\n")]
        for content, want in cases:
            with open(w.path("bad.json"), "w") as f:
                f.write(content)
            gen = learn(w.path("bad.json"))
            if gen.returncode != 1 or gen.stderr != want or gen.stdout:
                raise AssertionError(gen)
    finally:
        w.close()


@test
def test_a_hard_link_at_the_recording_is_replaced_not_written():
    """The workload of an earlier run may have linked a file it cannot
    write to at the recording's name: saving replaces the name."""
    w = Work()
    try:
        os.link(w.path("other/f"), w.path("work/rec.json"))
        proc, rec = record(w, [PROBE, "read", w.path("cfg/app.conf")], name="work/rec.json")
        expect(proc, ["OK"])
        with open(w.path("other/f")) as f:
            if f.read() != "setting=1\n":
                raise AssertionError("the linked file was written")
        if recording(rec)["complete"] is not True or os.listdir(w.path("work")) != ["rec.json"]:
            raise AssertionError(os.listdir(w.path("work")))
    finally:
        w.close()


@test
def test_a_host_warning_is_printed_before_the_command():
    w = Work()
    try:
        p = subprocess.run([LAUNCHER, "--warning", "the host noticed", "--fs-rx", "/", "--",
                            PROBE, "read", w.path("cfg/app.conf")],
                           capture_output=True, text=True, timeout=60)
        expect(p, ["OK"])
        if p.stderr != "oci-landlock-exec: warning: the host noticed\n":
            raise AssertionError(p)
        p = subprocess.run([LAUNCHER, "--learn-exec", "--fs-ro", "/", "--", PROBE, "read", "/"],
                           capture_output=True, text=True, timeout=60)
        if p.returncode != 126 or p.stderr != ("oci-landlock-exec: option '--learn-exec' needs "
                                               "'--learn FILE'\n"):
            raise AssertionError(p)
    finally:
        w.close()


@test
def test_formats_that_enforce_the_policy():
    """--format podman: quoted for the shell, then for podman's CSV reading
    of --annotation; kubernetes: a YAML annotation block; each carries the
    very document the default format prints."""
    w = Work()
    try:
        proc, rec = record(w, [PROBE, "read", w.path("cfg/app.conf")])
        expect(proc, ["OK"])
        policy = json.loads(learn(rec).stdout)
        p = learn("--format", "podman", rec)
        args = shlex.split(p.stdout.replace("\\\n", ""))
        if p.returncode or len(args) != 2 or args[0] != "--annotation":
            raise AssertionError(p)
        (value,) = next(csv.reader([args[1]]))
        key, _, doc = value.partition("=")
        if key != "oci.landlock.policy" or json.loads(doc) != policy:
            raise AssertionError(value)
        p = learn("--format", "kubernetes", rec)
        lines = p.stdout.splitlines()
        prefix = "    oci.landlock.policy: "
        # A YAML double-quoted scalar of printable ASCII and \\uXXXX: JSON reads it too.
        if p.returncode or lines[:2] != ["metadata:", "  annotations:"] or len(lines) != 3 or \
                not lines[2].startswith(prefix) or \
                json.loads(json.loads(lines[2][len(prefix):])) != policy:
            raise AssertionError(p)
        out = w.path("it's policy.json")
        p = learn("--format", "podman", "-o", out, rec)
        with open(out) as f:
            written = json.load(f)
        if p.returncode or written != policy or shlex.split(p.stdout.replace("\\\n", "")) != [
                "-v", f"{out}:/etc/oci-landlock/learned.json:ro", "--annotation",
                "oci.landlock.policy-file=/etc/oci-landlock/learned.json"]:
            raise AssertionError(p)
        p = learn("--format", "yaml", rec)
        if p.returncode != 2 or p.stderr != ("oci-landlock: --format 'yaml': expected policy, "
                                             "podman or kubernetes\n"):
            raise AssertionError(p)
    finally:
        w.close()


# ---- what the workload may have laid out ---------------------------------------

@test
def test_no_symbolic_link_on_the_way_to_the_recording():
    """An exec session starts after the workload ran: a link it put in the
    recording's path would choose where a root session writes."""
    w = Work()
    try:
        os.symlink(w.path("other"), w.path("work/link"))
        rec = w.path("work/link/rec.json")
        p = subprocess.run([LAUNCHER, "--learn", rec, "--", PROBE, "read", "/"],
                           capture_output=True, text=True, timeout=60)
        want = (WARNING + f"oci-landlock-exec: cannot write the recording '{rec}': "
                f"'{w.path('work/link')}' is a symbolic link (to '{w.path('other')}'), "
                "which is not followed\n")
        if p.returncode != 126 or p.stderr != want or os.listdir(w.path("other")) != ["f"]:
            raise AssertionError(p)
    finally:
        w.close()


@test
def test_a_private_recording_stays_private():
    w = Work()
    try:
        rec = w.path("rec.json")
        with open(rec, "w"):
            pass
        os.chmod(rec, 0o600)
        proc, _ = record(w, [PROBE, "read", w.path("cfg/app.conf")])
        expect(proc, ["OK"])
        if os.stat(rec).st_mode & 0o777 != 0o600:
            raise AssertionError(oct(os.stat(rec).st_mode))
    finally:
        w.close()


@test
def test_learn_on_the_host_follows_no_link_the_workload_planted():
    """learn runs as root on a directory the workload wrote: a recording or
    an exec session's that is a link is not read through, a FIFO does not
    hang it, and -o replaces a name, never writes through a link."""
    w = Work()
    try:
        proc, rec = record(w, [PROBE, "read", w.path("cfg/app.conf")])
        expect(proc, ["OK"])
        os.symlink(w.path("other/f"), w.path("linked.json"))
        p = learn(w.path("linked.json"))
        if p.returncode != 1 or p.stderr != (
                f"oci-landlock: cannot read the recording '{w.path('linked.json')}': a "
                "symbolic link, which is not followed (the workload may have put it there)\n"
                "Hint: give the path of the file it leads to, if you trust it\n"):
            raise AssertionError(p)
        os.symlink(w.path("other/f"), rec + ".exec-1")
        os.mkfifo(rec + ".exec-2")
        p = learn(rec)
        skipped = [line for line in p.stderr.splitlines() if "skipped" in line]
        if p.returncode or skipped != [
                f"oci-landlock: warning: skipped: cannot read the recording '{rec}.exec-1': a "
                "symbolic link, which is not followed (the workload may have put it there) "
                "(Hint: give the path of the file it leads to, if you trust it)",
                f"oci-landlock: warning: skipped: cannot read the recording '{rec}.exec-2': "
                "not a regular file"]:
            raise AssertionError(p)
        os.unlink(rec + ".exec-1")
        os.unlink(rec + ".exec-2")
        os.symlink(w.path("other/f"), w.path("policy.json"))
        p = learn("-o", w.path("policy.json"), rec)
        with open(w.path("other/f")) as f:
            if p.returncode != 1 or f.read() != "setting=1\n" or p.stderr != (
                    f"oci-landlock: cannot write the policy '{w.path('policy.json')}': it "
                    "exists and is not a regular file (a symbolic link is not followed)\n"):
                raise AssertionError(p)
    finally:
        w.close()


@test
def test_the_review_writes_out_what_a_terminal_would_act_on():
    """Paths come from the workload: an escape sequence or a newline in one
    must not rewrite the review's lines."""
    w = Work()
    try:
        evil = "/srv/\x1b[1A\x1b[2K\rfake\nline"
        with open(w.path("rec.json"), "w") as f:
            json.dump({"recording": 1, "paths": [{"path": evil + "/f", "access": ["write_file"]}],
                       "created": [], "bind_tcp": [], "connect_tcp": [], "sockets": [],
                       "outside": []}, f)
        p = learn("--depth", "2", w.path("rec.json"))
        if p.returncode or "\x1b" in p.stderr or "\r" in p.stderr or len(
                p.stderr.splitlines()) != 3 or \
                "'/srv/\\x1b[1A\\x1b[2K\\x0dfake\\x0aline' (write_file)" not in p.stderr:
            raise AssertionError(p)
    finally:
        w.close()


@test
def test_writes_on_the_root_are_left_out():
    """A file the run created directly in / puts its rights on "/", which
    holds /usr, /etc and /bin: left out, and named."""
    w = Work()
    try:
        with open(w.path("rec.json"), "w") as f:
            json.dump({"recording": 1, "paths": [
                {"path": "/", "access": ["make_reg", "remove_file"]},
                {"path": "/ready", "access": ["write_file"]},
                {"path": "/etc/data", "access": ["read_file"]}],
                "created": ["/ready"], "bind_tcp": [], "connect_tcp": [], "sockets": [],
                "outside": []}, f)
        p = learn(w.path("rec.json"))
        got = rules(json.loads(p.stdout))
        if p.returncode or got != {"/etc": ["read_file"]} or (
                "oci-landlock: left out, writing beneath system directories or on '/' (the "
                "workload could rewrite its own programs):\n  '/': write_file, remove_file, "
                "make_reg (the run used '/ready')\n") not in p.stderr:
            raise AssertionError(p)
        p = learn("--system-writes", w.path("rec.json"))
        if p.returncode or rules(json.loads(p.stdout)).get("/") != [
                "make_reg", "remove_file", "write_file"]:
            raise AssertionError(p)
    finally:
        w.close()


@test
def test_a_learn_path_must_read_as_written():
    """The host warns when the recording is on no volume: a '..' would let
    the path look like one and lead elsewhere."""
    p = subprocess.run([CLI, "check", "-a", "oci.landlock.learn=/rec/../etc/x.json"],
                       capture_output=True, text=True, timeout=60)
    if p.returncode != 1 or ("invalid annotation 'oci.landlock.learn': '/rec/../etc/x.json' "
                             "has a '.', '..' or empty component; write the path it means"
                             ) not in p.stdout + p.stderr:
        raise AssertionError(p)


if __name__ == "__main__":
    main()
