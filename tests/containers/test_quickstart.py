#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""docs/quickstart.md's "crun or runc, by hand", followed literally: the
commands are taken from the page and run in a temporary directory, with
runc and with crun (the alternative the page names), and the output must
be the one the page shows: the write to /tmp allowed, the one to /etc
denied by Landlock.

What the page assumes of an installed host is given here: `oci-landlock`
in PATH is this build's, and its settings name this build's launcher.
crun 1.8 refuses this host's hybrid cgroups: it runs in a mount namespace
with a pure cgroup2 mount and without a cgroup manager (TESTING.md).

Needs root, runc, crun, jq and unshare.
"""
import os
import shutil
import subprocess
import tempfile

from engines import CLI, SRCDIR, need, settings_file
from tap import run, test

SECTION = "## crun or runc, by hand"


def section():
    """The section's indented code blocks (in its list items: 7 spaces)."""
    with open(os.path.join(SRCDIR, "docs", "quickstart.md")) as f:
        text = f.read()
    part = text[text.index(SECTION):]
    part = part[:part.index("\n## ")]
    blocks, current = [], []
    for line in part.splitlines():
        if line.startswith(" " * 7):
            current.append(line[7:])
        elif line.strip() or not current:
            if current:
                blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    if len(blocks) != 3:
        raise AssertionError(f"want 3 code blocks (bundle, run, output), got {blocks}")
    return blocks


def follow(runtime):
    bundle_cmds, run_cmds, output = section()
    run_line = run_cmds[-1]
    if not run_line.startswith("runc run demo") or "crun run demo" not in run_line:
        raise AssertionError(f"the page's run line changed: {run_line!r}")
    name = f"ol-quickstart-{runtime}-{os.getpid()}"
    top = tempfile.mkdtemp(prefix="ol-quickstart-")
    try:
        bin_dir = os.path.join(top, "bin")
        os.mkdir(bin_dir)
        os.symlink(CLI, os.path.join(bin_dir, "oci-landlock"))
        if runtime == "crun":
            with open(os.path.join(bin_dir, "crun"), "w") as f:
                f.write(f'#!/bin/sh\nexec {shutil.which("crun")} --cgroup-manager=disabled "$@"\n')
            os.chmod(os.path.join(bin_dir, "crun"), 0o755)
        run_cmd = f"{runtime} run {name}"
        script = "\n".join(bundle_cmds + run_cmds[:-1] + [run_cmd]) + "\n"
        env = dict(os.environ, PATH=bin_dir + ":" + os.environ["PATH"],
                   OCI_LANDLOCK_CONFIG=settings_file(f"quickstart-{runtime}"))
        cmd = ["sh", "-c", script]
        if runtime == "crun":
            cmd = ["unshare", "-m", "sh", "-c", "umount -R /sys/fs/cgroup && mount -t cgroup2 "
                   'none /sys/fs/cgroup && exec "$@"', "sh"] + cmd
        proc = subprocess.run(cmd, cwd=top, env=env, capture_output=True, text=True,
                              timeout=120)
        subprocess.run([runtime, "delete", "-f", name], capture_output=True)
        # The workload's lines, as the page shows them, in its order.
        got = proc.stdout.splitlines() + proc.stderr.splitlines()
        if output[0] not in proc.stdout.splitlines() or output[1] not in got:
            raise AssertionError(f"want {output}, got status {proc.returncode}\n"
                                 f"stdout:\n{proc.stdout}stderr:\n{proc.stderr}")
        root = os.path.join(top, "demo", "rootfs")
        with open(os.path.join(root, "tmp", "ok")) as f:
            if f.read() != "hi\n":
                raise AssertionError("/tmp/ok does not hold what the workload wrote")
        if os.path.exists(os.path.join(root, "etc", "nope")):
            raise AssertionError("/etc/nope was written")
        # The gate is in: the launcher ran, not the command alone.
        with open(os.path.join(top, "demo", "config.json")) as f:
            if "oci-landlock-exec" not in f.read():
                raise AssertionError("inject did not put the launcher in front")
    finally:
        shutil.rmtree(top, ignore_errors=True)


@test
def test_quickstart_with_runc():
    need("runc", "jq")
    follow("runc")


@test
def test_quickstart_with_crun():
    need("crun", "jq", "unshare")
    follow("crun")


if __name__ == "__main__":
    run()
