"""load -> validate -> render -> write, the one sequence the CLI and the MkDocs hook share."""
from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from pathlib import Path

from .catalog import Catalog, load_catalog
from .paths import CATALOG_DIR, DOCS_DIR
from .render import render
from .write import SyncReport, sync


def build(catalog_dir: Path = CATALOG_DIR, docs_dir: Path = DOCS_DIR,
          today: dt.date | None = None) -> tuple[Catalog, SyncReport]:
    """Raises CatalogError before anything is written, so a bad catalog leaves docs/ as it was."""
    with gc_paused():
        catalog = load_catalog(catalog_dir)
        pages = render(catalog, today=today)
    return catalog, sync(pages, docs_dir)


@contextmanager
def gc_paused():
    """No cycle collection while the catalog is loaded and rendered.

    Both make millions of short-lived objects that reference counting frees (YAML nodes, model
    fields, template strings); at 1,000 errors the collector ran ~800 more times for nothing and
    took ~0.5 s. The few cycles left (template contexts, which hold the catalog) are collected
    once at the end, so MkDocs' own collections afterwards do not walk a dead catalog.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect()
