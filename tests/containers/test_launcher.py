#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""What the runtime runs as the launcher is the host's launcher, for the
container's whole life.

The attacks of the security review, in real containers.  Since Linux
3.18, removing or renaming a mount point from another mount namespace
detaches the mount; the launcher's mount point used to lie in whatever
/run led to.  Each case plants a fake launcher (it records that it ran,
then runs the command unconfined) where the old mount point was, the way
a neighbour sharing /run, or the workload itself, could:
  - runc, deterministic: /run is a host directory, the mount point is
    removed between create and start;
  - podman with both hooks: a neighbour's move at the worst time (a
    createRuntime hook after the gate does it, so it is deterministic);
  - exec sessions through the shim (podman exec, ctr task exec) after
    the mount point is gone;
  - no neighbour: the image makes /run a link into /data, the workload
    may write /data, moves /data/run aside, plants a fake and tries to
    move /dev/oci-landlock-exec; the operator's next exec session;
  - an image whose /dev is a symbolic link: refused by the gate;
  - a user-namespace container whose root cannot write the image;
  - an image health check under podman through the shim.
Each asserts that the fake never ran and the sandbox held.

Needs root, podman, runc and containerd.
"""
import json
import os
import subprocess
import time

from engines import (LAUNCHER_IN_CONTAINER, annotate, bind, expect, injected,
                     make_bundle, need, podman, podman_detached, podman_exec, podman_rm, runc,
                     runc_refused, shim_base, world)
from tap import run, test

BASIC = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
OLD_PATH = "oci-landlock-exec"  # where /run/oci-landlock-exec was


def fake_launcher(marker):
    """A fake launcher: records that it ran in marker, then runs the
    command after "--" as is."""
    return (f'#!/bin/sh\necho "fake launcher ran" > {marker}\n'
            'while [ "$1" != "--" ]; do shift; done; shift\nexec "$@"\n')


def plant(directory, marker):
    """What a neighbour does to a shared directory: remove the mount point
    there (detaching the mount, if one is there) and put a fake in place."""
    path = os.path.join(directory, OLD_PATH)
    if os.path.lexists(path):
        os.unlink(path)
    with open(path, "w") as f:
        f.write(fake_launcher(marker))
    os.chmod(path, 0o755)


def never_ran(marker_file):
    if os.path.exists(marker_file):
        raise AssertionError("the fake launcher ran: " + open(marker_file).read())


def fresh_dir(name):
    d = world().path(name)
    os.mkdir(d)
    return d



# ---- positive confirmation -----------------------------------------------------

@test
def test_confirm_annotation_says_sandbox_applied_under_podman():
    # oci.landlock.confirm=on reaches the launcher as --confirm on: one
    # line on the container's stderr, after the sandbox is in place.
    import ctypes
    abi = ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1)
    ann = dict(BASIC, **{"oci.landlock.confirm": "on"})
    proc = podman(ann, ["write", "/etc/data", "mkreg", "/tmp/x"])
    expect(proc, ["EACCES", "OK"])
    lines = [x for x in proc.stderr.splitlines() if "sandbox applied" in x]
    want = (f"oci-landlock-exec: sandbox applied: 1 layer, ABI {abi}, strict; fs: 16 of 16 "
            "rights; net: none; scoped: none; sockets: any")
    if lines != [want]:
        raise AssertionError(f"{lines}, want [{want!r}]\n{proc.stderr}")
    # Without it, nothing is said.
    proc = podman(BASIC, ["mkreg", "/tmp/x"])
    expect(proc, ["OK"])
    if "sandbox applied" in proc.stderr:
        raise AssertionError(proc.stderr)

# ---- the first process -------------------------------------------------------

@test
def test_runc_shared_run_between_create_and_start():
    need("runc")
    w = world()
    shared = fresh_dir("shared-run")
    b = make_bundle("swap-runc", BASIC, ["write", "/etc/data", "mkreg", "/tmp/swap-runc"],
                    mounts=[bind(shared, "/run")])
    injected(b)
    out = open(w.path("swap-runc.out"), "w+")
    name = f"ol-swap-{os.getpid()}"
    try:
        p = subprocess.run(["runc", "create", "-b", b, name], stdin=subprocess.DEVNULL,
                           stdout=out, stderr=out, timeout=60)
        if p.returncode:
            out.seek(0)
            raise AssertionError(f"runc create: {out.read()}")
        plant(shared, "/run/pwned")
        subprocess.run(["runc", "start", name], check=True, timeout=60)
        for _ in range(200):
            state = json.loads(subprocess.run(["runc", "state", name], capture_output=True,
                                              text=True).stdout or "{}")
            if state.get("status") == "stopped":
                break
            time.sleep(0.05)
    finally:
        subprocess.run(["runc", "delete", "-f", name], capture_output=True)
    out.seek(0)
    text = out.read()
    never_ran(os.path.join(shared, "pwned"))
    if text.splitlines() != ["write /etc/data => EACCES", "mkreg /tmp/swap-runc => OK"]:
        raise AssertionError(f"the workload's output: {text!r}")


@test
def test_podman_neighbour_swaps_after_the_gate():
    # A createRuntime hook sorted after the gate plays the neighbour who
    # shares the volume at /run and wins the race: it moves after every
    # check, before the workload starts.
    w = world()
    vol = fresh_dir("neighbour-run")
    hooks = w.make_hooks("hooks-neighbour", ["precreate", "gate"])
    script = w.path("neighbour.sh")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\ncat >/dev/null\nrm -f {vol}/{OLD_PATH}\n"
                f"cp {w.path('fake')} {vol}/{OLD_PATH}\n")
    os.chmod(script, 0o755)
    with open(w.path("fake"), "w") as f:
        f.write(fake_launcher("/run/pwned"))
    os.chmod(w.path("fake"), 0o755)
    with open(os.path.join(hooks, "zz-neighbour.json"), "w") as f:
        json.dump({"version": "1.0.0", "hook": {"path": script}, "when": {"always": True},
                   "stages": ["createRuntime"]}, f)
    proc = podman(BASIC, ["write", "/etc/data", "mkreg", "/tmp/x"], hooks=hooks,
                  volumes=[f"{vol}:/run"])
    never_ran(os.path.join(vol, "pwned"))
    expect(proc, ["EACCES", "OK"])


def dev_is_a_link(root):
    os.rmdir(os.path.join(root, "dev"))
    os.makedirs(os.path.join(root, "data", "dev"))
    os.symlink("data/dev", os.path.join(root, "dev"))


@test
def test_image_dev_link_refused_by_the_gate():
    # The image's /dev -> /data/dev: the runtime mounts the container's /dev
    # where the link leads; the gate sees it and stops the container.
    runc_refused("dev-link", world().variant("dev-is-a-link", dev_is_a_link),
                 "the launcher could be swapped: the image makes /dev a symbolic link (to "
                 "'data/dev'): the runtime mounted the container's /dev where it leads, "
                 "which others may reach")


@test
def test_user_namespace_whose_root_cannot_write_the_image():
    # Container root is host uid 100000: it cannot create anything in the
    # image's root, owned by host root.  The launcher's mount point lies in
    # the runtime's own /dev tmpfs, which it can.
    need("runc")
    # The mapped root must be able to reach the image: the test's own
    # directory (made 0700) becomes traversable.
    os.chmod(world().dir, 0o711)
    ann = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.ro": "/etc"}
    b = make_bundle("userns", ann, ["read", "/etc/data", "read", "/proc/self/status",
                                    "mkreg", "/etc/userns"])
    config = os.path.join(b, "config.json")
    spec = json.load(open(config))
    spec["linux"]["namespaces"].append({"type": "user"})
    spec["linux"]["uidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    spec["linux"]["gidMappings"] = [{"containerID": 0, "hostID": 100000, "size": 65536}]
    # A user namespace cannot mount the host's cgroup tree read-only here.
    spec["mounts"] = [m for m in spec["mounts"] if m["type"] != "cgroup"]
    json.dump(spec, open(config, "w"))
    injected(b)
    expect(runc(b, "ol-userns"), ["OK", "EACCES", "EACCES"])


# ---- exec sessions -------------------------------------------------------------

@test
def test_podman_exec_after_the_mount_point_is_gone():
    vol = fresh_dir("exec-run")
    name = f"ol-exec-swap-{os.getpid()}"
    podman_detached(name, BASIC, ["/bin/busybox", "sleep", "120"], volumes=[f"{vol}:/run"])
    try:
        plant(vol, "/run/pwned")
        proc = podman_exec(name, ["write", "/etc/data", "mkreg", "/tmp/exec-swap"])
    finally:
        podman_rm(name)
    never_ran(os.path.join(vol, "pwned"))
    expect(proc, ["EACCES", "OK"])


@test
def test_ctr_exec_after_the_mount_point_is_gone():
    w = world()
    w.start_containerd()
    d = w.path("containerd")
    vol = fresh_dir("ctr-exec-run")
    name = f"ol-ctr-swap-{os.getpid()}"
    base = w.ctr + ["run", "-d", "--runc-binary", w.shim, "--runc-root", f"{d}/runc-root",
                    "--fifo-dir", f"{d}/fifo",
                    "--mount", f"type=bind,src={vol},dst=/run,options=rbind:rw"]
    p = subprocess.run(base + annotate(BASIC) + ["--rootfs", w.rootfs, name,
                                                  "/bin/busybox", "sleep", "120"],
                       capture_output=True, text=True, timeout=120)
    if p.returncode:
        raise AssertionError(p.stderr)
    try:
        plant(vol, "/run/pwned")
        proc = subprocess.run(w.ctr + ["task", "exec", "--fifo-dir", f"{d}/fifo", "--exec-id",
                                       "swap", name, "/bin/probe", "write", "/etc/data"],
                              capture_output=True, text=True, timeout=120)
    finally:
        subprocess.run(w.ctr + ["task", "kill", "-s", "KILL", name], capture_output=True)
        for _ in range(50):
            if subprocess.run(w.ctr + ["task", "delete", name],
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.1)
        subprocess.run(w.ctr + ["container", "delete", name], capture_output=True)
    never_ran(os.path.join(vol, "pwned"))
    expect(proc, ["EACCES"])


def run_links_into_data(root):
    os.rmdir(os.path.join(root, "run"))
    os.makedirs(os.path.join(root, "data", "run"))
    os.symlink("/data/run", os.path.join(root, "run"))
    with open(os.path.join(root, "bin", "fake-launcher"), "w") as f:
        f.write(fake_launcher("/out/pwned"))
    os.chmod(os.path.join(root, "bin", "fake-launcher"), 0o755)


@test
def test_workload_moves_its_run_aside_before_an_exec():
    # No neighbour: the image's /run -> /data/run, and the policy lets the
    # workload write /data (and /dev).  It moves /data/run aside, plants a
    # fake where the launcher was, and tries to move the launcher itself.
    w = world()
    image = w.podman_image(w.variant("run-in-data", run_links_into_data), "ol-run-in-data")
    out = fresh_dir("moves-out")
    ann = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/data:/dev:/out"}
    script = ("mv /data/run /data/old; mkdir /data/run; "
              f"cp /bin/fake-launcher /data/run/{OLD_PATH}; "
              f"mv {LAUNCHER_IN_CONTAINER} /dev/moved 2>/out/mv.err; "
              f"rm -f {LAUNCHER_IN_CONTAINER} 2>/out/rm.err; echo done > /out/done; "
              "exec sleep 120")
    name = f"ol-moves-{os.getpid()}"
    podman_detached(name, ann, ["/bin/sh", "-c", script], volumes=[f"{out}:/out"],
                    image=image)
    try:
        for _ in range(100):
            if os.path.exists(os.path.join(out, "done")):
                break
            time.sleep(0.1)
        proc = podman_exec(name, ["write", "/etc/data", "read", "/etc/data"])
    finally:
        podman_rm(name)
    never_ran(os.path.join(out, "pwned"))
    expect(proc, ["EACCES", "EACCES"])
    for f, want in (("mv.err", "Device or resource busy"), ("rm.err", "Device or resource busy")):
        got = open(os.path.join(out, f)).read()
        if want not in got:
            raise AssertionError(f"{f}: {got!r}, want {want!r}")


@test
def test_image_health_check_is_confined():
    # podman runs an image's HEALTHCHECK as an exec session of its own: the
    # image picked the command.  Through the shim it gets the sandbox too.
    w = world()
    secrets = fresh_dir("hc-secrets")
    with open(os.path.join(secrets, "key"), "w") as f:
        f.write("the operator's secret\n")
    tmp = fresh_dir("hc-tmp")
    ctx = fresh_dir("hc-context")
    with open(os.path.join(ctx, "Containerfile"), "w") as f:
        f.write(f"FROM {w.podman_image()}\n"
                "HEALTHCHECK --interval=1h CMD /bin/sh -c 'cat /secrets/key > /tmp/stolen'\n")
    p = subprocess.run(w.podman_base() + ["build", "--pull=never", "--format", "docker",
                                          "-t", "localhost/ol-healthcheck:test", ctx],
                       capture_output=True, text=True, timeout=300)
    if p.returncode:
        raise AssertionError(f"podman build: {p.stdout}{p.stderr}")
    name = f"ol-health-{os.getpid()}"
    podman_detached(name, BASIC, ["/bin/busybox", "sleep", "120"],
                    volumes=[f"{secrets}:/secrets:ro", f"{tmp}:/tmp"],
                    image="localhost/ol-healthcheck:test")
    try:
        check = subprocess.run(shim_base() + ["healthcheck", "run", name], capture_output=True,
                               text=True, timeout=120)
    finally:
        podman_rm(name)
    stolen = os.path.join(tmp, "stolen")
    if not os.path.exists(stolen):
        raise AssertionError(f"the health check did not run: {check.stdout}{check.stderr}")
    if "secret" in open(stolen).read():
        raise AssertionError("the health check read the secret")
    if check.returncode != 1 or check.stdout.strip() != "unhealthy":
        raise AssertionError(f"want 'unhealthy' (status 1), got {check.stdout!r} "
                             f"(status {check.returncode}) {check.stderr}")


if __name__ == "__main__":
    run()
