#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The oci-landlock command on this machine: abi, check, hook, inject
argument handling, and the settings file.  Each case asserts the exit
status and the exact lines that matter."""
import ctypes
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

from tap import Skip, run, test

CLI = os.path.abspath(os.environ["OL_CLI"])
SHIM = os.path.abspath(os.environ["OL_SHIM"])
SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])
TMP = tempfile.mkdtemp(prefix="ol-cli-")


def cli(*args, stdin=None, settings=None):
    env = dict(os.environ)
    env.pop("OCI_LANDLOCK_CONFIG", None)
    if settings is not None:
        path = os.path.join(TMP, "settings.json")
        with open(path, "w") as f:
            f.write(settings)
        env["OCI_LANDLOCK_CONFIG"] = path
    return subprocess.run([CLI] + list(args), input=stdin, capture_output=True, text=True,
                          env=env, timeout=60)


def file(name, text):
    path = os.path.join(TMP, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def kernel_abi():
    return max(0, ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))


@test
def test_abi():
    abi = kernel_abi()
    if not abi:
        raise Skip("no Landlock on this kernel")
    p = cli("abi")
    lines = p.stdout.splitlines()
    if p.returncode or not lines[0].startswith(f"Landlock ABI: {abi}"):
        raise AssertionError(p.stdout + p.stderr)
    if abi >= 7 and "audit log flags: yes" not in lines:
        raise AssertionError(p.stdout)
    # ABI 1 to 10, each with its release and whether this kernel has it.
    have = {n: "yes" if abi >= n else "no " for n in range(1, 11)}
    for want in [f"  2  Linux 5.19  {have[2]} refer",
                 f"  8  Linux 7.0   {have[8]} restrict flag TSYNC: every thread at once "
                 "(not needed: the launcher is single-threaded)",
                 f"  9  Linux 7.1   {have[9]} resolve_unix",
                 f"  10 Linux 7.2   {have[10]} bind_udp, connect_send_udp; UDP port "
                 "rules; quiet rules (quiet.fs, quietAccessFs ...)"]:
        if want not in lines:
            raise AssertionError(f"no line {want!r} in:\n{p.stdout}")
    errata = max(0, ctypes.CDLL(None).syscall(444, None, 0, 2))
    if errata & 1 and ("  1: TCP rights apply to TCP sockets only (ABI 4): bind_tcp and "
                       "connect_tcp no longer restrict MPTCP, SMC or SCTP; keep those "
                       "out with net.socket") not in lines:
        raise AssertionError(p.stdout)


@test
def test_check_new_rights_on_this_kernel():
    abi = kernel_abi()
    if not abi:
        raise Skip("no Landlock on this kernel")
    args = ["check", "-a", "oci.landlock.fs.ro=/usr", "-a", "oci.landlock.fs.unix=/run/x.sock",
            "-a", "oci.landlock.net.udp.connect=53"]
    missing = ((["resolve_unix needs ABI 9 (Linux 7.1)"] if abi < 9 else []) +
               (["connect_send_udp needs ABI 10 (Linux 7.2)"] if abi < 10 else []))
    p = cli(*args)
    if "launcher options: '--layer=annotations' '--fs-ro' '/usr' '--fs-unix' " \
            "'/run/x.sock' '--net-udp-connect' '53'" not in p.stdout.splitlines():
        raise AssertionError(p.stdout + p.stderr)
    what = f"annotations: this kernel has Landlock ABI {abi} and "
    if missing:
        if p.returncode != 1 or "result: refused" not in p.stdout or \
                not p.stderr.startswith(f"oci-landlock: {what}cannot enforce: "
                                        + ", ".join(missing) + "\n"):
            raise AssertionError(p.stdout + p.stderr)
        p = cli(*args, "-a", "oci.landlock.mode=best-effort")
        if p.returncode or f"dropped: {what}does not restrict: " + ", ".join(missing) \
                not in p.stdout.splitlines():
            raise AssertionError(p.stdout + p.stderr)
    elif p.returncode or "result: enforced as written" not in p.stdout:
        raise AssertionError(p.stdout + p.stderr)
    # fs.ro alone never needs ABI 9: the resolve_unix it implies is not named.
    p = cli("check", "-a", "oci.landlock.fs.ro=/usr")
    if p.returncode or "result: enforced as written" not in p.stdout or p.stderr:
        raise AssertionError(p.stdout + p.stderr)


@test
def test_check_policy():
    p = cli("check", os.path.join(SRCDIR, "examples", "profiles", "no-network.json"))
    if p.returncode or "  handles network      bind_tcp, connect_tcp" not in p.stdout or \
            "result: enforced as written" not in p.stdout:
        raise AssertionError(p.stdout + p.stderr)
    bad = file("bad.json", '{"netPort":[{"allowedAccess":["bind_tcp"],"port":[70000]}]}')
    p = cli("check", bad)
    if p.returncode != 1 or p.stderr != (
            f"oci-landlock: invalid policy '{bad}': netPort[0].port[0]: port 70000 is out "
            f"of range (0-65535)\n"):
        raise AssertionError(p.stderr)


@test
def test_check_config():
    config = file("config.json", json.dumps({
        "ociVersion": "1.0.2", "process": {"args": ["sh"]},
        "annotations": {"oci.landlock.fs.ro": "/usr", "oci.landlock.net.connect": "443",
                        "oci.landlock.policy-file": "/etc/p.json"}}))
    p = cli("check", config)
    want = ["launcher options: '--layer=annotations' '--fs-ro' '/usr' '--net-connect' '443' "
            "'--layer=policy file '\\''/etc/p.json'\\''' '--policy-file' '/etc/p.json'",
            "layer 1: annotations",
            "  allows  /usr                     read_file, read_dir",
            "  allows  port 443                 connect_tcp",
            "layer 2: policy file '/etc/p.json' (read by the launcher inside the container, "
            "not checked here)",
            "mode: strict"]
    for line in want:
        if line not in p.stdout.splitlines():
            raise AssertionError(f"missing {line!r} in:\n{p.stdout}{p.stderr}")
    none = file("plain.json", json.dumps({"ociVersion": "1.0.2", "annotations": {"a": "b"}}))
    p = cli("check", none)
    if p.returncode or "no oci.landlock.* annotation applies" not in p.stdout:
        raise AssertionError(p.stdout)
    typo = file("typo.json", json.dumps({"process": {}, "annotations": {"oci.landlock.scop": "all"}}))
    p = cli("check", typo)
    if p.returncode != 1 or "unknown annotation 'oci.landlock.scop' (did you mean " \
            "'oci.landlock.scope'?)" not in p.stderr:
        raise AssertionError(p.stderr)


@test
def test_check_socket_filter():
    def config(name, **annotations):
        return file(name, json.dumps({
            "ociVersion": "1.0.2", "process": {"args": ["sh"]},
            "annotations": {"oci.landlock." + k.replace("_", "."): v
                            for k, v in annotations.items()}}))
    warning = ("warning: annotations: Landlock restricts TCP only; UDP, raw and other "
               "sockets are not restricted: add a socket filter, such as --net-socket "
               "unix,tcp (annotation oci.landlock.net.socket)")
    cases = [
        (config("s1.json", fs_ro="/usr", net_connect="443", net_socket="unix, tcp"),
         "sockets: only unix, tcp may be created (seccomp; others get EACCES)", False),
        (config("s2.json", fs_ro="/usr", net_connect="443"), "sockets: not filtered", True),
        (config("s3.json", fs_ro="/usr"), "sockets: not filtered", False),
        (config("s4.json", net_socket="none"),
         "sockets: none may be created (seccomp; socket() gets EACCES)", False),
    ]
    for path, line, warned in cases:
        p = cli("check", path)
        lines = p.stdout.splitlines()
        if p.returncode or line not in lines or (warning in lines) != warned:
            raise AssertionError(f"{path}:\n{p.stdout}{p.stderr}")
    p = cli("check", config("s5.json", net_socket="udpp"))
    if p.returncode != 1 or p.stderr != (
            "oci-landlock: invalid annotation 'oci.landlock.net.socket': unknown socket kind "
            "'udpp' (did you mean 'udp'?)\nHint: the kinds are unix, tcp, mptcp, udp, "
            "icmp, raw, netlink, packet, vsock, or none\n"):
        raise AssertionError(p.stderr)

@test
def test_hook_stages():
    p = cli("hook", "poststop", stdin="{}")
    if p.returncode != 1 or p.stderr != ("oci-landlock: unknown hook stage 'poststop'\n"
                                         "Hint: the stages are precreate, createRuntime and "
                                         "prestart\n"):
        raise AssertionError(p.stderr)
    # precreate without annotations: the input, byte for byte.
    doc = '{ "ociVersion": "1.0.2",\n  "process": {"args": ["sh"]} }\n'
    p = cli("hook", "precreate", stdin=doc)
    if p.returncode or p.stdout != doc:
        raise AssertionError(repr(p.stdout))
    p = cli("hook", "precreate", stdin="not json")
    if p.returncode != 1 or not p.stderr.startswith("oci-landlock: the config on stdin: "
                                                     "invalid JSON"):
        raise AssertionError(p.stderr)


@test
def test_settings_file():
    p = cli("hook", "precreate", stdin="{}", settings='{"launcher": "relative/path"}')
    if p.returncode != 1 or "\"launcher\": expected an absolute path" not in p.stderr:
        raise AssertionError(p.stderr)
    p = cli("hook", "precreate", stdin="{}", settings='{"runtim": "/usr/bin/crun"}')
    if p.returncode != 1 or "unknown key \"runtim\"" not in p.stderr:
        raise AssertionError(p.stderr)
    # Named explicitly, a missing settings file is an error, not a default.
    env = dict(os.environ, OCI_LANDLOCK_CONFIG=os.path.join(TMP, "nope.json"))
    p = subprocess.run([CLI, "hook", "precreate"], input="{}", capture_output=True,
                       text=True, env=env)
    if p.returncode != 1 or "settings: cannot open" not in p.stderr:
        raise AssertionError(p.stderr)
    # The launcher named in the settings is the one injected; it must exist.
    doc = json.dumps({"process": {"args": ["sh"]},
                      "mounts": [{"destination": "/dev", "type": "tmpfs", "source": "tmpfs"}],
                      "annotations": {"oci.landlock.fs.ro": "/"}})
    launcher = file("exec", "#!/bin/sh\n")
    os.chmod(launcher, 0o755)
    p = cli("hook", "precreate", stdin=doc, settings=json.dumps({"launcher": launcher}))
    out = json.loads(p.stdout)
    if out["mounts"][-1]["source"] != launcher:
        raise AssertionError(p.stdout)
    p = cli("hook", "precreate", stdin=doc, settings='{"launcher": "/opt/ol/exec"}')
    if p.returncode != 1 or p.stdout or p.stderr != (
            "oci-landlock: the launcher '/opt/ol/exec' cannot be used: No such file or "
            f"directory\nHint: install oci-landlock-exec there, or set \"launcher\" in "
            f"{TMP}/settings.json\n"):
        raise AssertionError(p.stderr)


def bundle(annotations):
    d = tempfile.mkdtemp(prefix="bundle-", dir=TMP)
    with open(os.path.join(d, "config.json"), "w") as f:
        json.dump({"ociVersion": "1.0.2", "process": {"args": ["sh"]},
                   "mounts": [{"destination": "/dev", "type": "tmpfs", "source": "tmpfs"}],
                   "annotations": annotations}, f)
    return d


@test
def test_shim_log_lines_cannot_be_forged():
    # A value with a quote and a newline must stay inside one log line, in
    # the text format as in JSON.
    b = bundle({"oci.landlock.fs.ro": "/", "oci.landlock.log": 'x"\nlevel=info\tmsg="forged'})
    settings = json.dumps({"runtime": "/bin/true"})
    for fmt in ("text", "json"):
        log = os.path.join(TMP, f"log.{fmt}")
        env = dict(os.environ, OCI_LANDLOCK_CONFIG=file("shim.json", settings))
        p = subprocess.run([SHIM, "--log", log, "--log-format", fmt, "create", "--bundle", b,
                            "id"], capture_output=True, text=True, env=env, timeout=60)
        lines = open(log).read().splitlines()
        if p.returncode != 1 or len(lines) != 1 or "forged" not in lines[0]:
            raise AssertionError(f"{fmt}: {p.returncode} {lines}")
        if fmt == "json":
            record = json.loads(lines[0])
            # Written out already by the error's format (ol_printable()).
            if record["level"] != "error" or \
                    "unknown log setting 'x\"\\x0alevel=info\\x09msg=\"forged'" \
                    not in record["msg"]:
                raise AssertionError(record)
        elif "unknown log setting 'x\\\"\\\\x0alevel=info\\\\x09msg=\\\"forged'" not in lines[0]:
            raise AssertionError(lines[0])


@test
def test_shim_refuses_itself_as_runtime():
    env = dict(os.environ, OCI_LANDLOCK_CONFIG=file("self.json", json.dumps({"runtime": SHIM})))
    p = subprocess.run([SHIM, "state", "id"], capture_output=True, text=True, env=env,
                       timeout=60)
    if p.returncode != 1 or f"runtime '{SHIM}' (from" not in p.stderr or \
            "is this program itself" not in p.stderr:
        raise AssertionError(f"{p.returncode} {p.stderr}")


def fake_runtimes(*names):
    """A PATH directory of scripts that print their name and arguments."""
    d = tempfile.mkdtemp(prefix="path-", dir=TMP)
    for n in names:
        path = os.path.join(d, n)
        with open(path, "w") as f:
            f.write(f'#!/bin/sh\necho "{n} $*"\n')
        os.chmod(path, 0o755)
    return d


@test
def test_shim_prefers_runc():
    # It stands in for runc: crun would keep its state elsewhere (/run/crun)
    # and not see the engine's containers.
    path = fake_runtimes("runc", "crun")
    env = dict(os.environ, PATH=path, OCI_LANDLOCK_CONFIG=file("none.json", "{}"))
    p = subprocess.run([SHIM, "list"], capture_output=True, text=True, env=env, timeout=60)
    if p.returncode or p.stdout != "runc list\n":
        raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr}")
    os.unlink(os.path.join(path, "runc"))
    p = subprocess.run([SHIM, "list"], capture_output=True, text=True, env=env, timeout=60)
    if p.returncode or p.stdout != "crun list\n":
        raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr}")
    # check says which one it would run.
    cfg = file("plain-config.json", json.dumps({"ociVersion": "1.0.2",
                                                "process": {"args": ["sh"]}}))
    p = subprocess.run([CLI, "check", cfg], capture_output=True, text=True, env=env)
    if f"shim runtime: {path}/crun (runc, else crun, from PATH)" not in p.stdout.splitlines():
        raise AssertionError(p.stdout + p.stderr)


@test
def test_shim_behind_a_wrapper_found_as_the_runtime():
    # A wrapper script named runc that runs the shim, by exec or as a
    # child: the path check cannot tell, the shim must still not run
    # itself for ever.
    for how in ("exec ", ""):
        d = tempfile.mkdtemp(prefix="loop-", dir=TMP)
        with open(os.path.join(d, "runc"), "w") as f:
            f.write(f'#!/bin/sh\necho once >> {d}/calls\n{how}{SHIM} "$@"\n')
        os.chmod(os.path.join(d, "runc"), 0o755)
        env = dict(os.environ, PATH=d, OCI_LANDLOCK_CONFIG=file("none.json", "{}"))
        p = subprocess.run([SHIM, "list"], capture_output=True, text=True, env=env, timeout=30)
        want = (f"oci-landlock-runtime: the runtime '{d}/runc' runs oci-landlock-runtime again "
                "(a wrapper script around the shim?)\n")
        if p.returncode != 1 or not p.stderr.startswith(want):
            raise AssertionError(f"{how!r}: {p.returncode} {p.stderr}")
        if open(os.path.join(d, "calls")).read() != "once\n":
            raise AssertionError(f"{how!r}: the wrapper ran more than once")


@test
def test_shim_under_another_shim_s_runtime():
    # The marker of a shim further up (a nested engine, a hook that kept
    # the environment) names another process: this shim runs its runtime.
    path = fake_runtimes("runc")
    for marker in ("1", "999999999", "x"):
        env = dict(os.environ, PATH=path, OCI_LANDLOCK_CONFIG=file("none.json", "{}"),
                   _OCI_LANDLOCK_RUNTIME_SHIM=marker)
        p = subprocess.run([SHIM, "list"], capture_output=True, text=True, env=env, timeout=60)
        if p.returncode or p.stdout != "runc list\n":
            raise AssertionError(f"{marker}: {p.returncode} {p.stdout!r} {p.stderr}")


@test
def test_shim_exec_into_a_missing_container_is_runc_s_error():
    # The shim asks the runtime for the container's state first; when it is
    # not there, runc's own exec says so, once, with runc's status.
    runc = shutil.which("runc")
    if not runc:
        raise Skip("runc is not installed")
    root = tempfile.mkdtemp(prefix="runc-root-", dir=TMP)
    # A launcher file that exists, whether or not one is installed here:
    # it is opened, never run, before the state is asked for.
    env = dict(os.environ, OCI_LANDLOCK_CONFIG=file("runc.json", json.dumps(
        {"runtime": runc, "launcher": "/bin/true"})))
    cmd = ["--root", root, "exec", "no-such-container", "/bin/true"]
    real = subprocess.run([runc] + cmd, capture_output=True, text=True, timeout=60)
    p = subprocess.run([SHIM] + cmd, capture_output=True, text=True, env=env, timeout=60)

    def msg(stderr):
        return [line.split("msg=", 1)[-1] for line in stderr.splitlines()]
    if p.returncode != real.returncode or msg(p.stderr) != msg(real.stderr) or \
            len(msg(p.stderr)) != 1:
        raise AssertionError(f"runc: {real.returncode} {real.stderr!r}\n"
                             f"shim: {p.returncode} {p.stderr!r}")


@test
def test_shim_exec_into_a_container_it_cannot_see_runs_the_launcher_s_error():
    # `state` fails (the container is not there yet, or the runtime's root
    # is out of reach): the exec goes on as asked, behind the launcher with
    # --error, which refuses should the container appear meanwhile.
    d = tempfile.mkdtemp(prefix="nostate-", dir=TMP)
    with open(os.path.join(d, "runc"), "w") as f:
        f.write('#!/bin/sh\n[ "$1" = state ] && exit 1\nprintf "%s\\n" "$@"\n')
    os.chmod(os.path.join(d, "runc"), 0o755)
    launcher = file("launcher-for-exec", "#!/bin/sh\n")
    os.chmod(launcher, 0o755)
    env = dict(os.environ, PATH=d, OCI_LANDLOCK_CONFIG=file(
        "nostate.json", json.dumps({"launcher": launcher})))
    p = subprocess.run([SHIM, "exec", "ghost", "/bin/sh", "-c", "id"], capture_output=True,
                       text=True, env=env, timeout=60)
    want = ["exec", "--preserve-fds=1", "ghost", "/proc/self/fd/3", "--error",
            "exec: container ghost was not there when oci-landlock looked", "--", "/bin/sh",
            "-c", "id"]
    if p.returncode or p.stdout.splitlines() != want:
        raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr}")


@test
def test_shim_passes_signals_on_to_a_guarded_exec():
    # A guarded session's runtime is the shim's child: whatever signal the
    # shim gets (podman's, a terminal's, a timer's) reaches the runtime,
    # and the runtime's status is the shim's.
    import signal
    d = tempfile.mkdtemp(prefix="signals-", dir=TMP)
    with open(os.path.join(d, "runc"), "w") as f:
        f.write('#!/bin/sh\n[ "$1" = state ] && exit 1\n'
                'for s in ALRM PIPE PWR TERM USR1; do trap "echo got $s; exit 42" $s; done\n'
                f'echo ready > {d}/ready\nwhile :; do sleep 0.05; done\n')
    os.chmod(os.path.join(d, "runc"), 0o755)
    launcher = file("launcher-for-signals", "#!/bin/sh\n")
    os.chmod(launcher, 0o755)
    env = dict(os.environ, PATH=f"{d}:/usr/bin:/bin", OCI_LANDLOCK_CONFIG=file(
        "signals.json", json.dumps({"launcher": launcher, "runtime": f"{d}/runc"})))
    for name in ("ALRM", "PIPE", "PWR", "TERM", "USR1"):
        if os.path.exists(f"{d}/ready"):
            os.unlink(f"{d}/ready")
        p = subprocess.Popen([SHIM, "exec", "ghost", "/bin/true"], stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True, env=env)
        for _ in range(200):
            if os.path.exists(f"{d}/ready"):
                break
            time.sleep(0.02)
        p.send_signal(getattr(signal, "SIG" + name))
        out, err = p.communicate(timeout=30)
        if p.returncode != 42 or out != f"got {name}\n":
            raise AssertionError(f"SIG{name}: {p.returncode} {out!r} {err}")


@test
def test_inject_sees_the_gate_through_a_link():
    # A config that runs the gate already (a hooks.d file may name the CLI
    # through a link) gets no second one: two guards cannot both attach.
    d = tempfile.mkdtemp(prefix="gate-link-", dir=TMP)
    link = os.path.join(d, "oci-landlock")
    os.symlink(CLI, link)
    launcher = file("launcher-for-link", "#!/bin/sh\n")
    os.chmod(launcher, 0o755)
    os.mkdir(os.path.join(d, "bundle"))
    gate = {"path": link, "args": ["oci-landlock", "hook", "createRuntime"]}
    with open(os.path.join(d, "bundle", "config.json"), "w") as f:
        json.dump({"ociVersion": "1.0.2", "process": {"args": ["/bin/sh"]},
                   "root": {"path": "rootfs"},
                   "mounts": [{"destination": "/dev", "type": "tmpfs", "source": "tmpfs"}],
                   "hooks": {"createRuntime": [gate]},
                   "annotations": {"oci.landlock.mode": "best-effort",
                                   "oci.landlock.fs.ro": "/"}}, f)
    p = cli("inject", os.path.join(d, "bundle"), settings=json.dumps({"launcher": launcher}))
    if p.returncode:
        raise AssertionError(p.stderr)
    hooks = json.load(open(os.path.join(d, "bundle", "config.json")))["hooks"]
    if hooks != {"createRuntime": [gate]}:
        raise AssertionError(f"hooks: {hooks}")


@test
def test_shim_refuses_to_restore_a_sandboxed_container():
    # CRIU restores no Landlock domain: the checkpointed workload would
    # come back unconfined.  A container without Landlock is restored.
    path = fake_runtimes("runc")
    env = dict(os.environ, PATH=path, OCI_LANDLOCK_CONFIG=file("none.json", "{}"))
    boxed = bundle({"oci.landlock.fs.ro": "/"})
    plain = bundle({"io.example": "x"})
    for b, spelling in ((boxed, ["--bundle", boxed]), (boxed, [f"-b={boxed}"])):
        p = subprocess.run([SHIM, "restore", "--image-path", "/tmp/cp"] + spelling + ["id"],
                           capture_output=True, text=True, env=env, timeout=60)
        want = (f"oci-landlock-runtime: {b}/config.json: the container asks for Landlock, "
                "and a restored checkpoint would run unconfined (CRIU does not restore "
                "Landlock domains)\n")
        if p.returncode != 1 or not p.stderr.startswith(want) or p.stdout:
            raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr}")
    p = subprocess.run([SHIM, "restore", "-b", plain, "id"], capture_output=True, text=True,
                       env=env, timeout=60)
    if p.returncode or p.stdout != f"runc restore -b {plain} id\n":
        raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr}")


@test
def test_usage():
    p = cli("--version")
    if p.returncode or not p.stdout.startswith("oci-landlock "):
        raise AssertionError(p.stdout)
    p = cli("frobnicate")
    if p.returncode != 2 or not p.stderr.startswith("Usage: oci-landlock COMMAND"):
        raise AssertionError(p.stderr)
    p = cli("inject")
    if p.returncode != 2:
        raise AssertionError(p.stderr)


@test
def test_every_command_has_help_and_misspellings_are_named():
    for cmd, synopsis in (("check", "check [--mode MODE | --id ID] [-a KEY=VALUE]... "
                                    "[--policy-file FILE] [--json] [FILE|BUNDLE]"),
                          ("denials", "denials [--since TIME] [--all] [--log FILE] "
                           "[CONTAINER...]"),
                          ("learn", "learn [--depth N] [--abi N] [--merge] "
                           "[--system-writes] [--format F] [-o FILE] RECORDING..."),
                          ("inject", "inject BUNDLE"), ("abi", "abi"),
                          ("hook", "hook precreate|createRuntime|prestart")):
        p = cli(cmd, "--help")
        if p.returncode or p.stdout != (f"Usage: oci-landlock {synopsis}\n"
                                        "(oci-landlock --help describes every command)\n"):
            raise AssertionError(f"{cmd} --help: {p.returncode} {p.stdout!r} {p.stderr}")
    # doctor's usage is longer: it says what is checked.
    p = cli("doctor", "--help")
    if p.returncode or not p.stdout.startswith("Usage: oci-landlock doctor [--settings FILE]"):
        raise AssertionError(f"doctor --help: {p.returncode} {p.stdout!r} {p.stderr}")
    p = cli("chek", "x")
    if p.returncode != 2 or p.stderr != "oci-landlock: unknown command 'chek' (did you mean " \
                                        "'check'?)\n":
        raise AssertionError(f"{p.returncode} {p.stderr!r}")
    # check: one file, its options before or after it.
    policy = os.path.join(TMP, "help-policy.json")
    with open(policy, "w") as f:
        f.write('{"ruleset":[{"scoped":["signal"]}]}')
    after, before = cli("check", policy, "--mode", "best-effort"), \
        cli("check", "--mode", "best-effort", policy)
    if after.returncode or after.stdout != before.stdout or "mode: best-effort" not in after.stdout:
        raise AssertionError(f"{after.returncode} {after.stdout} {after.stderr}")
    for extra in ([policy, policy], ["--mode", "strict", "--id", "x", policy], ["--frob", policy]):
        p = cli("check", *extra)
        if p.returncode != 2 or not p.stderr.startswith("usage: oci-landlock check"):
            raise AssertionError(f"check {extra}: {p.returncode} {p.stderr!r}")
    p = cli("abi", "extra")
    if p.returncode != 2 or not p.stderr.startswith("Usage: oci-landlock COMMAND"):
        raise AssertionError(f"abi extra: {p.returncode} {p.stderr!r}")


@test
def test_inject_says_why_it_changed_nothing():
    b = os.path.join(TMP, "bare-bundle")
    os.makedirs(b, exist_ok=True)
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump({"ociVersion": "1.0.2", "process": {"args": ["sh"]}, "annotations": {}}, f)
    p = cli("inject", b, settings="{}")
    if p.returncode or p.stdout != (f"{b}: unchanged: nothing of oci-landlock applies to it "
                                    "(no oci.landlock.* annotation, and no default in the "
                                    "settings)\n"):
        raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr}")


@test
def test_shim_version_names_itself_after_the_runtime():
    p = subprocess.run([SHIM, "--version"], capture_output=True, text=True, timeout=60)
    lines = p.stdout.splitlines()
    if p.returncode or len(lines) < 2 or not re.fullmatch(
            rf"oci-landlock-runtime {re.escape(os.environ.get('OL_VERSION', ''))}, running /\S+",
            lines[-1]):
        raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr}")
    # The runtime's own lines come first, as engines read them.
    if not re.match(r"(runc|crun) version ", lines[0]):
        raise AssertionError(lines[0])


@test
def test_doctor_names_each_problem_of_a_settings_file():
    # The installer-made installations are deploy.doctor's; here one
    # settings file, in any build: a launcher that is no program, the
    # example profiles, a runtime that is not there.
    launcher = file("not-a-launcher", "#!/bin/sh\n")
    os.chmod(launcher, 0o755)
    profiles = os.path.join(SRCDIR, "examples", "profiles")
    settings = file("doctor.json", json.dumps(
        {"launcher": launcher, "profiles": profiles, "runtime": "/nonexistent/crun"}))
    conf = file("containers.conf", "")
    hooks = tempfile.mkdtemp(prefix="hooks-", dir=TMP)
    p = cli("doctor", "--settings", settings, "--containers-conf", conf, "--hooks-dir", hooks)
    n = len([f for f in os.listdir(profiles) if f.endswith(".json")])
    want = [
        f"ok: settings '{settings}': valid",
        f"problem: launcher '{launcher}' (from '{settings}'): not an ELF executable",
        f"  fix: install the static oci-landlock-exec there, or set \"launcher\" in '{settings}'",
        f"ok: profiles '{profiles}' (from '{settings}'): {n} profiles, each parses",
        f"problem: runtime '/nonexistent/crun' (from '{settings}'): No such file or directory",
        f"  fix: install it, or name the real runtime in \"runtime\" of '{settings}'",
        "warning: podman: no runtime of containers.conf is the shim and no hooks directory "
        "podman reads has oci-landlock's hooks.d files",
        "  fix: name the shim in [engine.runtimes] of containers.conf, or add the hooks.d "
        "files' directory to hooks_dir (docs/containers.md)",
    ]
    lines = p.stdout.splitlines()
    problems = 2 if kernel_abi() else 3  # no Landlock is a problem too
    if p.returncode != 1 or lines[:len(want)] != want or p.stderr or \
            not re.fullmatch(rf"{problems} problems, \d+ warnings?", lines[-1]):
        raise AssertionError(f"{p.returncode}\n{p.stdout}{p.stderr}")


@test
def test_learn_takes_options_after_the_recording():
    rec = os.path.join(TMP, "empty-recording.json")
    with open(rec, "w") as f:
        json.dump({"recording": 1, "paths": [], "bind_tcp": [], "connect_tcp": [],
                   "created": [], "sockets": [], "outside": []}, f)
    before, after = cli("learn", "--depth", "2", rec), cli("learn", rec, "--depth", "2")
    if after.returncode or after.stdout != before.stdout or not after.stdout.startswith("{"):
        raise AssertionError(f"{after.returncode} {after.stdout} {after.stderr}")
    # After "--", a word is a recording even if it starts with '-'.
    p = cli("learn", "--", "--depth")
    if p.returncode != 1 or "cannot read the recording '--depth'" not in p.stderr:
        raise AssertionError(f"{p.returncode} {p.stderr}")


EFFECTIVE = ("effective access (what every layer allows, /bin read as /usr/bin as on "
             "merged-/usr images; the kernel denies the rest")


def check_settings(**more):
    """Settings for check: a runtime of this test's own, so the line is fixed."""
    runtime = os.path.join(TMP, "check-runtime")
    if not os.path.exists(runtime):
        with open(runtime, "w") as f:
            f.write("#!/bin/sh\n")
        os.chmod(runtime, 0o755)
    return json.dumps(dict({"runtime": runtime}, **more))


@test
def test_check_takes_annotations():
    abi = kernel_abi()
    if not abi:
        raise Skip("no Landlock on this kernel")
    args = ["-a", "oci.landlock.fs.ro=/usr:/etc", "-a", "oci.landlock.fs.rw=/tmp",
            "-a", "oci.landlock.net.connect=443", "--annotation", "oci.landlock.scope=signal",
            "-a", "oci.landlock.net.socket=unix,tcp"]
    p = cli("check", *args, settings=check_settings())
    want = (f"shim runtime: {TMP}/check-runtime (the \"runtime\" setting)\n"
            "launcher options: '--net-socket' 'unix,tcp' '--layer=annotations' '--fs-ro' "
            "'/usr:/etc' '--fs-rw' '/tmp' '--net-connect' '443' '--scope' 'signal'\n"
            "layer 1: annotations\n"
            "  handles file system  all\n"
            "  handles network      connect_tcp\n"
            "  handles scopes       signal\n"
            "  allows  /etc                     read_file, read_dir\n"
            "  allows  /tmp                     all but execute\n"
            "  allows  /usr                     read_file, read_dir\n"
            "  allows  port 443                 connect_tcp\n"
            "sockets: only unix, tcp may be created (seccomp; others get EACCES)\n"
            "mode: strict\n"
            f"this kernel: Landlock ABI {abi}\n"
            "result: enforced as written\n")
    if p.returncode or p.stdout != want or p.stderr:
        raise AssertionError(f"{p.returncode}\n{p.stdout}{p.stderr}")
    # With a config, -a adds to its annotations and replaces the same key.
    config = file("a-config.json", json.dumps({
        "ociVersion": "1.0.2", "process": {"args": ["sh"]},
        "annotations": {"oci.landlock.fs.ro": "/opt", "oci.landlock.fs.rw": "/tmp"}}))
    p = cli("check", config, "-a",
            "oci.landlock.fs.ro=/usr:/etc", "-a", "oci.landlock.net.connect=443",
            "-a", "oci.landlock.scope=signal", "-a", "oci.landlock.net.socket=unix,tcp",
            settings=check_settings())
    if p.returncode or p.stdout != want:
        raise AssertionError(f"{p.returncode}\n{p.stdout}{p.stderr}")
    for bad in ("foo", "=x"):
        p = cli("check", "-a", bad)
        if p.returncode != 2 or p.stdout or p.stderr != (
                f"oci-landlock: -a '{bad}': expected KEY=VALUE\n"
                "Hint: for example -a oci.landlock.fs.ro=/usr\n"):
            raise AssertionError(f"-a {bad}: {p.returncode} {p.stderr!r}")
    policy = file("a-policy.json", '{"ruleset":[{"scoped":["signal"]}]}')
    p = cli("check", "-a", "oci.landlock.fs.ro=/usr", policy)
    if p.returncode != 2 or p.stderr != "oci-landlock: -a applies to a config, not to a policy\n":
        raise AssertionError(f"{p.returncode} {p.stderr!r}")
    # An annotation error names the key, as with a config.
    p = cli("check", "-a", "oci.landlock.fs.ro=usr", settings=check_settings())
    if p.returncode != 1 or p.stdout or p.stderr != (
            "oci-landlock: invalid annotation 'oci.landlock.fs.ro': 'usr' is not an absolute "
            "path\nHint: paths are resolved inside the container: write them from its root, "
            "such as /usr\n"):
        raise AssertionError(f"{p.returncode} {p.stdout!r} {p.stderr!r}")


@test
def test_check_takes_a_bundle_directory():
    b = tempfile.mkdtemp(prefix="check-bundle-", dir=TMP)
    config = {"ociVersion": "1.0.2", "process": {"args": ["sh"]},
              "annotations": {"oci.landlock.fs.rx": "/usr"}}
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump(config, f)
    by_dir = cli("check", b, settings=check_settings())
    by_file = cli("check", os.path.join(b, "config.json"), settings=check_settings())
    if by_dir.returncode or by_dir.stdout != by_file.stdout or \
            "  allows  /usr                     execute, read_file, read_dir" \
            not in by_dir.stdout.splitlines():
        raise AssertionError(f"{by_dir.returncode}\n{by_dir.stdout}{by_dir.stderr}")
    # --json names the file it read.
    p = cli("check", "--json", b, settings=check_settings())
    if p.returncode or json.loads(p.stdout)["file"] != os.path.join(b, "config.json"):
        raise AssertionError(p.stdout + p.stderr)
    empty = tempfile.mkdtemp(prefix="check-empty-", dir=TMP)
    p = cli("check", empty, settings=check_settings())
    if p.returncode != 1 or p.stderr != (
            f"oci-landlock: cannot open '{empty}/config.json': No such file or directory\n"
            "Hint: a bundle directory holds config.json\n"):
        raise AssertionError(f"{p.returncode} {p.stderr!r}")


@test
def test_check_warns_on_list_separators_and_relative_paths():
    sep = "but paths are separated by ':': did you mean"
    cases = [
        ("/usr,/etc", f"the path '/usr,/etc' holds ',', {sep} '/usr:/etc'?"),
        ("/usr,,/etc", f"the path '/usr,,/etc' holds ',', {sep} '/usr:/etc'?"),
        ("/srv:/usr,", f"the path '/usr,' holds ',', {sep} '/usr'?"),
        ("/usr;/etc", f"the path '/usr;/etc' holds ';', {sep} '/usr:/etc'?"),
        ("/usr /etc", f"the path '/usr /etc' holds a space, {sep} '/usr:/etc'?"),
    ]
    for value, warning in cases:
        p = cli("check", "-a", "oci.landlock.fs.rx=" + value, settings=check_settings())
        lines = p.stdout.splitlines()
        if p.returncode or lines[0] != "warning: annotation 'oci.landlock.fs.rx': " + warning \
                or sum(line.startswith("warning:") for line in lines) != 1:
            raise AssertionError(f"{value!r}: {p.returncode}\n{p.stdout}{p.stderr}")
    # Well-formed lists get no warning.
    p = cli("check", "-a", "oci.landlock.fs.rx=/usr:/etc", settings=check_settings())
    if p.returncode or "warning:" in p.stdout:
        raise AssertionError(p.stdout)
    # A relative path of a policy document: the launcher would refuse it
    # in a policy file, the host in a profile.
    policy = file("relative.json", json.dumps({"pathBeneath": [
        {"allowedAccess": ["read_file"], "parent": ["/usr", "srv/data"]}]}))
    p = cli("check", policy)
    if p.returncode or p.stdout.splitlines()[0] != (
            f"warning: {policy}: 'srv/data' is not an absolute path: the launcher refuses it "
            "in a policy file, the host in a profile or an annotation (write it from the "
            "container's root, such as '/srv/data')"):
        raise AssertionError(p.stdout + p.stderr)
    # In an annotation, a relative path is refused (not only a warning).
    p = cli("check", "-a", "oci.landlock.fs.rx=/usr:bin", settings=check_settings())
    if p.returncode != 1 or "'bin' is not an absolute path" not in p.stderr:
        raise AssertionError(f"{p.returncode} {p.stderr!r}")


def stacked(name):
    """Settings with a default and a profile, and a bundle that adds both
    annotations and an image policy file: four layers."""
    d = tempfile.mkdtemp(prefix=name + "-", dir=TMP)
    os.mkdir(os.path.join(d, "profiles"))
    with open(os.path.join(d, "profiles", "app.json"), "w") as f:
        # Several lines, as profiles are written: the options carry them whole.
        json.dump({"ruleset": [{"handledAccessFs": ["execute", "read_file", "read_dir",
                                                     "write_file"]}],
                   "pathBeneath": [
                       {"allowedAccess": ["execute", "read_file", "read_dir"], "parent": ["/usr"]},
                       {"allowedAccess": ["read_file", "read_dir", "write_file"],
                        "parent": ["/srv"]}]}, f, indent=2)
    launcher = os.path.join(d, "exec")
    with open(launcher, "w") as f:
        f.write("#!/bin/sh\n")
    os.chmod(launcher, 0o755)
    default = {"ruleset": [{"handledAccessFs": ["execute", "read_file", "read_dir", "write_file",
                                                "make_dir"],
                            "handledAccessNet": ["connect_tcp"]}],
               "pathBeneath": [
                   {"allowedAccess": ["execute", "read_file", "read_dir"], "parent": ["/"]},
                   {"allowedAccess": ["read_file", "read_dir", "write_file", "make_dir"],
                    "parent": ["/srv", "/tmp", "/home/o'neil"]}],
               "netPort": [{"allowedAccess": ["connect_tcp"], "port": [443, 444, 445, 8080]}]}
    settings = check_settings(profiles=os.path.join(d, "profiles"), default=default,
                              launcher=launcher)
    b = os.path.join(d, "bundle")
    os.mkdir(b)
    with open(os.path.join(b, "config.json"), "w") as f:
        json.dump({"ociVersion": "1.0.2", "process": {"args": ["/bin/sh"]},
                   "root": {"path": "rootfs"},
                   "mounts": [{"destination": "/dev", "type": "tmpfs", "source": "tmpfs"}],
                   "annotations": {"oci.landlock.profile": "app",
                                   "oci.landlock.fs.rx": "/usr/bin:/srv:/home/o'neil/bin",
                                   "oci.landlock.net.connect": "443-445",
                                   "oci.landlock.net.socket": "unix,tcp",
                                   "oci.landlock.policy-file": "/etc/o'p.json"}}, f)
    image_policy = os.path.join(d, "image-policy.json")
    with open(image_policy, "w") as f:
        json.dump({"ruleset": [{"handledAccessFs": ["write_file"]}],
                   "pathBeneath": [{"allowedAccess": ["write_file"],
                                    "parent": ["/srv/data"]}]}, f)
    return b, settings, image_policy


def printed_options(stdout):
    """The words after "launcher options: ", as sh reads them: the value
    may span lines (a profile's text), so read up to the layer list."""
    start = stdout.index("launcher options: ") + len("launcher options: ")
    end = stdout.index("\nlayer 1: ", start)
    return stdout[start:end]


@test
def test_check_prints_options_that_sh_reads_back_as_injected():
    b, settings, _ = stacked("quoting")
    p = cli("check", b, settings=settings)
    if p.returncode:
        raise AssertionError(p.stdout + p.stderr)
    text = printed_options(p.stdout)
    sh = subprocess.run(["sh", "-c", "printf '%s\\0' " + text], capture_output=True, timeout=60)
    words = sh.stdout.decode().split("\0")[:-1]
    if sh.returncode or words != shlex.split(text):
        raise AssertionError(f"sh: {sh.returncode} {words!r} {sh.stderr!r}")
    # What inject writes: [launcher, options..., "--", args...].
    p = cli("inject", b, settings=settings)
    if p.returncode:
        raise AssertionError(p.stderr)
    args = json.load(open(os.path.join(b, "config.json")))["process"]["args"]
    if args[1:1 + len(words)] != words or args[1 + len(words):] != ["--", "/bin/sh"]:
        raise AssertionError(f"injected {args!r}\nprinted {words!r}")
    # Values with a quote, a newline and spaces survived.
    if "--layer=policy file '/etc/o'p.json'" not in words or \
            not any("\n" in w and '"/srv"' in w for w in words):
        raise AssertionError(repr(words))


@test
def test_check_shows_the_effective_access_of_stacked_layers():
    abi = kernel_abi()
    if abi < 4:
        raise Skip(f"Landlock ABI {abi}: the stacked layers need TCP rights (ABI 4)")
    b, settings, image_policy = stacked("effective")
    p = cli("check", b, "--policy-file", image_policy, settings=settings)
    lines = p.stdout.splitlines()
    if p.returncode or EFFECTIVE + "):" not in lines:
        raise AssertionError(p.stdout + p.stderr)
    got = lines[lines.index(EFFECTIVE + "):") + 1:]
    # Layers: 1 default, 2 profile 'app', 3 annotations, 4 the policy file.
    # A right is allowed only where every layer that handles it allows it.
    want = [
        "  /                              - (layer 2 denies execute, read_file, read_dir; "
        "layer 3 denies execute, read_file, read_dir)",
        "  /home/o'neil                   - (layer 2 denies execute, write_file, read_file, "
        "read_dir; layer 3 denies execute, write_file, read_file, read_dir, make_dir; layer 4 "
        "denies write_file)",
        "  /home/o'neil/bin               - (layer 2 denies execute, write_file, read_file, "
        "read_dir; layer 3 denies write_file, make_dir; layer 4 denies write_file)",
        "  /srv                           read_file, read_dir (layer 2 denies execute; layer 3 "
        "denies write_file, make_dir; layer 4 denies write_file)",
        "  /srv/data                      read_file, read_dir (layer 2 denies execute; layer 3 "
        "denies write_file, make_dir)",
        "  /tmp                           - (layer 2 denies execute, write_file, read_file, "
        "read_dir; layer 3 denies execute, write_file, read_file, read_dir, make_dir; layer 4 "
        "denies write_file)",
        "  /usr                           - (layer 3 denies execute, read_file, read_dir)",
        "  /usr/bin                       execute, read_file, read_dir",
        "  any other path                 -",
        "  ports 443-445                  all",
        "  port 8080                      bind_tcp (layer 3 denies connect_tcp)",
        "  other ports                    bind_tcp",
        "  scoped                         -",
        "result: enforced as written",
    ]
    if got != want:
        raise AssertionError("\n".join(got))
    if "layer 4: policy file '/etc/o'p.json'" not in lines:
        raise AssertionError(p.stdout)
    # Without the image's policy file, check says the verdict lacks it.
    p = cli("check", b, settings=settings)
    if p.returncode or EFFECTIVE + ", without the policy file: give it with --policy-file " \
            "FILE):" not in p.stdout.splitlines():
        raise AssertionError(p.stdout + p.stderr)
    # --policy-file reads as the launcher would: absolute paths only, and
    # only where the annotations name a policy file.
    relative = file("relative-policy.json", json.dumps({"pathBeneath": [
        {"allowedAccess": ["read_file"], "parent": ["srv"]}]}))
    p = cli("check", b, "--policy-file", relative, settings=settings)
    if p.returncode != 1 or p.stderr != (
            f"oci-landlock: invalid policy '{relative}' (--policy-file for '/etc/o'p.json'): "
            "'srv' is not an absolute path\nHint: a policy file's paths are resolved from the "
            "container's root: write them so, such as /srv\n"):
        raise AssertionError(f"{p.returncode} {p.stderr!r}")
    p = cli("check", "-a", "oci.landlock.fs.ro=/usr", "--policy-file", image_policy,
            settings=check_settings())
    if p.returncode != 1 or p.stderr != (
            f"oci-landlock: --policy-file '{image_policy}': the container names no policy "
            "file (no oci.landlock.policy-file annotation)\nHint: give --policy-file where "
            "the annotations name one\n"):
        raise AssertionError(f"{p.returncode} {p.stderr!r}")


@test
def test_check_json():
    abi = kernel_abi()
    if abi < 4:
        raise Skip(f"Landlock ABI {abi}: the stacked layers need TCP rights (ABI 4)")
    b, settings, image_policy = stacked("json")
    text = cli("check", b, "--policy-file", image_policy, settings=settings)
    p = cli("check", "--json", b, "--policy-file", image_policy, settings=settings)
    if p.returncode or p.stderr:
        raise AssertionError(p.stdout + p.stderr)
    out = json.loads(p.stdout)
    if (out["file"], out["kind"], out["result"], out["mode"], out["abi"], out["sockets"],
            out["policyFile"], out["policyFileChecked"], out["dropped"]) != (
            os.path.join(b, "config.json"), "config", "enforced", "strict", abi,
            ["unix", "tcp"], "/etc/o'p.json", True, []):
        raise AssertionError(p.stdout)
    if out["options"] != shlex.split(printed_options(text.stdout)):
        raise AssertionError(f"{out['options']!r}")
    if [layer["source"] for layer in out["layers"]] != [
            "default policy", "profile 'app'", "annotations", "policy file '/etc/o'p.json'"]:
        raise AssertionError(p.stdout)
    if out["layers"][3]["handledAccessFs"] != ["write_file"] or \
            out["layers"][3]["pathBeneath"] != [{"parent": "/srv/data",
                                                 "allowedAccess": ["write_file"]}]:
        raise AssertionError(json.dumps(out["layers"][3]))
    eff = out["effective"]
    data = [e for e in eff["paths"] if e["path"] == "/srv/data"]
    # No layer grants refer: each one denies it, even the policy file's,
    # which handles write_file only (the kernel's rule for refer).
    if data != [{"path": "/srv/data", "allowedAccess": ["read_file", "read_dir"],
                 "layers": [
                     ["execute", "write_file", "read_file", "read_dir", "remove_dir",
                      "remove_file", "make_char", "make_dir", "make_reg", "make_sock",
                      "make_fifo", "make_block", "make_sym", "truncate", "ioctl_dev"],
                     ["write_file", "read_file", "read_dir", "remove_dir", "remove_file",
                      "make_char", "make_dir", "make_reg", "make_sock", "make_fifo",
                      "make_block", "make_sym", "truncate", "ioctl_dev"],
                     ["execute", "read_file", "read_dir"],
                     ["execute", "write_file", "read_file", "read_dir", "remove_dir",
                      "remove_file", "make_char", "make_dir", "make_reg", "make_sock",
                      "make_fifo", "make_block", "make_sym", "truncate", "ioctl_dev"]]}]:
        raise AssertionError(json.dumps(data))
    if eff["ports"][0] != {"from": 443, "to": 445, "allowedAccess": ["bind_tcp", "connect_tcp"],
                           "layers": [["bind_tcp", "connect_tcp"]] * 4} or \
            eff["otherPorts"] != ["bind_tcp"] or eff["elsewhere"] != [] or eff["scoped"] != []:
        raise AssertionError(json.dumps(eff))
    # An invalid config: the JSON says so, and the error goes to stderr too.
    p = cli("check", "--json", "-a", "oci.landlock.fs.ro=/usr,/etc", "-a",
            "oci.landlock.net.bind=99999", settings=check_settings())
    out = json.loads(p.stdout)
    if p.returncode != 1 or out["result"] != "invalid" or out["file"] != "-a" or \
            out["error"]["message"] != "invalid annotation 'oci.landlock.net.bind': port "\
            "'99999' is out of range (0-65535)" or len(out["warnings"]) != 1 or \
            not p.stderr.startswith("oci-landlock: invalid annotation 'oci.landlock.net.bind'"):
        raise AssertionError(f"{p.returncode} {p.stdout} {p.stderr}")
    # Nothing applies.
    p = cli("check", "--json", "-a", "io.example=1", settings=check_settings())
    if p.returncode or json.loads(p.stdout) != {"file": "-a", "kind": "config",
                                                 "result": "none", "warnings": []}:
        raise AssertionError(p.stdout + p.stderr)


if __name__ == "__main__":
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
