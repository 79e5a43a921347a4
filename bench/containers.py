# SPDX-License-Identifier: Apache-2.0
"""Container start-up with and without oci-landlock, side by side, and a
1 MiB config.json through the precreate hook and the runtime shim.  Run by
bench/run (crun with --cgroup-manager=disabled); prints one JSON object of
figures on stdout.

    python3 bench/containers.py BUILD runc|crun|podman|exec|big ROUNDS

Reuses tests/lib/engines.py: its busybox root file system, its hooks.d
files pointed at this build, its bundles and its podman store.
"""
import json
import os
import shutil
import subprocess
import sys
import time

build, mode, rounds = os.path.abspath(sys.argv[1]), sys.argv[2], int(sys.argv[3])
src = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
os.environ.update(
    OL_LAUNCHER=os.path.join(build, "exec", "oci-landlock-exec"),
    OL_PROBE=os.path.join(build, "tests", "probe"),
    OL_CLI=os.path.join(build, "hook", "oci-landlock"),
    OL_SHIM=os.path.join(build, "hook", "oci-landlock-runtime"),
    OL_SRCDIR=src)
sys.path[:0] = [os.path.join(src, "tests", "lib"), os.path.join(src, "bench")]

import benchlib  # noqa: E402
import engines  # noqa: E402

RULES = benchlib.policy(build)
ANNOTATIONS = benchlib.annotations(RULES)
w = engines.world()


def rootfs():
    """The tests' busybox root, with /bin/true and every policy path."""
    root = w.path("bench-rootfs")
    if not os.path.isdir(root):
        w.make_rootfs(root)
        os.symlink("busybox", os.path.join(root, "bin", "true"))
        for kind, _, path in (r for r in RULES if r[0] == "fs"):
            if not path.startswith(("/dev/", "/proc", "/sys")):
                os.makedirs(root + path, exist_ok=True)
    return root


def settings(runtime):
    path = w.path(f"settings-{os.path.basename(runtime)}.json")
    with open(path, "w") as f:
        json.dump({"launcher": engines.LAUNCHER, "runtime": runtime}, f)
    return dict(os.environ, OCI_LANDLOCK_CONFIG=path)


def bundle(name, config=None):
    """A bundle of /bin/true with the policy's annotations, and a way to
    put its pristine config.json back (the shim rewrites it)."""
    b = engines.make_bundle(name, ANNOTATIONS, [], rootfs=rootfs(), command=("/bin/true",))
    cfg = os.path.join(b, "config.json")
    if config:
        with open(cfg, "w") as f:
            json.dump(config, f)
    shutil.copy(cfg, cfg + ".pristine")
    return b, lambda: shutil.copy(cfg + ".pristine", cfg)


def startup(runtime, global_args):
    """`RUNTIME run` of /bin/true: plain; through the shim; a bundle
    injected beforehand (the launcher's share without the shim's); and the
    physical limit of the design: a shim that only execs the runtime
    (exec-only) on a bundle that runs baseline-exec where the launcher
    would be."""
    plain, reset_plain = bundle("plain")
    boxed, reset_boxed = bundle("boxed")
    injected, reset_injected = bundle("injected")
    env = settings(runtime)
    subprocess.run([engines.CLI, "inject", injected], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    with open(os.path.join(injected, "config.json")) as f:
        config = json.load(f)
    shutil.copy(os.path.join(injected, "config.json"),
                os.path.join(injected, "config.json.pristine"))
    for m in config["mounts"]:
        if m["destination"] == engines.LAUNCHER_IN_CONTAINER:
            m["source"] = os.path.join(build, "bench", "baseline-exec")
    config["process"]["args"] = [engines.LAUNCHER_IN_CONTAINER, "/bin/true"]
    limit, reset_limit = bundle("limit", config)
    exec_only = os.path.join(build, "bench", "exec-only")
    name = os.path.basename(runtime)
    cmds = {
        f"{name} run": ([runtime] + global_args + ["run", "-b", plain, "bench-plain"], None),
        "through oci-landlock-runtime": (
            [engines.SHIM] + global_args + ["run", "-b", boxed, "bench-boxed"], env),
        f"{name} run, bundle injected beforehand (launcher, no shim)": (
            [runtime] + global_args + ["run", "-b", injected, "bench-injected"], None),
        "limit: exec-only shim, baseline-exec in the bundle": (
            [exec_only, runtime] + global_args + ["run", "-b", limit, "bench-limit"], None),
    }
    resets = (reset_plain, reset_boxed, reset_injected, reset_limit)
    return benchlib.interleave(cmds, rounds, before=lambda i: resets[i]())


def podman():
    image = w.podman_image(rootfs(), tag="ol-bench")
    empty = w.path("no-hooks")
    os.makedirs(empty, exist_ok=True)
    pre = w.make_hooks("precreate-only", ["precreate"])
    # The cheapest hooks there are, `cat` at precreate (podman's own share
    # of running one) and at createRuntime too (runc's share of that).
    cats = {}
    for name, stages in (("cat-precreate", ["precreate"]),
                         ("cat-both", ["precreate", "createRuntime"])):
        cats[name] = w.path(name)
        os.makedirs(cats[name], exist_ok=True)
        for stage in stages:
            with open(os.path.join(cats[name], f"cat-{stage}.json"), "w") as f:
                json.dump({"version": "1.0.0",
                           "hook": {"path": shutil.which("cat"), "args": ["cat"]},
                           "when": {"annotations": {r"^oci\.landlock\.": ".*"}},
                           "stages": [stage]}, f)

    def cmd(hooks):
        return (w.podman_base() + ["--runtime", "runc", "--hooks-dir", hooks, "run", "--rm",
                                   "--network", "none", "--ulimit", "nofile=1024:1024",
                                   "--ulimit", "nproc=4096:4096"]
                + engines.annotate(ANNOTATIONS, csv=True) + [image, "/bin/true"], None)
    return benchlib.interleave({"podman run, no hooks": cmd(empty),
                                "podman run, oci-landlock hooks.d": cmd(w.hooks),
                                "podman run, precreate hook only (no gate)": cmd(pre),
                                "podman run, precreate hook = cat (podman's share)":
                                cmd(cats["cat-precreate"]),
                                "podman run, both hooks = cat (podman's and runc's share)":
                                cmd(cats["cat-both"])},
                               rounds)


def big_config():
    """A config.json of 1 MiB: the bundle's, with a large environment and
    many mounts."""
    with open(os.path.join(src, "tests", "data", "runc-spec.json")) as f:
        spec = json.load(f)
    spec["root"] = {"path": rootfs(), "readonly": False}
    spec["process"].update(terminal=False, args=["/bin/true"])
    spec["annotations"] = dict(ANNOTATIONS)
    i = 0
    while len(json.dumps(spec)) < 1 << 20:
        spec["process"]["env"].append(f"BENCH_VARIABLE_{i}=" + "v" * 200)
        spec["mounts"].append({"destination": f"/srv/data/volume-{i}", "type": "bind",
                               "source": f"/var/lib/bench/volumes/{i}/_data",
                               "options": ["rbind", "rprivate", "ro"]})
        i += 1
    return spec


def big():
    """The precreate filter and the shim on a 1 MiB config; the shim's
    runtime is /bin/true, so only the rewrite is timed."""
    spec = big_config()
    b, reset = bundle("big", spec)
    size = os.path.getsize(os.path.join(b, "config.json"))
    env = settings("/bin/true")
    hook = [engines.CLI, "hook", "precreate"]
    shim = [engines.SHIM, "run", "-b", b, "bench-big"]
    out = {"size": size}
    for name, argv in (("precreate", hook), ("shim", shim)):
        times = []
        for r in range(rounds + 1):
            reset()
            with open(os.path.join(b, "config.json.pristine"), "rb") as stdin:
                t0 = time.perf_counter()
                p = subprocess.run(argv, env=env, stdin=stdin, capture_output=True)
                dt = time.perf_counter() - t0
            if p.returncode:
                raise SystemExit(f"bench: {name}: {p.stderr.decode(errors='replace')}")
            if r:
                times.append(dt)
        out[name] = times
    return out


def exec_sessions(runtime):
    """`RUNTIME exec` of /bin/true into a running sandboxed container: the
    runtime alone (the session unconfined), and through the shim, which
    wraps it and runs the runtime under the exec guard."""
    b, _ = bundle("exec-target")
    env = settings(runtime)
    cfg = os.path.join(b, "config.json")
    with open(cfg) as f:
        spec = json.load(f)
    spec["process"]["args"] = ["/bin/busybox", "sleep", "3600"]
    with open(cfg, "w") as f:
        json.dump(spec, f)
    subprocess.run([engines.CLI, "inject", b], env=env, check=True, stdout=subprocess.DEVNULL)
    name = "bench-exec-target"
    log = w.path("bench-exec.log")
    with open(log, "w") as out:
        subprocess.run([runtime, "run", "-d", "-b", b, name], stdin=subprocess.DEVNULL,
                       stdout=out, stderr=out, check=True)
    try:
        return benchlib.interleave({
            f"{os.path.basename(runtime)} exec": ([runtime, "exec", name, "/bin/true"], None),
            "through oci-landlock-runtime (wrapped, guarded)":
            ([engines.SHIM, "exec", name, "/bin/true"], env)}, rounds)
    finally:
        subprocess.run([runtime, "delete", "-f", name], capture_output=True)


if mode == "big":
    print(json.dumps(big()))
else:
    if mode == "podman":
        figs = podman()
    elif mode == "exec":
        figs = exec_sessions(shutil.which("runc"))
    elif mode == "crun":
        figs = startup(shutil.which("crun"), ["--cgroup-manager=disabled"])
    else:
        figs = startup(shutil.which("runc"), [])
    print(json.dumps([{"name": f.name, "times": f.times, "ratio": f.ratio} for f in figs]))
