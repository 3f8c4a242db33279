"""`mkdocs serve` rebuilds once per catalog edit: the generator's own writes into docs/ must not
start a second full rebuild, while every hand-written page still reloads when it is edited."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from generator import mkdocs_hook
from generator.config import CATALOG_DIR, DOCS_DIR, GENERATED_DIRS, TEMPLATES_DIR, Settings


class RecordingServer:
    """Stands in for MkDocs' LiveReloadServer: keeps what is watched, as serve leaves it."""

    def __init__(self, docs: Path):
        self.watched = {os.path.abspath(docs): True}  # mkdocs serve watches docs/ before on_serve

    def watch(self, path, func=None, *, recursive=True):
        self.watched[os.path.abspath(path)] = recursive

    def unwatch(self, path):
        del self.watched[os.path.abspath(path)]


def covered(server: RecordingServer, path: Path) -> bool:
    path = os.path.abspath(path)
    for watched, recursive in server.watched.items():
        if path == watched or os.path.dirname(path) == watched:
            return True
        if recursive and path.startswith(watched + os.sep):
            return True
    return False


def test_serve_watches_hand_written_pages_and_not_generated_ones():
    server = RecordingServer(DOCS_DIR)
    mkdocs_hook.on_serve(server, config=SimpleNamespace(docs_dir=str(DOCS_DIR)), builder=None)

    assert covered(server, CATALOG_DIR / "errors" / "invalid_grant.yaml")
    assert covered(server, TEMPLATES_DIR / "error.md.j2")
    hand_written = [p for p in DOCS_DIR.rglob("*") if p.is_file()
                    and p.relative_to(DOCS_DIR).parts[0] not in GENERATED_DIRS]
    assert hand_written, "docs/ has no hand-written files to check"
    missed = [str(p.relative_to(DOCS_DIR)) for p in hand_written if not covered(server, p)]
    assert not missed, f"edits to these hand-written files would not reload: {missed}"
    for folder in GENERATED_DIRS:
        page = DOCS_DIR / folder / "some-page.md"
        assert not covered(server, page), f"docs/{folder}/ is watched: each generate would rebuild twice"


def test_serve_suggests_dirty_rebuilds_for_a_big_catalog(make_catalog, monkeypatch, caplog):
    config = SimpleNamespace(docs_dir=str(DOCS_DIR))
    hint = "dev.py serve --dirty"
    for with_real_errors, split_at, expected in [(True, 5, True), (False, 5, False)]:
        monkeypatch.setattr(mkdocs_hook, "CATALOG_DIR", make_catalog(with_real_errors=with_real_errors))
        monkeypatch.setattr(mkdocs_hook, "Settings", lambda s=split_at: Settings(split_at=s))
        caplog.clear()
        with caplog.at_level("INFO", logger="mkdocs.hooks.generator"):
            mkdocs_hook.on_serve(RecordingServer(DOCS_DIR), config=config, builder=None)
        assert (hint in caplog.text) == expected, caplog.text
        import shutil
        shutil.rmtree(mkdocs_hook.CATALOG_DIR)
