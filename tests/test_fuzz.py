"""Fuzzing: a mutated catalog either builds or is refused with `path:line: ...` lines, never a crash.

Property-based (hypothesis): valid catalogs are mutated structurally (drop, retype, duplicate,
truncate, rename, nest) and as text (random bytes, truncation, tabs, non-UTF-8, alias bombs, deep
nesting, huge strings, tags), then loaded and rendered in-process. Anything but success or a
CatalogError whose every line is `path:line: ...` fails the test.

Default run: the "quick" profile (50 examples per property, the same every run). The "fuzz" profile
runs 1,000 per property with fresh random seeds each time:
    .venv/bin/python benchmarks/fuzz.py        (prints examples run and tracebacks found), or
    HYPOTHESIS_PROFILE=fuzz .venv/bin/python -m pytest tests/test_fuzz.py
"""
from __future__ import annotations

import copy
import datetime as dt
import json
import os
import re
import tempfile
import traceback
from collections import Counter
from pathlib import Path

import pytest
import yaml
from catalog_files import base_files, write_catalog
from conftest import ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.catalog import load_catalog
from generator.catalog.problems import CatalogError
from generator.site import render

_SLOW_IS_FINE = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.large_base_example,
                 HealthCheck.filter_too_much]
settings.register_profile("quick", max_examples=50, deadline=None, derandomize=True, print_blob=True,
                          suppress_health_check=_SLOW_IS_FINE)
settings.register_profile("fuzz", max_examples=1000, deadline=None, print_blob=True,
                          suppress_health_check=_SLOW_IS_FINE)
PROFILE = settings.get_profile("fuzz" if os.environ.get("HYPOTHESIS_PROFILE") == "fuzz" else "quick")

BASE = base_files()
TODAY = dt.date(2026, 6, 1)
PROBLEM_LINE = re.compile(r"^\S+:\d+: \S")

# What benchmarks/fuzz.py prints: examples run per property, outcomes, distinct crashes.
STATS: dict = {"examples": Counter(), "outcomes": Counter(), "tracebacks": {}}


def check(files: dict[str, str | bytes], prop: str) -> str:
    """Load and render the catalog; 'ok' or 'refused'. Any other exception is a found crash."""
    STATS["examples"][prop] += 1
    try:
        with tempfile.TemporaryDirectory() as tmp:
            root = write_catalog(Path(tmp) / "catalog", files)
            try:
                catalog = load_catalog(root)
            except CatalogError as exc:
                _assert_problem_lines(exc.problems)
                outcome = "refused"
            else:
                _assert_problem_lines(catalog.warnings, allow_empty=True)
                render(catalog, today=TODAY)
                outcome = "ok"
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        key = f"{type(exc).__name__} at {Path(frame.filename).name}:{frame.lineno}"
        STATS["tracebacks"].setdefault(key, "".join(traceback.format_exception(exc))[-3000:])
        raise
    STATS["outcomes"][outcome] += 1
    return outcome


def _assert_problem_lines(problems, allow_empty: bool = False) -> None:
    assert problems or allow_empty, "CatalogError without a problem"
    for problem in problems:
        text = str(problem)
        assert PROBLEM_LINE.match(text), f"not a path:line: message: {text!r}"
        assert len(text.splitlines()) == 1, f"one problem must be one line: {text!r}"


def teardown_module(module):
    out = os.environ.get("FUZZ_STATS")
    if out:
        Path(out).write_text(json.dumps(STATS, indent=2))


# --- values that do not belong ---------------------------------------------------------------

_HOSTILE_TEXT = ["", " ", "\t", "~", "null", "yes", "0x1F", "1e400", ".nan", "2026-02-30", "9999-12-31",
                 "0001-01-01", "{user}", "{nope}", "{{ x }}", "{% raw %}", "<script>alert(1)</script>",
                 "```", "---\ntitle: x\n---", "#", "*", "|a|b|", "\x85", "\u2028", "\ufeff", "é" * 3,
                 "a\nb", "  lead and trail  ", "javascript:alert(1)", "https://", "https://x/ y", "..",
                 "cases", "Cases!", "at a glance", "index", "\\", "'", '"']

huge_text = st.builds(lambda ch, n: ch * n, st.sampled_from(["a", "{", "`", "\n", "é", "<b>", "a "]),
                      st.integers(400, 30_000))

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(), st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=40), st.sampled_from(_HOSTILE_TEXT),
    st.dates(), huge_text, st.binary(max_size=20),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.one_of(st.text(max_size=12), st.integers(), st.booleans()),
                                            inner, max_size=4)),
    max_leaves=12,
)


# --- structural mutations ---------------------------------------------------------------------

def _paths(node, here=()):
    yield here
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, here + (key,))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from _paths(value, here + (i,))


def _get(node, path):
    for part in path:
        node = node[part]
    return node


def _set(tree, path, value):
    if not path:
        return value
    _get(tree, path[:-1])[path[-1]] = value
    return tree


def mutate_tree(tree, data):
    paths = list(_paths(tree))
    path = data.draw(st.sampled_from(paths), label="path")
    node = _get(tree, path)
    parent = _get(tree, path[:-1]) if path else None
    op = data.draw(st.sampled_from(["drop", "retype", "retype", "duplicate", "truncate", "rename", "nest"]),
                   label="op")
    if op == "drop" and path:
        del parent[path[-1]]
        return tree
    if op == "duplicate":
        if isinstance(node, list) and node:
            node.append(copy.deepcopy(node[data.draw(st.integers(0, len(node) - 1))]))
            return tree
        if isinstance(parent, list):
            parent.insert(path[-1], copy.deepcopy(node))
            return tree
        if isinstance(parent, dict) and isinstance(path[-1], str):
            parent[path[-1].upper() if path[-1] != path[-1].upper() else path[-1] + "_"] = copy.deepcopy(node)
            return tree
    if op == "truncate":
        if isinstance(node, str):
            return _set(tree, path, node[: data.draw(st.integers(0, len(node)))])
        if isinstance(node, list):
            return _set(tree, path, node[: data.draw(st.integers(0, len(node)))])
        if isinstance(node, dict):
            keep = data.draw(st.integers(0, len(node)))
            return _set(tree, path, dict(list(node.items())[:keep]))
    if op == "rename" and isinstance(parent, dict):
        new = data.draw(st.one_of(st.text(max_size=15), st.sampled_from(_HOSTILE_TEXT), st.integers()), label="key")
        parent[new] = parent.pop(path[-1])
        return tree
    if op == "nest":
        depth = data.draw(st.integers(1, 60), label="depth")
        for _ in range(depth):
            node = [node] if data.draw(st.booleans()) else {"x": node}
        return _set(tree, path, node)
    return _set(tree, path, data.draw(values, label="value"))


def _load_plain(text: str):
    # The generator reads dates as text; keep them text here so dumping round-trips them.
    class Plain(yaml.SafeLoader):
        pass
    Plain.yaml_implicit_resolvers = {
        k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
        for k, v in yaml.SafeLoader.yaml_implicit_resolvers.items()}
    return yaml.load(text, Loader=Plain)


PARSED = {name: _load_plain(text) for name, text in BASE.items()}


@settings(PROFILE)
@given(st.data())
def test_structural_mutations_never_crash(data):
    name = data.draw(st.sampled_from(sorted(BASE)), label="file")
    tree = copy.deepcopy(PARSED[name])
    for _ in range(data.draw(st.integers(1, 4), label="mutations")):
        tree = mutate_tree(tree, data)
    text = yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)
    check({**BASE, name: text}, "structural")


@settings(PROFILE)
@given(st.data())
def test_strange_text_in_valid_places_never_crashes(data):
    """Strings swapped for other strings: the catalog mostly stays valid, so render sees the text."""
    name = data.draw(st.sampled_from(sorted(BASE)), label="file")
    tree = copy.deepcopy(PARSED[name])
    leaves = [p for p in _paths(tree) if p and isinstance(_get(tree, p), str)]
    for path in data.draw(st.lists(st.sampled_from(leaves), min_size=1, max_size=5), label="paths"):
        text = data.draw(st.one_of(st.text(min_size=1, max_size=80), st.sampled_from(_HOSTILE_TEXT),
                                   huge_text, st.text(alphabet="{}`*_[]()#<>|\\!-\n\t ", min_size=1)), label="text")
        tree = _set(tree, path, text)
    check({**BASE, name: yaml.safe_dump(tree, allow_unicode=True, sort_keys=False)}, "strange text")


# --- text-level mutations ---------------------------------------------------------------------

def _lines(raw: bytes) -> list[bytes]:
    return raw.split(b"\n")


BOMB = (b"a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        b"c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        b"e: [*d, *d, *d, *d, *d, *d, *d, *d, *d]\n")


def mutate_text(raw: bytes, data) -> bytes:
    op = data.draw(st.sampled_from([
        "truncate", "insert_bytes", "replace_byte", "delete_line", "duplicate_line", "tab_indent",
        "insert_text", "line_endings", "bom", "alias_bomb", "anchor_alias", "merge_key", "deep_flow",
        "deep_block", "huge_value", "too_big", "latin1", "utf16", "tag", "two_documents", "control_char",
    ]), label="op")
    lines = _lines(raw)
    at = data.draw(st.integers(0, max(len(lines) - 1, 0)), label="line")
    pos = data.draw(st.integers(0, len(raw)), label="pos")
    if op == "truncate":
        return raw[:pos]
    if op == "insert_bytes":
        return raw[:pos] + data.draw(st.binary(min_size=1, max_size=16)) + raw[pos:]
    if op == "replace_byte" and raw:
        i = min(pos, len(raw) - 1)
        return raw[:i] + bytes([data.draw(st.integers(0, 255))]) + raw[i + 1:]
    if op == "delete_line":
        return b"\n".join(lines[:at] + lines[at + 1:])
    if op == "duplicate_line":
        return b"\n".join(lines[: at + 1] + [lines[at]] + lines[at + 1:])
    if op == "tab_indent":
        stripped = lines[at].lstrip(b" ")
        lines[at] = b"\t" * data.draw(st.integers(1, 3)) + stripped
        return b"\n".join(lines)
    if op == "insert_text":
        new = data.draw(st.one_of(st.text(max_size=60), st.sampled_from(_HOSTILE_TEXT)))
        return b"\n".join(lines[:at] + [new.encode("utf-8")] + lines[at:])
    if op == "line_endings":
        return raw.replace(b"\n", data.draw(st.sampled_from([b"\r\n", b"\r", b"\x85", b"\n\n"])))
    if op == "bom":
        return data.draw(st.sampled_from([b"\xef\xbb\xbf", b"\xff\xfe", b"\x00"])) + raw
    if op == "alias_bomb":
        return BOMB + raw if data.draw(st.booleans()) else raw + b"\n" + BOMB
    if op == "anchor_alias":
        return raw + b"\nscenario: &s text\nif_it_changes: *s\n"
    if op == "merge_key":
        return b"base: &b {title: x}\n<<: *b\n" + raw
    if op == "deep_flow":
        n = data.draw(st.integers(30, 5000))
        return raw + b"\nscenario: " + b"[" * n + b"]" * n + b"\n"
    if op == "deep_block":
        n = data.draw(st.integers(30, 300))
        return raw + b"\n" + b"".join(b"  " * i + b"k%d:\n" % i for i in range(n)) + b"  " * n + b"v\n"
    if op == "huge_value":
        size = data.draw(st.integers(20_001, 900_000))
        return b"\n".join(lines[:at] + lines[at + 1:]) + b"\nscenario: " + b"a" * size + b"\n"
    if op == "too_big":
        return raw + b"\n# " + b"x" * 1_000_001 + b"\n"
    if op == "latin1":
        return raw[:pos] + "été".encode("latin-1") + raw[pos:]
    if op == "utf16":
        return raw.decode("utf-8", "replace").encode("utf-16")
    if op == "tag":
        tag = data.draw(st.sampled_from([
            b"!!python/object/apply:os.system ['echo pwned']", b"!!python/name:os.system", b"!!binary aGVsbG8=",
            b"!!set {a, b}", b"!!omap [a: 1]", b"!!timestamp 2026-01-01", b"!custom x", b"!!float nan",
            b"!!int 99999999999999999999999999", b"!!str 1", b"!!map {}", b"!!seq []", b"!!null ''"]))
        key = data.draw(st.sampled_from([b"scenario", b"title", b"owner", b"last_reviewed", b"cases", b"x"]))
        return raw + b"\n" + key + b": " + tag + b"\n"
    if op == "two_documents":
        return raw + b"\n---\n" + raw
    if op == "control_char":
        return raw[:pos] + data.draw(st.sampled_from([b"\x00", b"\x07", b"\x1b", b"\x7f", b"\xc2\x80"])) + raw[pos:]
    return raw


@settings(PROFILE)
@given(st.data())
def test_text_mutations_never_crash(data):
    name = data.draw(st.sampled_from(sorted(BASE)), label="file")
    raw = BASE[name].encode("utf-8")
    for _ in range(data.draw(st.integers(1, 3), label="mutations")):
        raw = mutate_text(raw, data)
    check({**BASE, name: raw}, "text")


@settings(PROFILE)
@given(st.sampled_from(sorted(BASE)), st.one_of(st.binary(max_size=300), st.text(max_size=300).map(str.encode),
                                                values.map(lambda v: yaml.safe_dump(v).encode())))
def test_random_files_never_crash(name, raw):
    check({**BASE, name: raw}, "random file")


@settings(PROFILE)
@given(st.data())
def test_extra_files_never_crash(data):
    """A whole new file dropped into any folder: a mutated copy of an existing one under a new name."""
    source = data.draw(st.sampled_from(sorted(n for n in BASE if "/" in n)), label="copy of")
    folder = source.rsplit("/", 1)[0]
    stem = data.draw(st.one_of(st.sampled_from(["test_only_code", "TEST_FULL_CODE", "index", "a-b", "-x", "x.y"]),
                               st.text(alphabet="abc_-.", min_size=1, max_size=8)), label="stem")
    tree = copy.deepcopy(PARSED[source])
    for _ in range(data.draw(st.integers(0, 2))):
        tree = mutate_tree(tree, data)
    check({**BASE, f"{folder}/{stem}.yaml": yaml.safe_dump(tree, allow_unicode=True)}, "extra file")


# --- fixed hostile shapes (always run, named) -------------------------------------------------

FIXED = {
    "billion laughs": BOMB,
    "python object tag": b"code: !!python/object/apply:os.system ['echo pwned']\n",
    "10000-deep flow": b"code: " + b"[" * 10_000 + b"]" * 10_000 + b"\n",
    "2 MB file": b"code: X\nsummary: " + b"a" * 2_000_000 + b"\n",
    "utf-16 file": "code: X\n".encode("utf-16"),
    "nul bytes": b"code: X\x00\n",
    "tabs": b"code: X\ncases:\n\t- description: y\n",
    "only a comment": b"# nothing\n",
    "empty": b"",
    "list at the top": b"- a\n- b\n",
    "scalar at the top": b"just text\n",
    "complex key": b"? [a, b]\n: c\n",
    "mapping key": b"{a: 1}: b\n",
    "last_reviewed far future": (BASE["errors/test_full_code.yaml"].replace("last_reviewed: 2026-01-01",
                                                                             "last_reviewed: 9999-12-31")).encode(),
    "last_reviewed year 1": (BASE["errors/test_full_code.yaml"].replace("last_reviewed: 2026-01-01",
                                                                         "last_reviewed: 0001-01-01")).encode(),
}


@pytest.mark.parametrize("name", FIXED)
def test_fixed_hostile_error_files(name):
    check({**BASE, "errors/test_full_code.yaml": FIXED[name]}, "fixed")


@pytest.mark.parametrize("shape", ["no tables", "errors is a file", "entry is a folder", "empty errors",
                                   "table is a folder", "catalog is missing"])
def test_broken_folder_shapes(shape, tmp_path):
    files = dict(BASE)
    if shape == "no tables":
        files = {k: v for k, v in files.items() if "/" in k}
    root = write_catalog(tmp_path / "catalog", files)
    if shape == "errors is a file":
        for f in (root / "errors").iterdir():
            f.unlink()
        (root / "errors").rmdir()
        (root / "errors").write_text("code: X\n")
    elif shape == "entry is a folder":
        (root / "errors" / "folder.yaml").mkdir()
    elif shape == "empty errors":
        for f in (root / "errors").iterdir():
            f.unlink()
    elif shape == "table is a folder":
        (root / "flows.yaml").unlink()
        (root / "flows.yaml").mkdir()
    elif shape == "catalog is missing":
        root = tmp_path / "nowhere"
    with pytest.raises(CatalogError) as info:
        load_catalog(root)
    _assert_problem_lines(info.value.problems)


def test_base_catalog_is_valid():
    """The mutations start from a catalog that builds; otherwise every example is just 'refused'."""
    assert check(BASE, "base") == "ok"


# --- the command line: no traceback on any path -----------------------------------------------

def test_yaml_is_only_loaded_safely():
    """yaml.load only with safe loaders; no unsafe or full loader anywhere in generator/."""
    import importlib
    unsafe = []
    for path in sorted((ROOT / "generator").rglob("*.py")):
        text = path.read_text()
        unsafe += [f"{path.name}: {m}" for m in re.findall(
            r"yaml\.(?:unsafe_load\w*|full_load\w*|UnsafeLoader|FullLoader|CUnsafeLoader|CFullLoader|Loader|CLoader)\b", text)]
        unsafe += [f"{path.name}: {call}" for call in re.findall(r"yaml\.load(?:_all)?\([^)]*\)", text)
                   if "Loader=" not in call]
        if path.stem == "__main__" or path.name == "mkdocs_hook.py":
            continue
        parts = path.relative_to(ROOT).with_suffix("").parts
        module = importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
        for name, value in vars(module).items():
            if isinstance(value, type) and issubclass(value, yaml.constructor.BaseConstructor) and not (
                    issubclass(value, yaml.constructor.SafeConstructor)
                    and not issubclass(value, yaml.constructor.FullConstructor)):
                unsafe.append(f"{path.name}: {name} is not a safe loader")
    assert not unsafe, unsafe


CLI_CASES = {
    "validate, catalog missing": (["validate"], "nowhere", None),
    "validate, garbage entry": (["validate"], "garbage", None),
    "validate, catalog is a file": (["validate"], "file", None),
    "generate, garbage entry": (["generate"], "garbage", None),
    "resolve, binary stdin": (["resolve", "-"], None, b"\xff\xfe\x00invalid_grant\x80"),
    "resolve, huge stdin": (["resolve", "-"], None, b"invalid_grant " * 80_000),
    "resolve, garbage entry": (["resolve", "invalid_grant"], "garbage", None),
    "check-links, binary file": (["check-links", "{binary}"], None, None),
    "check-links, a folder": (["check-links", "{folder}"], None, None),
    "check-links, missing file": (["check-links", "{folder}/missing.yaml"], None, None),
    "unknown command": (["frobnicate"], None, None),
    "no command": ([], None, None),
}


@pytest.mark.parametrize("name", CLI_CASES)
def test_cli_never_prints_a_traceback(name, tmp_path):
    import subprocess
    import sys
    args, catalog, stdin = CLI_CASES[name]
    (tmp_path / "binary.yaml").write_bytes(b"\xff\xfe\x00\x80 groups:\n\t- x")
    args = [a.format(binary=tmp_path / "binary.yaml", folder=tmp_path) for a in args]
    env = {**os.environ}
    if catalog == "nowhere":
        env["RUNBOOKS_CATALOG"] = str(tmp_path / "nowhere")
    elif catalog == "file":
        env["RUNBOOKS_CATALOG"] = str(tmp_path / "binary.yaml")
    elif catalog == "garbage":
        root = write_catalog(tmp_path / "catalog", {**BASE, "errors/test_full_code.yaml": b"\x00\xff{[: x\n\t- y"})
        env["RUNBOOKS_CATALOG"] = str(root)
    proc = subprocess.run([sys.executable, "-m", "generator", *args], cwd=ROOT, env=env, input=stdin,
                          capture_output=True, timeout=120)
    stderr = proc.stderr.decode("utf-8", "replace")
    assert "Traceback" not in stderr, stderr
    assert proc.returncode in (0, 1, 2), (proc.returncode, stderr)
    if catalog in ("nowhere", "garbage", "file"):
        assert proc.returncode == 1, stderr
        problems = [line for line in stderr.splitlines() if PROBLEM_LINE.match(line)]
        assert problems, stderr
