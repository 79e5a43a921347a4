#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""oci-landlock with landlockconfig's TOML form: check FILE.toml, convert,
NAME.toml admin profiles, exact output and messages."""

import json
import os
import shutil
import subprocess
import tempfile

from tap import run, test

CLI = os.path.abspath(os.environ["OL_CLI"])
SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])
TMP = tempfile.mkdtemp(prefix="ol-cli-toml-")

POLICY_TOML = """\
abi = 4  # the ABI the groups are resolved against

[[variable]]
name = "data"
literal = ["/srv/a", '/srv/b']

[[ruleset]]
handled_access_fs = ["abi.read_write"]
scoped = ["signal"]

[[path_beneath]]
allowed_access = ["read_file", "read_dir"]
parent = [
  "/usr",  # system files
  "${data}",
]

[[net_port]]
allowed_access = ["connect_tcp"]
port = [443, 8_080]
"""

POLICY_JSON = {
    "abi": 4,
    "variable": [{"name": "data", "literal": ["/srv/a", "/srv/b"]}],
    "ruleset": [{"handledAccessFs": ["abi.read_write"], "scoped": ["signal"]}],
    "pathBeneath": [{"allowedAccess": ["read_file", "read_dir"],
                     "parent": ["/usr", "${data}"]}],
    "netPort": [{"allowedAccess": ["connect_tcp"], "port": [443, 8080]}],
}

CANONICAL = (
    '{"ruleset":[{"handledAccessFs":["write_file","read_file","read_dir","remove_dir",'
    '"remove_file","make_char","make_dir","make_reg","make_sock","make_fifo","make_block",'
    '"make_sym","refer","truncate"],"handledAccessNet":["connect_tcp"],'
    '"scoped":["signal"]}],"pathBeneath":[{"allowedAccess":["read_file","read_dir"],'
    '"parent":["/srv/a","/srv/b","/usr"]}],"netPort":[{"allowedAccess":["connect_tcp"],'
    '"port":[443,8080]}]}\n')


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
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as f:
        f.write(text)
    return path


def expect(p, status, stdout, stderr):
    if (p.returncode, p.stdout, p.stderr) != (status, stdout, stderr):
        raise AssertionError(f"status {p.returncode}\nstdout {p.stdout!r}\n"
                             f"stderr {p.stderr!r}")


@test
def test_convert_writes_the_canonical_json():
    toml = file("p.toml", POLICY_TOML)
    jsn = file("p.json", json.dumps(POLICY_JSON))
    expect(cli("convert", "--compact", toml), 0, CANONICAL, "")
    # The same policy written in JSON converts to the same bytes.
    expect(cli("convert", "--compact", jsn), 0, CANONICAL, "")
    expect(cli("convert", "--compact", "-", stdin=POLICY_TOML), 0, CANONICAL, "")
    p = cli("convert", toml)
    if p.returncode or json.loads(p.stdout) != json.loads(CANONICAL) or \
            not p.stdout.startswith('{\n  "ruleset": [\n'):
        raise AssertionError(p.stdout + p.stderr)
    # landlockconfig's own example, and its JSON twin.
    data = os.path.join(SRCDIR, "tests", "data", "toml")
    a = cli("convert", os.path.join(data, "examples-mini-write-tmp.toml"))
    b = cli("convert", os.path.join(data, "examples-mini-write-tmp.json"))
    if a.returncode or a.stdout != b.stdout or '"port": [\n        80,\n        443' not in a.stdout:
        raise AssertionError(a.stdout + a.stderr + b.stderr)


@test
def test_convert_names_the_line_of_an_error():
    bad = file("bad-port.toml", "[[net_port]]\nallowed_access = [\"bind_tcp\"]\n"
               "port = [80, 70000]\n")
    expect(cli("convert", bad), 1, "",
           f"oci-landlock: invalid policy '{bad}': line 3: net_port[0].port[1]: port 70000 "
           "is out of range (0-65535)\n")
    bad = file("bad-key.toml", "abi = 4\n[[path_beneath]]\nallowedAccess = [\"execute\"]\n")
    expect(cli("convert", bad), 1, "",
           f"oci-landlock: invalid policy '{bad}': line 3: \"allowedAccess\" is the JSON "
           "spelling: TOML keys are snake_case\nHint: write \"allowed_access\"\n")
    bad = file("bad-table.toml", "[ruleset]\n")
    expect(cli("convert", bad), 1, "",
           f"oci-landlock: invalid policy '{bad}': line 1: a [table] is not part of "
           "landlockconfig TOML: its sections are arrays of tables, written [[name]]\n")
    bad = file("bad-right.toml", "\n[[path_beneath]]\nparent = [\"/\"]\n"
               "allowed_access = [\"read_fil\"]\n")
    p = cli("convert", bad)
    if p.returncode != 1 or not p.stderr.startswith(
            f"oci-landlock: invalid policy '{bad}': line 4: path_beneath[0].allowed_access[0]: "
            "unknown file-system right \"read_fil\" (did you mean \"read_file\"?)\nHint: "):
        raise AssertionError(p.stderr)


@test
def test_convert_usage():
    usage = "Usage: oci-landlock convert [--compact] FILE.toml|FILE.json|-\n"
    expect(cli("convert"), 2, "", usage)
    expect(cli("convert", "a.toml", "b.toml"), 2, "",
           "oci-landlock: convert: one FILE only, not also 'b.toml'\n" + usage)
    expect(cli("convert", "--pretty", "a.toml"), 2, "",
           "oci-landlock: convert: unknown option '--pretty'\n" + usage)
    p = cli("convert", "--help")
    if p.returncode or not p.stdout.startswith(
            "Usage: oci-landlock convert [--compact] FILE.toml|FILE.json|-\nWrites a "):
        raise AssertionError(p.stdout + p.stderr)
    p = cli("convert", os.path.join(TMP, "missing.toml"))
    if p.returncode != 1 or "missing.toml" not in p.stderr:
        raise AssertionError(p.stderr)


@test
def test_check_takes_a_toml_policy():
    toml = file("c.toml", POLICY_TOML)
    jsn = file("c.json", json.dumps(POLICY_JSON))
    a, b = cli("check", toml), cli("check", jsn)
    if a.returncode or a.stderr or a.stdout.replace(toml, "FILE") != \
            b.stdout.replace(jsn, "FILE") or f"layer 1: {toml}\n" not in a.stdout:
        raise AssertionError(a.stdout + a.stderr + b.stdout)
    # A TOML file is a policy whatever its keys (process is a config's).
    odd = file("odd.toml", "process = 1\n")
    p = cli("check", odd)
    if p.returncode != 1 or not p.stderr.startswith(
            f"oci-landlock: invalid policy '{odd}': line 1: process: unknown key"):
        raise AssertionError(p.stderr)
    bad = file("c-bad.toml", "abi = 4\nabi = 5\n")
    expect(cli("check", bad), 1, "",
           f"oci-landlock: invalid policy '{bad}': line 2: duplicate key \"abi\"\n")


@test
def test_toml_profiles():
    profiles = os.path.join(TMP, "profiles")
    file("profiles/web.toml", "[[path_beneath]]\nallowed_access = [\"read_file\"]\n"
         "parent = [\"/srv\"]\n")
    file("profiles/dup.toml", "[[ruleset]]\nscoped = [\"signal\"]\n")
    file("profiles/dup.json", '{"ruleset":[{"scoped":["signal"]}]}')
    settings = json.dumps({"profiles": profiles, "runtime": "/bin/true"})
    p = cli("check", "--json", "-a", "oci.landlock.profile=web", settings=settings)
    if p.returncode not in (0, 1):
        raise AssertionError(p.stdout + p.stderr)
    out = json.loads(p.stdout)
    if out["options"][:2] != ["--layer=profile 'web'", "--policy"] or \
            json.loads(out["options"][2]) != {"pathBeneath": [
                {"allowedAccess": ["read_file"], "parent": ["/srv"]}]}:
        raise AssertionError(p.stdout)
    p = cli("check", "-a", "oci.landlock.profile=dup", settings=settings)
    both = f"profile 'dup' is both {profiles}/dup.json and {profiles}/dup.toml"
    if p.returncode != 1 or both not in p.stdout + p.stderr:
        raise AssertionError(p.stdout + p.stderr)


@test
def test_doctor_checks_toml_profiles():
    profiles = os.path.join(TMP, "doctor-profiles")
    file("doctor-profiles/good.toml", "[[ruleset]]\nscoped = [\"signal\"]\n")
    settings = file("doctor-settings.json",
                    json.dumps({"profiles": profiles, "runtime": "/bin/true"}))
    p = cli("doctor", "--settings", settings)
    ok = f"ok: profiles '{profiles}' (from '{settings}'): 1 profile, each parses\n"
    if ok not in p.stdout:
        raise AssertionError(p.stdout + p.stderr)
    file("doctor-profiles/bad.toml", "[[ruleset]]\nscoped = [\"sig\"]\n")
    file("doctor-profiles/rel.toml", "[[path_beneath]]\nallowed_access = [\"execute\"]\n"
         "parent = [\"rel\"]\n")
    p = cli("doctor", "--settings", settings)
    for line in (f"problem: invalid profile 'bad' ({profiles}/bad.toml): line 2: "
                 "ruleset[0].scoped[0]: unknown scope \"sig\"\n",
                 f"problem: profile 'rel' ('{profiles}/rel.toml'): 'rel' is not an absolute "
                 "path\n"):
        if p.returncode != 1 or line not in p.stdout:
            raise AssertionError(f"{line!r} not in:\n{p.stdout}{p.stderr}")


@test
def test_convert_keeps_a_newer_abi_refused():
    """Written out, abi.all of a newer ABI would lose the "abi" that makes
    it refused where it is used: convert refuses it instead."""
    f = file("abi11.json", '{"abi":11,"ruleset":[{"handledAccessFs":["abi.all"]}]}')
    expect(cli("convert", f), 1, "",
           f"oci-landlock: '{f}': \"abi\" is 11, and this version knows rights up to ABI 10: "
           "its groups cannot be written out whole\nHint: convert it with a version that "
           "knows ABI 11\n")


@test
def test_a_toml_policy_file_is_refused_on_the_host():
    """The launcher reads a policy file as JSON: the host says so first."""
    p = cli("check", "-a", "oci.landlock.fs.rx=/", "-a", "oci.landlock.policy-file=/x/ru.toml")
    want = ("invalid annotation 'oci.landlock.policy-file': '/x/ru.toml' is TOML, and the "
            "launcher reads a policy file as JSON")
    if p.returncode != 1 or want not in p.stdout + p.stderr:
        raise AssertionError(f"{p.returncode} {p.stdout} {p.stderr}")


if __name__ == "__main__":
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
