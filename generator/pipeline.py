"""load -> validate -> render -> write, the one sequence the CLI and the MkDocs hook share."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

from .catalog import Catalog, load_catalog
from .paths import CATALOG_DIR, DOCS_DIR
from .render import render
from .write import SyncReport, sync


def build(catalog_dir: Path = CATALOG_DIR, docs_dir: Path = DOCS_DIR,
          today: dt.date | None = None) -> tuple[Catalog, SyncReport]:
    """Raises CatalogError before anything is written, so a bad catalog leaves docs/ as it was."""
    catalog = load_catalog(catalog_dir)
    pages = render(catalog, today=today)
    return catalog, sync(pages, docs_dir)
