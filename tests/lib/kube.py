# SPDX-License-Identifier: Apache-2.0
"""Shared by the deployment tests: the files of examples/kubernetes/, the
API server's name rules, containerd's annotation globs, and the annotations
each engine puts in a pod's container configs."""
import os
import re
import tomllib

from tap import Skip

SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])
K8S = os.path.join(SRCDIR, "examples", "kubernetes")
PROFILES = os.path.join(SRCDIR, "examples", "profiles")  # the curated admin profiles
SNIPPETS = {
    "containerd-1.x": ("containerd-1.x.toml", "io.containerd.grpc.v1.cri"),
    "containerd-2.x": ("containerd-2.x.toml", "io.containerd.cri.v1.runtime"),
}
CRIO_SNIPPET = os.path.join("crio.conf.d", "10-landlock.conf")

# The engines' own keys (containerd, CRI-O).
CRI_NAME = "io.kubernetes.cri.container-name"
CRIO_NAME = "io.kubernetes.container.name"
CRI_TYPE = "io.kubernetes.cri.container-type"
CRIO_TYPE = "io.kubernetes.cri-o.ContainerType"
CRI_SANDBOX_ID = "io.kubernetes.cri.sandbox-id"
CRIO_SANDBOX_ID = "io.kubernetes.cri-o.SandboxID"
# The pod's sandbox id: the engines make it the id of the sandbox
# (pause) container itself, and name it in every container of the pod.
SANDBOX_ID = "pod-sandbox-1"

_DNS_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_QUALIFIED = re.compile(r"([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]")


def path(*parts):
    return os.path.join(K8S, *parts)


def documents():
    """(file name, document) for every YAML document under examples/kubernetes."""
    try:
        import yaml
    except ImportError:
        raise Skip("python3-yaml is not installed")
    docs = []
    for root, _, files in os.walk(K8S):
        for name in sorted(files):
            if name.endswith((".yaml", ".yml")):
                rel = os.path.relpath(os.path.join(root, name), K8S)
                with open(os.path.join(root, name)) as f:
                    docs += [(rel, d) for d in yaml.safe_load_all(f) if d is not None]
    return docs


def one(kind, name=None):
    """The one document of kind (of that name, if given)."""
    found = [d for _, d in documents() if d.get("kind") == kind and
             (name is None or d.get("metadata", {}).get("name") == name)]
    if len(found) != 1:
        raise AssertionError(f"want one {kind} {name or ''}, found {len(found)}")
    return found[0]


def toml(rel):
    with open(path(rel), "rb") as f:
        return tomllib.load(f)


def containerd_runtimes(snippet):
    """The runtimes table of a containerd snippet."""
    rel, plugin = SNIPPETS[snippet]
    return toml(rel)["plugins"][plugin]["containerd"]["runtimes"]


def crio_runtimes():
    return toml(CRIO_SNIPPET)["crio"]["runtime"]["runtimes"]


# ---- the API server's name rules ---------------------------------------------

def dns_label(s):
    return isinstance(s, str) and len(s) <= 63 and _DNS_LABEL.fullmatch(s) is not None


def dns_subdomain(s):
    return isinstance(s, str) and 0 < len(s) <= 253 and \
        all(_DNS_LABEL.fullmatch(p) for p in s.split("."))


def qualified_name(key):
    """An annotation or label key: [DNS subdomain '/'] name of 63 at most."""
    if not isinstance(key, str):
        return False
    prefix, _, name = key.rpartition("/")
    if "/" in key and not dns_subdomain(prefix):
        return False
    return len(name) <= 63 and _QUALIFIED.fullmatch(name) is not None


def label_value(v):
    return isinstance(v, str) and len(v) <= 63 and (v == "" or _QUALIFIED.fullmatch(v))


# ---- containerd's globs -----------------------------------------------------

def go_path_match(pattern, name):
    """Go's path.Match, which containerd uses for pod_annotations and
    container_annotations: '*' is any run of characters but '/', '?' one
    such character, '\\' escapes.  Character classes are not needed here
    and are refused rather than guessed at."""
    rx = ""
    i = 0
    while i < len(pattern):
        c = pattern[i]
        if c == "*":
            rx += "[^/]*"
        elif c == "?":
            rx += "[^/]"
        elif c == "\\":
            i += 1
            if i == len(pattern):
                raise ValueError(f"bad pattern {pattern!r}")
            rx += re.escape(pattern[i])
        elif c == "[":
            raise ValueError(f"character classes are not supported: {pattern!r}")
        else:
            rx += re.escape(c)
        i += 1
    return re.fullmatch(rx, name) is not None


def passed_by(globs, annotations):
    return {k: v for k, v in annotations.items() if any(go_path_match(g, k) for g in globs)}


# ---- what reaches the runtime -------------------------------------------------

def pod_annotations(pod):
    return dict(pod["metadata"].get("annotations") or {})


def containerd_annotations(pod, globs, container=None, sandbox_id=SANDBOX_ID):
    """A container's annotations under containerd: the pod's, filtered by
    the handler's pod_annotations globs, then containerd's own keys, which
    it writes last.  container=None: the pod's sandbox container, whose
    container id is sandbox_id."""
    ann = passed_by(globs, pod_annotations(pod))
    ann[CRI_SANDBOX_ID] = sandbox_id
    if container is None:
        ann[CRI_TYPE] = "sandbox"
    else:
        ann[CRI_TYPE] = "container"
        ann[CRI_NAME] = container
    return ann


def crio_annotations(pod, container=None, sandbox_id=SANDBOX_ID):
    """Under CRI-O: every pod annotation, then CRI-O's keys (the container
    name comes from kubelet's label)."""
    ann = pod_annotations(pod)
    ann[CRIO_SANDBOX_ID] = sandbox_id
    if container is None:
        ann[CRIO_TYPE] = "sandbox"
    else:
        ann[CRIO_TYPE] = "container"
        ann[CRIO_NAME] = container
    return ann


def config(annotations, args=("/bin/sh",)):
    """A minimal config.json carrying annotations, with the /dev every
    engine gives a container."""
    return {"ociVersion": "1.0.2", "process": {"args": list(args), "cwd": "/"},
            "root": {"path": "rootfs"},
            "mounts": [{"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
                        "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]}],
            "annotations": annotations}
