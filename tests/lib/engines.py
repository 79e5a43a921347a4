# SPDX-License-Identifier: Apache-2.0
"""Shared by the container tests: one busybox root file system with the
probe, the settings and hooks.d files pointed at this build, and a way to
run a container under each engine: podman (hooks or the shim), runc and
crun on a bundle rewritten by `oci-landlock inject`, containerd's ctr.
"""
import atexit
import json
import os
import shutil
import subprocess
import tempfile
import time

from tap import Skip

LAUNCHER = os.path.abspath(os.environ["OL_LAUNCHER"])
PROBE = os.path.abspath(os.environ["OL_PROBE"])
CLI = os.path.abspath(os.environ["OL_CLI"])
SHIM = os.path.abspath(os.environ["OL_SHIM"])
SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])
LAUNCHER_IN_CONTAINER = "/dev/oci-landlock-exec"


def need(*programs):
    if os.geteuid() != 0:
        raise Skip("needs root")
    for p in programs:
        if not shutil.which(p):
            raise Skip(f"{p} is not installed")


class World:
    """What every case shares, built once: a busybox root file system with
    the probe, settings, hooks.d files, a podman store with the image."""

    def __init__(self):
        self.dir = tempfile.mkdtemp(prefix="ol-containers-")
        atexit.register(self.close)
        self.rootfs = self.path("rootfs")
        self.make_rootfs(self.rootfs)
        os.mkdir(self.path("profiles"))
        self.write("profiles/tmp-only.json", json.dumps({
            "ruleset": [{"handledAccessFs": ["write_file", "make_reg"]}],
            "pathBeneath": [{"allowedAccess": ["write_file", "make_reg"],
                             "parent": ["/tmp", "/dev/null"]}]}))
        self.settings = self.path("settings.json")
        self.write("settings.json", json.dumps({
            "launcher": LAUNCHER, "profiles": self.path("profiles"),
            "runtime": shutil.which("runc") or "/usr/sbin/runc"}))
        self.hooks = self.make_hooks("hooks", ["precreate", "gate"])
        self.gate_only = self.make_hooks("gate-only", ["gate"])
        # conmon and containerd do not pass our environment on: a wrapper
        # names the settings, as an administrator's config file would.
        self.shim = self.path("oci-landlock-runtime")
        self.write("oci-landlock-runtime",
                   f"#!/bin/sh\nOCI_LANDLOCK_CONFIG={self.settings} exec {SHIM} \"$@\"\n")
        os.chmod(self.shim, 0o755)
        self.images = set()
        self.containerd = None

    def path(self, *parts):
        return os.path.join(self.dir, *parts)

    def write(self, name, text):
        with open(self.path(name), "w") as f:
            f.write(text)

    @staticmethod
    def make_rootfs(root):
        for d in ("bin", "proc", "sys", "dev", "tmp", "etc", "var/tmp", "out", "run"):
            os.makedirs(os.path.join(root, d), exist_ok=True)
        busybox = shutil.which("busybox") or "/bin/busybox"
        shutil.copy(busybox, os.path.join(root, "bin", "busybox"))
        os.symlink("busybox", os.path.join(root, "bin", "sh"))
        shutil.copy(PROBE, os.path.join(root, "bin", "probe"))
        with open(os.path.join(root, "etc", "policy.json"), "w") as f:
            json.dump({"ruleset": [{"handledAccessFs": ["write_file"]}],
                       "pathBeneath": [{"allowedAccess": ["write_file"],
                                        "parent": ["/var/tmp", "/dev/null"]}]}, f)
        with open(os.path.join(root, "etc", "data"), "w") as f:
            f.write("data\n")

    def variant(self, name, edit):
        """A root file system of its own: the shared layout, then edit(root)
        (an image's own symbolic links, say).  Made once per name."""
        root = self.path(f"rootfs-{name}")
        if not os.path.exists(root):
            self.make_rootfs(root)
            edit(root)
        return root

    def debian_rootfs(self, include=()):
        """A minimal Debian 12 root file system from Debian's mirror (with
        the packages in include), with the probe in /usr/local/bin: merged
        /usr, as the images people run (/bin, /sbin, /lib, /lib64 are links
        into /usr).  Built once per set of packages."""
        need("mmdebstrap")
        root = self.path("rootfs-debian" + "".join("-" + p for p in include))
        if not os.path.exists(root):
            extra = ["--include=" + ",".join(include)] if include else []
            proc = subprocess.run(["mmdebstrap", "--variant=minbase", "--quiet"] + extra +
                                  ["bookworm", root], capture_output=True, text=True,
                                  timeout=900)
            if proc.returncode:
                raise AssertionError(f"mmdebstrap: {proc.stdout}{proc.stderr}")
            shutil.copy(PROBE, os.path.join(root, "usr", "local", "bin", "probe"))
        return root

    def make_hooks(self, name, which, settings=None):
        """The shipped hooks.d templates, pointed at this build."""
        d = self.path(name)
        os.mkdir(d)
        for w in which:
            with open(os.path.join(SRCDIR, "examples", "hooks.d",
                                   f"oci-landlock-{w}.json.in")) as f:
                text = f.read()
            text = text.replace("@CLI@", CLI).replace(
                "@EXTRA_ENV@", f', "OCI_LANDLOCK_CONFIG={settings or self.settings}"')
            with open(os.path.join(d, f"oci-landlock-{w}.json"), "w") as f:
                f.write(text)
        return d

    def podman_base(self):
        # Storage, run state and podman's tmpdir (its locks and events) are
        # this run's own: test runs in parallel do not meet.
        return ["podman", "--root", self.path("storage"), "--runroot",
                self.path("runroot"), "--tmpdir", self.path("podman-tmp"),
                "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs"]

    def podman_image(self, rootfs=None, tag="ol-probe"):
        """An image of rootfs (the shared one by default), imported once."""
        need("podman", "runc")
        name = f"localhost/{tag}:test"
        if name not in self.images:
            tar = self.path(f"{tag}.tar")
            subprocess.run(["tar", "-C", rootfs or self.rootfs, "-cf", tar, "."], check=True)
            proc = subprocess.run(self.podman_base() + ["import", tar, name],
                                  capture_output=True, text=True)
            if proc.returncode:
                raise AssertionError(f"podman import: {proc.stderr}")
            self.images.add(name)
        return name

    def start_containerd(self):
        need("containerd", "ctr", "runc")
        if self.containerd:
            return
        d = self.path("containerd")
        os.mkdir(d)
        with open(os.path.join(d, "config.toml"), "w") as f:
            f.write(f'version = 2\nroot = "{d}/root"\nstate = "{d}/state"\n'
                    f'disabled_plugins = ["io.containerd.grpc.v1.cri"]\n'
                    f'[grpc]\n  address = "{d}/containerd.sock"\n'
                    f'[plugins."io.containerd.internal.v1.opt"]\n  path = "{d}/opt"\n')
        self.containerd_log = open(os.path.join(d, "log"), "w")
        self.containerd = subprocess.Popen(
            ["containerd", "--config", os.path.join(d, "config.toml")],
            stdout=self.containerd_log, stderr=subprocess.STDOUT)
        self.ctr = ["ctr", "--address", f"{d}/containerd.sock"]
        for _ in range(100):
            if subprocess.run(self.ctr + ["version"], capture_output=True).returncode == 0:
                return
            time.sleep(0.1)
        raise AssertionError("containerd did not start")

    def start_dockerd(self, runtimes):
        """A dockerd of this run's own: its data, exec root, socket, key and
        containerd under this run's directory; no bridge, no iptables, no
        IP forwarding (nothing of the host's network changes).  runtimes:
        daemon.json's "runtimes" object."""
        need("dockerd")
        d = self.path("docker")
        os.mkdir(d)
        plugins = "/run/docker/plugins"
        # dockerd makes /run/docker/plugins whatever its exec root: ours to
        # remove if it was not there.
        self.docker_made = [p for p in ("/run/docker", plugins) if not os.path.exists(p)]
        with open(os.path.join(d, "daemon.json"), "w") as f:
            json.dump({"runtimes": runtimes, "deprecated-key-path": f"{d}/key.json",
                       "ip-forward": False, "iptables": False, "ip-masq": False,
                       "bridge": "none", "storage-driver": "vfs",
                       "exec-opts": ["native.cgroupdriver=cgroupfs"]}, f)
        self.dockerd_log = open(os.path.join(d, "log"), "w")
        self.dockerd = subprocess.Popen(
            ["dockerd", "--config-file", f"{d}/daemon.json", "--data-root", f"{d}/data",
             "--exec-root", f"{d}/exec", "-H", f"unix://{d}/docker.sock", "--pidfile",
             f"{d}/docker.pid"], stdout=self.dockerd_log, stderr=subprocess.STDOUT)
        # The client of the same release, where the package has one.
        client = os.path.join(os.path.dirname(shutil.which("dockerd")), "docker")
        self.docker = [client if os.path.exists(client) else "docker", "-H",
                       f"unix://{d}/docker.sock"]
        for _ in range(300):
            if subprocess.run(self.docker + ["version"], capture_output=True).returncode == 0:
                return
            if self.dockerd.poll() is not None:
                break
            time.sleep(0.1)
        raise AssertionError("dockerd did not start: " + open(f"{d}/log").read()[-2000:])

    def stop_dockerd(self):
        self.dockerd.terminate()
        try:
            self.dockerd.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.dockerd.kill()
            self.dockerd.wait()
        self.dockerd_log.close()
        self.dockerd = None
        for p in reversed(self.docker_made):
            try:
                os.rmdir(p)
            except OSError:
                pass

    def close(self):
        if getattr(self, "dockerd", None):
            self.stop_dockerd()
        if self.containerd:
            self.containerd.terminate()
            self.containerd.wait()
            self.containerd_log.close()
        if self.images:
            # What this run made, in its own store, and nothing else: never
            # podman's reset, which also removes the host's networks and
            # podman's shared tmpdir.
            for what in (["rm", "--all", "--force", "--time", "0"], ["rmi", "--all", "--force"]):
                subprocess.run(self.podman_base() + what, capture_output=True)
        shutil.rmtree(self.dir, ignore_errors=True)


_world = None


def world():
    global _world
    if _world is None:
        _world = World()
    return _world


def results(out):
    return [line.rsplit(" => ", 1)[1] for line in out.splitlines() if " => " in line]


def expect(proc, want, status=0):
    got = results(proc.stdout)
    if got != want or proc.returncode != status:
        raise AssertionError(
            f"want {want} (status {status}), got {got} (status {proc.returncode})\n"
            f"command: {proc.args}\nstdout:\n{proc.stdout}stderr:\n{proc.stderr}")


def refused(proc, message):
    """The engine refused to run the container, and said why."""
    out = proc.stdout + proc.stderr
    if proc.returncode == 0 or message not in out or " => " in proc.stdout:
        raise AssertionError(f"want a refusal naming {message!r}, got status "
                             f"{proc.returncode}\n{out}")


def annotate(annotations, csv=False):
    """--annotation arguments.  podman reads the flag as CSV (it splits at
    commas and treats quotes specially): such values are quoted CSV-style,
    as a podman user has to write them."""
    args = []
    for k, v in annotations.items():
        kv = f"{k}={v}"
        if csv and ("," in kv or '"' in kv):
            kv = '"' + kv.replace('"', '""') + '"'
        args += ["--annotation", kv]
    return args


def podman(annotations, ops, extra=(), hooks=None, runtime="runc", volumes=(), image=None,
           command=("/bin/probe",)):
    """podman run --rm; --network none unless extra names a network."""
    w = world()
    image = image or w.podman_image()
    cmd = w.podman_base() + ["--runtime", runtime, "--hooks-dir", hooks or w.hooks, "run",
                             "--rm", "--ulimit", "nofile=1024:1024", "--ulimit",
                             "nproc=4096:4096"]
    if not any(a.startswith("--network") for a in extra):
        cmd += ["--network", "none"]
    for v in volumes:
        cmd += ["-v", v]
    cmd += annotate(annotations, csv=True) + list(extra) + [image] + list(command) + ops
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def settings_file(name, **keys):
    """A settings file of this run's, with the example profiles and runc:
    the host's decisions (docs/settings.md) in keys."""
    w = world()
    path = w.path(f"{name}.json")
    body = {"launcher": LAUNCHER, "profiles": os.path.join(SRCDIR, "examples", "profiles"),
            "runtime": shutil.which("runc") or "/usr/sbin/runc"}
    body.update(keys)
    with open(path, "w") as f:
        json.dump(body, f)
    return path


def shim_wrapper(name, settings):
    """The shim with settings of its own, as a handler's wrapper script
    names them (the Kubernetes installer writes one per handler)."""
    path = world().path(name)
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\nOCI_LANDLOCK_CONFIG={settings} exec {SHIM} \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def podman_crun(annotations, ops, hooks=None, runtime="crun", image=None,
                command=("/bin/probe",)):
    """podman run --rm with crun behind it (directly, or behind the shim
    when runtime names it): in a mount namespace of its own with a pure
    cgroup2 mount, and no cgroups (crun 1.8 refuses this host's hybrid
    cgroups, and its device filter needs a memlock limit it may not
    raise here)."""
    w = world()
    need("podman", "crun", "unshare")
    image = image or w.podman_image()
    cmd = w.podman_base() + ["--runtime", runtime, "--hooks-dir", hooks or w.hooks, "run",
                             "--rm", "--cgroups=disabled", "--network", "none", "--ulimit",
                             "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
    cmd += annotate(annotations, csv=True) + [image] + list(command) + ops
    script = ("umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && "
              'exec "$@"')
    return subprocess.run(["unshare", "-m", "sh", "-c", script, "sh"] + cmd,
                          capture_output=True, text=True, timeout=120)


def shim_base():
    w = world()
    empty = w.path("no-hooks")
    os.makedirs(empty, exist_ok=True)
    return w.podman_base() + ["--runtime", w.shim, "--hooks-dir", empty]


def podman_detached(name, ann, command, volumes=(), image=None, extra=()):
    w = world()
    cmd = shim_base() + ["run", "-d", "--name", name, "--network", "none", "--ulimit",
                         "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
    for v in volumes:
        cmd += ["-v", v]
    cmd += annotate(ann, csv=True) + list(extra) + [image or w.podman_image()] + list(command)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=120)
    if p.returncode:
        raise AssertionError(p.stderr)


def podman_exec(name, ops):
    """podman exec of the probe, through the shim."""
    return subprocess.run(shim_base() + ["exec", name, "/bin/probe"] + ops,
                          capture_output=True, text=True, timeout=120)


def podman_rm(name):
    subprocess.run(shim_base() + ["rm", "-f", "-t", "0", name], capture_output=True)


# ---- fake launchers and neighbours ----------------------------------------------

# A fake launcher: records that it ran in /pwned, then runs the command after "--".
FAKE_LAUNCHER = ('#!/bin/sh\necho "fake launcher ran" > /pwned\n'
                 'while [ "$1" != "--" ]; do shift; done; shift\nexec "$@"\n')


def with_fake(root):
    """A root file system edit: the fake launcher at /bin/fake."""
    with open(os.path.join(root, "bin", "fake"), "w") as f:
        f.write(FAKE_LAUNCHER)
    os.chmod(os.path.join(root, "bin", "fake"), 0o755)


def never_ran(root, what):
    """Neither the fake launcher nor the workload (which makes what) ran."""
    for f in ("pwned", what):
        if os.path.exists(os.path.join(root, f)):
            raise AssertionError(f"/{f} exists: the workload or a fake launcher ran")


class Detached:
    """A plain runc container (no Landlock) that sleeps: the neighbour."""

    def __init__(self, name, rootfs=None, mounts=()):
        need("runc")
        self.name = f"{name}-{os.getpid()}"
        b = make_bundle(name, {}, [], rootfs=rootfs, mounts=mounts,
                        command=("/bin/busybox", "sleep", "300"))
        log = world().path(f"{name}.log")
        for cmd in (["create", "-b", b, self.name], ["start", self.name]):
            with open(log, "w") as out:
                p = subprocess.run(["runc"] + cmd, stdin=subprocess.DEVNULL, stdout=out,
                                   stderr=out, timeout=60)
            if p.returncode:
                self.close()
                raise AssertionError(f"runc {cmd[0]}: {open(log).read()}")
        state = subprocess.run(["runc", "state", self.name], capture_output=True, text=True)
        self.pid = json.loads(state.stdout)["pid"]

    def exec(self, *command):
        return subprocess.run(["runc", "exec", self.name] + list(command), capture_output=True,
                              text=True, timeout=60)

    def close(self):
        subprocess.run(["runc", "delete", "-f", self.name], capture_output=True)


def runc_refused(name, root, message, mounts=()):
    """A bundle of root (its workload `mkreg /tmp/ran`) with a basic policy,
    injected and run by runc: the gate refuses it with message, and the
    workload never ran."""
    need("runc")
    b = make_bundle(name, {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"},
                    ["mkreg", "/tmp/ran"], rootfs=root, mounts=mounts)
    injected(b)
    refused(runc(b, f"ol-{name}-{os.getpid()}"), message)
    never_ran(root, "tmp/ran")


def make_bundle(name, annotations, ops, hooks=None, rootfs=None, caps=(), sysctl=None,
                share=(), command=("/bin/probe",), nnp=True, mounts=()):
    """A runc-spec bundle; caps are added, namespaces in share are the host's,
    mounts (OCI mount objects) come after the spec's own."""
    w = world()
    b = w.path(name)
    os.mkdir(b)
    spec = json.load(open(os.path.join(SRCDIR, "tests", "data", "runc-spec.json")))
    spec["root"] = {"path": rootfs or w.rootfs, "readonly": False}
    spec["process"]["terminal"] = False
    spec["process"]["args"] = list(command) + ops
    spec["process"]["noNewPrivileges"] = nnp
    spec["annotations"] = annotations
    for kind in spec["process"]["capabilities"].values():
        kind += [c for c in caps if c not in kind]
    if sysctl:
        spec["linux"]["sysctl"] = sysctl
    spec["linux"]["namespaces"] = [ns for ns in spec["linux"]["namespaces"]
                                   if ns["type"] not in share]
    if hooks:
        spec["hooks"] = hooks
    spec["mounts"] += list(mounts)
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump(spec, f, indent=2)
    return b


def inject(bundle):
    env = dict(os.environ, OCI_LANDLOCK_CONFIG=world().settings)
    return subprocess.run([CLI, "inject", bundle], capture_output=True, text=True, env=env)


def injected(bundle):
    """inject, which must succeed."""
    p = inject(bundle)
    if p.returncode:
        raise AssertionError(f"inject {bundle}: {p.stderr}")


def runc(bundle, name, preserve=None):
    """runc run; with preserve, that file is opened as descriptor 3 and
    passed on to the container (--preserve-fds)."""
    cmd = ["runc", "run", "-b", bundle, name]
    if preserve:
        cmd = ["sh", "-c", 'exec runc run --preserve-fds=1 -b "$1" "$2" 3<>"$3"', "sh", bundle,
               name, preserve]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)


def crun(bundle, name):
    # crun 1.8 refuses hybrid cgroups: a private pure cgroup2 mount.
    script = ("umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && "
              f"exec crun --cgroup-manager=disabled run -b {bundle} {name}")
    return subprocess.run(["unshare", "-m", "sh", "-c", script], capture_output=True,
                          text=True, timeout=120)


def bind(source, destination, ro=False):
    """An OCI bind mount object."""
    return {"destination": destination, "type": "bind", "source": source,
            "options": ["rbind", "ro" if ro else "rw"]}


def ctr(annotations, ops, name, rootfs=None, binds=()):
    """ctr run through the shim; binds are (source, destination) pairs."""
    w = world()
    w.start_containerd()
    d = w.path("containerd")
    mounts = sum((["--mount", f"type=bind,src={s},dst={t},options=rbind:rw"]
                  for s, t in binds), [])
    cmd = w.ctr + ["run", "--rm", "--runc-binary", w.shim, "--runc-root", f"{d}/runc-root",
                   "--fifo-dir", f"{d}/fifo"] + annotate(annotations) + mounts + \
        ["--rootfs", rootfs or w.rootfs, name, "/bin/probe"] + ops
    return subprocess.run(cmd, capture_output=True, text=True, timeout=120)
