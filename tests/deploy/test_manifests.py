#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The Kubernetes deployment files (examples/kubernetes/), checked offline.

There is no API server here: each manifest is held to the fields and name
rules the API server enforces for its kind, and to the cross-references
that would only break on a node (the handler's name, the installed paths,
volumes, the pod's annotations).  The pod's annotations go, as containerd
and CRI-O would pass them to each container, through `oci-landlock check`.
The containerd 1.x snippet is loaded by the real containerd: `config dump`,
and as root the CRI plugin itself.  Needs python3-yaml, Python 3.11
(tomllib) and containerd; a missing one skips its cases.
"""
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import kube
from tap import Skip, run, test

CLI = os.path.abspath(os.environ["OL_CLI"])
VERSION = os.environ["OL_VERSION"]
TMP = tempfile.mkdtemp(prefix="ol-deploy-")
HANDLER = "landlock"
WRAPPER = "/bin/oci-landlock-runtime-wrapper"
PROFILE_KEY = "oci.landlock.profile"

# The fields each kind must have (a dotted path), and what the API server
# requires of a name.
REQUIRED = {
    ("v1", "Namespace"): [],
    ("v1", "ConfigMap"): [],
    ("v1", "Pod"): ["spec.containers"],
    ("apps/v1", "DaemonSet"): ["spec.selector.matchLabels", "spec.template.metadata.labels",
                               "spec.template.spec.containers"],
    ("node.k8s.io/v1", "RuntimeClass"): ["handler"],
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"):
        ["spec.matchConstraints.resourceRules", "spec.validations"],
    ("admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"):
        ["spec.policyName", "spec.validationActions"],
}
NAMESPACED = {"ConfigMap", "Pod", "DaemonSet"}


def field(doc, dotted):
    for part in dotted.split("."):
        if not isinstance(doc, dict) or part not in doc:
            return None
        doc = doc[part]
    return doc


def install_sh():
    with open(kube.path("installer", "install.sh")) as f:
        return f.read()


def install_prefix():
    """The default PREFIX of install.sh."""
    m = re.search(r"^PREFIX=\$\{PREFIX:-(/[^}]*)\}$", install_sh(), re.M)
    if not m:
        raise AssertionError("install.sh sets no default PREFIX")
    return m.group(1)


def check_pod_spec(where, spec, configmaps=()):
    """Containers and volumes of a pod spec, as the API server checks them."""
    volumes = {}
    for v in spec.get("volumes") or []:
        name = v.get("name")
        if not kube.dns_label(name) or name in volumes:
            raise AssertionError(f"{where}: volume name {name!r} is no DNS label or repeated")
        sources = [k for k in v if k != "name"]
        if len(sources) != 1:
            raise AssertionError(f"{where}: volume {name} has {len(sources)} sources")
        if "configMap" in v and v["configMap"].get("name") not in configmaps:
            raise AssertionError(f"{where}: volume {name} names ConfigMap "
                                 f"{v['configMap'].get('name')!r}, not in the same file")
        if "hostPath" in v and not v["hostPath"].get("path", "").startswith("/"):
            raise AssertionError(f"{where}: hostPath of {name} is not absolute")
        volumes[name] = v
    names = set()
    containers = (spec.get("initContainers") or []) + (spec.get("containers") or [])
    if not spec.get("containers"):
        raise AssertionError(f"{where}: no containers")
    for c in containers:
        name = c.get("name")
        if not kube.dns_label(name) or name in names:
            raise AssertionError(f"{where}: container name {name!r} is no DNS label or repeated")
        names.add(name)
        if not isinstance(c.get("image"), str) or not c["image"]:
            raise AssertionError(f"{where}: container {name} has no image")
        for m in c.get("volumeMounts") or []:
            if m.get("name") not in volumes:
                raise AssertionError(f"{where}: container {name} mounts undeclared volume "
                                     f"{m.get('name')!r}")
            if not m.get("mountPath", "").startswith("/"):
                raise AssertionError(f"{where}: container {name}: mountPath not absolute")
        for p in c.get("ports") or []:
            if not 0 < p.get("containerPort", 0) < 65536:
                raise AssertionError(f"{where}: container {name}: bad port {p}")
        for e in c.get("env") or []:
            if not isinstance(e.get("value", ""), str):
                raise AssertionError(f"{where}: container {name}: env {e.get('name')} is "
                                     "not a string")
    return volumes, names


def env_of(container):
    return {e["name"]: e.get("value", "") for e in container.get("env") or []}


@test
def test_every_document_has_what_the_api_server_requires():
    docs = kube.documents()
    kinds = sorted(d.get("kind") for _, d in docs)
    if kinds != ["ConfigMap", "ConfigMap", "DaemonSet", "Namespace", "Pod", "RuntimeClass",
                 "ValidatingAdmissionPolicy", "ValidatingAdmissionPolicyBinding"]:
        raise AssertionError(f"unexpected documents: {kinds}")
    namespaces = {d["metadata"]["name"] for _, d in docs if d["kind"] == "Namespace"}
    for rel, d in docs:
        key = (d.get("apiVersion"), d.get("kind"))
        if key not in REQUIRED:
            raise AssertionError(f"{rel}: unknown apiVersion/kind {key}")
        name = field(d, "metadata.name")
        ok = kube.dns_label(name) if d["kind"] == "Namespace" else kube.dns_subdomain(name)
        if not ok:
            raise AssertionError(f"{rel}: {d['kind']} name {name!r} is not a valid name")
        for f in REQUIRED[key]:
            if field(d, f) in (None, [], {}):
                raise AssertionError(f"{rel}: {d['kind']} {name} lacks {f}")
        ns = field(d, "metadata.namespace")
        if ns is not None and (d["kind"] not in NAMESPACED or ns not in namespaces | {"default"}):
            raise AssertionError(f"{rel}: {d['kind']} {name} in namespace {ns!r}, "
                                 "which no file creates")
        for what in ("labels", "annotations"):
            items = field(d, f"metadata.{what}") or {}
            for k, v in items.items():
                if not kube.qualified_name(k) or not isinstance(v, str):
                    raise AssertionError(f"{rel}: {what[:-1]} {k!r}: bad key or value")
                if what == "labels" and not kube.label_value(v):
                    raise AssertionError(f"{rel}: label {k}={v!r}: bad value")
            if sum(len(k) + len(v) for k, v in items.items()) > 256 * 1024:
                raise AssertionError(f"{rel}: {what} over 256 KiB")


@test
def test_runtimeclass_handler_is_the_runtime_of_every_snippet():
    rc = kube.one("RuntimeClass")
    if rc["handler"] != HANDLER or not kube.dns_label(rc["handler"]):
        raise AssertionError(f"handler {rc['handler']!r}")
    for snippet in kube.SNIPPETS:
        if list(kube.containerd_runtimes(snippet)) != [HANDLER]:
            raise AssertionError(f"{snippet}: runtimes {list(kube.containerd_runtimes(snippet))}")
    if list(kube.crio_runtimes()) != [HANDLER]:
        raise AssertionError(f"CRI-O runtimes {list(kube.crio_runtimes())}")
    # Scheduled only where the handler is set up: a valid node label.
    selector = rc["scheduling"]["nodeSelector"]
    if selector != {"oci-landlock/ready": "true"}:
        raise AssertionError(f"nodeSelector {selector}")
    with open(kube.path("README.md")) as f:
        if "kubectl label node NODE oci-landlock/ready=true" not in f.read():
            raise AssertionError("README.md does not say how to label a node")
    if kube.one("Pod")["spec"].get("runtimeClassName") != rc["metadata"]["name"]:
        raise AssertionError("the pod does not use the RuntimeClass")


@test
def test_snippets_fields():
    prefix = install_prefix()
    for snippet in kube.SNIPPETS:
        rt = kube.containerd_runtimes(snippet)[HANDLER]
        want = {"runtime_type": "io.containerd.runc.v2",
                "pod_annotations": ["oci.landlock.*", "oci.landlock.*/*"],
                "container_annotations": ["oci.landlock.*", "oci.landlock.*/*"],
                "options": {"BinaryName": prefix + WRAPPER, "SystemdCgroup": True}}
        if rt != want:
            raise AssertionError(f"{snippet}: {rt}")
        # Pasted into config.toml: a second `version` would be a TOML error.
        if "version" in kube.toml(kube.SNIPPETS[snippet][0]):
            raise AssertionError(f"{snippet} sets version")
    crio = kube.crio_runtimes()[HANDLER]
    if crio.get("runtime_path") != prefix + WRAPPER or crio.get("runtime_type") != "oci":
        raise AssertionError(f"CRI-O: {crio}")
    # CRI-O's documented handler keys; allowed_annotations takes only
    # CRI-O's own experimental keys and refuses the handler otherwise.
    known = {"runtime_path", "runtime_type", "runtime_root", "inherit_default_runtime",
             "runtime_config_path", "container_min_memory", "monitor_path", "monitor_cgroup",
             "monitor_exec_cgroup", "monitor_env", "privileged_without_host_devices",
             "allowed_annotations", "platform_runtime_paths", "no_sync_log",
             "default_annotations", "stream_websockets", "seccomp_profile",
             "container_create_timeout"}
    if set(crio) - known:
        raise AssertionError(f"CRI-O: unknown keys {set(crio) - known}")
    if "allowed_annotations" in crio:
        raise AssertionError("CRI-O passes pod annotations on without allowed_annotations")


@test
def test_go_path_match():
    # containerd's globs: '*' stops at '/', so per-container keys need a
    # pattern of their own.
    cases = [("oci.landlock.*", "oci.landlock.fs.ro", True),
             ("oci.landlock.*", "oci.landlock.fs.ro/web", False),
             ("oci.landlock.*/*", "oci.landlock.fs.ro/web", True),
             ("oci.landlock.*/*", "oci.landlock.fs.ro", False),
             ("oci.landlock.*", "oci.landlockX", False),
             ("oci.landlock.?s.ro", "oci.landlock.fs.ro", True),
             ("a\\*", "a*", True), ("a\\*", "ab", False)]
    for pattern, name, want in cases:
        if kube.go_path_match(pattern, name) != want:
            raise AssertionError(f"{pattern} ~ {name}: want {want}")


@test
def test_containerd_passes_every_landlock_key_and_no_engine_key():
    pod = kube.one("Pod")
    ours = {k: v for k, v in kube.pod_annotations(pod).items() if k.startswith("oci.landlock.")}
    if not any("/" in k for k in ours):
        raise AssertionError("the example pod has no per-container key")
    engine_keys = {kube.CRI_NAME: "x", kube.CRIO_NAME: "x", kube.CRI_TYPE: "sandbox",
                   kube.CRIO_TYPE: "sandbox", "oci.landlockx": "x"}
    for snippet in kube.SNIPPETS:
        rt = kube.containerd_runtimes(snippet)[HANDLER]
        for globs in (rt["pod_annotations"], rt["container_annotations"]):
            if kube.passed_by(globs, ours) != ours:
                raise AssertionError(f"{snippet}: {globs} drop "
                                     f"{set(ours) - set(kube.passed_by(globs, ours))}")
            if kube.passed_by(globs, engine_keys):
                raise AssertionError(f"{snippet}: {globs} pass engine keys")


@test
def test_pod_cross_references():
    pod = kube.one("Pod")
    configmaps = {d["metadata"]["name"] for _, d in kube.documents() if d["kind"] == "ConfigMap"}
    _, names = check_pod_spec("pod.yaml", pod["spec"], configmaps)
    ann = kube.pod_annotations(pod)
    # A KEY/NAME key for no container of the pod is a typo that would
    # silently not apply.
    for k in ann:
        if k.startswith("oci.landlock.") and "/" in k and k.split("/", 1)[1] not in names:
            raise AssertionError(f"{k}: the pod has no container {k.split('/', 1)[1]!r}")
    per = {k.split("/", 1)[1] for k in ann if k.startswith("oci.landlock.") and "/" in k}
    if per != {"web", "worker"}:
        raise AssertionError(f"per-container keys for {per}")
    # Every profile named is a curated one that `meson install` puts in the
    # profile directory, and so the installer image.
    profiles = {v for k, v in ann.items() if k.split("/")[0] == PROFILE_KEY}
    with open(os.path.join(kube.SRCDIR, "cli", "meson.build")) as f:
        installed = f.read()
    if profiles != {"data-processor", "static-web-server"}:
        raise AssertionError(f"profiles {profiles}")
    for p in profiles:
        if not os.path.isfile(os.path.join(kube.PROFILES, p + ".json")) or \
                f"'profiles' / '{p}.json'" not in installed:
            raise AssertionError(f"profile {p!r} is not installed with the programs")


@test
def test_daemonset_cross_references():
    ds = kube.one("DaemonSet")
    ns = kube.one("Namespace")
    prefix = install_prefix()
    if ds["metadata"]["namespace"] != "oci-landlock" or ns["metadata"]["name"] != "oci-landlock":
        raise AssertionError("not in namespace oci-landlock")
    if ns["metadata"]["labels"].get("pod-security.kubernetes.io/enforce") != "privileged":
        raise AssertionError("hostPath volumes need the privileged Pod Security level")
    tmpl = ds["spec"]["template"]
    sel = ds["spec"]["selector"]["matchLabels"]
    if not sel or any(tmpl["metadata"]["labels"].get(k) != v for k, v in sel.items()):
        raise AssertionError(f"selector {sel} does not match the template's labels")
    spec = tmpl["spec"]
    if spec.get("restartPolicy", "Always") != "Always":
        raise AssertionError("a DaemonSet's pods must restart Always")
    if {"operator": "Exists"} not in spec.get("tolerations", []):
        raise AssertionError("the installer must run on tainted nodes too")
    volumes, _ = check_pod_spec("daemonset.yaml", spec, {"oci-landlock-profiles"})
    host = [v for v in volumes.values() if "hostPath" in v]
    if [v["hostPath"]["path"] for v in host] != [prefix]:
        raise AssertionError(f"hostPath volumes {host}, want one of {prefix}")
    with open(kube.path("installer", "Containerfile")) as f:
        containerfile = f.read()
    for copy in ("COPY busybox /bin/busybox", "COPY oci-landlock/ /oci-landlock/"):
        if copy not in containerfile.splitlines():
            raise AssertionError(f"the Containerfile lacks {copy!r}")
    for c in spec.get("initContainers", []) + spec["containers"]:
        if c["image"] != f"oci-landlock-installer:{VERSION}":
            raise AssertionError(f"{c['name']}: image {c['image']}, version {VERSION}")
        if c["command"][:3] != ["/bin/busybox", "sh", "/oci-landlock/install.sh"]:
            raise AssertionError(f"{c['name']}: command {c['command']}")
        env = env_of(c)
        if env.get("PREFIX") != prefix or env.get("ACTION") != "install":
            raise AssertionError(f"{c['name']}: env {env}")
        mounts = [m for m in c["volumeMounts"] if m["name"] == host[0]["name"]]
        if [m["mountPath"] for m in mounts] != [env.get("DESTDIR", "") + prefix]:
            raise AssertionError(f"{c['name']}: the host's {prefix} is not at DESTDIR+PREFIX")
        sc = c.get("securityContext", {})
        if sc.get("capabilities", {}).get("drop") != ["ALL"] or sc.get("privileged"):
            raise AssertionError(f"{c['name']}: securityContext {sc}")
    init = spec["initContainers"]
    if len(init) != 1 or init[0]["command"][3:] or \
            env_of(init[0]).get("DESTDIR") != "/host":
        raise AssertionError(f"the init container must run install.sh with $ACTION: {init}")
    idle = spec["containers"][0]
    if idle["command"][3:] != ["idle"] or \
            idle["readinessProbe"]["exec"]["command"][3:] != ["status"]:
        raise AssertionError("the main container idles and probes `status`")
    # The wrapper is where install.sh writes it.
    if 'echo "$PREFIX' + WRAPPER + '"' not in install_sh():
        raise AssertionError("install.sh does not write the wrapper at PREFIX" + WRAPPER)
    # Both containers install the same handlers and custom profiles, which
    # are the ConfigMap's, mounted whole (a subPath is never updated).
    envs = [env_of(c) for c in init + spec["containers"]]
    for key in ("HANDLERS", "CUSTOM_PROFILES", "RUNTIME"):
        if len({e.get(key) for e in envs}) != 1:
            raise AssertionError(f"the containers disagree on {key}: {envs}")
    custom = envs[0]["CUSTOM_PROFILES"]
    for c in init + spec["containers"]:
        m = [m for m in c["volumeMounts"] if m["name"] == "custom-profiles"]
        if [x["mountPath"] for x in m] != [custom] or "subPath" in m[0]:
            raise AssertionError(f"{c['name']}: the ConfigMap is not at {custom}")
    for h in envs[0]["HANDLERS"].split():
        for o in h.split(":")[1:]:
            if o.startswith("default=") and \
                    not os.path.isfile(os.path.join(kube.PROFILES, o[8:] + ".json")):
                raise AssertionError(f"handler {h}: no curated profile {o[8:]}")


@test
def test_profiles_configmap():
    cm = kube.one("ConfigMap", "oci-landlock-profiles")
    if cm["metadata"].get("namespace") != "oci-landlock" or not cm.get("data"):
        raise AssertionError(f"ConfigMap {cm['metadata']}")
    curated = set(os.listdir(kube.PROFILES))
    for name, text in cm["data"].items():
        if not re.fullmatch(r"[A-Za-z0-9_-][A-Za-z0-9._-]*\.json", name) or name in curated:
            raise AssertionError(f"{name}: no profile name of its own")
        policy = os.path.join(TMP, name)
        with open(policy, "w") as f:
            f.write(text)
        p = subprocess.run([CLI, "check", policy], capture_output=True, text=True, timeout=60)
        if p.returncode or "result: refused" in p.stdout:
            raise AssertionError(f"{name}: {p.stdout}{p.stderr}")


def kernel_abi():
    import ctypes
    return max(0, ctypes.CDLL(None, use_errno=True).syscall(444, None, 0, 1))


def check(annotations, id=None):
    """oci-landlock check, as for the container id when given."""
    settings = os.path.join(TMP, "settings.json")
    with open(settings, "w") as f:
        json.dump({"profiles": kube.PROFILES}, f)
    cfg = os.path.join(TMP, "config.json")
    with open(cfg, "w") as f:
        json.dump(kube.config(annotations), f)
    env = dict(os.environ, OCI_LANDLOCK_CONFIG=settings)
    return subprocess.run([CLI, "check"] + (["--id", id] if id else []) + [cfg],
                          capture_output=True, text=True, env=env, timeout=60)


# What check must say of each container, line for line.
WANT = {
    "web": ["2 oci.landlock.KEY/NAME annotation(s) are for other containers than 'web'",
            "layer 1: profile 'static-web-server'",
            "layer 2: annotations",
            "  allows  /etc                     read_file, read_dir",
            "  allows  /var/www/html            read_file, read_dir",
            "  allows  /tmp                     all but execute",
            "  allows  port 8080                bind_tcp",
            "sockets: only unix, tcp may be created (seccomp; others get EACCES)",
            "mode: strict",
            "result: enforced as written"],
    "worker": ["3 oci.landlock.KEY/NAME annotation(s) are for other containers than 'worker'",
               "layer 1: profile 'data-processor'",
               "layer 2: annotations",
               "  allows  /out                     all but execute",
               "sockets: only unix, tcp may be created (seccomp; others get EACCES)",
               "mode: best-effort",
               "result: enforced as written"],
}
NOT_WANTED = {"web": ["/out", "data-processor", "mode: best-effort"],
              "worker": ["port 8080", "/var/www/html", "static-web-server"]}
SANDBOX = ("a pod's sandbox (pause) container: nothing of oci-landlock applies to it (the "
           "pod's oci.landlock.* annotations and the host's default apply to its other "
           "containers)\n")


@test
def test_oci_landlock_check_accepts_each_container():
    if kernel_abi() < 6:
        raise Skip(f"Landlock ABI {kernel_abi()}: the web container asks for scopes (ABI 6)")
    pod = kube.one("Pod")
    globs = kube.containerd_runtimes("containerd-1.x")[HANDLER]["pod_annotations"]
    engines = {"containerd": lambda c: kube.containerd_annotations(pod, globs, c),
               "CRI-O": lambda c: kube.crio_annotations(pod, c)}
    for engine, annotations in engines.items():
        for name in WANT:
            p = check(annotations(name))
            lines = p.stdout.splitlines()
            missing = [w for w in WANT[name] if w not in lines]
            extra = [n for n in NOT_WANTED[name] if n in p.stdout]
            if p.returncode or missing or extra or p.stderr:
                raise AssertionError(f"{engine} {name}: status {p.returncode}, missing "
                                     f"{missing}, unexpected {extra}\n{p.stdout}{p.stderr}")
        # The sandbox container gets the pod's keys too, and runs pause:
        # exempt as the container the engine's sandbox id names, not else.
        p = check(annotations(None), kube.SANDBOX_ID)
        runtime, _, rest = p.stdout.partition("\n")
        if p.returncode or not runtime.startswith("shim runtime: /") or rest != SANDBOX:
            raise AssertionError(f"{engine} sandbox: {p.returncode}\n{p.stdout}{p.stderr}")
        p = check(annotations(None), "another-container")
        if p.returncode != 1 or "its oci.landlock. keys apply" not in p.stdout:
            raise AssertionError(f"{engine} forged sandbox: {p.returncode}\n{p.stdout}"
                                 f"{p.stderr}")


def containerd_config(snippet_text, base="default"):
    """A containerd 1.x config.toml under TMP: `containerd config default`
    (the runc handler with SystemdCgroup on, as kubeadm nodes have it), or
    the bare minimum; then the snippet appended, as README.md says."""
    d = tempfile.mkdtemp(dir=TMP, prefix="containerd-")
    if base == "default":
        text = subprocess.run(["containerd", "config", "default"], capture_output=True,
                              text=True, check=True).stdout
        subs = [(r'^root = ".*"$', f'root = "{d}/root"'),
                (r'^state = ".*"$', f'state = "{d}/state"'),
                (r'^(\s*)address = "/run/containerd/containerd.sock"$',
                 rf'\1address = "{d}/containerd.sock"'),
                (r'^(\s*)path = "/opt/containerd"$', rf'\1path = "{d}/opt"'),
                (r'^(\s*)conf_dir = "/etc/cni/net.d"$', rf'\1conf_dir = "{d}/cni"'),
                (r'^(\s*)SystemdCgroup = false$', r'\1SystemdCgroup = true')]
        for pattern, repl in subs:
            text, n = re.subn(pattern, repl, text, flags=re.M)
            if n != 1:
                raise AssertionError(f"containerd config default: {pattern} matched {n} times")
    else:
        text = (f'version = 2\nroot = "{d}/root"\nstate = "{d}/state"\n'
                f'[grpc]\n  address = "{d}/containerd.sock"\n'
                f'[plugins."io.containerd.internal.v1.opt"]\n  path = "{d}/opt"\n'
                f'[plugins."io.containerd.grpc.v1.cri".cni]\n  conf_dir = "{d}/cni"\n')
    path = os.path.join(d, "config.toml")
    with open(path, "w") as f:
        f.write(text + "\n" + snippet_text)
    return d, path


def dump(path):
    import tomllib
    p = subprocess.run(["containerd", "--config", path, "config", "dump"],
                       capture_output=True, text=True, timeout=60)
    if p.returncode:
        raise AssertionError(f"containerd config dump: {p.stderr}")
    return tomllib.loads(p.stdout)


def snippet_text():
    with open(kube.path("containerd-1.x.toml")) as f:
        return f.read()


@test
def test_containerd_config_dump_has_the_handler():
    if not shutil.which("containerd"):
        raise Skip("containerd is not installed")
    _, path = containerd_config(snippet_text())
    runtimes = dump(path)["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]["runtimes"]
    if sorted(runtimes) != ["landlock", "runc"]:
        raise AssertionError(f"runtimes {sorted(runtimes)}")
    want = kube.containerd_runtimes("containerd-1.x")[HANDLER]
    got = runtimes[HANDLER]
    # A misspelt key would be dropped silently: the dump shows its default.
    for k in ("runtime_type", "pod_annotations", "container_annotations"):
        if got[k] != want[k]:
            raise AssertionError(f"{k}: dump {got[k]!r}, snippet {want[k]!r}")
    if got["options"] != want["options"]:
        raise AssertionError(f"options: {got['options']}")
    if got["options"]["SystemdCgroup"] != runtimes["runc"]["options"]["SystemdCgroup"]:
        raise AssertionError("SystemdCgroup differs from the runc handler's")


@test
def test_containerd_imports_would_drop_the_runc_handler():
    # What README.md and the snippet warn about, so that the warning stays
    # true: on containerd 1.6, `imports` replaces the whole CRI section.
    if not shutil.which("containerd"):
        raise Skip("containerd is not installed")
    d, path = containerd_config("")
    snippet = os.path.join(d, "landlock.toml")
    with open(snippet, "w") as f:
        f.write("version = 2\n" + snippet_text())
    with open(path) as f:
        text, n = re.subn(r"^imports = \[\]$", f'imports = ["{snippet}"]', f.read(), flags=re.M)
    if n != 1:
        raise AssertionError("containerd config default has no `imports = []`")
    with open(path, "w") as f:
        f.write(text)
    runtimes = dump(path)["plugins"]["io.containerd.grpc.v1.cri"]["containerd"]["runtimes"]
    if sorted(runtimes) != ["landlock"]:
        raise AssertionError(f"with imports: runtimes {sorted(runtimes)}; README.md is stale")


def cri_plugin(path, d):
    """Start containerd on config path (CRI plugin on), and return the CRI
    plugin's status line and containerd's log; stops containerd by its PID."""
    log_path = os.path.join(d, "log")
    ctr = ["ctr", "--address", f"{d}/containerd.sock"]
    with open(log_path, "w") as log:
        proc = subprocess.Popen(["containerd", "--config", path], stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            for _ in range(150):
                if subprocess.run(ctr + ["version"], capture_output=True).returncode == 0:
                    break
                time.sleep(0.1)
            else:
                raise AssertionError("containerd did not start")
            plugins = subprocess.run(ctr + ["plugins", "ls"], capture_output=True, text=True,
                                     timeout=30).stdout
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    cri = [line.split() for line in plugins.splitlines()
           if line.split()[:2] == ["io.containerd.grpc.v1", "cri"]]
    with open(log_path) as f:
        return cri, f.read()


@test
def test_containerd_cri_plugin_loads_the_handler():
    if os.geteuid() != 0:
        raise Skip("needs root (containerd)")
    for p in ("containerd", "ctr"):
        if not shutil.which(p):
            raise Skip(f"{p} is not installed")
    d, path = containerd_config(snippet_text())
    cri, log = cri_plugin(path, d)
    if len(cri) != 1 or cri[0][3] != "ok":
        raise AssertionError(f"CRI plugin: {cri}\n{log}")
    # The CRI plugin logs the configuration it runs with.
    want = ("landlock:{Type:io.containerd.runc.v2 Path: Engine: "
            "PodAnnotations:[oci.landlock.* oci.landlock.*/*] "
            "ContainerAnnotations:[oci.landlock.* oci.landlock.*/*] Root: "
            "Options:map[BinaryName:" + install_prefix() + WRAPPER + " SystemdCgroup:true]")
    if want not in log:
        raise AssertionError(f"the CRI plugin's config lacks {want!r}:\n{log}")
    # The warning of the snippet: alone in a config.toml, it leaves no runc
    # handler, and the CRI plugin does not load.
    d, path = containerd_config(snippet_text(), base="minimal")
    cri, log = cri_plugin(path, d)
    if len(cri) != 1 or cri[0][3] != "error" or \
            "no corresponding runtime configured in `containerd.runtimes` for `containerd` " \
            "`default_runtime_name = \\\"runc\\\"" not in log:
        raise AssertionError(f"CRI plugin with the snippet alone: {cri}\n{log}")


if __name__ == "__main__":
    try:
        run()
    finally:
        shutil.rmtree(TMP, ignore_errors=True)
