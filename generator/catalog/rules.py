"""Checks that span files: categories, flows, Setup paths, related codes, aliases and every id an
error page emits. One function per rule; each message names the file, the line and the fix.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import urls
from .problems import Problem
from .schema import ErrorEntry

if TYPE_CHECKING:
    from . import Catalog

Add = Callable[..., None]  # add(entry, loc, field, message, severity="error")

# Hosts of Salesforce's documentation and Help (and their subdomains).
DOC_HOSTS = ("salesforce.com", "force.com", "sfdcstatic.com", "trailhead.com", "salesforce-developers.com")
COMMUNITY_PATHS = ("/forums", "/trailblazer-community", "/answers", "/ideaview")

# Settings and actions that lower security, lock other people out or cannot be undone. A step or
# checklist item that names one must carry a `caution` (shown as a warning box beside it).
RISKY = [
    (re.compile(r"login ip range", re.I), "Login IP Ranges (the first range on a profile locks its users out "
                                          "of every other address)"),
    (re.compile(r"\bip relaxation\b|\brelax(?:ed)? ip\b", re.I), "IP Relaxation (it turns IP restrictions off)"),
    (re.compile(r"allow oauth username-password flows?", re.I),
     "Allow OAuth Username-Password Flows (org-wide, and being retired)"),
    (re.compile(r"valid until revoked", re.I), "a refresh token that never expires"),
    (re.compile(r"use any api client", re.I), "Use Any API Client (it bypasses API Access Control)"),
    (re.compile(r"\b(?:delete|deleting|re-?create|re-?creating)\b[^.]{0,60}?\b(?:app|apps|application)\b", re.I),
     "deleting or re-creating an app (its consumer key, tokens and approvals are gone)"),
]


def check(catalog: Catalog) -> list[Problem]:
    problems: list[Problem] = []

    def add(entry: ErrorEntry, loc: tuple, field: str, message: str, severity: str = "error") -> None:
        src = catalog.sources[entry.slug]
        problems.append(Problem(src.shown, src.line(*loc), field, message, severity))

    for cid, category in catalog.categories.items():
        if category.family not in catalog.families:
            problems.append(Problem("catalog/categories.yaml", 1, f"{cid}.family",
                                    f"unknown family '{category.family}'; use one of {', '.join(sorted(catalog.families))} "
                                    "or add catalog/families/<id>.yaml"))
    fallbacks = [fid for fid, f in catalog.families.items() if f.fallback]
    if catalog.families and len(fallbacks) != 1:
        problems.append(Problem("catalog/families", 1, "fallback",
                                f"exactly one family needs 'fallback: true' (found {len(fallbacks)}: "
                                f"{', '.join(fallbacks) or 'none'}); set it on the family unknown codes default to"))
    problems += references(catalog)
    claimed: dict[str, str] = {e.slug: e.slug for e in catalog.errors}  # every URL spelling -> its one owner
    for entry in catalog.errors:
        entry_references(catalog, entry, add)
        page_ids(entry, add)
        match_strings(entry, add)
        aliases(entry, claimed, add)
        evidence(entry, add)
        cautions(entry, add)
        related(catalog, entry, add)
    return problems


def references(catalog: Catalog) -> list[Problem]:
    """Reference entries: a meaning or a retry class needs a source; the family and related runbooks
    exist; a raw string is not also a runbook's."""
    problems: list[Problem] = []
    runbook_strings = {" ".join(t.lower().split()): e.code for e in catalog.errors for c in e.cases
                       for t in (c.description, *c.match)}
    for ref in catalog.references:
        e, i = ref.entry, ref.index

        def add(loc: tuple, field: str, message: str, ref=ref, i=i) -> None:
            problems.append(Problem(ref.source.shown, ref.line(*loc), f"entries[{i}].{field}", message))

        if (e.meaning or e.retry) and not e.sources:
            add(("code",), "sources", f"{e.code} states a {'meaning' if e.meaning else 'retry class'} with no "
                "source; add the URL of the Salesforce page that states it, or remove the claim")
        if ref.family not in catalog.families:
            problems.append(Problem(ref.source.shown, ref.source.line("family"), "family",
                                    f"unknown family '{ref.family}'; use one of {', '.join(sorted(catalog.families))}"))
        for j, rel in enumerate(e.related):
            if rel.code.lower() not in catalog.by_slug:
                add(("related", j, "code"), f"related[{j}].code",
                    f"no runbook has the code {rel.code}; a reference entry relates only to runbooks")
        for j, text in enumerate(e.match):
            owner = runbook_strings.get(" ".join(text.lower().split()))
            if owner:
                add(("match", j), f"match[{j}]", f"'{text}' already identifies a case of the runbook {owner}; "
                    "remove this reference entry (the runbook covers it) or the string")
    return problems


def entry_references(catalog: Catalog, entry: ErrorEntry, add: Add) -> None:
    """Ids of the shared tables that an entry names exist."""
    if entry.category not in catalog.categories:
        add(entry, ("category",), "category",
            f"unknown category '{entry.category}'; use one of {', '.join(sorted(catalog.categories))} "
            "or add it to catalog/categories.yaml")
    for i, setting in enumerate(entry.settings_to_verify):
        if setting.setup_path not in catalog.setup_paths:
            add(entry, ("settings_to_verify", i, "setup_path"), f"settings_to_verify[{i}].setup_path",
                f"unknown Setup path '{setting.setup_path}'; add it to catalog/setup_paths.yaml or use an existing id")
    descriptions = {c.description for c in entry.cases}
    for i, example in enumerate(entry.broken_examples):
        if example.case is not None and example.case not in descriptions:
            add(entry, ("broken_examples", i, "case"), f"broken_examples[{i}].case",
                f"no case has the description '{example.case}'; copy a case's description exactly")
    for ci, case in enumerate(entry.cases):
        here, f = ("cases", ci), f"cases[{ci}]"
        if "any" in case.flows and len(case.flows) > 1:
            add(entry, here + ("flows",), f + ".flows", "'any' stands alone; remove the other flows or 'any'")
        for i, flow in enumerate(case.flows):
            if flow != "any" and flow not in catalog.flows:
                add(entry, here + ("flows", i), f"{f}.flows[{i}]",
                    f"unknown flow '{flow}'; use one of {', '.join(sorted(catalog.flows))} or 'any'")
        for i, sp in enumerate(case.setup_paths):
            if sp not in catalog.setup_paths:
                add(entry, here + ("setup_paths", i), f"{f}.setup_paths[{i}]",
                    f"unknown Setup path '{sp}'; add it to catalog/setup_paths.yaml or use an existing id")
        for i, status in enumerate(case.login_history):
            if status not in catalog.login_history:
                add(entry, here + ("login_history", i), f"{f}.login_history[{i}]",
                    f"unknown Login History status '{status}'; add it to catalog/login_history.yaml "
                    "or copy its exact text")


def page_ids(entry: ErrorEntry, add: Add) -> None:
    """Every case anchor (current and former) is unique among all ids the error page emits.

    Alert links end in a case anchor; one that is also a section's id, or another case's
    "-causes"/"-investigate"/"-fix" id, would land on the wrong place.
    """
    owners: dict[str, str] = {i: "a section of every error page" for i in urls.SECTION_IDS}
    for ci, case in enumerate(entry.cases):
        for suffix in urls.CASE_SECTION_SUFFIXES:
            owners.setdefault(urls.case_section_id(case.anchor, suffix), f"a section id of cases[{ci}]")
    taken: dict[str, int] = {}
    for ci, case in enumerate(entry.cases):
        for ai, text in enumerate([case.description, *case.moved_from]):
            anchor = urls.anchor_for(text)
            loc = ("cases", ci) + (("description",) if ai == 0 else ("moved_from", ai - 1))
            field = f"cases[{ci}]." + ("description" if ai == 0 else f"moved_from[{ai - 1}]")
            if not anchor:
                add(entry, loc, field, "has no letters or digits, so it has no anchor; write the real text")
            elif anchor in taken:
                add(entry, loc, field, f"anchor #{anchor} is also the anchor of cases[{taken[anchor]}]; "
                                       "make the descriptions differ")
            elif anchor in owners:
                add(entry, loc, field, f"anchor #{anchor} is already {owners[anchor]}, so links to it would land "
                                       "there; reword the description")
            else:
                taken[anchor] = ci


def match_strings(entry: ErrorEntry, add: Add) -> None:
    """A message string identifies one case only; one case at most stands for any other message."""
    catch_all = [ci for ci, case in enumerate(entry.cases) if case.any_message]
    for ci in catch_all[1:]:
        add(entry, ("cases", ci, "any_message"), f"cases[{ci}].any_message",
            f"cases[{catch_all[0]}] already stands for any other message; keep any_message on one case")
    matches: dict[str, int] = {}
    for ci, case in enumerate(entry.cases):
        for text in [case.description, *case.match]:
            key = " ".join(text.lower().split())
            if key in matches and matches[key] != ci:
                add(entry, ("cases", ci, "match"), f"cases[{ci}].match",
                    f"'{text}' also identifies cases[{matches[key]}]; a string may identify one case only")
            matches.setdefault(key, ci)


def aliases(entry: ErrorEntry, claimed: dict[str, str], add: Add) -> None:
    """Every code spelling that becomes a URL belongs to exactly one entry."""
    for i, spelling in enumerate(entry.spellings):
        if spelling.lower() != entry.slug or spelling == entry.code:
            add(entry, ("spellings", i), f"spellings[{i}]",
                f"'{spelling}' is not {entry.code} in another letter case; put another code in aliases instead")
    for key in ("aliases", "moved_from"):
        for i, alias in enumerate(getattr(entry, key)):
            _claim(alias.lower(), entry, claimed, add, (key, i), f"{key}[{i}]")
    for ci, case in enumerate(entry.cases):
        for i, alias in enumerate(case.aliases):
            _claim(alias.lower(), entry, claimed, add, ("cases", ci, "aliases", i), f"cases[{ci}].aliases[{i}]")


def _claim(slug: str, entry: ErrorEntry, claimed: dict[str, str], add: Add, loc: tuple, field: str) -> None:
    owner = claimed.get(slug)
    if owner is not None and owner != entry.slug:
        add(entry, loc, field, f"'{slug}' is already the code or alias of {owner}; an alias may point to one entry only")
    elif owner == entry.slug:
        add(entry, loc, field, f"'{slug}' is already this entry's code or one of its aliases; remove the repeat")
    else:
        claimed[slug] = entry.slug


def is_documentation(url: str) -> bool:
    """Salesforce's own docs and Help: they document wording, they do not show a real response.
    Its community forums do (people paste what they got), so they are not documentation."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if any(p in parts.path.lower() for p in COMMUNITY_PATHS) or host.startswith("success."):
        return False
    return host in DOC_HOSTS or host.endswith(tuple("." + h for h in DOC_HOSTS))


def evidence(entry: ErrorEntry, add: Add) -> None:
    for ci, case in enumerate(entry.cases):
        if case.evidence == "reported" and not case.evidence_note:
            add(entry, ("cases", ci, "evidence"), f"cases[{ci}].evidence_note",
                "a 'reported' case needs evidence_note saying what is unconfirmed; add one line")
        if case.evidence == "observed" and all(map(is_documentation, case.sources)):
            add(entry, ("cases", ci, "evidence"), f"cases[{ci}].evidence",
                "'observed' needs a source that shows a real response or log (an issue thread, a pasted "
                "payload), not only Salesforce documentation; add one, or use 'documented'")


def related(catalog: Catalog, entry: ErrorEntry, add: Add) -> None:
    for i, rel in enumerate(entry.related):
        other = catalog.by_slug.get(rel.code.lower())
        loc, field = ("related", i, "code"), f"related[{i}].code"
        if other is None:
            add(entry, loc, field, f"no entry has the code '{rel.code}'; fix the spelling or add "
                                   f"catalog/errors/{rel.code.lower()}.yaml")
        elif other is entry:
            add(entry, loc, field, "an entry cannot be related to itself; remove it")
        elif rel.one_way is None and not any(r.code.lower() == entry.slug for r in other.related):
            add(entry, loc, field, f"{other.code} does not link back; add {entry.code} to related in "
                                   f"{catalog.sources[other.slug].shown}, or set one_way with the reason")


# A step changes a setting when it says to; a step that only reads it, or says not to touch it, does not.
_CHANGES = re.compile(r"\b(?:add|adding|allow|set|switch|turn|enable|grant|give|change|relax|extend|widen|assign|"
                      r"delete|deleting|re-?create|re-?creating|remove)\b", re.I)
_REFRAINS = re.compile(r"\b(?:do not|don't|never)\b", re.I)


def risk_in(text: str) -> str | None:
    """What risky setting or action a step tells the reader to change, or None."""
    if not _CHANGES.search(text) or _REFRAINS.search(text):
        return None
    return next((why for pattern, why in RISKY if pattern.search(text)), None)


def cautions(entry: ErrorEntry, add: Add) -> None:
    """A step that touches a risky setting carries a caution beside it."""
    places = [(("cases", ci, "steps", si), f"cases[{ci}].steps[{si}]", step)
              for ci, case in enumerate(entry.cases) for si, step in enumerate(case.steps)]
    places += [(("checklist", i), f"checklist[{i}]", item) for i, item in enumerate(entry.checklist)]
    for loc, field, step in places:
        why = risk_in(step.text)
        if why and not step.caution:
            add(entry, loc, field, f"this step touches {why}; write it as `text:` plus a `caution:` that says "
                                   "what can go wrong and how to limit it")
