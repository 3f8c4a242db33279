"""The offline bundle: `python3 dev.py offline` zips a copy that works from file://, search included.

Built once per module into a temp folder (not the repo's dist/), unzipped elsewhere, then opened
from file:// in Chromium with every request outside the machine blocked.
"""
from __future__ import annotations

import urllib.parse
import zipfile

import pytest
import yaml
from conftest import ROOT, copy_repo
from site_scan import broken_links, external_loads, html_files

import dev
from generator.site import offline as offline_links


@pytest.fixture(scope="module")
def offline_zip(tmp_path_factory):
    out = tmp_path_factory.mktemp("offline")
    repo = copy_repo(tmp_path_factory.mktemp("offline-repo") / "repo")
    assert dev.offline([str(out)], root=repo) == 0, "dev.py offline failed; see the mkdocs output above"
    return out / "salesforce-runbooks-offline.zip"


@pytest.fixture(scope="module")
def unzipped(offline_zip, tmp_path_factory):
    dest = tmp_path_factory.mktemp("unzipped")
    with zipfile.ZipFile(offline_zip) as archive:
        archive.extractall(dest)
    return dest / "offline-site"


def test_zip_holds_the_whole_site(offline_zip, unzipped, capsys):
    size = offline_zip.stat().st_size
    with capsys.disabled():
        print(f"\noffline zip: {size:,} bytes ({size / 1e6:.1f} MB), {len(html_files(unzipped))} pages")
    for rel in ("index.html", "errors/invalid_grant.html", "search/search_index.js",
                "javascripts/vendor/iframe-worker-shim.js"):
        assert (unzipped / rel).is_file(), rel
    assert size < 50_000_000


def test_offline_copy_loads_nothing_from_another_host(unzipped):
    """Material's offline plugin would add a CDN shim; the vendored one must be used instead."""
    found = external_loads(unzipped)
    assert found == [], "\n".join(found)
    page = (unzipped / "errors/invalid_grant.html").read_text()
    assert "iframe-worker-shim.js" in page and "unpkg" not in page


def test_offline_copy_has_no_broken_links(unzipped):
    # 404.html links from the server root (/lookup/); from file:// nothing ever shows that page.
    broken = [b for b in broken_links(unzipped) if not b.startswith("404.html:")]
    assert broken == [], "\n".join(broken)
    tree = "".join(p.read_text() for p in (unzipped / "decision-tree").rglob("*.html"))
    assert "../errors/invalid_grant.html#" in tree


def test_raw_html_directory_links_are_mapped_to_html_files():
    urls = {"": "index.html", "errors/": "errors/index.html", "errors/invalid_grant/": "errors/invalid_grant.html",
            "lookup/": "lookup.html"}
    html = ('<a href="../errors/invalid_grant/#inactive-user">a</a> <a href="../errors/">b</a> '
            '<a href="https://example.com/x/">c</a> <a href="/lookup/">d</a> <a href="../nowhere/">e</a> '
            '<a href="../">f</a>')
    out = offline_links.rewrite(html, "decision-tree/index.md", "decision-tree/index.html", urls)
    assert out == ('<a href="../errors/invalid_grant.html#inactive-user">a</a> <a href="../errors/index.html">b</a> '
                   '<a href="https://example.com/x/">c</a> <a href="/lookup/">d</a> <a href="../nowhere/">e</a> '
                   '<a href="../index.html">f</a>')
    # From a page that is a folder on the hosted site but a file offline (lookup/ vs lookup.html).
    out = offline_links.rewrite('<a href="../errors/invalid_grant/">x</a>', "lookup.md", "lookup.html", urls)
    assert out == '<a href="errors/invalid_grant.html">x</a>'


def test_hosted_config_is_unchanged_and_search_splits_the_same():
    hosted = _plugins(ROOT / "mkdocs.yml")
    offline = _plugins(ROOT / "mkdocs.offline.yml")
    assert "offline" not in hosted, "the hosted site keeps directory URLs"
    assert offline["search"] == hosted["search"], "search must split words the same way in both copies"
    assert set(hosted) <= set(offline)


def _plugins(path) -> dict:
    class Loader(yaml.SafeLoader):
        pass
    Loader.add_multi_constructor("", lambda loader, suffix, node: None)  # !ENV and friends
    config = yaml.load(path.read_text(), Loader=Loader)
    return {next(iter(p)) if isinstance(p, dict) else p: (next(iter(p.values())) if isinstance(p, dict) else None)
            for p in config["plugins"]}


def test_runbook_page_and_search_work_from_file_urls(unzipped, page_factory):
    page = page_factory(1280, 900)
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.goto((unzipped / "errors/invalid_grant.html").as_uri() + "#inactive-user", wait_until="load")
    assert page.locator("#inactive-user").is_visible()
    assert "First step" in page.locator("#inactive-user").locator("xpath=following-sibling::*[1]").inner_text()

    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("invalid_grant", delay=20)
    hit = page.locator(".md-search-result__item", has_text="invalid_grant").first
    hit.wait_for(timeout=60_000)
    link = page.locator(".md-search-result__link").first.get_attribute("href")
    assert link.startswith("file://") or not link.startswith(("http:", "https:")), link
    page.locator(".md-search-result__link").first.click()
    page.wait_for_load_state("load")
    assert page.url.startswith("file://") and "invalid_grant" in page.url
    assert page.external_requests == [] and failed == [], (page.external_requests, failed)


def _non_file_requests(page) -> list[str]:
    return [r.url for r in page.all_requests if not r.url.startswith(("file:", "data:"))]


def test_lookup_answers_a_pasted_payload_and_a_q_link_from_file_urls(unzipped, page_factory):
    page = page_factory(1280, 900)
    page.goto((unzipped / "index.html").as_uri(), wait_until="load")
    page.locator("[data-rb-input]").fill('{"error":"invalid_grant","error_description":"inactive user"}')
    link = page.locator("[data-rb-link]")
    link.wait_for(timeout=10_000)
    assert link.get_attribute("href") == (unzipped / "errors/invalid_grant.html").as_uri() + "#inactive-user"
    link.click()
    page.wait_for_load_state("load")
    assert page.locator("#inactive-user").is_visible()

    q = urllib.parse.quote('[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]')
    page.goto((unzipped / "lookup.html").as_uri() + "?q=" + q, wait_until="load")
    page.wait_for_url("**/errors/invalid_session_id.html#session-expired-or-invalid", timeout=10_000)
    assert page.locator("#session-expired-or-invalid").is_visible()
    assert _non_file_requests(page) == [] and page.external_requests == []


def test_every_kind_of_redirect_page_lands_on_an_existing_page_and_anchor(unzipped, page_factory, catalog):
    from generator.site.pages.aliases import alias_targets

    kinds = {}
    for slug, target in alias_targets(catalog).items():
        kinds.setdefault(target.kind, (slug, target))
    assert set(kinds) >= {"alias", "case alias"}, kinds
    page = page_factory(1280, 900)
    for kind, (slug, target) in kinds.items():
        page.goto((unzipped / f"errors/{slug}.html").as_uri(), wait_until="load")
        expected = (unzipped / f"errors/{target.entry.slug}.html").as_uri()
        page.wait_for_url(expected + ("#" + target.case.anchor if target.case else ""), timeout=10_000)
        assert page.locator("article h1").is_visible(), kind
        if target.case:
            assert page.locator(f'[id="{target.case.anchor}"]').is_visible(), kind
    assert _non_file_requests(page) == []


def test_readme_says_what_works_offline():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Offline copy", 1)[1].split("\n## ", 1)[0]
    for claim in ("search", "lookup", "redirect", "file://"):
        assert claim in section, f"README's offline section no longer mentions {claim}"
    assert "needs the hosted site" not in section
