"""The decision tree page: built from the catalog alone, two questions, every case one answer."""
from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from conftest import screenshot

from generator.catalog import load_catalog
from generator.site import render

PAGE = Path("decision-tree/index.html")


def case_keys(catalog) -> list[str]:
    return sorted(f"{e.slug}#{c.anchor}" for e in catalog.errors for c in e.cases)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def leaf_keys(html: BeautifulSoup) -> list[str]:
    return sorted(block["id"].replace("--", "#", 1) for block in html.select("div.dt-leaf"))


def test_a_new_case_adds_its_leaf(make_catalog):
    root = make_catalog()
    catalog = load_catalog(root)
    page = render(catalog)["decision-tree/index.md"]
    for entry in catalog.errors:
        for case in entry.cases:
            assert f'id="{entry.slug}--{case.anchor}"' in page


@pytest.fixture(scope="module")
def page_html(built_site):
    return built_site / PAGE


@pytest.fixture(scope="module")
def tree_pages(built_site):
    """The overview and, in a split catalog, one page per code: {path: parsed page}."""
    return {p: soup(p) for p in sorted((built_site / "decision-tree").rglob("index.html"))}


def test_every_case_is_one_leaf_that_links_to_its_section(built_site, catalog, tree_pages):
    keys, broken = [], []
    ids_of: dict[Path, set[str]] = {}  # each error page parsed once, not once per case
    for path, html in tree_pages.items():
        keys += leaf_keys(html)
        for block in html.select("div.dt-leaf"):
            code, anchor = block["id"].split("--", 1)
            (href,) = [a["href"] for a in block.select("a[href]") if "errors/" in a["href"]]
            parts = urlsplit(href)
            target = (path.parent / unquote(parts.path)).resolve() / "index.html"
            if target not in ids_of:
                ids_of[target] = {t["id"] for t in soup(target).find_all(id=True)} if target.is_file() else set()
            ids = ids_of[target]
            if target != (built_site / "errors" / code / "index.html").resolve() or parts.fragment != anchor \
                    or anchor not in ids:
                broken.append(f"{code}#{anchor} -> {href}")
    assert sorted(keys) == case_keys(catalog)
    assert broken == []


def test_every_answer_link_has_its_target(tree_pages):
    for path, html in tree_pages.items():
        ids = {t["id"] for t in html.find_all(id=True)}
        content = html.select_one("article")
        missing = [a["href"] for a in content.select('a[href^="#"]') if a["href"][1:] and a["href"][1:] not in ids]
        assert missing == [], path


def test_codes_with_several_cases_ask_for_the_message(catalog, tree_pages):
    for entry in catalog.errors:
        section = next((h.find(id=f"code-{entry.slug}") for h in tree_pages.values()
                        if h.find(id=f"code-{entry.slug}")), None)
        assert section is not None, entry.slug
        asks = section.find_next(lambda t: t.name == "p" and "message say" in t.get_text())
        if len(entry.cases) > 1:
            assert asks is not None and asks.find_previous(["h1", "h2"]) is section, entry.slug


def test_page_is_in_the_nav_and_linked_from_home_and_the_error_index(built_site):
    for page in ("index.html", "errors/index.html"):
        hrefs = [a["href"] for a in soup(built_site / page).select("article a[href]")]
        assert any(h.rstrip("/").endswith("decision-tree") for h in hrefs), page
    nav = [a.get_text(strip=True) for a in soup(built_site / "index.html").select("nav.md-nav--primary a")]
    assert "Decision tree" in nav


@pytest.mark.browser
@pytest.mark.parametrize("width", [390, 1280])
def test_clicking_a_code_then_a_message_lands_on_the_case(site_server, page_factory, catalog, width):
    busiest = max(catalog.errors, key=lambda e: len(e.cases))
    case = busiest.cases[-1]
    page = page_factory(width, 900)
    page.goto(site_server + "decision-tree/", wait_until="load")
    page.locator(f'article li > a[href="#code-{busiest.slug}"], article li > a[href="{busiest.slug}/"]').click()
    page.wait_for_load_state("load")
    page.locator(f'article li > a[href="#{busiest.slug}--{case.anchor}"]').click()
    leaf = page.locator(f'[id="{busiest.slug}--{case.anchor}"]')
    assert leaf.is_visible()
    screenshot(page, f"decision-tree-{busiest.slug}-{width}")
    with page.expect_navigation():
        leaf.get_by_text("Full case").click()
    url = urlsplit(page.url)
    assert url.path.endswith(f"/errors/{busiest.slug}/") and url.fragment == case.anchor
    assert page.locator(f'[id="{case.anchor}"]').is_visible()
    assert page.external_requests == []
