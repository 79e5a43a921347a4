#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Docker: dockerd's runtimes name the shim, each handler with settings of
its own (runtimeArgs: --oci-landlock-settings FILE), as docs/docker.md
sets it up.

A dockerd of this run's own (Debian 12's docker.io, 20.10: private data
root, exec root, socket and key; vfs; no bridge, iptables or forwarding),
an image made with `docker import`:
  - `docker run --runtime landlock` (the baseline as default): enforced;
  - `docker exec` into it: confined too;
  - the `landlock-require` handler: a container without a policy is
    refused, and the reason is in docker's own error output;
  - Docker's own runc: untouched.
Docker 20.10 cannot set OCI annotations (`docker run --annotation` came in
24), so the handler's settings decide.

Needs root, dockerd and runc.
"""
import os
import shutil
import subprocess

from engines import SHIM, expect, need, refused, settings_file, world
from tap import run, test

OPS = ["write", "/etc/data", "mkreg", "/tmp/d", "exec", "/var/tmp/busybox", "read",
       "/etc/data"]
BASELINE = ["EACCES", "OK", "EACCES", "OK"]


_docker = None


def docker(*args, timeout=120):
    """The docker client of this run's dockerd, started on first use."""
    global _docker
    w = world()
    if _docker is None:
        need("dockerd", "runc")
        runtimes = {}
        for name, keys in (("landlock", {"default": "baseline"}),
                           ("landlock-require", {"require": True})):
            runtimes[name] = {"path": SHIM,
                              "runtimeArgs": [f"--oci-landlock-settings={settings_file(name, **keys)}"]}
        w.start_dockerd(runtimes)

        def edit(root):
            shutil.copy(os.path.join(root, "bin", "busybox"),
                        os.path.join(root, "var", "tmp", "busybox"))
        root = w.variant("docker", edit)
        tar = w.path("docker-image.tar")
        subprocess.run(["tar", "-C", root, "-cf", tar, "."], check=True)
        subprocess.run(w.docker + ["import", tar, "ol-probe:test"], check=True,
                       capture_output=True)
        _docker = True
    return subprocess.run(w.docker + list(args), capture_output=True, text=True,
                          timeout=timeout)


def docker_run(runtime, ops, *extra):
    return docker("run", "--rm", "--network", "none", "--runtime", runtime, *extra,
                  "ol-probe:test", "/bin/probe", *ops)


@test
def test_docker_run_with_the_landlock_runtime():
    expect(docker_run("landlock", OPS), BASELINE)


@test
def test_docker_exec_is_confined():
    name = "ol-docker-exec"
    p = docker("run", "-d", "--name", name, "--network", "none", "--runtime", "landlock",
               "ol-probe:test", "/bin/probe", "sleep", "120")
    if p.returncode:
        raise AssertionError(p.stderr)
    try:
        expect(docker("exec", name, "/bin/probe", "write", "/etc/data", "mkreg", "/tmp/e",
                      "exec", "/var/tmp/busybox"), ["EACCES", "OK", "EACCES"])
    finally:
        docker("rm", "-f", name)


@test
def test_require_handler_refuses_and_says_why():
    refused(docker_run("landlock-require", ["stat", "/"]),
            "oci-landlock: the container asks for no Landlock policy, and the settings '"
            f"{world().path('landlock-require.json')}' require one (\"require\": true)")


@test
def test_dockers_own_runc_is_untouched():
    expect(docker_run("runc", ["write", "/etc/data", "exec", "/var/tmp/busybox"]),
           ["OK", "OK"])


if __name__ == "__main__":
    run()
