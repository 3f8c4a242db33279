"""One problem per line, in the form editors and CI annotate: path:line: field: what; how to fix."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .paths import ROOT


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
