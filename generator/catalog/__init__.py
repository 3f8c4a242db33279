"""Load and validate the catalog folder into one immutable Catalog, or raise CatalogError.

Two passes: every file is checked against its schema on its own, then the cross-references
(categories, flows, Setup paths, related codes, anchors, aliases) are checked across files.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from ..config import CATALOG_DIR
from . import inventory, overlays, rules, yaml_source
from .problems import CatalogError, Problem, display_path, parse
from .schema import Category, ErrorEntry, Family, Flow, LoginHistoryStatus, ReferenceEntry, ReferenceList, SetupPath

M = TypeVar("M", bound=BaseModel)

@dataclass(frozen=True)
class Source:
    """Where an entry came from, for edit links and messages."""
    path: Path
    doc: yaml_source.YamlDoc

    @property
    def shown(self) -> str:
        return display_path(self.path)

    def line(self, *loc: Any) -> int:
        return self.doc.line_of(loc)


@dataclass(frozen=True)
class Reference:
    """A reference entry with the list it comes from (the second tier: no runbook yet)."""
    entry: ReferenceEntry
    family: str
    list_name: str
    list_source: str
    source: Source
    index: int          # position in the file's entries, for line numbers

    @property
    def code(self) -> str:
        return self.entry.code

    @property
    def slug(self) -> str:
        return self.entry.code.lower()

    def line(self, *loc: Any) -> int:
        return self.source.line("entries", self.index, *loc)


@dataclass(frozen=True)
class Catalog:
    families: dict[str, Family]
    categories: dict[str, Category]
    flows: dict[str, Flow]
    setup_paths: dict[str, SetupPath]
    login_history: dict[str, LoginHistoryStatus]
    errors: tuple[ErrorEntry, ...]  # sorted by code, case-insensitively
    sources: dict[str, Source] = field(default_factory=dict)  # code -> file
    # A fork's own parts: integration inventories, overlays on upstream entries (by code slug),
    # codes of its local full entries, and warnings that do not fail validation.
    integrations: tuple[inventory.Integration, ...] = ()
    integrations_are_examples: bool = False  # upstream's examples, shown while a fork has none of its own
    integration_sources: dict[str, Source] = field(default_factory=dict)  # id -> file
    overlays: dict[str, overlays.Additions] = field(default_factory=dict)
    local_codes: frozenset[str] = frozenset()
    warnings: tuple[Problem, ...] = ()
    # Reference entries whose code has no runbook (a runbook takes over its code's page), by code.
    references: tuple[Reference, ...] = ()
    shadowed_references: int = 0   # reference entries a runbook took over

    def __repr__(self) -> str:  # the full tree is megabytes; keep test failures readable
        return f"Catalog({len(self.errors)} errors)"

    def error(self, code: str) -> ErrorEntry:
        return self.by_slug[code.lower()]

    @cached_property
    def by_slug(self) -> dict[str, ErrorEntry]:
        return {e.slug: e for e in self.errors}

    @cached_property
    def reference_by_slug(self) -> dict[str, Reference]:
        return {r.slug: r for r in self.references}


def load_catalog(root: Path = CATALOG_DIR) -> Catalog:
    catalog, problems = _load(root)
    if any(p.severity == "error" for p in problems):
        raise CatalogError(problems)
    return replace(catalog, warnings=tuple(sorted(problems)))


def _load(root: Path) -> tuple[Catalog, list[Problem]]:
    problems: list[Problem] = []
    families = _load_folder(root / "families", Family, problems)
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
    for path in files:
        doc, found = yaml_source.load(path)
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
    # A fork's own inventories; upstream's examples (integrations/examples/) only while it has none,
    # so a fork never has to delete upstream files (and never merges their changes by hand).
    inventories = inventory.load(root / "integrations", problems)
    examples = not inventories
    if examples:
        inventories = inventory.load(root / "integrations" / "examples", problems)
    if flows is not None:
        problems += inventory.check_problems(inventories, flows)

    references, shadowed = _load_references(root / "reference", errors, problems)
    catalog = Catalog(
        references=references,
        shadowed_references=shadowed,
        families=families,
        categories=categories or {},
        flows=flows or {},
        setup_paths=setup_paths or {},
        login_history=login_history or {},
        errors=tuple(sorted(errors, key=lambda e: e.slug)),
        sources=sources,
        integrations=tuple(i for i, _ in inventories),
        integrations_are_examples=examples and bool(inventories),
        integration_sources={i.id: Source(doc.path, doc) for i, doc in inventories},
        overlays=local.overlays,
        local_codes=frozenset(e.slug for e, _ in local.entries),
    )
    if not any(p.severity == "error" for p in problems):
        problems += rules.check(catalog)
    return catalog, problems


def runbook_spellings(errors) -> set[str]:
    """Every lower-case code spelling a runbook answers to: its code, spellings, aliases, former codes."""
    out: set[str] = set()
    for e in errors:
        out |= {e.slug, *(x.lower() for x in (*e.spellings, *e.aliases, *e.moved_from))}
        out |= {a.lower() for c in e.cases for a in c.aliases}
    return out


def _load_references(folder: Path, errors: list[ErrorEntry], problems: list[Problem]) -> tuple[tuple[Reference, ...], int]:
    """catalog/reference/*.yaml; entries whose code a runbook answers to are left out (the runbook wins)."""
    taken = runbook_spellings(errors)
    out: dict[str, Reference] = {}
    shadowed = 0
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        doc, found = yaml_source.load(path)
        problems += found
        if doc is None or (lst := parse(doc, ReferenceList, problems)) is None:
            continue
        source = Source(path, doc)
        for i, entry in enumerate(lst.entries):
            ref = Reference(entry, lst.family, lst.list_name, lst.list_source, source, i)
            if ref.slug in taken:
                shadowed += 1
            elif ref.slug in out:
                problems.append(Problem(source.shown, ref.line("code"), f"entries[{i}].code",
                                        f"{entry.code} is already listed in {out[ref.slug].source.shown}:"
                                        f"{out[ref.slug].line('code')}; keep one reference entry per code"))
            else:
                out[ref.slug] = ref
    return tuple(sorted(out.values(), key=lambda r: r.slug)), shadowed


def _is_id(text: str) -> bool:
    """An id of a shared table or a family file: lowercase letters, digits, underscores; a letter first."""
    return text.replace("_", "a").isalnum() and text[:1].isalpha() and text == text.lower()


def _load_folder(folder: Path, model: type[M], problems: list[Problem]) -> dict[str, M]:
    """A folder of files, one entry each: the file name (without .yaml) is the id."""
    out: dict[str, M] = {}
    for path in sorted(folder.glob("*.yaml")) if folder.is_dir() else []:
        if not _is_id(path.stem):
            problems.append(Problem(display_path(path), 1, "", "file names are ids: lowercase letters, digits and "
                                    "underscores, starting with a letter; rename the file"))
            continue
        doc, found = yaml_source.load(path)
        problems += found
        if doc is not None and (item := parse(doc, model, problems)) is not None:
            out[path.stem] = item
    if not out:
        problems.append(Problem(display_path(folder), 1, "", f"no {folder.name} found; add {display_path(folder)}/<id>.yaml"))
    return out


def _load_table(path: Path, model: type[M], problems: list[Problem]) -> dict[str, M] | None:
    """A mapping file: id -> entry."""
    doc, found = yaml_source.load(path)
    problems += found
    if doc is None:
        return None
    if not isinstance(doc.data, dict):
        problems.append(Problem(display_path(path), 1, "", "expected a mapping of id: entry; see the comments at the top"))
        return None
    out: dict[str, M] = {}
    for key in doc.data:
        if not isinstance(key, str) or not _is_id(key):
            problems.append(Problem(display_path(path), doc.line_of((key,)), str(key),
                                    "ids are lowercase letters, digits and underscores, starting with a letter; rename it"))
            continue
        item = parse(doc, model, problems, at=(key,))
        if item is not None:
            out[key] = item
    return out


def _load_login_history(path: Path, problems: list[Problem]) -> dict[str, LoginHistoryStatus] | None:
    doc, found = yaml_source.load(path)
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
