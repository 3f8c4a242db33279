"""Assertions on the real built site: pages, anchors, links, search index, no external requests."""
from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from site_scan import broken_links, parse_all


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


@pytest.fixture(scope="session")
def site_soups(built_site):
    """Every built page, parsed once for all the checks of this file."""
    return parse_all(built_site)


def test_every_error_page_and_case_anchor_exists(built_site, catalog):
    missing = []
    for entry in catalog.errors:
        page = built_site / "errors" / entry.slug / "index.html"
        if not page.is_file():
            missing.append(f"errors/{entry.slug}/ (page)")
            continue
        ids = {tag["id"] for tag in soup(page).find_all(id=True)}
        missing += [f"errors/{entry.slug}/#{c.anchor}" for c in entry.cases if c.anchor not in ids]
    assert not missing, "missing in the built site: " + ", ".join(missing)


def test_case_anchor_lands_on_the_triage_box(built_site, catalog):
    entry = catalog.error("invalid_grant")
    page = soup(built_site / "errors/invalid_grant/index.html")
    for case in entry.cases:
        heading = page.find(id=case.anchor)
        box = heading.find_next_sibling()
        assert box is not None and "admonition" in box.get("class", []), case.anchor
        assert "First step" in box.get_text(), case.anchor


def test_no_page_repeats_an_id(built_site, site_soups):
    repeated = []
    for page, doc in site_soups.items():
        ids = [tag["id"] for tag in doc.find_all(id=True)]
        repeated += [f"{page.relative_to(built_site)}: #{i}" for i in sorted({i for i in ids if ids.count(i) > 1})]
    assert not repeated, "ids used twice on one page:\n" + "\n".join(repeated)


def test_internal_links_and_anchors_resolve(built_site, site_soups):
    broken = broken_links(built_site, site_soups)
    assert not broken, "broken links:\n" + "\n".join(broken)


@pytest.fixture(scope="session")
def search_index(built_site):
    return json.loads((built_site / "search" / "search_index.json").read_text())


def tokens(index: dict, text: str) -> set[str]:
    """Split as the site's lunr search does: the configured separator, lower case."""
    plain = re.sub(r"<[^>]+>", " ", text).lower()
    return {t for t in re.split(index["config"]["separator"], plain) if t}


_DOC_TOKENS: dict[int, list[tuple[str, set[str]]]] = {}


def locations_for(index: dict, query: str) -> set[str]:
    words = tokens(index, query)
    if id(index) not in _DOC_TOKENS:  # tokenise the thousand pages once, not once per query
        _DOC_TOKENS[id(index)] = [(d["location"], tokens(index, d["title"] + " " + d["text"])) for d in index["docs"]]
    return {location for location, doc in _DOC_TOKENS[id(index)] if words <= doc}


@pytest.mark.parametrize("query", ["grant", "invalid_grant", "INVALID_GRANT", "invalid grant"])
def test_search_finds_invalid_grant_by_code_and_parts(search_index, query):
    assert "errors/invalid_grant/" in locations_for(search_index, query)


def test_search_finds_every_case_by_its_words(search_index, catalog):
    missing = []
    for entry in catalog.errors:
        for case in entry.cases:
            found = locations_for(search_index, case.description)
            if not any(loc.startswith(f"errors/{entry.slug}/") for loc in found):
                missing.append(f"{entry.code}: {case.description}")
    assert not missing, "cases search cannot find by their own words:\n" + "\n".join(missing)


def test_search_separator_splits_underscores(search_index):
    assert "readonly" in tokens(search_index, "INSUFFICIENT_ACCESS_OR_READONLY")


def test_every_error_page_links_to_salesforce_trust_status(built_site, catalog, site_soups):
    for entry in catalog.errors:
        page = site_soups[built_site / "errors" / entry.slug / "index.html"]
        links = [a["href"] for a in page.select("p.trust-status a[href]")]
        assert links == ["https://status.salesforce.com/"], entry.slug
