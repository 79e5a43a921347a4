#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The exec guard: a sandboxed container's process executes the host's
launcher with the config's arguments, or it is killed before it runs.

A neighbour that can write the container's root directory (here one with
a volume of it; a descriptor of it does as well, which no look at the
mounts can see) renames its dev or proc after every check and plants a
fake where the runtime will look.  The cases:
  - runc create, the neighbour's move, runc start: the fake is killed at
    its exec, with the guard's message on the container's stderr;
  - the same with a script whose interpreter is the real launcher (moved
    along with /dev): the launcher with other arguments, killed too;
  - podman with the hooks.d files, a createRuntime hook after the gate
    playing the neighbour: the message in podman's output;
  - an exec session through the shim under crun, /proc moved and a fake
    planted right before the runtime's exec: killed; under runc, which
    checks /proc/self/fd itself, it fails as well;
  - the guard's life: attached between create and start, gone once the
    launcher runs; killed, it takes the container's process with it
    (PTRACE_O_EXITKILL); a container without annotations is not traced.

Needs root, runc, crun and podman.
"""
import json
import os
import subprocess
import time

from engines import (CLI, Detached, LAUNCHER_IN_CONTAINER, SHIM, annotate, bind,
                     injected, make_bundle, need, never_ran, with_fake, world)
from tap import run, test

BASIC = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
KILLED = "oci-landlock: exec guard: killed before it ran: "
SWAPPED = ("; someone else may write the container's root directory and swapped the "
           "launcher")


def state(name):
    p = subprocess.run(["runc", "state", name], capture_output=True, text=True)
    return json.loads(p.stdout) if p.returncode == 0 else {"status": "gone"}


def wait_stopped(name):
    for _ in range(200):
        if state(name)["status"] in ("stopped", "gone"):
            return
        time.sleep(0.05)
    raise AssertionError(f"{name} did not stop")


def tracer_of(pid):
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("TracerPid:"):
            return int(line.split()[1])
    raise AssertionError(f"no TracerPid for {pid}")


def create(bundle, name, log):
    with open(log, "w") as out:
        p = subprocess.run(["runc", "create", "-b", bundle, name], stdin=subprocess.DEVNULL,
                           stdout=out, stderr=out, timeout=60)
    if p.returncode:
        raise AssertionError(f"runc create: {open(log).read()}")


def start_and_wait(name, log):
    p = subprocess.run(["runc", "start", name], capture_output=True, text=True, timeout=60)
    wait_stopped(name)
    return p, open(log).read()


def swap_dev(neighbour, fake):
    """Move the container's /dev away from the neighbour's view of its root
    (/x), and plant fake where the launcher was; /dev/null leads to the
    moved one, which the runtime checks later."""
    p = neighbour.exec("/bin/sh", "-c",
                       "mv /x/dev /x/dev.moved && mkdir /x/dev && "
                       "ln -s /dev.moved/null /x/dev/null && "
                       f"cp {fake} /x{LAUNCHER_IN_CONTAINER}")
    if p.returncode:
        raise AssertionError(f"the neighbour's move: {p.stderr}")


def interpreted(root):
    """A fake that is a script run by the real launcher (reached through
    the moved /dev), with an argument of its own."""
    with_fake(root)
    with open(os.path.join(root, "bin", "by-launcher"), "w") as f:
        f.write(f"#!/dev.moved/{os.path.basename(LAUNCHER_IN_CONTAINER)} --learn\n")
    os.chmod(os.path.join(root, "bin", "by-launcher"), 0o755)


@test
def test_runc_neighbour_swaps_dev_between_create_and_start():
    need("runc")
    w = world()
    for fake, why in (("/x/bin/fake", "it was about to execute '/bin/busybox' as the launcher"),
                      ("/x/bin/by-launcher", "it was about to run the launcher with arguments "
                       "of someone else's (a script whose interpreter is the launcher?)")):
        kind = os.path.basename(fake)
        root = w.variant(f"swap-{kind}", interpreted)
        neighbour = Detached(f"swapper-{kind}", mounts=[bind(root, "/x")])
        name = f"ol-swap-{kind}-{os.getpid()}"
        log = w.path(f"{name}.log")
        try:
            b = make_bundle(f"swap-{kind}", BASIC, ["mkreg", "/tmp/ran"], rootfs=root)
            injected(b)
            create(b, name, log)
            swap_dev(neighbour, fake)
            _, out = start_and_wait(name, log)
        finally:
            subprocess.run(["runc", "delete", "-f", name], capture_output=True)
            neighbour.close()
        if out != KILLED + why + SWAPPED + "\n":
            raise AssertionError(f"{kind}: the container's output: {out!r}")
        never_ran(root, "tmp/ran")


@test
def test_podman_neighbour_swaps_dev_after_the_gate():
    # A createRuntime hook sorted after the gate moves /dev in the host's
    # view of the --rootfs directory, as a neighbour that shares it would.
    w = world()
    root = w.variant("podman-swap", with_fake)
    hooks = w.make_hooks("hooks-dev-swap", ["precreate", "gate"])
    script = w.path("dev-swapper.sh")
    with open(script, "w") as f:
        f.write(f"#!/bin/sh\ncat >/dev/null\nmv {root}/dev {root}/dev.moved && "
                f"mkdir {root}/dev && ln -s /dev.moved/null {root}/dev/null && "
                f"cp {root}/bin/fake {root}{LAUNCHER_IN_CONTAINER}\n")
    os.chmod(script, 0o755)
    with open(os.path.join(hooks, "zz-neighbour.json"), "w") as f:
        json.dump({"version": "1.0.0", "hook": {"path": script}, "when": {"always": True},
                   "stages": ["createRuntime"]}, f)
    proc = subprocess.run(
        w.podman_base() + ["--runtime", "runc", "--hooks-dir", hooks, "run", "--rm",
                           "--network", "none", "--ulimit", "nofile=1024:1024", "--ulimit",
                           "nproc=4096:4096"] + annotate(BASIC, csv=True)
        + ["--rootfs", root, "/bin/probe", "mkreg", "/tmp/ran"],
        capture_output=True, text=True, timeout=120)
    want = KILLED + "it was about to execute '/bin/busybox' as the launcher" + SWAPPED
    if proc.returncode != 137 or want not in proc.stdout + proc.stderr:
        raise AssertionError(f"podman: {proc.returncode}\n{proc.stdout}{proc.stderr}")
    never_ran(root, "tmp/ran")


SESSION = """set -e
umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup
crun --cgroup-manager=disabled run -d -b {bundle} {name} </dev/null >{log} 2>&1
trap 'crun --cgroup-manager=disabled delete -f {name}' EXIT
set +e
{shim} --cgroup-manager=disabled exec {name} /bin/probe mkreg /tmp/ran
echo "status $?"
"""


@test
def test_exec_session_with_proc_moved_before_the_runtime_s_exec():
    # The shim's look at /proc passes; a wrapper around the runtime then
    # moves /proc, as a neighbour that wins the race would, and plants the
    # fake where /proc/self/fd/N led.
    need("crun")
    w = world()
    root = w.variant("proc-swap", with_fake)
    wrapper = w.path("crun-then-swap")
    with open(wrapper, "w") as f:
        # What crun opens in /proc on the way, as empty files.
        f.write("#!/bin/sh\nfor a in \"$@\"; do [ \"$a\" = exec ] || continue\n"
                f"  cd {root} && mv proc proc.moved && mkdir -p proc/self/fd proc/self/attr &&\n"
                "  for n in 3 4 5 6; do cp bin/fake proc/self/fd/$n; done &&\n"
                "  for f in setgroups uid_map gid_map oom_score_adj status loginuid cgroup \\\n"
                "      mountinfo environ cmdline attr/exec; do : > proc/self/$f; done\n"
                "done\nexec crun \"$@\"\n")
    os.chmod(wrapper, 0o755)
    settings = w.path("settings-proc-swap.json")
    s = json.load(open(w.settings))
    s["runtime"] = wrapper
    json.dump(s, open(settings, "w"))
    b = make_bundle("proc-swap", BASIC, [], rootfs=root, command=("/bin/busybox", "sleep", "300"))
    injected(b)
    name = f"ol-proc-swap-{os.getpid()}"
    script = SESSION.format(bundle=b, name=name, log=w.path(f"{name}.log"), shim=SHIM)
    proc = subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True, text=True,
                          env=dict(os.environ, OCI_LANDLOCK_CONFIG=settings), timeout=120)
    want = KILLED + "it was about to execute '/bin/busybox' as the launcher" + SWAPPED + "\n"
    if proc.stdout.splitlines()[-1:] != ["status 137"] or want not in proc.stderr:
        raise AssertionError(f"the session: {proc.stdout}{proc.stderr}")
    never_ran(root, "tmp/ran")


@test
def test_the_guard_s_life():
    need("runc")
    w = world()
    name = f"ol-guard-life-{os.getpid()}"
    log = w.path(f"{name}.log")
    b = make_bundle("guard-life", BASIC, [], command=("/bin/busybox", "sleep", "300"))
    injected(b)
    try:
        create(b, name, log)
        pid = state(name)["pid"]
        guard = tracer_of(pid)
        if not guard or "oci-landlock" not in os.readlink(f"/proc/{guard}/exe"):
            raise AssertionError(f"the container's process is traced by {guard}")
        subprocess.run(["runc", "start", name], check=True, timeout=60)
        for _ in range(100):
            if not os.path.exists(f"/proc/{guard}"):
                break
            time.sleep(0.05)
        if os.path.exists(f"/proc/{guard}") or tracer_of(pid) != 0:
            raise AssertionError("the guard is still there after the launcher ran")
        if state(name)["status"] != "running":
            raise AssertionError(f"the workload: {state(name)}")
    finally:
        subprocess.run(["runc", "delete", "-f", name], capture_output=True)
    # Killed before the start, it takes the container's process along.
    name = f"ol-guard-killed-{os.getpid()}"
    b = make_bundle("guard-killed", BASIC, ["mkreg", "/tmp/guard-killed"])
    injected(b)
    try:
        create(b, name, w.path(f"{name}.log"))
        pid = state(name)["pid"]
        os.kill(tracer_of(pid), 9)
        for _ in range(100):
            if not os.path.exists(f"/proc/{pid}") or \
                    open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()[0] == "Z":
                break
            time.sleep(0.05)
        else:
            raise AssertionError("the container's process outlived its guard")
        subprocess.run(["runc", "start", name], capture_output=True, timeout=60)
    finally:
        subprocess.run(["runc", "delete", "-f", name], capture_output=True)
    never_ran(w.rootfs, "tmp/guard-killed")
    # No annotation, no guard.
    name = f"ol-unguarded-{os.getpid()}"
    b = make_bundle("unguarded", {}, [], command=("/bin/busybox", "sleep", "300"))
    injected(b)
    spec = json.load(open(os.path.join(b, "config.json")))
    spec["hooks"] = {"createRuntime": [{"path": CLI,
                                        "args": ["oci-landlock", "hook", "createRuntime"],
                                        "env": [f"OCI_LANDLOCK_CONFIG={w.settings}"]}]}
    json.dump(spec, open(os.path.join(b, "config.json"), "w"))
    try:
        create(b, name, w.path(f"{name}.log"))
        if tracer_of(state(name)["pid"]) != 0:
            raise AssertionError("a container without annotations is traced")
    finally:
        subprocess.run(["runc", "delete", "-f", name], capture_output=True)


if __name__ == "__main__":
    run()
