"""Packaging: pyproject.toml, requirements/*.in and the hashed lock requirements/*.txt agree, every
locked package carries hashes, and the version in pyproject.toml has its CHANGELOG.md entry."""
from __future__ import annotations

import re
import tomllib

import pytest
from conftest import ROOT
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

REQ = ROOT / "requirements"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
FIX = "edit pyproject.toml and requirements/*.in to say the same, then run `python3 dev.py lock`"


def logical_lines(text: str) -> list[str]:
    """A requirements file's entries: comments dropped, backslash continuations joined."""
    text = re.sub(r"\\\n", " ", text)
    return [line.split(" #")[0].strip() for line in text.splitlines()
            if line.strip() and not line.lstrip().startswith("#")]


def in_file(name: str) -> tuple[dict[str, Requirement], list[str]]:
    """{canonical name: requirement} and the -r/-c option lines of requirements/<name>.in."""
    reqs, options = {}, []
    for line in logical_lines((REQ / f"{name}.in").read_text(encoding="utf-8")):
        if line.startswith("-"):
            options.append(line)
            continue
        req = Requirement(line)
        reqs[canonicalize_name(req.name)] = req
    return reqs, options


def lock(text: str) -> dict[str, tuple[str, list[str]]]:
    """{canonical name: (version, [hashes])} of a pip-compile lock; refuses what is not name==version."""
    pins = {}
    for line in logical_lines(text):
        if line.startswith("--") and not line.startswith("--hash"):
            continue  # a global option such as --index-url
        m = re.fullmatch(r"([A-Za-z0-9][A-Za-z0-9._-]*)==(\S+?)(\s*;[^-]*)?((?:\s+--hash=\S+)*)", line)
        assert m, f"not a pinned requirement: {line!r}; {FIX}"
        pins[canonicalize_name(m.group(1))] = (m.group(2), re.findall(r"--hash=(\S+)", m.group(4)))
    return pins


def spec(req: Requirement) -> tuple[str, str, str]:
    return canonicalize_name(req.name), str(req.specifier), str(req.marker or "")


LOCKS = {name: lock((REQ / f"{name}.txt").read_text(encoding="utf-8")) for name in ("runtime", "test")}


@pytest.mark.parametrize("name", ["runtime", "test"])
def test_every_locked_package_is_pinned_with_sha256_hashes(name):
    pins = LOCKS[name]
    assert pins, f"requirements/{name}.txt is empty"
    unhashed = [p for p, (_, hashes) in pins.items() if not hashes]
    assert not unhashed, f"requirements/{name}.txt: no --hash for {unhashed}; run `python3 dev.py lock` (pip-compile --generate-hashes)"
    weak = [p for p, (_, hashes) in pins.items() if not all(h.startswith("sha256:") for h in hashes)]
    assert not weak, f"requirements/{name}.txt: hashes other than sha256 for {weak}"


def test_a_lock_without_hashes_is_refused():
    """The check above really looks: a pin without hashes, or an unpinned line, fails it."""
    pins = lock("mkdocs==1.6.1 \\\n    --hash=sha256:abc\njinja2==3.1.6\n    # via mkdocs\n")
    assert pins["jinja2"] == ("3.1.6", []) and pins["mkdocs"] == ("1.6.1", ["sha256:abc"])
    with pytest.raises(AssertionError, match="not a pinned requirement"):
        lock("mkdocs>=1.6\n")


def test_pyproject_dependencies_and_the_in_files_say_the_same():
    runtime, _ = in_file("runtime")
    test, options = in_file("test")
    project = PYPROJECT["project"]
    assert sorted(map(spec, map(Requirement, project["dependencies"]))) == sorted(map(spec, runtime.values())), \
        f"[project] dependencies and requirements/runtime.in differ; {FIX}"
    assert sorted(map(spec, map(Requirement, project["optional-dependencies"]["test"]))) == \
        sorted(map(spec, test.values())), f"[project.optional-dependencies] test and requirements/test.in differ; {FIX}"
    assert "-r runtime.in" in options and "-c runtime.txt" in options, options
    assert not runtime.keys() & test.keys(), "a test dependency repeats a runtime one"


def test_the_lock_satisfies_the_in_files():
    """A dependency added to or changed in a .in file without `dev.py lock` fails here."""
    runtime, _ = in_file("runtime")
    test, _ = in_file("test")
    for name, wanted in (("runtime", runtime), ("test", {**runtime, **test})):
        pins = LOCKS[name]
        for pkg, req in wanted.items():
            assert pkg in pins, f"requirements/{name}.txt lacks {req}; run `python3 dev.py lock`"
            assert req.specifier.contains(pins[pkg][0], prereleases=True), \
                f"requirements/{name}.txt pins {pkg}=={pins[pkg][0]}, outside {req}; run `python3 dev.py lock`"


def test_the_test_lock_holds_the_runtime_lock_at_the_same_versions():
    runtime, test = LOCKS["runtime"], LOCKS["test"]
    differ = {p: (v, test.get(p, (None,))[0]) for p, (v, _) in runtime.items() if test.get(p, (None,))[0] != v}
    assert not differ, f"runtime.txt vs test.txt: {differ}; run `python3 dev.py lock`"
    test_only = set(test) - set(runtime)
    assert {"pytest", "playwright"} <= test_only, "the deploy lock must not carry the test tools"
    assert not {"pytest", "playwright", "hypothesis", "beautifulsoup4"} & set(runtime)


def test_project_metadata():
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0" and (ROOT / "LICENSE").is_file()
    assert "Apache License" in (ROOT / "LICENSE").read_text(encoding="utf-8")[:200]
    assert project["requires-python"] == ">=3.11"
    assert (ROOT / project["readme"]).is_file()
    assert re.fullmatch(r"\d+\.\d+\.\d+", project["version"])


def test_the_version_has_a_changelog_entry():
    """A release bumps pyproject's version and moves Unreleased under a `## [X.Y.Z] - date` heading."""
    text = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\]", text, re.MULTILINE)
    assert headings and headings[0] == "Unreleased", headings
    released = [h for h in headings if h != "Unreleased"]
    assert released and released[0] == PYPROJECT["project"]["version"], \
        f"newest CHANGELOG.md release {released[:1]} != pyproject version {PYPROJECT['project']['version']}"
    assert re.search(rf"^## \[{re.escape(released[0])}\] - \d{{4}}-\d{{2}}-\d{{2}}$", text, re.MULTILINE)
    assert f"[{released[0]}]: " in text, "the version's compare/tag link at the bottom"
