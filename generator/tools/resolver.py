"""resolve(text) -> where the runbook for a pasted Salesforce error lives.

    >>> from generator import resolve
    >>> resolve('{"error":"invalid_grant","error_description":"inactive user"}').path
    'errors/invalid_grant/#inactive-user'

The catalog is loaded once per process; each call after that is a few dictionary and substring
look-ups (see benchmarks/resolve_bench.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .. import urls
from ..catalog import Catalog, load_catalog
from ..catalog.schema import PLACEHOLDER, PLACEHOLDERS
from ..config import site_url
from .matching import MatchIndex


def plain_step(step) -> str:
    """A fix step as plain text: whitespace folded, {placeholders} replaced by their generic names
    (the same text api/catalog.json gives as first_step)."""
    text = getattr(step, "text", step)
    return PLACEHOLDER.sub(lambda m: PLACEHOLDERS.get(m.group(1), m.group(0)), " ".join(text.split()))


@dataclass(frozen=True)
class Resolution:
    code: str
    page: str               # errors/invalid_grant/ (a guide, guides/api/, for an unknown code)
    anchor: str | None      # expired-access-refresh-token, or None for the page itself
    url: str                # absolute when site_url is set, else relative to the site root
    title: str
    first_step: str | None
    tier: str = "runbook"   # runbook | reference | family (an unknown code: its family's guide)
    family: str | None = None

    @property
    def path(self) -> str:
        return self.page + (f"#{self.anchor}" if self.anchor else "")


class Resolver:
    def __init__(self, catalog: Catalog, base_url: str = ""):
        self.catalog = catalog
        self.index = MatchIndex.build(catalog)
        self.base_url = base_url

    def __call__(self, text: str) -> Resolution | None:
        found = self.index.match(text)
        if found is None:
            return None
        tier, key, detail = found
        if tier == "family":
            family = self.catalog.families[key]
            return self._answer(detail, urls.hosted_url(urls.family_md(key)), urls.UNKNOWN_CODE_ID,
                                f"Unknown code {detail}: {family.title}", plain_step(family.investigate[0]),
                                tier, key)
        if tier == "reference":
            ref = self.catalog.reference_by_slug[key]
            title = f"{ref.code}: {ref.entry.meaning or 'reference entry, no runbook yet'}"
            return self._answer(ref.code, urls.error_url(ref.code), None, title, None, tier, ref.family)
        entry = self.catalog.error(key)
        case = next((c for c in entry.cases if c.anchor == detail), None)
        return self._answer(
            entry.code, urls.error_url(entry.code), case.anchor if case else None,
            f"{entry.code}: {case.description}" if case else f"{entry.code}: {entry.title}",
            plain_step(case.steps[0]) if case else None, tier, self.catalog.categories[entry.category].family)

    def _answer(self, code, page, anchor, title, first_step, tier, family) -> Resolution:
        path = page + (f"#{anchor}" if anchor else "")
        return Resolution(code=code, page=page, anchor=anchor, url=self.base_url + path, title=title,
                          first_step=first_step, tier=tier, family=family)


@lru_cache(maxsize=1)
def default_resolver() -> Resolver:
    return Resolver(load_catalog(), site_url())


def resolve(text: str) -> Resolution | None:
    """Resolve pasted error text against the repository's catalog (loaded on first call)."""
    return default_resolver()(text)
