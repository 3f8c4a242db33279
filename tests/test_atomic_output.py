"""docs/ changes all at once or not at all: a failed render writes nothing, a build rewrites only changes.

Runs pipeline.build into a copy of docs/ (never the real one: a broken test must not wipe it).
"""
from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import pytest
from catalog_files import base_files, write_catalog
from conftest import ROOT

from generator.catalog.problems import CatalogError
from generator.config import GENERATED_DIRS
from generator.pipeline import build
from generator.site import pages as pages_module

OLD = 1_000_000_000 * 10**9  # an mtime (ns) no write during the test can produce


def tree_hash(root: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        h.update(path.relative_to(root).as_posix().encode() + b"\0")
        if path.is_file():
            h.update(path.read_bytes())
    return h.hexdigest()


@pytest.fixture
def docs_copy(tmp_path):
    """The hand-written pages of docs/ (generated folders left out) in a temp folder."""
    docs = tmp_path / "docs"
    shutil.copytree(ROOT / "docs", docs, ignore=lambda d, names: [
        n for n in names if Path(d) == ROOT / "docs" and n in GENERATED_DIRS])
    return docs


@pytest.fixture
def catalog_dir(tmp_path):
    return write_catalog(tmp_path / "catalog", base_files())


def _retitle(catalog_dir: Path, title: str) -> None:
    entry = catalog_dir / "errors" / "test_only_code.yaml"
    entry.write_text(entry.read_text().replace("title: A code used only by the test suite", f"title: {title}"))


def test_render_failure_leaves_docs_byte_identical(docs_copy, catalog_dir, monkeypatch):
    build(catalog_dir, docs_copy)
    before = tree_hash(docs_copy)
    _retitle(catalog_dir, "A changed title that must never reach docs")

    def explode(r):
        # Runs after every other builder has rendered its pages: a writer that wrote page by page
        # would already have changed errors/test_only_code.md by now.
        assert "errors/test_only_code.md" in r.files
        raise RuntimeError("a builder failed half-way")

    monkeypatch.setattr(pages_module, "BUILDERS", [*pages_module.BUILDERS, explode])
    with pytest.raises(RuntimeError, match="half-way"):
        build(catalog_dir, docs_copy)
    assert tree_hash(docs_copy) == before
    assert "must never reach docs" not in (docs_copy / "errors" / "test_only_code.md").read_text()


def test_validation_failure_leaves_docs_byte_identical(docs_copy, catalog_dir):
    build(catalog_dir, docs_copy)
    before = tree_hash(docs_copy)
    _retitle(catalog_dir, "Changed")
    (catalog_dir / "errors" / "test_full_code.yaml").write_text("code: [unclosed\n")
    with pytest.raises(CatalogError):
        build(catalog_dir, docs_copy)
    assert tree_hash(docs_copy) == before


def test_a_build_rewrites_only_the_files_that_changed(docs_copy, catalog_dir):
    _, first = build(catalog_dir, docs_copy)
    assert first.written, "the first build writes every generated page"
    generated = [p for top in GENERATED_DIRS if (docs_copy / top).is_dir()
                 for p in (docs_copy / top).rglob("*") if p.is_file()]
    for path in generated:
        os.utime(path, ns=(OLD, OLD))

    _, again = build(catalog_dir, docs_copy)
    assert again.written == [] and again.deleted == []
    assert all(p.stat().st_mtime_ns == OLD for p in generated)

    _retitle(catalog_dir, "A new title")
    _, changed = build(catalog_dir, docs_copy)
    assert "errors/test_only_code.md" in changed.written
    rewritten = {p.relative_to(docs_copy).as_posix() for p in generated if p.stat().st_mtime_ns != OLD}
    assert rewritten == set(changed.written), "only the files whose text changed are rewritten"
    assert len(rewritten) < len(generated)
    assert not list(docs_copy.rglob(".*.tmp")), "no temporary files left behind"
