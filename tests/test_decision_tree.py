"""The decision tree page: built from the catalog alone, every case a leaf, pictures that link to cases."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import screenshot
from generator.catalog import load_catalog
from generator.decision_tree import Leaf, Question, build_tree, leaves, questions
from generator.render import render

PAGE = Path("decision-tree/index.html")
SVG = re.compile(r'<svg xmlns="http://www.w3.org/2000/svg" class="dt-svg".*?</svg>', re.S)
NS = "{http://www.w3.org/2000/svg}"


def case_keys(catalog) -> list[str]:
    return sorted(f"{e.slug}#{c.anchor}" for e in catalog.errors for c in e.cases)


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- the tree itself ---------------------------------------------------------------------------


def test_every_case_is_exactly_one_leaf(catalog):
    assert sorted(leaf.key for leaf in leaves(build_tree(catalog))) == case_keys(catalog)


def test_no_question_has_a_single_answer(catalog):
    tree = build_tree(catalog)
    assert tree.asks == "code"
    assert [q.id for q in questions(tree) if len(q.answers) < 2] == []


def test_a_code_with_one_case_leads_straight_to_its_leaf(catalog):
    kinds = set()
    for answer in build_tree(catalog).answers:
        entry = answer.child.entry
        single = len(entry.cases) == 1
        kinds.add(single)
        assert isinstance(answer.child, Leaf) == single, entry.code
        if not single:
            assert answer.child.asks == "message"
    assert kinds == {True, False}, "the catalog should have codes with one case and with several"


def _twins(catalog, **differences):
    """A catalog whose only code has two cases with the same message, differing as given."""
    entry = next(e for e in catalog.errors if len(e.cases) > 1)
    first = entry.cases[0]
    cases = [first.model_copy(update={k: v[0] for k, v in differences.items()}),
             first.model_copy(update={"meaning": "The other one.", **{k: v[1] for k, v in differences.items()}})]
    return replace(catalog, errors=(entry.model_copy(update={"cases": cases}),)), entry


def test_one_message_with_two_causes_asks_for_the_flow(catalog):
    twins, entry = _twins(catalog, flows=(["jwt_bearer"], ["web_server", "device"]))
    tree = build_tree(twins)
    (answer,) = tree.answers  # a one-code catalog: the code question is the only other question
    assert isinstance(answer.child, Question) and answer.child.asks == "flow"
    labels = [a.label for a in answer.child.answers]
    assert labels == [catalog.flows["jwt_bearer"].name,
                      f"{catalog.flows['web_server'].name} or {catalog.flows['device'].name}"]
    assert all(isinstance(a.child, Leaf) for a in answer.child.answers)


def test_then_for_login_history_and_never_an_invented_question(catalog):
    twins, _ = _twins(catalog, flows=(["any"], ["any"]), login_history=(["Restricted IP"], ["User is frozen"]))
    (answer,) = build_tree(twins).answers
    assert answer.child.asks == "login_history"
    assert [a.label for a in answer.child.answers] == ["Restricted IP", "User is frozen"]

    same, _ = _twins(catalog, flows=(["any"], ["any"]), login_history=([], []))
    with pytest.raises(ValueError, match="nothing in the catalog tells these cases apart"):
        build_tree(same)


# --- the generated page, before MkDocs ---------------------------------------------------------

HOSTILE = '''
  - description: 'x < y & "z" </svg><script>alert(1)</script>'
    evidence: documented
    sources: [https://example.com/source]
    flows: [web_server]
    meaning: 'Means <b>bold</b> & more.'
    admin_needed: false
    recovery: automatic
    causes: [A test made it.]
    steps: [Look.]
'''


def test_a_new_case_adds_its_leaf_and_svg_text_is_xml_escaped(make_catalog):
    fixture = (Path(__file__).parent / "fixtures" / "minimal_error.yaml").read_text()
    fixture = fixture.replace("\nchecklist:", HOSTILE.rstrip("\n") + "\nchecklist:", 1)
    catalog = load_catalog(make_catalog({"test_only_code.yaml": fixture}))
    assert len(catalog.errors[0].cases) == 3
    page = render(catalog)["decision-tree/index.md"]
    svgs = SVG.findall(page)
    assert len(svgs) == 2  # the overview and the one code
    assert "<script" not in page
    drawn = {}
    for svg in svgs:
        root = ET.fromstring(svg)  # well-formed XML, whatever the catalog text holds
        for link in root.iter(f"{NS}a"):
            if link.get("data-case"):
                drawn[link.get("data-case")] = link.find(f"{NS}g/{NS}title").text
    hostile = catalog.errors[0].cases[2]
    assert set(drawn) == {f"test_only_code#{c.anchor}" for c in catalog.errors[0].cases}
    assert drawn[f"test_only_code#{hostile.anchor}"] == f"{hostile.description}: {hostile.meaning}"


# --- the built site ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def page_html(built_site):
    return built_site / PAGE


def test_every_leaf_links_to_an_anchor_that_exists(built_site, catalog, page_html):
    html = soup(page_html)
    nodes = html.select("svg.dt-svg a[data-case]")
    assert sorted(a["data-case"] for a in nodes) == case_keys(catalog)
    assert len(html.select("[data-case]")) == len(nodes)
    ids_cache: dict[Path, set[str]] = {}
    broken = []
    for a in nodes:
        block = html.find(id=_leaf_id(a["data-case"]))  # the leaf's text block on the page
        full_case = [x["href"] for x in block.select("a[href]") if "errors/" in x["href"]]
        assert full_case, f"leaf {a['data-case']} has no link to its full case"
        for href in [a["href"], *full_case]:
            parts = urlsplit(href)
            target = (page_html.parent / unquote(parts.path)).resolve()
            if target.is_dir():
                target = target / "index.html"
            if target not in ids_cache:
                ids_cache[target] = {t["id"] for t in soup(target).find_all(id=True)} if target.is_file() else set()
            code, anchor = a["data-case"].split("#")
            if target != (built_site / "errors" / code / "index.html").resolve() or anchor != parts.fragment \
                    or anchor not in ids_cache[target]:
                broken.append(f"{a['data-case']} -> {href}")
    assert broken == []


def _leaf_id(key: str) -> str:
    code, anchor = key.split("#")
    return f"{code}--{anchor}"


def test_pictures_are_valid_svg_one_overview_plus_one_per_code(catalog, page_html):
    svgs = SVG.findall(page_html.read_text(encoding="utf-8"))
    assert len(svgs) == 1 + len(catalog.errors)
    for svg in svgs:
        root = ET.fromstring(svg)
        assert float(root.get("width")) > 0 and float(root.get("height")) > 0


def test_every_answer_link_on_the_page_has_its_target(page_html):
    html = soup(page_html)
    ids = {t["id"] for t in html.find_all(id=True)}
    content = html.select_one("article")
    missing = [a["href"] for a in content.select('a[href^="#"]') if a["href"][1:] and a["href"][1:] not in ids]
    assert missing == []


def test_page_is_in_the_nav_and_linked_from_home_and_the_error_index(built_site):
    for page in ("index.html", "errors/index.html"):
        hrefs = [a["href"] for a in soup(built_site / page).select("article a[href]")]
        assert any(h.rstrip("/").endswith("decision-tree") for h in hrefs), page
    nav = [a.get_text(strip=True) for a in soup(built_site / "index.html").select("nav.md-nav--primary a")]
    assert "Decision tree" in nav


# --- in Chromium -------------------------------------------------------------------------------


@pytest.mark.parametrize("width", [390, 1280])
def test_page_renders_offline_with_one_picture_node_per_case(site_server, page_factory, catalog, width):
    page = page_factory(width, 900)
    page.goto(site_server + "decision-tree/", wait_until="load")
    assert page.locator("svg.dt-svg [data-case]").count() == len(case_keys(catalog))
    assert page.locator("svg.dt-svg").count() == 1 + len(catalog.errors)
    # Pictures keep their drawn size (text stays readable); a wide one scrolls in its own box.
    for svg in page.locator("svg.dt-svg").all()[:3]:
        box = svg.bounding_box()
        assert box["width"] == pytest.approx(float(svg.get_attribute("width")), abs=1)
    screenshot(page, f"decision-tree-{width}")
    busiest = max(catalog.errors, key=lambda e: len(e.cases))
    page.evaluate(f"document.getElementById('dt-code-{busiest.slug}').scrollIntoView()")
    page.evaluate("window.scrollBy(0, -70)")
    screenshot(page, f"decision-tree-{busiest.slug}-{width}")
    assert page.external_requests == []


@pytest.mark.parametrize("width", [390, 1280])
def test_clicking_a_case_node_lands_on_its_section(site_server, page_factory, catalog, width):
    busiest = max(catalog.errors, key=lambda e: len(e.cases))
    case = busiest.cases[-1]  # the bottom of the tallest picture: the click must scroll to it
    page = page_factory(width, 900)
    page.goto(site_server + "decision-tree/", wait_until="load")
    with page.expect_navigation():
        page.locator(f'svg.dt-svg [data-case="{busiest.slug}#{case.anchor}"]').click()
    url = urlsplit(page.url)
    assert url.path.endswith(f"/errors/{busiest.slug}/")
    assert url.fragment == case.anchor
    assert page.locator(f'[id="{case.anchor}"]').count() == 1
    assert page.locator(f'[id="{case.anchor}"]').is_visible()
    assert page.external_requests == []
