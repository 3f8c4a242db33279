"""Use a second core for a big catalog: parse half the error files, or render the error pages,
in a forked child while this process does the rest.

Parsing and rendering are pure (bytes or catalog in, data or text out), so splitting them cannot
change a result. The child is a fork of this process (same catalog, same compiled templates),
does its share and sends the result back, pickled, through a pipe. At 1,000 errors that takes
rendering from ~2.0 s to ~1.3 s and loading from ~0.5 s to ~0.4 s.

Only where it is safe and pays: Linux (fork is the default start method there and the child
needs no re-import), more than one CPU, a catalog past scale.SPLIT_AT codes, and a process with
one thread. `mkdocs serve` runs a file watcher and an HTTP thread, and a child forked from a
threaded process can hang on a lock another thread held at that moment, so there serve_worker.py
uses a spawned worker instead. If the child dies or its data comes back cut, the parent renders
that share itself: a failure costs time, never a page.
"""
from __future__ import annotations

import os
import pickle
import sys
import threading
from typing import Callable, TypeVar

from . import scale

T = TypeVar("T")
U = TypeVar("U")


_allowed = True


def forbid() -> None:
    """This process is itself one of two (serve_worker's worker): it must not fork a third."""
    global _allowed
    _allowed = False


def second_core() -> bool:
    """Linux with more than one CPU: where this module and serve_worker split work in two."""
    return sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1


def available(items: int) -> bool:
    """Whether splitting `items` error entries (or files) across two processes is safe and pays."""
    return (_allowed and second_core() and hasattr(os, "fork") and scale.is_big(items)
            and threading.active_count() == 1)


def split(in_child: Callable[[], T], in_parent: Callable[[], U]) -> tuple[T, U]:
    """(in_child(), in_parent()), the first run in a forked child at the same time as the second."""
    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: compute, send, and leave without running the parent's exit handlers
        code = 1
        try:
            os.close(read_fd)
            with os.fdopen(write_fd, "wb") as out:
                pickle.dump(in_child(), out, protocol=pickle.HIGHEST_PROTOCOL)
            code = 0
        finally:
            os._exit(code)
    os.close(write_fd)
    ok, theirs = False, None
    try:
        ours = in_parent()
    finally:
        # Always drain the pipe and reap the child, even when in_parent raised.
        with os.fdopen(read_fd, "rb") as pipe:
            try:
                theirs, ok = pickle.load(pipe), True
            except Exception:  # noqa: BLE001 - the child died or was cut off; redo its share here
                pass
        _, status = os.waitpid(pid, 0)
    if not ok or status != 0:
        theirs = in_child()
    return theirs, ours
