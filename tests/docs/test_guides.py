#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The guides' examples against what is installed: every profile a page
names (manual pages, docs/, the READMEs, the Kubernetes examples) is one
`meson install` installs, and docs/install.md lists exactly the files
meson installs, with removal commands that remove all of them and
nothing else."""
import glob
import json
import os
import re
import shutil
import subprocess
import tempfile

from tap import Skip, run, test

SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])
BUILDDIR = os.environ.get("OL_BUILDDIR", "")
PLACEHOLDERS = {"NAME"}
# How a page names a profile: the annotation (pod-wide or per container),
# the settings' "default", and the messages' "profile 'NAME'".
PROFILE_RE = [r"oci\.landlock\.profile(?:/[\w-]+)?\*?\s*[=:]\s*\*?([\w.-]+)",
              r'"default":\s*"([\w.-]+)"',
              r"profile '([\w.-]+)'"]


def read(path):
    with open(path) as f:
        return f.read()


def pages():
    pats = ["docs/*.md", "docs/man/*.scd", "README.md", "examples/*/README.md",
            "examples/kubernetes/*.yaml"]
    return sorted(p for pat in pats for p in glob.glob(os.path.join(SRCDIR, pat)))


def installed_profiles():
    """The profiles cli/meson.build installs (and that examples/profiles has)."""
    text = read(os.path.join(SRCDIR, "cli", "meson.build"))
    names = set(re.findall(r"'examples' / 'profiles' / '([\w-]+)\.json'", text))
    on_disk = {os.path.basename(p)[:-5]
               for p in glob.glob(os.path.join(SRCDIR, "examples", "profiles", "*.json"))}
    if len(names) < 3 or not names <= on_disk:
        raise AssertionError(f"installed {sorted(names)}, in examples/profiles {sorted(on_disk)}")
    return names


@test
def test_every_profile_a_page_names_is_installed():
    installed = installed_profiles()
    named = {}
    for page in pages():
        for pattern in PROFILE_RE:
            for name in re.findall(pattern, read(page)):
                if name not in PLACEHOLDERS and not name.startswith("$"):
                    named.setdefault(name, set()).add(os.path.relpath(page, SRCDIR))
    if "static-web-server" not in named or "baseline" not in named:
        raise AssertionError(f"the patterns found too little: {named}")
    missing = {n: sorted(p) for n, p in named.items() if n not in installed}
    if missing:
        raise AssertionError(f"profiles named but not installed: {missing}")


def install_doc_commands():
    """The hand removal of docs/install.md: its shell lines after 'cd /usr/local'."""
    text = read(os.path.join(SRCDIR, "docs", "install.md"))
    lines = text[text.index("       cd /usr/local\n"):].splitlines()
    block = []
    for line in lines:
        if not line.startswith("       "):
            break
        block.append(line[7:])
    return "\n".join(block) + "\n"


def removed_by_doc():
    """The files the doc's rm -f names, relative to the prefix."""
    shell = install_doc_commands().replace("\\\n", " ")
    rm = next(line for line in shell.splitlines() if line.startswith("rm -f "))
    return set(rm.split()[2:])


def meson_installs():
    """What meson installs from the build, relative to the prefix, as with
    the default prefix and directories."""
    if not BUILDDIR or not shutil.which("meson"):
        raise Skip("needs meson and the build directory")
    out = subprocess.run(["meson", "introspect", BUILDDIR, "--installed"], check=True,
                         capture_output=True, text=True).stdout
    options = json.loads(subprocess.run(["meson", "introspect", BUILDDIR, "--buildoptions"],
                                        check=True, capture_output=True, text=True).stdout)
    o = {x["name"]: x["value"] for x in options}
    prefix = o["prefix"]
    etc = os.path.join(prefix, o["sysconfdir"])
    files = set()
    for dest in json.loads(out).values():
        if dest.startswith(etc + "/"):
            files.add("etc/" + os.path.relpath(dest, etc))
        else:
            files.add(os.path.relpath(dest, prefix))
    return files


@test
def test_install_doc_lists_what_meson_installs():
    doc = removed_by_doc()
    meson = meson_installs()
    # Without scdoc no manual page is built: the doc says so.
    if not any(f.startswith("share/man/") for f in meson):
        doc = {f for f in doc if not f.startswith("share/man/")}
    if doc != meson:
        raise AssertionError(f"only in docs/install.md: {sorted(doc - meson)}\n"
                             f"only in meson's install: {sorted(meson - doc)}")


@test
def test_install_doc_removal_leaves_nothing_else_behind():
    files = removed_by_doc()
    top = tempfile.mkdtemp(prefix="ol-uninstall-")
    try:
        prefix = os.path.join(top, "usr", "local")
        for f in files:
            path = os.path.join(prefix, f)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            if f.endswith("completions/oci-landlock-exec"):
                os.symlink("oci-landlock", path)
            else:
                with open(path, "w") as out:
                    out.write("x\n")
        # What was there before: another package's page and completion.
        for f in ("share/man/man1/other.1", "share/bash-completion/completions/other"):
            with open(os.path.join(prefix, f), "w") as out:
                out.write("x\n")
        script = install_doc_commands().replace("cd /usr/local", f"cd {prefix}")
        proc = subprocess.run(["sh", "-ec", script], capture_output=True, text=True)
        left = sorted(os.path.relpath(os.path.join(d, n), prefix)
                      for d, dirs, names in os.walk(prefix) for n in names + dirs)
        want = ["bin", "etc", "libexec", "share", "share/bash-completion",
                "share/bash-completion/completions", "share/bash-completion/completions/other",
                "share/man", "share/man/man1", "share/man/man1/other.1", "share/man/man5"]
        if proc.returncode or sorted(left) != sorted(want):
            raise AssertionError(f"status {proc.returncode} {proc.stderr}\nleft: {left}")
    finally:
        shutil.rmtree(top, ignore_errors=True)


run()
