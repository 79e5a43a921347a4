# SPDX-License-Identifier: Apache-2.0
"""The benchmarks of docs/performance.md, run by bench/run: each prints a
Markdown table of median, min and max over many runs and the ratio to its
reference, measured side by side in the same run (pairwise ratios: the
median, over the rounds, of one run's time over the reference's run in the
same round).  Targets are checked on ratios only, and never by the tests.

    bench/run [-b BUILD] [--quick] [SECTION...]

Sections: launcher containers hooks scale footprint walk (default: all).
"""
import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import benchlib  # noqa: E402

SRC = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
verdicts = []


def verdict(what, value, target, ok):
    verdicts.append((what, value, target, "met" if ok else "MISSED"))


def launcher_args(rules):
    """The policy as the precreate hook writes it for the annotations."""
    ann = benchlib.annotations(rules)
    args = ["--layer=annotations"]
    for key in ("fs.ro", "fs.rx", "fs.rw", "net.bind", "net.connect", "scope"):
        if f"oci.landlock.{key}" in ann:
            args += ["--" + key.replace(".", "-"), ann[f"oci.landlock.{key}"]]
    return args


def launcher(o):
    rules = benchlib.policy(o.build)
    exe = os.path.join(o.build, "exec", "oci-landlock-exec")
    base = os.path.join(o.build, "bench", "baseline-exec")
    doc = json.dumps(benchlib.landlockconfig(rules))
    cmds = [[base, "/bin/true"],
            [exe] + launcher_args(rules) + ["--", "/bin/true"],
            [exe, "--policy", doc, "--", "/bin/true"],
            [exe] + launcher_args(rules) + ["--net-socket", "unix,tcp", "--", "/bin/true"],
            ["/bin/true"]]
    names = ["baseline-exec (static, no parsing)", "launcher, annotation shorthand",
             "launcher, landlockconfig JSON", "launcher, shorthand + --net-socket unix,tcp",
             "/bin/true alone"]
    argv = [os.path.join(o.build, "bench", "interleave"), str(o.rounds * 10)]
    for c in cmds:
        argv += c + ["::"]
    out = subprocess.run(argv[:-1], capture_output=True, text=True, check=True).stdout
    rows = []
    for line, name in zip(out.splitlines(), names):
        f = dict(zip(line.split()[::2], line.split()[1::2]))
        rows.append([name, f["median"], f["min"], f["max"], f["pairwise"], f["runs"]])
        if name.startswith("launcher, ") and "net-socket" not in name:
            verdict(f"1. {name} / baseline", f["pairwise"], "<= 1.10",
                    float(f["pairwise"]) <= 1.10)
    benchlib.table("1. Launcher against the physical limit (µs, exec of /bin/true included)",
                   ["command", "median", "min", "max", "ratio", "runs"], rows)
    callgrind(o, cmds[:3], names[:3])
    floor(o)


def floor(o):
    """What a process start costs before any of our code runs."""
    names = {"empty-nolibc": "exec + exit, no libc (x86-64)",
             "empty-static": "exec + exit, static glibc (like the launcher)"}
    cmds = [[os.path.join(o.build, "bench", n)] for n in names
            if os.path.exists(os.path.join(o.build, "bench", n))]
    labels = [names[os.path.basename(c[0])] for c in cmds] + ["/bin/true, dynamic glibc"]
    argv = [os.path.join(o.build, "bench", "interleave"), str(o.rounds * 10)]
    for c in cmds + [["/bin/true"]]:
        argv += c + ["::"]
    out = subprocess.run(argv[:-1], capture_output=True, text=True, check=True).stdout
    rows = []
    for line, name in zip(out.splitlines(), labels):
        f = dict(zip(line.split()[::2], line.split()[1::2]))
        rows.append([name, f["median"], f["min"], f["max"], f["pairwise"], f["runs"]])
    benchlib.table("1c. The floor: starting a process at all (µs)",
                   ["program", "median", "min", "max", "ratio", "runs"], rows)


def instructions(argv, stdin=None, inclusive=()):
    """User-space instructions of one run (callgrind, the exec'ed command
    not followed), and the inclusive share of the named functions.  The
    status is not checked: see callgrind()."""
    with tempfile.TemporaryDirectory() as d:
        out = os.path.join(d, "cg.out")
        subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}"] + argv,
                       stdin=stdin, capture_output=True)
        text = subprocess.run(["callgrind_annotate", "--inclusive=yes", out],
                              capture_output=True, text=True, check=True).stdout
    total = int(re.search(r"([\d,]+) \(100.0%\)\s+PROGRAM TOTALS", text).group(1)
                .replace(",", ""))
    shares = {}
    for fn in inclusive:
        m = re.search(r"^\s*([\d,]+) \(\s*[\d.]+%\)\s+\S*:" + re.escape(fn) + r"\b", text, re.M)
        shares[fn] = int(m.group(1).replace(",", "")) if m else 0
    return total, shares


def callgrind(o, cmds, names):
    if not shutil.which("valgrind"):
        print("\n(valgrind is not installed: no instruction counts)")
        return
    # Valgrind 3.19 (Debian 12) knows no Landlock system call (ENOSYS) and
    # breaks libseccomp: the launcher runs in best-effort mode, so what is
    # counted is start-up, parsing and the probe, then the exec; the
    # baseline stops at its first Landlock call.  The command run is
    # /nonexistent: callgrind writes nothing for a program that execs.  The kernel's share is not
    # user space and never counted.  The socket filter is profiled with
    # perf instead (docs/performance.md).
    fns = ("launcher_parse_args", "ol_shorthand_fs", "ol_landlockconfig_parse", "ol_json_parse")
    rows = []
    for c, name in zip(cmds, names):
        # callgrind writes nothing when the program execs: exec nothing.
        c = c[:-1] + ["/nonexistent"]
        if "oci-landlock-exec" in c[0]:
            c = c[:1] + ["--mode", "best-effort"] + c[1:]
        total, shares = instructions(c, inclusive=fns)
        rows.append([name, f"{total:,}"] + [f"{shares[f]:,}" for f in fns])
    benchlib.table("1b. User-space instructions per run (callgrind; up to the exec; "
                   "see the note)",
                   ["command", "total"] + list(fns), rows)


def containers(o):
    """Start-up through each engine.  The shim's bundles are timed on tmpfs,
    where containerd (/run/containerd) and CRI-O (/run/containers) keep
    them, and again on this disk (ext4 flushes a file renamed over
    another: the shim's atomic rewrite pays for it)."""
    script = [sys.executable, os.path.join(SRC, "bench", "containers.py"), o.build]
    crun = ["unshare", "-m", "sh", "-c",
            "umount -R /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup && "
            'exec "$0" "$@"']
    tmpfs = tempfile.mkdtemp(prefix="oci-landlock-bench-", dir="/dev/shm")
    runs = [("runc", "tmpfs", script + ["runc", str(o.rounds * 4)], 1.05, tmpfs),
            ("crun", "tmpfs", crun + script + ["crun", str(o.rounds * 4)], 1.15, tmpfs),
            ("crun", "ext4", crun + script + ["crun", str(o.rounds * 4)], None, None),
            ("podman", "ext4", script + ["podman", str(o.rounds * 2)], 1.03, None)]
    rows = []
    for name, fs, argv, target, tmpdir in runs:
        if not shutil.which(name):
            rows.append([f"{name}: not installed"] + [""] * 5)
            continue
        env = dict(os.environ, TMPDIR=tmpdir) if tmpdir else None
        figs = json.loads(subprocess.run(argv, capture_output=True, text=True, env=env,
                                         check=True).stdout)
        for f in figs:
            fig = benchlib.Figure(f"{f['name']} [{fs}]", f["times"], f["ratio"])
            rows.append(fig.row())
        if len(figs) == 4 and figs[3]["name"].startswith("limit"):
            over = statistics.median(a / b for a, b in zip(figs[1]["times"], figs[3]["times"]))
            rows.append([f"through oci-landlock-runtime / limit [{fs}]", "", "", "",
                         f"{over:.3f}", str(len(figs[1]["times"]))])
        if target:
            verdict(f"2. {name} [{fs}]: {figs[1]['name']} / plain",
                    f"{figs[1]['ratio']:.3f}", f"<= {target}", figs[1]["ratio"] <= target)
    shutil.rmtree(tmpfs, ignore_errors=True)
    benchlib.table("2. Container start-up of /bin/true (ms; [file system of the bundle])",
                   ["command", "median", "min", "max", "ratio", "runs"], rows)
    figs = json.loads(subprocess.run(script + ["exec", str(o.rounds * 4)], capture_output=True,
                                     text=True, check=True).stdout)
    benchlib.table("2b. An exec session of /bin/true into a sandboxed runc container (ms)",
                   ["command", "median", "min", "max", "ratio", "runs"],
                   [benchlib.Figure(f["name"], f["times"], f["ratio"]).row() for f in figs])
    big = json.loads(subprocess.run(script + ["big", str(o.rounds)], capture_output=True,
                                    text=True, check=True).stdout)
    rows = []
    mib = big["size"] / (1 << 20)
    for name in ("precreate", "shim"):
        fig = benchlib.Figure(f"{name}, {mib:.2f} MiB config.json", big[name])
        rows.append(fig.row()[:4] + [f"{mib / fig.median:.0f}", str(len(fig.times))])
        verdict(f"3. {name} on a 1 MiB config", f"{fig.median * 1e3:.1f} ms", "<= 30 ms",
                fig.median <= 0.030)
    benchlib.table("3b. A 1 MiB config.json through the precreate hook and the shim (ms)",
                   ["program", "median", "min", "max", "MiB/s", "runs"], rows)


def hooks(o):
    """The hooks alone, on a typical config: precreate (stdin to stdout)
    and the createRuntime gate (the state on stdin, the bundle read), each
    confining itself first (host/confine.c), against `cat` on the same
    input, the cheapest hook there is."""
    cli = os.path.join(o.build, "hook", "oci-landlock")
    with tempfile.TemporaryDirectory(prefix="ol-hooks-") as d:
        with open(os.path.join(SRC, "tests", "data", "runc-spec.json")) as f:
            spec = json.load(f)
        spec["annotations"] = benchlib.annotations(benchlib.policy(o.build))
        bundle = os.path.join(d, "bundle")
        os.mkdir(bundle)
        for path in (os.path.join(d, "config.json"), os.path.join(bundle, "config.json")):
            with open(path, "w") as f:
                json.dump(spec, f)
        with open(os.path.join(d, "settings.json"), "w") as f:
            json.dump({"launcher": os.path.join(o.build, "exec", "oci-landlock-exec")}, f)
        os.environ["OCI_LANDLOCK_CONFIG"] = os.path.join(d, "settings.json")
        subprocess.run([cli, "inject", bundle], check=True, stdout=subprocess.DEVNULL)
        with open(os.path.join(d, "state.json"), "w") as f:
            json.dump({"ociVersion": "1.0.2", "id": "bench", "status": "creating", "pid": 1,
                       "bundle": bundle}, f)
        cfg, state = os.path.join(d, "config.json"), os.path.join(d, "state.json")
        cmds = [f"exec cat < {cfg}", f"exec {cli} hook precreate < {cfg}",
                f"exec cat < {state}", f"exec {cli} hook createRuntime < {state}"]
        names = ["cat < config.json", "precreate < config.json", "cat < state.json",
                 "createRuntime (gate) < state.json"]
        argv = [os.path.join(o.build, "bench", "interleave"), str(o.rounds * 5)]
        for c in cmds:
            argv += ["/bin/sh", "-c", c, "::"]
        out = subprocess.run(argv[:-1], capture_output=True, text=True, check=True).stdout
        del os.environ["OCI_LANDLOCK_CONFIG"]
    rows = []
    for line, name in zip(out.splitlines(), names):
        f = dict(zip(line.split()[::2], line.split()[1::2]))
        rows.append([name, f["median"], f["min"], f["max"], f["pairwise"], f["runs"]])
    benchlib.table("2b. The hooks alone, each confined, against cat on the same input (µs; "
                   "ratio to the first row)",
                   ["command", "median", "min", "max", "ratio", "runs"], rows)


def scale(o):
    exe = os.path.join(o.build, "bench", "bench-scale")
    rows, totals = [], {}
    with tempfile.TemporaryDirectory(prefix="ol-bench-") as d:
        for kind, ns in (("paths", ["10", "100", "1000", "10000"]), ("ports", ["1000"])):
            out = subprocess.run([exe, d, str(o.rounds), kind] + ns,
                                 capture_output=True, text=True, check=True).stdout
            for line in out.splitlines():
                f = dict(zip(line.split()[::2], line.split()[1::2]))
                if f["N"] == "10000":
                    totals[(kind, "growth")] = float(f["growth"])
                rows.append([f"{f['N']} {kind}", f["parse"], f["build"], f["enforce"],
                             f["total"], f["growth"] if float(f["growth"]) else "",
                             f"{float(f['total']) / int(f['N']):.2f}", f["runs"]])
    growth = totals[("paths", "growth")]
    verdict("3. 10,000 / 1,000 path rules, total", f"{growth:.2f}x", "<= 11x", growth <= 11)
    benchlib.table("3. Policy size: parse, build (open + add rules), enforce (restrict), "
                   "total (µs, medians)",
                   ["policy", "parse", "build", "enforce", "total", "growth over the size "
                    "before", "µs per rule", "runs"],
                   rows)


def peak_rss(argv, stdin=None, env=None):
    with tempfile.NamedTemporaryFile("r") as f:
        subprocess.run(["/usr/bin/time", "-v", "-o", f.name] + argv, stdin=stdin, env=env,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        return int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", f.read())[1])


def footprint(o):
    exe = os.path.join(o.build, "exec", "oci-landlock-exec")
    cli = os.path.join(o.build, "hook", "oci-landlock")
    rules = benchlib.policy(o.build)
    with tempfile.TemporaryDirectory() as d:
        stripped = os.path.join(d, "exec")
        subprocess.run(["strip", "-o", stripped, exe], check=True)
        size = os.path.getsize(stripped)
        config = os.path.join(d, "config.json")
        with open(os.path.join(SRC, "tests", "data", "runc-spec.json")) as f:
            spec = json.load(f)
        spec["annotations"] = benchlib.annotations(rules)
        with open(config, "w") as f:
            json.dump(spec, f)
        with open(os.path.join(d, "settings.json"), "w") as f:
            json.dump({"launcher": exe}, f)
        env = dict(os.environ, OCI_LANDLOCK_CONFIG=os.path.join(d, "settings.json"))
        rss = {"launcher (20-rule policy, then /bin/true)":
               peak_rss([exe] + launcher_args(rules) + ["--", "/bin/true"]),
               "/bin/true alone": peak_rss(["/bin/true"])}
        with open(config) as stdin:
            rss["hook precreate (typical config)"] = peak_rss([cli, "hook", "precreate"],
                                                              stdin, env)
    mib = size / (1 << 20)
    verdict("4. static launcher, stripped", f"{mib:.2f} MiB", "<= 1.5 MiB", mib <= 1.5)
    rows = [["launcher, stripped", f"{size:,} bytes ({mib:.2f} MiB)"]]
    for name, kib in rss.items():
        rows.append([f"peak RSS, {name}", f"{kib:,} KiB ({kib / 1024:.2f} MiB)"])
        if "alone" not in name:
            verdict(f"4. peak RSS, {name}", f"{kib / 1024:.2f} MiB", "<= 4 MiB", kib <= 4096)
    benchlib.table("4. Footprint (/usr/bin/time -v)", ["what", "size"], rows)


def walk(o):
    exe = os.path.join(o.build, "bench", "bench-walk")
    launcher_exe = os.path.join(o.build, "exec", "oci-landlock-exec")
    rules = benchlib.policy(o.build)
    with tempfile.TemporaryDirectory(prefix="ol-walk-") as d:
        tree = os.path.join(d, "tree")
        boxed = [launcher_exe] + launcher_args(rules) + [
            "--fs-rx", os.path.abspath(o.build), "--fs-rw", tree, "--", exe, tree]
        times = {"plain": [], "Landlock": []}
        for r in range(max(o.rounds // 2, 5)):
            for name in (("plain", "Landlock") if r % 2 else ("Landlock", "plain")):
                argv = [exe, tree] if name == "plain" else boxed
                out = subprocess.run(argv, capture_output=True, text=True, check=True).stdout
                times[name].append([float(x) for x in out.split()[1::2]])
    rows = []
    for i, call in enumerate(("open+close", "stat")):
        plain = [t[i] for t in times["plain"]]
        boxed_t = [t[i] for t in times["Landlock"]]
        ratio = statistics.median(b / p for b, p in zip(boxed_t, plain))
        for name, v in (("plain", plain), ("in the sandbox", boxed_t)):
            rows.append([f"{call}, {name}", f"{statistics.median(v):.0f}", f"{min(v):.0f}",
                         f"{max(v):.0f}", f"{ratio:.3f}" if v is boxed_t else "",
                         str(len(v))])
    benchlib.table("5. The workload's own calls, 100,000 each, 16 directories deep "
                   "(ns per call)", ["call", "median", "min", "max", "ratio", "runs"], rows)


def main():
    ap = argparse.ArgumentParser(prog="bench/run")
    ap.add_argument("-b", "--build", default="build")
    ap.add_argument("--quick", action="store_true", help="fewer runs, for a smoke test")
    ap.add_argument("sections", nargs="*",
                    default=["launcher", "containers", "hooks", "scale", "footprint",
                             "walk"])
    o = ap.parse_args()
    o.build = os.path.abspath(o.build)
    o.rounds = 6 if o.quick else 60
    print(f"## oci-landlock benchmarks\n\nmachine: {platform.node()}, Linux "
          f"{platform.release()}, {os.cpu_count()} CPUs; "
          f"load average before: {os.getloadavg()[0]:.2f}")
    subprocess.run([os.path.join(o.build, "bench", "bench-policy")], check=True)
    for s in o.sections:
        globals()[s](o)
        sys.stdout.flush()
    benchlib.table("Targets", ["figure", "value", "target", "verdict"], verdicts)
    print(f"\nload average after: {os.getloadavg()[0]:.2f}")


main()
