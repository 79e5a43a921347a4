#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kubernetes through the CRI: containerd 1.6 with its CRI plugin and the
handler snippet of examples/kubernetes/containerd-1.x.toml, driven through
the CRI v1 API as kubelet drives it (tests/lib/cri.py).

The shipped snippet is read from the examples, with two things changed for
this node: the wrapper's path (the installer's prefix is /opt/oci-landlock)
and the cgroup driver (no systemd here).  Its allow-list, the part under
test, is as shipped.  Two more handlers, as an admin would add them: one
whose settings give the baseline profile as the default (a RuntimeClass
for pods without annotations), one whose allow-list forwards no key and
whose settings require a policy.

  - pod-wide and per-container (KEY/NAME) keys reach each container
    through the shipped globs, and each container is enforced;
  - the pod's sandbox (pause) container runs no launcher;
  - ExecSync (kubectl exec) is confined;
  - the default handler's baseline applies to a pod without annotations;
  - where the allow-list drops the keys, require refuses the container and
    StartContainer says why; the pause container, exempt, runs;
  - containers and pods are removed.

Needs root, containerd, runc, podman (to make the images) and Debian's
python3-grpcio and python3-grpc-tools.
"""
import importlib.util
import json
import os
import re
import shutil
import subprocess

from engines import SRCDIR, need, results, settings_file, shim_wrapper, world
from tap import Skip, run, test

SNIPPET = os.path.join(SRCDIR, "examples", "kubernetes", "containerd-1.x.toml")
WRAPPER = "/opt/oci-landlock/bin/oci-landlock-runtime-wrapper"
PROBE_IMAGE = "localhost/ol-cri-probe:test"
PAUSE_IMAGE = "localhost/ol-cri-pause:test"
REQUIRED = "require one (\"require\": true)"

_node = None


def handlers():
    shipped = open(SNIPPET).read()
    if WRAPPER not in shipped or "SystemdCgroup = true" not in shipped:
        raise AssertionError(f"{SNIPPET} changed: update this test")
    landlock = shipped.replace(WRAPPER, shim_wrapper("wrapper-landlock", settings_file("landlock"))) \
        .replace("SystemdCgroup = true", "SystemdCgroup = false")
    # The same handler under other names and wrappers, as an admin adds them.
    baseline = landlock.replace("runtimes.landlock", "runtimes.landlock-baseline").replace(
        world().path("wrapper-landlock"),
        shim_wrapper("wrapper-baseline", settings_file("baseline", default="baseline")))
    require = landlock.replace("runtimes.landlock", "runtimes.landlock-require").replace(
        world().path("wrapper-landlock"),
        shim_wrapper("wrapper-require", settings_file("require", require=True)))
    require = re.sub(r'(pod|container)_annotations = \[.*\]', r'\1_annotations = []', require)
    if require.count("_annotations = []") != 2:
        raise AssertionError("the snippet's allow-lists were not found")
    return [landlock, baseline, require]


def image(name, rootfs, entrypoint=None):
    """An OCI archive of rootfs, made with podman (no registry)."""
    w = world()
    tar = w.path(f"{name}.tar")
    subprocess.run(["tar", "-C", rootfs, "-cf", tar, "."], check=True)
    change = ["--change", f"ENTRYPOINT {json.dumps(entrypoint)}"] if entrypoint else []
    ref = f"localhost/{name}:test"
    subprocess.run(w.podman_base() + ["import"] + change + [tar, ref], check=True,
                   capture_output=True)
    out = w.path(f"{name}.oci.tar")
    subprocess.run(w.podman_base() + ["save", "--format", "oci-archive", "-o", out, ref],
                   check=True, capture_output=True)
    return out


def node():
    global _node
    if _node is None:
        need("containerd", "ctr", "runc", "podman")
        if not all(importlib.util.find_spec(m) for m in ("grpc", "grpc_tools")):
            raise Skip("python3-grpcio and python3-grpc-tools are not installed")
        from cri import Node
        w = world()

        def edit(root):
            shutil.copy(os.path.join(root, "bin", "busybox"),
                        os.path.join(root, "var", "tmp", "busybox"))
        root = w.variant("cri", edit)
        probe = image("ol-cri-probe", root)
        pause = image("ol-cri-pause", root, ["/bin/busybox", "sleep", "1000000"])
        _node = Node(w.path("cri-node"), handlers(), PAUSE_IMAGE)
        w.cri_node = _node
        for tar in (probe, pause):
            _node.import_image(tar)
    return _node


def run_to_end(n, pod, config, pod_name, name, ops, annotations=None):
    """Create, start and wait for a probe container: its stdout."""
    c = n.create(pod, config, name, PROBE_IMAGE, ["/bin/probe"] + ops, annotations)
    n.start(c)
    st = n.wait(c)
    out = n.output(pod_name, name)
    n.remove_container(c)
    if st.exit_code:
        raise AssertionError(f"{name}: exit {st.exit_code} {st.reason} {st.message}\n{out}")
    return out


def want(out, expected):
    got = results(out)
    if got != expected:
        raise AssertionError(f"want {expected}, got {got}\n{out}")


POD = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null",
       # The worker's own key replaces the pod-wide one, for it alone.
       "oci.landlock.fs.rw/worker": "/var/tmp:/dev/null"}


@test
def test_pod_and_per_container_keys_are_enforced():
    n = node()
    pod, config = n.run_pod("keys", POD, "landlock")
    try:
        ops = ["write", "/etc/data", "mkreg", "/tmp/cri-{}", "mkreg", "/var/tmp/cri-{}"]
        web = run_to_end(n, pod, config, "keys", "web", [o.format("web") for o in ops])
        want(web, ["EACCES", "OK", "EACCES"])
        worker = run_to_end(n, pod, config, "keys", "worker",
                            [o.format("worker") for o in ops])
        want(worker, ["EACCES", "EACCES", "OK"])
        # The pod's sandbox container runs what its image says, no launcher.
        pid = n.sandbox_pid(pod)
        exe = os.readlink(f"/proc/{pid}/exe")
        cmdline = open(f"/proc/{pid}/cmdline").read().split("\0")
        if cmdline[:2] != ["/bin/busybox", "sleep"] or "busybox" not in exe:
            raise AssertionError(f"pause container runs {cmdline} ({exe})")
    finally:
        n.remove_pod(pod)


@test
def test_exec_sync_is_confined():
    n = node()
    pod, config = n.run_pod("exec", POD, "landlock")
    try:
        c = n.create(pod, config, "web", PROBE_IMAGE, ["/bin/probe", "sleep", "120"])
        n.start(c)
        r = n.exec_sync(c, ["/bin/probe", "write", "/etc/data", "mkreg", "/tmp/cri-exec"])
        want(r.stdout.decode(), ["EACCES", "OK"])
        if r.exit_code:
            raise AssertionError(f"exit {r.exit_code}: {r.stderr.decode()}")
        n.remove_container(c)
    finally:
        n.remove_pod(pod)


@test
def test_runtime_class_default_for_a_pod_without_annotations():
    n = node()
    pod, config = n.run_pod("baseline", {}, "landlock-baseline")
    try:
        out = run_to_end(n, pod, config, "baseline", "app",
                         ["write", "/etc/data", "mkreg", "/tmp/cri-baseline", "exec",
                          "/var/tmp/busybox"])
        want(out, ["EACCES", "OK", "EACCES"])
    finally:
        n.remove_pod(pod)


@test
def test_runtime_class_default_and_annotations_stack():
    # The default first, the pod's keys after it: each only narrows.
    n = node()
    pod, config = n.run_pod("stack", {"oci.landlock.fs.rx": "/bin",
                                      "oci.landlock.fs.rw": "/tmp:/dev/null"},
                            "landlock-baseline")
    try:
        out = run_to_end(n, pod, config, "stack", "app",
                         ["write", "/etc/data", "mkreg", "/tmp/cri-stack", "exec",
                          "/var/tmp/busybox", "read", "/etc/data", "mkreg",
                          "/var/tmp/cri-stack"])
        want(out, ["EACCES", "OK", "EACCES", "EACCES", "EACCES"])
    finally:
        n.remove_pod(pod)


@test
def test_require_refuses_what_the_allow_list_dropped():
    import grpc
    n = node()
    # The pause container is exempt: the pod runs.
    pod, config = n.run_pod("dropped", POD, "landlock-require")
    try:
        c = n.create(pod, config, "web", PROBE_IMAGE, ["/bin/probe", "stat", "/"])
        try:
            n.start(c)
        except grpc.RpcError as e:
            if REQUIRED not in e.details():
                raise AssertionError(e.details())
        else:
            raise AssertionError("the container started")
        n.rt.RemoveContainer(n.pb.RemoveContainerRequest(container_id=c), timeout=60)
    finally:
        n.remove_pod(pod)


@test
def test_pods_are_removed():
    import grpc
    n = node()
    pod, config = n.run_pod("gone", {}, "landlock")
    n.remove_pod(pod)
    try:
        n.rt.PodSandboxStatus(n.pb.PodSandboxStatusRequest(pod_sandbox_id=pod), timeout=10)
    except grpc.RpcError as e:
        if e.code() != grpc.StatusCode.NOT_FOUND:
            raise
    else:
        raise AssertionError("the pod is still there")


if __name__ == "__main__":
    try:
        run()
    finally:
        if _node:
            _node.close()
