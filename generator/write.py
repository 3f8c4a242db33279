"""Sync rendered files into docs/: write only what changed, delete what the catalog dropped.

Only GENERATED_DIRS are touched, so hand-written pages beside them are never at risk. Every file
is written to a temporary name and renamed into place, so a reader never sees half a page.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .config import DOCS_DIR, GENERATED_DIRS


@dataclass
class SyncReport:
    written: list[str] = field(default_factory=list)
    deleted: list[str] = field(default_factory=list)
    unchanged: int = 0

    def summary(self) -> str:
        return f"{len(self.written)} written, {len(self.deleted)} deleted, {self.unchanged} unchanged"


def sync(pages: dict[str, str], docs_dir: Path = DOCS_DIR, owned: tuple[str, ...] = GENERATED_DIRS) -> SyncReport:
    for rel in pages:
        if rel.split("/", 1)[0] not in owned or ".." in rel.split("/"):
            raise ValueError(f"refusing to write {rel}: outside the generated folders {owned}")
    # Plain os calls on str paths, and each folder listed once: a big catalog has ~2,300 files in a
    # few dozen folders. Reading a file only when its folder lists it matters from scratch, where
    # a failed open per file took as long as writing them all.
    root = os.path.normpath(os.fspath(docs_dir))  # as os.walk will spell the paths it finds
    report = SyncReport()
    present: dict[str, set[str] | None] = {}  # folder -> names in it; None: not there yet
    for rel, text in sorted(pages.items()):
        target = os.path.join(root, rel)
        folder, name = os.path.split(target)
        if folder not in present:
            present[folder] = set(os.listdir(folder)) if os.path.isdir(folder) else None
        data = text.encode("utf-8")
        names = present[folder]
        if names is None:
            os.makedirs(folder, exist_ok=True)
            present[folder] = names = set()
        elif name in names and _content(target) == data:
            report.unchanged += 1
            continue
        tmp = os.path.join(folder, f".{name}.tmp")
        with open(tmp, "wb") as out:
            out.write(data)
        os.replace(tmp, target)
        report.written.append(rel)
    report.deleted = _delete_unwanted(root, {os.path.normpath(os.path.join(root, rel)) for rel in pages}, owned)
    return report


def _content(path: str) -> bytes | None:
    try:
        with open(path, "rb") as f:
            return f.read()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return None


def _delete_unwanted(root: str, wanted: set[str], owned: tuple[str, ...]) -> list[str]:
    """Delete files in the owned folders that no page wants, then the folders left empty."""
    deleted = []
    for top in owned:
        top_dir = os.path.join(root, top)
        if not os.path.isdir(top_dir):
            continue
        for folder, _dirs, files in os.walk(top_dir, topdown=False):  # children before parents
            for name in sorted(files, reverse=True):
                path = os.path.join(folder, name)
                if path not in wanted:
                    os.unlink(path)
                    deleted.append(os.path.relpath(path, root).replace(os.sep, "/"))
            if not os.listdir(folder):
                os.rmdir(folder)
    return deleted
