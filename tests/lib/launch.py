# SPDX-License-Identifier: Apache-2.0
"""Shared by the kernel tests: run oci-landlock-exec over the static probe.

The probe prints "OP => RESULT" for each operation (OK or the errno name);
expect() compares those results and the exit status.
"""
import json
import os
import shutil
import socket
import stat
import subprocess
import tempfile

from tap import NewerKernel, Skip

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


# The newest Landlock ABI of CI's machines (Linux 6.18): a case that needs
# a newer one may skip in CI, and is named there (tap.NewerKernel).
CI_ABI = 7


def need_abi(n):
    if ABI >= n:
        return
    why = f"kernel has Landlock ABI {ABI}, this case needs {n}"
    if n > CI_ABI:
        raise NewerKernel(why)
    raise Skip(why)


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


def expect_stderr(proc, want):
    if proc.stderr != want:
        raise AssertionError(f"stderr:\n{proc.stderr}want:\n{want}")


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


def listener(family=socket.AF_INET):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.bind(("::1" if family == socket.AF_INET6 else "127.0.0.1", 0))
    s.listen(8)
    return s


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main():
    from tap import run
    if ABI == 0 and os.environ.get("OL_NO_SKIP") != "1":
        print("1..0 # SKIP this kernel has no Landlock")
        return
    run()
