#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The gate looks at the mounts the runtime made, not only at config.json.

The attacks of the second security review on the container's layout, in
real containers:
  - an image symbolic link that makes the runtime mount a volume (a
    directory, a host tmpfs) over /dev, where the launcher's mount point
    would then lie;
  - an image link that puts the host's /proc (a node agent's volume) over
    /proc;
  - a /dev "tmpfs" entry with bind options (the runtime binds its source);
  - a root directory that others may write;
  - a workload given CAP_SYS_ADMIN in a sandbox that handles no
    file-system right, spelled as crun reads capability names;
  - a container joining another's PID namespace: vm.memfd_noexec is that
    namespace's, and stays as it was;
  - and no false alarm: the workload's own mount namespace does not stop
    the next exec session.
Each asserts the refusal and its message, and that nothing of the
workload ran.  What a neighbour does later is containers.guard's.

Needs root, runc, crun and podman.
"""
import json
import os
import subprocess
import time

from engines import (Detached, bind, crun, expect, inject, injected, make_bundle,
                     need, never_ran, podman, podman_detached, podman_exec, podman_rm, refused,
                     runc, runc_refused, shim_base, world)
from tap import run, test

BASIC = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
SWAPPED = "the launcher could be swapped: "


# ---- what the runtime mounts at /dev ---------------------------------------------

def data_is_dev(root):
    os.symlink("dev", os.path.join(root, "data"))


@test
def test_image_link_puts_a_volume_over_dev():
    # The image's /data -> dev, a volume at /data: the runtime follows the
    # link and mounts the volume over the container's /dev, so the
    # launcher's mount point would lie in a directory others share.  A
    # directory, and a tmpfs of the host's (as /dev/shm is): a tmpfs, but
    # not the one made for this container.
    w = world()
    root = w.variant("data-is-dev", data_is_dev)
    for kind in ("directory", "tmpfs"):
        shared = w.path(f"shared-dev-{kind}")
        os.mkdir(shared)
        if kind == "tmpfs":
            subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "ol-test", shared],
                           check=True)
        try:
            runc_refused(f"volume-on-dev-{kind}", root,
                         SWAPPED + "the container's /dev is not the tmpfs made for it, "
                         f"mounted on its root ({'tmpfs' if kind == 'tmpfs' else ''}",
                         mounts=[bind(shared, "/data")])
        finally:
            if kind == "tmpfs":
                subprocess.run(["umount", shared], check=True)


def host_is_root(root):
    os.symlink("/", os.path.join(root, "host"))


@test
def test_image_link_puts_the_host_s_proc_over_proc():
    # A node agent's usual volume, -v /proc:/host/proc:ro, in an image
    # whose /host -> /: the runtime mounts the host's /proc over the
    # container's, which exec sessions run the launcher through.
    runc_refused("host-proc", world().variant("host-is-root", host_is_root),
                 SWAPPED + "the container's /proc is not the procfs made for it, mounted on "
                 "its root (proc)", mounts=[bind("/proc", "/host/proc", ro=True)])


def dev_entry_binds(b, source):
    """The /dev entry becomes a "tmpfs" with bind options: the runtime
    bind-mounts its source there."""
    config = os.path.join(b, "config.json")
    spec = json.load(open(config))
    for m in spec["mounts"]:
        if m["destination"] == "/dev":
            m["source"] = source
            m["options"] = ["rbind", "rw"]
    json.dump(spec, open(config, "w"))


@test
def test_dev_tmpfs_entry_with_bind_options():
    need("runc")
    w = world()
    shared = w.path("bound-dev")
    os.mkdir(shared)
    b = make_bundle("dev-binds", BASIC, ["mkreg", "/tmp/dev-binds"])
    dev_entry_binds(b, shared)
    p = inject(b)
    want = ("('/dev', type 'tmpfs') decides what is at /dev, and it is not a tmpfs of the "
            "container's own")
    if p.returncode != 1 or want not in p.stderr:
        raise AssertionError(f"inject: {p.returncode} {p.stderr}")
    # Injected first, edited after: the gate refuses it.
    b = make_bundle("dev-binds-late", BASIC, ["mkreg", "/tmp/dev-binds"])
    injected(b)
    dev_entry_binds(b, shared)
    proc = runc(b, f"ol-dev-binds-{os.getpid()}")
    refused(proc, "the launcher's mount at /dev/oci-landlock-exec is not on the container's "
                  "own /dev")
    never_ran(w.rootfs, "tmp/dev-binds")


def open_root(root):
    os.chmod(root, 0o777)


@test
def test_root_directory_others_may_write():
    runc_refused("root-0777", world().variant("root-0777", open_root),
                 SWAPPED + "the container's root directory may be written by others (owner "
                 "0, mode 0777): they could move its /dev and the launcher on it")


def own_namespace_children(pid):
    """The children of pid in a mount namespace other than its own."""
    mine = os.readlink(f"/proc/{pid}/ns/mnt")
    found = []
    for p in os.listdir("/proc"):
        try:
            stat = open(f"/proc/{p}/stat").read()
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid and \
                    os.readlink(f"/proc/{p}/ns/mnt") != mine:
                found.append(int(p))
        except (OSError, ValueError, IndexError):
            pass
    return found


@test
def test_exec_session_beside_the_workload_s_own_mount_namespace():
    # A service manager's private namespaces, a sandbox the workload makes
    # (here unshare(CLONE_NEWUSER | CLONE_NEWNS)): copies of the
    # container's mounts, inside the sandbox.  They are not neighbours: the
    # next exec session runs.
    name = f"ol-own-ns-{os.getpid()}"
    script = "/bin/probe unshare user-mnt sleep 300 & exec /bin/busybox sleep 300"
    podman_detached(name, BASIC, ["/bin/sh", "-c", script],
                    extra=["--security-opt", "seccomp=unconfined"])
    try:
        pid = int(subprocess.run(shim_base() + ["inspect", "--format", "{{.State.Pid}}", name],
                                 capture_output=True, text=True, check=True).stdout)
        for _ in range(100):
            if own_namespace_children(pid):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("the workload's own mount namespace never came")
        proc = podman_exec(name, ["write", "/etc/data", "mkreg", "/tmp/exec-ran"])
    finally:
        podman_rm(name)
    expect(proc, ["EACCES", "OK"])


# ---- mounting, and memfds ------------------------------------------------------------

MOUNTING = ("the container may mount (CAP_SYS_ADMIN) and its annotations handle no "
            "file-system right, so Landlock would not stop it from mounting over /proc and "
            "changing what exec sessions run")


@test
def test_may_mount_in_a_sandbox_without_file_system_rules():
    proc = podman({"oci.landlock.net.connect": "443"}, ["mkreg", "/tmp/x"],
                  extra=["--cap-add", "SYS_ADMIN"])
    refused(proc, MOUNTING)


@test
def test_crun_reads_a_lower_case_capability_name():
    # crun asks libcap, which reads "cap_sys_admin" (and "21") as
    # CAP_SYS_ADMIN: the container really gets it, so it is refused.
    need("crun")
    b = make_bundle("crun-caps", {}, ["-c", "grep CapEff /proc/self/status"],
                    command=("/bin/sh",))
    config = os.path.join(b, "config.json")
    spec = json.load(open(config))
    for kind in spec["process"]["capabilities"].values():
        kind[:] = ["cap_sys_admin"]
    json.dump(spec, open(config, "w"))
    proc = crun(b, f"ol-crun-caps-{os.getpid()}")
    if proc.returncode or proc.stdout.split() != ["CapEff:", f"{1 << 21:016x}"]:
        raise AssertionError(f"crun: {proc.returncode} {proc.stdout!r} {proc.stderr}")
    spec["annotations"] = {"oci.landlock.net.connect": "443"}
    json.dump(spec, open(config, "w"))
    p = inject(b)
    if p.returncode != 1 or MOUNTING not in p.stderr:
        raise AssertionError(f"inject: {p.returncode} {p.stderr}")


@test
def test_memfds_in_a_joined_pid_namespace():
    # The sysctl belongs to the PID namespace, which the neighbour shares
    # and which cannot lower it again: left as it is, memfds stay executable.
    # Its own root file system: a shared writable one is refused (above).
    neighbour = Detached("pid-owner", rootfs=world().variant("pid-owner", lambda root: None))
    try:
        before = neighbour.exec("/bin/busybox", "cat", "/proc/sys/vm/memfd_noexec")
        b = make_bundle("joins-pid", {"oci.landlock.fs.rx": "/bin"}, ["memfd-exec", "0"])
        config = os.path.join(b, "config.json")
        spec = json.load(open(config))
        for ns in spec["linux"]["namespaces"]:
            if ns["type"] == "pid":
                ns["path"] = f"/proc/{neighbour.pid}/ns/pid"
        json.dump(spec, open(config, "w"))
        injected(b)
        proc = runc(b, f"ol-joins-pid-{os.getpid()}")
        after = neighbour.exec("/bin/busybox", "cat", "/proc/sys/vm/memfd_noexec")
    finally:
        neighbour.close()
    if before.stdout != "0\n" or after.stdout != "0\n":
        raise AssertionError(f"the neighbour's vm.memfd_noexec: {before.stdout!r} before, "
                             f"{after.stdout!r} after")
    expect(proc, ["OK"])


if __name__ == "__main__":
    run()
