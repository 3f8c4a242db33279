"""The truth rules: risky steps carry a caution beside them, evidence tags mean what they say, the
catalog stands on its own, and the corrections of the December audit stay made."""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, run_generator

from generator import Resolver
from generator.catalog import rules


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


# --- validation refuses what the rules forbid ----------------------------------------------------

def _with_step(step_yaml: str) -> str:
    text = (FIXTURES / "minimal_error.yaml").read_text()
    return text.replace('    steps: ["Check {user} in Login History."]', "    steps:\n" + step_yaml)


@pytest.mark.parametrize("step", [
    "Add the integration's IP to the Login IP Ranges of {user}'s profile.",
    "Set IP Relaxation to Relax IP restrictions for {app}.",
    "Switch on Allow OAuth Username-Password Flows in OAuth and OpenID Connect Settings.",
    "Set the refresh token policy of {app} to Refresh token is valid until revoked.",
    "Give {user} the Use Any API Client permission.",
    "Delete {app} and re-create it with the same callback URL.",
])
def test_a_risky_step_without_a_caution_is_refused_with_its_line(make_catalog, step):
    text = _with_step(f'      - "{step}"\n')
    proc = run_generator("validate", catalog_dir=make_catalog({"test_only_code.yaml": text}))
    line = next(i for i, t in enumerate(text.splitlines(), 1) if step[:30] in t)
    assert proc.returncode == 1
    assert re.search(rf"test_only_code\.yaml:{line}: cases\[0\]\.steps\[0\]: this step touches .*caution", proc.stderr), \
        proc.stderr


def test_the_same_step_with_a_caution_passes(make_catalog):
    text = _with_step('      - text: "Add the integration\'s IP to the Login IP Ranges of {user}\'s profile."\n'
                      '        caution: "The first range on a profile locks every other address out."\n')
    proc = run_generator("validate", catalog_dir=make_catalog({"test_only_code.yaml": text}))
    assert proc.returncode == 0, proc.stderr


def test_observed_needs_a_source_that_shows_a_real_response(make_catalog):
    text = (FIXTURES / "minimal_error.yaml").read_text().replace(
        "    evidence: documented\n    sources: [https://example.com/source]",
        "    evidence: observed\n    sources: [https://help.salesforce.com/s/articleView?id=1]")
    proc = run_generator("validate", catalog_dir=make_catalog({"test_only_code.yaml": text}))
    assert proc.returncode == 1
    assert "cases[0].evidence: 'observed' needs a source that shows a real response or log" in proc.stderr
    assert rules.is_documentation("https://developer.salesforce.com/docs/atlas.en-us.api.meta/api/x.htm")
    assert not rules.is_documentation("https://developer.salesforce.com/forums/ForumsMain?id=9060")
    assert not rules.is_documentation("https://github.com/jsforce/jsforce/issues/487")


def test_every_observed_case_has_a_real_response_among_its_sources(catalog):
    thin = [f"{e.code}: {c.description}" for e in catalog.errors for c in e.cases
            if c.evidence == "observed" and all(map(rules.is_documentation, c.sources))]
    assert not thin


def test_no_catalog_file_points_outside_the_repository():
    outside = re.compile(r"(?:(?<!\.)\.\./|/work/|/home/|shared/reference|[A-Za-z]:\\\\)")
    schema_line = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")  # a template's ../schema/<kind>

    def points_outside(path, line: str) -> bool:
        m = schema_line.match(line)
        if m:
            return not (path.parent / m.group(1)).resolve().is_relative_to(ROOT / "catalog" / "schema")
        return bool(outside.search(line))

    hits = [f"{p.relative_to(ROOT)}:{i}" for p in sorted((ROOT / "catalog").rglob("*.yaml"))
            for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if points_outside(p, line)]
    assert not hits, hits


def test_the_catalog_readme_says_how_we_know():
    text = (ROOT / "catalog" / "README.md").read_text(encoding="utf-8")
    for word in ("observed", "documented", "reported", "caution", "retry"):
        assert word in text, word


# --- the audit's corrections ------------------------------------------------------------------------

@pytest.mark.parametrize("text", ["ENTITY_FAILED_IFLASTMODIFIED_ON_UPDATE", "ENTITY_FAILED_IFLASTMODIFIED_ON_UPDATE_CHECK"])
def test_both_spellings_of_the_iflastmodified_code_land_on_one_page(catalog, text):
    assert Resolver(catalog)(text).page == "errors/entity_failed_iflastmodified_on_update/"


def test_app_not_found_lands_on_the_external_client_app_case(catalog):
    found = Resolver(catalog)('{"error":"app_not_found"}')
    assert found is not None and found.anchor is not None, found
    case = next(c for c in catalog.error(found.code).cases if c.anchor == found.anchor)
    assert "external client app" in (case.description + " " + case.meaning).lower(), found


# --- on the built pages ---------------------------------------------------------------------------------

def _fix_items(page: BeautifulSoup) -> list:
    return [li for h in page.find_all("h4", id=re.compile(r"-fix$")) for li in h.find_next("ol").find_all("li")]


@pytest.mark.parametrize(("code", "setting"), [
    ("login_must_use_security_token", "Login IP Range"),
    ("invalid_grant", "Login IP Range"),
    ("invalid_grant", "Username-Password Flows"),
])
def test_a_warning_box_stands_beside_the_risky_step(built_site, code, setting):
    items = [li for li in _fix_items(soup(built_site / "errors" / code / "index.html"))
             if setting.lower() in (li.find("p") or li).get_text().lower()]
    assert items, f"no step of errors/{code}/ mentions {setting}"
    for li in items:
        box = li.find("div", class_="warning")
        assert box is not None and box.find(class_="admonition-title").get_text() == "Caution", li.get_text()[:120]


def test_every_caution_in_the_catalog_is_a_warning_inside_its_step(built_site, catalog):
    missing = []
    for entry in catalog.errors:
        page = soup(built_site / "errors" / entry.slug / "index.html")
        for case in entry.cases:
            heading = page.find(id=f"{case.anchor}-fix")
            items = heading.find_next("ol").find_all("li", recursive=False)
            for step, li in zip(case.steps, items, strict=True):
                box = li.find("div", class_="warning")
                if step.caution and (box is None or " ".join(step.caution.split())[:40] not in " ".join(box.get_text().split())):
                    missing.append(f"{entry.code}#{case.anchor}: {step.text[:60]}")
    assert not missing, "\n".join(missing)


def test_every_case_offers_a_prefilled_report_link(built_site, catalog):
    entry = catalog.error("invalid_grant")
    page = soup(built_site / "errors/invalid_grant/index.html")
    links = [a["href"] for a in page.select("a.report-problem")]
    assert len(links) == len(entry.cases)
    assert all("/issues/new?" in href and "catalog%2Ferrors%2Finvalid_grant.yaml" in href for href in links)


def test_the_codeowners_example_names_every_owner_of_the_catalog(catalog):
    text = (ROOT / ".github" / "CODEOWNERS.example").read_text(encoding="utf-8")
    named = set(re.findall(r"# owner: (.+?)\s*$", text, re.M))
    owners = {e.owner for e in catalog.errors} | {i.owner for i in catalog.integrations}
    assert owners <= named, f"add CODEOWNERS.example lines for: {sorted(owners - named)}"
