#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Hostile sizes cost the root hook and the shim little: they are refused
before anything is compiled, lookups are not quadratic, lists are capped.

Each case runs the real program (precreate, the gate, the shim, the
launcher) under RLIMIT_AS and RLIMIT_CPU limits and asserts a clean
refusal with its exact message: a limit hit would kill it with a signal
or fail an allocation instead.  The review measured 14 s of CPU for a
policy of 57,000 variables, 1.2 GB of memory for a 60 MB fs.ro list and
0.8 GB for a 60 MB net.bind.

Needs: Landlock (the launcher case).
"""
import json
import os
import resource
import subprocess
import tempfile

from tap import run, test

CLI = os.path.abspath(os.environ["OL_CLI"])
SHIM = os.path.abspath(os.environ["OL_SHIM"])
LAUNCHER = os.path.abspath(os.environ["OL_LAUNCHER"])
SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])
TMP = tempfile.mkdtemp(prefix="ol-bounds-")
MEMORY = 512 << 20  # address space: four times what a 60 MB config needs
CPU = 10            # seconds


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))
    resource.setrlimit(resource.RLIMIT_CPU, (CPU, CPU))


def settings():
    path = os.path.join(TMP, "settings.json")
    with open(path, "w") as f:
        json.dump({"launcher": LAUNCHER, "profiles": TMP, "runtime": "/bin/true"}, f)
    return dict(os.environ, OCI_LANDLOCK_CONFIG=path)


def spec(annotations):
    s = json.load(open(os.path.join(SRCDIR, "tests", "data", "runc-spec.json")))
    s["annotations"] = annotations
    return json.dumps(s)


def run_limited(cmd, stdin=None):
    p = subprocess.run(cmd, input=stdin, capture_output=True, text=True, env=settings(),
                       preexec_fn=limited, timeout=120)
    if p.returncode < 0:
        raise AssertionError(f"{cmd[1:3]}: killed by signal {-p.returncode}\n{p.stderr}")
    return p


def too_long(key, n):
    return (f"annotation '{key}': the value is {n} bytes, more than a process argument can "
            "hold (131071)")


# Each: the annotations, and what the refusal says.
HUGE = 60 * 1000 * 1000
# The review's policy: under 1 MiB, 57,000 variables (a name each).
VARIABLES = json.dumps({"variable": [{"name": f"v{i}"} for i in range(57000)],
                        "ruleset": [{"handledAccessFs": ["read_file"]}]},
                       separators=(",", ":"))
assert len(VARIABLES) < 1 << 20
CASES = [
    ("variables", {"oci.landlock.policy": VARIABLES},
     too_long("oci.landlock.policy", len(VARIABLES))),
    ("fs-ro", {"oci.landlock.fs.ro": "/a:" * (HUGE // 3)}, too_long("oci.landlock.fs.ro", HUGE)),
    ("net-bind", {"oci.landlock.net.bind": "80," * (HUGE // 3)},
     too_long("oci.landlock.net.bind", HUGE)),
]


@test
def test_precreate():
    for name, ann, msg in CASES:
        p = run_limited([CLI, "hook", "precreate"], spec(ann))
        # precreate carries the error into the container (podman shows
        # precreate's own errors as "exit status 1" only).
        args = json.loads(p.stdout)["process"]["args"] if p.returncode == 0 else []
        if args[1:3] != ["--error", msg + "\nHint: make it smaller, or put it in the image "
                                           "and name it with oci.landlock.policy-file"]:
            raise AssertionError(f"{name}: {p.returncode} {args[:3]}\n{p.stderr}")


def bundle(name, ann):
    d = os.path.join(TMP, name)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "config.json"), "w") as f:
        f.write(spec(ann))
    return d


@test
def test_gate():
    for name, ann, msg in CASES:
        b = bundle("gate-" + name, ann)
        state = json.dumps({"ociVersion": "1.0.2", "id": name, "status": "creating",
                            "pid": os.getpid(), "bundle": b, "annotations": ann})
        p = run_limited([CLI, "hook", "createRuntime"], state)
        if p.returncode != 1 or f"oci-landlock: container {name}: {msg}\n" not in p.stderr:
            raise AssertionError(f"{name}: {p.returncode}\n{p.stderr[:2000]}")


@test
def test_shim():
    for name, ann, msg in CASES:
        b = bundle("shim-" + name, ann)
        p = run_limited([SHIM, "create", "--bundle", b, name])
        if p.returncode != 1 or f"oci-landlock-runtime: {msg}\n" not in p.stderr:
            raise AssertionError(f"{name}: {p.returncode}\n{p.stderr[:2000]}")


@test
def test_launcher_policy_file_of_many_variables():
    # A policy file is the image's, read by the launcher as the container's
    # user: bounded too.
    path = os.path.join(TMP, "variables.json")
    with open(path, "w") as f:
        f.write(VARIABLES)
    p = run_limited([LAUNCHER, "--policy-file", path, "--", "/bin/true"])
    want = (f"oci-landlock-exec: invalid policy '--policy-file {path}': variable: more than "
            "1024 variables\n")
    if p.returncode != 126 or p.stderr != want:
        raise AssertionError(f"{p.returncode}\n{p.stderr}")


@test
def test_a_policy_of_the_most_variables_works():
    # 1024 variables (the cap), each referenced: parsed, and all there.
    doc = json.dumps({"variable": [{"name": f"v{i}", "literal": [f"/x{i}"]}
                                   for i in range(1024)],
                      "pathBeneath": [{"allowedAccess": ["read_file"],
                                       "parent": [f"${{v{i}}}" for i in range(1024)]}]})
    path = os.path.join(TMP, "policy.json")
    with open(path, "w") as f:
        f.write(doc)
    p = run_limited([CLI, "check", path])
    if p.returncode != 0 or "/x1023" not in p.stdout:
        raise AssertionError(f"{p.returncode}\n{p.stdout[-500:]}{p.stderr}")


if __name__ == "__main__":
    try:
        run()
    finally:
        subprocess.run(["rm", "-rf", TMP])
