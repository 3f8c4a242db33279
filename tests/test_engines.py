"""Engine-neutral build: what a page shows comes from docs/ and overrides/, not from the MkDocs hook.
Here: the edit link of a generated page, from overrides/partials/actions.html.
"""
from __future__ import annotations

import re
from types import SimpleNamespace

import jinja2

from conftest import ROOT


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
