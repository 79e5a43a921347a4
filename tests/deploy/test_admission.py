#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The example ValidatingAdmissionPolicy (examples/kubernetes/
admission-policy.yaml), checked offline: the binding names the policy and
the per-namespace ConfigMap, the policy covers pods, and its filter of
oci.landlock.* keys, read out of the CEL expression, catches every key of
the project's vocabulary in both forms (KEY and KEY/NAME) and the near
misses of the prefix that an ASCII case fold shows, and no other key.
"""
import os
import re

import kube
from tap import run, test

FILE = "admission-policy.yaml"


def documents():
    return {d["kind"]: d for rel, d in kube.documents() if rel == FILE}


def vocabulary_keys():
    with open(os.path.join(kube.SRCDIR, "policy", "vocabulary.c")) as f:
        table = f.read()
    keys = re.findall(r'\.key = "([^"]+)"|^\t\[OL_KEY_\w+\] =\s*\w+\("([^"]+)"', table, re.M)
    keys = [a or b for a, b in keys]
    if len(keys) < 10:
        raise AssertionError(f"only {keys} in the vocabulary")
    return keys


@test
def test_binding_names_the_policy_and_the_namespace_configmap():
    docs = documents()
    policy, binding = docs["ValidatingAdmissionPolicy"], docs["ValidatingAdmissionPolicyBinding"]
    spec = binding["spec"]
    if spec["policyName"] != policy["metadata"]["name"] or spec["validationActions"] != ["Deny"]:
        raise AssertionError(f"binding {spec}")
    ref = spec["paramRef"]
    # No namespace: the ConfigMap of the pod's own namespace.
    if "namespace" in ref or ref.get("parameterNotFoundAction") != "Deny" or \
            policy["spec"]["paramKind"] != {"apiVersion": "v1", "kind": "ConfigMap"}:
        raise AssertionError(f"paramRef {ref}")
    if spec["matchResources"]["namespaceSelector"]["matchLabels"] != \
            {"oci-landlock/pinned": "true"}:
        raise AssertionError("not bound to the labelled namespaces")
    rules = policy["spec"]["matchConstraints"]["resourceRules"]
    if rules != [{"apiGroups": [""], "apiVersions": ["v1"], "operations": ["CREATE", "UPDATE"],
                  "resources": ["pods"]}] or policy["spec"]["failurePolicy"] != "Fail":
        raise AssertionError(f"rules {rules}")
    # The runtime class it pins in the example is one this project ships.
    classes = [d["metadata"]["name"] for _, d in kube.documents() if d["kind"] == "RuntimeClass"]
    with open(kube.path(FILE)) as f:
        example = re.search(r"--from-literal=runtimeClassName=(\S+)", f.read()).group(1)
    if example not in classes:
        raise AssertionError(f"the example pins {example}, not one of {classes}")


@test
def test_the_key_filter_catches_every_spelling():
    variables = {v["name"]: v["expression"]
                 for v in documents()["ValidatingAdmissionPolicy"]["spec"]["variables"]}
    m = re.fullmatch(r"variables\.annotations\.filter\(k, k\.lowerAscii\(\)\.matches\('([^']+)'\)\)",
                     variables["landlockKeys"].strip())
    if not m:
        raise AssertionError(f"landlockKeys is {variables['landlockKeys']!r}")
    pattern = re.compile(m.group(1))

    def caught(key):
        # CEL's matches() finds the pattern anywhere, as re.search does.
        return pattern.search(key.lower()) is not None
    keys = vocabulary_keys()
    for k in keys:
        for spelling in (f"oci.landlock.{k}", f"oci.landlock.{k}/web", f"OCI.Landlock.{k}",
                         f"oci-landlock.{k}", f"oci_landlock.{k}/web", f"ocilandlock.{k}"):
            if not caught(spelling):
                raise AssertionError(f"{spelling} passes the filter")
    for other in ("io.kubernetes.cri.container-name", "app.kubernetes.io/name",
                  "example.com/oci.landlock.fs.ro", "seccomp.security.alpha.kubernetes.io/pod"):
        if caught(other):
            raise AssertionError(f"{other} is taken for a landlock key")


if __name__ == "__main__":
    run()
