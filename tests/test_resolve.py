"""`resolve` on real payload shapes, from Python and from the command line."""
from __future__ import annotations

import json

import pytest
from conftest import load_payloads, run_generator

from generator import Resolver, resolve

PAYLOADS = load_payloads()


def answer(result) -> str | None:
    return None if result is None else result.path


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p["name"] for p in PAYLOADS])
def test_payload_shapes(payload):
    assert answer(resolve(payload["text"])) == payload["expect"]


# Message texts that Salesforce sends under more than one code: without the code, the lookup can
# only pick one of the entries (the other is named in its page). With the code, each lands home.
SHARED_MESSAGES = {
    ("cannot_insert_update_activate_entity",
     "We can't save this record because the {flow} process failed. Give your Salesforce admin these details."),
}


def test_every_case_resolves_from_its_canonical_string(catalog):
    resolver = Resolver(catalog)
    wrong = []
    for entry in catalog.errors:
        for case in entry.cases:
            texts = [f'{{"error":"{entry.code}","error_description":"{case.description}"}}']
            if (entry.slug, case.description) not in SHARED_MESSAGES:
                texts.append(case.description)
            for text in texts:
                got = resolver(text)
                if got is None or (got.code, got.anchor) != (entry.code, case.anchor):
                    wrong.append(f"{entry.code} / {case.description!r} -> {answer(got)}")
    assert not wrong, "cases that do not resolve to themselves (make the text more specific or add a match string):\n" + "\n".join(wrong)


def test_every_alias_resolves_to_its_target(catalog):
    resolver = Resolver(catalog)
    for entry in catalog.errors:
        for alias in entry.aliases:
            assert resolver(alias).page == f"errors/{entry.slug}/", alias
        for case in entry.cases:
            for alias in case.aliases:
                got = resolver(alias)
                assert (got.page, got.anchor) == (f"errors/{entry.slug}/", case.anchor), alias


def test_cli_prints_page_and_anchor():
    proc = run_generator("resolve", '{"error":"invalid_grant","error_description":"inactive user"}')
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "errors/invalid_grant/#inactive-user"


def test_cli_json_and_stdin():
    proc = run_generator("resolve", "--json", "-", stdin="error=invalid_grant&error_description=inactive+user")
    assert proc.returncode == 0, proc.stderr
    data = json.loads(proc.stdout)
    assert data["page"] == "errors/invalid_grant/" and data["anchor"] == "inactive-user"
    assert data["url"].endswith("errors/invalid_grant/#inactive-user") and data["title"]


def test_cli_exit_codes():
    assert run_generator("resolve", "nothing to see here").returncode == 1
    assert run_generator("resolve").returncode == 2
    assert run_generator("no-such-command").returncode == 2
    known = run_generator("resolve", "--json", "invalid_grant: brand new text")
    assert known.returncode == 0 and json.loads(known.stdout)["anchor"] is None


# Examples whose response lands elsewhere on purpose (None: nowhere). Stale entries fail.
LANDS_ELSEWHERE = {
    # The generic authorize error page's URL names the real code in error=; the lookup follows it.
    ("oauth_approval_error_generic", "Generic page for an app that is not installed"): "invalid_client",
    # A failed composite call lists the real error before the PROCESSING_HALTED of the rolled-back parts.
    ("processing_halted", "An all-or-none Composite call where the first subrequest fails"):
        "FIELD_CUSTOM_VALIDATION_EXCEPTION",
    # An HTTP 300 answer is a bare list of record URLs: no code or message to match.
    ("duplicate_external_id", "The REST upsert answer, HTTP 300"): None,
}


def test_every_json_response_in_a_broken_example_parses_and_resolves_to_its_own_case(catalog):
    """Documentation examples that run: a runbook's example response lands on the runbook."""
    import json
    import re

    resolver = Resolver(catalog)
    wrong = []
    seen_elsewhere = set()
    for entry in catalog.errors:
        for example in entry.broken_examples:
            body = example.response.strip()
            if (entry.slug, example.title) in LANDS_ELSEWHERE:
                elsewhere = LANDS_ELSEWHERE[(entry.slug, example.title)]
                seen_elsewhere.add((entry.slug, example.title))
                found = resolver(example.response)
                assert (found and found.code) == elsewhere, (entry.code, example.title)
                continue
            if re.match(r'\[?\s*\{\s*"', body):  # JSON (a JavaScript object literal is not)
                try:
                    json.loads(body)
                except ValueError as exc:
                    wrong.append(f"{entry.code}: '{example.title}': response is not valid JSON ({exc})")
                    continue
            found = resolver(example.response)
            if found is None or found.code != entry.code:
                wrong.append(f"{entry.code}: '{example.title}': response resolves to {found and found.path}")
            elif example.case is not None:
                anchor = next(c.anchor for c in entry.cases if c.description == example.case)
                if found.anchor not in (anchor, None):
                    wrong.append(f"{entry.code}: '{example.title}': lands on #{found.anchor}, not #{anchor}")
    assert not wrong, "\n".join(wrong)
    assert seen_elsewhere == set(LANDS_ELSEWHERE), "remove stale LANDS_ELSEWHERE entries"


EVERYDAY_FAMILIES = ("records", "queries", "transient")


def test_every_everyday_code_has_three_pasted_shapes_in_the_corpus(catalog):
    """A REST JSON body, and other shapes (a client library's exception, a Bulk row, Apex text, SOAP)."""
    by_page: dict[str, list[str]] = {}
    for p in PAYLOADS:
        if p["expect"]:
            by_page.setdefault(p["expect"].split("#")[0], []).append(p["text"].strip())
    thin = []
    for entry in catalog.errors:
        if entry.category not in EVERYDAY_FAMILIES:
            continue
        texts = by_page.get(f"errors/{entry.slug}/", [])
        rest = [t for t in texts if t.startswith(("[{", "{"))]
        # A REST JSON body where the entry shows one (an HTML error page or an Apex job log has none).
        wants_rest = any(ex.surface == "rest" and ex.response.strip()[:1] in "[{" for ex in entry.broken_examples)
        if len(texts) < 3 or (wants_rest and not rest) or len(rest) == len(texts):
            thin.append(f"{entry.code}: {len(texts)} payloads, {len(rest)} REST JSON")
    assert not thin, "add payloads to tests/payloads/<family>.yaml:\n" + "\n".join(thin)


def test_first_step_reads_like_the_exported_one(catalog):
    """resolve's first_step spells out {user} and friends, as api/catalog.json does."""
    found = [r for r in (Resolver(catalog)(f"{e.code}: {c.description}") for e in catalog.errors for c in e.cases)
             if r is not None and r.first_step]
    assert found and not [r.first_step for r in found if "{" in r.first_step]


def test_explain_prints_the_triage_box_in_the_terminal():
    proc = run_generator("explain", '{"error":"invalid_grant","error_description":"inactive user"}')
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0] == "invalid_grant: inactive user"
    for label in ("Means:", "Admin:", "First step:", "Retry:", "Recovery:", "Runbook:"):
        assert any(line.startswith(label) for line in lines), label
    assert "{user}" not in proc.stdout and "errors/invalid_grant/#inactive-user" in proc.stdout
    assert run_generator("explain", "Error: read ECONNRESET").returncode == 1
