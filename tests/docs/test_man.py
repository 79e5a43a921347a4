#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The manual pages, as man(1) renders them: no groff warning, the
expected NAME line and sections, lines within 80 columns, the installed
paths filled in, and every annotation key, launcher option, command, hook
stage, setting, socket kind, log setting, right and exit status that the
code knows.  The lists are read from the C sources, so a key or option
added to the code without its page fails here."""
import os
import re
import shutil
import subprocess

from tap import Skip, run, test

SRCDIR = os.path.abspath(os.environ["OL_SRCDIR"])
PAGES = {os.path.basename(p): p for p in os.environ.get("OL_MAN_PAGES", "").split(":") if p}
PREFIX = os.environ["OL_PREFIX"]
NAMES = {
    "oci-landlock.1":
        "oci-landlock - Landlock sandboxes for OCI containers: hooks, bundle rewrite, checks",
    "oci-landlock-runtime.1":
        "oci-landlock-runtime - an OCI runtime shim that sandboxes containers with Landlock, "
        "then runs runc or crun",
    "oci-landlock-exec.1":
        "oci-landlock-exec - run a command inside a Landlock sandbox it can never leave",
    "oci-landlock-annotations.5":
        "oci-landlock-annotations - the oci.landlock.* annotations that sandbox an OCI "
        "container with Landlock",
}
SECTIONS_1 = ["NAME", "SYNOPSIS", "DESCRIPTION", "EXIT STATUS", "FILES", "ENVIRONMENT",
              "EXAMPLES", "SEE ALSO"]
SECTIONS_5 = ["NAME", "DESCRIPTION", "FILES", "EXAMPLES", "SEE ALSO"]
_rendered = {}


# --- what the code knows -------------------------------------------------

def source(path):
    with open(os.path.join(SRCDIR, path)) as f:
        return f.read()


def block(path, start):
    """The initializer that follows `start` in a C file, up to its '};'."""
    text = source(path)
    at = text.index(start)
    return text[at:text.index("};", at)]


def found(what, pattern, text, at_least):
    items = re.findall(pattern, text)
    if len(items) < at_least:
        raise AssertionError(f"only {len(items)} {what} found in the code: {items}")
    return items


def vocabulary():
    """(key, option) of each word in the vocabulary table (None: not one)."""
    table = block("policy/vocabulary.c", "ol_words[OL_WORD_COUNT] = {")
    words = []
    for entry in re.split(r"\n\t\[", table)[1:]:
        key = re.search(r'\.key = "([^"]+)"|^OL_KEY_\w+\] =\s*\w+\("([^"]+)"', entry)
        option = re.search(r'\.option = "([^"]+)"|^OL_KEY_\w+\] =\s*\w+\("[^"]+", "([^"]+)"', entry)
        words.append((key and (key.group(1) or key.group(2)),
                      option and (option.group(1) or option.group(2))))
    enum = block("policy/vocabulary.h", "enum ol_word {")
    if len(words) != len(re.findall(r"\b(?:OL_KEY|OL_OPT)_\w+,", enum)) - 1:  # less OL_KEY_COUNT
        raise AssertionError(f"the vocabulary table and enum ol_word differ: {words}")
    return words


def annotation_keys():
    keys = [k for k, _ in vocabulary() if k]
    if len(keys) < 10:
        raise AssertionError(f"only {len(keys)} annotation keys found in the code: {keys}")
    return ["oci.landlock." + k for k in keys]


def launcher_options():
    names = [o for _, o in vocabulary() if o]
    if len(names) < 10:
        raise AssertionError(f"only {len(names)} launcher options found in the code: {names}")
    return ["--" + n for n in names]


def cli_words(arg):
    return found(f"argv[{arg}] words", rf'strcmp\(argv\[{arg}\], "([^"]+)"\)',
                 source("cli/cli.c"), 3)


def words_of(path, start, pattern, at_least):
    return found(f"words in {path}", pattern, block(path, start), at_least)


def shim_options():
    out = []
    for table in ["globals[]", "create_opts[]", "exec_opts[]"]:
        names = words_of("host/runtime-args.c", table, r'\{ "([a-z-]+|[a-zA-Z])", ', 5)
        out += [("-" if len(n) == 1 else "--") + n for n in names]
    return out


# --- the rendered pages --------------------------------------------------

def need_man():
    if not PAGES:
        raise Skip("scdoc was not found when the build was configured (Debian package "
                   "scdoc; meson -Dman=enabled requires it)")
    if not shutil.which("man"):
        raise Skip("man is not installed (Debian package man-db)")


def render(page):
    need_man()
    if page not in _rendered:
        env = {"PATH": os.environ["PATH"], "MANWIDTH": "80", "LC_ALL": "C.UTF-8"}
        p = subprocess.run(["man", "--warnings=w", "-E", "UTF-8", "-l", PAGES[page]],
                           capture_output=True, text=True, env=env, timeout=60)
        if p.returncode != 0 or p.stderr:
            raise AssertionError(f"man -l {PAGES[page]}: status {p.returncode}\n{p.stderr}")
        _rendered[page] = p.stdout
    return _rendered[page]


def flat(text):
    """The text with words broken across lines put back together: groff's
    own hyphens (U+2010) go, a break after a real '-' is closed."""
    text = re.sub("\u2010\n\\s*", "", text)
    return re.sub("-\n\\s*", "-", text)


def mentioned(page, words):
    text = flat(render(page))
    missing = [w for w in words if not re.search(rf"(?<![\w.-]){re.escape(w)}(?![\w-])", text)]
    if missing:
        raise AssertionError(f"{page} does not mention {missing}")


def defined(page, words):
    """Each word starts an entry of a definition list: a line that begins
    with it (or with a ', '-separated list of names holding it), followed
    by a more indented line."""
    lines = [line for line in render(page).splitlines() if line.strip()]
    indent = [len(line) - len(line.lstrip()) for line in lines]
    missing = []
    for w in words:
        term = re.compile(rf"^\s*(\S+, )*{re.escape(w)}($|[ ,])")
        if not any(term.match(lines[i]) and indent[i + 1] > indent[i]
                   for i in range(len(lines) - 1)):
            missing.append(w)
    if missing:
        raise AssertionError(f"{page} has no entry for {missing}")


# --- the tests -------------------------------------------------------------

@test
def test_every_page_renders_without_warnings():
    need_man()
    if sorted(PAGES) != sorted(NAMES):
        raise AssertionError(f"built pages {sorted(PAGES)}, expected {sorted(NAMES)}")
    for page in NAMES:
        render(page)


@test
def test_name_lines():
    for page, want in NAMES.items():
        text = render(page)
        at = text.index("\nNAME\n") + len("\nNAME\n")
        name = " ".join(flat(text[at:text.index("\n\n", at)]).split())
        if name != want:
            raise AssertionError(f"{page}: NAME is '{name}', expected '{want}'")


@test
def test_sections():
    for page in NAMES:
        headings = re.findall(r"^([A-Z][A-Z -]+)$", render(page), re.M)
        want = SECTIONS_5 if page.endswith(".5") else SECTIONS_1
        missing = [s for s in want if s not in headings]
        if missing:
            raise AssertionError(f"{page} lacks the sections {missing}: {headings}")


@test
def test_lines_fit_80_columns():
    # A long installation prefix may push a literal example past 80.
    for page in NAMES:
        wide = [line for line in render(page).splitlines()
                if len(line) > 80 and PREFIX not in line]
        if wide:
            raise AssertionError(f"{page}: lines wider than 80 columns: {wide}")


@test
def test_installed_paths_filled_in():
    for page in NAMES:
        left = re.findall(r"@[A-Z_]+@", render(page))
        if left:
            raise AssertionError(f"{page}: placeholders left: {left}")
    defined("oci-landlock.1", [os.environ["OL_CONFIG_FILE"]])
    defined("oci-landlock-runtime.1", [os.environ["OL_CONFIG_FILE"]])
    defined("oci-landlock-exec.1", [os.environ["OL_LAUNCHER_PATH"]])


@test
def test_see_also_names_pages_that_exist():
    for page in NAMES:
        for name, section in re.findall(r"\b(oci-landlock[a-z-]*)\((\d)\)", flat(render(page))):
            if f"{name}.{section}" not in NAMES:
                raise AssertionError(f"{page} refers to {name}({section}), which is not built")


@test
def test_annotations_page_lists_every_key():
    keys = annotation_keys()
    defined("oci-landlock-annotations.5", keys)
    names = re.findall(r'#define CRIO?_NAME\s+"([^"]+)"', source("policy/keys.c"))
    if len(names) != 2:
        raise AssertionError(f"container-name annotations in the code: {names}")
    mentioned("oci-landlock-annotations.5", names + ["KEY/CONTAINER"])


@test
def test_launcher_page_lists_every_option():
    defined("oci-landlock-exec.1", launcher_options() + ["-h"])


@test
def test_launcher_page_lists_rights_kinds_and_statuses():
    rights = found("rights", r'(?:FS|NET|SCOPE)\("(\w+)"', source("sandbox/rights.c"), 23)
    mentioned("oci-landlock-exec.1", rights)
    kinds = words_of("sandbox/socket-kinds.c", "ol_socket_kinds[] = {", r'\{ "(\w+)", OL_SOCK_', 9)
    defined("oci-landlock-exec.1", kinds + ["none"])
    statuses = found("exit statuses", r"#define OL_EXIT_\w+\s+(\d+)", source("exec/launcher.h"), 2)
    defined("oci-landlock-exec.1", statuses)


@test
def test_settings_words_in_launcher_and_annotations_pages():
    logs = words_of("policy/enforcement.c", "words[] = {", r'\{ "([a-z-]+)", OL_LL_', 4)
    modes = found("modes", r'strcmp\(text, "([a-z-]+)"\)', source("policy/enforcement.c"), 2)
    scopes = found("scopes", r'SCOPE\("(\w+)"', source("sandbox/rights.c"), 2)
    kinds = words_of("sandbox/socket-kinds.c", "ol_socket_kinds[] = {", r'\{ "(\w+)", OL_SOCK_', 9)
    for page in ["oci-landlock-exec.1", "oci-landlock-annotations.5"]:
        mentioned(page, logs + modes + scopes + kinds + ["all", "none"])


@test
def test_command_page_lists_commands_stages_and_settings():
    defined("oci-landlock.1", cli_words(1))
    defined("oci-landlock.1", cli_words(2))
    keys = words_of("host/settings.c", "keys[] = {", r'"(\w+)"', 3)
    defined("oci-landlock.1", keys)
    env = re.findall(r'#define OL_CONFIG_ENV "(\w+)"', source("host/settings.h"))
    defined("oci-landlock.1", env)
    defined("oci-landlock-runtime.1", env)


@test
def test_runtime_page_lists_every_option_the_shim_reads():
    mentioned("oci-landlock-runtime.1", shim_options())


run()
