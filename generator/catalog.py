"""Load and validate the catalog folder into one immutable Catalog, or raise CatalogError.

Two passes: every file is checked against its schema on its own, then the cross-references
(categories, flows, Setup paths, related codes, anchors, aliases) are checked across files.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from . import inventory, overlays, yamlfile
from .model_parse import parse
from .paths import CATALOG_DIR
from .problems import CatalogError, Problem, display_path
from .schema import Category, ErrorEntry, Flow, LoginHistoryStatus, SetupPath
from .slug import anchor_for

M = TypeVar("M", bound=BaseModel)

# Section anchors on every error page; a case anchor may not take one of these.
SECTION_ANCHORS = frozenset({
    "cases", "at-a-glance", "what-the-platform-is-checking", "in-the-wild", "broken-examples",
    "fixed-example", "settings-to-verify", "background", "edge-cases", "defensive-habits",
    "recovery-checklist", "if-the-error-changes", "related-errors", "further-reading", "about-this-entry",
})


@dataclass(frozen=True)
class Source:
    """Where an entry came from, for edit links and messages."""
    path: Path
    doc: yamlfile.YamlDoc

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def line(self, *loc: Any) -> int:
        return self.doc.line_of(loc)


@dataclass(frozen=True)
class Catalog:
    categories: dict[str, Category]
    flows: dict[str, Flow]
    setup_paths: dict[str, SetupPath]
    login_history: dict[str, LoginHistoryStatus]
    errors: tuple[ErrorEntry, ...]  # sorted by code, case-insensitively
    sources: dict[str, Source] = field(default_factory=dict)  # code -> file
    # A fork's own parts: integration inventories, overlays on upstream entries (by code slug),
    # codes of its local full entries, and warnings that do not fail validation.
    integrations: tuple[inventory.Integration, ...] = ()
    integration_sources: dict[str, Source] = field(default_factory=dict)  # id -> file
    overlays: dict[str, overlays.Additions] = field(default_factory=dict)
    local_codes: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()
    files: dict[str, bytes] = field(default_factory=dict)  # every file read -> digest of its bytes

    def __repr__(self) -> str:  # the full tree is megabytes; keep test failures readable
        return f"Catalog({len(self.errors)} errors)"

    def error(self, code: str) -> ErrorEntry:
        return self._by_slug[code.lower()]

    @property
    def _by_slug(self) -> dict[str, ErrorEntry]:
        # Cached on first use; the dataclass is frozen so bypass __setattr__.
        cache = self.__dict__.get("_slug_cache")
        if cache is None:
            cache = {e.slug: e for e in self.errors}
            object.__setattr__(self, "_slug_cache", cache)
        return cache


def load_catalog(root: Path = CATALOG_DIR) -> Catalog:
    with yamlfile.recording() as files:
        catalog, problems = _load(root)
    if any(p.severity == "error" for p in problems):
        raise CatalogError(problems)
    return replace(catalog, warnings=tuple(sorted(problems)), files=files)


def _load(root: Path) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    categories = _load_table(root / "categories.yaml", Category, problems)
    flows = _load_table(root / "flows.yaml", Flow, problems)
    setup_paths = _load_table(root / "setup_paths.yaml", SetupPath, problems)
    login_history = _load_login_history(root / "login_history.yaml", problems)

    errors: list[ErrorEntry] = []
    sources: dict[str, Source] = {}
    error_dir = root / "errors"
    files = sorted(error_dir.glob("*.yaml")) if error_dir.is_dir() else []
    if not files:
        problems.append(Problem(display_path(error_dir), 1, "", "no error entries found; add catalog/errors/<code>.yaml"))
    for path, (doc, found) in zip(files, yamlfile.load_many(files)):
        problems += found
        if doc is None:
            continue
        entry = parse(doc, ErrorEntry, problems)
        if entry is None:
            continue
        source = Source(path, doc)
        if path.stem != entry.slug:
            problems.append(Problem(source.shown, source.line("code"), "code",
                                    f"file name does not match the code; rename the file to {entry.slug}.yaml"))
        if entry.slug in sources:
            other = sources[entry.slug]
            problems.append(Problem(source.shown, source.line("code"), "code",
                                    f"code {entry.code} is already defined in {other.shown}; keep one entry per code"))
            continue
        sources[entry.slug] = source
        errors.append(entry)

    local = overlays.load(root / "local" / "errors", {e.slug: e for e in errors},
                          {slug: src.shown for slug, src in sources.items()}, problems)
    for entry, doc in local.entries:
        sources[entry.slug] = Source(doc.path, doc)
        errors.append(entry)
    inventories = inventory.load(root / "integrations", problems)
    if flows is not None:
        problems += inventory.check_problems(inventories, flows)

    catalog = Catalog(
        categories=categories or {},
        flows=flows or {},
        setup_paths=setup_paths or {},
        login_history=login_history or {},
        errors=tuple(sorted(errors, key=lambda e: e.slug)),
        sources=sources,
        integrations=tuple(i for i, _ in inventories),
        integration_sources={i.id: Source(doc.path, doc) for i, doc in inventories},
        overlays=local.overlays,
        local_codes=frozenset(e.slug for e, _ in local.entries),
    )
    if not any(p.severity == "error" for p in problems):
        problems += cross_check(catalog)
    return catalog, problems


def _load_table(path: Path, model: type[M], problems: list[Problem]) -> dict[str, M] | None:
    """A mapping file: id -> entry."""
    doc, found = yamlfile.load(path)
    problems += found
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(display_path(path), 1, "", "expected a mapping of id: entry; see the comments at the top"))
        return None
    out: dict[str, M] = {}
    for key in doc.data:
        if not isinstance(key, str) or not key.replace("_", "a").isalnum() or not key[:1].isalpha() or key != key.lower():
            problems.append(Problem(display_path(path), doc.line_of((key,)), str(key),
                                    "ids are lowercase letters, digits and underscores, starting with a letter; rename it"))
            continue
        item = parse(doc, model, problems, at=(key,))
        if item is not None:
            out[key] = item
    return out


def _load_login_history(path: Path, problems: list[Problem]) -> dict[str, LoginHistoryStatus] | None:
    doc, found = yamlfile.load(path)
    problems += found
    if doc is None:
        return None
    if not isinstance(doc.data, list):
        problems.append(Problem(display_path(path), 1, "", "expected a list of statuses; see the comments at the top"))
        return None
    out: dict[str, LoginHistoryStatus] = {}
    for i in range(len(doc.data)):
        item = parse(doc, LoginHistoryStatus, problems, at=(i,))
        if item is None:
            continue
        if item.status in out:
            problems.append(Problem(display_path(path), doc.line_of((i, "status")), f"[{i}].status",
                                    "status listed twice; keep one"))
        out[item.status] = item
    return out


def cross_check(catalog: Catalog) -> list[Problem]:
    """Checks that span files. Each message names the file, the line and the fix."""
    problems: list[Problem] = []
    by_slug = {e.slug: e for e in catalog.errors}
    # Every spelling that becomes a URL must belong to exactly one entry.
    claimed: dict[str, str] = {slug: slug for slug in by_slug}

    def add(entry: ErrorEntry, loc: tuple, field: str, message: str, severity: str = "error") -> None:
        src = catalog.sources[entry.slug]
        problems.append(Problem(src.shown, src.line(*loc), field, message, severity))

    for entry in catalog.errors:
        if entry.category not in catalog.categories:
            add(entry, ("category",), "category",
                f"unknown category '{entry.category}'; use one of {', '.join(sorted(catalog.categories))} or add it to catalog/categories.yaml")
        for key in ("aliases", "moved_from"):
            for i, alias in enumerate(getattr(entry, key)):
                _claim(alias.lower(), entry, claimed, add, (key, i), f"{key}[{i}]")
        for i, setting in enumerate(entry.settings_to_verify):
            if setting.setup_path not in catalog.setup_paths:
                add(entry, ("settings_to_verify", i, "setup_path"), f"settings_to_verify[{i}].setup_path",
                    f"unknown Setup path '{setting.setup_path}'; add it to catalog/setup_paths.yaml or use an existing id")
        anchors: dict[str, int] = {}
        descriptions = {c.description for c in entry.cases}
        matches: dict[str, int] = {}
        for ci, case in enumerate(entry.cases):
            here = ("cases", ci)
            f = f"cases[{ci}]"
            for ai, text in enumerate([case.description, *case.moved_from]):
                anchor = anchor_for(text)
                loc = here + (("description",) if ai == 0 else ("moved_from", ai - 1))
                if not anchor:
                    add(entry, loc, f + ".description", "has no letters or digits, so it has no anchor; write the real text")
                elif anchor in SECTION_ANCHORS:
                    add(entry, loc, f + ".description", f"anchor #{anchor} is a section name on every page; reword the description")
                elif anchor in anchors:
                    add(entry, loc, f + ".description",
                        f"anchor #{anchor} is also the anchor of cases[{anchors[anchor]}]; make the descriptions differ")
                else:
                    anchors[anchor] = ci
            for text in [case.description, *case.match]:
                key = " ".join(text.lower().split())
                if key in matches and matches[key] != ci:
                    add(entry, here + ("match",), f + ".match",
                        f"'{text}' also identifies cases[{matches[key]}]; a string may identify one case only")
                matches.setdefault(key, ci)
            for i, alias in enumerate(case.aliases):
                _claim(alias.lower(), entry, claimed, add, here + ("aliases", i), f"{f}.aliases[{i}]")
            if case.evidence == "reported" and not case.evidence_note:
                add(entry, here + ("evidence",), f + ".evidence_note",
                    "a 'reported' case needs evidence_note saying what is unconfirmed; add one line")
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
                        f"unknown Login History status '{status}'; add it to catalog/login_history.yaml or copy its exact text")
        for i, example in enumerate(entry.broken_examples):
            if example.case is not None and example.case not in descriptions:
                add(entry, ("broken_examples", i, "case"), f"broken_examples[{i}].case",
                    f"no case has the description '{example.case}'; copy a case's description exactly")
        for i, rel in enumerate(entry.related):
            other = by_slug.get(rel.code.lower())
            loc = ("related", i, "code")
            if other is None:
                add(entry, loc, f"related[{i}].code", f"no entry has the code '{rel.code}'; fix the spelling or add catalog/errors/{rel.code.lower()}.yaml")
            elif other is entry:
                add(entry, loc, f"related[{i}].code", "an entry cannot be related to itself; remove it")
            elif rel.one_way is None and not any(r.code.lower() == entry.slug for r in other.related):
                add(entry, loc, f"related[{i}].code",
                    f"{other.code} does not link back; add {entry.code} to related in {catalog.sources[other.slug].shown}, or set one_way with the reason")
    return problems


def _claim(slug: str, entry: ErrorEntry, claimed: dict[str, str], add, loc: tuple, field: str) -> None:
    owner = claimed.get(slug)
    if owner is not None and owner != entry.slug:
        add(entry, loc, field, f"'{slug}' is already the code or alias of {owner}; an alias may point to one entry only")
    elif owner == entry.slug:
        add(entry, loc, field, f"'{slug}' is already this entry's code or one of its aliases; remove the repeat")
    else:
        claimed[slug] = entry.slug
