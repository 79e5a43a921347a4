#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Learning mode in real containers: record, generate, enforce.

A busybox shell script (/app/run.sh) reads its configuration, writes into
a work directory, serves on a TCP port and connects to another one.  It
runs with the annotation oci.landlock.learn (podman with the shipped hooks,
runc on a bundle rewritten by `oci-landlock inject`); `oci-landlock learn`
turns the recording into a policy; the same container then runs with that
policy as its oci.landlock.policy annotation and succeeds, while a write
to another directory, a write to the configuration and a connection to
another port are denied with EACCES.

Needs root, Landlock ABI 6 or later, podman and runc.
"""
import json
import os
import shlex
import shutil
import subprocess
import time

from engines import (CLI, World, annotate, expect, inject, injected, make_bundle, need,
                     podman, runc, world)
from launch import ABI
from tap import run, test

PORT, UPSTREAM, OTHER = 8080, 8081, 9090
SCRIPT = """#!/bin/sh
set -e
. /etc/app.conf
mkdir -p /work/out
echo "served on $PORT" > /work/out/result
cat /work/out/result
# Serve on PORT, run an upstream on UPSTREAM, and connect to it.
exec /bin/probe listen $PORT listen $UPSTREAM connect $UPSTREAM
"""
WANT = ["OK", "OK", "OK"]
# What the recorded run did not do.
DENIED_OPS = ["mkreg", "/tmp/other", "write", "/etc/app.conf", "connect", str(OTHER),
              "read", "/etc/app.conf", "mkreg", "/work/new"]
DENIED_WANT = ["EACCES", "EACCES", "EACCES", "OK", "OK"]
WARNING = ("oci-landlock-exec: warning: learning mode: the command runs without a "
           "Landlock sandbox, only observed; never use it as a sandbox\n")


def app_rootfs():
    w = world()
    root = w.path("learn-rootfs")
    if not os.path.exists(root):
        World.make_rootfs(root)
        os.makedirs(os.path.join(root, "app"))
        os.makedirs(os.path.join(root, "work"))
        os.makedirs(os.path.join(root, "rec"))
        with open(os.path.join(root, "app", "run.sh"), "w") as f:
            f.write(SCRIPT)
        os.chmod(os.path.join(root, "app", "run.sh"), 0o755)
        with open(os.path.join(root, "etc", "app.conf"), "w") as f:
            f.write(f"PORT={PORT}\nUPSTREAM={UPSTREAM}\n")
    return root


def generate(recording, out):
    proc = subprocess.run([CLI, "learn", "-o", out, recording], capture_output=True,
                          text=True, timeout=60)
    # The review: the ABI it is for (this kernel's), what is granted, the
    # broadest rules, the socket filter.
    here = min(ABI, 10)
    want = (f"oci-landlock: the policy is for Landlock ABI {here}, "
            + ("this kernel's (--abi N makes it for another)\n" if ABI <= 10 else
               f"the newest this version knows (this kernel has ABI {ABI})\n")
            + "oci-landlock: the policy grants 4 path rules (1 with more than reading and "
            f"executing), bind_tcp {PORT},{UPSTREAM}, connect_tcp {UPSTREAM}"
            + (", bind_udp none, connect_send_udp none" if ABI >= 10 else "") + "\n"
            "oci-landlock: broadest: '/work' (write_file, read_file, make_dir, make_reg), "
            "'/app' (execute, read_file), '/bin' (execute, read_file)\n"
            "oci-landlock: socket kinds used: tcp: add --net-socket tcp (podman: --annotation "
            "'oci.landlock.net.socket=tcp') to refuse every other kind\n")
    if proc.returncode or proc.stderr != want:
        raise AssertionError(f"oci-landlock learn: {proc}")
    with open(out) as f:
        policy = json.load(f)
    check = subprocess.run([CLI, "check", out], capture_output=True, text=True)
    if check.returncode or "result: enforced as written" not in check.stdout:
        raise AssertionError(f"oci-landlock check: {check}")
    return policy


def rules(policy):
    return {p: sorted(e["allowedAccess"]) for e in policy["pathBeneath"] for p in e["parent"]}


def check_policy(policy):
    """Exactly what the script used, per directory, and nothing else."""
    want = {
        "/app": ["execute", "read_file"],
        "/bin": ["execute", "read_file"],
        "/etc": ["read_file"],
        "/work": ["make_dir", "make_reg", "read_file", "write_file"],
    }
    if rules(policy) != want:
        raise AssertionError(json.dumps(policy, indent=1))
    if sorted(policy["netPort"], key=lambda e: e["port"]) != [
            {"allowedAccess": ["bind_tcp"], "port": [PORT]},
            {"allowedAccess": ["bind_tcp", "connect_tcp"], "port": [UPSTREAM]}]:
        raise AssertionError(policy["netPort"])
    if policy["ruleset"][0]["scoped"] != ["abstract_unix_socket", "signal"]:
        raise AssertionError(policy["ruleset"])


def podman_loop(runtime):
    need("podman", "runc")
    w = world()
    image = w.podman_image(rootfs=app_rootfs(), tag="ol-learn")
    work, rec = w.path(f"learn-work-{runtime}"), w.path(f"learn-rec-{runtime}")
    os.mkdir(work)
    os.mkdir(rec)
    volumes = [f"{work}:/work", f"{rec}:/rec"]
    # 1. Record.
    learned = podman({"oci.landlock.learn": "/rec/run.json"}, [], image=image,
                     volumes=volumes, runtime=runtime, command=("/app/run.sh",))
    expect(learned, WANT)
    if learned.stdout.splitlines()[0] != f"served on {PORT}" or learned.stderr != WARNING:
        raise AssertionError(learned)
    # 2. Generate.
    policy = generate(os.path.join(rec, "run.json"), w.path(f"learned-{runtime}.json"))
    check_policy(policy)
    shutil.rmtree(work)
    os.mkdir(work)
    # 3. Enforce, with the arguments learn prints for podman, pasted as a
    # user would (the shell's quoting, then podman's CSV reading).
    args = learn("--format", "podman", os.path.join(rec, "run.json"))
    if args.returncode or "--annotation 'oci.landlock.net.socket=tcp'" not in args.stdout:
        raise AssertionError(args)
    # A backslash at the end of a line continues it, as in a shell.
    enforce = shlex.split(args.stdout.replace("\\\n", ""))
    # The same workload runs ...
    enforced = podman({}, [], extra=enforce, image=image, volumes=volumes, runtime=runtime,
                      command=("/app/run.sh",))
    expect(enforced, WANT)
    if enforced.stdout.splitlines()[0] != f"served on {PORT}" or enforced.stderr:
        raise AssertionError(enforced)
    # ... and what it did not do is denied.
    denied = podman({}, DENIED_OPS, extra=enforce, image=image, volumes=volumes,
                    runtime=runtime)
    expect(denied, DENIED_WANT)
    return policy, enforced, denied


@test
def test_podman_record_generate_enforce():
    policy, enforced, denied = podman_loop("runc")
    print("# generated policy:")
    for line in json.dumps(policy, indent=1).splitlines():
        print(f"#   {line}")
    for line in (enforced.stdout + denied.stdout).splitlines():
        print(f"#   enforced: {line}")


@test
def test_runc_record_generate_enforce():
    need("runc")
    w = world()
    root = w.path("learn-runc-rootfs")
    shutil.copytree(app_rootfs(), root, symlinks=True)
    # 1. Record, into the root file system.
    b = make_bundle("learn-runc-1", {"oci.landlock.learn": "/rec/run.json"}, [], rootfs=root,
                    command=("/app/run.sh",))
    injected(b)
    learned = runc(b, "ol-learn-runc-1")
    expect(learned, WANT)
    # Not on a volume: said before the run, not found out after it.
    if learned.stderr != (
            "oci-landlock-exec: warning: the recording '/rec/run.json' (annotation "
            "'oci.landlock.learn') is on the container's own file system, lost when the "
            "container is removed: put it on a volume (podman run -v /srv/learn:/learn, then "
            "oci.landlock.learn=/learn/rec.json)\n" + WARNING):
        raise AssertionError(learned)
    # 2. Generate.
    policy = generate(os.path.join(root, "rec", "run.json"), w.path("learned-runc.json"))
    check_policy(policy)
    shutil.rmtree(os.path.join(root, "work", "out"))
    # 3. Enforce.
    enforce = {"oci.landlock.policy": json.dumps(policy), "oci.landlock.net.socket": "tcp"}
    b = make_bundle("learn-runc-2", enforce, [], rootfs=root, command=("/app/run.sh",))
    inject(b)
    expect(runc(b, "ol-learn-runc-2"), WANT)
    b = make_bundle("learn-runc-3", enforce, DENIED_OPS, rootfs=root)
    inject(b)
    expect(runc(b, "ol-learn-runc-3"), DENIED_WANT)


@test
def test_learning_refused_with_a_policy():
    need("podman", "runc")
    w = world()
    marker_dir = w.path("learn-refused")
    os.mkdir(marker_dir)
    proc = podman({"oci.landlock.learn": "/out/rec.json", "oci.landlock.fs.ro": "/"},
                  ["mkreg", "/out/marker"], volumes=[f"{marker_dir}:/out"])
    msg = ("annotation 'oci.landlock.learn' cannot be combined with 'oci.landlock.fs.ro': "
           "learning mode records what the container uses, it enforces nothing")
    if proc.returncode == 0 or msg not in proc.stderr or os.listdir(marker_dir):
        raise AssertionError(proc)


def wait_for_file(path, timeout=60):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() > deadline:
            raise AssertionError(f"{path} never appeared")
        time.sleep(0.1)


def learn(*args):
    return subprocess.run([CLI, "learn"] + list(args), capture_output=True, text=True,
                          timeout=60)


def podman_detached(runtime, hooks, name, annotations, volumes, image, command):
    w = world()
    base = w.podman_base() + ["--runtime", runtime, "--hooks-dir", hooks]
    cmd = base + ["run", "-d", "--name", name, "--network", "none", "--ulimit",
                  "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
    for v in volumes:
        cmd += ["-v", v]
    p = subprocess.run(cmd + annotate(annotations, csv=True) + [image] + list(command),
                       capture_output=True, text=True, timeout=120)
    if p.returncode:
        raise AssertionError(p.stderr)
    return base


@test
def test_podman_stop_keeps_what_was_recorded():
    """podman stop sends SIGKILL after its timeout to a workload that
    ignores SIGTERM, and the supervisor dies with it: the recording holds
    what was seen until then, and learn says it is incomplete."""
    w = world()
    image = w.podman_image(rootfs=app_rootfs(), tag="ol-learn")
    rec = w.path("learn-stop")
    os.mkdir(rec)
    name = f"ol-learn-stop-{os.getpid()}"
    base = podman_detached("runc", w.hooks, name, {"oci.landlock.learn": "/rec/run.json"},
                           [f"{rec}:/rec"], image,
                           ["/bin/sh", "-c", "trap '' TERM; cat /etc/app.conf >/dev/null; "
                            "touch /rec/ready; exec sleep 600"])
    try:
        wait_for_file(os.path.join(rec, "ready"))
        stop = subprocess.run(base + ["stop", "-t", "2", name], capture_output=True, text=True,
                              timeout=120)
        if stop.returncode:
            raise AssertionError(stop.stderr)
    finally:
        subprocess.run(base + ["rm", "-f", "-t", "0", name], capture_output=True)
    recording = os.path.join(rec, "run.json")
    gen = learn(recording)
    warning = (f"oci-landlock: warning: the recording '{recording}' was saved while the "
               "workload ran, and the run never ended normally")
    policy = json.loads(gen.stdout) if gen.returncode == 0 else {}
    etc = [e["allowedAccess"] for e in policy.get("pathBeneath", []) if e["parent"] == ["/etc"]]
    if gen.returncode or not gen.stderr.startswith(warning) or etc != [["read_file"]]:
        raise AssertionError(gen)


@test
def test_an_exec_session_records_apart_through_the_shim():
    """The container and one podman exec into it learn at once: each its
    own recording, and learn merges them (both launchers once truncated
    the same file)."""
    w = world()
    image = w.podman_image(rootfs=app_rootfs(), tag="ol-learn")
    rec = w.path("learn-exec")
    os.mkdir(rec)
    empty = w.path("learn-no-hooks")
    os.mkdir(empty)
    name = f"ol-learn-exec-{os.getpid()}"
    base = podman_detached(w.shim, empty, name, {"oci.landlock.learn": "/rec/run.json"},
                           [f"{rec}:/rec"], image,
                           ["/bin/sh", "-c", "touch /rec/ready; exec sleep 600"])
    try:
        wait_for_file(os.path.join(rec, "ready"))
        ex = subprocess.run(base + ["exec", name, "/bin/probe", "read", "/etc/app.conf"],
                            capture_output=True, text=True, timeout=120)
        expect(ex, ["OK"])
        sessions = [f for f in os.listdir(rec) if f.startswith("run.json.exec-")]
        if len(sessions) != 1 or ex.stderr != (
                WARNING + "oci-landlock-exec: learning: this exec session's recording is "
                f"'/rec/{sessions[0]}'\n"):
            raise AssertionError(f"{ex}\n{sessions}")
        stop = subprocess.run(base + ["stop", "-t", "10", name], capture_output=True,
                              text=True, timeout=120)
        if stop.returncode:
            raise AssertionError(stop.stderr)
    finally:
        subprocess.run(base + ["rm", "-f", "-t", "0", name], capture_output=True)
    gen = learn(os.path.join(rec, "run.json"))
    policy = json.loads(gen.stdout) if gen.returncode == 0 else {}
    etc = [e["allowedAccess"] for e in policy.get("pathBeneath", []) if e["parent"] == ["/etc"]]
    merged = (f"oci-landlock: merged the exec session's recording "
              f"'{os.path.join(rec, sessions[0])}'\n")
    if gen.returncode or not gen.stderr.startswith(merged) or etc != [["read_file"]]:
        raise AssertionError(gen)


PYTHON_JOB = "import json; print(json.dumps({'job': 'done'}))"


@test
def test_python_bytecode_writes_stay_out_of_the_policy():
    """A learning run of a Python job writes __pycache__ beneath
    /usr/lib/python3.11: the generated policy must not let the sandboxed
    job rewrite the standard library, and the job still runs."""
    need("runc")
    w = world()
    root = w.debian_rootfs(include=("python3",))
    cache = os.path.join(root, "usr", "lib", "python3.11", "json", "__pycache__")
    rec = w.path("learn-python")
    os.mkdir(rec)
    volume = [{"destination": "/rec", "type": "bind", "source": rec, "options": ["rbind", "rw"]}]
    job = ("/usr/local/bin/probe", "read", "/etc/hostname")
    shutil.rmtree(cache, ignore_errors=True)
    b = make_bundle("learn-python-1", {"oci.landlock.learn": "/rec/run.json"}, [], rootfs=root,
                    mounts=volume, command=("/bin/sh", "-c",
                                            f"/usr/bin/python3 -c \"{PYTHON_JOB}\" && "
                                            + " ".join(job)))
    injected(b)
    learned = runc(b, "ol-learn-python-1")
    if learned.returncode or learned.stdout != '{"job": "done"}\nread /etc/hostname => OK\n' or \
            learned.stderr != WARNING or not os.path.isdir(cache):
        raise AssertionError(learned)
    policy_file = w.path("learned-python.json")
    gen = learn("-o", policy_file, os.path.join(rec, "run.json"))
    left_out = ("oci-landlock: left out, writing beneath system directories or on '/' (the "
                "workload could rewrite its own programs):\n  '/usr/lib/python3.11': ")
    if gen.returncode or left_out not in gen.stderr or \
            "(the run used '/usr/lib/python3.11/json/__pycache__/" not in gen.stderr:
        raise AssertionError(gen)
    with open(policy_file) as f:
        policy = f.read()
    # Enforced: the job runs (Python skips a cache it cannot write), and
    # the standard library cannot be rewritten.
    shutil.rmtree(cache)
    b = make_bundle("learn-python-2", {"oci.landlock.policy": policy}, [], rootfs=root,
                    command=("/bin/sh", "-c", f"/usr/bin/python3 -c \"{PYTHON_JOB}\" && "
                             "/usr/local/bin/probe write /usr/lib/python3.11/os.py "
                             "mkreg /usr/lib/python3.11/evil.py read /etc/hostname"))
    inject(b)
    enforced = runc(b, "ol-learn-python-2")
    if enforced.stdout != ('{"job": "done"}\nwrite /usr/lib/python3.11/os.py => EACCES\n'
                           "mkreg /usr/lib/python3.11/evil.py => EACCES\n"
                           "read /etc/hostname => OK\n") or os.path.isdir(cache):
        raise AssertionError(enforced)


run()
