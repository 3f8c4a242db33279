"""Quick recovery checklists: one printable sheet per error (its checklist and each case's first step).

Up to scale.SPLIT_AT codes every sheet is on checklists/; past it, each category's sheets are on
checklists/<category>/ and checklists/ lists the categories.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import scale
from .catalog import Catalog
from .schema import ErrorEntry
from .slug import anchor_for

if TYPE_CHECKING:  # render imports this module; the type is only for readers
    from .render import Renderer

PAGE = "checklists/index.md"


def sheet_path(catalog: Catalog, entry: ErrorEntry) -> str:
    """Where an entry's sheet is, as a docs/ Markdown path with its anchor."""
    page = f"checklists/{entry.category}.md" if scale.is_big(len(catalog.errors)) else PAGE
    return f"{page}#{anchor_for(entry.slug)}"


def pages(r: Renderer) -> None:
    if not scale.is_big(len(r.catalog.errors)):
        r.page(PAGE, "checklists.md.j2", entries=r.catalog.errors, category=None, categories=None)
        return
    for cid, category, entries in r.site.by_category:
        r.page(f"checklists/{cid}.md", "checklists.md.j2", entries=entries, category=category, categories=None)
    r.page(PAGE, "checklists.md.j2", entries=[], category=None, categories=r.site.by_category)
