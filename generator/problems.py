"""One problem per line, in the form editors and CI annotate: path:line: field: what; how to fix."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .paths import ROOT


@dataclass(frozen=True, order=True)
class Problem:
    path: str
    line: int
    field: str
    message: str
    severity: str = "error"  # "error" fails validation; "warning" is shown only

    def __str__(self) -> str:
        field = f" {self.field}:" if self.field else ""
        label = " warning:" if self.severity == "warning" else ""
        return f"{self.path}:{self.line}:{label}{field} {self.message}"


class CatalogError(Exception):
    """Raised with every problem found, never with only the first."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def display_path(path: Path) -> str:
    """Paths relative to the repo when possible, so messages are clickable in CI logs."""
    try:
        return str(path.resolve().relative_to(ROOT))
    except ValueError:
        return str(path)
