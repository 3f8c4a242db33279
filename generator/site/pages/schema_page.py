"""reference/catalog-schema.md: every field of every catalog file, from the models' field descriptions.

The same JSON Schemas that `python -m generator schema` commits to catalog/schema/ (in the models'
field order, before the file's key sorting): one section per kind of file, one table per model, each
model shown once, where it first appears.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ...catalog.inventory import ID_PATTERN
from ...catalog.schema import DATE_PATTERN, REVIEW_DATE_PATTERN, URL_PATTERN, Code, Id
from ...tools import json_schema

if TYPE_CHECKING:
    from .. import Renderer

PAGE = "reference/catalog-schema.md"


def _pattern(annotated) -> str:
    return next(m.pattern for m in annotated.__metadata__ if getattr(m, "pattern", None))


# Patterns the page names in words instead of printing (the template has the words).
PATTERNS = {
    URL_PATTERN: "url",
    DATE_PATTERN: "date",
    REVIEW_DATE_PATTERN: "review_date",
    _pattern(Code): "code",
    _pattern(Id): "id",
    ID_PATTERN.pattern: "integration_id",
    json_schema.TABLE_KEY: "id",
}


@dataclass(frozen=True)
class Field:
    name: str
    schema: dict[str, Any]   # the property's JSON Schema
    required: bool


@dataclass(frozen=True)
class Model:
    name: str
    description: str         # the model's docstring, if any
    fields: tuple[Field, ...]


@dataclass(frozen=True)
class Section:
    kind: json_schema.Kind
    root: str                # the model a file holds (for local: the overlay; see the template)
    models: tuple[Model, ...]  # the models first described in this section, root first


def sections() -> list[Section]:
    seen: set[str] = set()
    out = []
    for kind in json_schema.KINDS:
        body = json_schema.body(kind)
        defs = dict(body.get("$defs", {}))
        root = kind.models[0].__name__
        if kind.shape == "one":
            defs[root] = {k: v for k, v in body.items() if k != "$defs"}
        models = []
        for name in _walk(root, defs) if kind.shape != "local" else ():
            if name not in seen:
                seen.add(name)
                models.append(_model(name, defs[name]))
        out.append(Section(kind, root, tuple(models)))
    return out


def _walk(name: str, defs: dict[str, dict], found: list[str] | None = None) -> list[str]:
    """`name` and every model it refers to, depth first in field order."""
    found = [] if found is None else found
    if name in found:
        return found
    found.append(name)
    for ref in _refs(defs[name].get("properties", {})):
        _walk(ref, defs, found)
    return found


def _refs(value: Any):
    if isinstance(value, dict):
        if "$ref" in value:
            yield value["$ref"].rsplit("/", 1)[-1]
        for item in value.values():
            yield from _refs(item)
    elif isinstance(value, list):
        for item in value:
            yield from _refs(item)


def _model(name: str, schema: dict) -> Model:
    required = set(schema.get("required", ()))
    fields = tuple(Field(field, prop, field in required) for field, prop in schema.get("properties", {}).items())
    return Model(name, schema.get("description", ""), fields)


def pages(r: Renderer) -> None:
    r.page(PAGE, "schema_reference.md.j2", sections=sections(), patterns=PATTERNS)
