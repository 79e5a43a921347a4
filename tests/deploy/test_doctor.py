#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""oci-landlock doctor on installations the Kubernetes installer made
(install.sh, into a temporary PREFIX with no DESTDIR, so that the paths
the settings and wrappers name are real), once as installed and then
broken in every way doctor knows: each problem is reported with its exact
line and fix, and the exit status says so.  The kernel, audit and printk
lines are compared with what the kernel and auditctl say.  Needs the
`file` command (for the staged context) and runc; root and auditctl for
the audit lines.
"""
import ctypes
import json
import os
import re
import shutil

from auditing import Auditing
from installer import CLI, TMP, ok, sh, source
from kube import SRCDIR
from tap import Skip, run, test

HOST = re.compile(r"^(ok|warning|problem): (kernel|audit|printk rate limit):")
LINUX = {1: "5.13", 2: "5.19", 3: "6.2", 4: "6.7", 5: "6.10", 6: "6.12", 7: "6.15"}
ERRATA = [(4, "TCP rights also restrict MPTCP, SMC and SCTP stream sockets"),
          (6, "signal scoping is too strict between threads of one process"),
          (1, "rename or link of disconnected directories under bind mounts can widen access")]


def runc():
    path = shutil.which("runc")
    if not path:
        raise Skip("runc is not installed")
    return os.path.realpath(path)


def install(name, runtime, handlers="landlock"):
    prefix = os.path.join(TMP, name)
    ok(sh("sh", os.path.join(source(), "install.sh"),
          env={"DESTDIR": "", "PREFIX": prefix, "RUNTIME": runtime, "HANDLERS": handlers,
               "SRC": source()}))
    return prefix


def write(path, text, mode=0o644):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    os.chmod(path, mode)
    return path


def hooks_file(directory, stage, cli, stages=None):
    """A hooks.d file as meson installs it (examples/hooks.d/), for cli."""
    name = "precreate" if stage == "precreate" else "gate"
    with open(os.path.join(SRCDIR, "examples", "hooks.d",
                           f"oci-landlock-{name}.json.in")) as f:
        doc = json.loads(f.read().replace("@CLI@", cli).replace("@EXTRA_ENV@", ""))
    if stages:
        doc["stages"] = stages
    return write(os.path.join(directory, f"oci-landlock-{name}.json"), json.dumps(doc))


def doctor(*args):
    p = sh(CLI, "doctor", *args, env={"OCI_LANDLOCK_CONFIG": "", "CONTAINERS_CONF": ""})
    lines = p.stdout.splitlines()
    ours, host = [], []
    for i, line in enumerate(lines[:-1]):
        to = host if HOST.match(line) or (line.startswith("  fix:") and i and
                                          HOST.match(lines[i - 1])) else ours
        to.append(line)
    return p, ours, host, lines[-1] if lines else ""


def expect(p, summary_line, got, want, problems):
    if got != want:
        diff = "\n".join(f"  got:  {g}\n  want: {w}" for g, w in
                         zip(got + [""] * len(want), want + [""] * len(got)) if g != w)
        raise AssertionError(f"doctor's lines differ:\n{diff}\nstdout:\n{p.stdout}"
                             f"stderr:\n{p.stderr}")
    warnings = sum(line.startswith("warning:") for line in p.stdout.splitlines())
    summary = (f"{problems} problem{'' if problems == 1 else 's'}, "
               f"{warnings} warning{'' if warnings == 1 else 's'}")
    if summary_line != summary or p.returncode != (1 if problems else 0) or p.stderr:
        raise AssertionError(f"status {p.returncode}, last line {summary_line!r}, want "
                             f"{summary!r}\n{p.stdout}{p.stderr}")


@test
def test_a_good_installation_has_no_problem():
    rt = runc()
    pre = install("good", rt)
    hooks = os.path.join(TMP, "good-hooks")
    hooks_file(hooks, "precreate", f"{pre}/bin/oci-landlock")
    hooks_file(hooks, "createRuntime", f"{pre}/bin/oci-landlock")
    # Another program's hook is not ours to judge.
    write(os.path.join(hooks, "other.json"),
          '{"version": "1.0.0", "hook": {"path": "/nonexistent"}, "stages": ["prestart"]}')
    conf = write(os.path.join(TMP, "good.conf"),
                 "# podman's containers.conf, with the shim as a runtime\n"
                 "[engine]\n"
                 f'hooks_dir = [\n  "{hooks}",  # oci-landlock\'s\n]\n'
                 'runtime = "landlock"\n'
                 "[engine.runtimes]\n"
                 f'landlock = ["{pre}/bin/oci-landlock-runtime-wrapper"]\n'
                 'crun = ["/usr/bin/crun", "/usr/local/bin/crun"]\n')
    p, ours, _, last = doctor("--prefix", pre, "--containers-conf", conf)
    settings = f"{pre}/etc/config.json"
    expect(p, last, ours, [
        f"ok: wrapper '{pre}/bin/oci-landlock-runtime-wrapper': runs "
        f"'{pre}/bin/oci-landlock-runtime' with settings '{settings}'",
        f"ok: settings '{settings}': valid",
        f"ok: launcher '{pre}/libexec/oci-landlock-exec' (from '{settings}'): a static "
        "executable",
        f"ok: profiles '{pre}/etc/profiles' (from '{settings}'): 5 profiles, each parses",
        f"ok: runtime (from '{settings}'): the shim runs '{rt}'",
        f"ok: podman runtime 'landlock': '{pre}/bin/oci-landlock-runtime-wrapper'",
        "ok: podman's default runtime 'landlock' is the shim: every container and exec "
        "session goes through it",
        f"ok: hooks.d file '{hooks}/oci-landlock-gate.json': runs '{pre}/bin/oci-landlock' "
        "at createRuntime",
        f"ok: hooks.d file '{hooks}/oci-landlock-precreate.json': runs "
        f"'{pre}/bin/oci-landlock' at precreate",
    ], 0)


@test
def test_a_broken_installation_names_each_problem():
    pre = install("broken", "/nonexistent/runc", handlers="landlock other")
    settings = f"{pre}/etc/config.json"
    os.unlink(f"{pre}/libexec/oci-landlock-exec")
    write(f"{pre}/etc/profiles/bad.json", '{"ruleset":[{"handledAccessFs":["read_fil"]}]}')
    write(f"{pre}/etc/other.json", '{"launcher": "/x"')
    hooks = os.path.join(TMP, "broken-hooks")
    hooks_file(hooks, "precreate", "/nonexistent/oci-landlock")
    hooks_file(hooks, "createRuntime", f"{pre}/bin/oci-landlock")
    conf = write(os.path.join(TMP, "broken.conf"),
                 "[engine.runtimes]\n"
                 f'landlock = ["{pre}/bin/oci-landlock-runtime-wrapper-gone"]\n')
    p, ours, _, last = doctor("--prefix", pre, "--containers-conf", conf,
                              "--hooks-dir", hooks, "--hooks-dir", f"{TMP}/no-such-hooks")
    expect(p, last, ours, [
        f"ok: wrapper '{pre}/bin/oci-landlock-runtime-wrapper': runs "
        f"'{pre}/bin/oci-landlock-runtime' with settings '{settings}'",
        f"ok: settings '{settings}': valid",
        f"problem: launcher '{pre}/libexec/oci-landlock-exec' (from '{settings}'): No such "
        "file or directory",
        f"  fix: install the static oci-landlock-exec there, or set \"launcher\" in "
        f"'{settings}'",
        f"problem: profile 'bad' ('{pre}/etc/profiles/bad.json'): "
        'ruleset[0].handledAccessFs[0]: unknown file-system right "read_fil" (did you mean '
        '"read_file"?)',
        "  fix: valid here: execute, write_file, read_file, read_dir, remove_dir, "
        "remove_file, make_char, make_dir, make_reg, make_sock, make_fifo, make_block, "
        "make_sym, refer, truncate, ioctl_dev, resolve_unix, abi.all, abi.read_execute, "
        "abi.read_write",
        f"problem: runtime '/nonexistent/runc' (from '{settings}'): No such file or directory",
        f"  fix: install it, or name the real runtime in \"runtime\" of '{settings}'",
        f"ok: wrapper '{pre}/bin/oci-landlock-runtime-wrapper-other': runs "
        f"'{pre}/bin/oci-landlock-runtime' with settings '{pre}/etc/other.json'",
        f"problem: invalid settings '{pre}/etc/other.json': invalid JSON at the end of the "
        "document: parse error: premature EOF",
        "  fix: correct the file: docs/settings.md lists its keys and values",
        f"problem: podman runtime 'landlock': '{pre}/bin/oci-landlock-runtime-wrapper-gone': "
        "No such file or directory",
        "  fix: install it there, or correct [engine.runtimes] in containers.conf",
        f"ok: hooks.d file '{hooks}/oci-landlock-gate.json': runs '{pre}/bin/oci-landlock' "
        "at createRuntime",
        f"problem: hooks.d file '{hooks}/oci-landlock-precreate.json': runs "
        "'/nonexistent/oci-landlock': No such file or directory",
        "  fix: install oci-landlock there, or correct \"hook\".\"path\"",
        f"problem: hooks directory '{TMP}/no-such-hooks': No such file or directory",
        "  fix: create it, or name the directory the hooks.d files are in",
        "warning: podman hooks: the gate without precreate: a container with oci.landlock.* "
        "annotations is refused, never sandboxed",
        "  fix: install oci-landlock-precreate.json beside oci-landlock-gate.json",
    ], 7)


@test
def test_a_dynamic_launcher_and_other_breakage():
    rt = runc()
    pre = install("dynamic", rt)
    settings = f"{pre}/etc/config.json"
    kind = sh("file", "-L", "/bin/true").stdout
    if "dynamically linked" not in kind:
        raise Skip(f"/bin/true is not dynamically linked: {kind}")
    launcher = f"{pre}/libexec/oci-landlock-exec"
    os.unlink(launcher)
    shutil.copy("/bin/true", launcher)
    # The shim's gate command gone; a wrapper naming settings that are not there.
    os.unlink(f"{pre}/bin/oci-landlock")
    write(f"{pre}/bin/oci-landlock-runtime-wrapper-lost",
          f"#!/bin/sh\nOCI_LANDLOCK_CONFIG={pre}/etc/lost.json "
          f'exec {pre}/bin/oci-landlock-runtime "$@"\n', 0o755)
    write(f"{pre}/bin/oci-landlock-runtime-wrapper-noexec",
          f'#!/bin/sh\nexec {pre}/bin/oci-landlock-runtime "$@"\n', 0o644)
    # Settings named on the command line: an unknown key; and a hooks
    # file that runs the precreate command at another stage.
    extra = write(os.path.join(TMP, "extra.json"), '{"launchr": "/x"}')
    hooks = os.path.join(TMP, "dynamic-hooks")
    hooks_file(hooks, "precreate", rt, stages=["createRuntime"])
    conf = write(os.path.join(TMP, "dynamic.conf"), "[engine]\nruntime = landlock\n")
    p, ours, _, last = doctor("--settings", extra, "--prefix", pre, "--containers-conf", conf,
                              "--hooks-dir", hooks)
    expect(p, last, ours, [
        f"problem: invalid settings '{extra}': unknown key \"launchr\"",
        "  fix: the keys are runtime, launcher, profiles, default, require, mode and learning",
        f"ok: wrapper '{pre}/bin/oci-landlock-runtime-wrapper': runs "
        f"'{pre}/bin/oci-landlock-runtime' with settings '{settings}'",
        f"problem: no oci-landlock at '{pre}/bin/oci-landlock': the shim "
        f"'{pre}/bin/oci-landlock-runtime' runs it as the gate hook, and refuses sandboxed "
        "containers without it",
        "  fix: install oci-landlock in the same directory as oci-landlock-runtime",
        f"ok: settings '{settings}': valid",
        f"problem: launcher '{launcher}' (from '{settings}') is dynamically linked: it needs "
        "a loader and libraries the container's image may lack",
        "  fix: install the static oci-landlock-exec of this version (the build links it "
        "with -static)",
        f"ok: profiles '{pre}/etc/profiles' (from '{settings}'): 5 profiles, each parses",
        f"ok: runtime (from '{settings}'): the shim runs '{rt}'",
        f"ok: wrapper '{pre}/bin/oci-landlock-runtime-wrapper-lost': runs "
        f"'{pre}/bin/oci-landlock-runtime' with settings '{pre}/etc/lost.json'",
        f"problem: settings: cannot open '{pre}/etc/lost.json': No such file or directory",
        "  fix: correct the file: docs/settings.md lists its keys and values",
        f"problem: wrapper '{pre}/bin/oci-landlock-runtime-wrapper-noexec' is not an "
        "executable file",
        "  fix: chmod +x it: the engine executes it",
        f"warning: containers.conf '{conf}': line 2: runtime: expected a string",
        "  fix: oci-landlock reads only hooks_dir and the runtimes, from plain strings: "
        "check those lines",
        f"problem: hooks.d file '{hooks}/oci-landlock-precreate.json': runs 'oci-landlock "
        "hook precreate' at another stage",
        "  fix: run 'oci-landlock hook STAGE' at the stage it names",
        "warning: podman: no runtime of containers.conf is the shim and no hooks directory "
        "podman reads has oci-landlock's hooks.d files",
        "  fix: name the shim in [engine.runtimes] of containers.conf, or add the hooks.d "
        "files' directory to hooks_dir (docs/containers.md)",
    ], 6)


def audit_status():
    if os.geteuid() != 0:
        raise Skip("reading the audit status needs root")
    if not shutil.which("auditctl"):
        raise Skip("auditctl is not installed (package auditd)")
    out = sh("auditctl", "-s").stdout
    return {k: int(v) for k, v in re.findall(r"^(\w+) (\d+)$", out, re.M)}


def host_lines():
    """What doctor should say of this kernel, from the kernel and auditctl."""
    libc = ctypes.CDLL(None, use_errno=True)
    abi = max(0, libc.syscall(444, None, 0, 1))
    if not abi:
        raise Skip("no Landlock on this kernel")
    errata = max(0, libc.syscall(444, None, 0, 2))
    st = audit_status()
    want = [f"ok: kernel: Landlock ABI {abi} (Linux {LINUX[abi]} or later)"
            if abi in LINUX else
            f"warning: kernel: Landlock ABI {abi}, newer than this oci-landlock knows (1 to 7)"]
    if abi not in LINUX:
        want.append("  fix: upgrade oci-landlock to use what the kernel adds")
    unfixed = [f"{i + 1} ({what})" for i, (first, what) in enumerate(ERRATA)
               if abi >= first and not errata & (1 << i)]
    if unfixed:
        want += ["warning: kernel: Landlock errata not reported fixed: " + "; ".join(unfixed),
                 "  fix: update the kernel to a release with the fixes"]
    else:
        want.append(f"ok: kernel: every Landlock erratum for ABI {abi} reported fixed")
    if not st["enabled"]:
        return want + ["warning: audit: disabled: the kernel logs no Landlock denial, and "
                       "'oci-landlock denials' finds none",
                       "  fix: auditctl -e 1 (package auditd), or audit=1 on the kernel "
                       "command line"]
    want.append(f"ok: audit: enabled, records to auditd (pid {st['pid']})" if st["pid"]
                else "ok: audit: enabled, records to the kernel log (no auditd)")
    if st["rate_limit"]:
        want += [f"warning: audit: rate limit {st['rate_limit']} records a second: "
                 "records beyond it are lost", "  fix: auditctl -r 0"]
    if st["lost"]:
        want += [f"warning: audit: {st['lost']} records lost since boot (backlog limit "
                 f"{st['backlog_limit']})",
                 "  fix: auditctl -b 8192 (a longer backlog), and run auditd"]
    if st["pid"]:
        return want
    with open("/proc/sys/kernel/printk_ratelimit") as f:
        interval = int(f.read())
    with open("/proc/sys/kernel/printk_ratelimit_burst") as f:
        burst = int(f.read())
    return want + (["ok: printk rate limit: off"] if not interval else [
        f"warning: printk rate limit: {burst} messages in {interval} s: denials beyond it "
        "are dropped from the kernel log ('kauditd_printk_skb: N callbacks suppressed')",
        "  fix: run auditd (its log has no such limit), or sysctl -w "
        "kernel.printk_ratelimit=0"])


@test
def test_kernel_audit_and_printk_lines_say_what_the_kernel_says():
    # As the machine is, then with auditing on (and the printk limit
    # lifted, as the denials tests do): both branches of the audit check.
    seen = []
    for on in (False, True):
        a = Auditing() if on else None
        try:
            want = host_lines()
            p, _, host, _ = doctor("--settings", os.path.join(TMP, "none.json"))
        finally:
            if a:
                a.close()
        if host != want:
            raise AssertionError(f"got {host}\nwant {want}\n{p.stdout}")
        seen = host
    if not any(line.startswith("ok: audit: enabled") for line in seen):
        raise AssertionError(f"auditing on, but doctor said {seen}")


@test
def test_usage():
    for args in (["--prefix"], ["--prefix", "/a", "--prefix", "/b"], ["extra"], ["--settings", ""]):
        p = sh(CLI, "doctor", *args)
        if p.returncode != 2 or p.stdout or p.stderr != (
                "usage: oci-landlock doctor [--settings FILE]... [--prefix DIR] "
                "[--hooks-dir DIR]... [--containers-conf FILE]...\n"):
            raise AssertionError(f"{args}: {p.returncode} {p.stderr!r}")
    p = sh(CLI, "doctor", "--help")
    if p.returncode or not p.stdout.startswith(
            "Usage: oci-landlock doctor [--settings FILE]... [--prefix DIR]"):
        raise AssertionError(p.stdout + p.stderr)


@test
def test_what_others_can_change_is_a_problem():
    """Whoever can write the launcher, the settings, the profiles or a
    hooks.d directory decides what containers run, or what runs as root;
    and a file name is shown as text, never as lines or escapes."""
    rt = runc()
    pre = install("writable", rt)
    settings = f"{pre}/etc/config.json"
    launcher = f"{pre}/libexec/oci-landlock-exec"
    os.chmod(launcher, 0o775)
    os.chmod(settings, 0o666)
    os.chown(f"{pre}/etc/profiles", 1000, 1000)
    hooks = os.path.join(TMP, "writable-hooks")
    hooks_file(hooks, "gate", f"{pre}/bin/oci-landlock")
    os.chmod(hooks, 0o777)
    forged = os.path.join(hooks, "x\nok: all is fine\n0 problems, 0 warnings\x1b[8m.json")
    write(forged, "{}")
    p, ours, _, last = doctor("--settings", settings, "--hooks-dir", hooks)
    fix = ("  fix: chown root and chmod go-w it and each directory above it (or move it where "
           "only root writes)")
    why = "whoever can change it decides what containers run (or what runs as root)"
    want = [
        f"ok: settings '{settings}': valid",
        f"problem: settings '{settings}': '{settings}' is writable by every user (mode 0666): "
        + why, fix,
        f"ok: launcher '{launcher}' (from '{settings}'): a static executable",
        f"problem: launcher '{launcher}': '{launcher}' is writable by its group (mode 0775): "
        + why, fix,
        f"ok: profiles '{pre}/etc/profiles' (from '{settings}'): 5 profiles, each parses",
        f"problem: profiles '{pre}/etc/profiles': '{pre}/etc/profiles' is owned by uid 1000, "
        "not root: that user can change it: " + why, fix,
        f"ok: runtime (from '{settings}'): the shim runs '{rt}'",
        f"ok: hooks.d file '{hooks}/oci-landlock-gate.json': runs '{pre}/bin/oci-landlock' "
        "at createRuntime",
        f"problem: hooks.d file '{hooks}/oci-landlock-gate.json': '{hooks}' is writable by "
        "every user (mode 0777): " + why, fix,
    ]
    got = [line for line in ours if not line.startswith(("warning:", "  fix: name", "  fix: oci"))
           and "x\\x0a" not in line and "podman" not in line]
    if not any("x\\x0aok: all is fine\\x0a0 problems, 0 warnings\\x1b[8m.json" in line
               for line in ours) or "\x1b" in p.stdout:
        raise AssertionError(p.stdout)
    if got[:len(want)] != want or p.returncode != 1:
        raise AssertionError("\n".join(f"got:  {g}\nwant: {w}" for g, w in zip(got, want)
                                        if g != w) + "\n" + p.stdout)


if __name__ == "__main__":
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
