#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`oci-landlock denials`: a real podman container is denied a file, a
write, a file creation and a TCP port with auditing on; the command finds the denials
in the kernel log, places them in the container by its id, and suggests
the annotation that would allow each.  Also the same records read from a
saved log (--log), where the process is gone.

Needs root, auditctl (auditd), Landlock ABI 7, podman and runc.
"""
import os
import re
import subprocess
import time

from auditing import Auditing
from engines import CLI, annotate, need, world
from tap import Skip, run, test


def kernel_abi():
    import ctypes
    return max(0, ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))


def denials(*args):
    return subprocess.run([CLI, "denials"] + list(args), capture_output=True, text=True,
                          timeout=60)


@test
def test_denials_of_a_running_container():
    need("podman", "runc")
    if kernel_abi() < 7:
        raise Skip("audit records need Landlock ABI 7")
    w = world()
    image = w.podman_image()
    name = f"ol-denials-{os.getpid()}"
    audit = Auditing()
    ann = {"oci.landlock.fs.rx": "/", "oci.landlock.fs.rw": "/tmp",
           "oci.landlock.net.connect": "443"}
    script = ("/bin/probe write /etc/data mkreg /etc/new connect 8080 write /etc/data; "
              "exec /bin/busybox sleep 120")
    try:
        proc = subprocess.run(
            w.podman_base() + ["--runtime", "runc", "--hooks-dir", w.hooks, "run", "-d",
                               "--name", name, "--network", "none", "--ulimit",
                               "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
            + annotate(ann, csv=True) + [image, "/bin/sh", "-c", script],
            capture_output=True, text=True, timeout=120)
        if proc.returncode:
            raise AssertionError(proc.stderr)
        cid = proc.stdout.strip()
        want = [f"container {cid[:12]} (pid ",
                "  fs.write_file /etc/data (2 times): allow with oci.landlock.fs.rw=/etc/data",
                "  fs.make_reg /etc: allow with oci.landlock.fs.rw=/etc",
                "  net.connect_tcp port 8080: allow with oci.landlock.net.connect=8080"]
        for _ in range(50):
            out = denials(cid[:12])
            lines = out.stdout.splitlines()
            if len(lines) == 4:
                break
            time.sleep(0.1)
        if out.returncode or len(lines) != 4 or not lines[0].startswith(want[0]) \
                or lines[1:] != want[1:]:
            raise AssertionError(f"{out.returncode}\n{out.stdout}{out.stderr}")
        pid = re.match(r"container \w+ \(pid (\d+),", lines[0]).group(1)
        # The pid is the container's workload, in the host's pid namespace.
        with open(f"/proc/{pid}/cmdline") as f:
            if not f.read().startswith("/bin/busybox\0sleep"):
                raise AssertionError(f"pid {pid} is not the workload")
        # Another container's id shows nothing.
        other = denials("0123456789ab")
        if other.stdout.splitlines()[0] != (
                "no Landlock denials in /dev/kmsg for these containers"):
            raise AssertionError(other.stdout)
    finally:
        audit.close()
        subprocess.run(w.podman_base() + ["rm", "-f", "-t", "0", name], capture_output=True)


@test
def test_denials_from_a_saved_log():
    w = world()
    log = w.path("saved-audit.log")
    with open(log, "w") as f:
        f.write('type=UNKNOWN[1423] msg=audit(1.0:1): domain=1aa blockers=fs.execute '
                'path="/opt/tool" dev="vda" ino=1\n'
                'type=UNKNOWN[1424] msg=audit(1.0:1): domain=1aa status=allocated '
                'mode=enforcing pid=999999999 uid=0 exe="/dev/oci-landlock-exec"\n'
                'type=SYSCALL msg=audit(1.0:1): arch=c000003e syscall=59\n'
                'type=UNKNOWN[1423] msg=audit(1.0:2): domain=1aa '
                'blockers=net.bind_tcp saddr=0.0.0.0 src=80\n')
    out = denials("--log", log)
    want = ("pid 999999999 (not in a container, or exited; domain 1aa)\n"
            "  fs.execute /opt/tool: allow with oci.landlock.fs.rx=/opt/tool\n"
            "  net.bind_tcp port 80: allow with oci.landlock.net.bind=80\n")
    if out.returncode or out.stdout != want:
        raise AssertionError(f"{out.returncode}\n{out.stdout}{out.stderr}")
    empty = w.path("empty.log")
    open(empty, "w").close()
    out = denials("--log", empty)
    if out.stdout.splitlines()[0] != f"no Landlock denials in {empty}":
        raise AssertionError(out.stdout)
    out = denials("--log", w.path("missing.log"))
    if out.returncode != 1 or out.stderr != (
            f"oci-landlock: cannot read '{w.path('missing.log')}': No such file or "
            "directory\n"):
        raise AssertionError(out.stderr)


if __name__ == "__main__":
    run()
