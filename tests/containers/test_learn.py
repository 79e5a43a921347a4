#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Learning mode in real containers: record, generate, enforce.

A busybox shell script (/app/run.sh) reads its configuration, writes into
a work directory, serves on a TCP port and connects to another one.  It
runs with the annotation oci.landlock.learn (podman with the shipped hooks,
runc on a bundle rewritten by `oci-landlock inject`); `oci-landlock learn`
turns the recording into a policy; the same container then runs with that
policy as its oci.landlock.policy annotation and succeeds, while a write
to another directory, a write to the configuration and a connection to
another port are denied with EACCES.

Needs root, Landlock ABI 6 or later, podman and runc.
"""
import json
import os
import shutil
import subprocess

from engines import (CLI, World, expect, inject, injected, make_bundle, need, podman,
                     runc, world)
from tap import run, test

PORT, UPSTREAM, OTHER = 8080, 8081, 9090
SCRIPT = """#!/bin/sh
set -e
. /etc/app.conf
mkdir -p /work/out
echo "served on $PORT" > /work/out/result
cat /work/out/result
# Serve on PORT, run an upstream on UPSTREAM, and connect to it.
exec /bin/probe listen $PORT listen $UPSTREAM connect $UPSTREAM
"""
WANT = ["OK", "OK", "OK"]
# What the recorded run did not do.
DENIED_OPS = ["mkreg", "/tmp/other", "write", "/etc/app.conf", "connect", str(OTHER),
              "read", "/etc/app.conf", "mkreg", "/work/new"]
DENIED_WANT = ["EACCES", "EACCES", "EACCES", "OK", "OK"]
WARNING = ("oci-landlock-exec: warning: learning mode: the command runs without a "
           "Landlock sandbox, only observed; never use it as a sandbox\n")


def app_rootfs():
    w = world()
    root = w.path("learn-rootfs")
    if not os.path.exists(root):
        World.make_rootfs(root)
        os.makedirs(os.path.join(root, "app"))
        os.makedirs(os.path.join(root, "work"))
        os.makedirs(os.path.join(root, "rec"))
        with open(os.path.join(root, "app", "run.sh"), "w") as f:
            f.write(SCRIPT)
        os.chmod(os.path.join(root, "app", "run.sh"), 0o755)
        with open(os.path.join(root, "etc", "app.conf"), "w") as f:
            f.write(f"PORT={PORT}\nUPSTREAM={UPSTREAM}\n")
    return root


def generate(recording, out):
    proc = subprocess.run([CLI, "learn", "-o", out, recording], capture_output=True,
                          text=True, timeout=60)
    want = ("oci-landlock: socket kinds used: tcp: add --net-socket tcp (annotation "
            "oci.landlock.net.socket=tcp) to refuse every other kind\n")
    if proc.returncode or proc.stderr != want:
        raise AssertionError(f"oci-landlock learn: {proc}")
    with open(out) as f:
        policy = json.load(f)
    check = subprocess.run([CLI, "check", out], capture_output=True, text=True)
    if check.returncode or "result: enforced as written" not in check.stdout:
        raise AssertionError(f"oci-landlock check: {check}")
    return policy


def rules(policy):
    return {p: sorted(e["allowedAccess"]) for e in policy["pathBeneath"] for p in e["parent"]}


def check_policy(policy):
    """Exactly what the script used, per directory, and nothing else."""
    want = {
        "/app": ["execute", "read_file"],
        "/bin": ["execute", "read_file"],
        "/etc": ["read_file"],
        "/work": ["make_dir", "make_reg", "read_file", "write_file"],
    }
    if rules(policy) != want:
        raise AssertionError(json.dumps(policy, indent=1))
    if sorted(policy["netPort"], key=lambda e: e["port"]) != [
            {"allowedAccess": ["bind_tcp"], "port": [PORT]},
            {"allowedAccess": ["bind_tcp", "connect_tcp"], "port": [UPSTREAM]}]:
        raise AssertionError(policy["netPort"])
    if policy["ruleset"][0]["scoped"] != ["abstract_unix_socket", "signal"]:
        raise AssertionError(policy["ruleset"])


def podman_loop(runtime):
    need("podman", "runc")
    w = world()
    image = w.podman_image(rootfs=app_rootfs(), tag="ol-learn")
    work, rec = w.path(f"learn-work-{runtime}"), w.path(f"learn-rec-{runtime}")
    os.mkdir(work)
    os.mkdir(rec)
    volumes = [f"{work}:/work", f"{rec}:/rec"]
    # 1. Record.
    learned = podman({"oci.landlock.learn": "/rec/run.json"}, [], image=image,
                     volumes=volumes, runtime=runtime, command=("/app/run.sh",))
    expect(learned, WANT)
    if learned.stdout.splitlines()[0] != f"served on {PORT}" or learned.stderr != WARNING:
        raise AssertionError(learned)
    # 2. Generate.
    policy = generate(os.path.join(rec, "run.json"), w.path(f"learned-{runtime}.json"))
    check_policy(policy)
    shutil.rmtree(work)
    os.mkdir(work)
    enforce = {"oci.landlock.policy": json.dumps(policy), "oci.landlock.net.socket": "tcp"}
    # 3. Enforce: the same workload runs ...
    enforced = podman(enforce, [], image=image, volumes=volumes, runtime=runtime,
                      command=("/app/run.sh",))
    expect(enforced, WANT)
    if enforced.stdout.splitlines()[0] != f"served on {PORT}" or enforced.stderr:
        raise AssertionError(enforced)
    # ... and what it did not do is denied.
    denied = podman(enforce, DENIED_OPS, image=image, volumes=volumes, runtime=runtime)
    expect(denied, DENIED_WANT)
    return policy, enforced, denied


@test
def test_podman_record_generate_enforce():
    policy, enforced, denied = podman_loop("runc")
    print("# generated policy:")
    for line in json.dumps(policy, indent=1).splitlines():
        print(f"#   {line}")
    for line in (enforced.stdout + denied.stdout).splitlines():
        print(f"#   enforced: {line}")


@test
def test_runc_record_generate_enforce():
    need("runc")
    w = world()
    root = w.path("learn-runc-rootfs")
    shutil.copytree(app_rootfs(), root, symlinks=True)
    # 1. Record, into the root file system.
    b = make_bundle("learn-runc-1", {"oci.landlock.learn": "/rec/run.json"}, [], rootfs=root,
                    command=("/app/run.sh",))
    injected(b)
    learned = runc(b, "ol-learn-runc-1")
    expect(learned, WANT)
    if learned.stderr != WARNING:
        raise AssertionError(learned)
    # 2. Generate.
    policy = generate(os.path.join(root, "rec", "run.json"), w.path("learned-runc.json"))
    check_policy(policy)
    shutil.rmtree(os.path.join(root, "work", "out"))
    # 3. Enforce.
    enforce = {"oci.landlock.policy": json.dumps(policy), "oci.landlock.net.socket": "tcp"}
    b = make_bundle("learn-runc-2", enforce, [], rootfs=root, command=("/app/run.sh",))
    inject(b)
    expect(runc(b, "ol-learn-runc-2"), WANT)
    b = make_bundle("learn-runc-3", enforce, DENIED_OPS, rootfs=root)
    inject(b)
    expect(runc(b, "ol-learn-runc-3"), DENIED_WANT)


@test
def test_learning_refused_with_a_policy():
    need("podman", "runc")
    w = world()
    marker_dir = w.path("learn-refused")
    os.mkdir(marker_dir)
    proc = podman({"oci.landlock.learn": "/out/rec.json", "oci.landlock.fs.ro": "/"},
                  ["mkreg", "/out/marker"], volumes=[f"{marker_dir}:/out"])
    msg = ("annotation 'oci.landlock.learn' cannot be combined with 'oci.landlock.fs.ro': "
           "learning mode records what the container uses, it enforces nothing")
    if proc.returncode == 0 or msg not in proc.stderr or os.listdir(marker_dir):
        raise AssertionError(proc)


run()
