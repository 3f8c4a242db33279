"""api/catalog.json: complete, deterministic, documented, and the same index `resolve` uses."""
from __future__ import annotations

import datetime as dt
import json
import re

from bs4 import BeautifulSoup
from conftest import ROOT

from generator.site import render
from generator.site.pages.api import PATH, SCHEMA_VERSION, plain_step
from generator.tools.matching import MatchIndex

CASE_FIELDS = {"anchor", "path", "description", "meaning", "match", "aliases", "moved_from", "evidence",
               "admin_needed", "recovery", "retry", "retry_note", "first_step", "first_step_caution"}
ENTRY_FIELDS = {"code", "title", "category", "category_title", "pseudo_code", "page", "aliases", "moved_from",
                "related", "cases"}


def test_built_site_publishes_every_code_and_case(built_site, catalog):
    data = json.loads((built_site / "api" / "catalog.json").read_text(encoding="utf-8"))
    assert data["schema_version"] == SCHEMA_VERSION
    assert data["generated_from"]["errors"] == len(catalog.errors)
    assert data["generated_from"]["cases"] == sum(len(e.cases) for e in catalog.errors)
    assert set(data["errors"]) == {e.slug for e in catalog.errors}
    for entry in catalog.errors:
        got = data["errors"][entry.slug]
        assert set(got) == ENTRY_FIELDS
        assert (got["code"], got["title"], got["page"]) == (entry.code, entry.title, f"errors/{entry.slug}/")
        assert got["related"] == [r.code for r in entry.related]
        assert [c["anchor"] for c in got["cases"]] == [c.anchor for c in entry.cases]
        ids = {t["id"] for t in BeautifulSoup((built_site / got["page"] / "index.html").read_text(), "html.parser")
               .find_all(id=True)}
        for case, exported in zip(entry.cases, got["cases"], strict=True):
            assert set(exported) == CASE_FIELDS
            assert exported["first_step"] == plain_step(case.steps[0]) and "{" not in exported["first_step"]
            assert exported["match"] == list(case.match) and exported["evidence"] == case.evidence
            assert exported["anchor"] in ids, f"{exported['path']} is not in the built page"
    assert data["match_index"] == MatchIndex.build(catalog).to_json()


def test_export_is_deterministic_and_sorted(catalog):
    first = render(catalog, today=dt.date(2026, 1, 1))[PATH]
    again = render(catalog, today=dt.date(2030, 6, 1))[PATH]
    assert first == again, "catalog.json must not depend on the build date or on dict order"
    data = json.loads(first)
    assert first == json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + "\n"


def test_placeholders_become_generic_names():
    assert plain_step("Reset the password of {user} in  {org}.") == "Reset the password of the integration user in the org."


def test_every_field_is_documented_on_the_linking_page(catalog):
    page = (ROOT / "docs" / "linking-from-alerts.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"`([a-z_0-9.<>\[\]]+)`", page))
    words = {w for item in documented for w in re.split(r"[.\[\]<>]+", item) if w}
    data = json.loads(render(catalog)[PATH])
    fields = set(data) | set(data["generated_from"]) | ENTRY_FIELDS | CASE_FIELDS | set(data["match_index"])
    fields |= {k for r in data["redirects"].values() for k in r}
    missing = sorted(f for f in fields if f not in words)
    assert not missing, f"document these catalog.json fields in docs/linking-from-alerts.md: {missing}"
