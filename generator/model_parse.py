"""Validate a loaded YAML document against a pydantic model, problems as file:line: field: message."""
from __future__ import annotations

from typing import TypeVar

from pydantic import BaseModel, ValidationError

from . import yamlfile
from .problems import Problem, display_path
from .validation_messages import describe

M = TypeVar("M", bound=BaseModel)


def parse(doc: yamlfile.YamlDoc, model: type[M], problems: list[Problem], at: tuple = ()) -> M | None:
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
            problems.append(Problem(display_path(doc.path), doc.line_of(loc), yamlfile.dotted(loc),
                                    describe(err, model)))
        return None
