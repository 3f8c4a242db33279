"""Sync rendered files into docs/: write only what changed, delete what the catalog dropped.

Only GENERATED_DIRS are touched, so hand-written pages beside them are never at risk. Every file
is written to a temporary name and renamed into place, so a reader never sees half a page.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .paths import DOCS_DIR, GENERATED_DIRS


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
    report = SyncReport()
    for rel, text in sorted(pages.items()):
        target = docs_dir / rel
        data = text.encode("utf-8")
        if target.is_file() and target.read_bytes() == data:
            report.unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(f".{target.name}.tmp")
        tmp.write_bytes(data)
        os.replace(tmp, target)
        report.written.append(rel)
    wanted = {docs_dir / rel for rel in pages}
    for top in owned:
        root = docs_dir / top
        if not root.is_dir():
            continue
        for path in sorted(root.rglob("*"), reverse=True):  # children before parents
            if path.is_file() and path not in wanted:
                path.unlink()
                report.deleted.append(path.relative_to(docs_dir).as_posix())
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
        if not any(root.iterdir()):
            root.rmdir()
    return report
