#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""examples/image-baking: an image that sandboxes itself.

The Containerfile is built with podman on the local busybox base (no
registry), then run with podman without any oci-landlock host component,
with runc on the image's exported root file system, and under the hook
with an operator's annotations on top (the layers intersect).

Needs root, podman and runc.
"""
import json
import os
import shutil
import subprocess

from engines import (LAUNCHER, SRCDIR, expect, make_bundle, need, podman,
                     runc, world)
from tap import run, test

EXAMPLE = os.path.join(SRCDIR, "examples", "image-baking")
IMAGE = "localhost/ol-baked:test"
IN_IMAGE = "/usr/libexec/oci-landlock/oci-landlock-exec"
ENTRYPOINT = [IN_IMAGE, "--policy-file", "/etc/oci-landlock/policy.json",
              "--net-socket", "unix,tcp", "--"]
# Allowed by the image's policy: write /tmp, read anything, UNIX and TCP
# sockets; denied: write /etc, connect to anything but 443, bind, UDP.
OPS = [(["mkreg", "/tmp/baked"], "OK"), (["read", "/etc/data"], "OK"),
       (["write", "/etc/data"], "EACCES"), (["connect", "80"], "EACCES"),
       (["bind", "8080"], "EACCES"), (["exec", "/bin/busybox"], "OK"),
       (["socket", "inet", "stream", "0"], "OK"), (["socket", "unix", "stream", "0"], "OK"),
       (["socket", "inet", "dgram", "0"], "EACCES")]
_built = []


def build():
    need("podman", "runc")
    w = world()
    if not _built:
        base = w.podman_image()
        ctx = w.path("baking-context")
        os.mkdir(ctx)
        shutil.copy(LAUNCHER, os.path.join(ctx, "oci-landlock-exec"))
        shutil.copy(os.path.join(EXAMPLE, "policy.json"), ctx)
        proc = subprocess.run(w.podman_base() + [
            "build", "--pull=never", "--build-arg", f"BASE={base}", "-t", IMAGE,
            "-f", os.path.join(EXAMPLE, "Containerfile"), ctx],
            capture_output=True, text=True, timeout=300)
        if proc.returncode:
            raise AssertionError(f"podman build failed:\n{proc.stdout}{proc.stderr}")
        _built.append(IMAGE)
    return IMAGE


def no_hooks():
    d = world().path("no-hooks")
    os.makedirs(d, exist_ok=True)
    return d


# The workload's own stderr: busybox, run by the probe's exec as "exit".
WORKLOAD_STDERR = "exit: applet not found\n"


def quiet(proc, workload=WORKLOAD_STDERR):
    """A normal run: on stderr only the workload's own lines, no warning of
    the launcher's (the socket warning used to come on every run)."""
    if proc.stderr != workload:
        raise AssertionError(f"a normal run printed on stderr:\n{proc.stderr}")


def ops():
    return sum((op for op, _ in OPS), [])


@test
def test_image_config():
    w = world()
    out = subprocess.run(w.podman_base() + ["image", "inspect", build()],
                         capture_output=True, text=True, check=True).stdout
    config = json.loads(out)[0]["Config"]
    if config["Entrypoint"] != ENTRYPOINT or config["Cmd"] != ["/bin/sh"]:
        raise AssertionError(config)


@test
def test_podman_without_any_host_component():
    proc = podman({}, ops(), hooks=no_hooks(), image=build())
    expect(proc, [want for _, want in OPS])
    quiet(proc)


@test
def test_runc_on_the_exported_root():
    w = world()
    image = build()
    name = f"ol-baked-export-{os.getpid()}"
    subprocess.run(w.podman_base() + ["create", "--name", name, image], check=True,
                   capture_output=True)
    try:
        tar = w.path("baked.tar")
        subprocess.run(w.podman_base() + ["export", "-o", tar, name], check=True)
    finally:
        subprocess.run(w.podman_base() + ["rm", name], capture_output=True)
    root = w.path("rootfs-baked")
    os.mkdir(root)
    subprocess.run(["tar", "-C", root, "-xf", tar], check=True)
    # What podman would run: the image's ENTRYPOINT, then the command.
    b = make_bundle("baked", {}, ops(), rootfs=root, command=ENTRYPOINT + ["/bin/probe"])
    proc = runc(b, f"ol-baked-{os.getpid()}")
    expect(proc, [want for _, want in OPS])
    quiet(proc)


@test
def test_operator_policy_intersects():
    # The operator allows writing /etc but not /tmp; the image the other
    # way round: neither is writable now.  Reading stays allowed by both.
    ann = {"oci.landlock.fs.rx": "/", "oci.landlock.fs.rw": "/etc:/dev/null"}
    proc = podman(ann, ["mkreg", "/tmp/baked", "write", "/etc/data", "read", "/etc/data"],
                  image=build())
    expect(proc, ["EACCES", "EACCES", "OK"])
    quiet(proc, workload="")


if __name__ == "__main__":
    run()
