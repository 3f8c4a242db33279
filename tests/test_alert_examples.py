"""examples/alerts/: every runbook link in the example alert rules lands on a page and case the
catalog generates, and each example carries its link where its tool shows it to the person on call."""
from __future__ import annotations

import json
import re
import urllib.parse

import pytest
import yaml
from conftest import ROOT

from generator import resolve, urls
from generator.catalog import load_catalog
from generator.tools.check_links import LinkChecker

EXAMPLES = ROOT / "examples" / "alerts"
SITE = "https://runbooks.example.com/"  # mkdocs.yml's default site_url, what a fork replaces
FILES = sorted(p for p in EXAMPLES.iterdir() if p.is_file())


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


@pytest.fixture(scope="module")
def checker(catalog):
    return LinkChecker(catalog, SITE)


def site_links(path) -> list[str]:
    return re.findall(re.escape(SITE) + r"[^\s'\"<>`|]*", path.read_text(encoding="utf-8"))


def test_one_example_per_tool():
    names = {p.name for p in FILES}
    assert {"prometheus-rules.yml", "grafana-alert-rules.yml", "datadog-monitor.json",
            "pagerduty-event.json", "README.md"} <= names, names


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_link_lands(checker, path):
    """check-links' own reading: no broken link, no templated link it cannot check, and it saw every
    URL on the site's host (none hidden from it by quoting or escapes)."""
    count, broken, notes = checker.check_file(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
    assert not broken, "\n".join(map(str, broken))
    assert not notes, "\n".join(notes)
    assert count == len(site_links(path)) > 0


@pytest.mark.parametrize("path", [p for p in FILES if p.suffix != ".md"], ids=lambda p: p.name)
def test_error_links_name_a_code_and_case_of_the_catalog(catalog, path):
    """The same links read again from the catalog and the URL contract, apart from check-links:
    errors/<code>/ is urls.error_url of an entry, #<anchor> one of its cases; lookup/?q= text finds
    a case."""
    by_url = {urls.error_url(e.code): e for e in catalog.errors}
    for link in site_links(path):
        parts = urllib.parse.urlsplit(link.rstrip(".,;)"))
        page = parts.path.removeprefix(urllib.parse.urlsplit(SITE).path)
        if page.startswith("errors/"):
            assert page in by_url, f"{path.name}: {link}: no entry at {page}"
            anchors = {c.anchor for c in by_url[page].cases}
            assert not parts.fragment or parts.fragment in anchors, f"{path.name}: {link}: no case #{parts.fragment}"
        elif page == "lookup/" and "{{" not in link:
            query = urllib.parse.parse_qs(parts.query).get("q")
            if query:
                assert resolve(query[0]) is not None, f"{path.name}: {link}: the lookup finds no case"
        else:
            assert page in ("", "lookup/"), f"{path.name}: {link}: link to an error page or lookup/"


def test_prometheus_and_grafana_rules_carry_runbook_url():
    prometheus = yaml.safe_load((EXAMPLES / "prometheus-rules.yml").read_text(encoding="utf-8"))
    grafana = yaml.safe_load((EXAMPLES / "grafana-alert-rules.yml").read_text(encoding="utf-8"))
    rules = [r for g in prometheus["groups"] for r in g["rules"]] + [r for g in grafana["groups"] for r in g["rules"]]
    assert len(rules) >= 4
    for rule in rules:
        name = rule.get("alert") or rule["title"]
        assert rule["annotations"]["runbook_url"].startswith(SITE), name


def test_datadog_message_and_pagerduty_links():
    monitor = json.loads((EXAMPLES / "datadog-monitor.json").read_text(encoding="utf-8"))
    assert {"name", "type", "query", "message", "options"} <= monitor.keys()
    assert SITE + "errors/invalid_grant/#expired-access-refresh-token" in monitor["message"]
    event = json.loads((EXAMPLES / "pagerduty-event.json").read_text(encoding="utf-8"))
    assert event["event_action"] == "trigger" and {"summary", "source", "severity"} <= event["payload"].keys()
    hrefs = [link["href"] for link in event["links"]]
    assert hrefs and all(h.startswith(SITE) for h in hrefs)
    assert any("#" in h for h in hrefs) and any(h.startswith(SITE + "lookup/?q=") for h in hrefs)


def test_a_broken_example_link_would_fail(checker, tmp_path):
    """The check above is not vacuous: a renamed case in an example is caught with a suggestion."""
    text = (EXAMPLES / "prometheus-rules.yml").read_text(encoding="utf-8").replace(
        "#expired-access-refresh-token", "#expired-refresh-token")
    _, broken, _ = checker.check_file("prometheus-rules.yml", text)
    assert [b.suggestion for b in broken] == [f"did you mean {SITE}errors/invalid_grant/#expired-access-refresh-token?"]
