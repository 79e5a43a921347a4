#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Why a container is refused reaches the user, under podman with runc and
with crun (Fedora's and RHEL's default), with the hooks and through the
shim.

crun shows a failing hook only as "error executing hook ... (exit code:
1)".  With the hooks, precreate carries a policy error to the launcher
(--error), and the gate lets that launcher, checked like any other, run:
it refuses the workload and says why on the container's stderr.  Through
the shim, the shim refuses before crun runs.  Each case checks the exact
message in podman's output and that the workload never ran.

Needs root, podman, runc, crun and unshare.
"""
import os
import shutil

from engines import need, podman, podman_crun, refused, settings_file, world
from tap import run, test

TYPO = {"oci.landlock.fs.r0": "/bin"}
TYPO_MSG = "unknown annotation 'oci.landlock.fs.r0' (did you mean 'oci.landlock.fs.ro'?)"
REQUIRED = "require one (\"require\": true)"
# Whatever the policy, a workload that ran would have printed this.
OPS = ["stat", "/"]


def shim(name, settings_file):
    """The shim as podman's runtime, with its settings, in a directory of
    its own: podman takes the file's name for the runtime's."""
    w = world()
    os.makedirs(w.path(name), exist_ok=True)
    path = w.path(name, "crun" if "crun" in name else "oci-landlock-runtime")
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\nOCI_LANDLOCK_CONFIG={settings_file} exec "
                f"{os.environ['OL_SHIM']} \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def no_hooks():
    d = world().path("no-hooks")
    os.makedirs(d, exist_ok=True)
    return d


@test
def test_typo_under_podman_hooks_with_runc():
    need("podman", "runc")
    refused(podman(TYPO, OPS), TYPO_MSG)


@test
def test_typo_under_podman_hooks_with_crun():
    refused(podman_crun(TYPO, OPS), TYPO_MSG)


@test
def test_require_under_podman_hooks_with_crun():
    hooks = world().make_hooks("hooks-require", ["precreate", "gate"],
                               settings=settings_file("require", require=True))
    refused(podman_crun({}, OPS, hooks=hooks), REQUIRED)


@test
def test_typo_through_the_shim_with_crun():
    # Named crun: podman runs only runtimes it knows as crun without
    # cgroups, which this host needs (see podman_crun).
    runtime = shim("shim-crun", settings_file("crun", runtime=shutil.which("crun") or "crun"))
    refused(podman_crun(TYPO, OPS, hooks=no_hooks(), runtime=runtime), TYPO_MSG)


@test
def test_typo_through_the_shim_with_runc():
    need("podman", "runc")
    runtime = shim("shim-runc", settings_file("runc"))
    refused(podman(TYPO, OPS, hooks=no_hooks(), runtime=runtime), TYPO_MSG)


if __name__ == "__main__":
    run()
