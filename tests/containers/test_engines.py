#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Container tests: Landlock annotations enforced through real engines.

podman (with the shipped hooks.d files, and with the runtime shim), runc
and crun on bundles rewritten by `oci-landlock inject`, and containerd
through `ctr --runc-binary`.  Every container runs the static probe, and
each case asserts the result of an allowed and a denied operation, or the
exact refusal and that the workload never ran.

Needs root, Landlock ABI 6 or later, and the engines (Debian packages
podman, runc, crun, containerd); a missing one skips its cases.
"""
import json
import os
import subprocess
import time

from engines import (CLI, LAUNCHER_IN_CONTAINER, annotate, crun, ctr,
                     expect, inject, injected, make_bundle, need, podman, refused, runc,
                     world)
from tap import run, test

BASIC = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
BASIC_WANT = ["OK", "EACCES", "EACCES"]


def basic_ops(name):
    """Create a file in /tmp (allowed), write and read /etc (denied).  The
    bundle tests share one root file system: each case its own file."""
    return ["mkreg", f"/tmp/{name}", "write", "/etc/data", "read", "/etc/data"]


# ---- podman with the shipped hooks.d files ---------------------------------

@test
def test_podman_hooks_allow_and_deny():
    expect(podman(BASIC, basic_ops("x") + ["stat", LAUNCHER_IN_CONTAINER]),
           BASIC_WANT + ["OK"])


@test
def test_podman_read_only_root():
    # --read-only: the root is read-only, podman mounts tmpfs on /tmp,
    # /var/tmp and /run.  /var/tmp is writable but not granted.
    expect(podman(BASIC, ["mkreg", "/tmp/x", "mkreg", "/var/tmp/x", "read", "/etc/data"],
                  extra=["--read-only"]),
           ["OK", "EACCES", "EACCES"])


@test
def test_podman_net_connect():
    need("podman")
    ann = {"oci.landlock.fs.rx": "/", "oci.landlock.net.connect": "8081"}
    # Listeners inside the container (--network none still has loopback).
    expect(podman(ann, ["listen", "8081", "listen", "8082",
                        "connect", "8081", "connect", "8082"]),
           ["OK", "OK", "OK", "EACCES"])


@test
def test_podman_no_annotation_runs_unchanged():
    # No annotation: the hooks do not even run, nothing is injected.
    expect(podman({"io.example": "x"}, ["write", "/etc/data", "stat", LAUNCHER_IN_CONTAINER]),
           ["OK", "ENOENT"])


@test
def test_podman_bad_policy_refused():
    w = world()
    out = w.path("out-bad")
    os.mkdir(out)
    cases = [
        ({"oci.landlock.fs.rx": "/", "oci.landlock.net.bind": "99999"},
         "invalid annotation 'oci.landlock.net.bind': port '99999' is out of range (0-65535)"),
        ({"oci.landlock.fs.r0": "/"},
         "unknown annotation 'oci.landlock.fs.r0' (did you mean 'oci.landlock.fs.ro'?)"),
        ({"oci.landlock.policy": '{"pathBeneath":[{"allowedAccess":["read_fil"],'
                                 '"parent":["/"]}]}'},
         "invalid annotation 'oci.landlock.policy': pathBeneath[0].allowedAccess[0]: "
         "unknown file-system right \"read_fil\""),
        ({"oci.landlock.profile": "../etc/passwd"},
         "annotation 'oci.landlock.profile': invalid profile name '../etc/passwd'"),
        ({"oci.landlock.profile": "missing"},
         "annotation 'oci.landlock.profile': no profile 'missing' in"),
        ({"oci.landlock.mode": "strict"},
         "annotation 'oci.landlock.mode' is set, but no annotation gives a policy"),
        # podman gives a container no name: a per-container key cannot apply.
        ({"oci.landlock.fs.ro/app": "/bin"},
         "annotation 'oci.landlock.fs.ro/app' is for the container 'app', but this container "
         "has no name"),
    ]
    for ann, msg in cases:
        proc = podman(ann, ["mkreg", "/out/marker"], volumes=[f"{out}:/out"])
        refused(proc, msg)
        if os.listdir(out):
            raise AssertionError(f"{ann}: the workload ran: {os.listdir(out)}")


@test
def test_podman_profile_and_policy_file():
    # The admin's profile: /tmp only, whatever else the annotations allow.
    expect(podman({"oci.landlock.profile": "tmp-only", "oci.landlock.fs.rwx": "/"},
                  ["mkreg", "/tmp/x", "mkreg", "/var/tmp/x"]),
           ["OK", "EACCES"])
    # A policy file inside the image: /var/tmp only.
    expect(podman({"oci.landlock.policy-file": "/etc/policy.json"},
                  ["write", "/dev/null", "write", "/etc/data"]),
           ["OK", "EACCES"])
    proc = podman({"oci.landlock.policy-file": "/etc/missing.json"}, ["stat", "/"])
    refused(proc, "oci-landlock-exec: --policy-file: cannot open '/etc/missing.json': "
                  "No such file or directory")


@test
def test_podman_gate_alone_fails_closed():
    # Only the createRuntime file installed: nothing injects the launcher,
    # so the gate stops the container before the workload starts.
    w = world()
    out = w.path("out-gate")
    os.mkdir(out)
    proc = podman(BASIC, ["mkreg", "/out/marker"], hooks=w.gate_only, volumes=[f"{out}:/out"])
    refused(proc, "the container has Landlock annotations, but it would run unconfined: the "
                  "command does not start with the launcher")
    if os.listdir(out):
        raise AssertionError("the workload ran")


@test
def test_podman_fake_launcher_is_wrapped_again():
    # A user mounts a fake "launcher" (it skips to "--" and runs the rest,
    # unconfined) and starts the command with it, as if injected.  Only the
    # host's own read-only launcher mount counts: the hook wraps the command
    # again, and the gate, which finds the launcher mounted on the fake, not
    # on the container's /dev, refuses it.
    w = world()
    fake = w.path("fake-launcher")
    with open(fake, "w") as f:
        f.write('#!/bin/sh\nwhile [ "$1" != "--" ]; do shift; done; shift\n'
                'echo "fake launcher ran"\nexec "$@"\n')
    os.chmod(fake, 0o755)
    entry = json.dumps([LAUNCHER_IN_CONTAINER, "--layer=annotations", "--fs-rx", "/bin",
                        "--fs-rw", "/tmp:/dev/null", "--"])
    proc = podman(BASIC, basic_ops("fake"),
                  extra=["--entrypoint", entry], volumes=[f"{fake}:{LAUNCHER_IN_CONTAINER}:ro"])
    refused(proc, "the launcher could be swapped: what the container would run as "
                  "/dev/oci-landlock-exec is not the mount of the launcher")
    if "fake launcher ran" in proc.stdout:
        raise AssertionError("the fake launcher ran")


@test
def test_podman_with_the_runtime_shim():
    w = world()
    empty = w.path("no-hooks")
    os.makedirs(empty, exist_ok=True)
    expect(podman(BASIC, basic_ops("x"), hooks=empty, runtime=w.shim), BASIC_WANT)
    proc = podman({"oci.landlock.fs.rx": "/", "oci.landlock.net.bind": "80,,1"}, ["stat", "/"],
                  hooks=empty, runtime=w.shim)
    refused(proc, "invalid annotation 'oci.landlock.net.bind': empty port at position 2")


@test
def test_podman_exec_through_the_shim():
    # exec starts a process from outside the sandboxed workload: the shim
    # puts the launcher in front of it too.
    w = world()
    image = w.podman_image()
    empty = w.path("no-hooks")
    os.makedirs(empty, exist_ok=True)
    name = f"ol-exec-{os.getpid()}"
    base = w.podman_base() + ["--runtime", w.shim, "--hooks-dir", empty]
    run = subprocess.run(base + ["run", "-d", "--name", name, "--network", "none",
                                 "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
                         + annotate(BASIC, csv=True) + [image, "/bin/busybox", "sleep", "120"],
                         capture_output=True, text=True, timeout=120)
    try:
        if run.returncode:
            raise AssertionError(run.stderr)
        proc = subprocess.run(base + ["exec", name, "/bin/probe"] + basic_ops("podman-exec"),
                              capture_output=True, text=True, timeout=120)
        expect(proc, BASIC_WANT)
    finally:
        subprocess.run(base + ["rm", "-f", "-t", "0", name], capture_output=True)


# ---- runc and crun on bundles rewritten by oci-landlock inject ---------------

@test
def test_runc_inject():
    need("runc")
    b = make_bundle("runc-inject", BASIC, basic_ops("runc-inject"))
    p = inject(b)
    if p.returncode or p.stdout != f"{b}: launcher injected\n":
        raise AssertionError(p.stdout + p.stderr)
    # A second inject is a no-op.
    p = inject(b)
    if p.stdout != f"{b}: unchanged: already injected, with the options it asks for\n":
        raise AssertionError(p.stdout + p.stderr)
    expect(runc(b, f"ol-runc-{os.getpid()}"), BASIC_WANT)


@test
def test_crun_inject():
    need("crun", "unshare")
    b = make_bundle("crun-inject", BASIC, basic_ops("crun-inject"))
    injected(b)
    expect(crun(b, f"ol-crun-{os.getpid()}"), BASIC_WANT)


@test
def test_shim_reads_options_after_the_id():
    need("runc")
    w = world()
    # The working directory holds a config without annotations; the bundle
    # named after the container id is the one runc runs, and must be the
    # one the shim rewrites.
    decoy = make_bundle("decoy", {}, ["write", "/etc/data"])
    b = make_bundle("after-id", BASIC, basic_ops("after-id"))
    proc = subprocess.run([w.shim, "run", f"ol-after-{os.getpid()}", "-b", b],
                          capture_output=True, text=True, cwd=decoy, timeout=120)
    expect(proc, BASIC_WANT)
    # What it cannot read for sure, it refuses.
    proc = subprocess.run([w.shim, "run", f"ol-after2-{os.getpid()}", f"-b{b}"],
                          capture_output=True, text=True, cwd=decoy, timeout=120)
    refused(proc, f"run option '-b{b}' is not one oci-landlock-runtime knows")


@test
def test_inject_refuses_a_bad_policy():
    need("runc")
    b = make_bundle("bad-inject", {"oci.landlock.scope": "signals"}, ["stat", "/"])
    before = open(os.path.join(b, "config.json")).read()
    p = inject(b)
    if p.returncode != 1 or "invalid annotation 'oci.landlock.scope': unknown scope " \
            "'signals' (did you mean 'signal'?)" not in p.stderr:
        raise AssertionError(p.stdout + p.stderr)
    if open(os.path.join(b, "config.json")).read() != before:
        raise AssertionError("config.json changed")


@test
def test_per_container_keys():
    need("runc")
    # The per-container key replaces the pod-wide one for that container.
    ann = {"io.kubernetes.cri.container-name": "web", "oci.landlock.fs.rx": "/bin",
           "oci.landlock.fs.rw": "/tmp:/dev/null", "oci.landlock.fs.rw/web": "/var/tmp",
           "oci.landlock.fs.rw/db": "/etc"}
    b = make_bundle("per-container", ann, ["mkreg", "/var/tmp/y", "mkreg", "/tmp/y",
                                           "write", "/etc/data"])
    injected(b)
    expect(runc(b, f"ol-web-{os.getpid()}"), ["OK", "EACCES", "EACCES"])


@test
def test_runc_gate_fails_closed():
    need("runc")
    # Annotations and the gate as a config hook, but no injection.
    gate = {"createRuntime": [{"path": CLI, "args": ["oci-landlock", "hook", "createRuntime"],
                               "env": [f"OCI_LANDLOCK_CONFIG={world().settings}"]}]}
    b = make_bundle("runc-gate", BASIC, ["mkreg", "/tmp/gate-marker"], hooks=gate)
    proc = runc(b, f"ol-gate-{os.getpid()}")
    refused(proc, "the container has Landlock annotations, but it would run unconfined: the "
                  "command does not start with the launcher")
    if os.path.exists(os.path.join(world().rootfs, "tmp", "gate-marker")):
        raise AssertionError("the workload ran")
    # Injected: the same gate lets it run.
    injected(b)
    expect(runc(b, f"ol-gate2-{os.getpid()}"), ["OK"])
    os.unlink(os.path.join(world().rootfs, "tmp", "gate-marker"))


# ---- containerd through ctr, with the runtime shim ----------------------------

@test
def test_containerd_shim():
    expect(ctr(BASIC, basic_ops("containerd"), f"ol-ctr-{os.getpid()}"), BASIC_WANT)


@test
def test_containerd_exec_through_the_shim():
    w = world()
    w.start_containerd()
    d = w.path("containerd")
    name = f"ol-ctr-exec-{os.getpid()}"
    run = subprocess.run(w.ctr + ["run", "-d", "--runc-binary", w.shim, "--runc-root",
                                  f"{d}/runc-root", "--fifo-dir", f"{d}/fifo"] +
                         annotate(BASIC) + ["--rootfs", w.rootfs, name, "/bin/busybox", "sleep",
                                            "120"], capture_output=True, text=True, timeout=120)
    try:
        if run.returncode:
            raise AssertionError(run.stderr)
        proc = subprocess.run(w.ctr + ["task", "exec", "--exec-id", "e1", name, "/bin/probe"] +
                              basic_ops("ctr-exec"), capture_output=True, text=True,
                              timeout=120)
        expect(proc, BASIC_WANT)
    finally:
        subprocess.run(w.ctr + ["task", "kill", "-s", "9", name], capture_output=True)
        time.sleep(0.3)
        subprocess.run(w.ctr + ["task", "delete", name], capture_output=True)
        subprocess.run(w.ctr + ["container", "delete", name], capture_output=True)


@test
def test_runc_exec_command_line_through_the_shim():
    # exec ID COMMAND (no process.json): the launcher goes on the command line.
    need("runc")
    w = world()
    b = make_bundle("exec-cmdline", BASIC, ["/bin/busybox", "sleep", "120"])
    spec = json.load(open(os.path.join(b, "config.json")))
    spec["process"]["args"] = ["/bin/busybox", "sleep", "120"]
    json.dump(spec, open(os.path.join(b, "config.json"), "w"))
    name = f"ol-runc-exec-{os.getpid()}"
    try:
        # The container keeps the stdio runc gives it: files, not pipes.
        log = w.path(f"{name}.log")
        for cmd in (["create", "-b", b, name], ["start", name]):
            with open(log, "w") as out:
                p = subprocess.run([w.shim] + cmd, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=out, timeout=120)
            if p.returncode:
                raise AssertionError(open(log).read())
        proc = subprocess.run([w.shim, "exec", name, "/bin/probe"] + basic_ops("runc-exec"),
                              capture_output=True, text=True, timeout=120)
        expect(proc, BASIC_WANT)
    finally:
        subprocess.run(["runc", "delete", "--force", name], capture_output=True)


@test
def test_containerd_shim_error_shows_in_ctr():
    proc = ctr({"oci.landlock.fs.rx": "/", "oci.landlock.log": "loud"}, ["stat", "/"],
               f"ol-ctr-bad-{os.getpid()}")
    refused(proc, "OCI runtime create failed: oci-landlock: invalid annotation "
                  "'oci.landlock.log': unknown log setting 'loud'")


if __name__ == "__main__":
    run()
