"""Credentials in inventories and overlays are refused with file:line: key, never quoted, never rendered."""
from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from conftest import run_generator

from generator.catalog import secrets as secrets_scan
from generator.catalog.problems import CatalogError
from generator.pipeline import build

# Test data only: every value below is made up and has never been a working credential.
PEM_RSA = ("-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA3Tz2mr7SZiAMfQyuvBjM2Ux1kHBhZmFrZXJzYQ\n"
           "-----END RSA PRIVATE KEY-----\n")
PEM_PKCS8 = ("-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\n"
             "-----END PRIVATE KEY-----\n")
PEM_OPENSSH = ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n"
               "-----END OPENSSH PRIVATE KEY-----\n")
SESSION_ID = "00D5g000004XyZa!AQ4AQFakeFakeFake.0123456789abcdefghijKLMNOP_qrstuv"
JWT = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiIzTVZHOWZha2UiLCJzdWIiOiJ1c2VyIn0.c2lnbmF0dXJlLWZha2UtZmFrZS1mYWtl"
CONSUMER_KEY = "3MVG9fakeConsumerKeyThatIsLongEnough_0123456789ABCDEFGHIJ.klmnopqrstu"
CONSUMER_SECRET_HEX = "8F3A9C2B7D1E4F6A8B0C2D4E6F8A0B2C4D6E8F0A2B4C6D8E0F2A4B6C8D0E2F4A"

# (data, location of the credential) for each shape that must be refused.
CREDENTIALS = {
    "client secret (hex)": ({"client_secret": CONSUMER_SECRET_HEX}, ("client_secret",)),
    "consumer secret (digits)": ({"consumer_secret": "1234567890123456789"}, ("consumer_secret",)),
    "password": ({"password": "Tr0ub4dor&3"}, ("password",)),
    "password as a number": ({"password": 12345678}, ("password",)),
    "integration password, nested": ({"connected_app": {"integration_password": "hunter2hunter2"}},
                                     ("connected_app", "integration_password")),
    "security token": ({"security_token": "aBcD1234eFgH5678iJkL"}, ("security_token",)),
    "refresh token value": ({"notes": "5Aep861TSESvWeug_xvFHRBTTbf_YrTWgEyjBJo7Xr34yOQ7GCFUN5DnNPxzDIoGoWi4evqOl_Ghj8a8GkLvpfr"},
                            ("notes",)),
    "session id in free text": ({"notes": f"curl -H 'X-Sid: {SESSION_ID}' /services/data"}, ("notes",)),
    "access token key": ({"access_token": "not-a-reference-but-a-value-1234"}, ("access_token",)),
    "RSA private key": ({"notes": PEM_RSA}, ("notes",)),
    "PKCS8 private key": ({"private_key": PEM_PKCS8}, ("private_key",)),
    "OpenSSH private key": ({"dependencies": ["deploy key", PEM_OPENSSH]}, ("dependencies", 1)),
    "JWT": ({"alerts": [f"replay {JWT}"]}, ("alerts", 0)),
    "AWS access key id": ({"ip_strategy": "uses AKIAIOSFODNN7EXAMPLE for S3"}, ("ip_strategy",)),
    "AWS secret access key": ({"aws_secret_access_key": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"},
                              ("aws_secret_access_key",)),
    "consumer key paired with a secret": ({"notes": f"client id {CONSUMER_KEY}", "x": CONSUMER_SECRET_HEX},
                                          ("notes",)),
    "api key": ({"api_key": "k-93jd8e7f6g5h4"}, ("api_key",)),
    "GitHub token": ({"notes": "ghp_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef012345"}, ("notes",)),
    "Slack token": ({"alerts": ["xoxb-123456789012-abcdefghijklmnop"]}, ("alerts", 0)),
    "password in a URL": ({"dependencies": ["https://etl:S3cretPass@ftp.example.com/drop"]}, ("dependencies", 0)),
    "name=value in prose": ({"notes": "login with password=Winter2026! until SSO"}, ("notes",)),
    "bearer header": ({"notes": "Authorization: Bearer abcdefghijklmnopqrstuvwxyz0123456789"}, ("notes",)),
    "secret as a key": ({"AKIAIOSFODNN7EXAMPLE": "x"}, ("AKIAIOSFODNN7EXAMPLE",)),
}

# Values that look a little like credentials and must pass.
HARMLESS = {
    "vault path": {"secrets_location": "vault://secret/salesforce/example-erp/jwt-key"},
    "consumer key name field": {"consumer_key_name": "Example ERP Sync"},
    "URL": {"org": "https://example-corp.my.salesforce.com", "token_url": "https://login.salesforce.com/services/oauth2/token"},
    "env var reference": {"client_secret": "${SF_CLIENT_SECRET}", "password": "$SF_PASSWORD"},
    "secret manager ARN": {"client_secret": "arn:aws:secretsmanager:eu-west-1:111122223333:secret:example/sf-AbCdEf"},
    "1Password sentence": {"password": 'see 1Password item "Example ERP Salesforce"'},
    "placeholder": {"consumer_secret": "<CONSUMER_SECRET>"},
    "scopes and flow names": {"flow": "refresh_token", "scopes": ["api", "refresh_token", "offline_access"]},
    "prose about passwords": {"notes": "IT rotates the password every 90 days; the token: see the vault."},
    "consumer key alone": {"notes": f"Client id {CONSUMER_KEY} (public, no secret here)"},
    "certificate, not a key": {"notes": "-----BEGIN CERTIFICATE-----\nMIIC+zCCAeOgAwIBAgIJAK\n-----END CERTIFICATE-----"},
    "secrets_location sentence": {"secrets_location": "kept in Vault under salesforce/example-erp"},
}


@pytest.mark.parametrize("name", CREDENTIALS)
def test_credential_shapes_are_found(name):
    data, loc = CREDENTIALS[name]
    found = secrets_scan.find(data)
    assert loc in [f.loc for f in found], f"{name}: found {found}"


@pytest.mark.parametrize("name", HARMLESS)
def test_harmless_look_alikes_pass(name):
    assert secrets_scan.find(HARMLESS[name]) == []


def test_at_least_fifteen_shapes_and_five_look_alikes():
    assert len(CREDENTIALS) >= 15 and len(HARMLESS) >= 5


INVENTORY = """\
id: acme-erp
name: Acme ERP sync
owner: Acme platform
on_call: "PagerDuty: acme-erp"
flow: jwt_bearer
integration_user: erp@acme.example
connected_app:
  name: Acme ERP
  external_client_app: true
org: production
scopes: [api]
secrets_location: vault://secret/acme-erp
"""


def catalog_with(make_catalog, integration_text: str | None = None, overlay_text: str | None = None) -> Path:
    root = make_catalog()
    if integration_text is not None:
        (root / "integrations").mkdir()
        (root / "integrations" / "acme-erp.yaml").write_text(integration_text)
    if overlay_text is not None:
        (root / "local" / "errors").mkdir(parents=True)
        (root / "local" / "errors" / "test_only_code.yaml").write_text(overlay_text)
    return root


@pytest.mark.parametrize("line, key, secret", [
    ("client_secret: " + CONSUMER_SECRET_HEX, "client_secret", CONSUMER_SECRET_HEX),
    ("notes: |\n  stored session " + SESSION_ID, "notes", SESSION_ID),
    ("private_key: |\n  " + PEM_PKCS8.replace("\n", "\n  "), "private_key", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7"),
])
def test_validate_refuses_a_secret_in_an_inventory_naming_file_line_and_key(make_catalog, line, key, secret):
    text = INVENTORY + line + "\n"
    root = catalog_with(make_catalog, text)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    expected_line = text.splitlines().index(line.splitlines()[0]) + 1
    assert f"acme-erp.yaml:{expected_line}: {key}: looks like" in proc.stderr, proc.stderr
    assert secret not in proc.stdout + proc.stderr, "the message must never quote the secret"
    assert "Traceback" not in proc.stderr


def test_build_refuses_a_secret_and_writes_nothing(make_catalog, tmp_path):
    root = catalog_with(make_catalog, INVENTORY + "notes: token " + JWT + "\n")
    docs = tmp_path / "docs"
    docs.mkdir()
    with pytest.raises(CatalogError) as exc:
        build(root, docs, today=dt.date(2026, 1, 1))
    assert "acme-erp.yaml:13: notes: looks like a JSON Web Token" in str(exc.value)
    assert JWT not in str(exc.value)
    assert list(docs.iterdir()) == [], "nothing may be rendered from a file with a credential"


def test_a_secret_is_refused_on_every_build_until_it_is_removed(make_catalog, tmp_path):
    root = catalog_with(make_catalog, INVENTORY + "notes: token " + JWT + "\n")
    for _ in range(2):
        with pytest.raises(CatalogError, match="acme-erp.yaml:13: notes: looks like a JSON Web Token"):
            build(root, tmp_path / "docs", today=dt.date(2026, 1, 1))
    (root / "integrations" / "acme-erp.yaml").write_text(INVENTORY)
    build(root, tmp_path / "docs", today=dt.date(2026, 1, 1))


def test_validate_refuses_a_secret_in_an_overlay(make_catalog):
    overlay = ("extends: TEST_ONLY_CODE\ncontacts:\n  - name: Admins\n    how: call them\n"
               "    password: Sup3rSecret!\n")
    root = catalog_with(make_catalog, overlay_text=overlay)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1
    assert "local/errors/test_only_code.yaml:5: contacts[0].password: looks like a credential" in proc.stderr, proc.stderr
    assert "Sup3rSecret!" not in proc.stderr


def test_references_in_an_inventory_pass_validate(make_catalog):
    text = INVENTORY.replace("vault://secret/acme-erp", "${ACME_ERP_SF_KEY}")
    root = catalog_with(make_catalog, text)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 0, proc.stderr

