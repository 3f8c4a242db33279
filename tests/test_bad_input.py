"""Every class of bad input gets file:line: field: message; fix, exit 1, and leaves docs/ alone."""
from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, run_generator

GOOD = (FIXTURES / "minimal_error.yaml").read_text()


def mutate(old: str, new: str) -> str:
    assert old in GOOD, old
    return GOOD.replace(old, new, 1)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


CASES = {
    "yaml syntax error": (mutate("title: A code", "title: A: code"), "title: A: code", "YAML syntax error"),
    "duplicate key": (mutate("category: oauth\n", "category: oauth\ncategory: login\n"), "category: login", "duplicate key"),
    "missing required field": (mutate("checking: Nothing; this entry is a fixture.\n", ""), None, "checking: required field is missing"),
    "wrong type": (mutate("admin_needed: false", "admin_needed: sometimes"), "admin_needed: sometimes", "admin_needed: expected true or false"),
    "unknown field": (mutate("owner: tests", "owner: tests\nonwer: typo"), "onwer: typo", "onwer: unknown field"),
    "unknown flow": (mutate("flows: [jwt_bearer]", "flows: [jwt_bearers]"), "flows: [jwt_bearers]", "unknown flow 'jwt_bearers'"),
    "unknown setup path": (mutate("setup_paths: [login_history]", "setup_paths: [login_histroy]"), "setup_paths: [login_histroy]", "unknown Setup path"),
    "unknown related code": (mutate("owner: tests", "related:\n  - code: NOT_A_CODE\n    why: test\nowner: tests"), "code: NOT_A_CODE", "no entry has the code 'NOT_A_CODE'"),
    "no fix step": (mutate('steps: ["Check {user} in Login History."]', "steps: []"), "steps: []", "needs at least 1 item"),
    "no source": (mutate("sources: [https://example.com/source]\n    flows: [jwt_bearer]", "sources: []\n    flows: [jwt_bearer]"), "sources: []", "needs at least 1 item"),
    "duplicate anchor": (mutate("description: second test case", "description: First test case!"), "description: First test case!", "anchor #first-test-case"),
    "unknown placeholder": (mutate("Check {user} in", "Check {usr} in"), "Check {usr} in", "unknown placeholder {usr}"),
    "non-https source": (mutate("sources: [https://example.com/source]\n    flows: [jwt", "sources: [javascript:alert(1)]\n    flows: [jwt"), "javascript:alert(1)", "https://"),
    "yaml alias": (mutate("meaning: The first test case.", "meaning: &m The first test case.") .replace("meaning: The second test case.", "meaning: *m"), "meaning: *m", "aliases (*name) are not allowed"),
    "not utf-8": (None, None, "not valid UTF-8"),
}


@pytest.mark.parametrize("name", CASES)
def test_bad_input_is_reported_with_file_and_line(name, make_catalog):
    text, needle, expected = CASES[name]
    root = make_catalog({})
    target = root / "errors" / "test_only_code.yaml"
    if text is None:
        target.write_bytes(GOOD.encode() + b"\nnotes: \xff\xfe\n")
    else:
        target.write_text(text)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if expected in line]
    assert lines, f"expected a line containing {expected!r}, got:\n{proc.stderr}"
    assert re.match(r"^\S*test_only_code\.yaml:\d+: ", lines[0]), lines[0]
    if needle is not None:
        assert f"test_only_code.yaml:{line_of(text, needle)}:" in lines[0], lines[0]


def test_duplicate_code_across_files(make_catalog):
    root = make_catalog({"test_only_code.yaml": GOOD, "other.yaml": GOOD})
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1
    assert "other.yaml:" in proc.stderr and "rename the file to test_only_code.yaml" in proc.stderr


def test_related_must_link_back(make_catalog):
    second = GOOD.replace("TEST_ONLY_CODE", "TEST_OTHER_CODE")
    first = GOOD.replace("owner: tests", "related:\n  - code: TEST_OTHER_CODE\n    why: test\nowner: tests")
    root = make_catalog({"test_only_code.yaml": first, "test_other_code.yaml": second})
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1
    assert "TEST_OTHER_CODE does not link back; add TEST_ONLY_CODE to related in" in proc.stderr


def _tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file():
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
    return h.hexdigest()




def test_a_case_anchor_that_is_another_cases_section_id_is_refused(make_catalog):
    """A case "first test case fix" would take the id of case one's "How to fix it" heading, and alert
    links to it would land on the wrong case."""
    text = (FIXTURES / "minimal_error.yaml").read_text().replace(
        "  - description: second test case", "  - description: first test case fix")
    proc = run_generator("validate", catalog_dir=make_catalog({"test_only_code.yaml": text}))
    assert proc.returncode == 1
    line = next(i for i, t in enumerate(text.splitlines(), 1) if "first test case fix" in t)
    assert f"test_only_code.yaml:{line}: cases[1].description: anchor #first-test-case-fix is already a section " \
           "id of cases[0]" in proc.stderr, proc.stderr


def test_a_case_anchor_that_is_a_section_id_is_refused(make_catalog):
    text = (FIXTURES / "minimal_error.yaml").read_text().replace(
        "  - description: second test case", "  - description: Where it shows up")
    proc = run_generator("validate", catalog_dir=make_catalog({"test_only_code.yaml": text}))
    assert proc.returncode == 1
    assert "cases[1].description: anchor #where-it-shows-up is already a section of every error page" \
        in proc.stderr, proc.stderr
