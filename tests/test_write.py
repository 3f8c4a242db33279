"""The writer: idempotent, removes stale generated pages, never touches hand-written ones."""
from __future__ import annotations

import pytest

from generator.write import sync


def test_sync_is_idempotent_and_only_writes_changes(tmp_path):
    pages = {"errors/a.md": "A\n", "errors/b.md": "B\n"}
    first = sync(pages, tmp_path)
    assert sorted(first.written) == ["errors/a.md", "errors/b.md"]
    second = sync(pages, tmp_path)
    assert second.written == [] and second.deleted == [] and second.unchanged == 2
    mtime = (tmp_path / "errors/a.md").stat().st_mtime_ns
    third = sync({**pages, "errors/b.md": "B2\n"}, tmp_path)
    assert third.written == ["errors/b.md"]
    assert (tmp_path / "errors/a.md").stat().st_mtime_ns == mtime


def test_stale_pages_are_deleted_and_hand_pages_kept(tmp_path):
    (tmp_path / "index.md").write_text("hand-written")
    (tmp_path / "howto").mkdir()
    (tmp_path / "howto/how.md").write_text("hand-written")
    sync({"errors/a.md": "A", "flows/x/y.md": "Y"}, tmp_path)
    report = sync({"errors/a.md": "A"}, tmp_path)
    assert report.deleted == ["flows/x/y.md"]
    assert not (tmp_path / "flows").exists()
    assert (tmp_path / "index.md").read_text() == "hand-written"
    assert (tmp_path / "howto/how.md").read_text() == "hand-written"


@pytest.mark.parametrize("bad", ["index.md", "howto/x.md", "errors/../index.md"])
def test_refuses_paths_outside_generated_folders(tmp_path, bad):
    with pytest.raises(ValueError):
        sync({bad: "x"}, tmp_path)
    assert not any(tmp_path.iterdir())


def test_a_docs_path_spelled_oddly_keeps_every_wanted_page(tmp_path):
    pages = {"errors/a.md": "A", "flows/x/y.md": "Y"}
    odd = f"{tmp_path}/./"
    sync(pages, odd)
    again = sync(pages, odd)
    assert again.deleted == [] and again.unchanged == 2
    assert (tmp_path / "flows/x/y.md").read_text() == "Y"


def test_build_reports_how_long_each_stage_took(tmp_path):
    """The benchmark reads these: load + validate, render, write."""
    import datetime as dt

    from generator import pipeline
    from generator.config import CATALOG_DIR

    timings: dict[str, float] = {}
    pipeline.build(CATALOG_DIR, tmp_path / "docs", dt.date(2026, 12, 4), None, timings)
    assert list(timings) == ["load + validate", "render", "write"]
    assert all(t >= 0 for t in timings.values())
    assert (tmp_path / "docs" / "errors" / "invalid_grant.md").is_file()
