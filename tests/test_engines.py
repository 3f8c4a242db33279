"""Engine-neutral build: after `python -m generator generate`, the site builds without the MkDocs
hook (mkdocs.hookless.yml) with MkDocs and with ProperDocs 1.6.7, the maintained fork of MkDocs 1.6,
and gives the same pages, edit links and alias redirects as the normal build.

One repo copy (reference lists cut to 20 entries) serves every build here: generate once, then the
hook-less MkDocs build, the normal build with the hook (which must find nothing to rewrite in what
`generate` wrote) and the ProperDocs build.

ProperDocs installs as its own module (`properdocs`, command `properdocs`) beside mkdocs and only
makes `mkdocs.*` imports point at itself inside its own process, so both live in the one venv the
lock installs (requirements/test.txt); the runtime lock keeps MkDocs alone.
"""
from __future__ import annotations

import importlib.metadata
import importlib.util
import os
import posixpath
import re
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pytest
from bs4 import BeautifulSoup
from conftest import ROOT, build_site, copy_repo

from generator.site.pages.aliases import alias_targets

PROPERDOCS_VERSION = "1.6.7"
REPO_URL = "https://github.com/example/salesforce-integration-runbooks"   # mkdocs.yml's default
# An error page and a reference entry's page (generated from catalog/reference/api.yaml), with the
# catalog file each one's "Edit this page" must open; a hand-written page keeps its docs/ file.
EDIT_LINKS = {
    "errors/invalid_grant/index.html": f"{REPO_URL}/edit/main/catalog/errors/invalid_grant.yaml",
    "errors/adapter_error/index.html": f"{REPO_URL}/edit/main/catalog/reference/api.yaml",
    "index.html": f"{REPO_URL}/edit/main/docs/index.md",
}


# --- the edit link, from overrides/partials/actions.html alone (fast) ----------------------------


def render_actions(repo_url: str | None, edit_uri: str | None, docs_dir: str, meta: dict,
                   edit_url: str | None = None, features=("content.action.edit",)) -> str:
    """The override rendered the way Material includes it, with stand-ins for its icons."""
    env = jinja2.Environment(loader=jinja2.ChoiceLoader([
        jinja2.FileSystemLoader(ROOT / "overrides"),
        jinja2.DictLoader({".icons/material/file-edit-outline.svg": "<svg></svg>",
                           ".icons/material/file-eye-outline.svg": "<svg></svg>"}),
    ]))
    config = {"repo_url": repo_url, "edit_uri": edit_uri, "docs_dir": docs_dir, "theme": {"icon": {}}}
    page = SimpleNamespace(meta=meta, edit_url=edit_url)
    return env.get_template("partials/actions.html").render(
        page=page, config=config, features=list(features), lang=SimpleNamespace(t=lambda key: key))


def edit_hrefs(html: str) -> list[str]:
    return re.findall(r'<a href="([^"]*)" title="action.edit"', html)


def test_edit_link_opens_the_catalog_file_and_follows_edit_uri():
    source = {"source_file": "catalog/errors/x.yaml"}
    cases = [
        ("https://github.com/a/b", "edit/main/docs/", "/x/docs", "https://github.com/a/b/edit/main/catalog/errors/x.yaml"),
        ("https://git.example/a/b/", "edit/trunk/site/docs", "/x/docs",
         "https://git.example/a/b/edit/trunk/site/catalog/errors/x.yaml"),
        ("https://gitlab.example/a/b", "-/edit/release/", "/x/docs",
         "https://gitlab.example/a/b/-/edit/release/catalog/errors/x.yaml"),
        ("https://github.com/a/b", "docs/", "/x/docs", "https://github.com/a/b/catalog/errors/x.yaml"),
        ("https://github.com/a/b", None, "/x/docs", "https://github.com/a/b/edit/main/catalog/errors/x.yaml"),
        ("https://github.com/a/b", "edit/main/pages/", "C:\\x\\pages",
         "https://github.com/a/b/edit/main/catalog/errors/x.yaml"),
    ]
    for repo_url, edit_uri, docs_dir, expected in cases:
        assert edit_hrefs(render_actions(repo_url, edit_uri, docs_dir, source)) == [expected], (edit_uri, docs_dir)


def test_pages_without_a_source_file_keep_mkdocs_edit_link():
    mkdocs_url = "https://github.com/a/b/edit/main/docs/index.md"
    assert edit_hrefs(render_actions("https://github.com/a/b", "edit/main/docs/", "/x/docs", {}, mkdocs_url)) == [mkdocs_url]
    # No repository: no link, source_file or not (as before, and as Material does).
    assert edit_hrefs(render_actions(None, None, "/x/docs", {"source_file": "catalog/errors/x.yaml"})) == []
    assert render_actions("https://github.com/a/b", "edit/main/docs/", "/x/docs", {}).strip() == ""


def test_view_source_action_follows_the_catalog_file_too():
    html = render_actions("https://github.com/a/b", "edit/main/docs/", "/x/docs",
                          {"source_file": "catalog/errors/x.yaml"},
                          features=("content.action.edit", "content.action.view"))
    assert 'href="https://github.com/a/b/raw/main/catalog/errors/x.yaml"' in html


def test_the_hook_no_longer_sets_edit_links():
    """The edit link lives in the override only: two places would drift apart."""
    from generator import mkdocs_hook

    assert not hasattr(mkdocs_hook, "on_page_context")


# --- real builds ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def engine_repo(tmp_path_factory) -> Path:
    """A repo copy whose docs/ was written by `python -m generator generate`, as for any engine."""
    repo = copy_repo(tmp_path_factory.mktemp("engines") / "repo")
    env = {k: v for k, v in os.environ.items() if k not in ("RUNBOOKS_CATALOG", "SITE_URL", "REPO_URL")}
    proc = subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=repo, env=env,
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert (repo / "docs" / "errors" / "invalid_grant.md").is_file()
    return repo


@pytest.fixture(scope="module")
def hookless_site(engine_repo) -> Path:
    out = engine_repo.parent / "site-hookless"
    build_site(engine_repo, out, "-f", "mkdocs.hookless.yml")
    return out


@pytest.fixture(scope="module")
def properdocs_site(engine_repo) -> Path:
    if importlib.util.find_spec("properdocs") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but ProperDocs is missing: requirements/test.txt installs it (python3 dev.py test)")
        pytest.skip(f"ProperDocs is not installed in {sys.prefix}; `python3 dev.py test` installs the lock, which has it")
    assert importlib.metadata.version("properdocs") == PROPERDOCS_VERSION
    out = engine_repo.parent / "site-properdocs"
    build_site(engine_repo, out, "-f", "mkdocs.hookless.yml", engine="properdocs")
    return out


@pytest.fixture(scope="module")
def hooked_site(engine_repo) -> tuple[Path, str]:
    """The normal build (mkdocs.yml, hook included) of the same copy, and its log. Its hook
    regenerates docs/ and must find nothing to change in what `generate` wrote, so whichever build
    runs first, every build here is of the same pages."""
    out = engine_repo.parent / "site-hooked"
    proc = build_site(engine_repo, out)
    return out, proc.stderr


def html_pages(site: Path) -> set[str]:
    return {p.relative_to(site).as_posix() for p in site.rglob("*.html")}


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def edit_link(site: Path, rel: str) -> str | None:
    link = soup(site / rel).select_one('a.md-content__button[rel="edit"]')
    return link["href"] if link else None


def check_redirects(site: Path) -> dict[str, str]:
    """Every kind of alias page (alias, case alias, former code): a meta refresh and a script to a
    page of this build and, for a case, an anchor on it. {kind: alias slug} of those checked."""
    from generator.catalog import load_catalog

    checked = {}
    for slug, target in alias_targets(load_catalog()).items():
        if target.kind in checked.values():
            continue
        page = soup(site / "errors" / slug / "index.html")
        refresh = page.find("meta", attrs={"http-equiv": "refresh"})
        assert refresh is not None, f"{slug}: no meta refresh"
        url = refresh["content"].removeprefix("0; url=")
        assert "location.replace" in str(page.head), slug
        path, _, anchor = url.partition("#")
        landing = posixpath.normpath(posixpath.join(f"errors/{slug}/", path))
        landing_file = site / landing / "index.html"
        assert landing_file.is_file(), f"{slug} redirects to {url}: no page {landing}/"
        assert landing == f"errors/{target.entry.slug}", (slug, url)
        if target.case:
            assert anchor == target.case.anchor and soup(landing_file).find(id=anchor), (slug, url)
        checked[target.kind] = slug
    return checked


def test_hookless_build_has_every_page_of_the_normal_build(hookless_site, hooked_site, capsys):
    normal, hook_log = hooked_site
    assert not re.search(r"generator: \d+ written", hook_log), \
        "the hook rewrote pages that `python -m generator generate` had written:\n" + hook_log
    pages = html_pages(hookless_site)
    with capsys.disabled():
        print(f"\nHTML pages: normal build {len(html_pages(normal))}, hook-less MkDocs {len(pages)}")
    assert pages == html_pages(normal)
    assert len(pages) > 300


def test_hookless_build_keeps_edit_links_to_the_catalog(hookless_site, hooked_site):
    normal, _ = hooked_site
    for rel, expected in EDIT_LINKS.items():
        assert edit_link(hookless_site, rel) == edit_link(normal, rel) == expected, rel


def test_hookless_build_redirects_aliases(hookless_site, hooked_site):
    normal, _ = hooked_site
    kinds = check_redirects(hookless_site)
    assert {"alias", "case alias"} <= set(kinds), kinds
    for slug in kinds.values():
        ours, theirs = (soup(s / "errors" / slug / "index.html") for s in (hookless_site, normal))
        assert ours.find("meta", attrs={"http-equiv": "refresh"}) == theirs.find("meta", attrs={"http-equiv": "refresh"})


def test_properdocs_builds_the_same_site_without_warnings(properdocs_site, hooked_site, capsys):
    """build_site has already failed the test on any WARNING line or a non-zero exit under --strict."""
    normal, _ = hooked_site
    pages = html_pages(properdocs_site)
    with capsys.disabled():
        print(f"\nHTML pages: normal build {len(html_pages(normal))}, ProperDocs {PROPERDOCS_VERSION} {len(pages)}")
    assert pages == html_pages(normal)
    for rel, expected in EDIT_LINKS.items():
        assert edit_link(properdocs_site, rel) == expected, rel
    assert {"alias", "case alias"} <= set(check_redirects(properdocs_site))
    # Material names the engine in <meta name="generator">: proof of who built each site.
    assert f"ProperDocs {PROPERDOCS_VERSION}" in generator_meta(properdocs_site)
    assert "ProperDocs" not in generator_meta(normal)


def generator_meta(site: Path) -> str:
    return soup(site / "index.html").find("meta", attrs={"name": "generator"})["content"]
