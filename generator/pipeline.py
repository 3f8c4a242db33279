"""load -> validate -> render -> write: the one sequence the CLI and the MkDocs hook share."""
from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

from .catalog import load_catalog
from .catalog.problems import Problem
from .config import CATALOG_DIR, DOCS_DIR, Settings, repo_url
from .site import render
from .write import SyncReport, sync


def build(catalog_dir: Path = CATALOG_DIR, docs_dir: Path = DOCS_DIR, today: dt.date | None = None,
          settings: Settings | None = None,
          timings: dict[str, float] | None = None) -> tuple[list[Problem], SyncReport]:
    """The catalog's warnings and what was written. Raises CatalogError before anything is
    written, so a bad catalog leaves docs/ as it was. `timings`, if given, gets the seconds each
    stage took (benchmarks/build_bench.py)."""
    clock = [time.perf_counter()]
    catalog = load_catalog(catalog_dir)
    clock.append(time.perf_counter())
    pages = render(catalog, today=today or dt.date.today(), settings=settings or Settings(repo_url=repo_url()))
    clock.append(time.perf_counter())
    report = sync(pages, docs_dir)
    clock.append(time.perf_counter())
    if timings is not None:
        for stage, start, end in zip(("load + validate", "render", "write"), clock[:-1], clock[1:], strict=True):
            timings[stage] = end - start
    return list(catalog.warnings), report
