#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What `oci-landlock check` calls the effective access is what the kernel
enforces.  A host default, annotations and an image policy file stack as
three layers; check --json says, per path, which rights every layer
allows; the launcher then runs with exactly the options check printed,
and the probe tries each right on each path.  Every verdict of check must
be the kernel's, and the matrix is asserted too, so that a check that
allowed (or denied) everything could not pass.

Needs: Landlock.
"""
import json
import os
import shutil
import subprocess
import tempfile

from launch import LAUNCHER, PROBE, need_abi
from tap import run, test

CLI = os.path.abspath(os.environ["OL_CLI"])
TMP = tempfile.mkdtemp(prefix="ol-effective-")
RIGHTS = ["read_file", "read_dir", "write_file", "execute", "make_dir"]


def layout():
    """T/srv, T/srv/data, T/tmp, each with a file f and a program prog."""
    t = os.path.join(TMP, "t")
    for d in ("srv", "srv/data", "tmp"):
        os.makedirs(os.path.join(t, d))
        with open(os.path.join(t, d, "f"), "w") as f:
            f.write("data\n")
        shutil.copy(PROBE, os.path.join(t, d, "prog"))
    return t


def probe_ops(path, n):
    """The probe's operation for each right, on path."""
    return {"read_file": ["read", f"{path}/f"], "read_dir": ["readdir", path],
            "write_file": ["write", f"{path}/f"], "execute": ["exec", f"{path}/prog"],
            "make_dir": ["mkdir", f"{path}/new{n}"]}


@test
def test_check_says_what_the_kernel_enforces():
    need_abi(1)
    t = layout()
    probe_dir = os.path.dirname(PROBE)
    # Layer 1, the host's default: rx everywhere, rw with make_dir on srv and tmp.
    default = {"ruleset": [{"handledAccessFs": ["execute", "read_file", "read_dir",
                                                "write_file", "make_dir"]}],
               "pathBeneath": [
                   {"allowedAccess": ["execute", "read_file", "read_dir"], "parent": ["/"]},
                   {"allowedAccess": ["read_file", "read_dir", "write_file", "make_dir"],
                    "parent": [f"{t}/srv", f"{t}/tmp"]}]}
    settings = os.path.join(TMP, "settings.json")
    with open(settings, "w") as f:
        json.dump({"default": default}, f)
    # Layer 3, the image's policy file: write_file on srv/data, make_dir on srv.
    image_policy = os.path.join(TMP, "image-policy.json")
    with open(image_policy, "w") as f:
        json.dump({"ruleset": [{"handledAccessFs": ["write_file", "make_dir"]}],
                   "pathBeneath": [
                       {"allowedAccess": ["write_file"], "parent": [f"{t}/srv/data"]},
                       {"allowedAccess": ["make_dir"], "parent": [f"{t}/srv"]}]}, f)
    # Layer 2, the annotations: ro everywhere, rx on srv and the probe's
    # directory, rw on srv/data.
    annotations = ["-a", "oci.landlock.fs.ro=/", "-a", f"oci.landlock.fs.rx={probe_dir}:{t}/srv",
                   "-a", f"oci.landlock.fs.rw={t}/srv/data",
                   "-a", f"oci.landlock.policy-file={image_policy}"]
    env = dict(os.environ, OCI_LANDLOCK_CONFIG=settings)
    p = subprocess.run([CLI, "check", "--json", "--policy-file", image_policy] + annotations,
                       capture_output=True, text=True, env=env, timeout=60)
    if p.returncode:
        raise AssertionError(p.stdout + p.stderr)
    out = json.loads(p.stdout)
    if len(out["layers"]) != 3:
        raise AssertionError(p.stdout)
    said = {e["path"]: set(e["allowedAccess"]) & set(RIGHTS) for e in out["effective"]["paths"]}
    want = {f"{t}/srv": {"read_file", "read_dir", "execute"},
            f"{t}/srv/data": {"read_file", "read_dir", "write_file", "execute", "make_dir"},
            f"{t}/tmp": {"read_file", "read_dir"}}
    for path, rights in want.items():
        if said.get(path) != rights:
            raise AssertionError(f"check says {path}: {sorted(said.get(path, []))}, "
                                 f"expected {sorted(rights)}")
    # The launcher with the options check printed, the probe trying each right.
    ops, expected = [], []
    for n, path in enumerate(sorted(want)):
        for right, op in probe_ops(path, n).items():
            ops += op
            expected.append((" ".join(op), right in said[path]))
    p = subprocess.run([LAUNCHER] + out["options"] + ["--", PROBE] + ops,
                       capture_output=True, text=True, timeout=60)
    results = dict(line.split(" => ", 1) for line in p.stdout.splitlines() if " => " in line)
    wrong = [f"{op}: kernel {results.get(op)}, check {'allowed' if ok else 'denied'}"
             for op, ok in expected if (results.get(op) == "OK") != ok or
             (not ok and results.get(op) != "EACCES")]
    if wrong:
        raise AssertionError("\n".join(wrong) + f"\n{p.stdout}{p.stderr}")


if __name__ == "__main__":
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
