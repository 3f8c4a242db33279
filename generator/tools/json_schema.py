"""JSON Schemas of the catalog files, generated from the pydantic models: catalog/schema/<kind>.schema.json.

`python -m generator schema` writes them; `--check` writes nothing and exits 1 naming every file that
is stale, missing or left over. Editors (the Red Hat YAML extension, through the `# yaml-language-server`
line of the templates and .vscode/settings.json) and stock validators (jsonschema, check-jsonschema)
read them. They state the shape of one file; `python -m generator validate` remains the judge of the
rest (cross-file references, evidence rules, cautions, the secrets scan).

Draft-07 is declared because that is what the YAML extension implements; pydantic's output uses only
keywords draft-07 knows, and its `#/$defs/...` references are plain JSON pointers.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import BaseModel
from pydantic.json_schema import models_json_schema

from ..catalog.inventory import Integration
from ..catalog.overlays import Overlay
from ..catalog.problems import display_path
from ..catalog.schema import Category, ErrorEntry, Family, Flow, LoginHistoryStatus, ReferenceList, SetupPath
from ..config import ROOT

SCHEMA_DIR = ROOT / "catalog" / "schema"
DIALECT = "http://json-schema.org/draft-07/schema#"
ID_PREFIX = "urn:salesforce-integration-runbooks:schema:"
TABLE_KEY = r"^[a-z][a-z0-9_]*$"  # ids of the table files, as catalog/__init__.py's _load_table takes them


@dataclass(frozen=True)
class Kind:
    """One kind of catalog file and how it holds its model."""
    name: str                  # <name>.schema.json
    title: str
    files: str                 # which files, for people
    models: tuple[type[BaseModel], ...]
    shape: str = "one"         # one: the file is the model; table: id -> model; list: a list of models;
                               # local: an overlay, or (with `code`) a full entry

    @property
    def filename(self) -> str:
        return f"{self.name}.schema.json"


KINDS = (
    Kind("error", "Error entry (runbook)", "catalog/errors/<code>.yaml", (ErrorEntry,)),
    Kind("overlay", "Company overlay on an upstream entry", "catalog/local/errors/<code>.yaml with `extends`",
         (Overlay,)),
    Kind("local", "Company file: an overlay, or a full entry with its own code", "catalog/local/errors/<code>.yaml",
         (Overlay, ErrorEntry), "local"),
    Kind("integration", "Integration inventory", "catalog/integrations/<id>.yaml", (Integration,)),
    Kind("family", "API family guide", "catalog/families/<id>.yaml", (Family,)),
    Kind("reference", "Reference list (codes with no runbook yet)", "catalog/reference/<family>.yaml",
         (ReferenceList,)),
    Kind("categories", "Error categories", "catalog/categories.yaml", (Category,), "table"),
    Kind("flows", "OAuth flows", "catalog/flows.yaml", (Flow,), "table"),
    Kind("setup_paths", "Setup paths", "catalog/setup_paths.yaml", (SetupPath,), "table"),
    Kind("login_history", "Login History statuses", "catalog/login_history.yaml", (LoginHistoryStatus,), "list"),
)


def body(kind: Kind) -> dict:
    """The schema of one kind, in the models' field order (before the header and key sorting)."""
    if kind.shape == "local":
        _, top = models_json_schema([(m, "validation") for m in kind.models], ref_template="#/$defs/{model}")
        overlay, entry = (m.__name__ for m in kind.models)
        # The loader's rule: a mapping without `code` is an overlay, anything else a full entry.
        return {"if": {"required": ["code"]}, "then": {"$ref": f"#/$defs/{entry}"},
                "else": {"$ref": f"#/$defs/{overlay}"}, "$defs": top["$defs"]}
    (model,) = kind.models
    schema = model.model_json_schema()
    if kind.shape == "one":
        return schema
    defs = schema.pop("$defs", {})
    defs = {model.__name__: schema, **defs}
    ref = {"$ref": f"#/$defs/{model.__name__}"}
    if kind.shape == "table":
        return {"type": "object", "propertyNames": {"pattern": TABLE_KEY}, "additionalProperties": ref, "$defs": defs}
    return {"type": "array", "items": ref, "$defs": defs}


def schema(kind: Kind) -> dict:
    out = body(kind)
    out.pop("title", None)
    out.pop("description", None)  # a model's docstring; the kind's own words go first
    return {"$schema": DIALECT, "$id": ID_PREFIX + kind.name, "title": kind.title,
            "description": f"{kind.files}. Generated from the pydantic models by `python -m generator schema`; "
                           "do not edit. `python -m generator validate` checks what a schema cannot "
                           "(references across files, evidence and caution rules, secrets).",
            **out}


def dumps(value: dict) -> str:
    return json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def files() -> dict[str, str]:
    """{file name: text} of every schema, as the models say today."""
    return {kind.filename: dumps(schema(kind)) for kind in KINDS}


def stale(folder: Path | None = None) -> list[str]:
    """What differs between `folder` (catalog/schema/) and the models: one line per file, empty when in step."""
    folder = folder or SCHEMA_DIR
    wanted = files()
    problems = []
    for name, text in wanted.items():
        path = folder / name
        if not path.is_file():
            problems.append(f"{display_path(path)}: missing")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{display_path(path)}: differs from the models")
    for path in sorted(folder.glob("*.schema.json")) if folder.is_dir() else []:
        if path.name not in wanted:
            problems.append(f"{display_path(path)}: no model generates it; delete it")
    return problems


def write(folder: Path | None = None) -> list[Path]:
    """Write every schema whose text changed (into catalog/schema/); return the files written."""
    folder = folder or SCHEMA_DIR
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in files().items():
        path = folder / name
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8", newline="\n")
            written.append(path)
    return written
