# SPDX-License-Identifier: Apache-2.0
"""What the installer tests share: the build's staged context, running
install.sh into a temporary root, and comparing trees (tests/deploy/)."""
import os
import shutil
import stat
import subprocess
import tempfile

import kube
from tap import Skip

CLI = os.path.abspath(os.environ["OL_CLI"])
BUILDDIR = os.path.abspath(os.environ["OL_BUILDDIR"])
STATIC_HOST = os.environ.get("OL_STATIC_HOST") == "1"
VERSION = os.environ["OL_VERSION"]
INSTALLER = kube.path("installer")
TMP = tempfile.mkdtemp(prefix="ol-install-")
PREFIX = "/opt/oci-landlock"
PROGRAMS = ["bin/oci-landlock-runtime", "bin/oci-landlock", "libexec/oci-landlock-exec"]
# The curated profiles `meson install` puts in the profile directory.
PROFILES = sorted(p for p in os.listdir(kube.PROFILES) if p.endswith(".json"))
_context = None


def sh(*args, env=None, **kw):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, **(env or {})), **kw)


def need_file():
    if not shutil.which("file"):
        raise Skip("`file` is not installed")


def context():
    """The image's build context, staged once from this build."""
    global _context
    if _context is None:
        need_file()
        out = os.path.join(TMP, "context")
        p = sh(os.path.join(INSTALLER, "context.sh"), BUILDDIR, out,
               env={"OL_ALLOW_DYNAMIC": "0" if STATIC_HOST else "1"})
        if p.returncode:
            raise AssertionError(f"context.sh: {p.returncode}\n{p.stdout}{p.stderr}")
        _context = out
    return _context


def source():
    return os.path.join(context(), "oci-landlock")


def install(root, *args, prefix=PREFIX, runtime="", src=None, action_env=None):
    env = {"DESTDIR": root, "PREFIX": prefix, "RUNTIME": runtime, "SRC": src or source()}
    if action_env:
        env["ACTION"] = action_env
    return sh("sh", os.path.join(source(), "install.sh"), *args, env=env)


def snapshot(root):
    """Every path under root with its type, mode and content."""
    tree = {}
    for d, dirs, files in os.walk(root):
        for name in dirs + files:
            p = os.path.join(d, name)
            st = os.lstat(p)
            rel = os.path.relpath(p, root)
            if stat.S_ISLNK(st.st_mode):
                tree[rel] = ("link", os.readlink(p))
            elif stat.S_ISDIR(st.st_mode):
                tree[rel] = ("dir", oct(st.st_mode & 0o7777))
            else:
                with open(p, "rb") as f:
                    tree[rel] = ("file", oct(st.st_mode & 0o7777), f.read())
    return tree


def ok(p, out=None):
    if p.returncode or (out is not None and p.stdout != out):
        raise AssertionError(f"status {p.returncode}, want output {out!r}\n"
                             f"stdout:\n{p.stdout}stderr:\n{p.stderr}")


def fails(p, stderr):
    if p.returncode != 1 or p.stderr != stderr:
        raise AssertionError(f"status {p.returncode}, want stderr {stderr!r}\n"
                             f"stdout:\n{p.stdout}stderr:\n{p.stderr}")


def new_root(name, files=()):
    root = os.path.join(TMP, name)
    os.mkdir(root)
    for rel, text in files:
        os.makedirs(os.path.dirname(os.path.join(root, rel)), exist_ok=True)
        with open(os.path.join(root, rel), "w") as f:
            f.write(text)
    return root


def wrapper(prefix, handler="landlock", settings="config.json"):
    return ("#!/bin/sh\n"
            f"# Written by oci-landlock-install: the binary of the runtime handler "
            f"\"{handler}\".\n"
            "# containerd and CRI-O pass the runtime no environment of ours, so this\n"
            "# names the handler's settings and runs the shim with the engine's "
            "arguments.\n"
            f"OCI_LANDLOCK_CONFIG={prefix}/etc/{settings}\n"
            "export OCI_LANDLOCK_CONFIG\n"
            f'exec {prefix}/bin/oci-landlock-runtime "$@"\n')
