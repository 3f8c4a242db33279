"""catalog/schema/: the committed JSON Schemas are what the pydantic models generate, every catalog
file passes them with a stock validator (jsonschema), broken files fail them the way `validate` fails
them, and editors are pointed at the right schema (template first lines, .vscode/settings.json)."""
from __future__ import annotations

import json
import re
from fnmatch import fnmatch
from functools import cache
from pathlib import Path

import pytest
from conftest import FIXTURES, ROOT, run_generator
from jsonschema import Draft7Validator
from pydantic import ValidationError

from generator import cli
from generator.catalog import _load_login_history, _load_table, yaml_source
from generator.catalog.inventory import Integration
from generator.catalog.overlays import Overlay
from generator.catalog.schema import Category, ErrorEntry
from generator.tools import json_schema

CATALOG = ROOT / "catalog"
SCHEMAS = CATALOG / "schema"
FIX = "run `python -m generator schema` and commit catalog/schema/"

# Which schema each catalog file answers to: the same globs as .vscode/settings.json.
FOLDERS = {
    "errors/*.yaml": "error",
    "local/errors/*.yaml": "local",
    "integrations/*.yaml": "integration",
    "families/*.yaml": "family",
    "reference/*.yaml": "reference",
    "categories.yaml": "categories",
    "flows.yaml": "flows",
    "setup_paths.yaml": "setup_paths",
    "login_history.yaml": "login_history",
}
TEMPLATES = {"error.yaml": "error", "integration.yaml": "integration", "overlay.yaml": "overlay"}
# The test suite's every-field fixtures: the catalog has no company overlay of its own to check.
FIXTURE_KINDS = [("minimal_error.yaml", "error"), ("full_error.yaml", "error"), ("full_error.yaml", "local"),
                 ("full_integration.yaml", "integration"), ("full_overlay.yaml", "overlay"),
                 ("full_overlay.yaml", "local")]
MODELINE = re.compile(r"^# yaml-language-server: \$schema=(\S+)$")


def kind_of(rel: str) -> str | None:
    if rel.startswith("_templates/"):
        return TEMPLATES.get(rel.removeprefix("_templates/"))
    return next((kind for glob, kind in FOLDERS.items() if fnmatch(rel, glob)), None)


@cache
def validator(kind: str) -> Draft7Validator:
    """The committed schema, as an editor or check-jsonschema reads it; formats (dates) checked too."""
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=Draft7Validator.FORMAT_CHECKER)


def problems(path: Path, kind: str) -> list[str]:
    """Schema errors of one file, read as the generator reads it (dates stay text, as in YAML 1.2 editors)."""
    doc, found = yaml_source.load(path)
    assert doc is not None, found
    return [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
            for e in sorted(validator(kind).iter_errors(doc.data), key=lambda e: list(map(str, e.absolute_path)))]


# --- the committed schemas are the models' -------------------------------------------------------

def test_committed_schemas_are_what_the_models_generate():
    for name, text in json_schema.files().items():
        path = SCHEMAS / name
        assert path.is_file(), f"{path.relative_to(ROOT)} is missing; {FIX}"
        assert path.read_text(encoding="utf-8") == text, f"{path.relative_to(ROOT)} differs from the models; {FIX}"
    assert json_schema.stale() == []
    assert sorted(p.name for p in SCHEMAS.iterdir()) == sorted(json_schema.files()), \
        "catalog/schema/ holds a file no model generates"


def test_output_is_deterministic_sorted_and_ends_with_a_newline():
    first, second = json_schema.files(), json_schema.files()
    assert first == second
    for name, text in first.items():
        assert text.endswith("}\n") and not text.endswith("\n\n"), name
        assert json.dumps(json.loads(text), indent=2, sort_keys=True, ensure_ascii=False) + "\n" == text, name


@pytest.mark.parametrize("kind", [k.name for k in json_schema.KINDS])
def test_each_schema_is_valid_draft_07_with_id_and_title(kind):
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
    Draft7Validator.check_schema(schema)
    assert schema["$schema"] == "http://json-schema.org/draft-07/schema#"
    assert schema["$id"] == f"urn:salesforce-integration-runbooks:schema:{kind}"
    assert schema["title"] and schema["description"]


def test_schema_check_command(tmp_path, monkeypatch, capsys):
    """`schema --check` passes on the tree, and names a stale or missing file with exit 1."""
    result = run_generator("schema", "--check")
    assert result.returncode == 0, result.stderr
    stale = tmp_path / "schema"
    stale.mkdir()
    for path in SCHEMAS.iterdir():
        (stale / path.name).write_bytes(path.read_bytes())
    error = stale / "error.schema.json"
    error.write_text(error.read_text().replace('"additionalProperties": false', '"additionalProperties": true', 1))
    (stale / "flows.schema.json").unlink()
    monkeypatch.setattr(json_schema, "SCHEMA_DIR", stale)
    assert cli.main(["schema", "--check"]) == 1
    err = capsys.readouterr().err
    assert "error.schema.json: differs from the models" in err and "flows.schema.json: missing" in err
    assert "family.schema.json" not in err
    assert cli.main(["schema"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert cli.main(["schema", "--check"]) == 0


# --- every catalog file validates -------------------------------------------------------------------

CATALOG_FILES = sorted(p.relative_to(CATALOG).as_posix() for p in CATALOG.rglob("*.yaml"))


def test_every_catalog_file_has_a_schema():
    assert len(CATALOG_FILES) > 100
    unknown = [rel for rel in CATALOG_FILES if kind_of(rel) is None]
    assert not unknown, f"no schema for {unknown}; add the kind to generator/tools/json_schema.py, " \
                        ".vscode/settings.json and FOLDERS here"


@pytest.mark.parametrize("rel", CATALOG_FILES)
def test_catalog_file_validates_against_its_schema(rel):
    kind = kind_of(rel)
    assert not problems(CATALOG / rel, kind), f"catalog/{rel} against {kind}.schema.json: {problems(CATALOG / rel, kind)}"


@pytest.mark.parametrize("name,kind", FIXTURE_KINDS)
def test_every_field_fixtures_validate(name, kind):
    assert not problems(FIXTURES / name, kind)


# --- broken files fail the schema, and the models agree ----------------------------------------------

MINIMAL = (FIXTURES / "minimal_error.yaml").read_text(encoding="utf-8")
OVERLAY = (FIXTURES / "full_overlay.yaml").read_text(encoding="utf-8")
INTEGRATION = (FIXTURES / "full_integration.yaml").read_text(encoding="utf-8")

# (id, kind, the file's text, where the schema must complain)
BROKEN = [
    ("unknown field", "error", MINIMAL + "severity: high\n", "(top): Additional properties"),
    ("typo in a case field", "error", MINIMAL.replace("    meaning: The first", "    meanng: The first"), "cases/0: "),
    ("wrong enum value", "error", MINIMAL.replace("retry: never", "retry: sometimes"), "cases/0/retry: 'sometimes'"),
    ("missing required field", "error", MINIMAL.replace("owner: tests\n", ""), "(top): 'owner' is a required property"),
    ("empty list that needs an item", "error", MINIMAL.replace("steps: [Wait.]", "steps: []"), "cases/1/steps: []"),
    ("step neither text nor mapping", "error", MINIMAL.replace("steps: [Wait.]", "steps: [[Wait.]]"), "cases/1/steps/0"),
    ("step mapping with an unknown key", "error",
     MINIMAL.replace("steps: [Wait.]", "steps: [{text: Wait., warning: careful}]"), "cases/1/steps/0"),
    ("date not YYYY-MM-DD", "error", MINIMAL.replace("2026-01-01", "01/01/2026"), "last_reviewed: '01/01/2026'"),
    ("impossible date", "error", MINIMAL.replace("2026-01-01", "2026-02-30"), "last_reviewed: '2026-02-30'"),
    ("implausible review year", "error", MINIMAL.replace("2026-01-01", "1999-12-31"), "last_reviewed: '1999-12-31'"),
    ("http source", "error", MINIMAL.replace("https://example.com/source", "http://example.com/source", 1),
     "cases/0/sources/0"),
    ("code with a space", "error", MINIMAL.replace("code: TEST_ONLY_CODE", "code: TEST ONLY"), "code: 'TEST ONLY'"),
    ("overlay: unknown field", "overlay", OVERLAY + "severity: high\n", "(top): Additional properties"),
    ("overlay: missing extends", "overlay", OVERLAY.replace("extends: TEST_FULL_CODE\n", ""), "'extends' is a required"),
    ("local: overlay branch", "local", OVERLAY.replace("    when: If it breaks.\n", "    when: If it breaks.\n    urgent: yes\n"),
     "contacts/0: Additional properties"),
    ("local: full entry branch", "local", MINIMAL.replace("retry: never", "retry: sometimes"), "cases/0/retry"),
    ("integration: unknown org form", "integration",
     re.sub(r"(?m)^org: .*$", "org: staging", INTEGRATION), "org: 'staging'"),
    ("integration: org saying nothing", "integration", re.sub(r"(?m)^org: .*$", "org: {}", INTEGRATION), "org: {}"),
    ("integration: id with underscore", "integration",
     INTEGRATION.replace("id: test-full-integration", "id: test_full"), "id: 'test_full'"),
]


def _models_refuse(kind: str, path: Path) -> bool:
    """Whether the loader's own models refuse the file too (the schema must never be the stricter one here)."""
    doc, _ = yaml_source.load(path)
    model = {"error": ErrorEntry, "overlay": Overlay, "integration": Integration}.get(kind)
    if kind == "local":
        model = Overlay if "code" not in doc.data else ErrorEntry
    try:
        model.model_validate(doc.data)
    except ValidationError:
        return True
    return False


@pytest.mark.parametrize("kind,text,where", [b[1:] for b in BROKEN], ids=[b[0] for b in BROKEN])
def test_broken_file_fails_its_schema_and_the_models(tmp_path, kind, text, where):
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    found = problems(path, kind)
    assert found, f"the {kind} schema accepted a broken file"
    assert any(where in line for line in found), found
    assert _models_refuse(kind, path), "the schema refuses what the models accept"


def test_broken_table_files_fail(tmp_path):
    bad_key = tmp_path / "categories.yaml"
    bad_key.write_text((CATALOG / "categories.yaml").read_text(encoding="utf-8")
                       + "OAuth-Errors:\n  title: T\n  summary: S\n  family: oauth\n", encoding="utf-8")
    assert any("OAuth-Errors" in p for p in problems(bad_key, "categories"))
    found: list = []
    assert _load_table(bad_key, Category, found) is not None and found  # the loader refuses the id too

    missing = tmp_path / "login_history.yaml"
    missing.write_text("- status: Failed\n  evidence: documented\n  sources: [https://example.com/x]\n", encoding="utf-8")
    assert any("'meaning' is a required property" in p for p in problems(missing, "login_history"))
    found = []
    assert _load_login_history(missing, found) == {} and found


@pytest.mark.parametrize("org", ["production", "sandbox", "https://example-corp.my.salesforce.com",
                                 "{environment: sandbox}", "{my_domain: https://x--dev.sandbox.my.salesforce.com}"])
def test_every_org_form_the_models_take_passes(tmp_path, org):
    path = tmp_path / "org.yaml"
    path.write_text(re.sub(r"(?m)^org: .*$", f"org: {org}", INTEGRATION), encoding="utf-8")
    assert not problems(path, "integration")
    assert not _models_refuse("integration", path)


def test_a_step_is_a_string_or_a_text_and_caution_mapping(tmp_path):
    path = tmp_path / "steps.yaml"
    path.write_text(MINIMAL.replace("steps: [Wait.]", "steps: [Wait., {text: Then retry.}, "
                                    "{text: Reset it., caution: Locks others out.}]"), encoding="utf-8")
    assert not problems(path, "error")
    assert not _models_refuse("error", path)


# --- editors find the schemas ------------------------------------------------------------------------

def test_templates_start_with_their_schema_line():
    for name, kind in TEMPLATES.items():
        first = (CATALOG / "_templates" / name).read_text(encoding="utf-8").splitlines()[0]
        assert first == f"# yaml-language-server: $schema=../schema/{kind}.schema.json", name
    assert sorted(p.name for p in (CATALOG / "_templates").iterdir()) == sorted(TEMPLATES)


def test_every_schema_line_in_the_catalog_points_at_a_schema():
    """A template copied one folder deeper (catalog/local/errors/) would point nowhere."""
    for rel in CATALOG_FILES:
        m = MODELINE.match((CATALOG / rel).read_text(encoding="utf-8").split("\n", 1)[0])
        if m:
            target = ((CATALOG / rel).parent / m.group(1)).resolve()
            assert target == (SCHEMAS / f"{kind_of(rel)}.schema.json").resolve() or (
                kind_of(rel) == "local" and target.name in ("overlay.schema.json", "error.schema.json")
                and target.parent == SCHEMAS.resolve()), f"catalog/{rel}: {m.group(1)}"


def test_vscode_maps_each_catalog_folder_to_its_schema():
    settings = json.loads((ROOT / ".vscode" / "settings.json").read_text(encoding="utf-8"))
    mapped = {glob: schema for schema, globs in settings["yaml.schemas"].items() for glob in globs}
    wanted = {f"catalog/{glob}": f"./catalog/schema/{kind}.schema.json" for glob, kind in FOLDERS.items()}
    assert mapped == wanted
    for schema in mapped.values():
        assert (ROOT / schema).is_file(), schema
    extensions = json.loads((ROOT / ".vscode" / "extensions.json").read_text(encoding="utf-8"))
    assert "redhat.vscode-yaml" in extensions["recommendations"]


# --- the schema reference page ------------------------------------------------------------------------

def test_schema_page_has_a_table_per_model_with_every_field(catalog):
    import datetime as dt

    from generator.config import Settings, mkdocs_config
    from generator.site import Renderer
    from generator.site.markdown import inline
    from generator.site.pages import BUILDERS, schema_page
    from generator.urls import anchor_for

    assert schema_page.pages in BUILDERS
    r = Renderer(catalog, dt.date(2026, 1, 1), Settings())
    schema_page.pages(r)
    page = r.files[schema_page.PAGE]
    # Every model of every kind of file, and every model they refer to, by name.
    models: dict[str, dict] = {}
    for kind in json_schema.KINDS:
        body = json_schema.body(kind)
        models.update(body.get("$defs", {}))
        if kind.shape == "one":
            models[kind.models[0].__name__] = body
    headings = re.findall(r"(?m)^### (\w+) \{#([a-z0-9-]+)\}$", page)
    names = [name for name, _ in headings]
    assert len(names) == len(set(names)), "a model is described twice"
    assert set(names) == set(models)
    for name, anchor in headings:
        assert anchor == anchor_for(name)
        table = page.split(f"\n### {name} ", 1)[1].split("\n#", 1)[0]
        rows = re.findall(r"(?m)^\| `(\w+)` \|", table)
        assert rows == list(models[name]["properties"]), f"{name}: the rows are not the model's fields in order"
        for field, prop in models[name]["properties"].items():
            if prop.get("description"):
                assert f" | {inline(prop['description'])} |" in table, f"{name}.{field}: no description"
    # Links within the page land on a heading; no pattern is printed raw; the page is in the nav.
    ids = set(re.findall(r"\{#([a-z0-9-]+)", page))
    for target in re.findall(r"\]\(#([^)]+)\)", page):
        assert target in ids, target
    assert "text matching" not in page, "name the pattern in schema_page.PATTERNS and the template's WORDS"
    assert "| `code` | code | **yes** |" in page and "list of (text or [Step](#step)), at least 1" in page
    assert r"date \(2000 to 2999\)" in page and "https URL" in page
    contributing = next(item["Contributing"] for item in mkdocs_config()["nav"] if "Contributing" in item)
    assert {"Catalog schema": schema_page.PAGE} in contributing
    assert "(reference/catalog-schema.md)" in (ROOT / "docs" / "contributing.md").read_text(encoding="utf-8")
