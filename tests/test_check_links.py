"""`python -m generator check-links`: runbook links in alert definitions, checked without a network."""
from __future__ import annotations

import json
import re

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, run_generator

from generator.catalog import load_catalog
from generator.tools.check_links import LinkChecker

ALERTS = FIXTURES / "alerts"
SITE = "https://runbooks.example.com/"


def line_of(path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.fixture(scope="module")
def checker():
    return LinkChecker(load_catalog(), SITE)


def test_good_rule_file_passes():
    proc = run_generator("check-links", str(ALERTS / "good.rules.yml"))
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""
    assert "7 link(s)" in proc.stderr and "0 broken" in proc.stderr


def test_bad_rule_file_reports_broken_anchor_and_missing_page():
    bad = ALERTS / "bad.rules.yml"
    proc = run_generator("check-links", str(bad))
    assert proc.returncode == 1, proc.stdout + proc.stderr
    lines = proc.stdout.splitlines()
    anchor_line = line_of(bad, "#expired-refresh-token")
    page_line = line_of(bad, "errors/invalid_grnt/")
    assert lines == [
        f"{bad}:{anchor_line}: {SITE}errors/invalid_grant/#expired-refresh-token: no anchor #expired-refresh-token "
        f"on errors/invalid_grant/; did you mean {SITE}errors/invalid_grant/#expired-access-refresh-token?",
        f"{bad}:{page_line}: {SITE}errors/invalid_grnt/: no such page; did you mean {SITE}errors/invalid_grant/?",
    ]


def test_usage_errors_and_unreadable_files_exit_2(tmp_path):
    assert run_generator("check-links").returncode == 2
    missing = run_generator("check-links", str(tmp_path / "nope.yml"))
    assert missing.returncode == 2 and "nope.yml:1: cannot read" in missing.stderr
    binary = tmp_path / "rules.bin"
    binary.write_bytes(b"\xff\xfe\x00bad")
    assert run_generator("check-links", str(binary)).returncode == 2
    assert run_generator("check-links", "--site-url", "not-a-url", str(ALERTS / "good.rules.yml")).returncode == 2


def test_json_text_and_templated_links(tmp_path):
    rules = tmp_path / "pagerduty.json"
    rules.write_text(json.dumps({"links": [
        {"href": f"{SITE}errors/invalid_session_id/#session-expired-or-invalid"},
        {"href": f"{SITE}errors/no_such_code/"},
    ]}).replace("/", "\\/") + "\n" + f"Runbook: {SITE}errors/{{{{ $labels.code }}}}/ (templated)\n")
    proc = run_generator("check-links", str(rules))
    assert proc.returncode == 1
    assert proc.stdout.startswith(f"{rules}:1: {SITE}errors/no_such_code/: no such page;")
    assert len(proc.stdout.splitlines()) == 1
    assert f"{rules}:2:" in proc.stderr and "templated link, not checked" in proc.stderr


@pytest.mark.parametrize("url", [
    "errors/invalid_grant/", "errors/invalid_grant/#inactive-user", "errors/invalid_grant/#at-a-glance",
    "errors/invalid_grant", "errors/invalid_grant/index.html#inactive-user",
    "errors/two_factor_required/", "errors/two_factor_required/#anything",
    "errors/invalid_client_credentials/#invalid-client-credentials", "errors/invalidsessionid/",
    "lookup/?q=invalid_grant%3A+inactive+user", "lookup/", "", "flows/", "flows/jwt_bearer/",
    "reference/setup-paths/", "linking-from-alerts/#catalogjson", "api/catalog.json",
])
def test_links_that_land(checker, url):
    assert checker.check(SITE + url) is None


@pytest.mark.parametrize("url, problem", [
    ("errors/invalid_grant/#no-such-case", "no anchor #no-such-case on errors/invalid_grant/"),
    ("errors/invalid_client_credentials/#no-such-case", "no anchor #no-such-case on errors/invalid_client/"),
    ("errors/no_such_code/", "no such page"),
    ("flows/no_such_flow/", "no such page"),
    ("flows/jwt_bearer/#no-such-section", "no anchor #no-such-section on flows/jwt_bearer/"),
])
def test_links_that_do_not_land(checker, url, problem):
    found = checker.check(SITE + url)
    assert found is not None and found[0] == problem


def test_suggestion_uses_resolve_on_the_anchor_words(checker):
    problem, suggestion = checker.check(SITE + "errors/invalid_grant/#user-has-not-approved-this-consumer")
    assert suggestion == f"did you mean {SITE}errors/invalid_grant/#user-hasnt-approved-this-consumer?"
    # A page that does not exist, but the anchor words name a known case.
    problem, suggestion = checker.check(SITE + "errors/some_new_code/#inactive-user")
    assert problem == "no such page" and suggestion == f"did you mean {SITE}errors/invalid_grant/#inactive-user?"


def test_site_map_agrees_with_the_built_site(checker, built_site):
    """Every page check-links accepts exists in the real build, with every anchor it accepts, and
    every heading id of the real build is accepted: no false passes, no false alarms."""
    wrong = []
    for page, anchors in checker.site.pages.items():
        html = built_site / page / "index.html"
        if not html.is_file():
            wrong.append(f"{page}: accepted by check-links, missing from the build")
            continue
        soup = BeautifulSoup(html.read_text(encoding="utf-8"), "html.parser")
        ids = {tag["id"] for tag in soup.find_all(id=True)}
        headings = {tag["id"] for tag in soup.find_all(re.compile(r"^h[1-6]$"), id=True)}
        if page in checker.site.redirects:
            continue  # anchors on an alias page are checked against its target
        wrong += [f"{page}#{a}: accepted, not in the build" for a in sorted(anchors - ids)]
        wrong += [f"{page}#{h}: in the build, rejected by check-links" for h in sorted(headings - anchors)]
    assert not wrong, "\n".join(wrong)


def test_setext_headings_have_anchors_too():
    from generator.tools.check_links import anchors_in

    ids = anchors_in("Runbook links\n=============\n\nText.\n\nSecond part\n-----------\n\n- item\n---\n\n    code\n===\n")
    assert {"runbook-links", "second-part"} <= ids
    assert "item" not in ids and "code" not in ids


def test_site_url_and_repo_url_come_from_the_environment(monkeypatch):
    """A fork sets SITE_URL and REPO_URL instead of editing mkdocs.yml (which reads them with !ENV)."""
    from generator import config

    monkeypatch.delenv("SITE_URL", raising=False)
    monkeypatch.delenv("REPO_URL", raising=False)
    assert config.site_url() == "https://runbooks.example.com/"
    monkeypatch.setenv("SITE_URL", "https://runbooks.acme.test")
    monkeypatch.setenv("REPO_URL", "https://git.acme.test/sre/runbooks/")
    assert config.site_url() == "https://runbooks.acme.test/"
    assert config.repo_url() == "https://git.acme.test/sre/runbooks"
    proc = run_generator("resolve", "--json", "INVALID_SESSION_ID")
    assert '"url": "https://runbooks.acme.test/errors/invalid_session_id/"' in proc.stdout, proc.stdout


@pytest.mark.site
def test_a_fork_build_takes_its_site_url_and_its_own_pages(tmp_path):
    """A fork sets SITE_URL (no edit to mkdocs.yml) and adds pages in docs/local/ (no edit to the nav):
    the sitemap carries its host, and its page is built, under --strict, with no warning."""
    from conftest import build_site, copy_repo

    repo = copy_repo(tmp_path / "repo")
    (repo / "docs" / "local" / "escalation.md").write_text("# Escalation\n\nCall the platform team.\n")
    build_site(repo, tmp_path / "site", env_extra={"SITE_URL": "https://runbooks.acme.test/"})
    sitemap = (tmp_path / "site" / "sitemap.xml").read_text(encoding="utf-8")
    assert "<loc>https://runbooks.acme.test/errors/invalid_grant/</loc>" in sitemap
    assert "runbooks.example.com" not in sitemap
    assert (tmp_path / "site" / "local" / "escalation" / "index.html").is_file()
    assert (tmp_path / "site" / "local" / "index.html").is_file()
