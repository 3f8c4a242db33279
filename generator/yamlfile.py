"""Safe YAML loading that remembers the line of every key and refuses what PyYAML lets slide.

PyYAML keeps the last of two duplicate keys without a word, and expands aliases into shared
objects (a billion-laughs file costs nothing to load but everything to walk). Catalog files are
plain data, so both are refused here with the line to fix.

Files are parsed with libyaml when PyYAML has it (about 20 times faster than pure Python, which
matters at a thousand entries). Any file the fast path does not accept as it stands (a syntax
error, an alias, deep nesting, a duplicate or merge key) is loaded again by the strict pure-Python
loader, so every message and line number comes from one place.

Every document carries a digest of the bytes it was parsed from: under `mkdocs serve`,
generator/page_memo.py keys the pages it keeps by them. In that long-lived process remember()
also keeps each clean file's parsed data, pickled, under its path and digest: the same bytes parse
to the same data, and unpickling takes ~0.02 s where parsing 1,000 error files takes ~0.4 s.
"""
from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from . import two_cores
from .problems import Problem, display_path

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

Location = tuple  # a path into the document: ("cases", 0, "steps")


@dataclass
class YamlDoc:
    path: Path
    data: Any
    _lines: dict[Location, int] | None = None
    _text: str = ""  # kept by the fast path, which finds lines only when a message needs one
    digest: bytes = b""  # of the file's bytes; set by load()

    @property
    def lines(self) -> dict[Location, int]:
        if self._lines is None:
            self._lines = _lines_of(self._text)
        return self._lines

    def line_of(self, loc: Location) -> int:
        """Line of the deepest known part of loc; a missing key points at its parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


class _Refused(Exception):
    def __init__(self, line: int, message: str):
        self.line = line
        self.message = message


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader without aliases. Only plain data can come out of it."""

    def compose_node(self, parent, index):  # noqa: D401 - PyYAML hook
        if self.check_event(AliasEvent):
            event = self.peek_event()
            raise _Refused(
                event.start_mark.line + 1,
                "YAML aliases (*name) are not allowed; write the value out in full",
            )
        depth = getattr(self, "_depth", 0) + 1
        if depth > MAX_DEPTH:
            raise _Refused(self.peek_event().start_mark.line + 1,
                           f"nesting deeper than {MAX_DEPTH} levels; flatten the structure")
        self._depth = depth
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth = depth - 1


# Dates stay strings: the schema parses them, so a bad date gets a schema message, not a crash.
_StrictLoader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}

if getattr(yaml, "CSafeLoader", None) is not None:
    class _FastLoader(yaml.CSafeLoader):
        """libyaml's parser with the strict loader's resolvers (libyaml itself caps nesting at 1000)."""
    _FastLoader.yaml_implicit_resolvers = _StrictLoader.yaml_implicit_resolvers
else:  # PyYAML built without libyaml: every file takes the strict path
    _FastLoader = None


# (path, what) -> (digest of the file's bytes, what was worked out from them) since remember(True):
# each clean file's parsed data, pickled ("data"), and small results such as its secrets scan.
# None: off.
_remembered: dict[tuple[str, str], tuple[bytes, Any]] | None = None


def remember(on: bool) -> None:
    """Keep parsed files for the life of this process (serve's hook and worker), or stop and forget."""
    global _remembered
    if not on:
        _remembered = None
    elif _remembered is None:
        _remembered = {}


def _kept(path: Path, what: str, digest: bytes) -> Any:
    """What was kept for these exact bytes at this path, or None. One version per file: a save
    replaces the last."""
    kept = _remembered.get((str(path), what)) if _remembered is not None else None
    return kept[1] if kept is not None and kept[0] == digest else None


def _keep(path: Path, what: str, digest: bytes, value: Any) -> None:
    if _remembered is not None:
        _remembered[(str(path), what)] = (digest, value)


def same_bytes_same_result(doc: YamlDoc, what: str, compute: Callable[[YamlDoc], list]) -> list:
    """compute(doc), a pure function of the document; while remembering, kept for the same bytes."""
    kept = _kept(doc.path, what, doc.digest)
    if kept is None:
        kept = tuple(compute(doc))
        _keep(doc.path, what, doc.digest, kept)
    return list(kept)


def digest_of(raw: bytes) -> bytes:
    return hashlib.blake2b(raw, digest_size=16).digest()


_reads: dict[str, bytes] | None = None


@contextmanager
def recording() -> Iterator[dict[str, bytes]]:
    """Path -> digest of every document loaded in this block: what a catalog was built from."""
    global _reads
    outer, _reads = _reads, {}
    try:
        yield _reads
    finally:
        _reads = outer


def _record(doc: YamlDoc) -> None:
    if _reads is not None:
        _reads[str(doc.path)] = doc.digest


def load_many(paths: list[Path]) -> list[tuple[YamlDoc | None, list[Problem]]]:
    """load() for each path, in order; a big catalog's files are parsed on two cores."""
    if not two_cores.available(len(paths)):
        return [load(p) for p in paths]
    half = len(paths) // 2
    theirs, ours = two_cores.split(lambda: [load(p) for p in paths[:half]],
                                   lambda: [load(p) for p in paths[half:]])
    for doc, _ in theirs:  # loaded in the child, whose record went with it
        if doc is not None:
            _record(doc)
    return theirs + ours


def load(path: Path) -> tuple[YamlDoc | None, list[Problem]]:
    """Load one file. Returns the document, or None with the problems that stopped it."""
    doc, problems = _load(path)
    if doc is not None:
        _record(doc)
    return doc, problems


def _load(path: Path) -> tuple[YamlDoc | None, list[Problem]]:
    shown = display_path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, [Problem(shown, 1, "", f"cannot read file ({exc.strerror}); check the path and permissions")]
    if len(raw) > MAX_BYTES:
        return None, [Problem(shown, 1, "", f"file is {len(raw):,} bytes, over the {MAX_BYTES:,} limit; split it")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        return None, [Problem(shown, line, "", "not valid UTF-8; save the file as UTF-8")]
    digest = digest_of(raw)
    doc = _recalled(path, text, digest) or _load_fast(path, text, digest)
    if doc is not None:
        return doc, []
    try:
        loader = _StrictLoader(text)
    except yaml.reader.ReaderError as exc:  # control characters are refused before any parsing
        line = text[: exc.position].count("\n") + 1
        return None, [Problem(shown, line, "", f"character #x{exc.character:04x} is not allowed in YAML; delete it")]
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(path, None, {(): 1}, digest=digest), []
        data = loader.construct_document(node)
    except _Refused as exc:
        return None, [Problem(shown, exc.line, "", exc.message)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 1
        what = exc.problem or exc.context or "invalid YAML"
        return None, [Problem(shown, line, "", f"YAML syntax error: {what}; fix the indentation or quoting")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, 1, "", f"YAML error: {' '.join(str(exc).split())}; fix the file")]
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        # e.g. unhashable keys ({[1]: x}) or numbers PyYAML cannot build
        return None, [Problem(shown, 1, "", f"cannot read this YAML ({type(exc).__name__}); use plain keys and values")]
    finally:
        loader.dispose()

    doc = YamlDoc(path, data, {}, digest=digest)
    problems: list[Problem] = []
    _index(node, (), doc.lines, problems, shown)
    return (None if problems else doc), problems


def _recalled(path: Path, text: str, digest: bytes) -> YamlDoc | None:
    """The remembered parse of these exact bytes at this path, as fresh objects; None if there is none."""
    pickled = _kept(path, "data", digest)
    return None if pickled is None else YamlDoc(path, pickle.loads(pickled), None, text, digest)


def _load_fast(path: Path, text: str, digest: bytes) -> YamlDoc | None:
    """The document, or None when anything is wrong with it (the strict loader then says what)."""
    if _FastLoader is None:
        return None
    loader = _FastLoader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return YamlDoc(path, None, {(): 1}, digest=digest)
        data = _build_clean(node, set(), 1, loader)
    except Exception:  # noqa: BLE001 - anything unusual is reported by the strict loader
        return None
    finally:
        loader.dispose()
    if _remembered is not None:
        # Pickled, not kept as objects: bytes are invisible to the cycle collector, which would
        # otherwise walk ~150,000 containers in every collection of the MkDocs build that follows.
        _keep(path, "data", digest, pickle.dumps(data, protocol=pickle.HIGHEST_PROTOCOL))
    return YamlDoc(path, data, None, text, digest)


class _NotClean(Exception):
    """Something the strict path refuses or explains; the fast path gives up."""


_STR, _MAP, _SEQ = ("tag:yaml.org,2002:" + t for t in ("str", "map", "seq"))


def _lines_of(text: str) -> dict[Location, int]:
    """Line of every key and item of a document the fast path accepted (so it composes cleanly)."""
    loader = (_FastLoader or _StrictLoader)(text)
    try:
        lines: dict[Location, int] = {}
        node = loader.get_single_node()
        if node is not None:
            _index(node, (), lines, [], "")
        return lines or {(): 1}
    finally:
        loader.dispose()


def _build_clean(node: Node, seen: set[int], depth: int, loader) -> Any:
    """The data of a document with nothing to report.

    Lines are not recorded here: most loads report nothing, and _lines_of finds them when one does.

    Plain strings, mappings and lists are built here (most of a catalog file); other scalars go
    to PyYAML's constructor. libyaml resolves an alias to the node it names, so a node met twice is
    an alias; the check comes before the walk goes down, so an alias bomb stops at its first repeat.
    """
    if id(node) in seen or depth > MAX_DEPTH:
        raise _NotClean
    seen.add(id(node))
    if isinstance(node, ScalarNode):
        return node.value if node.tag == _STR else loader.construct_object(node)
    if isinstance(node, MappingNode) and node.tag == _MAP:
        out: dict[Any, Any] = {}
        written: set[str] = set()  # keys as written: the strict path calls 400 and '400' duplicates
        for key_node, value_node in node.value:
            if not isinstance(key_node, ScalarNode) or key_node.value == "<<" or key_node.value in written \
                    or id(key_node) in seen:
                raise _NotClean
            seen.add(id(key_node))
            written.add(key_node.value)
            key = key_node.value if key_node.tag == _STR else loader.construct_object(key_node)
            if key in out:
                raise _NotClean
            out[key] = _build_clean(value_node, seen, depth + 1, loader)
        return out
    if isinstance(node, SequenceNode) and node.tag == _SEQ:
        return [_build_clean(item, seen, depth + 1, loader) for item in node.value]
    raise _NotClean  # a tagged collection (!!set, !!omap, ...): the strict path decides


def _index(node: Node, loc: Location, lines: dict, problems: list[Problem], shown: str) -> None:
    lines.setdefault(loc, node.start_mark.line + 1)
    if isinstance(node, MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            line = key_node.start_mark.line + 1
            if key == "<<":
                problems.append(Problem(shown, line, "<<", "YAML merge keys are not allowed; write the fields out"))
                continue
            if key in seen:
                problems.append(Problem(
                    shown, line, _dotted(loc + (key,)),
                    f"duplicate key (first on line {seen[key]}); YAML would silently keep only the last, so remove one",
                ))
                continue
            seen[key] = line
            lines[loc + (key,)] = line
            _index(value_node, loc + (key,), lines, problems, shown)
    elif isinstance(node, SequenceNode):
        for i, item in enumerate(node.value):
            lines[loc + (i,)] = item.start_mark.line + 1
            _index(item, loc + (i,), lines, problems, shown)


def _dotted(loc: Location) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


dotted = _dotted
