"""load -> validate -> render -> write, the one sequence the CLI and the MkDocs hook share."""
from __future__ import annotations

import datetime as dt
import gc
import time
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from . import inputs, serve_worker, yamlfile
from .catalog import load_catalog
from .page_memo import PageMemo
from .paths import CATALOG_DIR, DOCS_DIR
from .problems import Problem
from .render import render, templates_stamp
from .write import SyncReport, sync


@dataclass
class _LastRun:
    fingerprint: bytes | None
    warnings: list[Problem]  # not the catalog: kept alive, every collection MkDocs runs would walk it
    on_disk: dict[str, tuple[int, int]]


_last: _LastRun | None = None  # the last render of this process, when build(reuse=True) asked
_memo = PageMemo()  # each entry's pages, for the next build(reuse=True) of this process


def build(catalog_dir: Path = CATALOG_DIR, docs_dir: Path = DOCS_DIR, today: dt.date | None = None,
          timings: dict[str, float] | None = None, reuse: bool = False) -> tuple[list[Problem], SyncReport]:
    """The catalog's warnings and what was written. Raises CatalogError before anything is
    written, so a bad catalog leaves docs/ as it was.

    reuse=True (the MkDocs hook, whose process lives through `mkdocs serve`) skips the work when
    the inputs and the generated files are exactly as the last reuse=True run left them; otherwise
    it reuses what is exact to reuse: parses of unchanged files (yamlfile.remember) and the pages
    of entries whose inputs did not change (page_memo.py).
    `timings`, if given, gets the seconds each stage took (for benchmarks/build_bench.py).
    """
    global _last
    today = today or dt.date.today()
    key = inputs.fingerprint(catalog_dir, docs_dir, today) if reuse else None
    if key is not None and _last and _last.fingerprint == key and inputs.generated_files(docs_dir) == _last.on_disk:
        return _last.warnings, SyncReport(unchanged=len(_last.on_disk))
    if reuse:
        yamlfile.remember(True)
    clock = [time.perf_counter()]
    with gc_paused():
        # Under serve with a big catalog a worker process loads it too, and renders the error pages
        # and indexes (render.WORKER_SHARE).
        pending = serve_worker.begin(catalog_dir, today) if serve_worker.available(catalog_dir) else None
        catalog = load_catalog(catalog_dir)
        clock.append(time.perf_counter())
        from_worker = None
        if pending is not None:
            from_worker = partial(serve_worker.collect, pending, catalog.files, templates_stamp())
        pages = render(catalog, today=today, worker_pages=from_worker, memo=_memo if reuse else None)
    clock.append(time.perf_counter())  # after the one collection, which frees what rendering left
    report = sync(pages, docs_dir)
    clock.append(time.perf_counter())
    if timings is not None:
        for stage, start, end in zip(("load + validate", "render", "write"), clock, clock[1:]):
            timings[stage] = end - start
    _last = _LastRun(key, catalog.warnings, inputs.generated_files(docs_dir)) if reuse else None
    return catalog.warnings, report


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
