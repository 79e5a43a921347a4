# SPDX-License-Identifier: Apache-2.0
"""A Kubernetes node without kubelet: containerd 1.6 with its CRI plugin,
driven through the CRI v1 API (cri.proto) as kubelet drives it.

The node is this test run's own: containerd's root, state, socket, CNI
directories and pod logs live under one directory; pods use the host's
network (no CNI plugin is needed); images are imported from tarballs, no
registry.  The runtime handlers come from handler snippets in TOML, the
shipped one (examples/kubernetes/containerd-1.x.toml) first.

Needs containerd, Debian's python3-grpcio and python3-grpc-tools (the test
runs under /usr/bin/python3 for them).
"""
import os
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))


def stubs(gen):
    """The CRI messages and stubs, generated from cri.proto into gen."""
    os.makedirs(gen, exist_ok=True)
    subprocess.run([sys.executable, "-m", "grpc_tools.protoc", "-I", HERE,
                    f"--python_out={gen}", f"--grpc_python_out={gen}",
                    os.path.join(HERE, "cri.proto")], check=True)
    # Generated code, imported from where it was generated.
    sys.path.insert(0, gen)
    import cri_pb2
    import cri_pb2_grpc
    return cri_pb2, cri_pb2_grpc


class Node:
    def __init__(self, d, handlers, pause_image):
        import grpc
        self.dir = d
        os.makedirs(d)
        self.pb, rpc = stubs(os.path.join(d, "gen"))
        self.logs = os.path.join(d, "pods")
        self.pods = []
        config = os.path.join(d, "config.toml")
        with open(config, "w") as f:
            f.write(f'version = 2\nroot = "{d}/root"\nstate = "{d}/state"\n'
                    f'[grpc]\n  address = "{d}/containerd.sock"\n'
                    f'[plugins."io.containerd.internal.v1.opt"]\n  path = "{d}/opt"\n'
                    f'[plugins."io.containerd.grpc.v1.cri"]\n'
                    f'  sandbox_image = "{pause_image}"\n'
                    # Not allowed here to lower an OOM score: keep the node's.
                    f'  restrict_oom_score_adj = true\n'
                    f'  [plugins."io.containerd.grpc.v1.cri".cni]\n'
                    f'    bin_dir = "{d}/cni-bin"\n    conf_dir = "{d}/cni-conf"\n'
                    f'  [plugins."io.containerd.grpc.v1.cri".containerd]\n'
                    f'    snapshotter = "native"\n    default_runtime_name = "runc"\n'
                    f'[plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]\n'
                    f'  runtime_type = "io.containerd.runc.v2"\n')
            for snippet in handlers:
                f.write("\n" + snippet)
        self.log = open(os.path.join(d, "containerd.log"), "w")
        self.proc = subprocess.Popen(["containerd", "--config", config], stdout=self.log,
                                     stderr=subprocess.STDOUT)
        self.ctr = ["ctr", "--address", f"{d}/containerd.sock", "-n", "k8s.io"]
        self.rt = rpc.RuntimeServiceStub(grpc.insecure_channel(f"unix://{d}/containerd.sock"))
        for _ in range(100):
            try:
                self.rt.Version(self.pb.VersionRequest(version="v1"), timeout=2)
                return
            except grpc.RpcError:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.1)
        raise AssertionError("containerd's CRI did not start: " + self.tail())

    def tail(self):
        with open(os.path.join(self.dir, "containerd.log")) as f:
            return f.read()[-3000:]

    def import_image(self, tarball):
        subprocess.run(self.ctr + ["images", "import", tarball], check=True,
                       capture_output=True)

    def pod_config(self, name, annotations):
        pb = self.pb
        os.makedirs(os.path.join(self.logs, name), exist_ok=True)
        return pb.PodSandboxConfig(
            metadata=pb.PodSandboxMetadata(name=name, uid=f"uid-{name}", namespace="default"),
            log_directory=os.path.join(self.logs, name), annotations=annotations,
            linux=pb.LinuxPodSandboxConfig(security_context=pb.LinuxSandboxSecurityContext(
                namespace_options=pb.NamespaceOption(network=pb.NODE))))

    def run_pod(self, name, annotations, handler):
        """RunPodSandbox on the host's network: (pod id, its config)."""
        config = self.pod_config(name, annotations)
        r = self.rt.RunPodSandbox(self.pb.RunPodSandboxRequest(config=config,
                                                               runtime_handler=handler),
                                  timeout=60)
        self.pods.append(r.pod_sandbox_id)
        return r.pod_sandbox_id, config

    def create(self, pod, config, name, image, command, annotations=None):
        pb = self.pb
        c = pb.ContainerConfig(metadata=pb.ContainerMetadata(name=name),
                               image=pb.ImageSpec(image=image), command=command,
                               annotations=annotations or {}, log_path=f"{name}.log")
        return self.rt.CreateContainer(pb.CreateContainerRequest(
            pod_sandbox_id=pod, config=c, sandbox_config=config), timeout=60).container_id

    def start(self, container):
        self.rt.StartContainer(self.pb.StartContainerRequest(container_id=container),
                               timeout=60)

    def wait(self, container, timeout=60):
        """Wait for the container to exit: its status."""
        for _ in range(timeout * 10):
            st = self.rt.ContainerStatus(self.pb.ContainerStatusRequest(
                container_id=container), timeout=10).status
            if st.state == self.pb.CONTAINER_EXITED:
                return st
            time.sleep(0.1)
        raise AssertionError(f"container {container} did not exit")

    def output(self, pod_name, name):
        """The container's stdout, from its CRI log ("TIME stdout F line")."""
        with open(os.path.join(self.logs, pod_name, f"{name}.log")) as f:
            return "".join(line.split(" ", 3)[3] for line in f
                           if line.split(" ", 3)[1:3] == ["stdout", "F"])

    def exec_sync(self, container, cmd):
        return self.rt.ExecSync(self.pb.ExecSyncRequest(container_id=container, cmd=cmd,
                                                        timeout=30), timeout=60)

    def sandbox_pid(self, pod):
        import json
        r = self.rt.PodSandboxStatus(self.pb.PodSandboxStatusRequest(pod_sandbox_id=pod,
                                                                     verbose=True), timeout=10)
        return json.loads(r.info["info"])["pid"]

    def remove_container(self, container):
        self.rt.StopContainer(self.pb.StopContainerRequest(container_id=container, timeout=0),
                              timeout=60)
        self.rt.RemoveContainer(self.pb.RemoveContainerRequest(container_id=container),
                                timeout=60)

    def remove_pod(self, pod):
        self.rt.StopPodSandbox(self.pb.StopPodSandboxRequest(pod_sandbox_id=pod), timeout=60)
        self.rt.RemovePodSandbox(self.pb.RemovePodSandboxRequest(pod_sandbox_id=pod),
                                 timeout=60)
        self.pods.remove(pod)

    def close(self):
        # Pods a failed test left behind, with their containers and shims.
        for pod in list(self.pods):
            try:
                self.remove_pod(pod)
            except Exception:
                pass
        self.proc.terminate()
        self.proc.wait()
        self.log.close()
        # What its shims mounted under the node's directory (sandbox shm,
        # rootfs), and nothing else.
        with open("/proc/self/mounts") as f:
            mine = [line.split()[1] for line in f if line.split()[1].startswith(self.dir)]
        for m in sorted(mine, reverse=True):
            subprocess.run(["umount", "-l", m], capture_output=True)
