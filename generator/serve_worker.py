"""A second core for `mkdocs serve`: a worker process that loads the catalog and renders the error
pages and indexes of a big catalog (render.WORKER_SHARE) while the hook's process does the rest.

Under serve the hook runs in a process with a file watcher and an HTTP thread, so two_cores may
not fork it. This worker is a fresh interpreter (the "spawn" start method: no thread or lock of
the server is copied into it), started once and kept for the life of the server. On each rebuild
both processes load the catalog from disk at the same time, then each renders its half. Each
keeps its own parses and entry pages for the next rebuild (yamlfile.remember, page_memo.py).

Both loads must have read the same bytes. Each catalog lists every file it was built from with a
digest of its bytes (Catalog.files), and the worker's pages are used only when its list, and the
templates it rendered with, equal this process's; so a file saved in the middle of a rebuild makes
this process render the worker's pages itself (and the watcher starts another rebuild anyway). If
the worker cannot start, dies or raises, the same happens: a failure costs time, never a page. A
test compares the result with a one-process render, file by file.
"""
from __future__ import annotations

import datetime as dt
import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from . import scale, two_cores, yamlfile
from .page_memo import PageMemo

_pool: ProcessPoolExecutor | None = None
_lock = threading.Lock()  # serve's builder thread and the hook's on_serve may both start it
fallbacks = 0  # rebuilds whose worker pages this process rendered itself (tests read it)
_memo: PageMemo | None = None  # in the worker only


def big_catalog(catalog_dir: Path) -> bool:
    """Past scale.SPLIT_AT error files, counted without loading them."""
    return scale.is_big(sum(1 for _ in (Path(catalog_dir) / "errors").glob("*.yaml")))


def available(catalog_dir: Path) -> bool:
    """Whether this is a threaded process (where two_cores may not fork) with a big catalog."""
    return two_cores.second_core() and threading.active_count() > 1 and big_catalog(catalog_dir)


def begin(catalog_dir: Path, today: dt.date) -> Future | None:
    """Start the worker's load and render; call before this process loads the catalog."""
    try:
        # The thresholds go along: they decide page layout, and tests lower them in this process.
        return start().submit(_load_and_render, catalog_dir, today, scale.SPLIT_AT, scale.LEAN_SEARCH_AT)
    except Exception:  # noqa: BLE001 - no worker: this process renders everything
        return None


def collect(pending: Future, files: dict[str, bytes], templates: tuple) -> dict[str, str] | None:
    """The worker's pages, or None when this process must render them (see the docstring).

    `files` and `templates` are what this process loaded (Catalog.files) and renders with.
    """
    global fallbacks
    try:
        their_files, their_templates, pages = pending.result()
    except BrokenProcessPool:  # the worker died; a broken pool stays broken, so the next rebuild starts anew
        stop()
        fallbacks += 1
        return None
    except Exception:  # noqa: BLE001 - it raised (say, a file changed under its load): render here
        fallbacks += 1
        return None
    if their_files != files or their_templates != templates:
        fallbacks += 1
        return None
    return pages


def start() -> ProcessPoolExecutor:
    """The worker, started on first use (or ahead of it, by warm())."""
    global _pool
    with _lock:
        if _pool is None:
            _pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                        initializer=_in_worker)
        return _pool


def warm() -> None:
    """Start the worker now and have it compile the templates, so the first edit does not wait."""
    try:
        start().submit(_warm)
    except Exception:  # noqa: BLE001 - the first rebuild will try again, or render here
        pass


def stop() -> None:
    global _pool
    with _lock:
        pool, _pool = _pool, None
    if pool is not None:
        pool.shutdown(wait=True, cancel_futures=True)


def _in_worker() -> None:
    global _memo
    two_cores.forbid()  # it is one of two processes already
    # Like the hook's process, it keeps parses and pages whose inputs are unchanged (page_memo.py).
    yamlfile.remember(True)
    _memo = PageMemo()
    # Ctrl-C reaches the whole process group; the server shuts the worker down, without a
    # KeyboardInterrupt traceback from it on the way.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # A server killed outright (SIGTERM, SIGKILL) cannot shut it down, and the worker would wait
    # for work forever: it leaves as soon as it has a new parent.
    threading.Thread(target=_leave_when_orphaned, args=(os.getppid(),), daemon=True).start()


def _leave_when_orphaned(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


def _warm() -> None:
    from . import render

    render.environment()


def _load_and_render(catalog_dir: Path, today: dt.date, split_at: int,
                     lean_at: int) -> tuple[dict[str, bytes], tuple, dict[str, str]]:
    """Runs in the worker: (the files it loaded, the templates it rendered with, its pages)."""
    from . import render
    from .catalog import load_catalog
    from .pipeline import gc_paused

    scale.SPLIT_AT, scale.LEAN_SEARCH_AT = split_at, lean_at
    with gc_paused():
        catalog = load_catalog(catalog_dir)
        templates = render.templates_stamp()
        return catalog.files, templates, render.worker_share(catalog, today, memo=_memo)
