"""Old spellings keep working: alias and former-code pages redirect, moved case anchors still land.

The real catalog has aliases but (so far) no renames, so renames are tested on one throw-away
copy of the site whose catalog renamed invalid_grant and reworded one of its cases, built once.
"""
from __future__ import annotations

import functools
import http.server
import json
import shutil
import threading
from pathlib import Path

import pytest
import yaml
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, copy_repo

from generator.catalog import load_catalog
from generator.site.pages.aliases import alias_targets
from generator.tools.check_links import LinkChecker
from generator.tools.resolver import Resolver

OLD_CODE = "OLD_GRANT_ERROR"
OLD_CASE = "user is not active any more"      # the "inactive user" case's former description
OLD_ANCHOR = "user-is-not-active-any-more"


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- the real site -----------------------------------------------------------------------------


def test_every_alias_has_a_redirect_page(built_site, catalog):
    targets = alias_targets(catalog)
    assert {"two_factor_required", "invalid_client_credentials", "entity_failed_iflastmodified_on_update_check"} <= set(targets)
    for slug, target in targets.items():
        page = soup(built_site / "errors" / slug / "index.html")
        redirect = "../" + target.path.removeprefix("errors/")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh is not None and refresh["content"] == f"0; url={redirect}", slug
        assert "location.replace" in str(page.head), slug
        assert page.find("meta", attrs={"name": "robots", "content": "noindex"}), slug
        article = page.find("article")
        links = {a["href"] for a in article.find_all("a", href=True)}
        assert redirect in links, f"{slug}: no visible link to {redirect} for readers without JavaScript"


def test_alias_pages_are_out_of_search_and_nav(built_site, catalog):
    index = json.loads((built_site / "search" / "search_index.json").read_text())
    locations = {d["location"].split("#")[0] for d in index["docs"]}
    nav = {a["href"] for a in soup(built_site / "index.html").select("nav a[href]")}
    for slug in alias_targets(catalog):
        assert f"errors/{slug}/" not in locations, f"errors/{slug}/ is in the search index"
        assert not any(f"errors/{slug}/" in href for href in nav), f"errors/{slug}/ is in the navigation"
    assert "errors/invalid_grant/" in locations  # the check above can fail: real pages are indexed


# --- a renamed entry and a reworded case -------------------------------------------------------


@pytest.fixture(scope="module")
def moved(tmp_path_factory):
    """(repo copy, built site) where invalid_grant has moved_from [OLD_CODE] and the 'inactive user'
    case has moved_from [OLD_CASE]. Built once for the module, outside the shared docs/."""
    root = tmp_path_factory.mktemp("moved")
    catalog = root / "moved-catalog"
    (catalog / "errors").mkdir(parents=True)
    for table in (ROOT / "catalog").glob("*.yaml"):
        shutil.copy(table, catalog / table.name)
    shutil.copytree(ROOT / "catalog" / "families", catalog / "families")
    entry = yaml.safe_load((ROOT / "catalog" / "errors" / "invalid_grant.yaml").read_text())
    entry["related"] = []  # the other entries are not in this copy
    entry["moved_from"] = [OLD_CODE]
    case = next(c for c in entry["cases"] if c["description"] == "inactive user")
    case["moved_from"] = [OLD_CASE]
    (catalog / "errors" / "invalid_grant.yaml").write_text(yaml.safe_dump(entry, sort_keys=False))
    repo = copy_repo(root / "repo", catalog)
    out = root / "site"
    # Not --strict: hand-written pages may link to entries this one-entry catalog lacks.
    build_site(repo, out, strict=False)
    root, catalog = repo, repo / "catalog"
    return root, out, load_catalog(catalog)


@pytest.fixture(scope="module")
def moved_server(moved):
    handler = functools.partial(_Quiet, directory=str(moved[1]))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_moved_case_anchor_sits_on_the_new_case(moved):
    page = soup(moved[1] / "errors" / "invalid_grant" / "index.html")
    old = page.find(id=OLD_ANCHOR)
    assert old is not None, "case.md.j2 must keep the old anchor on the page"
    assert old.find_previous(["h2", "h3"])["id"] == "inactive-user", "the old anchor must be at the renamed case"
    assert old.find_next(["h2", "h3"]) is not None and old.find_next("div", class_="admonition") is not None


def test_former_code_page_redirects(moved):
    page = soup(moved[1] / "errors" / OLD_CODE.lower() / "index.html")
    assert page.find("meta", attrs={"http-equiv": "refresh"})["content"] == "0; url=../invalid_grant/"
    assert "former name" in page.find("article").get_text()
    data = json.loads((moved[1] / "api" / "catalog.json").read_text())
    assert data["redirects"][OLD_CODE.lower()] == {
        "alias": OLD_CODE, "kind": "moved_from", "page": f"errors/{OLD_CODE.lower()}/", "target": "errors/invalid_grant/"}
    assert data["errors"]["invalid_grant"]["moved_from"] == [OLD_CODE]
    case = next(c for c in data["errors"]["invalid_grant"]["cases"] if c["anchor"] == "inactive-user")
    assert case["moved_from"] == [OLD_CASE]


def test_old_links_land_on_the_new_case_in_chromium(moved_server, page_factory):
    page = page_factory(1280, 900)
    page.goto(moved_server + f"errors/invalid_grant/#{OLD_ANCHOR}")
    heading = page.locator("#inactive-user")
    assert 0 <= heading.bounding_box()["y"] < 900, "an old anchor must show the renamed case"
    # Old code and old anchor together: the redirect keeps the anchor.
    page.goto(moved_server + f"errors/{OLD_CODE.lower()}/#{OLD_ANCHOR}")
    page.wait_for_url(moved_server + f"errors/invalid_grant/#{OLD_ANCHOR}")
    assert 0 <= page.locator("#inactive-user").bounding_box()["y"] < 900
    assert page.external_requests == []


def test_old_spellings_resolve_and_pass_check_links(moved):
    root, _, catalog = moved
    got = Resolver(catalog)(f"{OLD_CODE}: {OLD_CASE}")
    assert (got.code, got.anchor) == ("invalid_grant", "inactive-user")
    checker = LinkChecker(catalog, "https://runbooks.example.com/", docs_dir=root / "docs")
    site = "https://runbooks.example.com/"
    for url in (f"errors/invalid_grant/#{OLD_ANCHOR}", f"errors/{OLD_CODE.lower()}/",
                f"errors/{OLD_CODE.lower()}/#{OLD_ANCHOR}", f"errors/{OLD_CODE.lower()}/#inactive-user"):
        assert checker.check(site + url) is None, url
    assert checker.check(site + f"errors/{OLD_CODE.lower()}/#no-such-case") is not None
