#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: quiet logging (Landlock ABI 10, Linux 7.2) through the launcher.

--quiet-fs, --quiet-net, --quiet-scope and a landlockconfig policy with
quietAccessFs and "quiet": true rules.  On a kernel older than ABI 10
(CI's machines have ABI 7) strict mode refuses each with the exact "needs
ABI 10 (Linux 7.2)" message and the workload never runs; best effort runs
it with the one warning, still enforcing every right; quiet settings with
nothing to keep quiet are refused on every kernel.  That the kernel keeps
the quiet denials out of its log, and logs the others, needs ABI 10: those
cases skip elsewhere, even in CI, and tools/test names them.  The fitting
itself is proven on fake ABIs 7 to 11 in unit.quiet.
"""
import json
import os
import shutil
import subprocess
import tempfile

from auditing import KernelLog
from launch import ABI, PROBE, expect, expect_stderr, launch, main, need_abi
from tap import test

SRC = "--fs/--net/--scope options"
Q10 = "needs ABI 10 (Linux 7.2)"
HINT = ("Hint: use a newer kernel, remove these from the policy, or set the mode "
        "to best-effort to run without them (every denial is then logged)\n")


class Files:
    """A quiet directory and a loud one, each with a secret file."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ol-quiet-")
        self.quiet = os.path.join(self.dir, "quiet")
        self.loud = os.path.join(self.dir, "loud")
        for d in (self.quiet, self.loud):
            os.mkdir(d)
            with open(os.path.join(d, "secret"), "w") as f:
                f.write("x")

    def secret(self, where):
        return os.path.join(where, "secret")

    def close(self):
        shutil.rmtree(self.dir)


def all_quiet_args(f):
    return ["--fs-rx", PROBE, "--quiet-fs", f.quiet, "--net-connect", "443",
            "--quiet-net", "53", "--scope", "signal", "--quiet-scope", "signal",
            "--net-socket", "unix,tcp"]


@test
def test_quiet_words_strict_and_best_effort():
    f = Files()
    try:
        ops = ["read", f.secret(f.quiet), "read", f.secret(f.loud)]
        proc = launch(all_quiet_args(f), ops)
        missing = (f"quiet_access_fs {Q10}, quiet_access_net {Q10}, quiet_scoped {Q10}, "
                   f"the quiet flag of 2 rules {Q10}")
        if ABI < 10:
            expect(proc, [], status=126)
            expect_stderr(proc, f"oci-landlock-exec: {SRC}: this kernel has Landlock ABI "
                          f"{ABI} and cannot enforce: {missing}\n{HINT}")
            proc = launch(["--mode", "best-effort"] + all_quiet_args(f), ops)
            expect_stderr(proc, f"oci-landlock-exec: warning: {SRC}: this kernel has "
                          f"Landlock ABI {ABI} and logs the denials meant to be quiet: "
                          f"{missing}\n")
        else:
            expect_stderr(proc, "")
        # Quiet or not, both are denied: quiet changes the log only.
        expect(proc, ["EACCES", "EACCES"])
    finally:
        f.close()


@test
def test_quiet_policy_strict():
    f = Files()
    try:
        doc = {"ruleset": [{"handledAccessFs": ["read_file", "read_dir", "execute"],
                            "quietAccessFs": ["read_file"]}],
               "pathBeneath": [{"allowedAccess": ["read_file", "read_dir", "execute"],
                                "parent": [PROBE]},
                               {"parent": [f.quiet], "quiet": True}]}
        proc = launch(["--policy", json.dumps(doc)], ["read", f.secret(f.quiet)])
        if ABI < 10:
            expect(proc, [], status=126)
            expect_stderr(proc, "oci-landlock-exec: --policy #1: this kernel has Landlock "
                          f"ABI {ABI} and cannot enforce: quiet_access_fs {Q10}, the quiet "
                          f"flag of 1 rule {Q10}\n{HINT}")
        else:
            expect(proc, ["EACCES"])
    finally:
        f.close()


@test
def test_meaningless_quiet_refused_on_every_kernel():
    cases = [
        (["--fs-rx", PROBE, "--quiet-scope", "signal"],
         f"oci-landlock-exec: {SRC}: quiet scope signal, but the layer does not set it\n"
         "Hint: a denial the layer does not make cannot be kept quiet: set the scope "
         "too (oci.landlock.scope, --scope), or drop it from the quiet ones\n"),
        (["--fs-rx", PROBE, "--quiet-net", "53"],
         f"oci-landlock-exec: {SRC}: quiet ports, but the layer handles no network right "
         "whose denials they could keep out of the log\n"
         "Hint: give the ports' layer port rules too (net.bind, net.connect, ...), or "
         "drop the quiet ports\n"),
        (["--policy", '{"ruleset":[{"handledAccessFs":["read_file"],'
          '"quietAccessFs":["write_file"]}]}'],
         "oci-landlock-exec: invalid policy '--policy #1': ruleset[0].quietAccessFs: "
         "write_file is not handled by the policy\n"
         "Hint: a denial this layer does not make cannot be kept quiet: add them to "
         "handledAccessFs too, or remove them here\n"),
    ]
    for mode in ("strict", "best-effort"):
        for args, want in cases:
            proc = launch(["--mode", mode] + args, ["read", "/etc/hostname"])
            expect(proc, [], status=126)
            expect_stderr(proc, want)


@test
def test_check_shows_quiet_settings_and_the_verdict():
    cli = os.path.abspath(os.environ["OL_CLI"])
    p = subprocess.run([cli, "check", "--json", "-a", "oci.landlock.fs.ro=/usr", "-a",
                        "oci.landlock.quiet.fs=/proc", "-a", "oci.landlock.net.connect=443",
                        "-a", "oci.landlock.quiet.net=53", "-a", "oci.landlock.net.socket=unix tcp"],
                       capture_output=True, text=True, timeout=60)
    out = json.loads(p.stdout)
    layer = out["layers"][0]
    if (layer["quietAccessNet"], layer["pathBeneath"][0], layer["netPort"][0]) != (
            ["connect_tcp"], {"parent": "/proc", "allowedAccess": [], "quiet": True},
            {"port": 53, "allowedAccess": [], "quiet": True}):
        raise AssertionError(p.stdout)
    if "read_file" not in layer["quietAccessFs"] or layer["quietAccessFs"] != \
            layer["handledAccessFs"]:
        raise AssertionError(p.stdout)
    # The verdict is the launcher's: refused in strict mode before ABI 10.
    want = ("refused", 1) if ABI < 10 else ("enforced", 0)
    if (out["result"], p.returncode) != want:
        raise AssertionError(f"{p.returncode}\n{p.stdout}{p.stderr}")


@test
def test_quiet_denials_kept_out_of_the_log():
    need_abi(10)
    log = KernelLog()
    f = Files()
    try:
        # The loud denial comes second: once it is in the log, the quiet
        # one, made before it, would be there too if it were logged.
        proc = launch(["--fs-rx", PROBE, "--quiet-fs", f.quiet],
                      ["read", f.secret(f.quiet), "read", f.secret(f.loud)])
        expect(proc, ["EACCES", "EACCES"])
        if not log.denial_of(f.secret(f.loud), 5):
            raise AssertionError(f"the loud denial is not in {log.path}")
        if log.denial_of(f.secret(f.quiet), 0):
            raise AssertionError(f"quiet, yet logged: {log.denial_of(f.secret(f.quiet), 0)}")
    finally:
        log.close()
        f.close()


@test
def test_quiet_rights_only_those_named():
    need_abi(10)
    log = KernelLog()
    f = Files()
    try:
        # read_file is quiet beneath the quiet directory, write_file is not.
        doc = {"ruleset": [{"handledAccessFs": ["read_file", "read_dir", "execute",
                                                "write_file"],
                            "quietAccessFs": ["read_file"]}],
               "pathBeneath": [{"allowedAccess": ["read_file", "read_dir", "execute"],
                                "parent": [PROBE]},
                               {"parent": [f.quiet], "quiet": True}]}
        written = os.path.join(f.quiet, "written")
        with open(written, "w") as w:
            w.write("x")
        proc = launch(["--policy", json.dumps(doc)],
                      ["read", f.secret(f.quiet), "write", written])
        expect(proc, ["EACCES", "EACCES"])
        if not log.denial_of(written, 5):
            raise AssertionError(f"write_file beneath the quiet directory is not in {log.path}")
        if log.denial_of(f.secret(f.quiet), 0):
            raise AssertionError("read_file was quiet, yet logged")
    finally:
        log.close()
        f.close()


if __name__ == "__main__":
    main()
