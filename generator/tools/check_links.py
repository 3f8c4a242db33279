"""python -m generator check-links FILE...: do the runbook links in alert definitions still land?

Reads any text file (Prometheus rule files with runbook_url, Alertmanager templates, PagerDuty
JSON, plain notes), finds every URL under the site's site_url, and checks its page and anchor
against what the catalog generates (error pages, case anchors, alias and former-code pages, moved
anchors, every other generated or hand-written page). lookup/?q=... always lands. No network.

One line per broken link: `file:line: <url>: what is wrong; suggestion`. Exit 0 all good,
1 a broken link, 2 bad usage, an unreadable file or a catalog that does not load.
"""
from __future__ import annotations

import difflib
import html
import re
import sys
import urllib.parse
from dataclasses import dataclass
from pathlib import Path

from markdown.extensions.toc import slugify

from .. import urls
from ..catalog import Catalog
from ..config import DOCS_DIR, GENERATED_DIRS
from ..site.pages.aliases import alias_targets
from .resolver import Resolver

ALWAYS_VALID = ("lookup/",)  # pages that answer any query: lookup/?q=<text>

_EXPLICIT_ID = re.compile(r"\{:?\s*#([A-Za-z0-9_:.-]+)|\bid=\"([^\"]+)\"")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(?:=+|-+)\s*$")  # the line under a "Title\n=====" heading
_FRONT_MATTER = re.compile(r"\A---\n.*?^(---|\.\.\.)\s*$", re.DOTALL | re.MULTILINE)
_FENCE = re.compile(r"^\s*(`{3,}|~{3,})")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_ATTR_LIST = re.compile(r"\s*\{:?[^{}]*\}\s*$")  # "### Title { data-search-exclude }": not part of the slug
_TRAILING = ".,;:!?)]}>\\'"


@dataclass(frozen=True)
class SiteMap:
    """What the built site will contain, worked out from the catalog without building it."""
    pages: dict[str, frozenset[str]]    # page path ("errors/invalid_grant/", "" for home) -> anchors
    files: frozenset[str]               # other files (api/catalog.json, javascripts/lookup.js)
    redirects: dict[str, str]           # alias page -> where it sends the reader (page, maybe #anchor)


@dataclass(frozen=True)
class Broken:
    file: str
    line: int
    url: str
    problem: str
    suggestion: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.url}: {self.problem}; {self.suggestion}"


def anchors_in(markdown: str) -> frozenset[str]:
    """Ids a Markdown page will have: explicit {#id} and id="..." plus headings' automatic slugs."""
    markdown = _FRONT_MATTER.sub("", markdown, count=1)  # its `# comments` are not headings
    ids = {a or b for a, b in _EXPLICIT_ID.findall(markdown)}
    fence = None
    previous = ""
    for line in markdown.splitlines():
        opening = _FENCE.match(line)
        if opening and (fence is None or opening.group(1).startswith(fence)):
            fence = None if fence else opening.group(1)  # a `# comment` in code is not a heading
            previous = ""
            continue
        m = _HEADING.match(line)
        title = m.group(1) if m else None
        if title is None and fence is None and _SETEXT_UNDERLINE.match(line) and previous.strip() \
                and not previous.startswith((" " * 4, "- ", "* ", "|")):
            title = previous.strip()  # "Title" over a line of === or ---
        previous = line if fence is None else ""
        if title and fence is None and not _EXPLICIT_ID.search(title):
            text = _MD_LINK.sub(r"\1", _ATTR_LIST.sub("", title))
            text = html.unescape(re.sub(r"\\(.)", r"\1", text.replace("`", "")))
            ids.add(slugify(text, "-"))
    return frozenset(ids)


def site_map(catalog: Catalog, docs_dir: Path = DOCS_DIR) -> SiteMap:
    from ..site import render  # rendering is the heavy import; resolve-only callers skip it

    sources = dict(render(catalog))
    for path in sorted(docs_dir.rglob("*")):
        rel = path.relative_to(docs_dir).as_posix()
        if path.is_file() and rel.split("/", 1)[0] not in GENERATED_DIRS and not rel.startswith("."):
            sources.setdefault(rel, path.read_text(encoding="utf-8", errors="replace") if rel.endswith(".md") else "")
    pages = {urls.hosted_url(p): anchors_in(text) for p, text in sources.items() if p.endswith(".md")}
    files = frozenset(p for p in sources if not p.endswith(".md"))
    redirects = {urls.error_url(slug): t.path for slug, t in alias_targets(catalog).items()}
    return SiteMap(pages, files, redirects)


class LinkChecker:
    def __init__(self, catalog: Catalog, base_url: str, docs_dir: Path = DOCS_DIR):
        self.site = site_map(catalog, docs_dir)
        self.resolver = Resolver(catalog)
        self.base_url = base_url
        parts = urllib.parse.urlsplit(base_url)
        # Either scheme, any case of host: both still reach the site.
        self.pattern = re.compile(r"https?://" + re.escape(parts.netloc + parts.path) + r"[^\s'\"<>`|]*",
                                  re.IGNORECASE)

    def urls(self, text: str):
        """(line number, url) for every site URL in the text."""
        for number, line in enumerate(text.splitlines(), 1):
            for m in self.pattern.finditer(line.replace("\\/", "/")):  # JSON may escape slashes
                yield number, m.group(0).rstrip(_TRAILING)

    def check_file(self, path: str, text: str) -> tuple[int, list[Broken], list[str]]:
        broken: list[Broken] = []
        notes: list[str] = []
        count = 0
        for line, url in self.urls(text):
            count += 1
            if "{{" in url or "{%" in url:
                if not self._rel(url).startswith(ALWAYS_VALID):
                    notes.append(f"{path}:{line}: {url}: templated link, not checked; link to "
                                 f"{self.base_url}lookup/?q={{{{ ... | urlquery }}}} so any error text lands")
                continue
            found = self.check(url)
            if found:
                broken.append(Broken(path, line, url, *found))
        return count, broken, notes

    def _rel(self, url: str) -> str:
        return re.sub(r"^https?://[^/]+", "", url)[len(urllib.parse.urlsplit(self.base_url).path):]

    def check(self, url: str) -> tuple[str, str] | None:
        """None when the link lands, else (what is wrong, suggestion)."""
        parts = urllib.parse.urlsplit(self._rel(url))
        page = urllib.parse.unquote(parts.path)
        anchor = urllib.parse.unquote(parts.fragment)
        if page.endswith("index.html"):
            page = page[:-len("index.html")]
        if page.startswith(ALWAYS_VALID):
            return None
        if page in self.site.files:
            return None
        if page not in self.site.pages and page + "/" in self.site.pages:
            page += "/"  # static hosts redirect a missing trailing slash, keeping the anchor
        if page in self.site.redirects:
            target_page, _, target_anchor = self.site.redirects[page].partition("#")
            if target_anchor or not anchor:
                return None  # a case alias lands on its case whatever anchor follows
            page = target_page
        if page not in self.site.pages:
            return "no such page", self._suggest_page(page, anchor)
        if anchor and anchor not in self.site.pages[page]:
            return f"no anchor #{anchor} on {page or 'the home page'}", self._suggest_anchor(page, anchor)
        return None

    def _suggest_page(self, page: str, anchor: str) -> str:
        words = " ".join(p for p in page.split("/") if p and p != "errors")
        if page.startswith("errors/"):
            got = self.resolver(f"{words} {anchor.replace('-', ' ')}")
            if got is not None:
                return f"did you mean {self.base_url}{got.path}?"
        close = difflib.get_close_matches(page, list(self.site.pages) + list(self.site.redirects), n=1, cutoff=0.75)
        if close:
            return f"did you mean {self.base_url}{close[0]}?"
        return (f"no similar page; add the entry (see {self.base_url}contributing/) or link to "
                f"{self.base_url}lookup/?q=<url-encoded error text>, which always lands")

    def _suggest_anchor(self, page: str, anchor: str) -> str:
        if page.startswith("errors/"):
            code = page.split("/")[1]
            got = self.resolver(f"{code} {anchor.replace('-', ' ')}")
            if got is not None and got.anchor and got.page == page:
                return f"did you mean {self.base_url}{got.path}?"
            cases = [c.anchor for c in self.resolver.catalog.error(code).cases] if code in self._codes else []
            close = difflib.get_close_matches(anchor, cases, n=1, cutoff=0.6)
            if close:
                return f"did you mean {self.base_url}{page}#{close[0]}?"
        else:
            close = difflib.get_close_matches(anchor, sorted(self.site.pages[page]), n=1, cutoff=0.6)
            if close:
                return f"did you mean {self.base_url}{page}#{close[0]}?"
        return f"link to the page without the anchor, {self.base_url}{page}, or to lookup/?q=<error text>"

    @property
    def _codes(self) -> set[str]:
        return {e.slug for e in self.resolver.catalog.errors}


def run(files: list[str], base_url: str) -> int:
    """The check-links command; returns the exit code."""
    from ..catalog import load_catalog
    from ..catalog.problems import CatalogError

    if not base_url:
        print("check-links: site_url is not set; set SITE_URL (or site_url in mkdocs.yml) or pass --site-url https://...",
              file=sys.stderr)
        return 2
    if not urllib.parse.urlsplit(base_url).netloc:
        print(f"check-links: --site-url {base_url}: not an absolute URL; use https://host/path/", file=sys.stderr)
        return 2
    base_url = base_url if base_url.endswith("/") else base_url + "/"
    try:
        checker = LinkChecker(load_catalog(), base_url)
    except CatalogError as exc:
        print(exc, file=sys.stderr)
        print("check-links: the catalog does not load; run `python -m generator validate`", file=sys.stderr)
        return 2
    unreadable = broken = links = 0
    for name in files:
        try:
            text = Path(name).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else "not UTF-8 text"
            print(f"{name}:1: cannot read: {reason}; pass a readable text file", file=sys.stderr)
            unreadable += 1
            continue
        count, found, notes = checker.check_file(name, text)
        links += count
        broken += len(found)
        for problem in found:
            print(problem)
        for note in notes:
            print(note, file=sys.stderr)
    print(f"check-links: {links} link(s) to {base_url} in {len(files) - unreadable} file(s), {broken} broken",
          file=sys.stderr)
    if unreadable:
        return 2
    return 1 if broken else 0
