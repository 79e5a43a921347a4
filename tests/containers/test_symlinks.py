#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Symbolic links the image or the workload controls never widen a rule.

The attacks of the security review, in real containers: an image whose
/tmp is a link to "/" (so fs.rw=/tmp would be read-write on everything,
the operator's /secrets volume included), an image that points a path of
an admin profile at "/", and a workload that plants /tmp/bin -> / in a
persistent /tmp for its next run.  Each asserts that the secret stays
unread, /etc unwritten, and that the launcher says which link it did not
follow.  Then a real merged-/usr Debian 12 root file system (mmdebstrap),
where /bin, /lib and /lib64 are links into /usr: fs.rx=/bin:/lib:/lib64
runs its dynamically linked programs, and so do the curated profiles.

Needs root, podman, runc, containerd and mmdebstrap (with Debian's mirror).
"""
import json
import os
import subprocess

from engines import (SRCDIR, LAUNCHER, bind, ctr, expect, inject, make_bundle,
                     need, podman, runc, world)
from tap import run, test

BASIC = {"oci.landlock.fs.rx": "/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
# Read the operator's secret, append to /etc: both denied.
STEAL = [(["read", "/secrets/key"], "EACCES"), (["write", "/etc/data"], "EACCES"),
         (["mkreg", "/etc/planted"], "EACCES")]


def skipped(rule, link, target, source="annotations"):
    return (f"oci-landlock-exec: warning: {source}: rule for '{rule}' skipped: '{link}' is "
            f"a symbolic link (to '{target}'), and rules follow none (write the path it "
            f"leads to)")


def secrets():
    w = world()
    d = w.path("secrets")
    if not os.path.exists(d):
        os.mkdir(d)
        with open(os.path.join(d, "key"), "w") as f:
            f.write("the operator's secret\n")
    return d


def tmp_is_root(root):
    os.rmdir(os.path.join(root, "tmp"))
    os.symlink("/", os.path.join(root, "tmp"))


def ops(cases):
    return sum((op for op, _ in cases), [])


def want(cases):
    return [w for _, w in cases]


def check_warning(proc, line):
    if line not in proc.stderr.splitlines():
        raise AssertionError(f"want the warning {line!r}\nstderr:\n{proc.stderr}")


@test
def test_podman_image_tmp_is_root():
    w = world()
    image = w.podman_image(w.variant("tmp-is-root", tmp_is_root), "ol-tmp-is-root")
    proc = podman(BASIC, ops(STEAL), image=image, volumes=[f"{secrets()}:/secrets:ro"])
    expect(proc, want(STEAL))
    check_warning(proc, skipped("/tmp", "/tmp", "/"))


@test
def test_runc_image_tmp_is_root():
    need("runc")
    w = world()
    root = w.variant("tmp-is-root", tmp_is_root)
    b = make_bundle("tmp-is-root", BASIC, ops(STEAL), rootfs=root,
                    mounts=[bind(secrets(), "/secrets", ro=True)])
    p = inject(b)
    if p.returncode:
        raise AssertionError(p.stderr)
    proc = runc(b, "ol-tmp-is-root")
    expect(proc, want(STEAL))
    check_warning(proc, skipped("/tmp", "/tmp", "/"))


@test
def test_containerd_image_tmp_is_root():
    w = world()
    root = w.variant("tmp-is-root", tmp_is_root)
    proc = ctr(BASIC, ops(STEAL), "ol-tmp-is-root", rootfs=root,
               binds=[(secrets(), "/secrets")])
    expect(proc, want(STEAL))
    check_warning(proc, skipped("/tmp", "/tmp", "/"))


def profile_hooks():
    """hooks.d files whose settings name the repository's profiles."""
    w = world()
    settings = w.path("settings-symlink-profiles.json")
    if not os.path.exists(settings):
        with open(settings, "w") as f:
            json.dump({"launcher": LAUNCHER,
                       "profiles": os.path.join(SRCDIR, "examples", "profiles")}, f)
        w.make_hooks("hooks-symlink-profiles", ["precreate", "gate"], settings)
    return w.path("hooks-symlink-profiles")


@test
def test_profile_path_pointed_at_root():
    # static-web-server grants read-write on /var/cache/nginx: an image
    # making it a link to "/" gets nothing more than the profile names.
    def nginx_cache_is_root(root):
        os.makedirs(os.path.join(root, "var", "cache"))
        os.symlink("/", os.path.join(root, "var", "cache", "nginx"))
        with open(os.path.join(root, "etc", "passwd"), "w") as f:
            f.write("root:x:0:0::/root:/bin/sh\n")
    w = world()
    image = w.podman_image(w.variant("nginx-cache", nginx_cache_is_root), "ol-nginx-cache")
    cases = [(["read", "/secrets/key"], "EACCES"), (["write", "/etc/passwd"], "EACCES"),
             (["read", "/etc/passwd"], "OK"), (["mkreg", "/tmp/cache"], "OK")]
    proc = podman({"oci.landlock.profile": "static-web-server"}, ops(cases), image=image,
                  hooks=profile_hooks(), volumes=[f"{secrets()}:/secrets:ro"])
    expect(proc, want(cases))
    check_warning(proc, skipped("/var/cache/nginx", "/var/cache/nginx", "/",
                                "profile 'static-web-server'"))


@test
def test_planted_link_across_a_restart():
    # Run 1 may write /tmp (a volume that persists) and plants
    # /tmp/bin -> /; run 2 has fs.rx on /tmp/bin: it must not be rx on "/".
    w = world()
    tmp = w.path("persistent-tmp")
    os.mkdir(tmp)
    ann = {"oci.landlock.fs.rx": "/bin:/tmp/bin", "oci.landlock.fs.rw": "/tmp:/dev/null"}
    vols = [f"{tmp}:/tmp", f"{secrets()}:/secrets:ro"]
    expect(podman(ann, ["symlink", "/", "/tmp/bin"], volumes=vols), ["OK"])
    if os.readlink(os.path.join(tmp, "bin")) != "/":
        raise AssertionError("run 1 did not plant the link")
    proc = podman(ann, ops(STEAL) + ["read", "/etc/data", "readdir", "/tmp/bin/etc"],
                  volumes=vols)
    expect(proc, want(STEAL) + ["EACCES", "EACCES"])
    check_warning(proc, skipped("/tmp/bin", "/tmp/bin", "/"))


# ---- a merged-/usr Debian 12 image -----------------------------------------

def debian_image():
    w = world()
    return w.podman_image(w.debian_rootfs(), "ol-debian")


def shell(ann, script, **kw):
    return podman(ann, [], image=debian_image(), command=("/bin/sh", "-c", script), **kw)


def outcome(proc, lines, status=0):
    if proc.stdout.splitlines() != lines or proc.returncode != status:
        raise AssertionError(f"want {lines} (status {status}), got {proc.stdout!r} "
                             f"(status {proc.returncode})\nstderr:\n{proc.stderr}")
    if "symbolic link" in proc.stderr:
        raise AssertionError(f"a rule was skipped on a merged-/usr image:\n{proc.stderr}")


# Each line says whether a command could run, and what it could touch.
SCRIPT = ("t() { if \"$@\" >/dev/null 2>&1; then echo \"ok: $*\"; "
          "else echo \"denied: $*\"; fi; }; ")


@test
def test_debian_bin_and_lib_aliases():
    # /bin -> usr/bin, /lib -> usr/lib, /lib64 -> usr/lib64: the rules are
    # on /usr/bin, /usr/lib and /usr/lib64, and dash, ls and cat (linked
    # against glibc, loaded through /lib64/ld-linux-x86-64.so.2) run.
    ann = {"oci.landlock.fs.rx": "/bin:/lib:/lib64", "oci.landlock.fs.rw": "/tmp:/dev/null"}
    proc = shell(ann, SCRIPT + "t ls /bin; t ls /usr/lib; t cat /etc/debian_version; "
                 "t touch /tmp/x; t touch /etc/x; t ls /usr/share")
    outcome(proc, ["ok: ls /bin", "ok: ls /usr/lib", "denied: cat /etc/debian_version",
                   "ok: touch /tmp/x", "denied: touch /etc/x", "denied: ls /usr/share"])


@test
def test_debian_static_web_server_profile():
    proc = shell({"oci.landlock.profile": "static-web-server"},
                 SCRIPT + "t cat /etc/debian_version; t touch /etc/x; t touch /run/x; "
                 "t cat /root/.bashrc; t sh -c 'echo > /dev/null'",
                 hooks=profile_hooks())
    outcome(proc, ["ok: cat /etc/debian_version", "denied: touch /etc/x", "ok: touch /run/x",
                   "denied: cat /root/.bashrc", "ok: sh -c echo > /dev/null"])


@test
def test_debian_data_processor_and_build_job_profiles():
    proc = shell({"oci.landlock.profile": "data-processor"},
                 SCRIPT + "t cat /etc/debian_version; t touch /tmp/x; t touch /etc/x",
                 hooks=profile_hooks())
    outcome(proc, ["ok: cat /etc/debian_version", "ok: touch /tmp/x", "denied: touch /etc/x"])
    proc = shell({"oci.landlock.profile": "build-job"},
                 SCRIPT + "t touch /tmp/x; t touch /var/x; t ls /usr/bin",
                 hooks=profile_hooks())
    outcome(proc, ["ok: touch /tmp/x", "denied: touch /var/x", "ok: ls /usr/bin"])


@test
def test_debian_under_runc():
    # The same image under runc, through inject: the launcher resolves
    # the aliases in the container, whatever engine put it there.
    need("runc")
    ann = {"oci.landlock.fs.rx": "/bin:/lib:/lib64:/usr/local/bin",
           "oci.landlock.fs.rw": "/tmp:/dev/null"}
    b = make_bundle("debian-runc", ann, ["exec", "/bin/true", "read", "/etc/debian_version",
                                         "mkreg", "/tmp/debian-runc"],
                    rootfs=world().debian_rootfs(), command=("/usr/local/bin/probe",))
    p = inject(b)
    if p.returncode:
        raise AssertionError(p.stderr)
    proc = runc(b, "ol-debian-runc")
    expect(proc, ["OK", "EACCES", "OK"])
    if proc.stderr:
        raise AssertionError(proc.stderr)
    subprocess.run(["rm", "-f", os.path.join(world().debian_rootfs(), "tmp", "debian-runc")])


if __name__ == "__main__":
    run()
