"""Under serve, pages kept from the last render (page_memo.py) must equal a full render, always.

Each test edits a copy of the real catalog, renders it twice (with the memo that saw the earlier
renders, and afresh) and compares every file. The edits change what a page could read across
entries (every free-text field of other entries, review dates, shared tables, inventories,
overlays, the entry count, the date, thresholds, templates), so a page kept under a key that
misses one of its inputs shows up as a difference, named by path.
"""
from __future__ import annotations

import datetime as dt
import re
import shutil

import pytest
import yaml

from generator import pipeline, render, scale, yamlfile
from generator.catalog import load_catalog
from generator.page_memo import PageMemo

from conftest import FIXTURES, ROOT

TODAY = dt.date(2026, 6, 1)

# Fields of an error file that hold free text: what an edit of one runbook changes. Not here: ids
# and codes, case descriptions (they make the anchors), URLs, enums, and related[].why, which is
# in every key (page_memo._shared_key); the other tests change those.
TEXT_FIELDS = {
    "title", "summary", "checking", "scenario", "if_it_changes", "owner", "meaning", "evidence_note",
    "causes", "steps", "match", "also_seen_as", "defensive_habits", "checklist", "check", "body",
    "request", "response", "explanation", "label", "command",
}


@pytest.fixture
def catalog_copy(tmp_path, monkeypatch):
    root = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", root)
    monkeypatch.setattr(yamlfile, "_remembered", None)
    return root


@pytest.fixture
def big(monkeypatch):
    """The layout of a big catalog (per-code decision trees, lean search) at the real catalog's size."""
    monkeypatch.setattr(scale, "SPLIT_AT", 0)
    monkeypatch.setattr(scale, "LEAN_SEARCH_AT", 0)


class Renders:
    """The memo of one serve session."""

    def __init__(self, root):
        self.root = root
        self.memo = PageMemo()

    def check(self, today=TODAY) -> tuple[int, int]:
        """Render with the memo and afresh; fail on any difference.

        Returns how many entry pages the memo render made anew, and how many there are.
        """
        catalog = load_catalog(self.root)
        kept = render.render(catalog, today, memo=self.memo)
        fresh = render.render(catalog, today)
        assert kept.keys() == fresh.keys()
        stale = sorted(path for path in fresh if kept[path] != fresh[path])
        assert not stale, f"pages kept under a key that missed an input: {stale[:5]}"
        return len(self.memo.added()), len(self.memo._pages)


def _edit_text(path, suffix: str) -> None:
    """Append `suffix` to every free-text value of one error file."""
    data = yaml.safe_load(path.read_text())

    def walk(value, key=None):
        if isinstance(value, dict):
            return {k: walk(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [walk(v, key) for v in value]
        if isinstance(value, str) and key in TEXT_FIELDS:
            return value + suffix
        return value

    path.write_text(yaml.safe_dump(walk(data), sort_keys=False, allow_unicode=True, width=200))


def _error_files(root):
    return sorted((root / "errors").glob("*.yaml"))


def test_every_other_entry_edited_in_turn_never_leaves_a_stale_page(catalog_copy, big):
    """For any two entries X and Y, some round edits Y and not X: X's kept pages must not read Y's text."""
    files = _error_files(catalog_copy)
    renders = Renders(catalog_copy)
    assert renders.check() == (2 * len(files), 2 * len(files)), "an error page and a decision tree each"
    bits = max(1, (len(files) - 1).bit_length())
    for bit in range(bits):
        for side in (0, 1):
            edited = [f for i, f in enumerate(files) if (i >> bit) & 1 == side]
            for f in edited:
                _edit_text(f, f" z{bit}{side}")
            made, _ = renders.check()
            assert made == 2 * len(edited), (bit, side)  # each untouched entry keeps both pages


def test_a_review_date_that_turns_overdue_never_leaves_a_stale_page(catalog_copy, big):
    files = _error_files(catalog_copy)
    renders = Renders(catalog_copy)
    renders.check()
    for f in files[::3]:
        f.write_text(re.sub(r"(?m)^last_reviewed: .*$", "last_reviewed: 2020-01-01", f.read_text()))
    assert renders.check()[0] == 2 * len(files[::3])


@pytest.mark.parametrize("layout", ["small", "big"])
def test_shared_edits_render_every_page_again(catalog_copy, layout, monkeypatch):
    if layout == "big":
        monkeypatch.setattr(scale, "SPLIT_AT", 0)
    renders = Renders(catalog_copy)
    renders.check()
    flows = catalog_copy / "flows.yaml"
    flows.write_text(flows.read_text().replace("name: ", "name: Renamed ", 1))
    made, there = renders.check()
    assert made == there, "a flow's name is on many error pages"
    made, there = renders.check(TODAY + dt.timedelta(days=400))
    assert made == there, "a new day can make reviews overdue"
    monkeypatch.setattr(scale, "LEAN_SEARCH_AT", 0 if layout == "small" else 10_000)
    made, there = renders.check(TODAY + dt.timedelta(days=400))
    assert made == there, "a threshold decides the layout"


def test_inventories_do_not_touch_entry_pages_but_overlays_and_new_entries_do(catalog_copy, big):
    files = _error_files(catalog_copy)
    renders = Renders(catalog_copy)
    renders.check()
    inventory = sorted((catalog_copy / "integrations").glob("*.yaml"))[0]
    inventory.write_text(inventory.read_text().replace("name: ", "name: Edited ", 1))
    assert renders.check()[0] == 0, "no error page or decision tree reads an inventory"

    code = yaml.safe_load(files[0].read_text())["code"]
    overlay = catalog_copy / "local" / "errors" / files[0].name
    overlay.parent.mkdir(parents=True)
    overlay.write_text(f"extends: {code}\nnotes:\n  - title: Ours\n    body: Page the data team first.\n")
    assert renders.check()[0] == 2, "a fork's overlay adds boxes to its own entry's two pages"
    overlay.write_text(overlay.read_text().replace("first", "second"))
    assert renders.check()[0] == 2, "and an edit to it changes those two"
    overlay.unlink()
    assert renders.check()[0] == 2, "and so does its removal"

    added = catalog_copy / "errors" / "test_only_code.yaml"
    shutil.copy(FIXTURES / "minimal_error.yaml", added)
    made, there = renders.check()
    assert made == there, "one entry more: the count decides the layout"
    added.unlink()
    made, there = renders.check()
    assert made == there, "and one fewer"


def test_an_edited_template_renders_every_page_again(catalog_copy, tmp_path, monkeypatch):
    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES_DIR, templates)
    monkeypatch.setattr(render, "TEMPLATES_DIR", templates)
    renders = Renders(catalog_copy)
    renders.check()
    (templates / "partials" / "case.md.j2").write_text((templates / "partials" / "case.md.j2").read_text()
                                                       + "\nEdited.\n")
    render._environment.cache_clear()
    try:
        made, there = renders.check()
        assert made == there
    finally:
        render._environment.cache_clear()


def test_serve_after_one_edit_parses_and_renders_only_that_entry(catalog_copy, tmp_path, monkeypatch):
    docs = tmp_path / "docs"
    monkeypatch.setattr(pipeline, "_last", None)
    monkeypatch.setattr(pipeline, "_memo", PageMemo())
    pipeline.build(catalog_copy, docs, today=TODAY, reuse=True)

    parsed, rendered = [], []
    real_fast, real_page = yamlfile._load_fast, render.Renderer.page
    monkeypatch.setattr(yamlfile, "_load_fast", lambda path, *a: parsed.append(path.name) or real_fast(path, *a))
    monkeypatch.setattr(render.Renderer, "page",
                        lambda self, path, *a, **k: rendered.append(path) or real_page(self, path, *a, **k))
    edited = _error_files(catalog_copy)[0]
    _edit_text(edited, " Edited here")
    _, report = pipeline.build(catalog_copy, docs, today=TODAY, reuse=True)

    assert parsed == [edited.name]
    entry_pages = {f"errors/{f.stem}.md" for f in _error_files(catalog_copy)}
    assert [p for p in rendered if p in entry_pages] == [f"errors/{edited.stem}.md"]
    assert "Edited here" in (docs / "errors" / f"{edited.stem}.md").read_text()
    assert any(p.endswith(f"errors/{edited.stem}.md") for p in report.written)
