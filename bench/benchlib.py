# SPDX-License-Identifier: Apache-2.0
"""Shared by bench/run and bench/containers.py: side-by-side timing,
statistics and the benchmark policy (read back from baseline-exec)."""
import os
import statistics
import subprocess
import time


class Figure:
    """One command's runs, and its ratio to the reference it ran beside."""

    def __init__(self, name, times, ratio=None, unit="ms"):
        self.name, self.times, self.ratio, self.unit = name, list(times), ratio, unit

    @property
    def median(self):
        return statistics.median(self.times)

    def row(self):
        scale = 1e3 if self.unit == "ms" else 1.0
        vals = [self.median * scale, min(self.times) * scale, max(self.times) * scale]
        ratio = f"{self.ratio:.3f}" if self.ratio is not None else ""
        return [self.name] + [f"{v:.2f}" for v in vals] + [ratio, str(len(self.times))]


def interleave(commands, rounds, before=None):
    """Run each command once per round, the order rotating every round;
    `before(i)` runs untimed before command i (to reset a bundle).  Returns
    one Figure per command (seconds); ratios are the median over the rounds
    of each command's time over command 0's time in the same round."""
    names = list(commands)
    times = {n: [] for n in names}
    for r in range(rounds + 1):
        for j in range(len(names)):
            i = (r + j) % len(names)
            argv, env = commands[names[i]]
            if before:
                before(i)
            t0 = time.perf_counter()
            p = subprocess.run(argv, env=env, stdin=subprocess.DEVNULL,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            dt = time.perf_counter() - t0
            if p.returncode:
                raise SystemExit(f"bench: {' '.join(argv)}: status {p.returncode}\n"
                                 f"{p.stderr.decode(errors='replace')}")
            if r > 0:  # round 0 warms the caches
                times[names[i]].append(dt)
    ref = times[names[0]]
    return [Figure(n, times[n], statistics.median(t / b for t, b in zip(times[n], ref)))
            for n in names]


def policy(build):
    """The benchmark policy of bench/policy-20.h, as (kind, arg, value)."""
    out = subprocess.run([os.path.join(build, "bench", "baseline-exec"), "--print"],
                         capture_output=True, text=True, check=True).stdout
    return [tuple(line.split(" ", 2)) for line in out.splitlines()]


def annotations(rules):
    """The policy as oci.landlock.* annotations."""
    fs, ports = {}, {}
    for kind, a, b in (r + ("",) if len(r) == 2 else r for r in rules):
        if kind == "fs":
            fs.setdefault(a, []).append(b)
        elif kind == "net":
            ports.setdefault(a, []).append(b)
    ann = {f"oci.landlock.fs.{k}": ":".join(v) for k, v in fs.items()}
    ann.update({f"oci.landlock.net.{k}": ",".join(v) for k, v in ports.items()})
    ann["oci.landlock.scope"] = "all"
    return ann


def landlockconfig(rules):
    """The same policy as a landlockconfig document."""
    rights = {"ro": ["read_file", "read_dir"],
              "rx": ["execute", "read_file", "read_dir"],
              "rw": ["abi.read_write"]}
    fs, ports = {}, {}
    for kind, a, *b in rules:
        if kind == "fs":
            fs.setdefault(a, []).append(b[0])
        elif kind == "net":
            ports.setdefault(a, []).append(int(b[0]))
    return {
        "abi": 5,
        "ruleset": [{"handledAccessFs": ["abi.all"],
                     "handledAccessNet": ["bind_tcp", "connect_tcp"],
                     "scoped": ["abstract_unix_socket", "signal"]}],
        "pathBeneath": [{"allowedAccess": rights[k], "parent": v} for k, v in fs.items()],
        "netPort": [{"allowedAccess": [f"{k}_tcp"], "port": v} for k, v in ports.items()],
    }


def table(title, header, rows):
    """A Markdown table, printed."""
    print(f"\n### {title}\n")
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for r in rows:
        print("| " + " | ".join(str(c) for c in r) + " |")
