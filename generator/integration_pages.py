"""integrations/<id>/: one runbook per inventory, cut to the cases its flow can hit; integrations/: the list."""
from __future__ import annotations

from itertools import groupby

from . import inventory


def pages(r) -> None:
    catalog, site = r.catalog, r.site
    rows = []
    for integration in catalog.integrations:
        warnings = [c for c in inventory.checks(integration, catalog.flows) if c.severity == "warning"]
        source = catalog.integration_sources.get(integration.id)
        r.page(f"integrations/{integration.id}.md", "integration.md.j2",
               integration=integration, values=integration.values(), warnings=warnings,
               groups=cases_for_flow(site, integration.flow), source=source.shown if source else "")
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
