"""`resolve` on real payload shapes, from Python and from the command line."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from conftest import run_generator
from generator import Resolver, resolve

PAYLOADS = yaml.safe_load((Path(__file__).parent / "payloads.yaml").read_text())


def answer(result) -> str | None:
    return None if result is None else result.path


@pytest.mark.parametrize("payload", PAYLOADS, ids=[p["name"] for p in PAYLOADS])
def test_payload_shapes(payload):
    assert answer(resolve(payload["text"])) == payload["expect"]


def test_every_case_resolves_from_its_canonical_string(catalog):
    resolver = Resolver(catalog)
    wrong = []
    for entry in catalog.errors:
        for case in entry.cases:
            for text in (case.description, f'{{"error":"{entry.code}","error_description":"{case.description}"}}'):
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
