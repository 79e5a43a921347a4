#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Rule paths follow no symbolic link but the merged-/usr aliases.

A rule lands on the inode its path leads to when the launcher opens it.
Each case lays out a tree with a symbolic link where an image or a
workload could put one, and asserts that the rule through it is skipped
with the exact warning and that what it would have granted stays denied.
The merged-/usr cases run in a chroot whose /bin, /lib ... are links into
/usr, as on Debian, Ubuntu and Fedora.

Needs: Landlock, root for the chroot cases.
"""
import json
import os
import shutil
import subprocess
import tempfile

from launch import LAUNCHER, PROBE, Tree, expect, launch, main, need_root
from tap import test

PREFIX = "oci-landlock-exec: warning: --fs/--net/--scope options: "


def skipped(rule, link, target):
    return (f"{PREFIX}rule for '{rule}' skipped: '{link}' is a symbolic link "
            f"(to '{target}'), and rules follow none (write the path it leads to)\n")


def check_stderr(proc, want):
    if proc.stderr != want:
        raise AssertionError(f"stderr:\n{proc.stderr!r}\nwant:\n{want!r}")


@test
def test_final_link_to_root():
    # The image's /tmp -> /: fs.rw=/tmp must not become rw on "/".
    t = Tree()
    try:
        os.symlink("/", t.a("tmp"))
        # Through the link, d/new is <tmp>/<the tree>/d/new.
        through = t.a("tmp") + t.d("new")
        proc = launch(["--fs-rx", PROBE, "--fs-rw", t.a("tmp")],
                      ["write", t.d("f"), "read", "/etc/hostname", "mkreg", through])
        expect(proc, ["EACCES", "EACCES", "EACCES"])
        check_stderr(proc, skipped(t.a("tmp"), t.a("tmp"), "/"))
    finally:
        t.close()


@test
def test_link_in_the_middle():
    # A planted /tmp/bin -> / reached through a real directory.
    t = Tree()
    try:
        os.symlink(t.d(), t.a("bin"))
        rule = t.a("bin") + "/sub"
        proc = launch(["--fs-rx", PROBE + ":" + rule], ["exec", t.d("prog"),
                                                        "readdir", t.d("sub")])
        expect(proc, ["EACCES", "EACCES"])
        check_stderr(proc, skipped(rule, t.a("bin"), t.d()))
    finally:
        t.close()


@test
def test_relative_link():
    # A relative rule path through a link (the launcher's own command line).
    t = Tree()
    try:
        os.symlink("d", t.path("ln"))
        proc = subprocess.run([LAUNCHER, "--fs-rx", PROBE, "--fs-ro", "ln", "--", PROBE,
                               "read", t.d("f")], cwd=t.root, capture_output=True,
                              text=True, timeout=60)
        expect(proc, ["EACCES"])
        check_stderr(proc, skipped("ln", "ln", "d"))
    finally:
        t.close()


@test
def test_real_directories_still_work():
    # The same tree without links: the rules apply as before.
    t = Tree()
    try:
        proc = launch(["--fs-rx", PROBE, "--fs-rw", t.a() + "/"],
                      ["write", t.a("f"), "write", t.d("f")])
        expect(proc, ["OK", "EACCES"])
        check_stderr(proc, "")
    finally:
        t.close()


@test
def test_dotdot_is_refused():
    proc = launch(["--fs-rx", PROBE + ":/tmp/../etc"], ["read", "/etc/hostname"])
    expect(proc, [], 126)
    want = ("oci-landlock-exec: invalid option '--fs-rx': '/tmp/../etc': a rule path cannot "
            "hold '..'\nHint: name the directory itself, such as /srv for /srv/app/..\n")
    check_stderr(proc, want)


@test
def test_policy_file_paths_are_absolute():
    # The working directory is the image's choice (and may be a link, which
    # the runtime followed): a policy file's "." would be wherever it led.
    t = Tree()
    try:
        path = t.path("policy.json")
        with open(path, "w") as f:
            f.write(json.dumps({"ruleset": [{"handledAccessFs": ["read_file"]}],
                                "pathBeneath": [{"allowedAccess": ["read_file"],
                                                 "parent": ["."]}]}))
        proc = subprocess.run([LAUNCHER, "--policy-file", path, "--", PROBE, "read", t.a("f")],
                              cwd=t.root, capture_output=True, text=True, timeout=60)
        expect(proc, [], 126)
        check_stderr(proc, f"oci-landlock-exec: invalid policy '--policy-file {path}': '.' is "
                     "not an absolute path\nHint: a policy file's paths are resolved from the "
                     "container's root: write them so, such as /srv\n")
    finally:
        t.close()


class MergedUsr:
    """A chroot laid out like Debian 12: /bin, /sbin, /lib, /lib64 are
    links into /usr.  The launcher and the probe live in /usr/bin."""

    def __init__(self):
        need_root()
        self.root = tempfile.mkdtemp(prefix="ol-usr-")
        for d in ("usr/bin", "usr/sbin", "usr/lib", "usr/lib64", "etc", "srv/data", "tmp"):
            os.makedirs(self.path(d))
        shutil.copy(LAUNCHER, self.path("usr/bin/oci-landlock-exec"))
        shutil.copy(PROBE, self.path("usr/bin/probe"))
        for name in ("lib/f", "etc/f", "srv/data/f", "usr/sbin/f"):
            with open(self.path("usr" if name.startswith("lib") else "", name), "w") as f:
                f.write("x\n")
        os.symlink("usr/bin", self.path("bin"))
        os.symlink("/usr/sbin", self.path("sbin"))
        os.symlink("usr/lib", self.path("lib"))

    def path(self, *parts):
        return os.path.join(self.root, *parts)

    def run(self, args, ops):
        cmd = ["chroot", self.root, "/bin/oci-landlock-exec"] + args + ["--", "/bin/probe"]
        return subprocess.run(cmd + ops, capture_output=True, text=True, timeout=60)

    def close(self):
        shutil.rmtree(self.root)


@test
def test_merged_usr_aliases():
    # /bin -> usr/bin, /sbin -> /usr/sbin and /lib -> usr/lib are read as
    # the /usr directories they name: the workload runs from /bin.
    c = MergedUsr()
    try:
        proc = c.run(["--fs-rx", "/bin:/lib", "--fs-ro", "/sbin"],
                     ["read", "/lib/f", "read", "/usr/lib/f", "read", "/sbin/f",
                      "write", "/sbin/f", "read", "/etc/f", "read", "/srv/data/f"])
        expect(proc, ["OK", "OK", "OK", "EACCES", "EACCES", "EACCES"])
        check_stderr(proc, "")
    finally:
        c.close()


@test
def test_alias_pointing_elsewhere():
    # /lib -> etc, /lib64 -> /, /sbin -> usr/bin: only "usr/NAME" is an
    # alias; anything else is a link like any other.
    c = MergedUsr()
    try:
        os.unlink(c.path("lib"))
        os.symlink("etc", c.path("lib"))
        os.symlink("/", c.path("lib64"))
        os.unlink(c.path("sbin"))
        os.symlink("usr/bin", c.path("sbin"))
        proc = c.run(["--fs-rx", "/bin", "--fs-ro", "/lib:/lib64:/sbin"],
                     ["read", "/etc/f", "read", "/srv/data/f", "read", "/usr/sbin/f",
                      "read", "/usr/lib/f"])
        expect(proc, ["EACCES", "EACCES", "EACCES", "EACCES"])
        check_stderr(proc, skipped("/lib", "/lib", "etc") + skipped("/lib64", "/lib64", "/")
                     + skipped("/sbin", "/sbin", "usr/bin"))
    finally:
        c.close()


@test
def test_no_alias_below_the_top():
    # /usr/bin itself a link, or /srv/bin -> usr/bin: not aliases.
    c = MergedUsr()
    try:
        os.symlink("/srv/data", c.path("usr/local"))
        os.symlink("data", c.path("srv/bin"))
        proc = c.run(["--fs-rx", "/bin", "--fs-ro", "/usr/local:/srv/bin"],
                     ["read", "/srv/data/f"])
        expect(proc, ["EACCES"])
        # Rules are sorted by path before they are opened.
        check_stderr(proc, skipped("/srv/bin", "/srv/bin", "data")
                     + skipped("/usr/local", "/usr/local", "/srv/data"))
    finally:
        c.close()


if __name__ == "__main__":
    main()
