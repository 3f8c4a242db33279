"""The renderer is pure and treats catalog text as text."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from generator.catalog import load_catalog
from generator.site import render
from generator.site.markdown import fence, inline
from generator.urls import anchor_for

FIXTURES = Path(__file__).parent / "fixtures"

MD = markdown.Markdown(extensions=["tables", "attr_list", "admonition", "pymdownx.superfences"])


def html(text: str) -> str:
    MD.reset()
    return MD.convert(text)


def test_anchor_contract_examples():
    assert anchor_for("expired access/refresh token") == "expired-access-refresh-token"
    assert anchor_for("user hasn't approved this consumer") == "user-hasnt-approved-this-consumer"
    assert anchor_for("user hasn’t approved this consumer") == "user-hasnt-approved-this-consumer"
    assert anchor_for("  IP restricted or invalid login hours ") == "ip-restricted-or-invalid-login-hours"
    assert anchor_for("Session expired or invalid") == "session-expired-or-invalid"


def test_inline_text_cannot_become_markup():
    payloads = ["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "[x](javascript:alert(1))",
                "**bold** _it_ # not a heading", "{{ 7*7 }} {% raw %}", "| a | b |", "![i](https://e.x/i.png)"]
    for payload in payloads:
        out = html(inline(payload))
        assert "<script" not in out and "<img" not in out and "<a " not in out, out
        assert "<strong>" not in out and "<em>" not in out and "<table" not in out, out


def test_code_spans_survive_and_stay_inert():
    out = html(inline("send `grant_type=password` and <b>"))
    assert "<code>grant_type=password</code>" in out
    assert "&lt;b&gt;" in out


def test_fence_is_longer_than_any_backtick_run_inside():
    code = "before\n```\n<script>x</script>\n````\nafter"
    out = html(fence(code, "python"))
    assert out.count("<pre") == 1 and "after" in out and "<script>" not in out


def test_render_is_pure_and_deterministic(make_catalog):
    catalog = load_catalog(make_catalog())
    day = dt.date(2026, 11, 29)
    first = render(catalog, today=day)
    assert first == render(catalog, today=day)
    assert "errors/test_only_code.md" in first


def test_case_anchors_are_explicit_and_first_step_leads(make_catalog):
    catalog = load_catalog(make_catalog())
    page = render(catalog, today=dt.date(2026, 11, 29))["errors/test_only_code.md"]
    heading = page.index("### first test case {#first-test-case}")
    triage = page.index("**First step:**", heading)
    causes = page.index("#### Causes", heading)
    assert heading < triage < causes


def test_review_overdue_uses_the_given_today(make_catalog):
    catalog = load_catalog(make_catalog())  # fixture last_reviewed 2026-01-01, 180-day interval
    assert "Review overdue" not in render(catalog, today=dt.date(2026, 6, 30))["errors/test_only_code.md"]
    assert "Review overdue" in render(catalog, today=dt.date(2026, 7, 1))["errors/test_only_code.md"]


def test_every_schema_value_has_a_label():
    import typing

    from generator.catalog.schema import Evidence, Recovery, Retry, Surface
    from generator.site.jinja import EVIDENCE_LABELS, RECOVERY_LABELS, RETRY_LABELS, SURFACE_LABELS

    assert set(SURFACE_LABELS) == set(typing.get_args(Surface))

    assert set(RECOVERY_LABELS) == set(typing.get_args(Recovery))
    assert set(RETRY_LABELS) == set(typing.get_args(Retry))
    assert set(EVIDENCE_LABELS) == set(typing.get_args(Evidence))


def test_each_value_is_escaped_exactly_once(make_catalog):
    """finalize escapes; the compiled templates must not escape its Markup a second time."""
    fixture = (FIXTURES / "minimal_error.yaml").read_text()
    # The title reaches the page as a bare {{ entry.title }}: only finalize escapes it.
    fixture = fixture.replace("title: A code used only by the test suite", "title: 'Tom & Jerry <b>x</b> a_b 3*4'")
    pages = render(load_catalog(make_catalog({"test_only_code.yaml": fixture})), today=dt.date(2026, 6, 1))
    text = pages["errors/test_only_code.md"]
    assert "# `TEST_ONLY_CODE`: Tom &amp; Jerry &lt;b&gt;x&lt;/b&gt; a\\_b 3\\*4\n" in text
    out = html(text.split("---", 2)[2])
    assert "Tom &amp; Jerry &lt;b&gt;x&lt;/b&gt; a_b 3*4" in out and "<b>" not in out


def test_error_pages_emit_only_the_ids_the_url_contract_names(catalog):
    """Validation checks case anchors against generator/urls.py; the template must not emit others."""
    import re

    from generator import urls

    pages = render(catalog, today=dt.date(2026, 6, 1))
    explicit = re.compile(r"\{#([a-z0-9_-]+)[ }]|\bid=\"([^\"]+)\"")
    for entry in catalog.errors:
        known = set(urls.error_ids([c.anchor for c in entry.cases]))
        known |= {urls.anchor_for(old) for c in entry.cases for old in c.moved_from}
        found = {a or b for a, b in explicit.findall(pages[urls.error_md(entry.code)])}
        assert found <= known, (entry.code, sorted(found - known))


def test_a_caution_is_a_warning_box_inside_its_step_on_every_page_that_shows_the_step(tmp_path):
    """Error page (steps and checklist), checklists sheet, triage box and a fork's extra steps."""
    from catalog_files import base_files, write_catalog

    from generator.config import Settings

    catalog = load_catalog(write_catalog(tmp_path / "catalog", base_files()))
    pages = render(catalog, today=dt.date(2026, 6, 1), settings=Settings(repo_url="https://git.example/r"))

    def boxes_in_items(md: str) -> list[str]:
        out = markdown.markdown(md.split("---", 2)[2], extensions=["attr_list", "admonition", "md_in_html"])
        return [li.find("div", class_="warning").get_text(" ", strip=True)
                for li in BeautifulSoup(out, "html.parser").select("li") if li.find("div", class_="warning")]

    error = boxes_in_items(pages["errors/test_full_code.md"])
    assert any("What could go wrong, for the tests." in b for b in error)  # beside fix step 1
    assert any("Careful, for the tests." in b for b in error)  # beside checklist item 1
    assert any("Case caution." in b for b in error)  # a fork's extra step
    assert "**Caution:** What could go wrong, for the tests\\." in pages["errors/test_full_code.md"]  # triage
    assert any("What could go wrong" in b for b in boxes_in_items(pages["checklists/index.md"]))
    assert "[Report a problem with this runbook](https://git.example/r/issues/new?title=Runbook+problem" \
        in pages["errors/test_full_code.md"]


def test_relative_links_agree_with_relpath():
    import itertools
    import posixpath

    from generator.urls import relative_link

    paths = ["index.md", "errors/index.md", "errors/x.md", "errors/x.md#a-b", "flows/f.md", "checklists/c/s.md",
             "a/b/c.md", "a/b/d/e.md", "lookup.md", "a/x.md"]
    for target, current in itertools.product(paths, repeat=2):
        path, _, anchor = target.partition("#")
        expected = posixpath.relpath(path, posixpath.dirname(current) or ".") + (f"#{anchor}" if anchor else "")
        assert relative_link(target, current) == expected, (target, current)
