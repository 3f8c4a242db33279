"""A fingerprint of everything a render reads, and a listing of what the last sync left on disk.

`mkdocs serve` rebuilds for every saved file, hand-written pages included, and the hook rendered
the whole catalog each time: ~2.5 s at 1,000 errors, on one core because serve runs threads. In
that long-lived process, a render whose inputs are byte for byte the last one's, into generated
folders nobody has touched since, would write nothing, so pipeline.build skips it. Everything is
kept in memory only (see also page_memo.py), and a new process always renders.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from . import scale
from .paths import GENERATED_DIRS
from .render import templates_stamp


def fingerprint(catalog_dir: Path, docs_dir: Path, today: dt.date) -> bytes | None:
    """Changes when any catalog file, template, the date or a size threshold changes.

    None when a file could not be read (say, deleted mid-walk): then the render runs, and the
    loader reports the problem with its path and line.
    """
    try:
        return _fingerprint(catalog_dir, docs_dir, today)
    except OSError:
        return None


def _fingerprint(catalog_dir: Path, docs_dir: Path, today: dt.date) -> bytes:
    digest = hashlib.blake2b(digest_size=32)
    # The date decides "review overdue"; the thresholds decide page layout (tests lower them).
    facts = (os.fspath(catalog_dir), os.fspath(docs_dir), today.isoformat(),
             scale.SPLIT_AT, scale.LEAN_SEARCH_AT, templates_stamp())
    _add(digest, repr(facts).encode())
    for folder, dirs, files in os.walk(catalog_dir):
        dirs.sort()
        for name in sorted(files):
            path = os.path.join(folder, name)
            _add(digest, path.encode())
            with open(path, "rb") as f:
                _add(digest, f.read())
    return digest.digest()


def _add(digest, data: bytes) -> None:
    # Length first, so two inputs cannot run together into the same bytes.
    digest.update(len(data).to_bytes(8, "big"))
    digest.update(data)


def generated_files(docs_dir: Path) -> dict[str, tuple[int, int]]:
    """Every file in the generated folders, with its size and modification time."""
    out: dict[str, tuple[int, int]] = {}
    for top in GENERATED_DIRS:
        for folder, _, files in os.walk(os.path.join(docs_dir, top)):
            for name in files:
                path = os.path.join(folder, name)
                try:
                    st = os.stat(path)
                except FileNotFoundError:  # gone since the walk listed it: the listing differs anyway
                    continue
                out[path] = (st.st_size, st.st_mtime_ns)
    return out
