"""`mkdocs serve` rebuilds once per catalog edit: the generator's own writes into docs/ must not
start a second full rebuild, while every hand-written page still reloads when it is edited."""
from __future__ import annotations

import os
from pathlib import Path
from types import SimpleNamespace

from generator import mkdocs_hook
from generator.paths import CATALOG_DIR, DOCS_DIR, GENERATED_DIRS, TEMPLATES_DIR


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


def test_serve_suggests_dirty_rebuilds_for_a_big_catalog(monkeypatch, caplog):
    config = SimpleNamespace(docs_dir=str(DOCS_DIR))
    hint = "dev.py serve --dirty"
    for split_at, dirty, expected in [(5, False, True), (5, True, False), (10_000, False, False)]:
        monkeypatch.setattr(mkdocs_hook.scale, "SPLIT_AT", split_at)  # 5: the real catalog plays a big one
        caplog.clear()
        with caplog.at_level("INFO", logger="mkdocs.hooks.generator"):
            mkdocs_hook.on_startup(command="serve", dirty=dirty)
            mkdocs_hook.on_serve(RecordingServer(DOCS_DIR), config=config, builder=None)
        assert (hint in caplog.text) == expected, (split_at, dirty, caplog.text)
    mkdocs_hook.on_startup(command="build", dirty=False)


def test_only_serve_keeps_anything_between_builds(monkeypatch):
    """`mkdocs build` renders from scratch, on two cores for a big catalog; serve's process keeps
    parses and pages (pipeline.build(reuse=True)), which renders on one core plus its worker."""
    asked = []
    monkeypatch.setattr(mkdocs_hook, "build", lambda **kwargs: asked.append(kwargs) or ([], SimpleNamespace(
        written=[], deleted=[])))
    for command in ("build", "serve", "gh-deploy"):
        mkdocs_hook.on_startup(command=command, dirty=False)
        mkdocs_hook.on_pre_build(config=None)
    mkdocs_hook.on_startup(command="build", dirty=False)
    assert [kwargs["reuse"] for kwargs in asked] == [False, True, False]
