"""Derived views of the catalog that several pages share, computed once per render."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from functools import cached_property
from typing import TYPE_CHECKING

from .. import urls
from ..config import Settings

if TYPE_CHECKING:
    from ..catalog import Catalog
    from ..catalog.schema import Case, ErrorEntry

# Grant types whose token request can be sent again safely to read the exact error: no password
# lockout counts, and no refresh token gets used up by rotation.
TOKEN_REPLAY_KIND = {
    "urn:ietf:params:oauth:grant-type:jwt-bearer": "token_jwt_bearer",
    "client_credentials": "token_client_credentials",
}


def default_diagnose(entry: ErrorEntry, case: Case, catalog: Catalog) -> str | None:
    """Which diagnostic command (templates/partials/diagnose/<kind>.md.j2) a triage box offers when
    the case names none; None where no generic command is right for every case it would cover."""
    if case.diagnose is not None:
        return None
    if case.login_history:
        # Login History statuses point to this case, so the integration user's rows confirm it.
        return "login_history"
    if entry.endpoint.startswith("/services/oauth2/token") and len(case.flows) == 1:
        flow = catalog.flows.get(case.flows[0])
        if flow is not None and flow.grant_type in TOKEN_REPLAY_KIND:
            return TOKEN_REPLAY_KIND[flow.grant_type]
    if entry.endpoint.startswith("/services/data/") and case.flows == ["any"] and case.recovery != "wait":
        # One REST call with the same token shows the error again; skipped for limits, where
        # another call proves nothing and adds to the load.
        return "rest_call"
    return None


class Site:
    def __init__(self, catalog: Catalog, today: dt.date, settings: Settings):
        self.catalog = catalog
        self.today = today
        self.settings = settings

    @cached_property
    def split(self) -> bool:
        """Past Settings.split_at codes: per-code and per-category pages, and lists of cases from every
        code (flow pages, Setup paths) give one line per code."""
        return self.settings.split(len(self.catalog.errors))

    @cached_property
    def lean(self) -> bool:
        """A catalog big enough for a lean search index (Settings.lean_search_at)."""
        return self.settings.lean(len(self.catalog.errors))

    def checklist_sheet(self, entry: ErrorEntry) -> str:
        """Where an entry's printable sheet is, as a docs/ Markdown path with its anchor."""
        return urls.checklist_md(entry.category if self.split else None) + "#" + urls.anchor_for(entry.slug)

    @cached_property
    def by_category(self):
        groups = defaultdict(list)
        for entry in self.catalog.errors:
            groups[entry.category].append(entry)
        order = sorted(self.catalog.categories.items(), key=lambda kv: (kv[1].order, kv[0]))
        return [(cid, cat, groups[cid]) for cid, cat in order if groups[cid]]

    @cached_property
    def by_family(self):
        """[(family id, family, [(category id, category, entries)])], in family order; families with no
        runbook yet keep their place (their guide still answers unknown codes)."""
        order = sorted(self.catalog.families.items(), key=lambda kv: (kv[1].order, kv[0]))
        return [(fid, fam, [g for g in self.by_category if g[1].family == fid]) for fid, fam in order]

    def labels_of(self, entry: ErrorEntry) -> list[str]:
        """Setup labels (SetupPath.labels) that the entry's cases name: its search tags."""
        text = " ".join(" ".join([c.description, c.meaning, *c.causes, *(st.text for st in c.steps)])
                        for c in entry.cases).lower()
        labels = {label for sp in self.catalog.setup_paths.values() for label in sp.labels}
        return sorted(label for label in labels if label.lower() in text)

    def references_of(self, family_id: str):
        return [ref for ref in self.catalog.references if ref.family == family_id]

    def family_of(self, entry: ErrorEntry):
        """(family id, family) of an entry, through its category."""
        fid = self.catalog.categories[entry.category].family
        return fid, self.catalog.families[fid]

    def _cases_by(self, keys_of) -> dict[str, list]:
        out: dict[str, list] = defaultdict(list)
        for entry in self.catalog.errors:
            for case in entry.cases:
                for key in keys_of(case):
                    out[key].append((entry, case))
        return out

    @cached_property
    def cases_by_flow(self):
        return self._cases_by(lambda case: self.catalog.flows if "any" in case.flows else case.flows)

    @cached_property
    def cases_by_setup_path(self):
        out = self._cases_by(lambda case: case.setup_paths)
        for entry in self.catalog.errors:
            for setting in entry.settings_to_verify:
                out[setting.setup_path].append((entry, None))
        return {k: _unique(v) for k, v in out.items()}

    @cached_property
    def cases_by_login_status(self):
        return self._cases_by(lambda case: case.login_history)

    @cached_property
    def linked_from(self):
        """code slug -> entries whose related list names it (for 'Related errors' both ways)."""
        out = defaultdict(list)
        for entry in self.catalog.errors:
            for rel in entry.related:
                out[rel.code.lower()].append(entry)
        return out

    @staticmethod
    def by_entry(pairs):
        """[(entry, case), ...] as [(entry, [case, ...]), ...], in first-seen order."""
        groups: dict[str, tuple] = {}
        for entry, case in pairs:
            groups.setdefault(entry.slug, (entry, []))[1].append(case)
        return list(groups.values())

    def overdue(self, entry) -> bool:
        return (self.today - entry.last_reviewed).days > entry.review_every_days

    def review_due(self, entry) -> dt.date:
        return entry.last_reviewed + dt.timedelta(days=entry.review_every_days)


def _unique(pairs):
    seen = set()
    out = []
    for entry, case in pairs:
        key = (entry.slug, case.anchor if case else None)
        if key not in seen:
            seen.add(key)
            out.append((entry, case))
    return out
