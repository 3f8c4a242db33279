"""The decision tree: from the error an on-call engineer sees to the case that explains it.

Two questions, as headings and lists of links that work with no JavaScript: which code (grouped
by category), then which message; every case of the catalog is exactly one answer. In a split
catalog (Settings.split_at) each code's question moves to a page of its own, decision-tree/<code>/.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ... import urls

if TYPE_CHECKING:
    from .. import Renderer


def pages(r: Renderer) -> None:
    if r.site.split:
        for entry in r.catalog.errors:
            r.page(urls.decision_tree_md(entry.code), "decision_tree_code.md.j2", entry=entry)
    r.page(urls.decision_tree_md(), "decision_tree.md.j2")
