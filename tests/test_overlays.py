"""Company overlays in catalog/local/errors/: upstream first, additions after and marked, mistakes with file:line."""
from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from conftest import FIXTURES, run_generator
from test_integrations import INVENTORY, line_of, to_html, write_inventory

from generator.catalog import load_catalog
from generator.site import render

TODAY = dt.date(2026, 6, 1)
MINIMAL = (FIXTURES / "minimal_error.yaml").read_text()

OVERLAY = """\
extends: TEST_ONLY_CODE
notes:
  - title: Our SSO
    body: Integration users never sign in through <b>Okta</b>; **this** stays literal.
contacts:
  - name: Salesforce admins
    how: "Slack #sf-admins"
    when: for any change in Setup
steps:
  - "Post in #sf-incidents before touching {app}."
cases:
  - anchor: first-test-case
    notes:
      - title: Rotation
        body: Passwords rotate on the first Monday of each quarter.
    steps:
      - Ask the Identity team to unlock {user}.
    contacts:
      - name: Identity team
        how: "PagerDuty: identity"
"""

LOCAL_ENTRY = (MINIMAL.replace("TEST_ONLY_CODE", "ACME_GATEWAY_DENIED")
               .replace("first test case", "caller not on the allow list").replace("first test variant", "gateway denied")
               .replace("second test case", "gateway rate limit"))


def local_catalog(make_catalog, files: dict[str, str]) -> Path:
    root = make_catalog()
    folder = root / "local" / "errors"
    folder.mkdir(parents=True)
    for name, text in files.items():
        (folder / name).write_text(text)
    return root


def pages(root: Path) -> dict[str, str]:
    return render(load_catalog(root), today=TODAY)


def test_overlay_additions_follow_upstream_text_and_are_marked(make_catalog):
    page = pages(local_catalog(make_catalog, {"test_only_code.yaml": OVERLAY}))["errors/test_only_code.md"]
    html = to_html(page)
    boxes = html.select("div.admonition.local")
    assert [b.select_one(".admonition-title").get_text() for b in boxes] == ["Your company", "Your company"]
    entry_box, case_box = boxes
    # Entry-level box: notes, steps (generic placeholders), contacts, and the file it comes from.
    assert "Our SSO" in entry_box.get_text() and "Salesforce admins" in entry_box.get_text()
    assert "Post in #sf-incidents before touching the connected app." in entry_box.get_text()
    assert "local/errors/test_only_code.yaml" in entry_box.get_text()
    # Case box comes after the upstream steps of that case, never before or instead of them.
    upstream_step = html.find(id="first-test-case-fix").find_next("ol")
    assert upstream_step.li.get_text() == "Check the integration user in Login History."
    assert case_box.find_previous("ol") is upstream_step
    assert "Ask the Identity team to unlock the integration user." in case_box.get_text()
    assert "Identity team" in case_box.get_text() and "Rotation" in case_box.get_text()
    # Only the named case gets the case box.
    second = html.find(id="second-test-case")
    assert not second.find_all_next("div", class_="local")


def test_overlay_text_is_escaped_like_all_catalog_text(make_catalog):
    html = to_html(pages(local_catalog(make_catalog, {"test_only_code.yaml": OVERLAY}))["errors/test_only_code.md"])
    box = html.select_one("div.admonition.local")
    assert box.find("b") is None and "<b>Okta</b>" in box.get_text()
    assert "**this** stays literal" in box.get_text()


def test_overlay_steps_carry_integration_values_on_integration_pages(make_catalog):
    root = local_catalog(make_catalog, {"test_only_code.yaml": OVERLAY})
    write_inventory(root, INVENTORY)
    html = to_html(pages(root)["integrations/acme-erp.md"])
    box = html.find(id="test-only-code-first-test-case").find_next("div", class_="local")
    assert "Ask the Identity team to unlock erp.sync@acme.example." in box.get_text()
    assert box.find("strong", string="erp.sync@acme.example") is not None


def test_upstream_page_without_overlay_has_no_company_boxes(make_catalog):
    html = to_html(pages(make_catalog())["errors/test_only_code.md"])
    assert html.select("div.admonition.local") == []


def test_local_full_entry_gets_its_own_page_marked_as_the_companys(make_catalog):
    root = local_catalog(make_catalog, {"acme_gateway_denied.yaml": LOCAL_ENTRY})
    files = pages(root)
    html = to_html(files["errors/acme_gateway_denied.md"])
    box = html.select_one("div.admonition.local")
    assert box.select_one(".admonition-title").get_text() == "Your company's entry"
    assert html.find(id="caller-not-on-the-allow-list") is not None
    assert "acme_gateway_denied.md" in files["errors/index.md"]
    assert "errors/test_only_code.md" in files  # upstream entries stay


BAD = {
    "overlay for an unknown code": (
        {"not_a_code.yaml": OVERLAY.replace("extends: TEST_ONLY_CODE", "extends: NOT_A_CODE")},
        "not_a_code.yaml", "extends: NOT_A_CODE", "extends: no upstream entry has the code 'NOT_A_CODE'"),
    "overlay for an unknown anchor": (
        {"test_only_code.yaml": OVERLAY.replace("anchor: first-test-case", "anchor: frist-test-case")},
        "test_only_code.yaml", "anchor: frist-test-case", "cases[0].anchor: TEST_ONLY_CODE has no case #frist-test-case"),
    "overlay with a typo'd key": (
        {"test_only_code.yaml": OVERLAY.replace("contacts:\n  - name: Salesforce", "contcts:\n  - name: Salesforce")},
        "test_only_code.yaml", "contcts:", "contcts: unknown field"),
    "overlay with a typo'd extends": (
        {"test_only_code.yaml": OVERLAY.replace("extends:", "extend:")},
        "test_only_code.yaml", "extend:", "extend: unknown field"),
    "overlay file named after another code": (
        {"other.yaml": OVERLAY}, "other.yaml", "extends:", "rename the file to test_only_code.yaml"),
    "overlay step with an unknown placeholder": (
        {"test_only_code.yaml": OVERLAY.replace("unlock {user}", "unlock {usr}")},
        "test_only_code.yaml", "unlock {usr}", "unknown placeholder {usr}"),
    "local entry reusing an upstream code": (
        {"test_only_code.yaml": MINIMAL}, "test_only_code.yaml", "code: TEST_ONLY_CODE",
        "code: TEST_ONLY_CODE is an upstream entry"),
    "local entry with a bad flow": (
        {"acme_gateway_denied.yaml": LOCAL_ENTRY.replace("flows: [jwt_bearer]", "flows: [jwt]")},
        "acme_gateway_denied.yaml", "flows: [jwt]", "unknown flow 'jwt'"),
}


@pytest.mark.parametrize("name", BAD)
def test_overlay_mistakes_fail_validate_with_file_and_line(make_catalog, name):
    files, shown, needle, expected = BAD[name]
    root = local_catalog(make_catalog, files)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if expected in line]
    assert lines, f"expected {expected!r} in:\n{proc.stderr}"
    text = next(iter(files.values()))
    assert re.match(rf"^\S*local/errors/{re.escape(shown)}:{line_of(text, needle)}: ", lines[0]), lines[0]


def test_overlay_on_a_renamed_case_keeps_working_with_a_warning(make_catalog):
    renamed = MINIMAL.replace("description: first test case",
                              "description: first test case, reworded\n    moved_from: [first test case]")
    root = make_catalog({"test_only_code.yaml": renamed})
    (root / "local" / "errors").mkdir(parents=True)
    (root / "local" / "errors" / "test_only_code.yaml").write_text(OVERLAY)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 0, proc.stderr
    assert "warning: cases[0].anchor: #first-test-case was renamed upstream to #first-test-case-reworded" in proc.stderr
    html = to_html(pages(root)["errors/test_only_code.md"])
    box = html.find(id="first-test-case-reworded").find_next("div", class_="local")
    assert "Ask the Identity team" in box.get_text()


def test_overlay_adds_beside_the_upstream_entry_without_changing_it(make_catalog):
    # Resolver, checklists and search read the upstream entry: the overlay must not leak into it.
    catalog = load_catalog(local_catalog(make_catalog, {"test_only_code.yaml": OVERLAY}))
    case = catalog.error("TEST_ONLY_CODE").cases[0]
    assert [s.text for s in case.steps] == ["Check {user} in Login History."]
    assert [s.text for s in catalog.overlays["test_only_code"].case(case.anchor).steps] == ["Ask the Identity team to unlock {user}."]
    assert catalog.local_codes == frozenset()


def test_overlay_template_fits_the_schema_and_the_real_catalog(catalog):
    from conftest import ROOT

    from generator.catalog import yaml_source
    from generator.catalog.overlays import Overlay

    doc, problems = yaml_source.load(ROOT / "catalog" / "_templates" / "overlay.yaml")
    assert problems == []
    overlay = Overlay.model_validate(doc.data)
    anchors = {case.anchor for case in catalog.error(overlay.extends).cases}
    assert {extra.anchor for extra in overlay.cases} <= anchors
