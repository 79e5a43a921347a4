#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The hook confines itself before it parses what a container controls.

A test build of the oci-landlock command (OL_TEST_CONFINE_PROBE) tries,
on every error path, to read /etc/shadow and other files, create a file,
open a socket, exec /bin/true and ptrace a process, and prints each
result.  Each hook stage is driven into a parse error and must show the
cage: only the profiles (and, in the gate, the bundle's config.json) are
readable, and the rest is refused with the exact errno.  `check`, which
is not confined (yet), shows the same probe succeeding, so the probe can fail.

Needs root (reading /etc/shadow in the control) and Landlock.
"""
import json
import os
import shutil
import subprocess
import tempfile

from tap import Skip, run, test

CLI = os.path.abspath(os.environ["OL_CLI"])
PROBE_CLI = os.path.abspath(os.environ["OL_CONFINE_PROBE"])
DENIED = {"/etc/shadow": "EACCES", "socket": "EACCES", "exec": "EPERM",
          "ptrace": "EPERM", "create": "EACCES"}


def kernel_abi():
    import ctypes
    return max(0, ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))


class Host:
    """Settings, a profile, a secret, a bundle, a process to ptrace."""

    def __init__(self):
        if os.geteuid() != 0:
            raise Skip("needs root (the control reads /etc/shadow)")
        if kernel_abi() < 1:
            raise Skip("no Landlock on this kernel")
        self.root = tempfile.mkdtemp(prefix="ol-confine-")
        self.profiles = self.path("profiles")
        os.mkdir(self.profiles)
        self.profile = self.write("profiles/web", '{"ruleset":[{"scoped":["signal"]}]}')
        self.secret = self.write("secret", "secret\n")
        self.settings = self.write("settings.json", json.dumps(
            {"launcher": self.path("launcher"), "profiles": self.profiles}))
        self.bundle = self.path("bundle")
        os.makedirs(os.path.join(self.bundle, "rootfs"))
        self.in_rootfs = self.write("bundle/rootfs/file", "x\n")
        self.config = self.write("bundle/config.json", json.dumps({
            "ociVersion": "1.0.2", "process": {"args": ["sh"]},
            "annotations": {"oci.landlock.fs.r0": "/usr"}}))
        self.sleeper = subprocess.Popen(["sleep", "60"])

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)
        return self.path(name)

    def run(self, args, stdin, target):
        env = dict(os.environ, OCI_LANDLOCK_CONFIG=self.settings,
                   OL_TEST_READ=":".join([self.secret, self.profile, self.config,
                                          self.in_rootfs]),
                   OL_TEST_WRITE=target, OL_TEST_PTRACE=str(self.sleeper.pid))
        proc = subprocess.run([PROBE_CLI] + args, input=stdin, capture_output=True,
                              text=True, env=env, timeout=60)
        probe = {}
        for line in proc.stderr.splitlines():
            if line.startswith("confine-probe: "):
                what, arg_result = line[len("confine-probe: "):].split(" ", 1)
                arg, result = arg_result.split(" => ")
                key = arg if what == "open" else what
                probe[key] = result
        return proc, probe

    def close(self):
        self.sleeper.kill()
        self.sleeper.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def expect(host, proc, probe, readable, message):
    want = dict(DENIED)
    for path in (host.secret, host.profile, host.config, host.in_rootfs):
        want[path] = "OK" if path in readable else "EACCES"
    if probe != want or proc.returncode != 1 or message not in proc.stderr \
            or proc.stdout:
        raise AssertionError(f"want {want}\ngot  {probe}\nstatus {proc.returncode}"
                             f"\nstdout {proc.stdout!r}\nstderr:\n{proc.stderr}")


@test
def test_control_unconfined_inject_can_do_everything():
    h = Host()
    try:
        proc, probe = h.run(["inject", h.bundle], "", h.path("created"))
        want = {k: "OK" for k in list(DENIED) + [h.secret, h.profile, h.config,
                                                 h.in_rootfs]}
        if probe != want or proc.returncode != 1:
            raise AssertionError(f"{probe}\n{proc.stderr}")
    finally:
        h.close()


@test
def test_precreate_bad_config():
    h = Host()
    try:
        target = h.path("created")
        proc, probe = h.run(["hook", "precreate"], '{"annotations":{},"annotations":{}}',
                            target)
        expect(h, proc, probe, [h.profile],
               "oci-landlock: the config on stdin: top level: duplicate key \"annotations\"")
        if os.path.exists(target):
            raise AssertionError("the confined hook created a file")
    finally:
        h.close()


def state(bundle):
    return json.dumps({"ociVersion": "1.0.2", "id": "c1", "status": "creating",
                       "pid": 1, "bundle": bundle})


@test
def test_gate_bad_annotation():
    h = Host()
    try:
        for stage in ("createRuntime", "prestart"):
            target = os.path.join(h.bundle, "created")
            proc, probe = h.run(["hook", stage], state(h.bundle), target)
            expect(h, proc, probe, [h.profile, h.config],
                   "unknown annotation 'oci.landlock.fs.r0' (did you mean")
            if os.path.exists(target):
                raise AssertionError("the confined hook created a file")
    finally:
        h.close()


@test
def test_gate_bad_state():
    # The state does not parse: the confined child says so, and the
    # parent, confined to the profiles alone, reports the error.
    h = Host()
    try:
        proc, probe = h.run(["hook", "createRuntime"], '{"bundle": 7}', h.path("created"))
        expect(h, proc, probe, [h.profile],
               "oci-landlock: the state on stdin: bundle: expected an absolute path")
    finally:
        h.close()


@test
def test_shipped_binary_has_no_probe():
    with open(CLI, "rb") as f:
        if b"confine-probe" in f.read():
            raise AssertionError(f"{CLI} contains the test probe")
    with open(PROBE_CLI, "rb") as f:
        if b"confine-probe" not in f.read():
            raise AssertionError(f"{PROBE_CLI} lacks the probe: this test proves nothing")


if __name__ == "__main__":
    run()
