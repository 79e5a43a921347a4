#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Why a container is refused reaches the user, under podman with runc and
with crun (Fedora's and RHEL's default), with the hooks and through the
shim.  So does why its command cannot run: a dynamic program whose loader
the policy does not allow, a script whose interpreter it does not allow.

crun shows a failing hook only as "error executing hook ... (exit code:
1)".  With the hooks, precreate carries a policy error to the launcher
(--error), and the gate lets that launcher, checked like any other, run:
it refuses the workload and says why on the container's stderr.  Through
the shim, the shim refuses before crun runs.  Each case checks the exact
message in podman's output and that the workload never ran.

Needs root, podman, runc, crun and unshare.
"""
import os
import shutil

from elfinterp import elf_interpreter
from engines import need, podman, podman_crun, refused, settings_file, world
from tap import Skip, run, test

TYPO = {"oci.landlock.fs.r0": "/bin"}
TYPO_MSG = "unknown annotation 'oci.landlock.fs.r0' (did you mean 'oci.landlock.fs.ro'?)"
REQUIRED = "require one (\"require\": true)"
# Whatever the policy, a workload that ran would have printed this.
OPS = ["stat", "/"]


def shim(name, settings_file):
    """The shim as podman's runtime, with its settings, in a directory of
    its own: podman takes the file's name for the runtime's."""
    w = world()
    os.makedirs(w.path(name), exist_ok=True)
    path = w.path(name, "crun" if "crun" in name else "oci-landlock-runtime")
    with open(path, "w") as f:
        f.write(f"#!/bin/sh\nOCI_LANDLOCK_CONFIG={settings_file} exec "
                f"{os.environ['OL_SHIM']} \"$@\"\n")
    os.chmod(path, 0o755)
    return path


def no_hooks():
    d = world().path("no-hooks")
    os.makedirs(d, exist_ok=True)
    return d


@test
def test_typo_under_podman_hooks_with_runc():
    need("podman", "runc")
    refused(podman(TYPO, OPS), TYPO_MSG)


@test
def test_typo_under_podman_hooks_with_crun():
    refused(podman_crun(TYPO, OPS), TYPO_MSG)


@test
def test_require_under_podman_hooks_with_crun():
    hooks = world().make_hooks("hooks-require", ["precreate", "gate"],
                               settings=settings_file("require", require=True))
    refused(podman_crun({}, OPS, hooks=hooks), REQUIRED)


@test
def test_typo_through_the_shim_with_crun():
    # Named crun: podman runs only runtimes it knows as crun without
    # cgroups, which this host needs (see podman_crun).
    runtime = shim("shim-crun", settings_file("crun", runtime=shutil.which("crun") or "crun"))
    refused(podman_crun(TYPO, OPS, hooks=no_hooks(), runtime=runtime), TYPO_MSG)


@test
def test_typo_through_the_shim_with_runc():
    need("podman", "runc")
    runtime = shim("shim-runc", settings_file("runc"))
    refused(podman(TYPO, OPS, hooks=no_hooks(), runtime=runtime), TYPO_MSG)


def host_dynamic_program():
    """The host's dynamically linked true, its loader as PT_INTERP names
    it, and the directory of the file that leads to (with the C library)."""
    prog = "/usr/bin/true"
    loader = elf_interpreter(prog) if os.path.exists(prog) else None
    if not loader:
        raise Skip(f"{prog} is not a dynamically linked 64-bit program here")
    return prog, loader, os.path.dirname(os.path.realpath(loader))


def with_programs(root):
    """/bin/dyn, the host's true, its loader and C library laid out as
    Debian does (the loader's name a link into /lib/ARCH-TRIPLET); and
    /bin/hello, a script whose interpreter is /opt/bin/sh (busybox)."""
    prog, loader, libdir = host_dynamic_program()
    inside = os.path.join("/lib", os.path.basename(libdir))
    os.makedirs(root + inside)
    for f in (os.path.basename(os.path.realpath(loader)), "libc.so.6"):
        shutil.copy(os.path.join(libdir, f), root + inside)
    os.makedirs(os.path.dirname(root + loader), exist_ok=True)
    os.symlink(os.path.join(inside, os.path.basename(os.path.realpath(loader))), root + loader)
    shutil.copy(prog, os.path.join(root, "bin", "dyn"))
    os.makedirs(os.path.join(root, "opt", "bin"))
    shutil.copy(os.path.join(root, "bin", "busybox"), os.path.join(root, "opt", "bin", "sh"))
    with open(os.path.join(root, "bin", "hello"), "w") as f:
        f.write("#!/opt/bin/sh\necho hello\n")
    os.chmod(os.path.join(root, "bin", "hello"), 0o755)


def programs_image():
    w = world()
    return w.podman_image(w.variant("programs", with_programs), tag="ol-programs")


def cannot_run(proc, want):
    """The container's command did not run (126) and the launcher said
    exactly want."""
    if proc.returncode != 126 or proc.stderr != want or proc.stdout:
        raise AssertionError(f"want status 126 and {want!r}, got {proc.returncode}\n"
                             f"stdout: {proc.stdout!r}\nstderr: {proc.stderr!r}")


@test
def test_dynamic_loader_denied_under_podman_with_runc():
    need("podman", "runc")
    _, loader, libdir = host_dynamic_program()
    image = programs_image()
    inside = os.path.join("/lib", os.path.basename(libdir))
    real = os.path.join(inside, os.path.basename(os.path.realpath(loader)))
    proc = podman({"oci.landlock.fs.rx": "/bin"}, [], image=image, command=("/bin/dyn",))
    cannot_run(proc, "oci-landlock-exec: cannot execute '/bin/dyn': Permission denied: "
               "the sandbox denies \"execute\" and \"read_file\" on its dynamic loader "
               f"'{loader}' ('{real}')\n"
               f"Hint: add '{inside}' to the annotation 'oci.landlock.fs.rx' (the dynamic "
               "loader's directory: the shared libraries are usually there too)\n")
    # As the hint says: the program runs.
    proc = podman({"oci.landlock.fs.rx": "/bin:" + inside}, [], image=image,
                  command=("/bin/dyn",))
    if proc.returncode != 0 or proc.stderr:
        raise AssertionError(f"{proc.returncode} {proc.stderr!r}")


@test
def test_script_interpreter_denied_under_podman_with_crun():
    image = programs_image()
    proc = podman_crun({"oci.landlock.fs.rx": "/bin"}, [], image=image, command=("/bin/hello",))
    cannot_run(proc, "oci-landlock-exec: cannot execute '/bin/hello': Permission denied: "
               "the sandbox denies \"execute\" and \"read_file\" on its interpreter "
               "'/opt/bin/sh'\n"
               "Hint: add '/opt/bin' to the annotation 'oci.landlock.fs.rx'\n")
    proc = podman_crun({"oci.landlock.fs.rx": "/bin:/opt/bin"}, [], image=image,
                       command=("/bin/hello",))
    if proc.returncode != 0 or proc.stdout != "hello\n":
        raise AssertionError(f"{proc.returncode} {proc.stdout!r} {proc.stderr!r}")


if __name__ == "__main__":
    run()
