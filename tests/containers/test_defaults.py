#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The host decides: the settings' default policy and require, on every
engine path (podman with the hooks, podman through the shim, runc with
inject, containerd's ctr through the shim).

  - a container without annotations gets the default (the curated
    baseline profile): writes to /etc and execution from a writable place
    are denied, /tmp is writable;
  - a container with annotations gets both layers: what the annotations
    leave out is denied although the default allows it;
  - require refuses a container without a policy, with the message that
    names the setting; a pod's sandbox container, as its id proves it, is
    exempt;
  - the baseline profile on a real Debian 12 root file system (merged
    /usr) with Python: a Python HTTP server answers, writes to /usr and
    execution from /tmp are denied.

Needs root, podman, runc, containerd and mmdebstrap (Debian's mirror).
"""
import os
import shutil
import subprocess
import time

from engines import (CLI, expect, make_bundle, need, podman, refused, results, runc,
                     settings_file, shim_wrapper, world)
from tap import run, test



def ops(tag):
    """Write /etc, create in /tmp, execute from /var/tmp (writable), read
    /etc, create in /var/tmp: the baseline denies the first and the third.
    The files are named for each run: the engines share the root."""
    return ["write", "/etc/data", "mkreg", f"/tmp/d-{tag}", "exec", "/var/tmp/busybox", "read",
            "/etc/data", "mkreg", f"/var/tmp/v-{tag}"]


BASELINE = ["EACCES", "OK", "EACCES", "OK", "OK"]
# The annotations narrow: no /etc, no /var/tmp.
NARROW = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
BOTH = ["EACCES", "OK", "EACCES", "EACCES", "EACCES"]
REQUIRED = "require one (\"require\": true)"


def rootfs():
    """The shared layout, with an executable in the writable /var/tmp."""
    def edit(root):
        shutil.copy(os.path.join(root, "bin", "busybox"),
                    os.path.join(root, "var", "tmp", "busybox"))
    return world().variant("defaults", edit)


def image():
    return world().podman_image(rootfs(), "ol-defaults")


_hooks = {}


def podman_hooks(annotations, ops, settings_file):
    """podman with the shipped hooks.d files, pointed at settings_file."""
    if settings_file not in _hooks:
        name = "hooks-" + os.path.basename(settings_file).removesuffix(".json")
        _hooks[settings_file] = world().make_hooks(name, ["precreate", "gate"],
                                                   settings=settings_file)
    return podman(annotations, ops, hooks=_hooks[settings_file], image=image())


def empty_hooks():
    d = world().path("no-hooks")
    os.makedirs(d, exist_ok=True)
    return d


def podman_shim(annotations, ops, settings_file, extra=(), detach=False):
    """podman through the shim, its settings through a wrapper named as the
    runtime: what podman keeps with the container (docs/settings.md)."""
    w = world()
    runtime = shim_wrapper("podman-" + os.path.basename(settings_file).removesuffix(".json"),
                      settings_file)
    cmd = w.podman_base() + ["--runtime", runtime, "--hooks-dir", empty_hooks(), "run",
                             "-d" if detach else "--rm", "--network", "none", "--ulimit",
                             "nofile=1024:1024", "--ulimit", "nproc=4096:4096", *extra]
    for k, v in annotations.items():
        cmd += ["--annotation", f"{k}={v}"]
    cmd += [image(), "/bin/probe"] + ops
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def runc_inject(annotations, ops, settings_file, name):
    b = make_bundle(name, annotations, ops, rootfs=rootfs())
    p = subprocess.run([CLI, "inject", b], capture_output=True, text=True,
                       env=dict(os.environ, OCI_LANDLOCK_CONFIG=settings_file))
    if p.returncode:
        return p
    return runc(b, f"ol-{name}")


def ctr_shim(annotations, ops, settings_file, name):
    w = world()
    w.start_containerd()
    d = w.path("containerd")
    runtime = shim_wrapper(f"shim-{name}", settings_file)
    cmd = w.ctr + ["run", "--rm", "--runc-binary", runtime, "--runc-root", f"{d}/runc-root",
                   "--fifo-dir", f"{d}/fifo"]
    for k, v in annotations.items():
        cmd += ["--annotation", f"{k}={v}"]
    cmd += ["--rootfs", rootfs(), name, "/bin/probe"] + ops
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def engines(annotations, settings_file, tag):
    """(engine, result) of ops() on each engine path."""
    need("podman", "runc", "containerd")
    return [("podman hooks", podman_hooks(annotations, ops(f"{tag}-ph"), settings_file)),
            ("podman shim", podman_shim(annotations, ops(f"{tag}-ps"), settings_file)),
            ("runc inject", runc_inject(annotations, ops(f"{tag}-r"), settings_file,
                                        f"{tag}-runc")),
            ("ctr shim", ctr_shim(annotations, ops(f"{tag}-c"), settings_file, f"{tag}-ctr"))]


def each(results, check):
    for engine, proc in results:
        try:
            check(proc)
        except AssertionError as e:
            raise AssertionError(f"{engine}: {e}") from None


@test
def test_default_applies_to_a_bare_container():
    s = settings_file("baseline", default="baseline")
    each(engines({}, s, "bare"), lambda p: expect(p, BASELINE))


@test
def test_default_and_annotations_stack():
    s = settings_file("baseline-stack", default="baseline")
    each(engines(NARROW, s, "stack"), lambda p: expect(p, BOTH))


@test
def test_without_a_default_a_bare_container_is_not_ours():
    # The same container under settings that decide nothing: unconfined.
    s = settings_file("nothing")
    each(engines({}, s, "plain"), lambda p: expect(p, ["OK"] * 5))


@test
def test_require_refuses_a_bare_container():
    s = settings_file("require", require=True)
    each(engines({}, s, "req"), lambda p: refused(p, REQUIRED))
    # With a policy, the container runs, under it alone.
    each(engines(NARROW, s, "req-ann"),
         lambda p: expect(p, ["EACCES", "OK", "EACCES", "EACCES", "EACCES"]))


@test
def test_require_exempts_a_proven_pod_sandbox():
    # ctr's container id is its name: the sandbox id names this very
    # container, as containerd's CRI writes it for a pod's pause container.
    s = settings_file("require-pause", require=True)
    pause = {"io.kubernetes.cri.container-type": "sandbox",
             "io.kubernetes.cri.sandbox-id": "ol-pause"}
    expect(ctr_shim(pause, ["write", "/etc/data"], s, "ol-pause"), ["OK"])
    forged = dict(pause, **{"io.kubernetes.cri.sandbox-id": "another"})
    refused(ctr_shim(forged, ["write", "/etc/data"], s, "ol-forged"), REQUIRED)


@test
def test_restarts_keep_the_default():
    # conmon restarts the workload with the runtime podman keeps with the
    # container: the wrapper, and so its settings, every time.
    w = world()
    s = settings_file("restart", default="baseline")
    name = "ol-defaults-restart"
    p = podman_shim({}, ["write", "/etc/data", "exit", "1"], s, detach=True,
                    extra=("--name", name, "--restart", "on-failure:2"))
    if p.returncode:
        raise AssertionError(p.stderr)
    try:
        for _ in range(300):
            state = subprocess.run(w.podman_base() + ["inspect", "-f",
                                                      "{{.State.Status}} {{.RestartCount}}",
                                                      name], capture_output=True, text=True)
            if state.stdout.split() == ["exited", "2"]:
                break
            time.sleep(0.1)
        else:
            raise AssertionError(f"no two restarts: {state.stdout}{state.stderr}")
        logs = subprocess.run(w.podman_base() + ["logs", name], capture_output=True, text=True)
        if results(logs.stdout) != ["EACCES"] * 3:
            raise AssertionError(f"each run writes /etc: {logs.stdout}")
    finally:
        subprocess.run(w.podman_base() + ["rm", "-f", "-t", "0", name], capture_output=True)


@test
def test_exec_with_other_settings_keeps_the_containers_policy():
    # An exec that reaches the shim without the create's settings (here:
    # settings that decide nothing) still runs under the container's own
    # options, as its config carries them.
    need("runc")
    w = world()
    base = settings_file("exec-default", default="baseline")
    plain = settings_file("exec-plain")
    b = make_bundle("defaults-exec", {}, ["sleep", "120"], rootfs=rootfs())
    name = f"ol-defaults-exec-{os.getpid()}"
    log = w.path(f"{name}.log")
    try:
        for cmd in (["create", "-b", b, name], ["start", name]):
            with open(log, "w") as out:
                p = subprocess.run([shim_wrapper("exec-create", base)] + cmd,
                                   stdin=subprocess.DEVNULL, stdout=out, stderr=out,
                                   timeout=120)
            if p.returncode:
                raise AssertionError(open(log).read())
        proc = subprocess.run([shim_wrapper("exec-other", plain), "exec", name, "/bin/probe",
                               "write", "/etc/data", "mkreg", "/tmp/exec-other"],
                              capture_output=True, text=True, timeout=120)
        expect(proc, ["EACCES", "OK"])
    finally:
        subprocess.run(["runc", "delete", "--force", name], capture_output=True)


@test
def test_a_config_in_the_workloads_reach_is_refused():
    # What exec sessions are checked against must be out of the workload's
    # reach: a root that holds the bundle, or a bind mount of it.
    w = world()
    ann = {"oci.landlock.fs.rx": "/"}
    inside = make_bundle("defaults-inside", ann, ["stat", "/"],
                         rootfs=w.path("defaults-inside"))
    p = subprocess.run([CLI, "inject", inside], capture_output=True, text=True,
                       env=dict(os.environ, OCI_LANDLOCK_CONFIG=settings_file("inside")))
    refused(p, f"{inside}/config.json is inside the container's root file system")
    bound = make_bundle("defaults-bound", ann, ["stat", "/"], rootfs=rootfs(),
                        mounts=[{"destination": "/mnt", "type": "bind", "source": w.dir,
                                 "options": ["rbind", "rw"]}])
    p = subprocess.run([CLI, "inject", bound], capture_output=True, text=True,
                       env=dict(os.environ, OCI_LANDLOCK_CONFIG=settings_file("bound")))
    refused(p, f"{bound}/config.json is reachable in the container: the bind mount of "
               f"'{w.dir}' holds it")


PYTHON_WORKLOAD = r"""
import http.server, os, subprocess, threading, urllib.request
os.chdir("/srv")
server = http.server.ThreadingHTTPServer(("127.0.0.1", 8080),
                                         http.server.SimpleHTTPRequestHandler)
threading.Thread(target=server.serve_forever, daemon=True).start()
page = urllib.request.urlopen("http://127.0.0.1:8080/index.html").read().decode()
print("http =>", "OK" if page == "hello\n" else "BAD " + page)
def attempt(what, fn):
    try:
        fn()
        print(what, "=> OK")
    except PermissionError:
        print(what, "=> EACCES")
attempt("write-usr", lambda: open("/usr/lib/python3.11/os.py", "a").close())
attempt("write-tmp", lambda: open("/tmp/cache", "w").write("x"))
def run_copy():
    import shutil
    shutil.copy("/usr/bin/true", "/tmp/true")
    os.chmod("/tmp/true", 0o755)
    subprocess.run(["/tmp/true"], check=True)
attempt("exec-tmp", run_copy)
server.shutdown()
"""


@test
def test_baseline_runs_python_on_debian():
    root = world().debian_rootfs(include=("python3",))
    os.makedirs(os.path.join(root, "srv"), exist_ok=True)
    with open(os.path.join(root, "srv", "index.html"), "w") as f:
        f.write("hello\n")
    s = settings_file("baseline-debian", default="baseline")
    b = make_bundle("debian-python", {}, [], rootfs=root,
                    command=("/usr/bin/python3", "-c", PYTHON_WORKLOAD))
    p = subprocess.run([CLI, "inject", b], capture_output=True, text=True,
                       env=dict(os.environ, OCI_LANDLOCK_CONFIG=s))
    if p.returncode:
        raise AssertionError(p.stderr)
    proc = runc(b, "ol-debian-python")
    expect(proc, ["OK", "EACCES", "OK", "EACCES"])
    # The server logs its request; nothing of ours is said (no path the
    # baseline names but Debian lacks is worth a warning).
    if "oci-landlock" in proc.stderr:
        raise AssertionError(proc.stderr)


@test
def test_baseline_runs_a_busybox_shell():
    s = settings_file("baseline-sh", default="baseline")
    script = ("echo hi > /tmp/x && cat /tmp/x && ls / > /dev/null && "
              "echo 'shell => OK'; echo x >> /etc/data 2>/dev/null || echo 'etc => EACCES'")
    b = make_bundle("busybox-sh", {}, [], rootfs=rootfs(), command=("/bin/sh", "-c", script))
    p = subprocess.run([CLI, "inject", b], capture_output=True, text=True,
                       env=dict(os.environ, OCI_LANDLOCK_CONFIG=s))
    if p.returncode:
        raise AssertionError(p.stderr)
    proc = runc(b, "ol-busybox-sh")
    expect(proc, ["OK", "EACCES"])
    if "hi\n" not in proc.stdout or "oci-landlock" in proc.stderr:
        raise AssertionError(proc.stdout + proc.stderr)


if __name__ == "__main__":
    run()
