#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Kubernetes installer (examples/kubernetes/installer/), run for real.

context.sh stages this build (`meson install --destdir`); install.sh puts
it into a temporary root, exactly as the DaemonSet does into the node's
/opt/oci-landlock; the installed wrapper and shim run, on a bundle and
under containerd; uninstall leaves the root as it found it, byte for byte.
As root with podman, the installer image is built from the Containerfile
and does the same from inside a container.  Needs the `file` command;
root, containerd, runc and podman for some cases, which skip without them.
"""
import json
import os
import shutil
import subprocess

import kube
from tap import Skip, run, test

from installer import (BUILDDIR, INSTALLER, PREFIX, PROFILES, PROGRAMS, STATIC_HOST, TMP,
                       VERSION, context, fails, install, new_root, ok, sh, snapshot, source,
                       wrapper)


@test
def test_context_holds_static_programs():
    ctx = context()
    for f in ("busybox",) + tuple("oci-landlock/" + p for p in PROGRAMS):
        kind = sh("file", "-L", os.path.join(ctx, f)).stdout
        static = "statically linked" in kind
        if f.startswith("oci-landlock/bin/") and not STATIC_HOST:
            static = not static  # this build links them dynamically
        if not static:
            raise AssertionError(f"{f}: {kind} (static_host={STATIC_HOST})")
    names = sorted(os.path.relpath(os.path.join(d, n), ctx)
                   for d, _, files in os.walk(ctx) for n in files)
    if names != sorted(["busybox", "oci-landlock/install.sh"] +
                       ["oci-landlock/profiles/" + p for p in PROFILES] +
                       ["oci-landlock/" + p for p in PROGRAMS]):
        raise AssertionError(f"context: {names}")
    if STATIC_HOST:
        return
    # Dynamic programs are refused unless asked for, and nothing is left.
    out = os.path.join(TMP, "refused-context")
    p = sh(os.path.join(INSTALLER, "context.sh"), BUILDDIR, out, env={"OL_ALLOW_DYNAMIC": "0"})
    installed = json.loads(sh("meson", "introspect", BUILDDIR, "--buildoptions").stdout)
    o = {x["name"]: x["value"] for x in installed}
    shim = os.path.join(o["prefix"], o["bindir"], "oci-landlock-runtime")
    fails(p, f"context.sh: '{shim}' is dynamically linked: the installer would copy it onto "
             "nodes that may lack its libraries\nHint: configure the build with "
             "-Dstatic_host=true (or set OL_ALLOW_DYNAMIC=1 if every node has libyajl2 and "
             "libseccomp2)\n")
    if os.path.exists(out):
        raise AssertionError("context.sh left a partial context behind")


@test
def test_install_writes_exactly_the_layout_and_uninstall_restores_the_root():
    root = new_root("clean", [("etc/hostname", "node\n")])
    before = snapshot(root)
    p = install(root, runtime="/usr/sbin/runc")
    ok(p, "oci-landlock-install: installed in /opt/oci-landlock (runtime: /usr/sbin/runc)\n")
    after = snapshot(root)
    added = {k: v for k, v in after.items() if k not in before}
    src = source()

    def same(rel):
        with open(os.path.join(src, rel), "rb") as f:
            return f.read()
    manifest = ("d /opt\nd /opt/oci-landlock\nd /opt/oci-landlock/bin\n"
                "d /opt/oci-landlock/libexec\nd /opt/oci-landlock/etc\n"
                "d /opt/oci-landlock/etc/profiles\n"
                "f /opt/oci-landlock/bin/oci-landlock-runtime\n"
                "f /opt/oci-landlock/bin/oci-landlock\n"
                "f /opt/oci-landlock/libexec/oci-landlock-exec\n"
                "f /opt/oci-landlock/bin/oci-landlock-runtime-wrapper\n"
                "f /opt/oci-landlock/etc/config.json\n" +
                "".join(f"f /opt/oci-landlock/etc/profiles/{p}\n" for p in PROFILES) +
                "f /opt/oci-landlock/installed-files\n")
    settings = ('{\n  "launcher": "/opt/oci-landlock/libexec/oci-landlock-exec",\n'
                '  "profiles": "/opt/oci-landlock/etc/profiles",\n'
                '  "runtime": "/usr/sbin/runc"\n}\n')
    want = {
        "opt": ("dir", "0o755"),
        "opt/oci-landlock": ("dir", "0o755"),
        "opt/oci-landlock/bin": ("dir", "0o755"),
        "opt/oci-landlock/libexec": ("dir", "0o755"),
        "opt/oci-landlock/etc": ("dir", "0o755"),
        "opt/oci-landlock/etc/profiles": ("dir", "0o755"),
        "opt/oci-landlock/bin/oci-landlock-runtime":
            ("file", "0o755", same("bin/oci-landlock-runtime")),
        "opt/oci-landlock/bin/oci-landlock": ("file", "0o755", same("bin/oci-landlock")),
        "opt/oci-landlock/bin/oci-landlock-runtime-wrapper":
            ("file", "0o755", wrapper(PREFIX).encode()),
        "opt/oci-landlock/libexec/oci-landlock-exec":
            ("file", "0o755", same("libexec/oci-landlock-exec")),
        "opt/oci-landlock/etc/config.json": ("file", "0o644", settings.encode()),
        "opt/oci-landlock/installed-files": ("file", "0o644", manifest.encode()),
    }
    for p in PROFILES:
        want["opt/oci-landlock/etc/profiles/" + p] = ("file", "0o644", same("profiles/" + p))
    if added != want or any(after[k] != v for k, v in before.items()):
        diff = {k: (added.get(k, "-")[:2], want.get(k, "-")[:2])
                for k in set(added) | set(want) if added.get(k) != want.get(k)}
        raise AssertionError(f"installed tree differs (got, want): {diff}")
    # Again: the same tree, the same manifest, and each file but the
    # manifest left alone (the same inode: a running shim, or the launcher
    # bind-mounted into running containers, keeps its copy).  A changed
    # file is renamed into place, never rewritten: see the handlers test.
    inodes = {k: os.stat(os.path.join(root, k)).st_ino for k, v in want.items() if v[0] == "file"}
    ok(install(root, runtime="/usr/sbin/runc"))
    if snapshot(root) != after:
        raise AssertionError("a second install changed the tree")
    # (The manifest is always written anew; its inode number may come back.)
    moved = [k for k, i in inodes.items() if os.stat(os.path.join(root, k)).st_ino != i]
    if set(moved) - {"opt/oci-landlock/installed-files"}:
        raise AssertionError(f"written again: {moved}")
    ok(install(root, "status"), "oci-landlock-install: installed in /opt/oci-landlock\n")
    fails(install(root, "status", action_env="uninstall"),
          "oci-landlock-install: still installed in /opt/oci-landlock\n")
    ok(install(root, "uninstall"), "oci-landlock-install: removed from /opt/oci-landlock\n")
    if snapshot(root) != before:
        raise AssertionError(f"uninstall left {set(snapshot(root)) ^ set(before)}")
    ok(install(root, "status", action_env="uninstall"),
       "oci-landlock-install: not installed in /opt/oci-landlock\n")
    fails(install(root, "status"), "oci-landlock-install: not installed in /opt/oci-landlock\n")
    ok(install(root, "uninstall"), "oci-landlock-install: nothing installed in /opt/oci-landlock\n")


@test
def test_uninstall_keeps_what_was_there_before():
    # The DaemonSet's hostPath exists before the installer runs (kubelet
    # creates it), and an administrator added a profile of their own.
    root = new_root("admin", [("opt/oci-landlock/etc/profiles/mine.json", '{"ruleset":[]}\n')])
    before = snapshot(root)
    ok(install(root))
    manifest = open(os.path.join(root, "opt/oci-landlock/installed-files")).read()
    if manifest.startswith("d /opt\n") or "d /opt/oci-landlock/etc/profiles\n" in manifest:
        raise AssertionError(f"recorded directories it did not create:\n{manifest}")
    if '"runtime"' in open(os.path.join(root, "opt/oci-landlock/etc/config.json")).read():
        raise AssertionError("no RUNTIME, but the settings name one")
    ok(install(root, "uninstall"), "oci-landlock-install: removed from /opt/oci-landlock\n")
    if snapshot(root) != before:
        raise AssertionError(f"uninstall changed {set(snapshot(root)) ^ set(before)}")


@test
def test_install_refuses_to_overwrite_what_is_not_its_own():
    cases = [("opt/oci-landlock/etc/config.json", "/opt/oci-landlock/etc/config.json"),
             ("opt/oci-landlock/etc/profiles/static-web-server.json",
              "/opt/oci-landlock/etc/profiles/static-web-server.json"),
             ("opt/oci-landlock/installed-files", "/opt/oci-landlock/installed-files")]
    for i, (rel, path) in enumerate(cases):
        root = new_root(f"foreign{i}", [(rel, "{}\n")])
        before = snapshot(root)
        what = ("is not a manifest of oci-landlock-install\nHint: move it away\n"
                if rel.endswith("installed-files") else
                "exists and was not installed by oci-landlock-install\n"
                "Hint: move it away, or remove what put it there\n")
        fails(install(root), f"oci-landlock-install: '{path}' {what}")
        if snapshot(root) != before:
            raise AssertionError(f"{rel}: a refused install wrote something")
    # Nor through a symbolic link planted where a program goes.
    root = new_root("link")
    os.makedirs(os.path.join(root, "opt/oci-landlock/bin"))
    os.symlink("/etc/passwd", os.path.join(root, "opt/oci-landlock/bin/oci-landlock"))
    fails(install(root), "oci-landlock-install: '/opt/oci-landlock/bin/oci-landlock' exists and "
                         "was not installed by oci-landlock-install\n"
                         "Hint: move it away, or remove what put it there\n")


@test
def test_an_upgrade_removes_what_it_no_longer_ships():
    src = os.path.join(TMP, "src-two-profiles")
    shutil.copytree(source(), src)
    with open(os.path.join(src, "profiles", "extra.json"), "w") as f:
        f.write('{"ruleset":[{"scoped":["signal"]}]}\n')
    root = new_root("upgrade")
    before = snapshot(root)
    ok(install(root, src=src))
    if not os.path.exists(os.path.join(root, "opt/oci-landlock/etc/profiles/extra.json")):
        raise AssertionError("the second profile was not installed")
    ok(install(root))
    if os.path.exists(os.path.join(root, "opt/oci-landlock/etc/profiles/extra.json")):
        raise AssertionError("the upgrade kept a profile it no longer ships")
    if "extra.json" in open(os.path.join(root, "opt/oci-landlock/installed-files")).read():
        raise AssertionError("the manifest still names the dropped profile")
    ok(install(root, "uninstall"))
    if snapshot(root) != before:
        raise AssertionError("uninstall after an upgrade left files")


@test
def test_bad_input_is_refused_before_anything_is_written():
    root = new_root("bad")
    before = snapshot(root)
    bad = os.path.join(TMP, "src-bad-profile")
    shutil.copytree(source(), bad)
    with open(os.path.join(bad, "profiles", "a b.json"), "w") as f:
        f.write("{}\n")
    notes = os.path.join(TMP, "src-not-a-profile")
    shutil.copytree(source(), notes)
    with open(os.path.join(notes, "profiles", "README"), "w") as f:
        f.write("\n")
    cases = [
        ({"prefix": "opt/x"}, "oci-landlock-install: PREFIX 'opt/x' is not an absolute path\n"),
        ({"prefix": "/opt/a b"},
         "oci-landlock-install: PREFIX '/opt/a b': only letters, digits and . _ / + - are "
         "allowed, with no empty, . or .. component and no trailing /\n"),
        ({"prefix": "/opt/../etc"},
         "oci-landlock-install: PREFIX '/opt/../etc': only letters, digits and . _ / + - are "
         "allowed, with no empty, . or .. component and no trailing /\n"),
        ({"runtime": '/usr/bin/run"c'},
         "oci-landlock-install: RUNTIME '/usr/bin/run\"c': only letters, digits and . _ / + - "
         "are allowed, with no empty, . or .. component and no trailing /\n"),
        ({"src": bad}, f"oci-landlock-install: '{bad}/profiles/a b.json' is no profile\n"
                       "Hint: profiles are NAME.json, NAME of letters, digits, '.', '_' and "
                       "'-', not starting with '.'\n"),
        ({"src": notes}, f"oci-landlock-install: '{notes}/profiles/README' is no profile\n"
                         "Hint: profiles are NAME.json, NAME of letters, digits, '.', '_' and "
                         "'-', not starting with '.'\n"),
        ({"src": TMP}, f"oci-landlock-install: no executable '{TMP}/bin/oci-landlock-runtime'\n"
                       "Hint: SRC names the directory that holds bin/, libexec/ and profiles/\n"),
    ]
    for kw, stderr in cases:
        fails(install(root, **kw), stderr)
    fails(install(root, "upgrade"), "oci-landlock-install: unknown action 'upgrade'\n"
                                    "Hint: the actions are install, uninstall, status and idle\n")
    if snapshot(root) != before:
        raise AssertionError("a refused install wrote something")


@test
def test_uninstall_refuses_a_manifest_naming_other_files():
    root = new_root("forged")
    ok(install(root))
    victim = os.path.join(root, "etc", "keep")
    os.makedirs(os.path.dirname(victim))
    open(victim, "w").close()
    with open(os.path.join(root, "opt/oci-landlock/installed-files"), "a") as f:
        f.write("f /etc/keep\n")
    fails(install(root, "uninstall"),
          "oci-landlock-install: '/opt/oci-landlock/installed-files' names 'f /etc/keep', which "
          "oci-landlock-install never installs\n"
          "Hint: the manifest was edited: remove the files by hand\n")
    if not os.path.exists(victim) or \
            not os.path.exists(os.path.join(root, "opt/oci-landlock/bin/oci-landlock")):
        raise AssertionError("a refused uninstall removed files")


def live_install(name, runtime):
    """Installed with DESTDIR empty under a temporary PREFIX, so that the
    installed wrapper, shim and settings run as they would on a node."""
    base = new_root(name)
    prefix = os.path.join(base, "opt", "oci-landlock")
    ok(install("", prefix=prefix, runtime=runtime))
    return base, prefix


def pod_annotations(container, sandbox_id="c-sandbox"):
    pod = kube.one("Pod")
    globs = kube.containerd_runtimes("containerd-1.x")["landlock"]["pod_annotations"]
    return kube.containerd_annotations(pod, globs, container, sandbox_id)


@test
def test_installed_wrapper_and_shim_rewrite_a_bundle():
    fake = os.path.join(TMP, "fake-runtime")
    calls = os.path.join(TMP, "fake-runtime.calls")
    with open(fake, "w") as f:
        f.write(f'#!/bin/sh\nprintf "%s|" "$OCI_LANDLOCK_CONFIG" "$@" >> {calls}\n'
                f'echo >> {calls}\n')
    os.chmod(fake, 0o755)
    base, prefix = live_install("live", fake)
    before = {k: v for k, v in snapshot(base).items() if not k.startswith("opt")}
    shim = os.path.join(prefix, "bin", "oci-landlock-runtime-wrapper")
    settings = os.path.join(prefix, "etc", "config.json")
    ok(sh(shim, "--version"))

    bundles = {}
    for name in ("web", None):
        b = os.path.join(TMP, f"bundle-{name or 'sandbox'}")
        os.mkdir(b)
        with open(os.path.join(b, "config.json"), "w") as f:
            json.dump(kube.config(pod_annotations(name), args=["/bin/probe"]), f)
        bundles[name] = b
        ok(sh(shim, "--root", os.path.join(TMP, "state"), "create", "--bundle", b,
              f"c-{name or 'sandbox'}"))
    with open(calls) as f:
        got = f.read().splitlines()
    want = [f"{settings}|--version|",
            f"{settings}|--root|{TMP}/state|create|--bundle|{bundles['web']}|c-web|",
            f"{settings}|--root|{TMP}/state|create|--bundle|{bundles[None]}|c-sandbox|"]
    if got != want:
        raise AssertionError(f"the real runtime was called with {got}, want {want}")
    web = json.load(open(os.path.join(bundles["web"], "config.json")))
    args = web["process"]["args"]
    launcher = [m for m in web.get("mounts", []) if m.get("destination") == args[0]]
    profile = open(os.path.join(prefix, "etc", "profiles", "static-web-server.json")).read()
    if args[0] != "/dev/oci-landlock-exec" or args[-2:] != ["--", "/bin/probe"] or \
            len(launcher) != 1 or \
            launcher[0]["source"] != os.path.join(prefix, "libexec", "oci-landlock-exec") or \
            "--layer=profile 'static-web-server'" not in args or profile not in args or \
            args[args.index("--net-bind") + 1] != "8080":
        raise AssertionError(f"web: args {args}, launcher mount {launcher}")
    # The gate runs as a createRuntime hook: the installed command, with
    # the installed settings.
    gate = {"path": os.path.join(prefix, "bin", "oci-landlock"),
            "args": ["oci-landlock", "hook", "createRuntime"],
            "env": ["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
                    f"OCI_LANDLOCK_CONFIG={settings}"]}
    if web.get("hooks") != {"createRuntime": [gate]}:
        raise AssertionError(f"web: hooks {web.get('hooks')}, want the gate {gate}")
    # The sandbox container is left as it was.
    if json.load(open(os.path.join(bundles[None], "config.json"))) != \
            kube.config(pod_annotations(None), args=["/bin/probe"]):
        raise AssertionError("the sandbox container's config was rewritten")
    # The installed CLI with the installed settings.
    p = sh(os.path.join(prefix, "bin", "oci-landlock"), "check",
           os.path.join(bundles["web"], "config.json"), env={"OCI_LANDLOCK_CONFIG": settings})
    if "layer 1: profile 'static-web-server'" not in p.stdout.splitlines():
        raise AssertionError(f"check with the installed settings:\n{p.stdout}{p.stderr}")
    ok(install("", "uninstall", prefix=prefix))
    if snapshot(base) != before:
        raise AssertionError(f"uninstall left {set(snapshot(base)) ^ set(before)}")


@test
def test_pod_under_containerd_through_the_installed_wrapper():
    # The pod's containers as containerd's CRI plugin would create them:
    # the pod's allow-listed annotations and containerd's own keys, run
    # by the runc shim with the installed wrapper as BinaryName.
    if not os.environ.get("OL_PROBE"):
        raise Skip("no probe in this build (a sanitizer build has no static programs)")
    os.environ.setdefault("OL_LAUNCHER", os.path.join(source(), "libexec", "oci-landlock-exec"))
    os.environ.setdefault("OL_SHIM", os.path.join(source(), "bin", "oci-landlock-runtime"))
    from engines import annotate, expect, need, world
    need("containerd", "ctr", "runc")
    base, prefix = live_install("containerd", shutil.which("runc"))
    w = world()
    for d in ("var/www/html", "out", "lib", "usr"):
        os.makedirs(os.path.join(w.rootfs, d), exist_ok=True)
    w.start_containerd()
    d = w.path("containerd")
    shim = os.path.join(prefix, "bin", "oci-landlock-runtime-wrapper")

    sandbox_id = f"ol-deploy-sandbox-{os.getpid()}"

    def ctr(name, ops):
        cmd = w.ctr + ["run", "--rm", "--runc-binary", shim, "--runc-root", f"{d}/runc-root",
                       "--fifo-dir", f"{d}/fifo"] + annotate(pod_annotations(name, sandbox_id)) + \
            ["--rootfs", w.rootfs, f"ol-deploy-{name or 'sandbox'}-{os.getpid()}",
             "/bin/probe"] + ops
        return subprocess.run(cmd, capture_output=True, text=True, timeout=120)

    common = ["read", "/etc/data", "write", "/etc/data", "mkreg", "/tmp/{}",
              "connect", "443", "socket", "inet", "dgram", "0"]
    # web: its site is readable, not writable; binds 8080 and nothing else.
    expect(ctr("web", [o.format("web") for o in common] +
               ["readdir", "/var/www/html", "mkreg", "/var/www/html/x", "bind", "8080", "bind", "8081",
                "mkreg", "/out/web"]),
           ["OK", "EACCES", "OK", "EACCES", "EACCES", "OK", "EACCES", "OK", "EACCES", "EACCES"])
    # worker: writes /out; binds nothing.
    expect(ctr("worker", [o.format("worker") for o in common] +
               ["mkreg", "/out/log", "bind", "8080", "readdir", "/var/www/html"]),
           ["OK", "EACCES", "OK", "EACCES", "EACCES", "OK", "EACCES", "EACCES"])
    # The sandbox container runs without the launcher: nothing is denied.
    expect(ctr(None, ["write", "/etc/data", "socket", "inet", "dgram", "0"]), ["OK", "OK"])
    ok(install("", "uninstall", prefix=prefix))


@test
def test_installer_image_installs_and_uninstalls():
    if os.geteuid() != 0:
        raise Skip("needs root (podman)")
    for p in ("podman", "runc"):
        if not shutil.which(p):
            raise Skip(f"{p} is not installed")
    # A private --tmpdir too: podman's exit files are otherwise shared with
    # every other podman on the machine.
    podman = ["podman", "--root", os.path.join(TMP, "storage"), "--runroot",
              os.path.join(TMP, "runroot"), "--tmpdir", os.path.join(TMP, "libpod"),
              "--storage-driver", "vfs", "--cgroup-manager", "cgroupfs"]
    image = f"localhost/oci-landlock-installer:{VERSION}"
    try:
        ok(sh(*podman, "build", "--network", "none", "-q", "-f",
              os.path.join(INSTALLER, "Containerfile"), "-t", image, context()))
        host = new_root("hostpath")
        ds = kube.one("DaemonSet")["spec"]["template"]["spec"]
        init = ds["initContainers"][0]
        mount = init["volumeMounts"][0]["mountPath"]

        def container(command, env, more=()):
            # As the DaemonSet runs it: root without capabilities, a
            # read-only root file system, the host's PREFIX mounted.
            args = ["run", "--rm", "--runtime", "runc", "--network", "none", "--read-only",
                    "--cap-drop", "all", "--user", "0", "--ulimit", "nofile=1024:1024",
                    "--ulimit", "nproc=4096:4096", "-v", f"{host}:{mount}", *more]
            for k, v in env.items():
                args += ["-e", f"{k}={v}"]
            return sh(*podman, *args, image, *command)

        env = {e["name"]: e["value"] for e in init["env"]}
        # The ConfigMap's profiles, where the DaemonSet mounts them.
        custom = new_root("configmap")
        for name, text in kube.one("ConfigMap", "oci-landlock-profiles")["data"].items():
            with open(os.path.join(custom, name), "w") as f:
                f.write(text)
        env["CUSTOM_PROFILES"] = "/custom"
        mount_args = ["-v", f"{custom}:/custom:ro"]
        ok(container(init["command"], env, mount_args))
        files = sorted(os.path.relpath(os.path.join(d, n), host)
                       for d, _, names in os.walk(host) for n in names)
        if files != sorted(["bin/oci-landlock", "bin/oci-landlock-runtime",
                            "bin/oci-landlock-runtime-wrapper",
                            "bin/oci-landlock-runtime-wrapper-landlock-baseline",
                            "etc/config.json", "etc/landlock-baseline.json",
                            "etc/profiles/read-only-app.json",
                            "installed-files", "libexec/oci-landlock-exec"] +
                           ["etc/profiles/" + p for p in PROFILES]):
            raise AssertionError(f"installed: {files}")
        baseline = json.load(open(os.path.join(host, "etc/landlock-baseline.json")))
        if baseline.get("default") != "baseline" or "require" in baseline:
            raise AssertionError(f"landlock-baseline settings: {baseline}")
        if open(os.path.join(host, "bin/oci-landlock-runtime-wrapper")).read() != \
                wrapper(PREFIX):
            raise AssertionError("the wrapper does not name the host paths")
        probe = ds["containers"][0]["readinessProbe"]["exec"]["command"]
        ok(container(probe, env), "oci-landlock-install: installed in /opt/oci-landlock\n")
        ok(container(init["command"], dict(env, ACTION="uninstall"), mount_args))
        if os.listdir(host):
            raise AssertionError(f"uninstall left {os.listdir(host)}")
        ok(container(probe, dict(env, ACTION="uninstall")),
           "oci-landlock-install: not installed in /opt/oci-landlock\n")
    finally:
        # Only what this test made, in its own store: never podman's reset,
        # which also removes the host's networks and shared tmpdir.
        sh(*podman, "rm", "--all", "--force", "--time", "0")
        sh(*podman, "rmi", "--all", "--force")


if __name__ == "__main__":
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
