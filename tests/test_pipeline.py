"""The generator's run as the CLI and the MkDocs hook share it."""
from __future__ import annotations

import datetime as dt
import gc

import pytest

from generator import pipeline, scale, yamlfile
from generator.page_memo import PageMemo
from generator.pipeline import gc_paused

TODAY = dt.date(2026, 6, 1)


def test_the_collector_is_paused_only_while_the_generator_runs():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
    assert gc.isenabled(), "MkDocs would build every page without a cycle collector"
    gc.disable()
    try:
        with gc_paused():
            pass
        assert not gc.isenabled(), "a caller that had turned it off keeps it off"
    finally:
        gc.enable()


@pytest.fixture
def renders(monkeypatch):
    """Count the renders pipeline.build runs; start with no remembered run."""
    count = []
    real_render = pipeline.render

    def counting_render(catalog, today=None, **kwargs):
        count.append(today)
        return real_render(catalog, today=today, **kwargs)

    monkeypatch.setattr(pipeline, "render", counting_render)
    monkeypatch.setattr(pipeline, "_last", None)
    monkeypatch.setattr(pipeline, "_memo", PageMemo())  # the serve memory starts empty, and goes after
    monkeypatch.setattr(yamlfile, "_remembered", None)
    return count


def test_serve_skips_a_render_only_while_every_input_and_output_is_unchanged(make_catalog, tmp_path, renders):
    catalog_dir, docs = make_catalog(), tmp_path / "docs"
    page = docs / "errors" / "test_only_code.md"

    def build(today=TODAY):
        return pipeline.build(catalog_dir, docs, today=today, reuse=True)

    first_warnings, _ = build()
    warnings, report = build()  # e.g. a hand-written page was saved
    assert len(renders) == 1 and warnings == first_warnings and not report.written

    source = catalog_dir / "errors" / "test_only_code.yaml"
    source.write_text(source.read_text().replace("A code used only by", "A code, edited, used only by"))
    build()
    assert len(renders) == 2 and "A code, edited, used only by" in page.read_text(), "a catalog edit"

    page.unlink()
    build()
    assert len(renders) == 3 and page.is_file(), "a deleted generated page"

    page.write_text("edited by hand")
    build()
    assert len(renders) == 4 and page.read_text() != "edited by hand", "a generated page edited by hand"

    build(today=TODAY + dt.timedelta(days=1))
    assert len(renders) == 5, "a new day can make a review overdue"

    pipeline.build(catalog_dir, docs, today=TODAY)  # the CLI: always renders, and forgets
    build()
    assert len(renders) == 7


def test_a_changed_size_threshold_renders_again(make_catalog, tmp_path, renders, monkeypatch):
    catalog_dir, docs = make_catalog(), tmp_path / "docs"
    pipeline.build(catalog_dir, docs, today=TODAY, reuse=True)
    monkeypatch.setattr(scale, "SPLIT_AT", 0)
    pipeline.build(catalog_dir, docs, today=TODAY, reuse=True)
    assert len(renders) == 2


def test_an_edited_template_renders_again(make_catalog, tmp_path, renders, monkeypatch):
    import shutil

    from generator import render

    templates = tmp_path / "templates"
    shutil.copytree(render.TEMPLATES_DIR, templates)
    monkeypatch.setattr(render, "TEMPLATES_DIR", templates)
    catalog_dir, docs = make_catalog(), tmp_path / "docs"
    pipeline.build(catalog_dir, docs, today=TODAY, reuse=True)
    (templates / "error.md.j2").write_text((templates / "error.md.j2").read_text() + "\nEdited.\n")
    pipeline.build(catalog_dir, docs, today=TODAY, reuse=True)
    assert len(renders) == 2
    assert (docs / "errors" / "test_only_code.md").read_text().endswith("Edited.\n")
    render._environment.cache_clear()


def test_a_catalog_file_that_cannot_be_read_renders_instead_of_failing(make_catalog, tmp_path, renders,
                                                                        monkeypatch):
    from generator import inputs

    catalog_dir, docs = make_catalog(), tmp_path / "docs"
    pipeline.build(catalog_dir, docs, today=TODAY, reuse=True)

    def vanished(*args, **kwargs):
        raise FileNotFoundError("deleted while serve was looking")

    monkeypatch.setattr(inputs, "open", vanished, raising=False)
    pipeline.build(catalog_dir, docs, today=TODAY, reuse=True)
    pipeline.build(catalog_dir, docs, today=TODAY, reuse=True)
    assert len(renders) == 3, "an unknown fingerprint must never match"
