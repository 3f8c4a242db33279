"""The site loads nothing from another host: statically in every file, and in Chromium on every page kind.

Static: every built HTML file (scripts, stylesheets, icons, images, frames, media, inline styles),
every CSS file (url() and @import) and our own scripts. Browser: one page of each kind the build
has (home, lookup, an error page, an alias redirect, the indexes, a category, a flow, the reference
tables, integrations, checklists, review dates, the 404 page, search results ...) with every
request outside 127.0.0.1 blocked; none may be attempted, and none may fail.
"""
from __future__ import annotations

from pathlib import Path

from site_scan import external_loads, html_files


def test_no_file_of_the_build_loads_from_another_host(built_site, capsys):
    found = external_loads(built_site)
    with capsys.disabled():
        print(f"\nexternal loads in {len(html_files(built_site))} HTML files and all CSS/JS: {len(found)}")
    assert found == [], "\n".join(found)


def test_the_scanner_sees_what_it_should(tmp_path):
    """The check itself: each way of pulling in another host is caught."""
    (tmp_path / "javascripts").mkdir()
    (tmp_path / "a.html").write_text(
        '<link rel="stylesheet" href="https://cdn.example/x.css"><link rel="canonical" href="https://ok.example/">'
        '<script src="//cdn.example/x.js"></script><img srcset="a.png 1x, https://cdn.example/b.png 2x">'
        '<div style="background:url(https://cdn.example/c.png)"></div><a href="https://fine.example/">ok</a>')
    (tmp_path / "s.css").write_text('@import "https://fonts.example/f.css"; p{background:url(x.png)}')
    (tmp_path / "javascripts" / "x.js").write_text('fetch("https://api.example/v1"); fetch("api/catalog.json")')
    found = external_loads(tmp_path)
    assert len(found) == 6, found


def page_kinds(site: Path) -> dict[str, str]:
    """One URL per kind of page in the build: top-level pages, and the index and one child per folder."""
    kinds: dict[str, str] = {}
    for page in html_files(site):
        rel = page.relative_to(site).as_posix()
        parts = rel.split("/")
        if len(parts) <= 2:
            key = parts[0].removesuffix(".html")
        else:
            key = parts[0] + "/*"
        if "http-equiv=\"refresh\"" in page.read_text(encoding="utf-8"):
            key = "alias redirect"
        kinds.setdefault(key, rel.removesuffix("index.html"))
    kinds["errors/*"] = "errors/invalid_grant/"
    kinds["errors/* (reference entry)"] = "errors/adapter_error/"  # its own template: reference.html
    return kinds


def _open(page_factory, url: str):
    page = page_factory(1280, 900)
    failed = []
    page.on("requestfailed", lambda r: failed.append(f"{r.url} ({r.failure})"))
    page.goto(url, wait_until="networkidle")
    return page, failed


def test_every_page_kind_makes_no_outside_request(built_site, site_server, page_factory, capsys):
    kinds = page_kinds(built_site)
    assert {"index", "404", "errors", "errors/*", "errors/* (reference entry)", "flows/*", "reference/*",
            "guides/*", "codes/*"} <= set(kinds), kinds
    problems = []
    # All kinds load side by side (each page waits for its own network to go quiet), not one by one.
    opened = []
    for kind, rel in sorted(kinds.items()):
        page = page_factory(1280, 900)
        # The search worker's index (1 MB, indexed again on every page) is checked once, by
        # test_search_results_make_no_outside_request; here it would only slow 26 pages down.
        page.route("**/search/search_index.json", lambda route: route.abort())
        failed: list[str] = []
        page.on("requestfailed", lambda r, failed=failed: failed.append(f"{r.url} ({r.failure})")
                if not r.url.endswith("/search/search_index.json") else None)
        page.goto(site_server + rel, wait_until="commit")
        opened.append((kind, rel, page, failed))
    for kind, rel, page, failed in opened:
        page.wait_for_load_state("networkidle")
        if kind == "alias redirect":
            # It moves on at once, which aborts its own stylesheet and script loads: that is the point.
            assert page.url != site_server + rel, "the alias page must redirect"
            failed = [f for f in failed if not f.endswith("(net::ERR_ABORTED)")]
        problems += [f"{kind} ({rel}): external {u}" for u in page.external_requests]
        problems += [f"{kind} ({rel}): failed {u}" for u in failed]
    with capsys.disabled():
        print(f"\n{len(kinds)} page kinds in Chromium ({', '.join(sorted(kinds))}): "
              f"{len(problems)} external or failed requests")
    assert problems == [], "\n".join(problems)


def test_search_results_make_no_outside_request(site_server, page_factory):
    page, failed = _open(page_factory, site_server)
    search = page.locator("input.md-search__input")
    search.click()
    search.press_sequentially("invalid_grant", delay=20)
    result = page.locator(".md-search-result__item", has_text="invalid_grant").first
    result.wait_for(timeout=60_000)
    page.wait_for_load_state("networkidle")
    assert page.external_requests == [] and failed == [], (page.external_requests, failed)
