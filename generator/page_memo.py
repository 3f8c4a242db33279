"""Under `mkdocs serve`: each entry's pages kept from the last render, reused while its inputs match.

At 1,000 errors the error pages and the per-code decision trees take ~1.6 s of processor time, and
one saved YAML file changes the inputs of one entry. A page of entry X is a pure function of:
- X's own file: its bytes (by digest) and its path, which the page shows; and the fork's overlay
  on X, if it has one (catalog/local/errors/, the boxes headed "Your company");
- the shared catalog files: categories, flows, Setup paths, Login History statuses, and a fork's
  own full entries (every file read but the entries, the overlays and the inventories);
- what X's pages read of the other entries: code, slug, aliases, category and related lists (and
  how many entries there are, which decides the page layout);
- the date, the size thresholds and the templates.
All of that is in the page's key, and a page is reused only under an equal key. Inventories are
left out: no error page or decision tree reads them, nor does any read another entry's overlay.
tests/test_page_memo.py changes every free-text field of other entries, and inventories, and
compares the result with a full render, so a template that starts reading anything else across
entries fails it.

Only serve uses this (pipeline.build(reuse=True) and its worker); the CLI and CI render everything.
"""
from __future__ import annotations

import datetime as dt
import hashlib

from . import scale
from .catalog import Catalog
from .schema import ErrorEntry


class PageMemo:
    def __init__(self) -> None:
        self._pages: dict[str, tuple[bytes, str]] = {}  # docs/ path -> (key, text)
        self._shared = b""
        self._keys: dict[str, bytes] = {}  # entry slug -> key, for the render under way (two pages each)
        self._added: dict[str, tuple[bytes, str]] = {}  # kept by the render under way

    def begin(self, catalog: Catalog, today: dt.date, templates: tuple) -> None:
        """Take the shared part of the keys of the render about to run."""
        self._shared = _shared_key(catalog, today, templates)
        self._keys = {}
        self._added = {}

    def key(self, catalog: Catalog, entry: ErrorEntry) -> bytes:
        key = self._keys.get(entry.slug)
        if key is None:
            source = catalog.sources[entry.slug]
            overlay = catalog.overlays.get(entry.slug)
            extra = (overlay.file.encode() + catalog.files[overlay.file]) if overlay is not None else b""
            key = self._shared + source.doc.digest + str(source.path).encode() + b"\0" + extra
            self._keys[entry.slug] = key
        return key

    def recall(self, path: str, key: bytes) -> str | None:
        kept = self._pages.get(path)
        return kept[1] if kept is not None and kept[0] == key else None

    def keep(self, path: str, key: bytes, text: str) -> None:
        self._pages[path] = self._added[path] = (key, text)

    def added(self) -> dict[str, tuple[bytes, str]]:
        """What this render kept so far: a forked child sends it back to its parent's memo."""
        return dict(self._added)

    def merge(self, added: dict[str, tuple[bytes, str]]) -> None:
        self._pages.update(added)
        self._added.update(added)

    def end(self, files: dict[str, str]) -> None:
        """Forget pages the render did not produce (a deleted or renamed entry)."""
        self._pages = {path: kept for path, kept in self._pages.items() if path in files}


def _shared_key(catalog: Catalog, today: dt.date, templates: tuple) -> bytes:
    own_files = {str(s.path) for slug, s in catalog.sources.items() if slug not in catalog.local_codes}
    own_files |= {str(s.path) for s in catalog.integration_sources.values()}
    own_files |= {overlay.file for overlay in catalog.overlays.values()}
    digest = hashlib.blake2b(digest_size=32)
    digest.update(repr((today.isoformat(), scale.SPLIT_AT, scale.LEAN_SEARCH_AT, templates)).encode())
    for path in sorted(catalog.files):
        if path not in own_files:
            digest.update(repr((path, catalog.files[path])).encode())
    digest.update(repr([
        (e.slug, e.code, e.category, tuple(e.aliases), tuple((r.code, r.why, r.one_way) for r in e.related))
        for e in catalog.errors
    ]).encode())
    return digest.digest()
