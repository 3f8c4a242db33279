"""Quick recovery checklists: one printable sheet per error (its checklist and each case's first step).

In a small catalog every sheet is on checklists/; in a split one (Settings.split_at), each
category's sheets are on checklists/<category>/ and checklists/ lists the categories.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ... import urls

if TYPE_CHECKING:
    from .. import Renderer


def pages(r: Renderer) -> None:
    if not r.site.split:
        r.page(urls.checklist_md(), "checklists.md.j2", entries=r.catalog.errors, category=None, categories=None)
        return
    for cid, category, entries in r.site.by_category:
        r.page(urls.checklist_md(cid), "checklists.md.j2", entries=entries, category=category, categories=None)
    r.page(urls.checklist_md(), "checklists.md.j2", entries=[], category=None, categories=r.site.by_category)
