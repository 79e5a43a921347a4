#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Keys its creator writes never leave a container that asks for Landlock
unconfined.

The attacks of the security review, in real containers:
  - a config pre-injected by its creator that also holds "ARGS" (Go reads
    the last of two keys that fold equal): the gate, inject and check
    refuse it, and runc never runs the unwrapped command;
  - io.kubernetes.cri.container-type=sandbox, forged under podman (hooks
    and shim), runc (inject) and ctr: the container is sandboxed anyway;
  - a KEY/NAME for a name close to the container's: a warning in the
    shim's log;
  - only the precreate hook, and the creator's own launcher mount with
    an entry point that runs the launcher in learning mode: precreate
    compares its options with the annotations and the launcher refuses.

Needs root, podman, runc and containerd.
"""
import json
import os
import subprocess

from engines import (CLI, LAUNCHER, LAUNCHER_IN_CONTAINER, crun, ctr, expect, inject,
                     injected, make_bundle, need, podman, refused, runc, world)
from tap import run, test

BASIC = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
FORGED = dict(BASIC, **{"io.kubernetes.cri.container-type": "sandbox",
                        "io.kubernetes.cri.sandbox-id": "some-other-container"})


def env():
    return dict(os.environ, OCI_LANDLOCK_CONFIG=world().settings)


@test
def test_folded_keys_in_a_pre_injected_config():
    # The creator injects the launcher properly, then adds "ARGS": runc
    # (Go) would run that, unwrapped, while we read "args".
    need("runc")
    w = world()
    marker = os.path.join(w.rootfs, "tmp", "keys-args")
    b = make_bundle("keys-args", BASIC, ["write", "/etc/data"])
    injected(b)
    config = os.path.join(b, "config.json")
    spec = json.load(open(config))
    spec["process"]["ARGS"] = ["/bin/probe", "mkreg", "/tmp/keys-args"]
    with open(config, "w") as f:
        json.dump(spec, f)
    why = 'config.json: process: keys "args" and "ARGS" are the same key to the runtime'
    # The gate inject added refuses it (runc quotes the hook's message).
    refused(runc(b, "ol-keys-args"), why.replace('"', '\\"'))
    for cmd in (["inject", b], ["check", config]):
        p = subprocess.run([CLI] + cmd, capture_output=True, text=True, env=env())
        refused(p, why)
    if os.path.exists(marker):
        raise AssertionError("the unwrapped command ran")


@test
def test_nul_in_a_key_under_crun():
    # crun's C reader stops at a NUL: "args\u0000\u00e9" is "args" to it,
    # an unknown key to Go and to us.  Injected properly first, then the
    # key added before "args": the gate inject added refuses it under crun.
    need("crun")
    w = world()
    marker = os.path.join(w.rootfs, "tmp", "keys-nul")
    b = make_bundle("keys-nul", BASIC, ["write", "/etc/data"])
    injected(b)
    config = os.path.join(b, "config.json")
    text = open(config).read().replace(
        '"args":', '"args\\u0000\u00e9": ["/bin/probe", "mkreg", "/tmp/keys-nul"], "args":', 1)
    with open(config, "w") as f:
        f.write(text)
    why = 'the key "args" holds a NUL byte, where a C reader stops'
    # crun shows no hook's message, only that it failed.
    refused(crun(b, "ol-keys-nul"), "error executing hook `" + CLI + "` (exit code: 1)")
    for cmd in (["inject", b], ["check", config]):
        refused(subprocess.run([CLI] + cmd, capture_output=True, text=True, env=env()), why)
    if os.path.exists(marker):
        raise AssertionError("crun ran the key oci-landlock did not read")


@test
def test_forged_sandbox_type_under_podman():
    w = world()
    empty = w.path("no-hooks")
    os.makedirs(empty, exist_ok=True)
    ops = ["write", "/etc/data", "mkreg", "/tmp/x"]
    for hooks, runtime in ((None, "runc"), (empty, w.shim)):
        proc = podman(FORGED, ops, hooks=hooks, runtime=runtime)
        expect(proc, ["EACCES", "OK"])


@test
def test_forged_sandbox_type_under_runc_and_ctr():
    need("runc")
    b = make_bundle("keys-forged", FORGED, ["write", "/etc/data", "mkreg", "/tmp/keys-forged"])
    p = inject(b)
    if p.returncode or "io.kubernetes.cri.container-type says 'sandbox'" not in p.stderr:
        raise AssertionError(f"inject: {p.stdout}{p.stderr}")
    expect(runc(b, "ol-keys-forged"), ["EACCES", "OK"])
    expect(ctr(FORGED, ["write", "/etc/data"], "ol-keys-forged-ctr"), ["EACCES"])


@test
def test_near_miss_of_the_container_name_in_the_shim_log():
    need("runc")
    w = world()
    ann = {"io.kubernetes.cri.container-name": "web", "oci.landlock.fs.ro/wbe": "/"}
    b = make_bundle("keys-name", ann, ["write", "/etc/data"])
    log = w.path("keys-name.log")
    p = subprocess.run([w.shim, "--log", log, "--log-format", "json", "run", "-b", b,
                        "ol-keys-name"], capture_output=True, text=True, timeout=120)
    # No key applies to "web": it runs without Landlock, and says why.
    expect(p, ["OK"])
    want = ("no oci.landlock. key applies to the container 'web', but "
            "'oci.landlock.fs.ro/wbe' is for a container of a name this close: a typo?")
    lines = [json.loads(line) for line in open(log)]
    if not any(x["level"] == "warning" and x["msg"] == want for x in lines) or \
            f"oci-landlock-runtime: warning: {want}" not in p.stderr:
        raise AssertionError(f"log: {lines}\nstderr: {p.stderr}")


@test
def test_precreate_alone_and_a_pre_injected_learning_mode():
    # Only precreate installed: the creator mounts the real launcher where
    # the hook would, and starts it in learning mode (unconfined).
    w = world()
    hooks = w.make_hooks("hooks-precreate-only", ["precreate"])
    out = w.path("keys-learn-out")
    os.mkdir(out)
    entry = json.dumps([LAUNCHER_IN_CONTAINER, "--learn", "/tmp/recording", "--"])
    proc = podman(BASIC, ["mkreg", "/out/marker"], hooks=hooks,
                  extra=["--entrypoint", entry],
                  volumes=[f"{LAUNCHER}:{LAUNCHER_IN_CONTAINER}:ro,nosuid,nodev",
                           f"{out}:/out"])
    refused(proc, "oci-landlock-exec: the launcher options in process.args do not match the "
                  "annotations: argument 1 is '--learn', the annotations ask for "
                  "'--layer=annotations'")
    if os.listdir(out):
        raise AssertionError(f"the workload ran: {os.listdir(out)}")


if __name__ == "__main__":
    run()
