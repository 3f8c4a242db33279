"""The built site for a catalog of every code: family guides, reference pages, the decision tree's
first question, and the size limits that keep a thousand pages cheap for readers."""
from __future__ import annotations

import gzip
import json
from pathlib import Path

from bs4 import BeautifulSoup

from generator import urls

LIMIT_REFERENCE_PAGE = 20 * 1024     # bytes of HTML
LIMIT_SEARCH_INDEX = 2.5 * 1024 * 1024
LIMIT_LOOKUP_GZIP = 150 * 1024


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def page(site: Path, url: str) -> Path:
    return site / url.split("#")[0] / "index.html"


def test_every_family_has_a_guide_that_lists_its_runbooks(built_site, catalog):
    for fid, family in catalog.families.items():
        guide = soup(page(built_site, urls.hosted_url(urls.family_md(fid))))
        assert guide.h1.get_text(strip=True).startswith(family.title)
        ids = {t["id"] for t in guide.find_all(id=True)}
        assert {"how-it-reports-errors", "where-to-look", "what-is-safe-to-retry", "investigate",
                urls.UNKNOWN_CODE_ID} <= ids, fid
        listed = {a["href"].split("/")[-2] for a in guide.select("#codes ~ ul a[href]") if "/errors/" in a["href"]}
        own = {e.slug for e in catalog.errors if catalog.categories[e.category].family == fid}
        assert own <= listed, f"{fid}: guide does not list {sorted(own - listed)}"


def test_every_runbook_links_to_its_family_guide(built_site, catalog):
    for entry in catalog.errors:
        fid = catalog.categories[entry.category].family
        html = soup(page(built_site, urls.error_url(entry.code)))
        hrefs = {a["href"] for a in html.select("article a[href]")}
        assert f"../../guides/{fid}/" in hrefs, entry.code


def test_the_decision_tree_asks_for_the_family_first(built_site, catalog):
    tree = soup(built_site / "decision-tree" / "index.html")
    first = tree.find(id="which-api-reported-it")
    answers = [a["href"] for a in first.find_next("ul").select("a[href]")]
    order = sorted(catalog.families, key=lambda f: (catalog.families[f].order, f))
    assert answers == [f"#{urls.decision_tree_family_id(f)}" for f in order]
    for fid in order:
        section = tree.find(id=urls.decision_tree_family_id(fid))
        assert section is not None and section.name == "h3"


def test_reference_pages_are_small_and_say_what_is_known(built_site, catalog):
    sizes = {}
    for ref in catalog.references:
        path = page(built_site, urls.error_url(ref.code))
        sizes[ref.code] = path.stat().st_size
    assert len(sizes) == len(catalog.references) >= 600
    biggest = max(sizes, key=sizes.get)
    assert sizes[biggest] <= LIMIT_REFERENCE_PAGE, f"{biggest}: {sizes[biggest]} bytes"
    named_only = next(r for r in catalog.references if not r.entry.meaning and r.family == "api")
    text = soup(page(built_site, urls.error_url(named_only.code))).article.get_text(" ", strip=True)
    assert "Salesforce documents only the name" in text
    assert "new-error " + named_only.code in text
    with_meaning = next(r for r in catalog.references if r.entry.meaning and r.family == "bulk")
    html = soup(page(built_site, urls.error_url(with_meaning.code)))
    assert with_meaning.entry.meaning in html.article.get_text(" ", strip=True)
    assert {a["href"] for a in html.select("article a[href]")} >= set(with_meaning.entry.sources)


def test_reference_pages_are_searchable_by_code_and_title_only(built_site, catalog):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    assert (built_site / "search" / "search_index.json").stat().st_size <= LIMIT_SEARCH_INDEX
    by_page: dict[str, list[dict]] = {}
    for doc in index["docs"]:
        by_page.setdefault(doc["location"].split("#")[0], []).append(doc)
    for ref in catalog.references:
        docs = by_page[urls.error_url(ref.code)]
        assert [d["text"] for d in docs] == [""], ref.code
        assert ref.code in docs[0]["title"]


def test_the_lookup_data_stays_small(built_site):
    data = (built_site / "api" / "catalog.json").read_bytes()
    assert len(gzip.compress(data, 9)) <= LIMIT_LOOKUP_GZIP


def test_the_write_a_runbook_link_prefills_the_code(built_site, catalog):
    ref = catalog.references[0]
    html = soup(page(built_site, urls.error_url(ref.code)))
    link = html.find("a", string=lambda s: s and "How to write a runbook" in s)
    assert link["href"] == f"../../contributing/?code={ref.code}#write-a-runbook"
    contributing = soup(built_site / "contributing" / "index.html")
    assert contributing.find(id="write-a-runbook") is not None
    assert contributing.select_one("code[data-rb-fill-code]") is not None
