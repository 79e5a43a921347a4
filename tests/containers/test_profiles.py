#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The curated admin profiles (examples/profiles/), each in a real podman
container selected by `oci.landlock.profile`: what it allows and denies,
operation by operation, with the exact result.

Needs root, podman and runc.
"""
import json
import os

from engines import LAUNCHER, SRCDIR, World, expect, podman, world
from tap import run, test

PROFILES = os.path.join(SRCDIR, "examples", "profiles")


def profile_image():
    """The shared root file system plus what the profiles are about."""
    w = world()
    root = w.path("rootfs-profiles")
    if not os.path.exists(root):
        World.make_rootfs(root)
        for d in ("srv/www", "data", "out", "workspace", "root", "home/dev"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        for name in ("srv/www/index.html", "data/in", "root/secret", "home/dev/notes"):
            with open(os.path.join(root, name), "w") as f:
                f.write("x\n")
    return w.podman_image(root, "ol-profiles")


def hooks():
    """hooks.d files whose settings name the repository's profiles."""
    w = world()
    settings = w.path("settings-profiles.json")
    if not os.path.exists(settings):
        with open(settings, "w") as f:
            json.dump({"launcher": LAUNCHER, "profiles": PROFILES}, f)
        w.make_hooks("hooks-profiles", ["precreate", "gate"], settings)
    return w.path("hooks-profiles")


def run_profile(name, ops, annotations=None):
    ann = {"oci.landlock.profile": name}
    ann.update(annotations or {})
    return podman(ann, sum((op for op, _ in ops), []), hooks=hooks(), image=profile_image())


def check(name, cases, annotations=None):
    expect(run_profile(name, cases, annotations), [want for _, want in cases])


@test
def test_static_web_server():
    check("static-web-server", [
        (["read", "/srv/www/index.html"], "OK"),
        (["write", "/srv/www/index.html"], "EACCES"),
        (["read", "/etc/data"], "OK"),
        (["write", "/etc/data"], "EACCES"),
        (["read", "/root/secret"], "EACCES"),
        (["mkreg", "/tmp/cache"], "OK"),
        (["mkreg", "/srv/www/upload"], "EACCES"),
        (["listen", "80"], "OK"),
        (["listen", "8080"], "OK"),
        (["bind", "9000"], "EACCES"),
        (["connect", "80"], "EACCES"),
        (["abstract-self", "web"], "OK"),
    ])


@test
def test_data_processor():
    check("data-processor", [
        (["read", "/data/in"], "OK"),
        (["write", "/data/in"], "EACCES"),
        (["unlink", "/data/in"], "EACCES"),
        (["mkreg", "/out/result"], "OK"),
        (["write", "/out/result"], "OK"),
        (["mkreg", "/data/result"], "EACCES"),
        (["write", "/dev/null"], "OK"),
        (["read", "/root/secret"], "OK"),
        (["bind", "8080"], "EACCES"),
        (["connect", "443"], "EACCES"),
    ])


@test
def test_build_job():
    check("build-job", [
        (["mkdir", "/workspace/obj"], "OK"),
        (["mkreg", "/workspace/obj/a.o"], "OK"),
        (["rename", "/workspace/obj/a.o", "/tmp/a.o"], "OK"),
        (["write", "/home/dev/notes"], "OK"),
        (["write", "/etc/data"], "EACCES"),
        (["read", "/etc/data"], "OK"),
        (["exec", "/bin/busybox"], "OK"),
        # A private registry on 443 is reachable, nothing else; binding
        # (a test server) is not restricted.
        (["listen", "443"], "OK"),
        (["listen", "8080"], "OK"),
        (["connect", "443"], "OK"),
        (["connect", "8080"], "EACCES"),
    ])


@test
def test_no_network():
    check("no-network", [
        (["bind", "8080"], "EACCES"),
        (["listen", "443"], "EACCES"),
        (["write", "/etc/data"], "OK"),
        (["mkreg", "/root/new"], "OK"),
        (["abstract-self", "nn"], "OK"),
    ])


@test
def test_annotations_narrow_a_profile():
    # The profile is a layer of its own: annotations add a layer that can
    # only take away (here: /out is read-only now), never give back.
    check("data-processor", [
        (["mkreg", "/out/result"], "EACCES"),
        (["mkreg", "/tmp/scratch"], "OK"),
        (["write", "/etc/data"], "EACCES"),
    ], {"oci.landlock.fs.rx": "/", "oci.landlock.fs.rw": "/tmp:/etc"})


@test
def test_socket_filter_with_a_profile():
    check("no-network", [
        (["socket", "inet", "dgram", "0"], "EACCES"),
        (["socket", "unix", "stream", "0"], "OK"),
        (["bind", "8080"], "EACCES"),
    ], {"oci.landlock.net.socket": "unix"})


if __name__ == "__main__":
    run()
