"""integrations/<id>/: one runbook per inventory, cut to the cases its flow can hit; integrations/: the list."""
from __future__ import annotations

from itertools import groupby

from typing import TYPE_CHECKING

from ... import urls
from ...catalog import inventory
from ...catalog.schema import PLACEHOLDERS

if TYPE_CHECKING:
    from .. import Renderer

def pages(r: Renderer) -> None:
    catalog, site = r.catalog, r.site
    rows = []
    by_flow = {fid: cases_for_flow(site, fid) for fid in catalog.flows}
    for integration in catalog.integrations:
        warnings = [c for c in inventory.checks(integration, catalog.flows) if c.severity == "warning"]
        source = catalog.integration_sources.get(integration.id)
        groups = by_flow.get(integration.flow) or cases_for_flow(site, integration.flow)
        count = sum(len(cases) for _, cases in groups)
        r.page(urls.integration_md(integration.id), "integration.md.j2",
               integration=integration, values=integration.values(), warnings=warnings,
               groups=groups if count <= r.site.settings.inline_limit else None, count=count, codes=len(groups),
               placeholders=PLACEHOLDERS, source=source.shown if source else "")
        rows.append((integration, len(warnings)))
    r.page("integrations/index.md", "integrations_index.md.j2", rows=rows)


def cases_for_flow(site, flow: str) -> list[tuple]:
    """[(entry, [cases])] for the cases a flow can hit (its own or `any`), in catalog order."""
    pairs = site.cases_by_flow.get(flow, [])
    out = []
    for _, group in groupby(pairs, key=lambda pair: pair[0].slug):
        group = list(group)
        out.append((group[0][0], [case for _, case in group]))
    return out
