"""Company overlays: a fork's own additions in catalog/local/errors/, kept apart from upstream files.

Upstream owns catalog/errors/ and never ships a file under catalog/local/, so a fork that writes
only under catalog/local/ merges upstream updates without conflicts. A file there is either

- an overlay (`extends: <upstream code>`): notes, contacts and extra steps added to an upstream
  entry and to its cases (by anchor). Upstream text is shown first and never changed; the
  additions follow it, marked as the company's; or
- a full entry with a code upstream does not have (same fields as catalog/errors/*.yaml).

An overlay for an unknown code or anchor, or a local entry that reuses an upstream code, is an error.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from pydantic import Field

from ..urls import anchor_for
from . import secrets, yaml_source
from .problems import Problem, display_path, parse
from .schema import Code, ErrorEntry, FixStep, Line, Note, Strict


class Contact(Strict):
    name: Line = Field(description="A person, team or channel.")
    how: Line = Field(description="How to reach them: a pager service, a channel, a phone rota.")
    when: Line | None = Field(None, description="When to reach them, e.g. 'if the app must be re-created'.")


class CaseAdditions(Strict):
    anchor: Line = Field(description="The upstream case's anchor, e.g. expired-access-refresh-token.")
    notes: list[Note] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    steps: list[FixStep] = Field(default_factory=list, description="Extra steps, after the upstream ones.")


class Overlay(Strict):
    extends: Code = Field(description="The upstream error code this file adds to.")
    notes: list[Note] = Field(default_factory=list)
    contacts: list[Contact] = Field(default_factory=list)
    steps: list[FixStep] = Field(default_factory=list, description="Extra steps for the whole error.")
    cases: list[CaseAdditions] = Field(default_factory=list)


@dataclass(frozen=True)
class Additions:
    """An overlay checked against its upstream entry, case additions keyed by current anchor."""
    source: str
    notes: tuple = ()
    contacts: tuple = ()
    steps: tuple = ()
    cases: dict[str, CaseAdditions] = field(default_factory=dict)
    file: str = ""  # the overlay's path as read, a key of Catalog.files

    def case(self, anchor: str) -> CaseAdditions | None:
        return self.cases.get(anchor)


@dataclass
class Local:
    entries: list[tuple[ErrorEntry, yaml_source.YamlDoc]] = field(default_factory=list)
    overlays: dict[str, Additions] = field(default_factory=dict)


def load(folder: Path, upstream: dict[str, ErrorEntry], upstream_files: dict[str, str],
         problems: list[Problem]) -> Local:
    """Read catalog/local/errors/*.yaml. `upstream` maps code slug -> entry, `upstream_files` -> its file."""
    local = Local()
    for doc in secrets.load_folder(folder, problems):
        path = doc.path
        shown = display_path(path)
        # A full entry has a code; anything else is read as an overlay (so a typo'd `extends`
        # gets an overlay's messages, not forty missing-field messages of an error entry).
        if isinstance(doc.data, dict) and "code" not in doc.data:
            overlay = parse(doc, Overlay, problems)
            if overlay is not None:
                _add_overlay(overlay, doc, shown, upstream, local, problems)
            continue
        entry = parse(doc, ErrorEntry, problems)
        if entry is None:
            continue
        line = doc.line_of(("code",))
        if entry.slug in upstream:
            problems.append(Problem(shown, line, "code",
                                    f"{entry.code} is an upstream entry ({upstream_files[entry.slug]}); a local "
                                    f"entry needs a new code. To add to the upstream one, replace this file "
                                    f"with `extends: {upstream[entry.slug].code}` and your notes and steps"))
        elif path.stem != entry.slug:
            problems.append(Problem(shown, line, "code",
                                    f"file name does not match the code; rename the file to {entry.slug}.yaml"))
        else:
            local.entries.append((entry, doc))
    return local


def _add_overlay(overlay: Overlay, doc, shown: str, upstream: dict[str, ErrorEntry], local: Local,
                 problems: list[Problem]) -> None:
    slug = overlay.extends.lower()
    entry = upstream.get(slug)
    if entry is None:
        problems.append(Problem(shown, doc.line_of(("extends",)), "extends",
                                f"no upstream entry has the code '{overlay.extends}'; copy the code from "
                                "catalog/errors/<code>.yaml exactly"))
        return
    if doc.path.stem != slug:
        problems.append(Problem(shown, doc.line_of(("extends",)), "extends",
                                f"file name does not match the code it extends; rename the file to {slug}.yaml"))
        return
    current = {c.anchor: c.anchor for c in entry.cases}
    moved = {anchor_for(old): c.anchor for c in entry.cases for old in c.moved_from}
    cases: dict[str, CaseAdditions] = {}
    for n, extra in enumerate(overlay.cases):
        loc = ("cases", n, "anchor")
        where = f"cases[{n}].anchor"
        anchor = extra.anchor.lstrip("#")
        if anchor in current:
            target = anchor
        elif anchor in moved:
            target = moved[anchor]
            problems.append(Problem(shown, doc.line_of(loc), where,
                                    f"#{anchor} was renamed upstream to #{target}; update the anchor", "warning"))
        else:
            problems.append(Problem(shown, doc.line_of(loc), where,
                                    f"{entry.code} has no case #{anchor}; use one of "
                                    + ", ".join(f"#{a}" for a in current)))
            continue
        if target in cases:
            problems.append(Problem(shown, doc.line_of(loc), where,
                                    f"#{target} is listed twice; merge the two into one"))
            continue
        cases[target] = extra
    local.overlays[slug] = Additions(shown, tuple(overlay.notes), tuple(overlay.contacts),
                                     tuple(overlay.steps), cases, str(doc.path))
