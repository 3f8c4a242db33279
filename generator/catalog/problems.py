"""One problem per line, in the form editors and CI annotate: path:line: field: what; how to fix.

Also where pydantic's error records become those lines: `parse` validates a loaded document against
a model and turns each error into a sentence that says what is wrong and how to fix it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from ..config import ROOT

M = TypeVar("M", bound=BaseModel)


_ONE_LINE = str.maketrans({"\n": "\\n", "\r": "\\r", "\x85": " ", "\u2028": " ", "\u2029": " ",
                           "\x0b": " ", "\x0c": " ", "\x1c": " ", "\x1d": " ", "\x1e": " "})


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    severity: str = "error"  # "error" fails validation; "warning" is shown only

    def __str__(self) -> str:
        # A key of blanks or line breaks is quoted, or the reader could not see which one it is.
        name = self.field if self.field.isprintable() and self.field.strip() == self.field else repr(self.field)
        field = f" {name}:" if self.field else ""
        label = " warning:" if self.severity == "warning" else ""
        # Messages quote catalog text, which may hold line breaks; one problem stays one line.
        return f"{self.path}:{self.line}:{label}{field} {self.message}".translate(_ONE_LINE)


class CatalogError(Exception):
    """Raised with every problem found, never with only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


@lru_cache(maxsize=8192)  # every file is named several times a load; resolve() is a syscall per part
def display_path(path: Path) -> str:
    """Paths relative to the repo when possible, so messages are clickable in CI logs."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)

_TYPES = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping (key: value lines)", "model_type": "a mapping (key: value lines)",
    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
}


def describe(err: dict[str, Any], model: type[BaseModel]) -> str:
    kind = err["type"]
    got = _kind_of(err.get("input"))
    if kind == "missing":
        name = err["loc"][-1] if err["loc"] else "field"
        return f"required field is missing; add '{name}:' (see catalog/_templates/ for an example)"
    if kind == "extra_forbidden":
        return f"unknown field; check the spelling against {_allowed(err, model)}"
    if kind in _TYPES:
        return f"expected {_TYPES[kind]}, got {got}; change the value"
    if kind == "literal_error":
        return f"must be one of {err['ctx']['expected']}; got {err.get('input')!r}"
    if kind == "too_short":
        return f"needs at least {err['ctx']['min_length']} item(s); add one"
    if kind == "too_long":
        return f"is too long (over {err['ctx']['max_length']}); shorten it"
    if kind == "string_too_short":
        return "is empty; write the text or remove the field if it is optional"
    if kind == "string_too_long":
        return f"is longer than {err['ctx']['max_length']} characters; shorten it"
    if kind == "string_pattern_mismatch":
        return f"{err.get('input')!r} does not match {err['ctx']['pattern']}; use letters, digits and underscores"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{err['msg'].lower()}; change the number"
    if kind == "value_error":
        return f"{err['msg'].removeprefix('Value error, ')}"
    return f"{err['msg']}; fix the value"


def _kind_of(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    return {str: "text", int: "a number", float: "a number", bool: "true/false", list: "a list",
            dict: "a mapping"}.get(type(value), type(value).__name__)


def _allowed(err: dict[str, Any], model: type[BaseModel]) -> str:
    """List the allowed keys of the model that owns the bad key."""
    owner: Any = model
    for part in err["loc"][:-1]:
        if isinstance(part, int):
            continue
        field = owner.model_fields.get(part) if hasattr(owner, "model_fields") else None
        if field is None:
            return "the schema"
        owner = _inner_model(field.annotation)
        if owner is None:
            return "the schema"
    return "the allowed fields: " + ", ".join(owner.model_fields) if hasattr(owner, "model_fields") else "the schema"


def _inner_model(annotation: Any) -> Any:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()) or ():
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def dotted(loc: tuple) -> str:
    """('cases', 0, 'steps') -> 'cases[0].steps', as messages name fields."""
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def parse(doc, model: type[M], problems: list[Problem], at: tuple = ()) -> M | None:
    """The document (or the part of it at `at`) as `model`, or None with one problem per mistake."""
    data = doc.data
    for part in at:
        data = data[part]
    if not at and not isinstance(data, dict):
        problems.append(Problem(display_path(doc.path), 1, "",
                                "expected a mapping of field: value lines; start from a file in catalog/_templates/"))
        return None
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        for err in exc.errors():
            loc = at + tuple(err["loc"])
            problems.append(Problem(display_path(doc.path), doc.line_of(loc), dotted(loc), describe(err, model)))
        return None
