#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Kernel tests: what oci-landlock-exec itself promises.

Shorthand presets, layers and their intersection, missing paths, exit
statuses, refusing bad input before the workload runs, the kernel's layer
limit, descriptor hygiene, audit logging flags, and a run without any libc.

Needs: Landlock ABI 6 or later (7 for the audit flags), root for chroot
and the audit log.  A case that cannot run says why and is skipped.
"""
import os
import shutil
import subprocess
import tempfile

from auditing import KernelLog
from elfinterp import elf_interpreter
from launch import (ABI, LAUNCHER, PROBE, VERSION, Tree, expect,
                    launch, main, need_abi, need_root, policy)
from tap import Skip, test


# ---- shorthand, layers, missing paths ---------------------------------------

@test
def test_shorthand_presets():
    t = Tree()
    try:
        proc = launch(["--fs-rx", PROBE, "--fs-ro", t.a(), "--fs-rw", t.d()],
                      ["read", t.a("f"), "write", t.a("f"), "exec", t.a("prog"),
                       "write", t.d("f"), "truncate", t.d("f"),
                       "exec", t.d("prog"), "read", "/etc/hostname"])
        expect(proc, ["OK", "EACCES", "EACCES", "OK", "OK", "EACCES", "EACCES"])
    finally:
        t.close()


@test
def test_layers_intersect():
    t = Tree()
    try:
        for side in ("b", "c"):
            os.mkdir(t.path(side))
            with open(t.path(side, "f"), "w") as f:
                f.write("x")
        # Layer 1 allows a and b, layer 2 allows b and c: only b is left.
        layer1 = policy((t.a(), ["read_file"]), (t.path("b"), ["read_file"]))
        proc = launch(["--policy", layer1,
                       "--fs-rx", PROBE + ":" + t.path("b") + ":" + t.path("c")],
                      ["read", t.a("f"), "read", t.path("b", "f"),
                       "read", t.path("c", "f")])
        expect(proc, ["EACCES", "OK", "EACCES"])
    finally:
        t.close()


@test
def test_named_layer_merges_its_policies():
    t = Tree()
    try:
        doc = policy((t.a(), ["read_file"]))
        # Without --layer the JSON policy and the shorthand are two layers:
        # each forbids what only the other grants.
        proc = launch(["--policy", doc, "--fs-rx", PROBE + ":" + t.d()],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["EACCES", "EACCES"])
        # With --layer they are one layer: what either grants is allowed.
        proc = launch(["--layer", "annotations", "--policy", doc,
                       "--fs-rx", t.d()], ["read", t.a("f"), "read", t.d("f"),
                                           "write", t.a("f")])
        expect(proc, ["OK", "OK", "EACCES"])
        # Layer names appear in the launcher's messages.
        missing = t.path("gone")
        proc = launch(["--layer", "annotations", "--fs-rx", PROBE + ":" + missing],
                      ["exit", "0"])
        if proc.stderr != (f"oci-landlock-exec: warning: annotations: rule for "
                           f"'{missing}' skipped: No such file or directory\n"):
            raise AssertionError(proc.stderr)
        proc = launch(["--layer", "empty", "--layer", "full", "--fs-rx", "/"],
                      ["exit", "0"])
        if proc.returncode != 126 or proc.stderr != (
                "oci-landlock-exec: layer 'empty' has no policy\n"):
            raise AssertionError(proc.stderr)
    finally:
        t.close()


@test
def test_error_option_fails_closed():
    t = Tree()
    try:
        marker = t.a("marker")
        msg = "annotation 'oci.landlock.profile': no profile 'web'"
        proc = launch(["--fs-rwx", "/", "--error", msg], ["mkreg", marker])
        if proc.returncode != 126 or proc.stderr != f"oci-landlock-exec: {msg}\n" \
                or os.path.exists(marker):
            raise AssertionError(f"{proc.returncode} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_confirm_says_what_was_applied_once_and_only_when_asked():
    need_abi(6)
    t = Tree()
    try:
        args = ["--net-socket", "unix,tcp", "--policy", policy((t.a(), ["read_file"])),
                "--fs-rx", PROBE + ":" + t.a(), "--net-bind", "80", "--scope", "signal"]
        proc = launch(args + ["--confirm", "on"], ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["OK", "EACCES"])
        fs = 16  # every file-system right this version knows (ABI 5 and later)
        want = (f"oci-landlock-exec: sandbox applied: 2 layers, ABI {ABI}, strict; "
                f"fs: {fs} of {fs} rights; net: bind_tcp; scoped: signal; "
                "sockets: unix, tcp\n")
        if proc.stderr != want:
            raise AssertionError(f"{proc.stderr!r}, want {want!r}")
        # Off by default, and off when said: nothing on stderr.
        for extra in ([], ["--confirm", "off"]):
            proc = launch(args + extra, ["read", t.a("f")])
            expect(proc, ["OK"])
            if proc.stderr:
                raise AssertionError(f"{extra}: {proc.stderr!r}")
        # A best-effort layer of one scope: what is handled is what the line says.
        proc = launch(["--mode", "best-effort", "--scope", "all", "--confirm", "on"],
                      ["read", t.d("f")])
        expect(proc, ["OK"])
        want = (f"oci-landlock-exec: sandbox applied: 1 layer, ABI {ABI}, best-effort; "
                f"fs: 0 of {fs} rights; net: none; scoped: abstract_unix_socket,signal; "
                "sockets: any\n")
        if proc.stderr != want:
            raise AssertionError(f"{proc.stderr!r}, want {want!r}")
        # Nothing but on and off, refused before the command runs.
        marker = t.a("marker")
        proc = launch(["--fs-rwx", "/", "--confirm", "yes"], ["mkreg", marker])
        if proc.returncode != 126 or os.path.exists(marker) or proc.stderr != (
                "oci-landlock-exec: invalid option '--confirm': expected on or off, "
                "found 'yes'\nHint: on prints one line 'sandbox applied: ...' on stderr "
                "before the command runs\n"):
            raise AssertionError(f"{proc.returncode} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_policy_file_layer():
    t = Tree()
    try:
        path = t.path("policy.json")
        with open(path, "w") as f:
            f.write(policy((t.a(), ["read_file"])))
        proc = launch(["--policy-file", path],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["OK", "EACCES"])
    finally:
        t.close()


@test
def test_missing_path_is_skipped_once():
    t = Tree()
    try:
        missing = t.path("not-there")
        proc = launch(["--fs-rx", PROBE, "--fs-ro", missing + ":" + t.a()],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["OK", "EACCES"])
        want = (f"oci-landlock-exec: warning: --fs/--net/--scope options: "
                f"rule for '{missing}' skipped: No such file or directory\n")
        if proc.stderr != want:
            raise AssertionError(f"stderr: {proc.stderr!r}")
    finally:
        t.close()


@test
def test_rule_on_a_file_keeps_file_rights():
    t = Tree()
    try:
        # fs.ro grants read_dir too, which the kernel refuses on a file.
        proc = launch(["--fs-rx", PROBE, "--fs-ro", t.a("f")],
                      ["read", t.a("f"), "read", t.a("g"), "readdir", t.a()])
        expect(proc, ["OK", "EACCES", "EACCES"])
        if proc.stderr:
            raise AssertionError(proc.stderr)
    finally:
        t.close()


@test
def test_rule_on_dev_stdout():
    # /dev/stdout is a symbolic link to /proc/self/fd/1: the rule follows
    # no link and is skipped, saying so.  Writing there still works: it
    # is a pipe here, and Landlock does not restrict pipes.
    proc = launch(["--fs-rx", PROBE, "--fs-rw", "/dev/stdout"],
                  ["write", "/dev/stdout"])
    want = ("oci-landlock-exec: warning: --fs/--net/--scope options: rule for "
            "'/dev/stdout' skipped: '/dev/stdout' is a symbolic link (to "
            "'/proc/self/fd/1'), and rules follow none (write the path it leads to)\n")
    if proc.returncode != 0 or proc.stderr != want or not proc.stdout.endswith(
            "write /dev/stdout => OK\n"):
        raise AssertionError(f"{proc.returncode} {proc.stdout!r} {proc.stderr!r}")


@test
def test_script_interpreter_needs_execute():
    t = Tree()
    try:
        script = t.a("s.sh")
        with open(script, "w") as f:
            f.write("#!/bin/sh\nexit 0\n")
        os.chmod(script, 0o755)
        proc = launch(["--fs-rx", PROBE + ":" + t.a()], ["exec", script])
        expect(proc, ["EACCES"])
        libs = [p for p in ("/bin", "/usr", "/lib", "/lib64") if os.path.exists(p)]
        proc = launch(["--fs-rx", ":".join([PROBE, t.a()] + libs)],
                      ["exec", script])
        expect(proc, ["OK"])
    finally:
        t.close()


# ---- what the launcher itself promises ---------------------------------------

@test
def test_exit_status_is_the_workload_s():
    proc = launch(["--fs-rx", PROBE], ["exit", "7"])
    expect(proc, [], status=7)


@test
def test_command_not_found_is_127():
    env = dict(os.environ, PATH="/nonexistent-a:/nonexistent-b")
    proc = launch(["--fs-rx", PROBE], [], env=env, command=["no-such-program"])
    if proc.returncode != 127 or proc.stderr != (
            "oci-landlock-exec: cannot execute 'no-such-program': not found "
            "in PATH (/nonexistent-a:/nonexistent-b)\n"):
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


def said(proc, status, want):
    """The command did not run: the launcher exited with status, saying
    exactly want."""
    if proc.returncode != status or proc.stderr != want:
        raise AssertionError(f"status {proc.returncode}, said {proc.stderr!r}\n"
                             f"want {status} and {want!r}")


@test
def test_exec_denied_is_126_with_hint():
    proc = launch(["--fs-ro", "/"], [])
    want = (f"oci-landlock-exec: cannot execute '{PROBE}': Permission denied: the "
            "sandbox denies \"execute\" on it\n"
            f"Hint: add '{os.path.dirname(PROBE)}' to --fs-rx\n")
    said(proc, 126, want)


@test
def test_path_search_inside_the_sandbox():
    t = Tree()
    try:
        # d/prog is denied by the sandbox, a/prog is allowed: like execvp,
        # the search goes on after EACCES and runs the one it may run.
        for side in ("a", "d"):
            os.rename(t.path(side, "prog"), t.path(side, "probe"))
        env = dict(os.environ, PATH=f"/nonexistent:{t.d()}:{t.a()}")
        proc = launch(["--fs-rx", t.a()], ["read", t.a("f")], env=env,
                      command=["probe"])
        expect(proc, ["OK"])
        # Alone in PATH, the denied one is named as the search found it.
        env["PATH"] = t.d()
        proc = launch(["--fs-rx", t.a()], [], env=env, command=["probe"])
        want = (f"oci-landlock-exec: cannot execute 'probe' ('{t.d('probe')}'): "
                "Permission denied: the sandbox denies \"execute\" and "
                "\"read_file\" on it\n"
                f"Hint: add '{t.d()}' to --fs-rx\n")
        said(proc, 126, want)
    finally:
        t.close()


def dynamic_program():
    """A dynamically linked program of the host, its loader as PT_INTERP
    names it, and the file that leads to."""
    for prog in ("/usr/bin/true", "/bin/true"):
        if os.path.exists(prog) and elf_interpreter(prog):
            loader = elf_interpreter(prog)
            return prog, loader, os.path.realpath(loader)
    raise Skip("no dynamically linked /usr/bin/true on this host")


@test
def test_denied_dynamic_loader_is_named_with_its_directory():
    prog, loader, real = dynamic_program()
    t = Tree()
    try:
        shutil.copy(prog, t.a("dyn"))
        proc = launch(["--fs-rx", t.a()], [], command=[t.a("dyn")])
        shown = f"'{loader}'" + (f" ('{real}')" if real != loader else "")
        want = (f"oci-landlock-exec: cannot execute '{t.a('dyn')}': Permission denied: "
                f"the sandbox denies \"execute\" and \"read_file\" on its dynamic "
                f"loader {shown}\n"
                f"Hint: add '{os.path.dirname(real)}' to --fs-rx (the dynamic loader's "
                "directory: the shared libraries are usually there too)\n")
        said(proc, 126, want)
        # What the hint says is enough: the program runs.
        proc = launch(["--fs-rx", t.a() + ":" + os.path.dirname(real)], [],
                      command=[t.a("dyn")])
        if proc.returncode != 0 or proc.stderr:
            raise AssertionError(f"{proc.returncode} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_denied_script_interpreter_is_named():
    t = Tree()
    try:
        script = t.a("s")
        with open(script, "w") as f:
            f.write(f"#!{t.d('prog')} read\n")
        os.chmod(script, 0o755)
        proc = launch(["--fs-rx", t.a()], [], command=[script])
        want = (f"oci-landlock-exec: cannot execute '{script}': Permission denied: the "
                "sandbox denies \"execute\" and \"read_file\" on its interpreter "
                f"'{t.d('prog')}'\n"
                f"Hint: add '{t.d()}' to --fs-rx\n")
        said(proc, 126, want)
        # Allowed, the probe runs as the interpreter: "read SCRIPT".
        proc = launch(["--fs-rx", t.a() + ":" + t.d()], [], command=[script])
        expect(proc, ["OK"])
    finally:
        t.close()


@test
def test_denial_names_what_each_layer_would_need():
    # How each kind of layer is fixed: the host's default cannot be widened
    # from the container, the annotations' layer takes fs.rx, a policy
    # must grant it itself.  Each layer here denies the program in d/.
    t = Tree()
    try:
        only_a = policy((t.a(), ["execute", "read_file"]))
        proc = launch(["--host-layer", "default profile 'baseline'", "--policy", only_a,
                       "--layer", "annotations", "--fs-rx", t.a(),
                       "--layer", "profile 'app'", "--policy", only_a,
                       "--layer", "plain", "--fs-rx", t.d()], [], command=[t.d("prog")])
        want = (f"oci-landlock-exec: cannot execute '{t.d('prog')}': Permission denied: "
                "the sandbox denies \"execute\" and \"read_file\" on it\n"
                "Hint: the host's default profile 'baseline' does not grant it, and "
                "annotations cannot widen it: ask the host's administrator; add "
                f"'{t.d()}' to the annotation 'oci.landlock.fs.rx'; the policy of "
                "profile 'app' must grant \"execute\" and \"read_file\" beneath "
                f"'{t.d()}'\n")
        said(proc, 126, want)
    finally:
        t.close()


@test
def test_missing_interpreter_is_127_and_named():
    t = Tree()
    try:
        script = t.a("ol-script")
        with open(script, "w") as f:
            f.write("#!/nonexistent/interpreter\n")
        os.chmod(script, 0o755)
        # Found in PATH, yet ENOENT: the interpreter is what is missing.
        env = dict(os.environ, PATH=t.a())
        proc = launch(["--fs-rx", "/"], [], env=env, command=["ol-script"])
        want = (f"oci-landlock-exec: cannot execute 'ol-script' ('{script}'): No such "
                "file or directory: its interpreter '/nonexistent/interpreter' does not "
                "exist\n"
                "Hint: install the interpreter in the image, or correct the script's "
                "#! line\n")
        said(proc, 127, want)
    finally:
        t.close()


@test
def test_missing_dynamic_loader_is_127_and_named():
    # A program linked for a loader the system lacks (musl's on glibc, say):
    # the host's true with another loader name of the same length.
    prog, loader, _ = dynamic_program()
    other = "/nonexistent/" + "l" * (len(loader) - len("/nonexistent/"))
    t = Tree()
    try:
        with open(prog, "rb") as f:
            data = f.read()
        with open(t.a("dyn"), "wb") as f:
            f.write(data.replace(loader.encode() + b"\0", other.encode() + b"\0", 1))
        os.chmod(t.a("dyn"), 0o755)
        proc = launch(["--fs-rx", "/"], [], command=[t.a("dyn")])
        want = (f"oci-landlock-exec: cannot execute '{t.a('dyn')}': No such file or "
                f"directory: its dynamic loader '{other}' does not exist\n"
                "Hint: it was built for a C library the image does not have: add that "
                "library to the image, or link the program statically\n")
        said(proc, 127, want)
    finally:
        t.close()


@test
def test_file_without_execute_mode_is_named():
    t = Tree()
    try:
        proc = launch(["--fs-rx", t.a()], [], command=[t.a("f")])
        want = (f"oci-landlock-exec: cannot execute '{t.a('f')}': Permission denied: it "
                "is not executable (mode 0644)\n"
                f"Hint: make it executable: chmod +x '{t.a('f')}'\n")
        said(proc, 126, want)
    finally:
        t.close()


@test
def test_bad_policy_never_runs_the_workload():
    t = Tree()
    try:
        marker = t.a("marker")
        bad = [
            (["--policy", '{"pathBeneath":[{"allowedAccess":["read_fil"],'
                          '"parent":["/"]}]}'],
             "oci-landlock-exec: invalid policy '--policy #1': "
             "pathBeneath[0].allowedAccess[0]: unknown file-system right "
             "\"read_fil\" (did you mean \"read_file\"?)\n"),
            (["--policy", '{"ruleset":[{"scoped":["signal"]}],"ruleset":[]}'],
             "oci-landlock-exec: invalid policy '--policy #1': top level: "
             "duplicate key \"ruleset\"\n"),
            (["--fs-rwx", "/", "--net-bind", "80,,443"],
             "oci-landlock-exec: invalid option '--net-bind': empty port at "
             "position 2 in '80,,443'\n"),
            (["--fs-rwx", "/", "--mode", "lenient"],
             "oci-landlock-exec: invalid option '--mode': unknown mode "
             "'lenient'\n"),
            (["--policy-file", t.path("missing.json")],
             f"oci-landlock-exec: --policy-file: cannot open "
             f"'{t.path('missing.json')}': No such file or directory\n"),
            ([], "oci-landlock-exec: no policy given\n"),
            (["--fs-rwx", "/", "--m", "best-effort"],
             "oci-landlock-exec: option '--m' is abbreviated\n"),
            (["--fs-r0=/"],
             "oci-landlock-exec: option '--fs-r0=/' is unknown (did you mean '--fs-ro'?)\n"),
            (["--fs-rwx", "/", "--frobnicate"],
             "oci-landlock-exec: option '--frobnicate' is unknown\n"),
        ]
        for args, msg in bad:
            proc = launch(args, ["mkreg", marker])
            got = proc.stderr.split("Hint:")[0]
            if proc.returncode != 126 or got != msg or os.path.exists(marker):
                raise AssertionError(f"{args}: {proc.returncode} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_too_many_layers():
    layer = '{"ruleset":[{"scoped":["signal"]}],"pathBeneath":[' \
            '{"allowedAccess":["execute","read_file"],"parent":["/"]}]}'
    proc = launch(sum((["--policy", layer] for _ in range(16)), []), ["exit", "0"])
    expect(proc, [], status=0)
    proc = launch(sum((["--policy", layer] for _ in range(17)), []), ["exit", "0"])
    if proc.returncode != 126 or proc.stderr != (
            "oci-landlock-exec: 17 Landlock layers requested, the kernel "
            "allows 16 per process\n"):
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


@test
def test_nested_launchers_hit_the_kernel_layer_limit():
    layer = '{"ruleset":[{"scoped":["signal"]}],"pathBeneath":[' \
            '{"allowedAccess":["execute","read_file"],"parent":["/"]}]}'
    ten = sum((["--policy", layer] for _ in range(10)), [])
    # 10 layers, then a launcher that asks for 10 more: the kernel refuses
    # the 7th, and the inner launcher says why.
    proc = launch(ten, ["exit", "0"], command=[LAUNCHER] + ten + ["--", PROBE])
    want = ("oci-landlock-exec: cannot enforce Landlock layer 7: Argument list "
            "too long\nHint: the process already runs inside other Landlock "
            "layers (16 at most in all); use fewer policy sources\n")
    if proc.returncode != 126 or proc.stderr != want or proc.stdout:
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


@test
def test_best_effort_on_a_kernel_that_has_everything():
    need_abi(6)
    t = Tree()
    try:
        proc = launch(["--mode", "best-effort", "--fs-rx", PROBE,
                       "--fs-ro", t.a(), "--scope", "all"],
                      ["read", t.a("f"), "read", t.d("f")])
        expect(proc, ["OK", "EACCES"])
        if proc.stderr:
            raise AssertionError(proc.stderr)
    finally:
        t.close()


@test
def test_own_fds_closed_inherited_kept():
    t = Tree()
    try:
        fd = os.open("/dev/null", os.O_RDONLY)
        os.dup2(fd, 9, inheritable=True)
        os.close(fd)
        path = t.path("p.json")
        with open(path, "w") as f:
            f.write(policy((t.a(), ["read_file"]), ("/proc", ["read_dir"])))
        # Layers, rule paths and the policy file are all closed by now.
        proc = launch(["--policy-file", path, "--fs-rx", PROBE + ":/proc"],
                      ["fds"], pass_fds=(9,))
        os.close(9)
        if proc.stdout != "fds => 0,1,2,9\n" or proc.returncode != 0:
            raise AssertionError(f"{proc.stdout!r} {proc.stderr!r}")
    finally:
        t.close()


@test
def test_audit_log_flags():
    need_abi(7)
    log = KernelLog()
    t = Tree()
    try:
        two_layers = ["--policy", policy(("/", ["read_dir"]))]
        cases = [([], True),
                 (["--log", "new-exec-on,subdomains-off"], True),
                 # The denial comes from the second layer: "subdomains off"
                 # must not silence the launcher's own later layers.
                 (["--log", "new-exec-on,subdomains-off"] + two_layers, True),
                 (["--log", "off"], False),
                 (["--log", "same-exec-off"], False)]
        for i, (args, logged) in enumerate(cases):
            secret = t.d(f"secret{i}")
            with open(secret, "w") as f:
                f.write("x")
            proc = launch(args + ["--fs-rx", PROBE], ["read", secret])
            expect(proc, ["EACCES"])
            if logged:
                if not log.denial_of(secret, 5):
                    raise AssertionError(f"{args}: no denial record in {log.path}")
                if "blockers=fs.read_file" not in log.denial_of(secret, 0):
                    raise AssertionError(log.denial_of(secret, 0))
                continue
            # Absence is proven by a later denial that is logged.
            sentinel = t.d(f"sentinel{i}")
            with open(sentinel, "w") as f:
                f.write("x")
            expect(launch(["--fs-rx", PROBE], ["read", sentinel]), ["EACCES"])
            if not log.denial_of(sentinel, 5):
                raise AssertionError(f"the sentinel of {args} was not logged")
            if log.denial_of(secret, 0):
                raise AssertionError(f"{args}: unexpected record "
                                     f"{log.denial_of(secret, 0)}")
    finally:
        log.close()
        t.close()


@test
def test_statically_linked():
    if not shutil.which("file"):
        raise Skip("the 'file' command is not installed")
    out = subprocess.run(["file", "-L", LAUNCHER], capture_output=True,
                         text=True).stdout
    if "statically linked" not in out:
        raise AssertionError(out)


@test
def test_runs_without_any_libc():
    need_root()
    root = tempfile.mkdtemp(prefix="ol-empty-")
    try:
        shutil.copy(LAUNCHER, os.path.join(root, "oci-landlock-exec"))
        # The directory holds nothing but the launcher, which sandboxes
        # itself and then execs itself again inside the sandbox.
        proc = subprocess.run(
            ["chroot", root, "/oci-landlock-exec", "--fs-rx", "/oci-landlock-exec",
             "--", "/oci-landlock-exec", "--version"],
            capture_output=True, text=True, timeout=60)
        want = f"oci-landlock-exec {VERSION} (Landlock ABI 1 to 10)\n"
        if proc.returncode != 0 or proc.stdout != want:
            raise AssertionError(f"{proc.returncode} {proc.stdout!r} {proc.stderr!r}")
        assert os.listdir(root) == ["oci-landlock-exec"]
    finally:
        shutil.rmtree(root)


if __name__ == "__main__":
    main()
