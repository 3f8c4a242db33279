"""integrations/<id>/: one runbook per inventory, cut to the cases its flow can hit; integrations/: the list."""
from __future__ import annotations

from itertools import groupby

from . import inventory
from .schema import PLACEHOLDERS

# Up to this many cases, an integration page copies each case with the integration's own values in
# its steps. Past it, copying makes the site grow with integrations x cases (a fork with 200
# inventories and 100 errors: 20,000 copied cases, a 23 MB search index; at 1,000 errors 300 MB of
# Markdown and a minute of rendering), and a page of hundreds of cases is read by nobody. The page
# then says how many cases there are, where they are listed (the flow page, the lookup) and which
# value replaces which placeholder. The real catalog's busiest flow has about 56.
INLINE_LIMIT = 80


def pages(r) -> None:
    catalog, site = r.catalog, r.site
    rows = []
    by_flow = {fid: cases_for_flow(site, fid) for fid in catalog.flows}
    for integration in catalog.integrations:
        warnings = [c for c in inventory.checks(integration, catalog.flows) if c.severity == "warning"]
        source = catalog.integration_sources.get(integration.id)
        groups = by_flow.get(integration.flow) or cases_for_flow(site, integration.flow)
        count = sum(len(cases) for _, cases in groups)
        r.page(f"integrations/{integration.id}.md", "integration.md.j2",
               integration=integration, values=integration.values(), warnings=warnings,
               groups=groups if count <= INLINE_LIMIT else None, count=count, codes=len(groups),
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
