"""Completeness of the catalog. Each failure names the file to touch and the fix, like a linter."""
from __future__ import annotations

import shutil

import pytest
from conftest import ROOT, run_generator

from generator import Resolver
from generator.catalog import load_catalog

# Codes an on-call engineer meets (issue #3). Adding to this list is how the catalog grows.
REQUIRED_CODES = """
invalid_grant invalid_client_id invalid_client invalid_app_access unsupported_grant_type
redirect_uri_mismatch invalid_request inactive_user inactive_org rate_limit_exceeded invalid_scope
access_denied OAUTH_APP_BLOCKED OAUTH_EC_APP_NOT_FOUND OAUTH_APPROVAL_ERROR_GENERIC
INVALID_SESSION_ID INVALID_LOGIN LOGIN_MUST_USE_SECURITY_TOKEN INVALID_OPERATION_WITH_EXPIRED_PASSWORD
LOGIN_RATE_EXCEEDED API_DISABLED_FOR_ORG API_CURRENTLY_DISABLED REQUEST_LIMIT_EXCEEDED
INSUFFICIENT_ACCESS_OR_READONLY INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY INVALID_CROSS_REFERENCE_KEY
UNABLE_TO_LOCK_ROW ENTITY_FAILED_IFLASTMODIFIED_ON_UPDATE INSUFFICIENT_PRIVILEGES UNSUPPORTED_API_VERSION
""".split()

# (pasted text, code, case anchor or None): strings from the source page and the fact sheet.
REQUIRED_STRINGS = [
    ("invalid_grant: authentication failure", "invalid_grant", "authentication-failure"),
    ("invalid_grant: IP restricted", "invalid_grant", "ip-restricted-or-invalid-login-hours"),
    ("invalid_grant: inactive user", "invalid_grant", "inactive-user"),
    ("invalid_grant: password expired", "invalid_grant", "password-expired"),
    ("invalid_grant: challenge required", "invalid_grant", "challenge-required"),
    ("invalid_grant: expired access/refresh token", "invalid_grant", "expired-access-refresh-token"),
    ("invalid_grant: user hasn't approved this consumer", "invalid_grant", "user-hasnt-approved-this-consumer"),
    ("invalid_grant: invalid grant type", "invalid_grant", "invalid-grant-type"),
    ("invalid_grant: audience is invalid", "invalid_grant", "audience-is-invalid"),
    ("invalid_grant: invalid assertion", "invalid_grant", "invalid-assertion"),
    ("invalid_grant: expired authorization code", "invalid_grant", "expired-authorization-code"),
    ("invalid_grant: no client credentials user enabled", "invalid_grant", "no-client-credentials-user-enabled"),
    ("invalid_grant: request not supported on this domain", "invalid_grant", "request-not-supported-on-this-domain"),
    ("invalid_grant: activation secret invalid", "invalid_grant", "activation-secret-invalid"),
    ("TWO_FACTOR_REQUIRED", "invalid_grant", "challenge-required"),
    ("invalid_client_id: client identifier invalid", "invalid_client_id", "client-identifier-invalid"),
    ("invalid_client: invalid client credentials", "invalid_client", "invalid-client-credentials"),
    ("invalid_client: app must be installed into org", "invalid_client", "app-must-be-installed-into-org"),
    ("invalid_client_credentials", "invalid_client", None),
    ("invalid_app_access: user is not admin approved to access this app", "invalid_app_access",
     "user-is-not-admin-approved-to-access-this-app"),
    ("OAUTH_APP_ACCESS_DENIED", "invalid_app_access", None),
    ("unsupported_grant_type: grant type not supported", "unsupported_grant_type", "grant-type-not-supported"),
    ("redirect_uri_mismatch: redirect_uri must match configuration", "redirect_uri_mismatch",
     "redirect-uri-must-match-configuration"),
    ("invalid_request: missing required code challenge", "invalid_request", "missing-required-code-challenge"),
    ("External client app is not installed in this org", "OAUTH_EC_APP_NOT_FOUND",
     "external-client-app-is-not-installed-in-this-org"),
    ("INVALID_SESSION_ID: Session expired or invalid", "INVALID_SESSION_ID", "session-expired-or-invalid"),
    ("INVALID_SESSION_ID: This session is not valid for use with the REST API", "INVALID_SESSION_ID",
     "this-session-is-not-valid-for-use-with-the-rest-api"),
    ("<exceptionCode>InvalidSessionId</exceptionCode>", "INVALID_SESSION_ID", "invalid-session-id"),
    ("INVALID_LOGIN: Invalid username, password, security token; or user locked out.", "INVALID_LOGIN",
     "invalid-username-password-security-token-or-user-locked-out"),
    ("API_DISABLED_FOR_ORG: The REST API is not enabled for this Organization.", "API_DISABLED_FOR_ORG",
     "the-rest-api-is-not-enabled-for-this-organization"),
    ("API_CURRENTLY_DISABLED: API is disabled for this User", "API_CURRENTLY_DISABLED", "api-is-disabled-for-this-user"),
    ("REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.", "REQUEST_LIMIT_EXCEEDED", "totalrequests-limit-exceeded"),
    ("INSUFFICIENT_ACCESS_OR_READONLY: insufficient access rights on object id", "INSUFFICIENT_ACCESS_OR_READONLY",
     "insufficient-access-rights-on-object-id"),
    ("INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY: insufficient access rights on cross-reference id",
     "INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY", "insufficient-access-rights-on-cross-reference-id"),
    ("INVALID_CROSS_REFERENCE_KEY: invalid cross reference id", "INVALID_CROSS_REFERENCE_KEY", "invalid-cross-reference-id"),
    ("UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record", "UNABLE_TO_LOCK_ROW",
     "unable-to-obtain-exclusive-access-to-this-record"),
    ("ENTITY_FAILED_IFLASTMODIFIED_ON_UPDATE", "ENTITY_FAILED_IFLASTMODIFIED_ON_UPDATE", None),
    # The _CHECK spelling came from an unverified list; it is kept as moved_from so old links resolve.
    ("ENTITY_FAILED_IFLASTMODIFIED_ON_UPDATE_CHECK", "ENTITY_FAILED_IFLASTMODIFIED_ON_UPDATE", None),
    ("Insufficient Privileges. You do not have the level of access necessary to perform the operation you requested.",
     "INSUFFICIENT_PRIVILEGES", None),
]

# Cases the fact sheet marks [P]: they must stay 'reported' until someone sees the real text.
REPORTED = {("invalid_grant", "password expired"), ("invalid_grant", "challenge required"),
            ("invalid_grant", "invalid grant type")}


def test_catalog_validates():
    proc = run_generator("validate")
    assert proc.returncode == 0, "python -m generator validate fails:\n" + proc.stderr


@pytest.mark.parametrize("code", REQUIRED_CODES)
def test_required_code_has_an_entry(code, catalog):
    path = ROOT / "catalog" / "errors" / f"{code.lower()}.yaml"
    assert path.is_file(), f"{path.relative_to(ROOT)} is missing: copy catalog/_templates/error.yaml there and fill it in"
    assert catalog.error(code).code == code, f"{path.relative_to(ROOT)}: code: write it exactly as Salesforce sends it: {code}"


@pytest.mark.parametrize("text,code,anchor", REQUIRED_STRINGS, ids=[s[0][:60] for s in REQUIRED_STRINGS])
def test_required_string_resolves(text, code, anchor, catalog):
    got = Resolver(catalog)(text)
    where = f"catalog/errors/{code.lower()}.yaml"
    assert got is not None, f"{where}: nothing matches {text!r}; add a case or a match string"
    assert got.code == code, f"{where}: {text!r} resolves to {got.code}; make the strings more specific"
    if anchor is None:
        return
    assert got.anchor == anchor, f"{where}: {text!r} lands on #{got.anchor}, expected #{anchor}; add a case or match string"


def test_catalog_size(catalog):
    cases = sum(len(e.cases) for e in catalog.errors)
    assert len(catalog.errors) >= 30 and cases >= 70, f"{len(catalog.errors)} codes / {cases} cases: the catalog needs >= 30 codes and >= 70 cases"


@pytest.mark.parametrize("code,description", sorted(REPORTED))
def test_unconfirmed_strings_stay_reported(code, description, catalog):
    case = next(c for c in catalog.error(code).cases if c.description == description)
    assert case.evidence == "reported" and case.evidence_note, (
        f"catalog/errors/{code}.yaml: {description!r} is unconfirmed in the fact sheet; keep evidence: reported with an evidence_note")


def test_reported_cases_show_their_note_on_the_page(built_site, catalog):
    from bs4 import BeautifulSoup

    missing = []
    for entry in catalog.errors:
        page = BeautifulSoup((built_site / "errors" / entry.slug / "index.html").read_text(), "html.parser")
        for case in entry.cases:
            if case.evidence != "reported":
                continue
            section = []
            for el in page.find(id=case.anchor).find_next_siblings():
                if el.name in ("h2", "h3"):
                    break
                section.append(el.get_text())
            if "Unconfirmed" not in " ".join(section):
                missing.append(f"{entry.code}#{case.anchor}")
    assert not missing, "reported cases without a visible 'Unconfirmed' note: " + ", ".join(missing)


def test_every_setup_path_and_status_is_used(catalog):
    used_paths = {sp for e in catalog.errors for c in e.cases for sp in c.setup_paths}
    used_paths |= {s.setup_path for e in catalog.errors for s in e.settings_to_verify}
    unused = sorted(set(catalog.setup_paths) - used_paths)
    assert not unused, f"catalog/setup_paths.yaml: {unused} are used by no case; reference them in a case's setup_paths or remove them"
    used_status = {s for e in catalog.errors for c in e.cases for s in c.login_history}
    unused = sorted(set(catalog.login_history) - used_status)
    assert not unused, f"catalog/login_history.yaml: {unused} point to no case; add them to a case's login_history or remove them"


def test_template_is_a_valid_entry(tmp_path):
    """The commented template must stay in step with the schema, or newcomers copy errors."""
    root = tmp_path / "catalog"
    shutil.copytree(ROOT / "catalog", root, ignore=shutil.ignore_patterns("errors", "integrations", "local"))
    (root / "errors").mkdir()
    shutil.copy(ROOT / "catalog/_templates/error.yaml", root / "errors/example_code.yaml")
    load_catalog(root)


def test_the_home_page_names_every_family_the_catalog_covers(catalog):
    home = " ".join((ROOT / "docs" / "index.md").read_text(encoding="utf-8").lower().split())
    covered = home.split("what it covers:", 1)[1].split("each error has a page", 1)[0]
    missing = [c.title for cid, c in catalog.categories.items()
               if any(e.category == cid for e in catalog.errors) and c.title.lower() not in covered]
    assert not missing, f"docs/index.md: add these families to 'What it covers': {missing}"
