"""Quick recovery checklists: one printable sheet per error (its checklist and each case's first step)."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # render imports this module; the type is only for readers
    from .render import Renderer

PAGE = "checklists/index.md"


def pages(r: Renderer) -> None:
    r.page(PAGE, "checklists.md.j2")
