"""Refuse credentials in inventories and overlays before anything parses or renders them.

Forks describe their own integrations in catalog/integrations/ and catalog/local/, and those files
end up in git and on a website. A credential there is leaked twice, so every string (keys too) of
the raw YAML is checked: first for shapes that are credentials wherever they appear (PEM private
keys, Salesforce session ids, JWTs, cloud and chat tokens), then for values of keys named like a
secret (password, secret, token, key) that are not a reference to where the secret is kept.

Messages name the file, the line and the key, never the value: the value is the leak.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yaml_source
from .problems import Problem, display_path, dotted
from .yaml_source import YamlDoc

# --- shapes that are credentials wherever they appear ------------------------------------------

_SHAPES: list[tuple[str, re.Pattern]] = [
    ("a private key (PEM block)",
     re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----")),
    ("a PuTTY private key", re.compile(r"PuTTY-User-Key-File-\d")),
    # Salesforce session ids and OAuth access tokens: org id (00D + 12 or 15 chars) ! token.
    ("a Salesforce session id or access token",
     re.compile(r"\b00D[A-Za-z0-9]{12}(?:[A-Za-z0-9]{3})?![A-Za-z0-9._\-]{20,}")),
    # Salesforce refresh tokens start with 5Aep and run to about 87 characters.
    ("a Salesforce refresh token", re.compile(r"\b5Aep[A-Za-z0-9._]{40,}")),
    ("a JSON Web Token (signed assertion or access token)",
     re.compile(r"\beyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}")),
    ("an AWS access key id", re.compile(r"\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b")),
    ("a GitHub token", re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{40,})")),
    ("a Slack token", re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}")),
    ("a Google API key", re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b")),
    ("a Stripe-style live key", re.compile(r"\b[rs]k_live_[A-Za-z0-9]{16,}")),
    ("a password inside a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^/\s:@]+:[^/\s@]+@")),
    ("a bearer token", re.compile(r"\bBearer\s+[A-Za-z0-9._~+/-]{20,}=*")),
    # "password=hunter22" or "client_secret: 8F3A..." written into a free-text field.
    ("a credential written as name=value",
     re.compile(r"(?i)\b(?:pass(?:word|wd)?|pwd|secret|client_secret|consumer_secret|api[_-]?key|"
                r"access[_-]?token|refresh[_-]?token|security[_-]?token)\s*[=:]\s*"
                r"(?!\$\{|\$[A-Z_]|vault://|<|see\b)(?=[^\s,;&'\"<>]*\d)[^\s,;&'\"<>]{8,}")),
]

# A Salesforce consumer key (client_id) is not a secret alone; next to a consumer secret it is
# half of a working credential pair, so both are refused.
_CONSUMER_KEY = re.compile(r"\b3MVG9[A-Za-z0-9._]{40,}")
# Consumer secrets: 64 hex digits (current) or 16-19 digits (older apps).
_CONSUMER_SECRET = re.compile(r"^(?:[0-9A-Fa-f]{64}|\d{16,19})$")

# --- keys named like a secret ----------------------------------------------------------------

# Judged on the key's last word, so `consumer_key_name`, `secrets_location` and `token_url` are
# names of harmless things, while `client_secret`, `api_key` and `refresh_token` are secrets.
_SECRET_WORDS = frozenset({
    "secret", "secrets", "password", "passwd", "pwd", "passphrase", "pass", "token", "tokens", "key",
    "apikey", "credential", "credentials", "pat", "sid", "sessionid", "privatekey", "cert_key",
})
_WORD = re.compile(r"[A-Z]?[a-z0-9]+|[A-Z]+(?![a-z])")

# Ways to say where a secret is kept without writing it down.
_REFERENCES = [
    re.compile(r"^(?:vault|op|awssm|aws-sm|secretsmanager|ssm|gcpsm|gcp-sm|azurekv|keyvault|doppler|"
               r"infisical|conjur|akeyless|k8s|kubernetes|sops|bitwarden|lastpass|keeper|env)://\S+$", re.I),
    re.compile(r"^arn:aws[a-z-]*:(?:secretsmanager|ssm|kms):\S+$"),
    re.compile(r"^https://[a-z0-9-]+\.vault\.azure\.net/(?:secrets|keys)/\S+$", re.I),
    re.compile(r"^projects/[^/\s]+/secrets/[^/\s]+(?:/versions/\S+)?$"),
    re.compile(r"^\$\{[A-Za-z_][A-Za-z0-9_]*\}$|^\$[A-Za-z_][A-Za-z0-9_]*$|^%[A-Za-z_][A-Za-z0-9_]*%$"),
    re.compile(r"^env:[A-Za-z_][A-Za-z0-9_]*$"),
    re.compile(r"^<[^<>]+>$"),                      # a placeholder such as <CONSUMER_SECRET>
    re.compile(r"^(?:see|stored in|kept in|in|ask|from|managed by|rotated by)\s+\S.*", re.I),
    re.compile(r"(?i)\b(?:1password|lastpass|bitwarden|keeper|cyberark|hashicorp vault|"
               r"secrets? manager|key vault|parameter store)\b"),
    re.compile(r"^(?:none|n/?a|not used|redacted|\*+|-)$", re.I),
]


@dataclass(frozen=True)
class Finding:
    loc: tuple
    what: str


def scan(doc: YamlDoc) -> list[Problem]:
    """One problem per credential-like value or key in the document, with its line and key path."""
    shown = display_path(doc.path)
    problems = []
    for finding in find(doc.data):
        where = dotted(finding.loc) or "(document)"
        problems.append(Problem(
            shown, doc.line_of(finding.loc), where,
            f"looks like {finding.what}; credentials never go in the catalog (it is committed and "
            "published): delete it, rotate it if it was ever pushed, and write where it is kept "
            "instead (vault://..., ${ENV_VAR}, a secret manager ARN) in secrets_location"))
    return problems


def find(data: Any) -> list[Finding]:
    """Every credential-like string in plain YAML data (used by scan and by the tests)."""
    found: list[Finding] = []
    pairs: list[tuple] = []      # locations of consumer keys
    secrets: list[tuple] = []    # locations of consumer-secret-like values
    for loc, key, value, is_key in _strings(data):
        what = _shape(value)
        if what is None and not is_key and key is not None and _named_like_secret(key) and not _is_reference(value):
            what = "a credential: the key is named like a secret and the value is not a reference to where it is kept"
        if what is not None:
            found.append(Finding(loc, what))
            if not is_key and key is not None and _named_like_secret(key):
                secrets.append(loc)
            continue
        if _CONSUMER_KEY.search(value):
            pairs.append(loc)
        elif _CONSUMER_SECRET.match(value.strip()):
            secrets.append(loc)
    if pairs and secrets:
        found += [Finding(loc, "a consumer key stored next to a consumer secret") for loc in pairs]
        flagged = {f.loc for f in found}
        found += [Finding(loc, "a consumer secret") for loc in secrets if loc not in flagged]
    return sorted(found, key=lambda f: [str(p) for p in f.loc])


def _strings(data: Any, loc: tuple = (), key: str | None = None) -> Iterator[tuple[tuple, str | None, str, bool]]:
    """(location, nearest key name, text, whether the text is a key) for every scalar."""
    if isinstance(data, dict):
        for k, v in data.items():
            if isinstance(k, str):
                yield loc + (k,), k, k, True
            yield from _strings(v, loc + (k,), k if isinstance(k, str) else key)
    elif isinstance(data, list):
        for i, item in enumerate(data):
            yield from _strings(item, loc + (i,), key)
    elif isinstance(data, (str, int, float)) and not isinstance(data, bool):
        yield loc, key, str(data), False


def _shape(text: str) -> str | None:
    for what, pattern in _SHAPES:
        if pattern.search(text):
            return what
    return None


def _named_like_secret(key: str) -> bool:
    words = [w.lower() for w in _WORD.findall(key)]
    return bool(words) and (words[-1] in _SECRET_WORDS or "".join(words[-2:]) in _SECRET_WORDS)


def _is_reference(value: str) -> bool:
    text = value.strip()
    return not text or any(p.search(text) for p in _REFERENCES)


def load_folder(folder: Path, problems: list[Problem]) -> Iterator[yaml_source.YamlDoc]:
    """Each YAML file of a fork-owned folder that reads and holds no credential.

    A file with a credential stops here, so no later message can quote the value.
    """
    if not folder.is_dir():
        return
    for path in sorted(folder.glob("*.yaml")):
        doc, found = yaml_source.load(path)
        problems += found
        if doc is None:
            continue
        leaks = scan(doc)
        if leaks:
            problems += leaks
            continue
        yield doc
