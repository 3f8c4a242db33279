"""MkDocs hook: regenerate docs/ from the catalog before every build; watch catalog and templates.

Under `mkdocs serve` a rebuild whose catalog, templates and generated files are unchanged (a
hand-written page was saved) skips the render: see generator/inputs.py.

The writer only rewrites files whose text changed, so the rebuild that `mkdocs serve` starts for
those writes finds nothing new to write, and the loop ends there.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import Abort

# MkDocs loads hooks by file path; make the package importable from the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator import html_whitespace, offline_links, scale, serve_worker
from generator.paths import CATALOG_DIR, GENERATED_DIRS, TEMPLATES_DIR
from generator.pipeline import build
from generator.problems import CatalogError

log = logging.getLogger("mkdocs.hooks.generator")


def on_pre_build(config, **kwargs):
    try:
        # Under serve this process lives on: it skips a render when only a hand-written page changed,
        # and keeps what is exact to keep (pipeline.build). `mkdocs build` renders from scratch.
        warnings, report = build(reuse=_serving)
    except CatalogError as exc:
        raise Abort("The catalog has problems; docs/ was left as it was:\n" + str(exc)) from None
    if report.written or report.deleted:
        log.info("generator: %s", report.summary())
    # Inventory warnings are on the pages themselves; INFO keeps `mkdocs build --strict` passing.
    for problem in warnings:
        log.info("generator: %s", problem)


_serving = False  # whether `mkdocs serve` started this process
_dirty = False  # whether `mkdocs serve --dirty` did


def on_startup(command, dirty, **kwargs):
    global _serving, _dirty
    _serving = command == "serve"
    _dirty = dirty


def on_serve(server, config, builder, **kwargs):
    if serve_worker.big_catalog(CATALOG_DIR):
        serve_worker.warm()  # rebuilds render on two cores; start the second one now
        if not _dirty:
            # At 1,000 errors a plain rebuild takes as long as a full build (~40 s on two cores).
            log.info("generator: past %d error files every edit rebuilds every page; "
                     "`python3 dev.py serve --dirty` rebuilds only the pages an edit changes", scale.SPLIT_AT)
    server.watch(str(CATALOG_DIR))
    server.watch(str(TEMPLATES_DIR))
    # MkDocs watches all of docs/, so the generator's own writes there would start a second full
    # rebuild after every catalog edit (about 40 s at 1,000 errors). Watch only what people write
    # by hand: the files in docs/ itself and its folders that the generator does not own.
    docs = Path(config.docs_dir)
    server.unwatch(str(docs))
    server.watch(str(docs), recursive=False)
    for child in sorted(docs.iterdir()):
        if child.is_dir() and child.name not in GENERATED_DIRS:
            server.watch(str(child))
    return server


def on_page_context(context, page, config, nav, **kwargs):
    # Generated pages are output: "Edit this page" must open the catalog file they come from.
    source = page.meta.get("source_file")
    repo = config.get("repo_url")
    if source and repo:
        page.edit_url = f"{repo.rstrip('/')}/edit/main/{source}"
    return context


def on_page_content(html, page, config, files, **kwargs):
    # The offline build (mkdocs.offline.yml) has no directory URLs; raw-HTML links still assume them.
    if config.use_directory_urls:
        return html
    urls = {offline_links.hosted_url(f.src_uri): f.url for f in files.documentation_pages()}
    return offline_links.rewrite(html, page.file.src_uri, page.url, urls)


def on_post_page(output, page, config, **kwargs):
    # The theme indents its own markup: about 6 KB of every page.
    return html_whitespace.collapse(output)
