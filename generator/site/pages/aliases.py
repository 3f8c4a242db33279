"""Redirect pages that keep every alias and former code alive at errors/<alias lowercase>/.

An alert written years ago may link to a code's old name or to a code that Salesforce sends for
the same problem. Each such spelling gets a tiny page that sends the reader on to the canonical
page or case (meta refresh, plus JavaScript so a #case anchor survives the jump, plus a plain link).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ... import urls
from ...catalog.schema import Case, ErrorEntry

if TYPE_CHECKING:
    from ...catalog import Catalog
    from .. import Renderer


@dataclass(frozen=True)
class AliasTarget:
    alias: str                # as written in the catalog, e.g. TWO_FACTOR_REQUIRED
    entry: ErrorEntry
    case: Case | None         # None: the alias stands for the whole page
    kind: str                 # "alias", "moved_from" or "case alias"

    @property
    def slug(self) -> str:
        return self.alias.lower()

    @property
    def path(self) -> str:
        """Target relative to the site root, e.g. errors/invalid_grant/#challenge-required."""
        return urls.error_url(self.entry.code) + (f"#{self.case.anchor}" if self.case else "")


def alias_targets(catalog: Catalog) -> dict[str, AliasTarget]:
    """alias slug -> target, for every entry alias, former code and case alias (validated unique)."""
    out: dict[str, AliasTarget] = {}
    for entry in catalog.errors:
        for alias in entry.aliases:
            out[alias.lower()] = AliasTarget(alias, entry, None, "alias")
        for alias in entry.moved_from:
            out[alias.lower()] = AliasTarget(alias, entry, None, "moved_from")
        for case in entry.cases:
            for alias in case.aliases:
                out[alias.lower()] = AliasTarget(alias, entry, case, "case alias")
    return dict(sorted(out.items()))


def pages(r: Renderer) -> None:
    for slug, target in alias_targets(r.catalog).items():
        # Both pages live in errors/, so the redirect is one level up whatever the site's base path.
        redirect = urls.relative_url(target.path, urls.error_md(slug))
        r.page(urls.error_md(slug), "alias.md.j2", target=target, redirect=redirect)
