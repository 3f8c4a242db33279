"""In Chromium: search ranks runbook cases above the thousand reference pages, the lookup names its
tier, and the contributing guide fills in the code a reference page sent."""
from __future__ import annotations

import pytest
from conftest import screenshot

SEARCHES = [
    # A Setup label and a concept that cases name; the top three results must hold such a case.
    ("Permitted Users", "permitted users"),
    ("IP Relaxation", "ip relaxation"),
]


@pytest.mark.parametrize("query, words", SEARCHES, ids=[s[0] for s in SEARCHES])
def test_search_finds_the_case_that_names_it_in_the_top_three(site_server, page_factory, catalog, query, words):
    page = page_factory(1280, 900)
    page.goto(site_server)
    box = page.locator("input.md-search__input")
    box.click()
    box.fill(query)
    page.locator(".md-search-result__item").first.wait_for(timeout=20000)
    top = page.locator("li.md-search-result__item").all()[:3]
    hrefs = [a.get_attribute("href") for item in top for a in item.locator("a.md-search-result__link").all()]
    pages = [h.split(site_server, 1)[-1].split("#")[0].split("?")[0] for h in hrefs]
    naming = {f"errors/{e.slug}/" for e in catalog.errors
              if any(words in " ".join([c.description, *c.causes, *(s.text for s in c.steps)]).lower() for c in e.cases)}
    screenshot(page, f"search-{query.replace(' ', '-').lower()}")
    assert naming & set(pages), f"top three for {query!r}: {pages}"
    assert not [p for p in pages if p.startswith("errors/") and p not in naming and p.rstrip("/").split("/")[-1]
                in {r.slug for r in catalog.references}], "a reference page outranks the runbooks"


@pytest.mark.parametrize("text, tier, target", [
    ('[{"errorCode":"ADAPTER_ERROR","message":"x"}]', "reference", "errors/adapter_error/"),
    ('[{"errorCode":"NEVER_SEEN_BEFORE_CODE","message":"x"}]', "family", "guides/api/#unknown-code"),
])
def test_the_lookup_names_reference_and_unknown_codes(site_server, page_factory, text, tier, target):
    page = page_factory(1280, 900)
    page.goto(site_server + "lookup/")
    page.locator("[data-rb-lookup] [data-rb-input]").first.fill(text)
    link = page.locator("a[data-rb-link]").first
    link.wait_for()
    assert link.get_attribute("data-rb-tier") == tier
    assert link.get_attribute("href").endswith(target)
    panel = page.locator("[data-rb-result]").first.inner_text()
    if tier == "family":
        assert "Unknown code NEVER_SEEN_BEFORE_CODE" in panel
    else:
        assert "Salesforce documents only the name" in panel
    assert page.external_requests == []


def test_contributing_fills_in_the_code_from_a_reference_page(site_server, page_factory):
    page = page_factory(1280, 900)
    page.goto(site_server + "errors/adapter_error/")
    page.get_by_text("How to write a runbook").click()
    page.wait_for_url("**/contributing/?code=ADAPTER_ERROR#write-a-runbook")
    command = page.locator("code[data-rb-fill-code]").inner_text()
    assert "new-error ADAPTER_ERROR" in command
    page.goto(site_server + "contributing/?code=%3Cimg%20src%3Dx%3E")
    assert "<CODE>" in page.locator("code[data-rb-fill-code]").inner_text()


def test_the_browser_lookup_lands_every_listed_code_where_python_does(site_server, page_factory):
    """All 900-odd codes of the reference lists, pasted as their API sends them, through the lookup."""
    from test_tiers import as_pasted, listed

    from generator import resolve

    texts = [as_pasted(header["family"], entry) for _, header, entry in listed()]
    page = page_factory(1280, 900)
    page.goto(site_server + "lookup/")
    got = page.evaluate("""async (texts) => {
        const out = [];
        for (const text of texts) {
            const found = await window.runbooksLookup.resolve(text);
            out.push(found && [found.path, found.tier]);
        }
        return out;
    }""", texts)
    wrong = []
    for text, js in zip(texts, got, strict=True):
        py = resolve(text)
        if js != ([py.path, py.tier] if py else None) or (py and py.tier == "family"):
            wrong.append(f"{text[:80]}: js={js} python={py and (py.path, py.tier)}")
    assert len(texts) >= 900
    assert not wrong, "\n".join(wrong[:20])
