"""Integration inventories: one file per integration in catalog/integrations/<id>.yaml.

A fork describes its own integrations here; each gets a page that keeps only the cases its OAuth
flow can hit, with its own app, user, org and login host written into the fix steps. The checks
below catch inventories that describe a setup Salesforce will refuse.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import BeforeValidator, ConfigDict, Field, StringConstraints, model_validator

from . import secrets, yaml_source
from .problems import Problem, display_path, dotted, parse
from .schema import Date, Line, Strict, Text, Url

# Page URL integrations/<id>/: lowercase words joined by hyphens. "index" is the overview page.
ID_PATTERN = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
RESERVED_IDS = frozenset({"index"})
MAX_ID = 64

# What the scaffold writes for fields still to fill in; left in place it is a warning.
TODO = "TODO"

GENERIC_HOSTS = {"production": "login.salesforce.com", "sandbox": "test.salesforce.com"}
# The token request of these flows has to carry a refresh token to keep working.
REFRESH_SCOPES = frozenset({"refresh_token", "offline_access"})
USERNAME_PASSWORD_RETIREMENT = "2027-02-20"
ECA_MIGRATION_DOC = ("https://help.salesforce.com/s/articleView?"
                     "id=xcloud.connected_app_to_external_client_app_migration.htm&type=5")


def valid_id(value: str) -> bool:
    return bool(ID_PATTERN.match(value)) and len(value) <= MAX_ID and value not in RESERVED_IDS


def _org_form(value: Any) -> Any:
    """`org: production`, `org: sandbox` and `org: https://<My Domain>` are short for the mapping."""
    if isinstance(value, str):
        text = value.strip()
        if text in GENERIC_HOSTS:
            return {"environment": text}
        if text.lower().startswith(("https://", "http://")):
            return {"my_domain": text}
        raise ValueError("use production, sandbox, or the org's My Domain URL such as "
                         "https://example-corp.my.salesforce.com")
    if value is None or not isinstance(value, dict):
        raise ValueError("use production, sandbox, a My Domain URL, or a mapping with environment "
                         "and my_domain")
    return value


class Org(Strict):
    # The JSON Schema states what _says_something checks: at least one of the two.
    model_config = ConfigDict(json_schema_extra={"anyOf": [{"required": ["environment"]}, {"required": ["my_domain"]}]})

    environment: Literal["production", "sandbox"] | None = Field(
        None, description="production or sandbox; derived from my_domain when left out.")
    my_domain: Url | None = Field(
        None, description="The org's My Domain login URL, e.g. https://example-corp.my.salesforce.com.")

    @model_validator(mode="after")
    def _says_something(self):
        if self.environment is None and self.my_domain is None:
            raise ValueError("give environment (production or sandbox), my_domain, or both")
        return self

    @property
    def host(self) -> str | None:
        return urlsplit(self.my_domain).hostname if self.my_domain else None

    @property
    def host_environment(self) -> str | None:
        """What the host says about the org, when it says anything."""
        return environment_of_host(self.host) if self.host else None

    @property
    def kind(self) -> str:
        return self.environment or self.host_environment or "production"

    @property
    def login_host(self) -> str:
        return self.host or GENERIC_HOSTS[self.kind]

    @property
    def label(self) -> str:
        """How steps name the org: its host when known, else which kind of org it is."""
        if self.host:
            return self.host
        return "the production org" if self.kind == "production" else "the sandbox"


def environment_of_host(host: str) -> str | None:
    """production, sandbox, or None when the host gives no sign (Experience Cloud, custom)."""
    host = host.lower()
    if host == "test.salesforce.com" or host.endswith((".sandbox.my.salesforce.com",
                                                        ".scratch.my.salesforce.com")):
        return "sandbox"
    if host.endswith(".my.salesforce.com") and "--" in host.split(".")[0]:
        return "sandbox"  # legacy sandbox My Domain: name--sandboxname.my.salesforce.com
    if host == "login.salesforce.com" or host.endswith(".my.salesforce.com"):
        return "production"
    return None


class ConnectedApp(Strict):
    name: Line = Field(description="The app's name as App Manager shows it.")
    external_client_app: bool = Field(description=(
        "true for an External Client App, false for a Connected App: their Setup screens differ."))


Scope = Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^[a-z][a-z0-9_]{0,79}$")]


class Integration(Strict):
    id: Annotated[str, StringConstraints(pattern=ID_PATTERN.pattern, max_length=MAX_ID)] = Field(
        description="Page address integrations/<id>/ and the file name <id>.yaml: lowercase words and hyphens.")
    name: Line = Field(description="What people call the integration.")
    owner: Line = Field(description="The team that owns it.")
    on_call: Line = Field(description="How to page them: a rotation, a pager service, a channel.")
    flow: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_]{0,79}$")] = Field(
        description="An OAuth flow id from catalog/flows.yaml.")
    integration_user: Line = Field(description="The Salesforce username it logs in as.")
    connected_app: ConnectedApp
    org: Annotated[Org, BeforeValidator(_org_form, json_schema_input_type=Literal["production", "sandbox"] | Url | Org)] = Field(
        description="production, sandbox, the My Domain URL, or {environment, my_domain} to state both.")
    scopes: list[Scope] = Field(min_length=1, description="OAuth scopes the app grants, e.g. [api, refresh_token].")
    direction: Literal["to_salesforce", "from_salesforce", "both"] | None = Field(
        None, description="Which way the data goes.")
    objects: list[Line] = Field(default_factory=list, description="Salesforce objects it reads or writes.")
    ip_strategy: Text | None = Field(None, description="Where its calls come from and how the org trusts that.")
    secrets_location: Line | None = Field(None, description=(
        "Where the credential is kept (vault://..., a secret manager ARN): never the credential."))
    dependencies: list[Line] = Field(default_factory=list, description="Systems it needs, upstream and downstream.")
    alerts: list[Line] = Field(default_factory=list, description="Where its alerts fire.")
    notes: Text | None = Field(None, description="Anything else on-call should know.")
    last_reviewed: Date | None = Field(None, description="Date of the last review, YYYY-MM-DD.")

    def values(self) -> dict[str, str]:
        """The integration's own values for the {placeholders} in fix steps."""
        return {"app": self.connected_app.name, "user": self.integration_user,
                "login_host": self.org.login_host, "org": self.org.label}


@dataclass(frozen=True)
class Check:
    """One thing wrong with an inventory: where (a key path), how bad, what to do."""
    loc: tuple
    severity: str
    message: str


def checks(integration: Integration, flow_ids) -> list[Check]:
    """Inventory mistakes Salesforce would punish later; errors fail validate, warnings show on the page."""
    out: list[Check] = []
    i = integration
    flow_ids = set(flow_ids)
    if i.flow not in flow_ids:
        out.append(Check(("flow",), "error", f"unknown flow '{i.flow}'; use one of {', '.join(sorted(flow_ids))}"))
    if i.flow == "refresh_token" and not REFRESH_SCOPES & set(i.scopes):
        out.append(Check(("scopes",), "error",
                         "the refresh token flow needs the refresh_token (or offline_access) scope, or "
                         "Salesforce issues no refresh token; add refresh_token to scopes and to the app"))
    if i.flow == "username_password":
        if i.connected_app.external_client_app:
            out.append(Check(("connected_app", "external_client_app"), "error",
                             "External Client Apps don't support the username-password flow "
                             f"({ECA_MIGRATION_DOC}); move to JWT bearer or client credentials"))
        else:
            out.append(Check(("flow",), "warning",
                             "the username-password flow is blocked by default in orgs created in Summer '23 "
                             "or later and Salesforce is retiring it for Connected Apps, enforced "
                             f"{USERNAME_PASSWORD_RETIREMENT}; plan a move to JWT bearer or client credentials"))
    host = i.org.login_host
    if i.flow == "client_credentials" and host in GENERIC_HOSTS.values():
        out.append(Check(("org",), "error",
                         f"the client credentials flow must call the org's My Domain, not {host}; set org "
                         "to the My Domain URL, e.g. https://example-corp.my.salesforce.com"))
    said, seen = i.org.environment, i.org.host_environment
    if said and seen and said != seen:
        out.append(Check(("org", "my_domain"), "error",
                         f"org.environment is {said} but {host} is a {seen} host; fix whichever is wrong"))
    if host.endswith((".lightning.force.com", ".visual.force.com", ".vf.force.com", ".visualforce.com")):
        out.append(Check(("org", "my_domain"), "error",
                         f"{host} is a page host, not a login host; use the My Domain URL "
                         "(https://<name>.my.salesforce.com) from Setup > My Domain"))
    for loc in _todos(i.model_dump()):
        out.append(Check(loc, "warning", f"still holds the template's {TODO}; fill it in"))
    return out


def _todos(value: Any, loc: tuple = ()):
    """Locations of values the scaffold left as TODO."""
    if isinstance(value, str) and value.startswith(TODO):
        yield loc
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _todos(item, loc + (key,))
    elif isinstance(value, list):
        for n, item in enumerate(value):
            yield from _todos(item, loc + (n,))


def load(folder: Path, problems: list[Problem]) -> list[tuple[Integration, yaml_source.YamlDoc]]:
    """Every inventory file that reads, has no credential in it and fits the schema."""
    out: list[tuple[Integration, yaml_source.YamlDoc]] = []
    for doc in secrets.load_folder(folder, problems):
        path = doc.path
        shown = display_path(path)
        integration = parse(doc, Integration, problems)
        if integration is None:
            continue
        if path.stem != integration.id:
            problems.append(Problem(shown, doc.line_of(("id",)), "id",
                                    f"file name does not match the id; rename the file to {integration.id}.yaml"))
            continue
        if integration.id in RESERVED_IDS:
            problems.append(Problem(shown, doc.line_of(("id",)), "id",
                                    f"'{integration.id}' is the overview page's address; choose another id"))
            continue
        out.append((integration, doc))
    return out


def check_problems(loaded, flow_ids) -> list[Problem]:
    """checks() for every loaded inventory, as file:line problems."""
    problems = []
    for integration, doc in loaded:
        for c in checks(integration, flow_ids):
            problems.append(Problem(display_path(doc.path), doc.line_of(c.loc), dotted(c.loc),
                                    c.message, c.severity))
    return problems
