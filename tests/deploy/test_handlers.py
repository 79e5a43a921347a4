#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Kubernetes installer's runtime handlers and custom profiles: a
wrapper and settings for each handler of HANDLERS, the profiles of the
ConfigMap (CUSTOM_PROFILES) installed, replaced by a rename when edited,
removed when gone, followed by the idle container, and refused where
they would take a curated profile's name; uninstall leaves nothing.
Needs the `file` command (for the staged context).
"""
import json
import os
import shutil
import subprocess
import time

from installer import (PREFIX, PROFILES, TMP, fails, new_root, ok, sh, snapshot, source,
                       wrapper)
from tap import run, test


@test
def test_handlers_and_custom_profiles():
    root = new_root("handlers")
    custom = new_root("custom", [("app.json", '{"ruleset":[{"scoped":["signal"]}]}'),
                                 ("old.json", '{"ruleset":[{"scoped":["signal"]}]}')])
    env = {"HANDLERS": "landlock landlock-baseline:default=baseline landlock-strict:require",
           "CUSTOM_PROFILES": custom}

    def again():
        return sh("sh", os.path.join(source(), "install.sh"),
                  env=dict({"DESTDIR": root, "PREFIX": PREFIX, "SRC": source()}, **env))
    ok(again())
    etc = os.path.join(root, PREFIX[1:], "etc")
    for name, settings in (("landlock-baseline", {"default": "baseline"}),
                           ("landlock-strict", {"require": True})):
        got = json.load(open(os.path.join(etc, f"{name}.json")))
        if {k: got[k] for k in settings} != settings or \
                open(os.path.join(root, PREFIX[1:], "bin",
                                  f"oci-landlock-runtime-wrapper-{name}")).read() != \
                wrapper(PREFIX, name, f"{name}.json"):
            raise AssertionError(f"{name}: {got}")
    # The ConfigMap changes: a profile edited, one added, one gone.
    ino = {p: os.stat(os.path.join(etc, "profiles", p)).st_ino for p in ("baseline.json",
                                                                          "app.json")}
    with open(os.path.join(custom, "web.json"), "w") as f:
        f.write('{"ruleset":[{"scoped":["abstract_unix_socket"]}]}')
    with open(os.path.join(custom, "app.json"), "w") as f:
        f.write('{"ruleset":[{"scoped":["abstract_unix_socket"]}]}')
    os.unlink(os.path.join(custom, "old.json"))
    ok(again())
    if sorted(os.listdir(os.path.join(etc, "profiles"))) != \
            sorted(PROFILES + ["app.json", "web.json"]):
        raise AssertionError(os.listdir(os.path.join(etc, "profiles")))
    if os.stat(os.path.join(etc, "profiles", "baseline.json")).st_ino != ino["baseline.json"]:
        raise AssertionError("an unchanged file was written again")
    # The edited one is a new file, renamed into place, with the new text.
    if os.stat(os.path.join(etc, "profiles", "app.json")).st_ino == ino["app.json"] or \
            "abstract_unix_socket" not in open(os.path.join(etc, "profiles", "app.json")).read():
        raise AssertionError("the edited profile was not replaced by a rename")
    # A key renamed: the old name is gone, not kept by a pattern match
    # (web.v1 would match web-v1 as a regular expression).
    os.rename(os.path.join(custom, "web.json"), os.path.join(custom, "web.v1.json"))
    ok(again())
    os.rename(os.path.join(custom, "web.v1.json"), os.path.join(custom, "web-v1.json"))
    ok(again())
    if sorted(os.listdir(os.path.join(etc, "profiles"))) != \
            sorted(PROFILES + ["app.json", "web-v1.json"]):
        raise AssertionError(os.listdir(os.path.join(etc, "profiles")))
    # The DaemonSet's idle container follows the ConfigMap.
    idle = subprocess.Popen(["sh", os.path.join(source(), "install.sh"), "idle"],
                            env=dict(os.environ, DESTDIR=root, PREFIX=PREFIX, SRC=source(),
                                     SYNC="1", **env), stdout=subprocess.DEVNULL)
    try:
        with open(os.path.join(custom, "late.json"), "w") as f:
            f.write('{"ruleset":[{"scoped":["signal"]}]}')
        for _ in range(100):
            if os.path.exists(os.path.join(etc, "profiles", "late.json")):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("idle did not install the ConfigMap's new profile")
    finally:
        idle.terminate()
        idle.wait()
    # A custom profile may not take a curated one's name; options are known.
    with open(os.path.join(custom, "baseline.json"), "w") as f:
        f.write("{}")
    fails(again(), "oci-landlock-install: custom profile 'baseline' has the name of a "
                   "curated one\nHint: name it otherwise: the curated profiles are the "
                   "project's\n")
    os.unlink(os.path.join(custom, "baseline.json"))
    env["HANDLERS"] = "landlock:default=nope"
    fails(again(), "oci-landlock-install: handler 'landlock': no profile 'nope' to make its "
                   "default\n")
    env["HANDLERS"] = "landlock config:require"
    fails(again(), "oci-landlock-install: handler 'config': the name is taken by the settings "
                   "of 'landlock'\n")
    env["HANDLERS"] = "Landlock"
    fails(again(), "oci-landlock-install: handler 'Landlock': a handler is a DNS label "
                   "(a-z, 0-9, '-')\n")
    env["HANDLERS"] = "landlock"
    ok(sh("sh", os.path.join(source(), "install.sh"), "uninstall",
          env={"DESTDIR": root, "PREFIX": PREFIX, "SRC": source()}))
    if os.listdir(root):
        raise AssertionError(f"uninstall left {sorted(snapshot(root))}")


if __name__ == "__main__":
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
