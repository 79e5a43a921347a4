#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""`oci-landlock denials` on real containers with auditing on: a podman
container denied a file, a write, a file creation and a TCP port is found
in the kernel log by its id and by its podman name, each denial with its
time and the annotation that would allow it, --since cuts exactly; podman
--rm containers (hooks, and the shim), runc and crun containers
(oci-landlock inject) and a ctr container are still named after they
exited (the gate's record, not the cgroup); under a printk rate limit
that drops records, and under audit's rate limit that loses them, the
command says how many and how to avoid it.  Also the same records from a
saved log (--log, --all, --since, usage errors, exact output), and
synthesised records of the rights of ABI 9 and 10 with their suggestions.

Needs root, auditctl (auditd), Landlock ABI 7, podman, runc, crun,
containerd and ctr.  The kernel-wide settings changed are put back
(tests/lib/auditing.py).
"""
import datetime
import os
import re
import subprocess
import time

from auditing import Auditing
from engines import (CLI, annotate, crun, ctr, inject, make_bundle, need, runc, shim_base,
                     world)
from tap import Skip, run, test

RECORDS = "/run/oci-landlock/containers"
QUIET_NOTE = ("oci-landlock: note: this kernel lets a policy keep denials out of the log "
              "(quiet rules, Landlock ABI 10): a container whose policy has them was denied "
              "more than is listed; 'oci-landlock check' shows a policy's quiet rules")
NOTE = "(the kernel logs them once auditing is on: auditctl -e 1; Landlock ABI 7 and the " \
       "launcher's default --log)"
ANN = {"oci.landlock.fs.rx": "/", "oci.landlock.fs.rw": "/tmp",
       "oci.landlock.net.connect": "443"}
TIME = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"
# The four denials of OPS, each line after its time.
OPS = ["write", "/etc/data", "mkreg", "/etc/new", "connect", "8080", "write", "/etc/data"]
WANT = [r"fs\.write_file /etc/data \(2 times(, last \d\d:\d\d:\d\d)?\): allow with "
        r"oci\.landlock\.fs\.rw=/etc/data",
        r"fs\.make_reg /etc: allow with oci\.landlock\.fs\.rw=/etc",
        r"net\.connect_tcp port 8080: allow with oci\.landlock\.net\.connect=8080"]
SUPPRESSED = ("oci-landlock: warning: the kernel log dropped {} audit records "
              "('kauditd_printk_skb: callbacks suppressed' in /dev/kmsg): denials may be "
              "missing")
HINT = ("Hint: without auditd the kernel prints audit records under kernel.printk_ratelimit "
        "(seconds) and kernel.printk_ratelimit_burst: run auditd, or lift the limit while "
        "you look (sysctl -w kernel.printk_ratelimit=0)")


def kernel_abi():
    import ctypes
    return max(0, ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))


def need_audit():
    need("podman", "runc")
    if kernel_abi() < 7:
        raise Skip("audit records need Landlock ABI 7")


def podman_env():
    """podman's configuration for this run's store, as `denials` will ask
    podman for a name."""
    w = world()
    w.write("storage.conf", f'[storage]\ndriver = "vfs"\ngraphroot = "{w.path("storage")}"\n'
                            f'runroot = "{w.path("runroot")}"\n')
    w.write("containers.conf", f'[engine]\ntmp_dir = "{w.path("podman-tmp")}"\n'
                               'cgroup_manager = "cgroupfs"\n')
    return dict(os.environ, TZ="UTC", CONTAINERS_STORAGE_CONF=w.path("storage.conf"),
                CONTAINERS_CONF=w.path("containers.conf"))


def denials(*args):
    return subprocess.run([CLI, "denials"] + list(args), capture_output=True, text=True,
                          timeout=60, env=podman_env())


def forget(*ids):
    """Remove the gate's records of this test's containers (and only those)."""
    try:
        names = os.listdir(RECORDS)
    except FileNotFoundError:
        return
    for n in names:
        try:
            with open(os.path.join(RECORDS, n)) as f:
                text = f.read()
        except OSError:
            continue
        if any(f"\nid {i}\n" in text for i in ids):
            os.unlink(os.path.join(RECORDS, n))


def utc(line):
    """The time a denial line starts with, in seconds since the epoch."""
    stamp = re.match(r"  (" + TIME + ") ", line).group(1)
    return datetime.datetime.strptime(stamp, "%Y-%m-%d %H:%M:%S").replace(
        tzinfo=datetime.timezone.utc).timestamp()


def check_group(out, header, t0, t1):
    """out shows one container: header (a regex), then the three denials
    of OPS, each stamped between t0 and t1 (seconds)."""
    lines = out.stdout.splitlines()
    if out.returncode or len(lines) != 4 or not re.fullmatch(header, lines[0]) or not all(
            re.fullmatch("  " + TIME + " " + w, line) for w, line in zip(WANT, lines[1:])):
        raise AssertionError(f"{out.returncode}\n{out.stdout}{out.stderr}")
    for line in lines[1:]:
        if not int(t0) <= utc(line) <= t1:
            raise AssertionError(f"{line}: not between {t0} and {t1}")
    return lines


def wait_for(args, n):
    for _ in range(50):
        out = denials(*args)
        if len(out.stdout.splitlines()) == n:
            break
        time.sleep(0.1)
    return out


@test
def test_denials_of_a_running_container_by_id_name_and_since():
    need_audit()
    w = world()
    image = w.podman_image()
    name = f"ol-denials-{os.getpid()}"
    audit = Auditing()
    cid = None
    script = "/bin/probe " + " ".join(OPS) + "; exec /bin/busybox sleep 120"
    try:
        t0 = time.time()
        proc = subprocess.run(
            w.podman_base() + ["--runtime", "runc", "--hooks-dir", w.hooks, "run", "-d",
                               "--name", name, "--network", "none", "--ulimit",
                               "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
            + annotate(ANN, csv=True) + [image, "/bin/sh", "-c", script],
            capture_output=True, text=True, timeout=120)
        if proc.returncode:
            raise AssertionError(proc.stderr)
        cid = proc.stdout.strip()
        header = rf"container {cid[:12]} \(running, pid (\d+), Landlock domain [0-9a-f]+\)"
        out = wait_for([cid[:12], "--since", f"@{int(t0)}"], 4)
        t1 = time.time()
        lines = check_group(out, header, t0, t1)
        if "dropped" in out.stderr:
            raise AssertionError(out.stderr)
        # The live log of a kernel with quiet rules (ABI 10) may hold less
        # than what was denied, and denials says so; before, it does not.
        if (QUIET_NOTE in out.stderr.splitlines()) != (kernel_abi() >= 10):
            raise AssertionError(f"ABI {kernel_abi()}: {out.stderr!r}")
        pid = re.match(header, lines[0]).group(1)
        # The pid is the container's workload, in the host's pid namespace.
        with open(f"/proc/{pid}/cmdline") as f:
            if not f.read().startswith("/bin/busybox\0sleep"):
                raise AssertionError(f"pid {pid} is not the workload")
        # Its podman name, through podman, shows the same.
        by_name = denials(name)
        if by_name.stdout != out.stdout:
            raise AssertionError(f"by name:\n{by_name.stdout}{by_name.stderr}")
        # --since: from before the run, the same; from after it, nothing.
        since = denials("--since", f"@{int(t0)}", cid)
        if since.stdout != out.stdout:
            raise AssertionError(f"--since @{int(t0)}:\n{since.stdout}{since.stderr}")
        later = int(t1) + 1
        stamp = datetime.datetime.fromtimestamp(later, datetime.timezone.utc).strftime(
            "%Y-%m-%d %H:%M:%S")
        none = denials(cid, "--since", f"@{later}")
        if none.stdout != (f"no Landlock denials in /dev/kmsg for these containers since "
                           f"{stamp}\n{NOTE}\n"):
            raise AssertionError(none.stdout)
        # Another container's id, or a name no one has, shows nothing.
        other = denials("0123456789ab")
        if other.stdout.splitlines()[0] != (
                "no Landlock denials in /dev/kmsg for these containers"):
            raise AssertionError(other.stdout)
        nobody = denials(f"{name}-nobody")
        if nobody.stderr.splitlines()[0] != (
                f"oci-landlock: denials: no container '{name}-nobody' in the log: not the "
                "id (or a prefix of the id) of a container with denials, and no podman "
                "container of that name"):
            raise AssertionError(nobody.stderr)
    finally:
        audit.close()
        subprocess.run(w.podman_base() + ["rm", "-f", "-t", "0", name], capture_output=True)
        if cid:
            forget(cid)


@test
def test_denials_after_a_podman_rm_container_exited():
    """podman run --rm with the hooks, and through the runtime shim."""
    need_audit()
    w = world()
    image = w.podman_image()
    audit = Auditing()
    cids = []
    routes = {"hooks": w.podman_base() + ["--runtime", "runc", "--hooks-dir", w.hooks],
              "shim": shim_base()}
    try:
        for route, base in routes.items():
            t0 = time.time()
            cidfile = w.path(f"rm-{route}.cid")
            proc = subprocess.run(
                base + ["run", "--rm", "--cidfile", cidfile, "--network", "none",
                        "--ulimit", "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
                + annotate(ANN, csv=True) + [image, "/bin/probe"] + OPS,
                capture_output=True, text=True, timeout=120)
            with open(cidfile) as f:
                cid = f.read().strip()
            cids.append(cid)
            if proc.returncode:
                raise AssertionError(f"{route}: {proc.stderr}")
            # Gone from podman, its process gone: the gate's record names it.
            gone = subprocess.run(w.podman_base() + ["container", "exists", cid])
            if gone.returncode != 1:
                raise AssertionError(f"{route}: the --rm container is still there")
            out = wait_for([cid[:12]], 4)
            check_group(out, rf"container {cid[:12]} \(exited, pid \d+, Landlock domain "
                             r"[0-9a-f]+\)", t0, time.time())
            # Without a CONTAINER it is among the containers shown.
            every = denials("--since", f"@{int(t0)}")
            if f"container {cid[:12]} (exited, pid " not in every.stdout:
                raise AssertionError(f"{route}: {every.stdout}")
    finally:
        audit.close()
        forget(*cids)


@test
def test_denials_after_a_runc_or_crun_container_exited():
    """runc and crun on a bundle rewritten by inject: the id is the
    runtime's, not 64 hex digits and in no cgroup path denials could read."""
    need_audit()
    need("crun", "unshare")
    names = [f"ol-den-{rt.__name__}-{os.getpid()}" for rt in (runc, crun)]
    audit = Auditing()
    try:
        for runtime, name in zip((runc, crun), names):
            b = make_bundle(name, ANN, OPS)
            p = inject(b)
            if p.returncode:
                raise AssertionError(p.stderr)
            t0 = time.time()
            p = runtime(b, name)
            if p.returncode:
                raise AssertionError(f"{name}: {p.stderr}")
            out = wait_for([name], 4)
            check_group(out, rf"container {name} \(exited, pid \d+, Landlock domain "
                             r"[0-9a-f]+\)", t0, time.time())
            # A prefix of a non-hex id is not that id.
            part = denials(name[:-1])
            if part.stdout.splitlines()[0] != (
                    "no Landlock denials in /dev/kmsg for these containers"):
                raise AssertionError(part.stdout)
    finally:
        audit.close()
        forget(*names)


@test
def test_denials_of_a_ctr_container_by_its_id():
    """ctr run --rm through the shim (containerd 1.6): the id is ctr's."""
    need_audit()
    need("containerd", "ctr")
    name = f"ol-den-ctr-{os.getpid()}"
    audit = Auditing()
    try:
        t0 = time.time()
        p = ctr(ANN, OPS, name)
        if p.returncode:
            raise AssertionError(p.stderr)
        out = wait_for([name], 4)
        check_group(out, rf"container {name} \(exited, pid \d+, Landlock domain [0-9a-f]+\)",
                    t0, time.time())
    finally:
        audit.close()
        forget(name)


@test
def test_denials_under_a_suppressed_log():
    """printk's rate limit at 3 records a second (the settings are put
    back after): 30 denials, most of them dropped; denials says so."""
    need_audit()
    name = f"ol-den-burst-{os.getpid()}"
    audit = Auditing(ratelimit="1", burst="3")
    try:
        b = make_bundle(name, ANN, ["write", "/etc/data"] * 30)
        p = inject(b)
        if p.returncode:
            raise AssertionError(p.stderr)
        t0 = int(time.time())
        p = runc(b, name)
        if p.returncode:
            raise AssertionError(p.stderr)
        # The kernel reports what it dropped at its next record after the
        # interval.
        time.sleep(1.5)
        subprocess.run(["auditctl", "-m", "oci-landlock test: end of a burst"], check=True,
                       capture_output=True)
        out = denials("--since", f"@{t0}", name)
        err = out.stderr.splitlines()
        pattern = re.escape(SUPPRESSED).replace(r"\{\}", r"(\d+)")
        at = [i for i, line in enumerate(err) if re.fullmatch(pattern, line)]
        m = re.fullmatch(pattern, err[at[0]]) if len(at) == 1 else None
        if out.returncode or not m or int(m.group(1)) < 20 or err[at[0] + 1:at[0] + 2] != [HINT]:
            raise AssertionError(f"{out.returncode}\n{out.stdout}{out.stderr}")
        # What was printed is less than what happened.
        shown = re.search(r"fs\.write_file /etc/data \((\d+) times", out.stdout)
        if shown and int(shown.group(1)) >= 30:
            raise AssertionError(out.stdout)
    finally:
        audit.close()
        forget(name)
    # Put back: the limit lifted as before, the same run shows no loss since now.
    calm = denials("--since", f"@{int(time.time()) + 1}", name)
    if "dropped" in calm.stderr:
        raise AssertionError(calm.stderr)


@test
def test_denials_when_audit_lost_records():
    """audit's rate limit at 1 record a second (put back after, and the
    lost count with it when it was 0): the records it loses are counted
    by the kernel, and denials says how many, with the limits."""
    audit = Auditing(audit_rate="1")
    try:
        for i in range(10):
            subprocess.run(["auditctl", "-m", f"oci-landlock test: lost {i}"],
                           capture_output=True)
        status = dict(line.split(" ", 1) for line in subprocess.run(
            ["auditctl", "-s"], capture_output=True, text=True).stdout.splitlines())
        out = denials("--since", "5s", "--log", "/dev/null")
        want = [f"oci-landlock: warning: the kernel's audit lost {status['lost']} records "
                f"since boot (backlog_limit {status['backlog_limit']}, rate_limit 1): "
                "denials may be missing",
                "Hint: raise the backlog (auditctl -b 8192), lift the rate limit (auditctl "
                "-r 0) and keep auditd reading (auditctl -s shows 'lost')"]
        if out.returncode or int(status["lost"]) < 5 or out.stderr.splitlines() != want:
            raise AssertionError(f"{status}\n{out.returncode}\n{out.stderr}")
    finally:
        audit.close()
    after = dict(line.split(" ", 1) for line in subprocess.run(
        ["auditctl", "-s"], capture_output=True, text=True).stdout.splitlines())
    if after["rate_limit"] != audit.fields["rate_limit"] or (
            audit.fields["lost"] == "0" and after["lost"] != "0"):
        raise AssertionError(f"not put back: {audit.fields} -> {after}")


@test
def test_denials_from_a_saved_log():
    w = world()
    log = w.path("saved-audit.log")
    with open(log, "w") as f:
        f.write('type=UNKNOWN[1423] msg=audit(1796186819.998:1): domain=1aa '
                'blockers=fs.execute path="/opt/tool" dev="vda" ino=1\n'
                'type=UNKNOWN[1424] msg=audit(1796186819.998:1): domain=1aa status=allocated '
                'mode=enforcing pid=999999999 uid=0 exe="/dev/oci-landlock-exec"\n'
                'type=SYSCALL msg=audit(1796186819.998:1): arch=c000003e syscall=59\n'
                'type=UNKNOWN[1423] msg=audit(1796186830.120:2): domain=1aa '
                'blockers=net.bind_tcp saddr=0.0.0.0 src=80\n'
                'type=UNKNOWN[1423] msg=audit(1796186890.500:3): domain=1aa '
                'blockers=net.bind_tcp saddr=0.0.0.0 src=80\n')
    # By default only containers: this process is in none.
    out = denials("--log", log)
    if out.stdout != f"no Landlock denials of containers in {log}\n{NOTE}\n" or \
            not out.stderr.startswith("oci-landlock: denials: 3 denials of processes in no "
                                      "known container not shown (--all shows them)\n"):
        raise AssertionError(f"{out.returncode}\n{out.stdout}{out.stderr}")
    out = denials("--log", log, "--all")
    want = ("pid 999999999 (no container known; Landlock domain 1aa)\n"
            "  2026-12-02 04:46:59 fs.execute /opt/tool: allow with oci.landlock.fs.rx=/opt/tool\n"
            "  2026-12-02 04:47:10 net.bind_tcp port 80 (2 times, last 04:48:10): allow with "
            "oci.landlock.net.bind=80\n")
    if out.returncode or out.stdout != want or "not shown" in out.stderr or \
            "dropped" in out.stderr:
        raise AssertionError(f"{out.returncode}\n{out.stdout}{out.stderr}")
    # --since keeps what is at or after it, in each of its spellings.
    for since in ("@1796186830", "2026-12-02 04:47:10", "2026-12-02T04:47:10"):
        out = denials("--all", "--since", since, "--log", log)
        if out.stdout != ("pid 999999999 (no container known; Landlock domain 1aa)\n"
                          "  2026-12-02 04:47:10 net.bind_tcp port 80 (2 times, last "
                          "04:48:10): allow with oci.landlock.net.bind=80\n"):
            raise AssertionError(f"{since}\n{out.stdout}{out.stderr}")
    out = denials("--all", "--since", "@1796186831", "--log", log)
    if out.stdout != ("pid 999999999 (no container known; Landlock domain 1aa)\n"
                      "  2026-12-02 04:48:10 net.bind_tcp port 80: allow with "
                      "oci.landlock.net.bind=80\n"):
        raise AssertionError(out.stdout)
    out = denials("--all", "--since", "2026-12-02 04:48:11", "--log", log)
    if out.stdout != f"no Landlock denials in {log} since 2026-12-02 04:48:11\n{NOTE}\n":
        raise AssertionError(out.stdout)
    out = denials("--since", "yesterday", "--log", log)
    if out.returncode != 2 or out.stderr.splitlines()[0] != (
            "oci-landlock: denials: --since 'yesterday' is not a time"):
        raise AssertionError(out.stderr)
    # A saved kernel log that says it dropped records.
    with open(log, "a") as f:
        f.write("[  298.828618] kauditd_printk_skb: 57 callbacks suppressed\n")
    out = denials("--all", "--log", log)
    if out.stdout != want or out.stderr.splitlines()[:2] != [
            SUPPRESSED.format(57).replace("/dev/kmsg", log), HINT]:
        raise AssertionError(out.stderr)
    empty = w.path("empty.log")
    open(empty, "w").close()
    out = denials("--log", empty, "4099a3")
    if out.stdout.splitlines()[0] != f"no Landlock denials in {empty} for these containers":
        raise AssertionError(out.stdout)
    # Usage: options anywhere, "--" ends them, each error exits 2.
    usage = ("Usage: oci-landlock denials [--since TIME] [--all] [--log FILE] "
             "[CONTAINER...]\n")
    for args, first in ((["--frob"], "unknown option '--frob'"),
                        (["--log"], "option '--log' needs a value"),
                        (["web", "--since"], "option '--since' needs a value")):
        out = denials(*args)
        if out.returncode != 2 or out.stderr != f"oci-landlock: denials: {first}\n{usage}":
            raise AssertionError(f"{args}: {out.returncode} {out.stderr!r}")
    out = denials("--log", log, "--", "--all")
    if out.returncode or not out.stdout.startswith(f"no Landlock denials in {log} for these "
                                                   "containers\n"):
        raise AssertionError(out.stdout)
    out = denials("--log", w.path("missing.log"))
    if out.returncode != 1 or out.stderr != (
            f"oci-landlock: cannot read '{w.path('missing.log')}': No such file or "
            "directory\n"):
        raise AssertionError(out.stderr)


@test
def test_denials_of_abi_9_and_10_rights_from_a_saved_log():
    """resolve_unix (ABI 9) and the UDP rights (ABI 10) in a saved log,
    auditd's and dmesg's spelling, each with its exact suggestion.  The
    records are synthesised, written as Linux 7.1 and 7.2 print them
    (host/audit.h): this kernel has ABI 7 and cannot produce them.  A
    bind without src= asked for port 0 (the automatic bind of a client's
    first send); lport= is the socket's own port, dest= the one asked for."""
    w = world()
    bodies = [
        ("1424", "1796186900.100:20", "status=allocated mode=enforcing pid=999999998 uid=0 "
                                      'exe="/dev/oci-landlock-exec" comm="oci-landlock-ex"'),
        ("1423", "1796186900.100:21", 'blockers=fs.resolve_unix path="/run/dbus/system_bus_socket" '
                                      'dev="tmpfs" ino=812'),
        ("1423", "1796186900.200:22", 'blockers=fs.resolve_unix path="/run/a:b.sock" dev="tmpfs" '
                                      "ino=813"),
        ("1423", "1796186901.300:23", "blockers=net.bind_udp src=5353"),
        ("1423", "1796186902.400:24", "blockers=net.connect_send_udp daddr=10.0.2.3 dest=53"),
        ("1423", "1796186903.500:25", "blockers=net.bind_udp"),
        ("1423", "1796186904.600:26", "blockers=net.connect_send_udp lport=5353 "
                                      "daddr=224.0.0.251 dest=5353"),
        ("1423", "1796186904.700:27", "blockers=net.connect_send_udp lport=5353 "
                                      "daddr=224.0.0.251 dest=5353"),
        ("1423", "1796186905.800:28", "blockers=net.connect_send_udp"),
    ]
    want = ("pid 999999998 (no container known; Landlock domain 2bb)\n"
            "  2026-12-02 04:48:20 fs.resolve_unix /run/dbus/system_bus_socket: allow with "
            "oci.landlock.fs.unix=/run/dbus/system_bus_socket\n"
            "  2026-12-02 04:48:20 fs.resolve_unix /run/a:b.sock: no annotation suggested (the "
            "path is relative, or holds ':', ',' or a control character)\n"
            "  2026-12-02 04:48:21 net.bind_udp port 5353: allow with "
            "oci.landlock.net.udp.bind=5353\n"
            "  2026-12-02 04:48:22 net.connect_send_udp port 53: allow with "
            "oci.landlock.net.udp.connect=53 (the socket has no port yet: its connect or send "
            "binds one, so if oci.landlock.net.udp.bind is set, add 0 to it)\n"
            "  2026-12-02 04:48:23 net.bind_udp port 0: allow with oci.landlock.net.udp.bind=0 "
            "(0: the port the kernel picks, for bind(0) or a client's first connect or send)\n"
            "  2026-12-02 04:48:24 net.connect_send_udp port 5353 (2 times): allow with "
            "oci.landlock.net.udp.connect=5353\n"
            "  2026-12-02 04:48:25 net.connect_send_udp -\n")
    forms = {"auditd": lambda t, stamp: f"type=UNKNOWN[{t}] msg=audit({stamp}): domain=2bb ",
             "dmesg": lambda t, stamp: f"[ 9120.402113] audit: type={t} audit({stamp}): domain=2bb "}
    for form, head in forms.items():
        log = w.path(f"newer-abi-{form}.log")
        with open(log, "w") as f:
            f.writelines(head(t, stamp) + body + "\n" for t, stamp, body in bodies)
        out = denials("--all", "--log", log)
        if out.returncode or out.stdout != want or "not shown" in out.stderr or \
                "dropped" in out.stderr:
            raise AssertionError(f"{form}: {out.returncode}\n{out.stdout}{out.stderr}")


@test
def test_a_path_the_workload_chose_is_shown_as_text():
    """A path with an escape sequence and a ':' is written out, not acted
    on, and gets no 'allow with' (a:/etc/x would read as two paths)."""
    need_audit()
    w = world()
    image = w.podman_image()
    audit = Auditing()
    cid = None
    try:
        cidfile = w.path("escape.cid")
        evil = "/tmp/a:\x1b[2K\rb"
        proc = subprocess.run(
            w.podman_base() + ["--runtime", "runc", "--hooks-dir", w.hooks, "run", "--rm",
                               "--cidfile", cidfile, "--network", "none", "--ulimit",
                               "nofile=1024:1024", "--ulimit", "nproc=4096:4096"]
            + annotate({"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp",
                        "oci.landlock.net.socket": "unix"}, csv=True) + [image, "/bin/sh", "-c",
                                         'cp /bin/busybox "$1" && exec "$1" true', "sh",
                                         evil],
            capture_output=True, text=True, timeout=120)
        with open(cidfile) as f:
            cid = f.read().strip()
        # /tmp is rw, not rx: the copy runs nowhere.
        if proc.returncode != 126 or "Permission denied" not in proc.stderr:
            raise AssertionError(proc)
        out = wait_for([cid[:12]], 2)
        lines = out.stdout.splitlines()
        if out.returncode or len(lines) != 2 or "\x1b" in out.stdout or "\r" in out.stdout or \
                not re.fullmatch("  " + TIME + r" fs\.execute /tmp/a:\\x1b\[2K\\x0db: no "
                                 r"annotation suggested \(the path is relative, or holds ':', ',' "
                                 r"or a control character\)", lines[1]):
            raise AssertionError(out.stdout + out.stderr)
    finally:
        audit.close()
        if cid:
            forget(cid)


if __name__ == "__main__":
    run()
