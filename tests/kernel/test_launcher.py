#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: oci-landlock-exec on the real kernel.

Every case runs the launcher over a fresh temporary tree with the static
probe as the workload, and asserts the result of each operation: one that
the policy allows and one that it denies, for every file-system right, TCP
bind and connect, both scopes, layer intersection, missing paths, exit
statuses, descriptor hygiene, and a run without any libc.

Needs: Landlock ABI 6 or later (all rights used here), root for device
nodes and chroot.  A case that cannot run says why and is skipped.
"""
import json
import os
import shutil
import signal
import socket
import stat
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "lib"))
from tap import Skip, run, test  # noqa: E402

LAUNCHER = os.path.abspath(os.environ["OL_LAUNCHER"])
PROBE = os.path.abspath(os.environ["OL_PROBE"])
VERSION = os.environ.get("OL_VERSION", "")

# Spelled out here, not taken from the code under test.
ALL_FS = ["execute", "write_file", "read_file", "read_dir", "remove_dir",
          "remove_file", "make_char", "make_dir", "make_reg", "make_sock",
          "make_fifo", "make_block", "make_sym", "refer", "truncate",
          "ioctl_dev"]
RX = ["execute", "read_file"]


def kernel_abi():
    import ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    return max(0, libc.syscall(444, None, 0, 1))


ABI = kernel_abi()


def need_abi(n):
    if ABI < n:
        raise Skip(f"kernel has Landlock ABI {ABI}, this case needs {n}")


def need_root():
    if os.geteuid() != 0:
        raise Skip("needs root (device nodes, chroot)")


class Tree:
    """a/ (granted) and d/ (not), each with a file, a dir, a program."""

    def __init__(self):
        self.root = tempfile.mkdtemp(prefix="ol-kernel-")
        for side in ("a", "d"):
            top = self.path(side)
            os.mkdir(top)
            os.mkdir(os.path.join(top, "sub"))
            for name in ("f", "g"):
                with open(os.path.join(top, name), "w") as f:
                    f.write("data\n")
            shutil.copy(PROBE, os.path.join(top, "prog"))
            if os.geteuid() == 0:
                os.mknod(os.path.join(top, "null"), 0o666 | stat.S_IFCHR,
                         os.makedev(1, 3))

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def a(self, name=""):
        return self.path("a", name) if name else self.path("a")

    def d(self, name=""):
        return self.path("d", name) if name else self.path("d")

    def close(self):
        shutil.rmtree(self.root, ignore_errors=True)


def policy(*rules, handled=ALL_FS, net=None, scoped=None):
    """A landlockconfig document that lets the probe itself run."""
    ruleset = {"handledAccessFs": handled}
    if net:
        ruleset["handledAccessNet"] = net
    if scoped:
        ruleset["scoped"] = scoped
    beneath = [{"allowedAccess": RX, "parent": [PROBE]}]
    beneath += [{"allowedAccess": rights, "parent": [path]}
                for path, rights in rules if rights]
    return json.dumps({"ruleset": [ruleset], "pathBeneath": beneath})


def launch(args, ops, env=None, pass_fds=(), command=None):
    cmd = [LAUNCHER] + args + ["--"] + (command or [PROBE]) + ops
    return subprocess.run(cmd, capture_output=True, text=True, env=env,
                          pass_fds=pass_fds, timeout=60)


def results(proc):
    return [line.rsplit(" => ", 1)[1] for line in proc.stdout.splitlines()
            if " => " in line]


def expect(proc, want, status=0):
    got = results(proc)
    if got != want or proc.returncode != status:
        raise AssertionError(
            f"want {want} (status {status}), got {got} (status "
            f"{proc.returncode})\nstdout:\n{proc.stdout}stderr:\n{proc.stderr}")


def check_right(right, op, name, allowed="OK", both=(), prepare=None, args=()):
    """Grant `right` on a/ only (and `both` on a/ and d/), then run op on
    a/name (allowed) and d/name (denied with EACCES)."""
    t = Tree()
    try:
        if prepare:
            prepare(t)
        rules = [(t.a(), [right] + list(both)), (t.d(), list(both))]
        proc = launch(["--policy", policy(*rules)],
                      [op, *args, t.a(name), op, *args, t.d(name)])
        expect(proc, [allowed, "EACCES"])
        if proc.stderr:
            raise AssertionError(f"unexpected stderr: {proc.stderr}")
    finally:
        t.close()


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


# ---- shorthand, layers, missing paths ---------------------------------------

@test
def test_shorthand_presets():
    t = Tree()
    try:
        proc = launch(["--fs-rx", PROBE, "--fs-ro", t.a(), "--fs-rw", t.d()],
                      ["read", t.a("f"), "write", t.a("f"), "exec", t.a("prog"),
                       "write", t.d("f"), "truncate", t.d("f"),
                       "exec", t.d("prog"), "read", "/etc/hostname"])
        expect(proc, ["OK", "EACCES", "EACCES", "OK", "OK", "EACCES", "EACCES"])
    finally:
        t.close()


@test
def test_layers_intersect():
    t = Tree()
    try:
        for side in ("b", "c"):
            os.mkdir(t.path(side))
            with open(t.path(side, "f"), "w") as f:
                f.write("x")
        # Layer 1 allows a and b, layer 2 allows b and c: only b is left.
        layer1 = policy((t.a(), ["read_file"]), (t.path("b"), ["read_file"]))
        proc = launch(["--policy", layer1,
                       "--fs-rx", PROBE + ":" + t.path("b") + ":" + t.path("c")],
                      ["read", t.a("f"), "read", t.path("b", "f"),
                       "read", t.path("c", "f")])
        expect(proc, ["EACCES", "OK", "EACCES"])
    finally:
        t.close()


@test
def test_named_layer_merges_its_policies():
    t = Tree()
    try:
        doc = policy((t.a(), ["read_file"]))
        # Without --layer the JSON policy and the shorthand are two layers:
        # each forbids what only the other grants.
        proc = launch(["--policy", doc, "--fs-rx", PROBE + ":" + t.d()],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["EACCES", "EACCES"])
        # With --layer they are one layer: what either grants is allowed.
        proc = launch(["--layer", "annotations", "--policy", doc,
                       "--fs-rx", t.d()], ["read", t.a("f"), "read", t.d("f"),
                                           "write", t.a("f")])
        expect(proc, ["OK", "OK", "EACCES"])
        # Layer names appear in the launcher's messages.
        missing = t.path("gone")
        proc = launch(["--layer", "annotations", "--fs-rx", PROBE + ":" + missing],
                      ["exit", "0"])
        if proc.stderr != (f"oci-landlock-exec: warning: annotations: rule for "
                           f"'{missing}' skipped: No such file or directory\n"):
            raise AssertionError(proc.stderr)
        proc = launch(["--layer", "empty", "--layer", "full", "--fs-rx", "/"],
                      ["exit", "0"])
        if proc.returncode != 126 or proc.stderr != (
                "oci-landlock-exec: layer 'empty' has no policy\n"):
            raise AssertionError(proc.stderr)
    finally:
        t.close()


@test
def test_error_option_fails_closed():
    t = Tree()
    try:
        marker = t.a("marker")
        msg = "annotation 'oci.landlock.profile': no profile 'web'"
        proc = launch(["--fs-rwx", "/", "--error", msg], ["mkreg", marker])
        if proc.returncode != 126 or proc.stderr != f"oci-landlock-exec: {msg}\n" \
                or os.path.exists(marker):
            raise AssertionError(f"{proc.returncode} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_policy_file_layer():
    t = Tree()
    try:
        path = t.path("policy.json")
        with open(path, "w") as f:
            f.write(policy((t.a(), ["read_file"])))
        proc = launch(["--policy-file", path],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["OK", "EACCES"])
    finally:
        t.close()


@test
def test_missing_path_is_skipped_once():
    t = Tree()
    try:
        missing = t.path("not-there")
        proc = launch(["--fs-rx", PROBE, "--fs-ro", missing + ":" + t.a()],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["OK", "EACCES"])
        want = (f"oci-landlock-exec: warning: --fs/--net/--scope options: "
                f"rule for '{missing}' skipped: No such file or directory\n")
        if proc.stderr != want:
            raise AssertionError(f"stderr: {proc.stderr!r}")
    finally:
        t.close()


@test
def test_rule_on_a_file_keeps_file_rights():
    t = Tree()
    try:
        # fs.ro grants read_dir too, which the kernel refuses on a file.
        proc = launch(["--fs-rx", PROBE, "--fs-ro", t.a("f")],
                      ["read", t.a("f"), "read", t.a("g"), "readdir", t.a()])
        expect(proc, ["OK", "EACCES", "EACCES"])
        if proc.stderr:
            raise AssertionError(proc.stderr)
    finally:
        t.close()


@test
def test_script_interpreter_needs_execute():
    t = Tree()
    try:
        script = t.a("s.sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(script, 0o755)
        proc = launch(["--fs-rx", PROBE + ":" + t.a()], ["exec", script])
        expect(proc, ["EACCES"])
        libs = [p for p in ("/bin", "/usr", "/lib", "/lib64") if os.path.exists(p)]
        proc = launch(["--fs-rx", ":".join([PROBE, t.a()] + libs)],
                      ["exec", script])
        expect(proc, ["OK"])
    finally:
        t.close()


# ---- network ------------------------------------------------------------------

def listener(family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
    s.listen(8)
    return s


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


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


# ---- what the launcher itself promises ---------------------------------------

@test
def test_exit_status_is_the_workload_s():
    proc = launch(["--fs-rx", PROBE], ["exit", "7"])
    expect(proc, [], status=7)


@test
def test_command_not_found_is_127():
    env = dict(os.environ, PATH="/nonexistent-a:/nonexistent-b")
    proc = launch(["--fs-rx", PROBE], [], env=env, command=["no-such-program"])
    if proc.returncode != 127 or proc.stderr != (
            "oci-landlock-exec: cannot execute 'no-such-program': not found "
            "in PATH (/nonexistent-a:/nonexistent-b)\n"):
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


@test
def test_exec_denied_is_126_with_hint():
    proc = launch(["--fs-ro", "/"], [])
    want = (f"oci-landlock-exec: cannot execute '{PROBE}': Permission denied\n"
            "Hint: if it runs outside the sandbox, the policy must grant "
            "execute and read_file on it (fs.rx, --fs-rx) and, for a script, "
            "on its interpreter\n")
    if proc.returncode != 126 or proc.stderr != want:
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


@test
def test_path_search_inside_the_sandbox():
    t = Tree()
    try:
        # d/prog is denied by the sandbox, a/prog is allowed: like execvp,
        # the search goes on after EACCES and runs the one it may run.
        for side in ("a", "d"):
            os.rename(t.path(side, "prog"), t.path(side, "probe"))
        env = dict(os.environ, PATH=f"/nonexistent:{t.d()}:{t.a()}")
        proc = launch(["--fs-rx", t.a()], ["read", t.a("f")], env=env,
                      command=["probe"])
        expect(proc, ["OK"])
        env["PATH"] = t.d()
        proc = launch(["--fs-rx", t.a()], [], env=env, command=["probe"])
        if proc.returncode != 126 or "cannot execute 'probe': Permission denied" \
                not in proc.stderr:
            raise AssertionError(f"{proc.returncode} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_bad_policy_never_runs_the_workload():
    t = Tree()
    try:
        marker = t.a("marker")
        bad = [
            (["--policy", '{"pathBeneath":[{"allowedAccess":["read_fil"],'
                          '"parent":["/"]}]}'],
             "oci-landlock-exec: invalid policy '--policy #1': "
             "pathBeneath[0].allowedAccess[0]: unknown file-system right "
             "\"read_fil\" (did you mean \"read_file\"?)\n"),
            (["--policy", '{"ruleset":[{"scoped":["signal"]}],"ruleset":[]}'],
             "oci-landlock-exec: invalid policy '--policy #1': top level: "
             "duplicate key \"ruleset\"\n"),
            (["--fs-rwx", "/", "--net-bind", "80,,443"],
             "oci-landlock-exec: invalid option '--net-bind': empty port at "
             "position 2 in \"80,,443\"\n"),
            (["--fs-rwx", "/", "--mode", "lenient"],
             "oci-landlock-exec: invalid option '--mode': unknown mode "
             "\"lenient\"\n"),
            (["--policy-file", t.path("missing.json")],
             f"oci-landlock-exec: --policy-file: cannot open "
             f"'{t.path('missing.json')}': No such file or directory\n"),
            ([], "oci-landlock-exec: no policy given\n"),
            (["--fs-rwx", "/", "--m", "best-effort"],
             "oci-landlock-exec: option '--m' is abbreviated\n"),
        ]
        for args, msg in bad:
            proc = launch(args, ["mkreg", marker])
            got = proc.stderr.split("Hint:")[0]
            if proc.returncode != 126 or got != msg or os.path.exists(marker):
                raise AssertionError(f"{args}: {proc.returncode} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_too_many_layers():
    layer = '{"ruleset":[{"scoped":["signal"]}],"pathBeneath":[' \
            '{"allowedAccess":["execute","read_file"],"parent":["/"]}]}'
    proc = launch(sum((["--policy", layer] for _ in range(16)), []), ["exit", "0"])
    expect(proc, [], status=0)
    proc = launch(sum((["--policy", layer] for _ in range(17)), []), ["exit", "0"])
    if proc.returncode != 126 or proc.stderr != (
            "oci-landlock-exec: 17 Landlock layers requested, the kernel "
            "allows 16 per process\n"):
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


@test
def test_nested_launchers_hit_the_kernel_layer_limit():
    layer = '{"ruleset":[{"scoped":["signal"]}],"pathBeneath":[' \
            '{"allowedAccess":["execute","read_file"],"parent":["/"]}]}'
    ten = sum((["--policy", layer] for _ in range(10)), [])
    # 10 layers, then a launcher that asks for 10 more: the kernel refuses
    # the 7th, and the inner launcher says why.
    proc = launch(ten, ["exit", "0"], command=[LAUNCHER] + ten + ["--", PROBE])
    want = ("oci-landlock-exec: cannot enforce Landlock layer 7: Argument list "
            "too long\nHint: the process already runs inside other Landlock "
            "layers (16 at most in all); use fewer policy sources\n")
    if proc.returncode != 126 or proc.stderr != want or proc.stdout:
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


@test
def test_best_effort_on_a_kernel_that_has_everything():
    need_abi(6)
    t = Tree()
    try:
        proc = launch(["--mode", "best-effort", "--fs-rx", PROBE,
                       "--fs-ro", t.a(), "--scope", "all"],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["OK", "EACCES"])
        if proc.stderr:
            raise AssertionError(proc.stderr)
    finally:
        t.close()


@test
def test_own_fds_closed_inherited_kept():
    t = Tree()
    try:
        fd = os.open("/dev/null", os.O_RDONLY)
        os.dup2(fd, 9, inheritable=True)
        os.close(fd)
        path = t.path("p.json")
        with open(path, "w") as f:
            f.write(policy((t.a(), ["read_file"]), ("/proc", ["read_dir"])))
        # Layers, rule paths and the policy file are all closed by now.
        proc = launch(["--policy-file", path, "--fs-rx", PROBE + ":/proc"],
                      ["fds"], pass_fds=(9,))
        os.close(9)
        if proc.stdout != "fds => 0,1,2,9\n" or proc.returncode != 0:
            raise AssertionError(f"{proc.stdout!r} {proc.stderr!r}")
    finally:
        t.close()


class KernelLog:
    """New kernel log records from now on, read from /dev/kmsg (or from
    auditd's log when auditd runs and takes the records).

    Without auditd the kernel prints audit records through
    printk_ratelimit() (10 per 5 s by default) and drops the rest: the
    limit is lifted while the test runs and put back afterwards."""

    RATELIMIT = "/proc/sys/kernel/printk_ratelimit"

    def __init__(self):
        status = subprocess.run(["auditctl", "-s"], capture_output=True,
                                text=True).stdout
        fields = dict(line.split(" ", 1) for line in status.splitlines()
                      if " " in line)
        self.was_enabled = fields.get("enabled", "0").strip()
        daemon = fields.get("pid", "0").strip() != "0"
        self.path = "/var/log/audit/audit.log" if daemon else "/dev/kmsg"
        self.fd = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        os.lseek(self.fd, 0, os.SEEK_END)
        with open(self.RATELIMIT) as f:
            self.ratelimit = f.read().strip()
        with open(self.RATELIMIT, "w") as f:
            f.write("0")
        subprocess.run(["auditctl", "-e", "1"], check=True, capture_output=True)
        self.seen = ""

    def _read(self):
        while True:
            try:
                chunk = os.read(self.fd, 65536)
            except BlockingIOError:
                return
            except OSError as e:  # EPIPE: records were overwritten
                if e.errno != 32:
                    raise
                continue
            if not chunk:
                return
            self.seen += chunk.decode(errors="replace")

    def denial_of(self, path, wait):
        """The type 1423 record for path, waiting up to `wait` seconds."""
        deadline = time.time() + wait
        while True:
            self._read()
            for line in self.seen.splitlines():
                if f'path="{path}"' in line and "type=1423" in line:
                    return line
            if time.time() >= deadline:
                return None
            time.sleep(0.05)

    def close(self):
        os.close(self.fd)
        subprocess.run(["auditctl", "-e", self.was_enabled], capture_output=True)
        with open(self.RATELIMIT, "w") as f:
            f.write(self.ratelimit)


@test
def test_audit_log_flags():
    need_abi(7)
    need_root()
    if not shutil.which("auditctl"):
        raise Skip("auditctl is not installed (Debian package auditd)")
    t = Tree()
    log = KernelLog()
    try:
        two_layers = ["--policy", policy(("/", ["read_dir"]))]
        cases = [([], True),
                 (["--log", "new-exec-on,subdomains-off"], True),
                 # The denial comes from the second layer: "subdomains off"
                 # must not silence the launcher's own later layers.
                 (["--log", "new-exec-on,subdomains-off"] + two_layers, True),
                 (["--log", "off"], False),
                 (["--log", "same-exec-off"], False)]
        for i, (args, logged) in enumerate(cases):
            secret = t.d(f"secret{i}")
            with open(secret, "w") as f:
                f.write("x")
            proc = launch(args + ["--fs-rx", PROBE], ["read", secret])
            expect(proc, ["EACCES"])
            if logged:
                if not log.denial_of(secret, 5):
                    raise AssertionError(f"{args}: no denial record in {log.path}")
                if "blockers=fs.read_file" not in log.denial_of(secret, 0):
                    raise AssertionError(log.denial_of(secret, 0))
                continue
            # Absence is proven by a later denial that is logged.
            sentinel = t.d(f"sentinel{i}")
            with open(sentinel, "w") as f:
                f.write("x")
            expect(launch(["--fs-rx", PROBE], ["read", sentinel]), ["EACCES"])
            if not log.denial_of(sentinel, 5):
                raise AssertionError(f"the sentinel of {args} was not logged")
            if log.denial_of(secret, 0):
                raise AssertionError(f"{args}: unexpected record "
                                     f"{log.denial_of(secret, 0)}")
    finally:
        log.close()
        t.close()


@test
def test_statically_linked():
    if not shutil.which("file"):
        raise Skip("the 'file' command is not installed")
    out = subprocess.run(["file", "-L", LAUNCHER], capture_output=True,
                         text=True).stdout
    if "statically linked" not in out:
        raise AssertionError(out)


@test
def test_runs_without_any_libc():
    need_root()
    root = tempfile.mkdtemp(prefix="ol-empty-")
    try:
        shutil.copy(LAUNCHER, os.path.join(root, "oci-landlock-exec"))
        # The directory holds nothing but the launcher, which sandboxes
        # itself and then execs itself again inside the sandbox.
        proc = subprocess.run(
            ["chroot", root, "/oci-landlock-exec", "--fs-rx", "/oci-landlock-exec",
             "--", "/oci-landlock-exec", "--version"],
            capture_output=True, text=True, timeout=60)
        want = f"oci-landlock-exec {VERSION} (Landlock ABI 1 to 7)\n"
        if proc.returncode != 0 or proc.stdout != want:
            raise AssertionError(f"{proc.returncode} {proc.stdout!r} {proc.stderr!r}")
        assert os.listdir(root) == ["oci-landlock-exec"]
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    if ABI == 0 and os.environ.get("OL_NO_SKIP") != "1":
        print("1..0 # SKIP this kernel has no Landlock")
        sys.exit(0)
    run()
