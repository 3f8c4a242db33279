"""MkDocs hook: regenerate docs/ from the catalog before every build; watch catalog and templates.

The hook does only what a theme override or the generated Markdown cannot: write docs/ before the
build, watch the catalog under `mkdocs serve`, and fix raw-HTML links in the offline (.html URL)
copy. Everything a hosted page shows is in docs/ or overrides/ (the edit link to the catalog file:
overrides/partials/actions.html; alias redirects: templates/alias.md.j2 + overrides/alias-redirect.html),
so after `python -m generator generate` any MkDocs 1.6 engine builds the same site without it
(mkdocs.hookless.yml; tests/test_engines.py).

The writer only rewrites files whose text changed, so the rebuild that `mkdocs serve` starts for
those writes finds nothing new to write, and the loop ends there. Past Settings.split_at errors,
`mkdocs serve --dirty` (python3 dev.py serve --dirty) rebuilds only the pages an edit changed.
"""
from __future__ import annotations

import logging
import sys
from pathlib import Path

from mkdocs.exceptions import Abort

# MkDocs loads hooks by file path; make the package importable from the repo root.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from generator.catalog.problems import CatalogError  # noqa: E402
from generator.config import CATALOG_DIR, GENERATED_DIRS, TEMPLATES_DIR, Settings  # noqa: E402
from generator.pipeline import build  # noqa: E402
from generator.site import offline  # noqa: E402
from generator.urls import hosted_url  # noqa: E402

log = logging.getLogger("mkdocs.hooks.generator")


def on_pre_build(config, **kwargs):
    try:
        warnings, report = build(docs_dir=Path(config.docs_dir))
    except CatalogError as exc:
        raise Abort("The catalog has problems; docs/ was left as it was:\n" + str(exc)) from None
    if report.written or report.deleted:
        log.info("generator: %s", report.summary())
    # Inventory warnings are on the pages themselves; INFO keeps `mkdocs build --strict` passing.
    for problem in warnings:
        log.info("generator: %s", problem)


def on_serve(server, config, builder, **kwargs):
    errors = sum(1 for _ in (CATALOG_DIR / "errors").glob("*.yaml"))
    if Settings().split(errors):
        log.info("generator: with %d error files every edit rebuilds every page; "
                 "`python3 dev.py serve --dirty` rebuilds only the pages an edit changes", errors)
    server.watch(str(CATALOG_DIR))
    server.watch(str(TEMPLATES_DIR))
    # MkDocs watches all of docs/, so the generator's own writes there would start a second full
    # rebuild after every catalog edit. Watch only what people write by hand: the files in docs/
    # itself and its folders that the generator does not own.
    docs = Path(config.docs_dir)
    server.unwatch(str(docs))
    server.watch(str(docs), recursive=False)
    for child in sorted(docs.iterdir()):
        if child.is_dir() and child.name not in GENERATED_DIRS:
            server.watch(str(child))
    return server


def on_page_content(html, page, config, files, **kwargs):
    # The offline build (mkdocs.offline.yml) has no directory URLs; raw-HTML links and the redirect
    # of alias pages (front matter, used by overrides/alias-redirect.html) still assume them.
    if config.use_directory_urls:
        return html
    by_hosted = {hosted_url(f.src_uri): f.url for f in files.documentation_pages()}
    redirect = page.meta.get("redirect")
    if redirect:
        page.meta["redirect"] = offline.offline_href(redirect, page.file.src_uri, page.url, by_hosted) or redirect
    return offline.rewrite(html, page.file.src_uri, page.url, by_hosted)
