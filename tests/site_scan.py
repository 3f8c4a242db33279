"""Static checks of a built site shared by the hosted and the offline build tests.

external_loads: everything the pages would fetch from another host (scripts, styles, fonts,
images, frames, CSS url() and @import, absolute URLs fetched by our own scripts).
broken_links: internal hrefs whose file or #anchor does not exist in the build.
"""
from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup

REMOTE = re.compile(r"^\s*(?:[a-z][a-z0-9+.-]*:)?//", re.I)  # http://, https://, //host, ftp://...
CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]+)\1\s*\)|@import\s+(['\"])([^'\"]+)\3", re.I)
# <link rel=...> values that make the browser fetch (or connect to) the href.
FETCHING_RELS = {"stylesheet", "preload", "icon", "shortcut", "apple-touch-icon", "modulepreload", "manifest",
                 "prefetch", "preconnect", "dns-prefetch", "prerender", "mask-icon"}
# (tag, attribute) pairs that load something as the page renders.
LOADING = [("script", "src"), ("img", "src"), ("img", "srcset"), ("iframe", "src"), ("frame", "src"),
           ("source", "src"), ("source", "srcset"), ("video", "src"), ("video", "poster"), ("audio", "src"),
           ("track", "src"), ("embed", "src"), ("object", "data"), ("input", "src"), ("image", "href"),
           ("image", "xlink:href"), ("use", "href"), ("use", "xlink:href"), ("link", "href")]
# In our own scripts: any string literal holding an absolute URL (they fetch only relative ones).
JS_REMOTE = re.compile(r"""(['"`])(?:https?:)?//[^'"`\s]+\1""")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def parse_all(site: Path) -> dict[Path, BeautifulSoup]:
    """Every page of a built site, parsed once: the scans below take this instead of re-reading."""
    return {page: soup(page) for page in html_files(site)}


def _srcset_urls(value: str) -> list[str]:
    return [part.strip().split()[0] for part in value.split(",") if part.strip()]


def external_loads(site: Path, own_scripts: tuple[str, ...] = ("javascripts",)) -> list[str]:
    found = []
    for page in html_files(site):
        rel = page.relative_to(site).as_posix()
        doc = soup(page)
        for tag, attr in LOADING:
            for el in doc.find_all(tag, attrs={attr: True}):
                if tag == "link" and not {r.lower() for r in el.get("rel", [])} & FETCHING_RELS:
                    continue  # canonical, alternate, edit links: never fetched by the page
                urls = _srcset_urls(el[attr]) if attr == "srcset" else [el[attr]]
                found += [f"{rel}: <{tag} {attr}={u}>" for u in urls if REMOTE.match(u)]
        for el in doc.find_all(style=True):
            found += [f"{rel}: style url({u})" for u in _css_urls(el["style"]) if REMOTE.match(u)]
        for el in doc.find_all("style"):
            found += [f"{rel}: <style> url({u})" for u in _css_urls(el.get_text()) if REMOTE.match(u)]
    for css in sorted(site.rglob("*.css")):
        text = css.read_text(encoding="utf-8", errors="replace")
        found += [f"{css.relative_to(site).as_posix()}: url({u})" for u in _css_urls(text) if REMOTE.match(u)]
    for folder in own_scripts:
        for js in sorted((site / folder).rglob("*.js")) if (site / folder).is_dir() else []:
            text = js.read_text(encoding="utf-8", errors="replace")
            found += [f"{js.relative_to(site).as_posix()}: {m.group(0)}" for m in JS_REMOTE.finditer(text)]
    return found


def _css_urls(text: str) -> list[str]:
    return [m.group(2) or m.group(4) for m in CSS_URL.finditer(text)]


def broken_links(site: Path, soups: dict[Path, BeautifulSoup] | None = None) -> list[str]:
    """Internal links and #anchors that do not resolve, for directory URLs and for .html URLs alike."""
    soups = soups if soups is not None else parse_all(site)
    ids = {p: {tag["id"] for tag in doc.find_all(id=True)} for p, doc in soups.items()}
    broken = []
    for page, doc in soups.items():
        for a in doc.find_all("a", href=True):
            href = a["href"]
            parts = urlsplit(href)
            if parts.scheme or href.startswith("//"):
                continue
            if parts.path.startswith("/"):  # the 404 page links from the site root
                target = (site / unquote(parts.path).lstrip("/")).resolve()
            else:
                target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if target.is_dir():
                target = target / "index.html"
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {href}")
            elif parts.fragment and target.suffix == ".html" and unquote(parts.fragment) not in ids.get(target, set()):
                broken.append(f"{page.relative_to(site)}: {href} (no such anchor)")
    return sorted(set(broken))
