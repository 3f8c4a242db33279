"""The runbooks (errors/<code>.md), the error index, categories, flows and the reference tables."""
from __future__ import annotations

from typing import TYPE_CHECKING

from ... import urls

if TYPE_CHECKING:
    from .. import Renderer


def pages(r: Renderer) -> None:
    catalog, site = r.catalog, r.site
    for entry in catalog.errors:
        r.page(urls.error_md(entry.code), "error.md.j2", entry=entry, source=catalog.sources[entry.slug].shown)
    r.page("errors/index.md", "errors_index.md.j2")
    for cid, category, entries in site.by_category:
        r.page(urls.category_md(cid), "category.md.j2", category_id=cid, category=category, entries=entries)
    r.page("flows/index.md", "flows_index.md.j2")
    for fid, flow in catalog.flows.items():
        r.page(urls.flow_md(fid), "flow.md.j2", flow_id=fid, flow=flow)
    r.page("reference/setup-paths.md", "setup_paths.md.j2")
    r.page("reference/login-history.md", "login_history.md.j2")
