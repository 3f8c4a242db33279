"""api/catalog.json: the catalog as data, for alert tooling and for the lookup page.

Every code with its page and cases, plus the match index the lookup page runs in the browser
(the same index `resolve` uses in Python). Field reference: docs/linking-from-alerts.md.
Bump SCHEMA_VERSION when a field is removed or changes meaning; adding a field does not.
"""
from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING

from ... import urls
from ...tools.resolver import plain_step
from ...tools.matching import MatchIndex
from .aliases import alias_targets

if TYPE_CHECKING:
    from ...catalog import Catalog
    from .. import Renderer

SCHEMA_VERSION = 2  # 2: match_index split into runbook and reference tiers; reference and families added
PATH = "api/catalog.json"
SCRIPT_PATH = "api/catalog.js"

def export(catalog: Catalog) -> dict:
    errors = {}
    for entry in catalog.errors:
        page = urls.error_url(entry.code)
        errors[entry.slug] = {
            "code": entry.code,
            "title": entry.title,
            "category": entry.category,
            "category_title": catalog.categories[entry.category].title,
            "pseudo_code": entry.pseudo_code,
            "page": page,
            "aliases": list(entry.aliases),
            "moved_from": list(entry.moved_from),
            "related": [rel.code for rel in entry.related],
            "cases": [{
                "anchor": case.anchor,
                "path": f"{page}#{case.anchor}",
                "description": case.description,
                "meaning": case.meaning,
                "match": list(case.match),
                "aliases": list(case.aliases),
                "moved_from": list(case.moved_from),
                "evidence": case.evidence,
                "admin_needed": case.admin_needed,
                "recovery": case.recovery,
                "retry": case.retry,
                "retry_note": case.retry_note,
                "first_step": plain_step(case.steps[0]),
                "first_step_caution": case.steps[0].caution,
            } for case in entry.cases],
        }
    redirects = {slug: {"alias": t.alias, "kind": t.kind, "page": urls.error_url(slug), "target": t.path}
                 for slug, t in alias_targets(catalog).items()}
    reference = {r.slug: {"code": r.code, "family": r.family, "meaning": r.entry.meaning, "page": urls.error_url(r.code),
                          "retry": r.entry.retry}
                 for r in catalog.references}
    families = {fid: {"title": f.title, "page": urls.hosted_url(urls.family_md(fid)),
                      "unknown_anchor": urls.UNKNOWN_CODE_ID, "first_step": plain_step(f.investigate[0])}
                for fid, f in catalog.families.items()}
    body = {"errors": errors, "redirects": redirects, "reference": reference, "families": families,
            "match_index": MatchIndex.build(catalog).to_json()}
    digest = hashlib.sha256(json.dumps(body, sort_keys=True).encode("utf-8")).hexdigest()
    return {
        "schema_version": SCHEMA_VERSION,
        "generated_from": {
            "catalog": "catalog/errors/*.yaml",
            "files": sorted(catalog.sources[e.slug].shown for e in catalog.errors),
            "errors": len(catalog.errors),
            "cases": sum(len(e.cases) for e in catalog.errors),
            "reference_entries": len(catalog.references),
            "content_sha256": digest,  # changes exactly when the exported content does
        },
        **body,
    }


def pages(r: Renderer) -> None:
    data = json.dumps(export(r.catalog), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    r.file(PATH, data + "\n")
    # The same data as a script, for the lookup on pages opened from file://, where fetch() is refused.
    # JSON is a JavaScript expression; the two line separators are escaped for older engines.
    script = data.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    r.file(SCRIPT_PATH, "/* Generated from the catalog: api/catalog.json as a script, for the offline copy. */\n"
                        f"window.RUNBOOKS_CATALOG = {script};\n")
