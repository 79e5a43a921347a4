#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The bash completion, run for real: a non-interactive bash sources the
file, looks up the function `complete -p` registered for the command, sets
COMP_WORDS and COMP_CWORD as readline would, calls it, and prints
COMPREPLY.  Each case asserts the exact list; the commands, stages, modes,
options and kinds offered are compared with those in the C sources."""
import atexit
import os
import re
import shutil
import subprocess
import tempfile

from tap import Skip, run, test

COMPLETION = os.path.abspath(os.environ["OL_COMPLETION"])
SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])

# $1 is the command, the other arguments the words; the last is completed.
SCRIPT = r'''
source "$OL_COMPLETION" || exit 3
spec=$(complete -p "$1") || exit 4
fn=${spec##*-F }
fn=${fn%% *}
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
"$fn" "$1" "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
echo "${#COMPREPLY[@]}"
printf '%s\n' "${COMPREPLY[@]}"
'''


def complete(*words, cwd=None):
    """COMPREPLY for the command line `words`, its last word being completed."""
    bash = shutil.which("bash")
    if not bash:
        raise Skip("bash is not installed")
    env = {"PATH": os.environ["PATH"], "OL_COMPLETION": COMPLETION, "LC_ALL": "C"}
    p = subprocess.run([bash, "--norc", "--noprofile", "-c", SCRIPT, "bash"] + list(words),
                       capture_output=True, text=True, env=env, cwd=cwd, timeout=60)
    if p.returncode != 0 or p.stderr:
        raise AssertionError(f"{words}: status {p.returncode}\n{p.stderr}")
    lines = p.stdout.split("\n")
    return lines[1:1 + int(lines[0])]


def expect(words, want, cwd=None):
    got = complete(*words, cwd=cwd)
    if sorted(got) != sorted(want):
        raise AssertionError(f"{words}: offered {sorted(got)}, expected {sorted(want)}")


def source(path):
    with open(os.path.join(SRCDIR, path)) as f:
        return f.read()


def code_words(path, pattern, at_least):
    words = re.findall(pattern, source(path))
    if len(words) < at_least:
        raise AssertionError(f"only {words} found in {path}")
    return words


def tree():
    """A directory holding two bundle directories (one name with a space)
    and a file."""
    d = tempfile.mkdtemp(prefix="ol-completion-")
    atexit.register(shutil.rmtree, d, True)
    os.mkdir(os.path.join(d, "bundle-a"))
    os.mkdir(os.path.join(d, "bundle b"))
    with open(os.path.join(d, "config.json"), "w") as f:
        f.write("{}")
    return d


@test
def test_first_word_is_a_command():
    commands = [w for w in code_words("cli/cli.c", r'strcmp\(argv\[1\], "([^"]+)"\)', 6)
                if w != "-h"]
    expect(["oci-landlock", ""], commands)
    expect(["oci-landlock", "ch"], ["check"])
    expect(["oci-landlock", "--"], ["--version", "--help"])


@test
def test_hook_offers_the_stages():
    stages = code_words("cli/cli.c", r'strcmp\(argv\[2\], "([^"]+)"\)', 3)
    expect(["oci-landlock", "hook", ""], stages)
    expect(["oci-landlock", "hook", "pre"], ["precreate", "prestart"])
    expect(["oci-landlock", "hook", "precreate", ""], [])


@test
def test_check_mode_offers_the_modes():
    modes = code_words("policy/enforcement.c", r'strcmp\(text, "([a-z-]+)"\)', 2)
    expect(["oci-landlock", "check", "--mode", ""], modes)
    expect(["oci-landlock", "check", "--mode", "b"], ["best-effort"])
    expect(["oci-landlock", "check", "-"],
           ["--mode", "--id", "-a", "--annotation", "--policy-file", "--json"])
    expect(["oci-landlock", "check", "config.json", "--j"], ["--json"])
    # A container's id is not completed; the file after it is.
    expect(["oci-landlock", "check", "--id", ""], [])


@test
def test_inject_offers_directories_only():
    d = tree()
    expect(["oci-landlock", "inject", ""], ["bundle-a", "bundle b"], cwd=d)
    # A name with a space, typed escaped or quoted.
    expect(["oci-landlock", "inject", "bundle\\ "], ["bundle b"], cwd=d)
    expect(["oci-landlock", "inject", "'bundle "], ["bundle b"], cwd=d)
    expect(["oci-landlock", "inject", '"bundle-'], ["bundle-a"], cwd=d)
    expect(["oci-landlock", "inject", "bundle-a", ""], [], cwd=d)


@test
def test_check_offers_files():
    d = tree()
    expect(["oci-landlock", "check", ""], ["bundle-a", "bundle b", "config.json"], cwd=d)
    expect(["oci-landlock", "check", "--mode", "strict", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock", "check", "config.json", ""], [], cwd=d)
    expect(["oci-landlock", "check", "--policy-file", "c"], ["config.json"], cwd=d)
    # -a KEY=VALUE (split by readline at '=') is not the operand.
    expect(["oci-landlock", "check", "-a", "oci.landlock.fs.ro", "=", "/usr", "c"],
           ["config.json"], cwd=d)
    expect(["oci-landlock", "check", "--json", "bundle-a", "c"], [], cwd=d)


@test
def test_check_annotation_offers_the_keys():
    table = source("policy/vocabulary.c")
    keys = re.findall(r'\.key = "([a-z.-]+)"|^\t\[OL_KEY_\w+\] =\s*\w+\("([a-z.-]+)"',
                      table[table.index("ol_words[OL_WORD_COUNT] = {"):], re.M)
    keys = ["oci.landlock." + (a or b) + "=" for a, b in keys]
    if len(keys) < 10:
        raise AssertionError(f"annotation keys in the code: {keys}")
    expect(["oci-landlock", "check", "-a", ""], keys)
    expect(["oci-landlock", "check", "--annotation", "oci.landlock.fs.r"],
           ["oci.landlock.fs.ro=", "oci.landlock.fs.rx=", "oci.landlock.fs.rw=",
            "oci.landlock.fs.rwx="])
    expect(["oci-landlock", "check", "-a", "oci.landlock.fs.ro", "=", ""], [])


@test
def test_denials_offers_its_options_and_files():
    d = tree()
    expect(["oci-landlock", "denials", "-"], ["--all", "--log", "--since"], cwd=d)
    expect(["oci-landlock", "denials", "--l"], ["--log"], cwd=d)
    expect(["oci-landlock", "denials", "--log", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock", "denials", "4099a3", "--all", "--log", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock", "denials", "4099a3", "--s"], ["--since"], cwd=d)
    expect(["oci-landlock", "denials", "--since", ""], [], cwd=d)
    expect(["oci-landlock", "denials", "4099a3", ""], [], cwd=d)


@test
def test_learn_offers_options_and_files():
    d = tree()
    options = [o for o in code_words("cli/learn.c", r'strcmp\(argv\[i\], "(-[^"]+)"\)', 6)
               if o != "--"]
    if sorted(options) != ["--abi", "--depth", "--format", "--merge", "--system-writes", "-o"]:
        raise AssertionError(f"cli/learn.c's options: {options}")
    expect(["oci-landlock", "learn", "-"], options, cwd=d)
    expect(["oci-landlock", "learn", "--depth", ""], [], cwd=d)
    abi_max = int(re.search(r"#define OL_ABI_MAX (\d+)", source("sandbox/rights.h")).group(1))
    expect(["oci-landlock", "learn", "--abi", ""], [str(n) for n in range(1, abi_max + 1)],
           cwd=d)
    expect(["oci-landlock", "learn", "--abi", "1"], ["1", "10"], cwd=d)
    expect(["oci-landlock", "learn", "--format", "p"], ["podman", "policy"], cwd=d)
    expect(["oci-landlock", "learn", "-o", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock", "learn", "--merge", "config.json", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock-exec", "--learn", "c"], ["config.json"], cwd=d)


@test
def test_convert_offers_its_option_and_one_file():
    d = tree()
    expect(["oci-landlock", "convert", "-"], ["--compact"], cwd=d)
    expect(["oci-landlock", "convert", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock", "convert", "--compact", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock", "convert", "config.json", "c"], [], cwd=d)


@test
def test_abi_takes_nothing():
    expect(["oci-landlock", "abi", ""], [])


@test
def test_launcher_options_are_the_code_s():
    table = source("policy/vocabulary.c")
    table = table[table.index("ol_words[OL_WORD_COUNT] = {"):]
    table = table[:table.index("};")]
    options = ["--" + (a or b) for a, b in re.findall(
        r'\.option = "([a-z-]+)"|^\t\[OL_KEY_\w+\] =\s*\w+\("[^"]+", "([a-z-]+)"', table, re.M)]
    if len(options) < 10:
        raise AssertionError(f"launcher options in the code: {options}")
    expect(["oci-landlock-exec", "--"], options + ["--"])
    expect(["oci-landlock-exec", "--fs-rx", "/", "--net-"],
           ["--net-bind", "--net-connect", "--net-socket", "--net-udp-bind",
            "--net-udp-connect"])


@test
def test_launcher_values():
    kinds = code_words("sandbox/socket-kinds.c", r'\{ "(\w+)", OL_SOCK_', 9)
    logs = code_words("policy/enforcement.c", r'\{ "([a-z-]+)", OL_LL_RESTRICT_SELF_LOG', 4)
    scopes = code_words("sandbox/rights.c", r'SCOPE\("(\w+)"', 2)
    expect(["oci-landlock-exec", "--net-socket", ""], kinds + ["none"])
    expect(["oci-landlock-exec", "--log", ""], logs)
    expect(["oci-landlock-exec", "--scope", ""], scopes + ["all"])
    expect(["oci-landlock-exec", "--mode", ""], ["strict", "best-effort"])
    # readline splits "--mode=s" at the '='.
    expect(["oci-landlock-exec", "--mode", "=", "s"], ["strict"])
    expect(["oci-landlock-exec", "--mode", "="], ["strict", "best-effort"])
    expect(["oci-landlock-exec", "--layer", ""], [])
    expect(["oci-landlock-exec", "--confirm", ""], ["on", "off"])


@test
def test_doctor_offers_its_options_and_their_paths():
    options = code_words("cli/doctor.c", r'strcmp\(argv\[i\], "(--[a-z-]+)"\)', 4)
    expect(["oci-landlock", "doctor", ""], options)
    expect(["oci-landlock", "doctor", "--prefix", "/x", "--h"], ["--hooks-dir"])
    d = tree()
    expect(["oci-landlock", "doctor", "--prefix", ""], ["bundle-a", "bundle b"], cwd=d)
    expect(["oci-landlock", "doctor", "--hooks-dir", "bundle-"], ["bundle-a"], cwd=d)
    expect(["oci-landlock", "doctor", "--settings", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock", "doctor", "--containers-conf", "c"], ["config.json"], cwd=d)


@test
def test_launcher_paths_and_command():
    d = tree()
    expect(["oci-landlock-exec", "--fs-ro", ""], ["bundle-a", "bundle b"], cwd=d)
    # ':' separates the paths of a list, and readline splits there too.
    expect(["oci-landlock-exec", "--fs-ro", "bundle-a", ":", "bundle\\ "], ["bundle b"], cwd=d)
    expect(["oci-landlock-exec", "--policy-file", "c"], ["config.json"], cwd=d)
    commands = complete("oci-landlock-exec", "--fs-rx", "/", "--", "bas", cwd=d)
    if "bash" not in commands or any(not c.startswith("bas") for c in commands):
        raise AssertionError(f"commands offered for 'bas': {commands}")
    expect(["oci-landlock-exec", "--fs-rx", "/", "--", "sh", "c"], ["config.json"], cwd=d)
    expect(["oci-landlock-exec", "--fs-rx", "/", "--", "sh", "--"], [], cwd=d)


run()
