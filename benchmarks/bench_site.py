"""A throw-away copy of the site for the build benchmark, its builds, and what they produce.

The copy holds what a build reads (mkdocs.yml, overrides/, the hand-written docs, templates/,
generator/) and a catalog folder the benchmark fills. Its generator writes into the copy's docs/
(generator/paths.py finds the repository from its own location), so the real docs/ is never touched.
Two more configs sit beside the copy's mkdocs.yml and inherit it: both drop the hook and read a
frozen copy of the generated pages; one also drops the nav and not_in_nav, so MkDocs lists every
page in the sidebar of every page (its default).
"""
from __future__ import annotations

import gzip
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from generator.paths import GENERATED_DIRS  # noqa: E402

COPIED = ("mkdocs.yml", "overrides", "docs", "templates", "generator")
BARE_DOCS = "bare-docs"
# The same site without the generator: the frozen pages, our theme, extensions and plugins.
BARE_CONFIGS = {
    "bare_small_nav": f"INHERIT: mkdocs.yml\ndocs_dir: {BARE_DOCS}\nhooks: []\n",
    "bare_default_nav": f"INHERIT: mkdocs.yml\ndocs_dir: {BARE_DOCS}\nhooks: []\nnav: null\nnot_in_nav: \"\"\n",
}


def make_copy(dest: Path) -> Path:
    """dest/site-copy with everything but the catalog, which the caller writes into catalog/."""
    copy = dest / "site-copy"
    copy.mkdir(parents=True)
    skip = shutil.ignore_patterns("__pycache__", ".*.tmp")
    for name in COPIED:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(src, copy / name, ignore=skip)
        else:
            shutil.copy2(src, copy / name)
    clear_generated(copy)
    for name, text in BARE_CONFIGS.items():
        (copy / f"mkdocs.{name}.yml").write_text(text, encoding="utf-8")
    return copy


def clear_generated(copy: Path) -> None:
    """Delete the generated folders, as in a fresh checkout (they are git-ignored)."""
    for name in GENERATED_DIRS:
        shutil.rmtree(copy / "docs" / name, ignore_errors=True)


def freeze_docs(copy: Path) -> None:
    """bare-docs/: the generated site as plain Markdown, for the builds without the generator."""
    shutil.rmtree(copy / BARE_DOCS, ignore_errors=True)
    shutil.copytree(copy / "docs", copy / BARE_DOCS)


def environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "RUNBOOKS_CATALOG"}  # the copy's own catalog/
    env["NO_MKDOCS_2_WARNING"] = "1"  # Material's end-of-life banner
    return env


def mkdocs_build(copy: Path, config: str, site: Path) -> float:
    """Seconds for one `mkdocs build` in a fresh process, as CI and people run it."""
    shutil.rmtree(site, ignore_errors=True)
    # Write back what earlier builds left in the page cache (the default-nav site is gigabytes),
    # so no build pays for the one before it.
    os.sync()
    started = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", config, "-d", str(site)],
                          cwd=copy, env=environment(), capture_output=True, text=True)
    elapsed = time.perf_counter() - started
    if proc.returncode != 0:
        raise RuntimeError(f"mkdocs build -f {config} failed:\n{proc.stdout}\n{proc.stderr}")
    return elapsed


def full_build(copy: Path, site: Path) -> float:
    """(b): our `mkdocs build`, from a checkout without generated pages (as in CI)."""
    clear_generated(copy)
    return mkdocs_build(copy, "mkdocs.yml", site)


@dataclass
class SiteStats:
    pages: int                 # HTML files
    site_bytes: int
    search_bytes: int
    error_median: int          # HTML bytes of the error pages (not the alias redirects)
    error_max: int
    error_article_median: int  # ... of which the page's own content (<article>)
    error_frame_median: int    # ... and the theme around it: header, nav, toc, scripts
    error_gzip_median: int     # ... gzipped, as a web server sends it
    page_median: int           # HTML bytes of any page (indexes, integrations, redirects too)
    largest: list[tuple[str, int]]


ARTICLE = re.compile(r"<article\b.*?</article>", re.S)


def site_stats(site: Path, error_slugs: list[str]) -> SiteStats:
    sizes = {p.relative_to(site).as_posix(): p.stat().st_size for p in site.rglob("*") if p.is_file()}
    html = {k: v for k, v in sizes.items() if k.endswith(".html")}
    errors = [html[f"errors/{slug}/index.html"] for slug in error_slugs]
    articles, frames, gzipped = [], [], []
    for slug in error_slugs[:: max(1, len(error_slugs) // 50)]:  # a sample is enough for a median
        raw = (site / "errors" / slug / "index.html").read_bytes()
        match = ARTICLE.search(raw.decode("utf-8"))
        article = len(match.group(0).encode("utf-8")) if match else 0
        articles.append(article)
        frames.append(len(raw) - article)
        gzipped.append(len(gzip.compress(raw, compresslevel=6)))
    return SiteStats(
        pages=len(html),
        site_bytes=sum(sizes.values()),
        search_bytes=sizes.get("search/search_index.json", 0),
        error_median=round(statistics.median(errors)),
        error_max=max(errors),
        error_article_median=round(statistics.median(articles)),
        error_frame_median=round(statistics.median(frames)),
        error_gzip_median=round(statistics.median(gzipped)),
        page_median=round(statistics.median(html.values())),
        largest=sorted(html.items(), key=lambda kv: -kv[1])[:5],
    )
