#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The guides' walk-throughs, followed as written: the commands are taken
from the pages and run.

- docs/quickstart.md's "crun or runc, by hand", in a temporary directory,
  with runc and with crun (the alternative the page names): the output
  must be the one the page shows, the write to /tmp allowed, the one to
  /etc denied by Landlock.
- docs/learning.md's "Enforcing it with podman": after a recording under
  podman, the page's `learn` and `podman run` with the policy file
  mounted, and the page's inline-annotation variant: what the run did is
  allowed, anything else denied.

What the pages assume of an installed host is given here: `oci-landlock`
is this build's, its settings and hooks.d files name this build's
launcher, podman uses a private store.  crun 1.8 refuses this host's
hybrid cgroups: it runs in a mount namespace with a pure cgroup2 mount
and without a cgroup manager (TESTING.md).

Needs root, runc, crun, podman, jq and unshare.
"""
import os
import shutil
import subprocess
import tempfile

from engines import CLI, SRCDIR, expect, need, podman, settings_file, world
from tap import run, test

SECTION = "## crun or runc, by hand"


def code_blocks(page, heading, indent, count):
    """The indented code blocks of a page's section, as lists of lines."""
    with open(os.path.join(SRCDIR, "docs", page)) as f:
        text = f.read()
    part = text[text.index(heading):]
    part = part[:part.index("\n## ")]
    blocks, current = [], []
    for line in part.splitlines():
        if line.startswith(" " * indent):
            current.append(line[indent:])
        elif line.strip() or not current:
            if current:
                blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    if len(blocks) != count:
        raise AssertionError(f"{page}: want {count} code blocks in {heading!r}, got {blocks}")
    return blocks


def section():
    """The quick start's bundle, run and output blocks (in list items)."""
    return code_blocks("quickstart.md", SECTION, 7, 3)


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


# What the recorded run does, and what it never did.
LEARNED_OPS = ["read", "/etc/data", "mkreg", "/tmp/learned", "exec", "/bin/busybox"]
OTHER_OPS = ["write", "/etc/data", "mkreg", "/var/tmp/other"]


def podman_line():
    """`podman run --rm` as the pages write it, for this host (a private
    store, no network, limits within the hard ones, runc)."""
    return " ".join(world().podman_base() + [
        "--runtime", "runc", "run", "--rm", "--network", "none", "--ulimit",
        "nofile=1024:1024", "--ulimit", "nproc=4096:4096"])


def learning_page(text, learn_dir, whole=True):
    """A command of docs/learning.md with this run's programs and paths
    (whole: the page's full block, which says each of them)."""
    w = world()
    image = w.podman_image()
    for page, here in [("oci-landlock learn", f"{CLI} learn"), ("podman run --rm", podman_line()),
                       ("/usr/local/share/oci-landlock/hooks.d", w.hooks),
                       ("/srv/learn", learn_dir), ("/srv/policies", learn_dir + "-policies"),
                       ("localhost/app /app/run.sh",
                        " ".join([image, "/bin/probe"] + LEARNED_OPS + OTHER_OPS))]:
        if whole and page not in text:
            raise AssertionError(f"docs/learning.md no longer says {page!r}:\n{text}")
        text = text.replace(page, here)
    return text


@test
def test_learned_policy_enforced_with_podman():
    need("podman", "runc", "jq")
    w = world()
    learn_dir = w.path("walk-learn")
    os.mkdir(learn_dir)
    os.mkdir(learn_dir + "-policies")
    proc = podman({"oci.landlock.learn": "/rec/app.json"}, LEARNED_OPS,
                  volumes=[f"{learn_dir}:/rec"])
    expect(proc, ["OK", "OK", "OK"])
    enforce, inline = code_blocks("learning.md", "## Enforcing it with podman", 4, 2)
    want = ["OK", "OK", "OK", "EACCES", "EACCES"]
    proc = subprocess.run(["sh", "-ec", learning_page("\n".join(enforce), learn_dir)],
                          capture_output=True, text=True, timeout=120)
    expect(proc, want)
    # The same policy inline: the page's --annotation in the same command.
    run_line = learning_page("podman run --rm --hooks-dir /usr/local/share/oci-landlock/hooks.d "
                             "localhost/app /app/run.sh", learn_dir, whole=False)
    at = run_line.index(" " + w.podman_image())
    cmd = run_line[:at] + " " + learning_page(inline[0], learn_dir, whole=False) + run_line[at:]
    proc = subprocess.run(["sh", "-ec", cmd], capture_output=True, text=True, timeout=120)
    expect(proc, want)


if __name__ == "__main__":
    run()
