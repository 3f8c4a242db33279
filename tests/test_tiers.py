"""Every Salesforce code lands somewhere: runbooks, reference entries and the family guides.

Walks every list in catalog/reference/ (the Partner WSDL's StatusCode and ExceptionCode values, the
Bulk exception codes, the Streaming error table, the Pub/Sub codes, the OAuth error values) and
requires each code to resolve to its page; checks the schema rules that keep reference entries
honest, and the three tiers `resolve --json` reports.
"""
from __future__ import annotations

import json

import pytest
import yaml
from conftest import ROOT, run_generator

from generator import urls
from generator.catalog import load_catalog, runbook_spellings
from generator.tools.resolver import Resolver

REFERENCE = sorted((ROOT / "catalog" / "reference").glob("*.yaml"))


def listed() -> list[tuple[str, dict, dict]]:
    """(file name, list header, entry) for every entry of every reference list, as written."""
    out = []
    for path in REFERENCE:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        out += [(path.name, data, entry) for entry in data["entries"]]
    return out


def as_pasted(family: str, entry: dict) -> str:
    """The code in the shape its API sends it."""
    code = entry["code"]
    if entry.get("match"):
        return entry["match"][0]
    if family == "oauth":
        return json.dumps({"error": code, "error_description": "some text"})
    if family == "bulk":
        return (f'<error xmlns="http://www.force.com/2009/06/asyncapi/dataload"><exceptionCode>{code}'
                "</exceptionCode><exceptionMessage>some text</exceptionMessage></error>")
    return json.dumps([{"message": "some text", "errorCode": code}])


@pytest.fixture(scope="module")
def resolver():
    return Resolver(load_catalog())


def test_the_wsdl_list_is_complete():
    """745 = StatusCode (524) and ExceptionCode (263) of the API 58.0 Partner WSDL, 42 in both."""
    data = yaml.safe_load((ROOT / "catalog" / "reference" / "api.yaml").read_text())
    codes = [e["code"] for e in data["entries"]]
    assert len(codes) == len(set(codes)) == 745
    assert codes == sorted(codes)
    assert {"INVALID_FIELD", "UNABLE_TO_LOCK_ROW", "INVALID_SESSION_ID", "ADAPTER_ERROR"} <= set(codes)


def test_codes_added_after_api_58_join_the_lists_with_their_version_and_source():
    data = yaml.safe_load((ROOT / "catalog" / "reference" / "api-newer.yaml").read_text())
    wsdl58 = {e["code"] for e in yaml.safe_load((ROOT / "catalog" / "reference" / "api.yaml").read_text())["entries"]}
    assert len(data["entries"]) >= 100
    for entry in data["entries"]:
        assert entry["code"] not in wsdl58, entry["code"]
        assert entry["since"].startswith("API ") and float(entry["since"][4:]) >= 59, entry
        assert all(s.startswith("https://github.com/forcedotcom/wsdl/blob/") for s in entry["sources"]), entry


def test_every_listed_code_resolves_to_its_page(resolver):
    catalog = resolver.catalog
    wrong = []
    for name, header, entry in listed():
        found = resolver(as_pasted(header["family"], entry))
        slug = entry["code"].lower()
        if found is None or found.tier == "family":
            wrong.append(f"{name}: {entry['code']}: {found and found.path}")
        elif found.tier == "reference" and found.page != urls.error_url(entry["code"]):
            wrong.append(f"{name}: {entry['code']}: reference answer {found.page}")
        elif found.tier == "runbook" and slug not in runbook_spellings([catalog.error(found.code)]):
            wrong.append(f"{name}: {entry['code']}: answered by the runbook of {found.code}")
    assert len(listed()) >= 745 + 16 + 20
    assert not wrong, "\n".join(wrong)


def test_a_runbook_takes_over_its_codes_reference_page(resolver):
    catalog = resolver.catalog
    listed_codes = {e["code"].lower() for _, _, e in listed()}
    taken = listed_codes & runbook_spellings(catalog.errors)
    assert taken, "some listed codes have runbooks"
    assert not taken & set(catalog.reference_by_slug)
    assert catalog.shadowed_references >= len(taken)  # entries, not codes: a code may be on two lists
    for slug in sorted(taken)[:20]:
        entry = next(e for e in catalog.errors if slug in runbook_spellings([e]))
        assert resolver(json.dumps([{"errorCode": slug.upper(), "message": "x"}])).tier == "runbook", slug
        assert entry.slug in catalog.by_slug


def test_no_reference_entry_states_a_meaning_or_retry_class_without_a_source():
    for name, _, entry in listed():
        if entry.get("meaning") or entry.get("retry"):
            assert entry.get("sources"), f"{name}: {entry['code']} states a meaning with no source"


def test_validation_refuses_a_meaning_without_a_source(make_catalog):
    root = make_catalog()
    (root / "reference").mkdir()
    (root / "reference" / "x.yaml").write_text(
        "family: api\nlist_name: A list\nlist_source: https://example.com/list\nentries:\n"
        "  - code: SOME_CODE\n    meaning: Made up from the name.\n")
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1
    assert any(line.startswith(f"{root}/reference/x.yaml:5: entries[0].sources: SOME_CODE states a meaning")
               or "reference/x.yaml:5: entries[0].sources: SOME_CODE states a meaning" in line
               for line in proc.stderr.splitlines()), proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("files, expected", [
    ({"a.yaml": "family: nowhere\n"}, "a.yaml:1: family: unknown family 'nowhere'"),
    ({"a.yaml": "family: api\n", "b.yaml": "family: api\n"}, "b.yaml:5: entries[0].code: SOME_CODE is already listed in"),
], ids=["unknown family", "repeated code"])
def test_validation_refuses_bad_reference_lists(make_catalog, files, expected):
    root = make_catalog()
    (root / "reference").mkdir()
    body = "list_name: A list\nlist_source: https://example.com/list\nentries:\n  - code: SOME_CODE\n"
    for name, head in files.items():
        (root / "reference" / name).write_text(head + body)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1
    assert expected in proc.stderr, proc.stderr


@pytest.mark.parametrize("text, tier, page, code", [
    ('{"error":"invalid_grant","error_description":"inactive user"}', "runbook", "errors/invalid_grant/", "invalid_grant"),
    ('[{"errorCode":"ADAPTER_ERROR","message":"x"}]', "reference", "errors/adapter_error/", "ADAPTER_ERROR"),
    ('[{"errorCode":"NEVER_SEEN_BEFORE","message":"x"}]', "family", "guides/api/", "NEVER_SEEN_BEFORE"),
])
def test_resolve_json_says_which_tier_answered(text, tier, page, code):
    proc = run_generator("resolve", "--json", text)
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert (out["tier"], out["page"], out["code"]) == (tier, page, code)
    if tier == "family":
        assert out["anchor"] == urls.UNKNOWN_CODE_ID and out["family"] == "api"
        assert "unknown code" in out["title"].lower()


def test_resolve_exits_1_only_when_nothing_is_salesforce_shaped():
    proc = run_generator("resolve", "--json", "Error: read ECONNRESET\n    at TLSWrap.onStreamRead (node:internal)")
    assert proc.returncode == 1
    assert json.loads(proc.stdout) is None


def test_explain_says_an_unknown_code_is_unknown():
    proc = run_generator("explain", '[{"errorCode":"NEVER_SEEN_BEFORE","message":"x"}]')
    assert proc.returncode == 0, proc.stderr
    assert "no runbook or reference entry knows this code" in proc.stdout
    assert "guides/api/" in proc.stdout


def test_new_error_starts_a_runbook_for_a_reference_code(tmp_path):
    from generator.tools.scaffold import new_error
    path = new_error("ADAPTER_ERROR", "records", tmp_path)
    text = path.read_text()
    assert path.name == "adapter_error.yaml"
    assert "\ncode: ADAPTER_ERROR" in text and "\ncategory: records" in text and "errors/adapter_error/" in text
    with pytest.raises(FileExistsError):
        new_error("ADAPTER_ERROR", None, tmp_path)


# The five shapes of the everyday errors, part 2 (Bulk, Streaming, Pub/Sub, deploy): each is in the
# payload corpus, which test_resolve.py runs through Python and test_lookup_browser.py through the
# browser lookup, both required to land on exactly this case.
SHAPES = {
    "Bulk 2.0 failed-results CSV row": "errors/required_field_missing/",
    "Bulk 1.0 XML error": "errors/exceededquota/#apibatchitems-limit-exceeded",
    "CometD /meta/connect reply": "errors/streaming_403_unknown_client/#403-unknown-client",
    "Pub/Sub gRPC error line": "errors/pubsub_service_auth_error/#an-authentication-exception-occurred-provide-valid-authentication-via-metadata-headers",
    "Salesforce CLI deploy failure": "errors/deploy_code_coverage/",
}


def test_the_part_2_shapes_are_in_the_corpus_and_resolve(resolver):
    from conftest import load_payloads

    corpus = {p["name"]: p for p in load_payloads()}
    for shape, target in SHAPES.items():
        matching = [p for p in corpus.values() if p.get("shape") == shape]
        assert matching, f"no payload in tests/payloads/ is marked shape: {shape}"
        for payload in matching:
            assert payload["expect"].startswith(target), (shape, payload["expect"])
            assert resolver(payload["text"]).path == payload["expect"], shape
