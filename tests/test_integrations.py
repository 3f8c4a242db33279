"""Integration inventories: scaffold, validation with file:line, per-flow pages with the integration's values."""
from __future__ import annotations

import datetime as dt
import re
import shutil
from pathlib import Path

import markdown
import pytest
from bs4 import BeautifulSoup
from conftest import FIXTURES, ROOT, run_generator, screenshot

from generator.catalog import inventory, load_catalog
from generator.pipeline import build
from generator.site import render
from generator.urls import anchor_for

TODAY = dt.date(2026, 6, 1)
MINIMAL = (FIXTURES / "minimal_error.yaml").read_text()
# A second error whose only case is for client credentials, so filtering by flow shows.
CC_ONLY = (MINIMAL.replace("TEST_ONLY_CODE", "TEST_CC_CODE")
           .replace("flows: [jwt_bearer]", "flows: [client_credentials]")
           .replace("first test case", "cc test case").replace("first test variant", "cc variant")
           .replace("second test case", "cc second case").replace("flows: [any]", "flows: [client_credentials]")
           .replace('steps: ["Check {user} in Login History."]', 'steps: ["Post to https://{login_host} as {app} in {org}."]'))

INVENTORY = """\
id: acme-erp
name: Acme ERP sync
owner: Acme platform team
on_call: "PagerDuty: acme-erp"
flow: jwt_bearer
integration_user: erp.sync@acme.example
connected_app:
  name: Acme ERP App
  external_client_app: true
org: https://acme.my.salesforce.com
scopes: [api]
"""


def write_inventory(root: Path, text: str, name: str = "acme-erp") -> Path:
    folder = root / "integrations"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.yaml"
    path.write_text(text)
    return path


def catalog_root(make_catalog) -> Path:
    return make_catalog({"test_only_code.yaml": MINIMAL, "test_cc_code.yaml": CC_ONLY})


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# --- the scaffold ------------------------------------------------------------------------------

def fill_in(text: str) -> str:
    """What a forker does: replace every TODO with real values."""
    values = {
        "name": "Acme CRM bridge", "owner": "Acme CRM team", "on_call": '"Opsgenie: acme-crm"',
        "integration_user": "crm.bridge@acme.example", "ip_strategy": "NAT gateway 192.0.2.7",
        "secrets_location": "vault://secret/acme-crm", "notes": "Nightly and on demand.",
    }
    for key, value in values.items():
        text = re.sub(rf"(?m)^({key}:)[^\n]*(\n  TODO[^\n]*)?$", rf"\1 {value}", text)
    text = re.sub(r"(?m)^(  name:) TODO[^\n]*$", r"\1 Acme CRM Bridge App", text)
    text = text.replace("org: production ", "org: https://acme.my.salesforce.com ")
    assert "TODO" not in re.sub(r"#.*", "", text), text
    return text


def test_new_integration_from_the_template_builds_a_page_with_its_values(make_catalog, tmp_path):
    root = catalog_root(make_catalog)
    proc = run_generator("new-integration", "acme-crm", catalog_dir=root)
    assert proc.returncode == 0, proc.stderr
    path = root / "integrations" / "acme-crm.yaml"
    written = path.read_text()
    # The first line names the schema for editors; from catalog/integrations/ it resolves to catalog/schema/.
    assert written.startswith("# yaml-language-server: $schema=../schema/integration.schema.json\n"
                              "# A commented integration inventory") and "\nid: acme-crm " in written

    # Straight from the template it validates, with a warning per TODO still to fill in.
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 0, proc.stderr
    assert re.search(r"acme-crm\.yaml:\d+: warning: name: still holds the template's TODO", proc.stderr), proc.stderr

    path.write_text(fill_in(written))
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 0, proc.stderr
    assert "warning" not in proc.stderr and "1 integrations, 0 warning(s)" in proc.stdout

    docs = tmp_path / "docs"
    build(root, docs, today=TODAY)
    page = (docs / "integrations" / "acme-crm.md").read_text()
    html = to_html(page)
    assert "Acme CRM bridge" in html.h1.get_text()
    glance = html.find(id="at-a-glance").find_next("table").get_text(" ")
    for value in ("crm.bridge@acme.example", "Acme CRM Bridge App", "acme.my.salesforce.com", "Opsgenie"):
        assert value in glance or value in html.get_text(), value
    step = html.find(id="test-only-code-first-test-case").find_next("ol").li
    assert step.strong.get_text() == "crm.bridge@acme.example", step
    assert "acme-crm.md" in (docs / "integrations" / "index.md").read_text()


def test_new_integration_refuses_to_overwrite(make_catalog):
    root = catalog_root(make_catalog)
    path = write_inventory(root, INVENTORY)
    proc = run_generator("new-integration", "acme-erp", catalog_dir=root)
    assert proc.returncode == 1
    assert "already exists" in proc.stderr
    assert path.read_text() == INVENTORY


BAD_IDS = ["Acme", "acme_erp", "-acme", "acme--erp", "acme-", "9lives", "index", "a" * 65, "../x", "a b", ""]


@pytest.mark.parametrize("bad", BAD_IDS)
def test_bad_ids_are_refused_before_anything_is_written(tmp_path, bad):
    from generator.tools.scaffold import BadId, new_integration

    with pytest.raises(BadId):
        new_integration(bad, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_new_integration_exits_2_on_a_bad_id(make_catalog):
    root = catalog_root(make_catalog)
    proc = run_generator("new-integration", "../Acme", catalog_dir=root)
    assert proc.returncode == 2, proc.stdout + proc.stderr
    assert "new-integration: '../Acme' is not a valid id" in proc.stderr and "Traceback" not in proc.stderr
    assert not (root / "integrations").exists()


@pytest.mark.parametrize("good", ["erp", "erp-orders", "a1-b2-c3", "x" * 64])
def test_good_ids_are_accepted(tmp_path, good):
    from generator.tools.scaffold import new_integration

    assert new_integration(good, tmp_path) == tmp_path / "integrations" / f"{good}.yaml"


# --- validation ----------------------------------------------------------------------------------

BAD = {
    "typo'd key": (INVENTORY + "onwer: typo\n", "onwer: typo", "onwer: unknown field"),
    "unknown flow": (INVENTORY.replace("flow: jwt_bearer", "flow: jwt_bearers"), "flow: jwt_bearers",
                     "flow: unknown flow 'jwt_bearers'"),
    "missing required field": (INVENTORY.replace('on_call: "PagerDuty: acme-erp"\n', ""), None,
                               "on_call: required field is missing"),
    "bad org": (INVENTORY.replace("org: https://acme.my.salesforce.com", "org: prod"), "org: prod",
                "org: use production, sandbox"),
    "http org": (INVENTORY.replace("org: https://", "org: http://"), "org: http://", "https://"),
    "refresh token flow without the scope": (
        INVENTORY.replace("flow: jwt_bearer", "flow: refresh_token"), "scopes: [api]",
        "scopes: the refresh token flow needs the refresh_token"),
    "client credentials on login.salesforce.com": (
        INVENTORY.replace("flow: jwt_bearer", "flow: client_credentials").replace(
            "org: https://acme.my.salesforce.com", "org: production"), "org: production",
        "org: the client credentials flow must call the org's My Domain, not login.salesforce.com"),
    "client credentials on test.salesforce.com": (
        INVENTORY.replace("flow: jwt_bearer", "flow: client_credentials").replace(
            "org: https://acme.my.salesforce.com", "org: https://test.salesforce.com"), "org: https://test",
        "not test.salesforce.com"),
    "sandbox org with a production host": (
        INVENTORY.replace("org: https://acme.my.salesforce.com",
                          "org:\n  environment: sandbox\n  my_domain: https://acme.my.salesforce.com"),
        "  my_domain:", "org.my_domain: org.environment is sandbox but acme.my.salesforce.com is a production host"),
    "production org with a sandbox host": (
        INVENTORY.replace("org: https://acme.my.salesforce.com",
                          "org:\n  environment: production\n  my_domain: https://acme--uat.sandbox.my.salesforce.com"),
        "  my_domain:", "is a sandbox host"),
    "External Client App with username-password": (
        INVENTORY.replace("flow: jwt_bearer", "flow: username_password"), "external_client_app: true",
        "connected_app.external_client_app: External Client Apps don't support the username-password flow"),
    "lightning host": (INVENTORY.replace("acme.my.salesforce.com", "acme.lightning.force.com"),
                       "org: https://acme.lightning", "is a page host, not a login host"),
    "file name differs from id": (INVENTORY.replace("id: acme-erp", "id: acme-erp-2"), "id: acme-erp-2",
                                  "id: file name does not match the id"),
    "unknown direction": (INVENTORY + "direction: sideways\n", "direction: sideways", "direction: must be one of"),
}


@pytest.mark.parametrize("name", BAD)
def test_bad_inventory_fails_validate_with_file_and_line(make_catalog, name):
    text, needle, expected = BAD[name]
    root = catalog_root(make_catalog)
    write_inventory(root, text)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 1, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if expected in line]
    assert lines, f"expected {expected!r} in:\n{proc.stderr}"
    assert re.match(r"^\S*integrations/acme-erp\.yaml:\d+: ", lines[0]), lines[0]
    assert " warning:" not in lines[0]
    if needle is not None:
        assert f"acme-erp.yaml:{line_of(text, needle)}:" in lines[0], lines[0]


def test_username_password_is_a_warning_that_validate_prints_and_passes(make_catalog):
    text = INVENTORY.replace("flow: jwt_bearer", "flow: username_password").replace(
        "external_client_app: true", "external_client_app: false")
    root = catalog_root(make_catalog)
    write_inventory(root, text)
    proc = run_generator("validate", catalog_dir=root)
    assert proc.returncode == 0, proc.stderr
    expected = (f"acme-erp.yaml:{line_of(text, 'flow:')}: warning: flow: the username-password flow is blocked "
                "by default in orgs created in Summer '23 or later")
    assert expected in proc.stderr, proc.stderr
    assert "2027-02-20" in proc.stderr
    assert "1 warning(s)" in proc.stdout


def test_warnings_do_not_fail_load_catalog_and_are_kept(make_catalog):
    root = catalog_root(make_catalog)
    write_inventory(root, INVENTORY.replace("flow: jwt_bearer", "flow: username_password").replace(
        "external_client_app: true", "external_client_app: false"))
    catalog = load_catalog(root)
    assert [w.severity for w in catalog.warnings] == ["warning"]
    assert catalog.integrations[0].id == "acme-erp"


# --- values --------------------------------------------------------------------------------------

@pytest.mark.parametrize("org, host, label", [
    ("production", "login.salesforce.com", "the production org"),
    ("sandbox", "test.salesforce.com", "the sandbox"),
    ("https://acme.my.salesforce.com", "acme.my.salesforce.com", "acme.my.salesforce.com"),
    ("https://acme--uat.sandbox.my.salesforce.com/", "acme--uat.sandbox.my.salesforce.com",
     "acme--uat.sandbox.my.salesforce.com"),
    ({"environment": "sandbox", "my_domain": "https://acme--qa.sandbox.my.salesforce.com"},
     "acme--qa.sandbox.my.salesforce.com", "acme--qa.sandbox.my.salesforce.com"),
])
def test_login_host_and_org_are_derived_from_org(org, host, label):
    data = {"id": "x-y", "name": "n", "owner": "o", "on_call": "c", "flow": "jwt_bearer", "integration_user": "u",
            "connected_app": {"name": "App", "external_client_app": False}, "org": org, "scopes": ["api"]}
    values = inventory.Integration.model_validate(data).values()
    assert values == {"app": "App", "user": "u", "login_host": host, "org": label}


def rendered(make_catalog, text: str, root: Path | None = None) -> str:
    root = root or catalog_root(make_catalog)
    write_inventory(root, text)
    return render(load_catalog(root), today=TODAY)["integrations/acme-erp.md"]


def test_only_cases_of_the_integrations_flow_are_listed(make_catalog):
    root = catalog_root(make_catalog)
    jwt_page = to_html(rendered(make_catalog, INVENTORY, root))
    ids = {tag["id"] for tag in jwt_page.find_all(id=True)}
    assert {"test-only-code-first-test-case", "test-only-code-second-test-case"} <= ids   # jwt_bearer and any
    assert not {i for i in ids if i.startswith("test-cc-code")}, "client credentials cases must not show"

    cc = INVENTORY.replace("flow: jwt_bearer", "flow: client_credentials")
    cc_page = to_html(rendered(make_catalog, cc, root))
    ids = {tag["id"] for tag in cc_page.find_all(id=True)}
    assert {"test-only-code-second-test-case", "test-cc-code-cc-test-case", "test-cc-code-cc-second-case"} <= ids
    assert "test-only-code-first-test-case" not in ids


def test_steps_carry_the_integrations_values_and_link_to_the_full_runbook(make_catalog):
    cc = INVENTORY.replace("flow: jwt_bearer", "flow: client_credentials")
    page = to_html(rendered(make_catalog, cc))
    section = page.find(id="test-cc-code-cc-test-case")
    step = section.find_next("ol").li
    assert [s.get_text() for s in step.find_all("strong")] == ["acme.my.salesforce.com", "Acme ERP App",
                                                               "acme.my.salesforce.com"]
    assert step.get_text() == "Post to https://acme.my.salesforce.com as Acme ERP App in acme.my.salesforce.com."
    link = section.find_next("a", string=re.compile("Full runbook"))
    assert link["href"] == "../errors/test_cc_code.md#cc-test-case"


def test_page_shows_owner_on_call_flow_recovery_and_escapes_text(make_catalog):
    text = INVENTORY.replace("name: Acme ERP sync", "name: Acme <script>alert(1)</script> **sync**")
    page = rendered(make_catalog, text)
    html = to_html(page)
    assert html.find("script") is None and "<script>" in html.h1.get_text() and "**sync**" in html.h1.get_text()
    body = html.get_text(" ")
    assert "Acme platform team" in body and "PagerDuty: acme-erp" in body
    recovery = html.find(id="how-it-recovers").find_next("p").get_text()
    assert "Automatic" in recovery  # jwt_bearer recovers on its own
    assert html.find("a", string="JWT bearer flow")["href"] == "../flows/jwt_bearer.md"


def test_warning_is_shown_on_the_page_and_counted_in_the_overview(make_catalog):
    text = INVENTORY.replace("flow: jwt_bearer", "flow: username_password").replace(
        "external_client_app: true", "external_client_app: false")
    root = catalog_root(make_catalog)
    write_inventory(root, text)
    write_inventory(root, INVENTORY.replace("acme-erp", "acme-two").replace("Acme ERP sync", "Acme two"), "acme-two")
    files = render(load_catalog(root), today=TODAY)
    page = to_html(files["integrations/acme-erp.md"])
    box = page.find("div", class_="admonition warning")
    assert box is not None and "Check this inventory" in box.get_text()
    assert "blocked by default in orgs created in Summer '23" in box.get_text()
    assert to_html(files["integrations/acme-two.md"]).find("p", string="Check this inventory") is None
    rows = {tr.td.get_text(): tr.find_all("td")[-1].get_text()
            for tr in to_html(files["integrations/index.md"]).tbody.find_all("tr")}
    assert rows == {"Acme ERP sync": "1", "Acme two": "0"}


def test_overview_without_inventories_says_how_to_add_one(make_catalog):
    files = render(load_catalog(catalog_root(make_catalog)), today=TODAY)
    assert "new-integration" in files["integrations/index.md"]
    assert not [p for p in files if p.startswith("integrations/") and p != "integrations/index.md"]


# --- the example inventories and the real site -------------------------------------------------------

def test_examples_cover_the_four_flows_and_are_fictional(catalog):
    examples = [i for i in catalog.integrations if i.id.startswith("example-")]
    assert {i.flow for i in examples} >= {"jwt_bearer", "client_credentials", "refresh_token", "username_password"}
    assert all("Example" in i.name for i in examples)
    warned = {w.path for w in catalog.warnings if "username-password" in w.message}
    assert "catalog/integrations/examples/example-legacy-etl.yaml" in warned


def test_built_site_has_a_page_per_integration_with_only_its_flows_cases(built_site, catalog):
    from generator.config import Settings
    from generator.site.pages.integrations import cases_for_flow
    from generator.site.views import Site

    site = Site(catalog, TODAY, Settings())
    for integration in catalog.integrations:
        page = BeautifulSoup((built_site / "integrations" / integration.id / "index.html").read_text(), "html.parser")
        shown = {h["id"] for h in page.select("article h3[id]")}
        groups = cases_for_flow(site, integration.flow)
        inline = sum(len(cases) for _, cases in groups) <= site.settings.inline_limit
        expected = {anchor_for(f"{entry.slug}-{case.anchor}") for entry, cases in groups for case in cases}
        # Past the inline limit the page points to its cases instead of copying them.
        assert shown == (expected if inline else set()), integration.id
        assert integration.integration_user in page.find(id="at-a-glance").find_next("table").get_text()


def test_built_overview_lists_every_integration(built_site, catalog):
    page = BeautifulSoup((built_site / "integrations" / "index.html").read_text(), "html.parser")
    rows = page.select("article table tbody tr")
    assert len(rows) == len(catalog.integrations)
    names = {row.td.get_text() for row in rows}
    assert names == {i.name for i in catalog.integrations}
    legacy = next(row for row in rows if "legacy ETL" in row.td.get_text())
    assert legacy.find_all("td")[-1].get_text() == "1"


def test_integration_page_in_chromium_shows_the_warning_without_external_requests(site_server, page_factory):
    page = page_factory(390, 844)  # a phone: on-call opens the link from the page
    page.goto(site_server + "integrations/example-legacy-etl/", wait_until="load")
    warning = page.locator(".admonition.warning").first
    assert warning.is_visible() and "Summer '23" in warning.inner_text()
    assert page.external_requests == []
    screenshot(page, "integration-example-legacy-etl-390")


def test_add_your_integration_page_and_ci_recipe_exist(built_site):
    import yaml

    page = BeautifulSoup((built_site / "add-your-integration" / "index.html").read_text(), "html.parser")
    text = page.get_text()  # no separator: code blocks are split into highlighting spans
    for needle in ("new-integration", "python3 dev.py serve", "catalog/integrations/examples/",
                   "catalog/local/errors", ".github/workflows/runbooks.yml"):
        assert needle in text, needle
    workflow = yaml.safe_load((ROOT / ".github" / "workflows" / "runbooks.yml").read_text())
    steps = [s for job in workflow["jobs"].values() for s in job["steps"]]
    runs = " ".join(s.get("run", "") for s in steps)
    uses = {s.get("uses", "").split("@")[0] for s in steps}
    assert "python3 dev.py test" in runs and "python3 dev.py build" in runs and "apt-get install" in runs
    assert {"actions/upload-pages-artifact", "actions/deploy-pages"} <= uses


# --- helpers -------------------------------------------------------------------------------------

def to_html(md_text: str) -> BeautifulSoup:
    """The page as MkDocs would turn it into HTML (front matter dropped, same extensions)."""
    body = md_text.split("---\n", 2)[2] if md_text.startswith("---\n") else md_text
    html = markdown.markdown(body, extensions=["admonition", "attr_list", "tables", "toc", "md_in_html",
                                               "pymdownx.superfences"])
    return BeautifulSoup(html, "html.parser")


def test_upstream_examples_show_only_while_a_fork_has_no_inventory_of_its_own(make_catalog):
    """A fork adds its first inventory and the examples leave the site; nothing to delete or merge."""
    from generator.catalog import load_catalog
    from generator.tools.scaffold import new_integration

    root = make_catalog()
    shutil.copytree(ROOT / "catalog" / "integrations" / "examples", root / "integrations" / "examples")
    upstream = load_catalog(root)
    assert upstream.integrations_are_examples and len(upstream.integrations) == 4
    new_integration("acme-erp", root)
    fork = load_catalog(root)
    assert not fork.integrations_are_examples
    assert [i.id for i in fork.integrations] == ["acme-erp"]
