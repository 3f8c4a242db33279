"""A catalog that grows: pages that would hold every code in full split, integration pages stop
copying cases, the search index keeps each thing once (and, in a big catalog, only what people
search for), one edit rewrites only the pages that show it, and the fast YAML path reads exactly
what the strict loader reads. Thresholds are lowered here so the real catalog plays a big one;
benchmarks/build_bench.py measures the real thing at 1,000 errors.
"""
from __future__ import annotations

import datetime as dt
import html
import json
import posixpath
import re
from pathlib import Path

import markdown
import pytest
import yaml
from bs4 import BeautifulSoup
from material.plugins.search.plugin import Parser

from generator.catalog import load_catalog, yaml_source
from generator.config import Settings
from generator.site import render
from generator.write import sync

ROOT = Path(__file__).resolve().parent.parent
TODAY = dt.date(2026, 6, 1)
SITE = "https://runbooks.example.com/"


def to_html(md_text: str) -> BeautifulSoup:
    """The page as MkDocs would turn it into HTML (front matter dropped, the site's extensions)."""
    body = md_text.split("---\n", 2)[2] if md_text.startswith("---\n") else md_text
    out = markdown.markdown(body, extensions=["admonition", "attr_list", "tables", "toc", "md_in_html",
                                              "pymdownx.superfences"])
    return BeautifulSoup(out, "html.parser")


def indexed_sections(md_text: str) -> dict[str, str]:
    """section id -> text, as Material's search plugin indexes the page (excluded sections left out)."""
    parser = Parser()
    parser.feed(str(to_html(md_text)))
    parser.close()
    return {(s.id or ""): "".join(s.text) for s in parser.data if not s.is_excluded()}


def case_keys(catalog) -> list[str]:
    return sorted(f"{e.slug}#{c.anchor}" for e in catalog.errors for c in e.cases)


def url_of(md_path: str) -> str:
    """The served URL of a docs/ Markdown page (use_directory_urls)."""
    return SITE + (md_path.removesuffix("index.md") if md_path.endswith("index.md") else md_path[:-3] + "/")


def link_target(md_path: str, href: str) -> tuple[str, str]:
    """(docs/ path, anchor) a relative Markdown link on md_path points to."""
    path, _, anchor = href.partition("#")
    return posixpath.normpath(posixpath.join(posixpath.dirname(md_path), path)) if path else md_path, anchor


@pytest.fixture
def big():
    """The real catalog rendered as if it were past every threshold."""
    return lambda catalog: render(catalog, today=TODAY, settings=Settings(split_at=5, lean_search_at=5))


# --- the real catalog stays on one page each ----------------------------------------------------


def test_the_real_catalog_keeps_one_decision_tree_page_and_one_checklist_page(catalog):
    files = render(catalog, today=TODAY, settings=Settings(split_at=len(catalog.errors)))
    assert [p for p in files if p.startswith("decision-tree/")] == ["decision-tree/index.md"]
    assert [p for p in files if p.startswith("checklists/")] == ["checklists/index.md"]


# --- decision tree: one page per code ------------------------------------------------------------


def test_a_big_catalog_gets_one_decision_tree_page_per_code_and_every_case_is_one_leaf(catalog, big):
    files = big(catalog)
    pages = sorted(p for p in files if p.startswith("decision-tree/"))
    assert pages == sorted(["decision-tree/index.md"] + [f"decision-tree/{e.slug}.md" for e in catalog.errors])
    leaves = []
    for entry in catalog.errors:
        path = f"decision-tree/{entry.slug}.md"
        page = to_html(files[path])
        for block in page.select("div.dt-leaf"):
            link = block.find("a", string=re.compile("Full case"))
            target, anchor = link_target(path, link["href"])
            assert target == f"errors/{entry.slug}.md", path
            leaves.append(f"{entry.slug}#{anchor}")
        ids = {t["id"] for t in page.find_all(id=True)}
        missing = [a["href"] for a in page.select('a[href^="#"]') if a["href"][1:] not in ids]
        assert missing == [], path
    assert sorted(leaves) == case_keys(catalog)


def test_a_big_catalogs_overview_lists_every_code_by_category(catalog, big):
    page = to_html(big(catalog)["decision-tree/index.md"])
    assert {t["id"] for t in page.find_all(id=True)} >= {f"dt-category-{e.category}" for e in catalog.errors}
    hrefs = {a["href"] for a in page.select("li > a[href]")}
    # First question: which API family, each answer a section of the page.
    assert {h for h in hrefs if h.startswith("#")} == {f"#dt-family-{fid}" for fid in catalog.families}
    assert {t["id"] for t in page.find_all(id=True)} >= {f"dt-family-{fid}" for fid in catalog.families}
    # Then the code: every code once, pointing at its own page of the split tree.
    assert {h for h in hrefs if not h.startswith(("#", "../"))} == {f"{e.slug}.md" for e in catalog.errors}
    assert not page.select("div.dt-leaf")


# --- flows and Setup paths: one line per code ----------------------------------------------------


def _links(page: BeautifulSoup, md_path: str) -> set[tuple[str, str]]:
    return {link_target(md_path, a["href"]) for a in page.select("a[href]")}


def test_a_big_catalogs_flow_pages_list_every_case_of_the_flow_one_row_per_code(catalog, big):
    files = big(catalog)
    for flow_id in catalog.flows:
        path = f"flows/{flow_id}.md"
        page = to_html(files[path])
        (table,) = [t for t in page.select("table") if t.select_one("th") and t.th.get_text() == "Error"]
        rows = table.select("tbody tr")
        expected = {e.slug for e in catalog.errors for c in e.cases if "any" in c.flows or flow_id in c.flows}
        assert sorted(r.td.a["href"] for r in rows) == sorted(f"../errors/{slug}.md" for slug in expected), path
        cases = {(f"errors/{e.slug}.md", c.anchor) for e in catalog.errors for c in e.cases
                 if "any" in c.flows or flow_id in c.flows}
        assert cases <= _links(page, path), f"{path} lost a case link"
        assert not table.find(string=re.compile("First step")), path  # steps stay on the error pages


def test_a_big_catalogs_setup_paths_page_names_each_code_once_per_screen(catalog, big):
    page = to_html(big(catalog)["reference/setup-paths.md"])
    site = render(catalog, today=TODAY)  # the same catalog, small: a link per case
    small = to_html(site["reference/setup-paths.md"])
    for heading in small.select("h2[id]"):
        big_section = page.find("h2", id=heading["id"])
        assert big_section, heading["id"]
        want = {a["href"].partition("#")[0] for a in _section(heading).select("a[href^='../errors/']")}
        got = [a["href"] for a in _section(big_section).select("a[href^='../errors/']")]
        assert sorted(got) == sorted(want), heading["id"]  # every code, each once, no case anchors


def _section(heading) -> BeautifulSoup:
    """The elements after an h2 up to the next h2, as one soup."""
    parts = []
    for sibling in heading.find_next_siblings():
        if sibling.name == "h2":
            break
        parts.append(str(sibling))
    return BeautifulSoup("".join(parts), "html.parser")


# --- checklists: one page per category -----------------------------------------------------------


def test_a_big_catalog_prints_checklists_by_category_and_error_pages_link_to_the_right_sheet(catalog, big):
    files = big(catalog)
    categories = sorted({e.category for e in catalog.errors})
    assert sorted(p for p in files if p.startswith("checklists/")) == sorted(
        ["checklists/index.md"] + [f"checklists/{c}.md" for c in categories])
    index = to_html(files["checklists/index.md"])
    assert {a["href"] for a in index.select("li > a[href]")} == {f"{c}.md" for c in categories}
    for entry in catalog.errors:
        error_page = to_html(files[f"errors/{entry.slug}.md"])
        link = error_page.find("a", string="Printable one-page version")
        target, anchor = link_target(f"errors/{entry.slug}.md", link["href"])
        assert target == f"checklists/{entry.category}.md"
        sheet = to_html(files[target]).find(id=anchor)
        assert sheet is not None and entry.code in sheet.get_text(), entry.slug


# --- integration pages ---------------------------------------------------------------------------

from test_integrations import INVENTORY  # noqa: E402  one sample inventory for all tests


def test_an_integration_page_points_to_the_cases_instead_of_copying_them_past_the_limit(make_catalog):
    root = make_catalog()  # one code, two cases the JWT bearer flow can hit (its own and `any`)
    (root / "integrations").mkdir()
    (root / "integrations" / "acme-erp.yaml").write_text(INVENTORY)
    catalog = load_catalog(root)
    case_ids = {f"test-only-code-{c.anchor}" for c in catalog.errors[0].cases}

    inline = to_html(render(catalog, today=TODAY, settings=Settings(inline_limit=2))["integrations/acme-erp.md"])
    assert case_ids <= {t["id"] for t in inline.find_all(id=True)}

    page = to_html(render(catalog, today=TODAY, settings=Settings(inline_limit=1))["integrations/acme-erp.md"])
    assert not case_ids & {t["id"] for t in page.find_all(id=True)}
    cases = page.find(id="cases").find_next("p").get_text()
    assert "can run into 2 cases in 1 error code," in cases
    links = {a.get_text(): a["href"] for a in page.find(id="cases").find_all_next("a")}
    assert links["lookup"] == "../lookup.md"
    assert links["JWT bearer flow page"] == "../flows/jwt_bearer.md#cases"
    rows = {tr.find_all("td")[0].get_text(): tr.find_all("td")[1].get_text() for tr in page.select("tbody tr")
            if tr.find("em")}
    assert rows == {"the connected app": "Acme ERP App", "the integration user": "erp.sync@acme.example",
                    "the login host": "acme.my.salesforce.com", "the org": "acme.my.salesforce.com"}


# --- search index ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_index(built_site):
    docs = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))["docs"]
    return {d["location"]: d for d in docs}


def plain(text: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", "", text)).replace("`", "").split())


def test_search_finds_every_case_once_by_its_message_and_meaning(search_index, catalog):
    for entry in catalog.errors:
        for case in entry.cases:
            section = search_index.get(f"errors/{entry.slug}/#{case.anchor}")
            assert section is not None, f"{entry.slug}#{case.anchor} is not in the search index"
            assert plain(case.meaning) in plain(section["text"])
            # The triage's first step is fix step 1 again: it is indexed once, under "How to fix it".
            assert "First step" not in section["text"], entry.slug
            assert f"errors/{entry.slug}/#{case.anchor}-fix" in search_index  # full index: a small catalog


def test_search_leaves_out_duplicates_and_boilerplate(search_index):
    left_out = ("#at-a-glance", "#cases", "#if-the-error-changes", "#related-errors", "#further-reading",
                "#about-this-entry")
    errors = [loc for loc in search_index if loc.startswith("errors/")]
    assert errors, "no error page in the search index"
    assert [loc for loc in errors if loc.endswith(left_out)] == []
    pages = {loc.split("#")[0] for loc in search_index}
    assert not {p for p in pages if p.startswith(("checklists/", "review/", "decision-tree/")) or p == "errors/"}
    assert not [loc for loc in search_index if re.fullmatch(r"flows/[^/]+/#cases", loc)]
    # An integration is found by its name and its facts; its flow and its cases have pages of their own.
    assert [loc for loc in search_index if re.fullmatch(r"integrations/[^/]+/#.+", loc)
            and not loc.endswith("#at-a-glance")] == []


def test_a_big_catalogs_search_index_keeps_what_people_search_for(catalog, big):
    entry = catalog.error("invalid_grant")  # many cases, some with a diagnose command
    sections = indexed_sections(big(catalog)[f"errors/{entry.slug}.md"])
    # The top of the page, each case, and each case's causes and fix steps (they name the Setup labels
    # and concepts people type); not the investigation commands, facts or notes.
    assert set(sections) == ({""} | {c.anchor for c in entry.cases} | {f"{c.anchor}-causes" for c in entry.cases}
                             | {f"{c.anchor}-fix" for c in entry.cases})
    for case in entry.cases:
        assert plain(case.causes[0]) in plain(sections[f"{case.anchor}-causes"])
        text = plain(sections[case.anchor])
        assert plain(case.meaning) in text
        assert all(plain(m) in text for m in case.match)
        assert "```" not in sections[case.anchor] and "<pre>" not in sections[case.anchor]  # no diagnose
    assert plain(entry.summary) in plain(sections[""])
    assert "HTTP status" not in sections[""]  # the facts table
    full = indexed_sections(render(catalog, today=TODAY, settings=Settings(lean_search_at=10_000))[f"errors/{entry.slug}.md"])
    # Below lean_search_at everything is indexed (the real catalog is past it now).
    assert {f"{c.anchor}-causes" for c in entry.cases} | {"what-the-platform-is-checking"} <= set(full)
    assert "HTTP status" in full[""] and any("<pre>" in full[c.anchor] for c in entry.cases)


# --- one edit, few writes ---------------------------------------------------------------------------


def test_one_summary_edit_rewrites_only_the_pages_that_show_the_summary(make_catalog, tmp_path):
    root = make_catalog(with_real_errors=True)
    docs = tmp_path / "docs"
    sync(render(load_catalog(root), today=TODAY), docs)
    path = root / "errors" / "invalid_session_id.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    data["summary"] += " Edited."
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    report = sync(render(load_catalog(root), today=TODAY), docs)
    assert sorted(report.written) == [f"categories/{data['category']}.md", "errors/invalid_session_id.md"]
    assert report.deleted == []


# --- YAML: one strict loader --------------------------------------------------------------------

# (file text, what loading it gives: the data, or the line and the start of the one problem)
ODD_FILES = [
    ("a: 1\nb: [1, 2.5, true, null, ~, 0x1F, 2026-01-01]\n",
     {"a": 1, "b": [1, 2.5, True, None, None, 31, "2026-01-01"]}),
    ("400: x\n'400': y\n", (2, "duplicate key (first on line 1)")),   # the same key as written twice
    ("a: &x 1\nb: *x\n", (2, "YAML aliases")),
    ("&k key: 1\nz: *k\n", (2, "YAML aliases")),                       # an alias to a key
    ("a: b\na: c\n", (2, "duplicate key (first on line 1)")),
    ("<<: {a: 1}\n", (1, "YAML merge keys")),
    ("? [a]\n: 1\n", (1, "keys must be plain words")),
    ("a: !!set {x, y}\n", (1, "the tag tag:yaml.org,2002:set is not allowed")),
    ("a: !!binary aGVsbG8=\n", (1, "the tag tag:yaml.org,2002:binary is not allowed")),
    ("a: !!python/object:os.system x\n", (1, "the tag tag:yaml.org,2002:python/object:os.system is not allowed")),
    ("k: !!str 12\n", {"k": "12"}),
    ("a: 'x'\n---\nb: 2\n", (2, "YAML syntax error")),
    ("a: \x01\n", (1, "")),
    ("[" * 50 + "]" * 50 + "\n", (1, "nesting deeper than 40 levels")),
    ("", None),
]


@pytest.mark.parametrize(("text", "expected"), ODD_FILES, ids=range(len(ODD_FILES)))
def test_odd_yaml_is_read_or_refused_with_its_line(tmp_path, text, expected):
    path = tmp_path / "odd.yaml"
    path.write_text(text, encoding="utf-8")
    doc, problems = yaml_source.load(path)
    if isinstance(expected, tuple):
        line, start = expected
        assert doc is None and len(problems) == 1, problems
        assert (problems[0].line, problems[0].message[:len(start)]) == (line, start), problems[0]
    else:
        assert problems == [] and doc.data == expected


def test_every_catalog_file_loads_with_a_line_for_every_key():
    files = sorted((ROOT / "catalog").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").glob("*.yaml"))
    assert files
    for path in files:
        doc, problems = yaml_source.load(path)
        assert problems == [], path
        if isinstance(doc.data, dict):
            assert all((key,) in doc.lines for key in doc.data), path
