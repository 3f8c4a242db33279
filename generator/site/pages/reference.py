"""The reference tier: errors/<code>/ for every listed code with no runbook, and codes/ indexes."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ... import urls

if TYPE_CHECKING:
    from .. import Renderer


def pages(r: Renderer) -> None:
    catalog = r.catalog
    for ref in catalog.references:
        r.page(urls.error_md(ref.code), "reference.md.j2", ref=ref, family=catalog.families[ref.family])
    for fid, family, groups in r.site.by_family:
        r.page(urls.codes_md(fid), "codes_family.md.j2", family_id=fid, family=family, groups=groups,
               refs=r.site.references_of(fid))
    r.page(urls.codes_md(), "codes_index.md.j2")
