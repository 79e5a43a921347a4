#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The fail-closed matrix: malformed or unsatisfiable input never lets the
workload run.

Each case is a container whose workload would create a marker file (in a
volume for podman, in the root file system for runc through the runtime
shim).  The engine must refuse it: a non-zero status, no probe output, no
marker, and a message naming the annotation, key or file at fault.  The
cases: bad JSON, duplicate keys, deep nesting, huge documents, unknown
rights, ports and ranges, empty lists that would mean "everything",
unknown keys under oci.landlock., bad profile names, missing profiles and
policy files, bad mode and log values, a missing launcher, and more layers
than the kernel allows.

Needs root, podman and runc.
"""
import ctypes
import json
import os
import subprocess

from engines import (LAUNCHER_IN_CONTAINER, SHIM, World, make_bundle,
                     podman, refused, world)
from tap import run, test

P = "oci.landlock.policy"
ROOT_RX = {"oci.landlock.fs.rx": "/"}


def policy(text):
    return {P: text}


def bad_policy(detail):
    return f"invalid annotation '{P}': {detail}"


def near_miss(key):
    return (f"annotation '{key}' is not an oci.landlock. key, but looks like one (did you "
            "mean 'oci.landlock.fs.rx'?)")


def kernel_abi():
    return max(0, ctypes.CDLL(None).syscall(444, None, 0, 1))


# (name, annotations, message).  podman runs each with the shipped hooks.
PODMAN_CASES = [
    # JSON that does not parse, or parses two ways.
    ("truncated", policy('{"ruleset":['),
     bad_policy("invalid JSON at the end of the document (in ruleset[0]): parse error: "
                "premature EOF")),
    ("trailing-data", policy('{} x'),
     bad_policy("invalid JSON near byte 4: parse error: trailing garbage")),
    ("comment", policy('/* c */ {}'),
     bad_policy("invalid JSON near byte 0: lexical error: probable comment found in input text")),
    ("single-quotes", policy("{'ruleset':[]}"),
     bad_policy("invalid JSON near byte 2: lexical error: invalid char in json text.")),
    ("nan", policy('{"abi": NaN}'),
     bad_policy("invalid JSON near byte 9 (in abi): lexical error: invalid char in json text.")),
    ("duplicate-key", policy('{"ruleset":[{"scoped":["signal"]}],"ruleset":[]}'),
     bad_policy('top level: duplicate key "ruleset"')),
    ("duplicate-nested-key",
     policy('{"pathBeneath":[{"parent":["/"],"parent":["/tmp"],"allowedAccess":["read_file"]}]}'),
     bad_policy('pathBeneath[0]: duplicate key "parent"')),
    ("deep-nesting", policy("[" * 20 + "]" * 20),
     bad_policy("[0][0][0][0][0][0][0][0][0][0][0][0][0][0][0][0]: nesting is deeper than the "
                "limit of 16")),
    ("not-an-object", policy("[]"), bad_policy("top level: expected an object, found array")),
    # Documents that would restrict nothing.
    ("empty-document", policy("{}"),
     bad_policy("top level: a policy needs at least one of variable, ruleset, pathBeneath, "
                "netPort")),
    ("empty-handled", policy('{"ruleset":[{"handledAccessFs":[]}]}'),
     bad_policy("ruleset[0].handledAccessFs: empty list")),
    ("empty-allowed", policy('{"pathBeneath":[{"allowedAccess":[],"parent":["/"]}]}'),
     bad_policy("pathBeneath[0].allowedAccess: empty list")),
    ("empty-parent", policy('{"pathBeneath":[{"allowedAccess":["read_file"],"parent":[]}]}'),
     bad_policy("pathBeneath[0].parent: empty list")),
    # Unknown names and numbers out of range.
    ("unknown-fs-right",
     policy('{"pathBeneath":[{"allowedAccess":["read_fil"],"parent":["/"]}]}'),
     bad_policy('pathBeneath[0].allowedAccess[0]: unknown file-system right "read_fil"')),
    ("unknown-net-right", policy('{"netPort":[{"allowedAccess":["bind_sctp"],"port":[53]}]}'),
     bad_policy("netPort[0].allowedAccess[0]: unknown network right \"bind_sctp\" (did you mean "
     "\"bind_tcp\"?)")),
    ("unknown-scope", policy('{"ruleset":[{"scoped":["signals"]}]}'),
     bad_policy("ruleset[0].scoped[0]: unknown scope \"signals\" (did you mean \"signal\"?)")),
    ("unknown-top-key", policy('{"rulesets":[]}'), bad_policy("rulesets: unknown key")),
    ("port-too-big", policy('{"netPort":[{"allowedAccess":["bind_tcp"],"port":[65536]}]}'),
     bad_policy("netPort[0].port[0]: port 65536 is out of range (0-65535)")),
    ("port-negative", policy('{"netPort":[{"allowedAccess":["bind_tcp"],"port":[-1]}]}'),
     bad_policy("netPort[0].port[0]: expected a port number from 0 to 65535, found number")),
    ("port-fraction", policy('{"netPort":[{"allowedAccess":["bind_tcp"],"port":[80.5]}]}'),
     bad_policy("netPort[0].port[0]: expected a port number from 0 to 65535, found number")),
    ("port-string", policy('{"netPort":[{"allowedAccess":["bind_tcp"],"port":["80"]}]}'),
     bad_policy("netPort[0].port[0]: expected a port number from 0 to 65535, found string")),
    ("relative-parent",
     policy('{"pathBeneath":[{"allowedAccess":["read_file"],"parent":["usr"]}]}'),
     bad_policy("'usr' is not an absolute path")),
    ("unknown-variable",
     policy('{"pathBeneath":[{"allowedAccess":["read_file"],"parent":["${nope}"]}]}'),
     bad_policy("pathBeneath[0].parent[0]: unknown variable \"nope\"")),
    ("abi-too-new", policy('{"abi":99,"ruleset":[{"handledAccessFs":["abi.all"]}]}'),
     "annotations: \"abi\" is 99 but this version of oci-landlock knows rights up to ABI 10 only"),
    # The shorthand.
    ("fs-empty", {"oci.landlock.fs.ro": ""}, "invalid annotation 'oci.landlock.fs.ro': empty "
    "path list"),
    ("fs-empty-item", {"oci.landlock.fs.ro": "/usr:"}, "invalid annotation "
    "'oci.landlock.fs.ro': empty path at position 2 in '/usr:'"),
    ("fs-relative", {"oci.landlock.fs.ro": "usr"}, "invalid annotation 'oci.landlock.fs.ro': "
    "'usr' is not an absolute path"),
    ("bind-too-big", {"oci.landlock.net.bind": "65536"},
     "invalid annotation 'oci.landlock.net.bind': port '65536' is out of range (0-65535)"),
    ("bind-empty-item", {"oci.landlock.net.bind": "80,,443"},
     "invalid annotation 'oci.landlock.net.bind': empty port at position 2 in '80,,443'"),
    ("bind-reversed-range", {"oci.landlock.net.bind": "90-80"},
     "invalid annotation 'oci.landlock.net.bind': range '90-80' ends before it starts"),
    ("bind-open-range", {"oci.landlock.net.bind": "80-"},
     "invalid annotation 'oci.landlock.net.bind': '80-' is not a port number or a range like "
     "8000-8099"),
    ("connect-negative", {"oci.landlock.net.connect": "-1"},
     "invalid annotation 'oci.landlock.net.connect': '-1' is not a port number or a range "
     "like 8000-8099"),
    ("connect-letter", {"oci.landlock.net.connect": "8O"},
     "invalid annotation 'oci.landlock.net.connect': '8O' is not a port number or a range "
     "like 8000-8099"),
    ("scope-empty", {"oci.landlock.scope": ""}, "invalid annotation 'oci.landlock.scope': "
    "empty scope list"),
    ("scope-unknown", {"oci.landlock.scope": "signals"}, "invalid annotation "
    "'oci.landlock.scope': unknown scope 'signals' (did you mean 'signal'?)"),
    ("socket-unknown", {"oci.landlock.net.socket": "udpp"},
     "invalid annotation 'oci.landlock.net.socket': unknown socket kind 'udpp' (did you mean "
     "'udp'?)"),
    ("socket-empty", {"oci.landlock.net.socket": ""},
     "invalid annotation 'oci.landlock.net.socket': empty socket list"),
    ("socket-none-and-more", {"oci.landlock.net.socket": "none tcp"},
     "invalid annotation 'oci.landlock.net.socket': 'none' cannot be combined with other "
     "kinds in 'none tcp'"),
    # Keys: a typo must never leave the container unconfined.
    ("key-typo", {"oci.landlock.fs.r0": "/"},
     "unknown annotation 'oci.landlock.fs.r0' (did you mean 'oci.landlock.fs.ro'?)"),
    ("key-nett", {"oci.landlock.nett.bind": "80"},
     "unknown annotation 'oci.landlock.nett.bind' (did you mean 'oci.landlock.net.bind'?)"),
    ("key-case", {"oci.landlock.Fs.ro": "/"},
     "unknown annotation 'oci.landlock.Fs.ro' (did you mean 'oci.landlock.fs.ro'?)"),
    ("key-underscore", {"oci.landlock.policy_file": "/etc/policy.json"},
     "unknown annotation 'oci.landlock.policy_file' (did you mean 'oci.landlock.policy-file'?)"),
    ("key-empty", {"oci.landlock.": "/"}, "unknown annotation 'oci.landlock.'"),
    # Near misses of the prefix: meant for us, so never ignored.
    ("near-miss-case", {"OCI.landlock.fs.rx": "/"}, near_miss("OCI.landlock.fs.rx")),
    ("near-miss-dash", {"oci-landlock.fs.rx": "/"}, near_miss("oci-landlock.fs.rx")),
    ("near-miss-underscore", {"oci_landlock.fs.rx": "/"}, near_miss("oci_landlock.fs.rx")),
    ("near-miss-fullwidth-dot", {"oci\uff0elandlock.fs.rx": "/"},
     near_miss("oci\uff0elandlock.fs.rx")),
    ("near-miss-no-dot", {"oci.landlockfs.rx": "/"}, near_miss("oci.landlockfs.rx")),
    ("near-miss-no-separator", {"ocilandlock.fs.rx": "/"}, near_miss("ocilandlock.fs.rx")),
    ("near-miss-soft-hyphen", {"oci.land\u00adlock.fs.rx": "/"},
     near_miss("oci.land\u00adlock.fs.rx")),
    ("near-miss-cyrillic-o", {"\u043eci.landlock.fs.rx": "/"},
     near_miss("\u043eci.landlock.fs.rx")),
    ("near-miss-typo", {"oci.landlok.fs.rx": "/"}, near_miss("oci.landlok.fs.rx")),
    ("key-no-container-name", {"oci.landlock.fs.ro/app": "/"},
     "annotation 'oci.landlock.fs.ro/app' is for the container 'app', but this container has "
     "no name"),
    # Profiles: names only, and they must exist.
    ("profile-dotdot-path", {"oci.landlock.profile": "../etc/passwd"},
     "annotation 'oci.landlock.profile': invalid profile name '../etc/passwd'"),
    ("profile-slash", {"oci.landlock.profile": "a/b"},
     "annotation 'oci.landlock.profile': invalid profile name 'a/b'"),
    ("profile-hidden", {"oci.landlock.profile": ".hidden"},
     "annotation 'oci.landlock.profile': invalid profile name '.hidden'"),
    ("profile-dotdot", {"oci.landlock.profile": ".."},
     "annotation 'oci.landlock.profile': invalid profile name '..'"),
    ("profile-empty", {"oci.landlock.profile": ""},
     "annotation 'oci.landlock.profile': invalid profile name ''"),
    ("profile-missing", {"oci.landlock.profile": "missing"},
     "annotation 'oci.landlock.profile': no profile 'missing' in"),
    # Policy files inside the image, read by the launcher there.
    ("policy-file-missing", {"oci.landlock.policy-file": "/etc/missing.json"},
     "oci-landlock-exec: --policy-file: cannot open '/etc/missing.json': No such file or "
     "directory"),
    ("policy-file-relative", {"oci.landlock.policy-file": "etc/policy.json"},
     "invalid annotation 'oci.landlock.policy-file': expected an absolute path in the "
     "container, found 'etc/policy.json'"),
    ("policy-file-directory", {"oci.landlock.policy-file": "/etc"},
     "oci-landlock-exec: --policy-file: '/etc' is not a regular file"),
    ("policy-file-not-json", {"oci.landlock.policy-file": "/etc/data"},
     "oci-landlock-exec: invalid policy '--policy-file /etc/data': invalid JSON near byte 1"),
    ("policy-file-huge", {"oci.landlock.policy-file": "/etc/huge.json"},
     "oci-landlock-exec: --policy-file: '/etc/huge.json' is 1175017 bytes, more than the "
     "limit of 1048576"),
    # Settings.
    ("mode-unknown", dict(ROOT_RX, **{"oci.landlock.mode": "lenient"}),
     "invalid annotation 'oci.landlock.mode': unknown mode 'lenient'"),
    ("mode-case", dict(ROOT_RX, **{"oci.landlock.mode": "STRICT"}),
     "invalid annotation 'oci.landlock.mode': unknown mode 'STRICT'"),
    ("log-unknown", dict(ROOT_RX, **{"oci.landlock.log": "loud"}),
     "invalid annotation 'oci.landlock.log': unknown log setting 'loud'"),
    ("log-empty", dict(ROOT_RX, **{"oci.landlock.log": ""}), "invalid annotation "
    "'oci.landlock.log': empty item at position 1 in ''"),
    ("mode-alone", {"oci.landlock.mode": "strict"},
     "annotation 'oci.landlock.mode' is set, but no annotation gives a policy"),
    # Quiet logging that means nothing, refused on every kernel and mode.
    ("quiet-scope-unset", dict(ROOT_RX, **{"oci.landlock.quiet.scope": "signal",
                                          "oci.landlock.mode": "best-effort"}),
     "annotations: quiet scope signal, but the layer does not set it"),
    ("quiet-net-no-ports", dict(ROOT_RX, **{"oci.landlock.quiet.net": "53"}),
     "annotations: quiet ports, but the layer handles no network right whose denials they "
     "could keep out of the log"),
    ("quiet-fs-empty", dict(ROOT_RX, **{"oci.landlock.quiet.fs": ""}),
     "invalid annotation 'oci.landlock.quiet.fs': empty path list"),
    ("quiet-policy-not-handled",
     policy('{"ruleset":[{"handledAccessFs":["read_file"],"quietAccessFs":["write_file"]}]}'),
     bad_policy("ruleset[0].quietAccessFs: write_file is not handled by the policy")),
]

# What a kernel before ABI 10 cannot do, refused in strict mode there (the
# machines CI runs on); a newer kernel would run these.
if kernel_abi() < 10:
    PODMAN_CASES.append(
        ("quiet-strict-old-kernel", dict(ROOT_RX, **{"oci.landlock.quiet.fs": "/proc"}),
         f"annotations: this kernel has Landlock ABI {kernel_abi()} and cannot enforce: "
         "quiet_access_fs needs ABI 10 (Linux 7.2), the quiet flag of 1 rule needs ABI 10 "
         "(Linux 7.2)"))


def marker_dir(name):
    d = world().path("failclosed", name)
    os.makedirs(d)
    return d


def podman_refuses(name, annotations, message, hooks=None, command=("/bin/probe",)):
    w = world()
    out = marker_dir(name)
    image = w.podman_image(failclosed_rootfs(), "ol-failclosed")
    proc = podman(annotations, ["mkreg", "/out/marker"], volumes=[f"{out}:/out"], hooks=hooks,
                  image=image, command=command)
    refused(proc, message)
    if os.listdir(out):
        raise AssertionError(f"the workload ran: {os.listdir(out)}")


def failclosed_rootfs():
    """The shared rootfs plus a policy file over the launcher's 1 MiB cap."""
    w = world()
    root = w.path("rootfs-failclosed")
    if not os.path.exists(root):
        World.make_rootfs(root)
        with open(os.path.join(root, "etc", "huge.json"), "w") as f:
            f.write('{"pathBeneath":[' + ",".join(
                ['{"allowedAccess":["read_file"],"parent":["/"]}'] * 25000) + "]}")
    return root


def podman_case(name, annotations, message):
    def fn():
        podman_refuses(name, annotations, message)
    fn.__name__ = "test_" + name.replace("-", "_")
    return test(fn)


for _case in PODMAN_CASES:
    podman_case(*_case)


@test
def test_launcher_missing_on_the_host():
    # podman 4 does not show a failing precreate hook's output: it says
    # only which hook failed.  The runtime shim shows the whole message.
    w = world()
    settings = w.path("settings-no-launcher.json")
    with open(settings, "w") as f:
        json.dump({"launcher": "/nonexistent/oci-landlock-exec",
                   "profiles": w.path("profiles")}, f)
    hooks = w.make_hooks("hooks-no-launcher", ["precreate", "gate"], settings)
    podman_refuses("launcher-missing", ROOT_RX,
                   "executing [oci-landlock hook precreate]: exit status 1", hooks=hooks)
    shim_refuses("launcher-missing", lambda spec: json.dumps(dict(spec, annotations=ROOT_RX)),
                 "oci-landlock-runtime: the launcher '/nonexistent/oci-landlock-exec' cannot "
                 "be used: No such file or directory", settings=settings)


@test
def test_more_layers_than_the_kernel_allows():
    # The image's own entry point is a launcher with 16 layers; with the
    # one the annotations add, that is 17.
    layer = '{"ruleset":[{"scoped":["signal"]}]}'
    entry = [LAUNCHER_IN_CONTAINER] + ["--policy", layer] * 16 + ["--", "/bin/probe"]
    podman_refuses("too-many-layers", ROOT_RX,
                   "oci-landlock-exec: cannot enforce Landlock layer 16: Argument list too long",
                   command=entry)


# ---- config.json as written by an engine, through the runtime shim -----------

def shim_refuses(name, config_text, message, settings=None):
    w = world()
    marker = os.path.join(w.rootfs, "tmp", f"failclosed-{name}")
    b = make_bundle(f"failclosed-{name}", {}, ["mkreg", f"/tmp/failclosed-{name}"])
    spec = json.load(open(os.path.join(b, "config.json")))
    with open(os.path.join(b, "config.json"), "w") as f:
        f.write(config_text(spec))
    env = dict(os.environ, OCI_LANDLOCK_CONFIG=settings) if settings else None
    shim = [SHIM] if settings else [w.shim]
    proc = subprocess.run(shim + ["run", "-b", b, f"ol-fc-{name}-{os.getpid()}"],
                          capture_output=True, text=True, timeout=120, env=env)
    refused(proc, message)
    if os.path.exists(marker):
        raise AssertionError("the workload ran")


def with_annotations(raw):
    """The spec with its annotations object replaced by raw JSON text."""
    def text(spec):
        spec = dict({"annotations": {"@": 0}}, **{k: v for k, v in spec.items()
                                                  if k != "annotations"})
        return json.dumps(spec).replace('{"@": 0}', raw)
    return text


SHIM_CASES = [
    ("duplicate-annotation",
     with_annotations('{"oci.landlock.fs.ro": "/", "oci.landlock.fs.ro": "/tmp"}'),
     'duplicate key "oci.landlock.fs.ro"'),
    ("lone-surrogate", with_annotations('{"oci.landlock.fs.ro": "/\\udc80"}'),
     "config.json: invalid JSON near byte 42: a \\u escape of a lone UTF-16 surrogate"),
    ("annotation-not-a-string", with_annotations('{"oci.landlock.fs.ro": 7}'),
     "oci-landlock-runtime: annotation 'oci.landlock.fs.ro': expected a string"),
    ("huge-policy", with_annotations(json.dumps({P: json.dumps({"pathBeneath": [
        {"allowedAccess": ["read_file"], "parent": ["/"]}] * 30000})})),
     f"oci-landlock-runtime: annotation '{P}': the value is 1530017 bytes, more than a "
     "process argument can hold (131071)"),
    # Keys the runtime (Go) reads as one, or as a field under another
    # spelling: it would run what oci-landlock never read.
    ("go-folded-args", lambda spec: json.dumps(dict(spec, annotations=ROOT_RX, process=dict(
        spec["process"], ARGS=["/bin/probe", "mkreg", "/tmp/failclosed-go-folded-args"]))),
     'config.json: process: keys "args" and "ARGS" are the same key to the runtime'),
    ("go-long-s", lambda spec: json.dumps(dict(spec, annotations=ROOT_RX, process=dict(
        spec["process"], **{"arg\u017f": ["/bin/probe", "mkreg",
                                           "/tmp/failclosed-go-long-s"]}))),
     'config.json: process: keys "args" and "arg\u017f" are the same key to the runtime'),
    ("go-top-level-Process", lambda spec: json.dumps(
        {("Process" if k == "process" else k): v
         for k, v in dict(spec, annotations=ROOT_RX).items()}),
     'config.json: top level: key "Process" is "process" to the runtime: write it '
     '"process"'),
    # A second annotations object, spelled with a long s: runc would keep
    # that one, oci-landlock reads the first (empty).
    ("go-long-s-annotations", lambda spec: json.dumps(spec).replace(
        '"annotations": {}',
        '"annotations": {}, "annotation\u017f": {"oci.landlock.fs.ro": "/"}'),
     'config.json: top level: keys "annotations" and "annotation\u017f" are the same key '
     'to the runtime'),
    ("deep-config", lambda spec: json.dumps(dict(spec, annotations=ROOT_RX)).replace(
        '"ociVersion"', '"x": ' + "[" * 70 + "]" * 70 + ', "ociVersion"'),
     "config.json: x" + "[0]" * 63 + ": nesting is deeper than the limit of 64"),
]


def shim_case(name, config_text, message):
    def fn():
        shim_refuses(name, config_text, message)
    fn.__name__ = "test_shim_" + name.replace("-", "_")
    return test(fn)


for _case in SHIM_CASES:
    shim_case(*_case)


@test
def test_count():
    n = len(PODMAN_CASES) + 2 + len(SHIM_CASES)
    print(f"# fail-closed matrix: {n} inputs, the workload never ran", flush=True)
    if n < 50:
        raise AssertionError(f"only {n} cases")


if __name__ == "__main__":
    run()
