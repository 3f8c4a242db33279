"""Turn pydantic's error records into sentences that say what is wrong and how to fix it."""
from __future__ import annotations

from typing import Any

from pydantic import BaseModel

_TYPES = {
    "string_type": "text", "int_type": "a whole number", "int_parsing": "a whole number",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list (lines starting with '- ')",
    "dict_type": "a mapping (key: value lines)", "model_type": "a mapping (key: value lines)",
    "date_type": "a date (YYYY-MM-DD)", "date_parsing": "a date (YYYY-MM-DD)", "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
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
