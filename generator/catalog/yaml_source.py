"""Strict YAML with the line of every key, in one libyaml pass.

PyYAML keeps the last of two duplicate keys without a word and expands aliases into shared objects
(a billion-laughs file costs nothing to load and everything to walk). Catalog files are plain data,
so this loader composes the node tree with libyaml and walks it once: it refuses aliases, merge keys,
duplicate keys, tagged collections and deep nesting with the line to fix, records the line of every
key and item, and builds the data.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .problems import Problem, display_path, dotted

MAX_BYTES = 1_000_000
MAX_DEPTH = 40

Location = tuple  # a path into the document: ("cases", 0, "steps")

_STR, _MAP, _SEQ = ("tag:yaml.org,2002:" + t for t in ("str", "map", "seq"))
_PLAIN_SCALARS = {"tag:yaml.org,2002:" + t for t in ("str", "int", "float", "bool", "null")}


class _Loader(yaml.CSafeLoader if yaml.__with_libyaml__ else yaml.SafeLoader):
    """Safe scalars only; dates stay strings so the schema, not the parser, judges them."""


_Loader.yaml_implicit_resolvers = {
    key: [(tag, rx) for tag, rx in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


@dataclass
class YamlDoc:
    path: Path
    data: Any
    lines: dict[Location, int] = field(default_factory=lambda: {(): 1})

    def line_of(self, loc: Location) -> int:
        """Line of the deepest known part of loc; a missing key points at its parent."""
        loc = tuple(loc)
        while loc:
            if loc in self.lines:
                return self.lines[loc]
            loc = loc[:-1]
        return self.lines.get((), 1)


class _Refused(Exception):
    def __init__(self, line: int, field: str, message: str):
        self.line, self.field, self.message = line, field, message


def load(path: Path) -> tuple[YamlDoc | None, list[Problem]]:
    """One file: the document, or None with the problem that stopped it."""
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
    try:
        loader = _Loader(text)
    except yaml.reader.ReaderError as exc:  # the pure-Python reader checks characters up front
        return None, [_bad_character(shown, text, exc)]
    try:
        node = loader.get_single_node()
        doc = YamlDoc(path, None)
        if node is None:
            return doc, []
        walk = _Walk(loader, doc.lines, shown)
        doc.data = walk.value(node, (), 1)
        return (None, walk.problems) if walk.problems else (doc, [])
    except _Refused as exc:
        return None, [Problem(shown, exc.line, exc.field, exc.message)]
    except yaml.reader.ReaderError as exc:
        return None, [_bad_character(shown, text, exc)]
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        what = exc.problem or exc.context or "invalid YAML"
        if "control characters" in what or "special characters" in what:
            return None, [Problem(shown, mark.line + 1 if mark else 1, "",
                                  "a control character is not allowed in YAML; delete it")]
        return None, [Problem(shown, mark.line + 1 if mark else 1, "",
                              f"YAML syntax error: {what}; fix the indentation or quoting")]
    except yaml.YAMLError as exc:
        return None, [Problem(shown, 1, "", f"YAML error: {' '.join(str(exc).split())}; fix the file")]
    except (RecursionError, ValueError, TypeError, OverflowError) as exc:
        return None, [Problem(shown, 1, "", f"cannot read this YAML ({type(exc).__name__}); use plain keys and values")]
    finally:
        loader.dispose()


def _bad_character(shown: str, text: str, exc: yaml.reader.ReaderError) -> Problem:
    line = text[: exc.position].count("\n") + 1
    return Problem(shown, line, "", f"character #x{exc.character:04x} is not allowed in YAML; delete it")


class _Walk:
    """Builds plain data from a node tree, refusing what a catalog file may not contain."""

    def __init__(self, loader: yaml.SafeLoader, lines: dict[Location, int], shown: str):
        self.loader = loader
        self.lines = lines
        self.shown = shown
        self.problems: list[Problem] = []  # duplicate and merge keys: every one is reported
        self.seen: set[int] = set()  # libyaml resolves an alias to the node it names: a node met twice is one

    def value(self, node: Node, loc: Location, depth: int) -> Any:
        line = node.start_mark.line + 1
        if id(node) in self.seen:  # name the line where the alias is used, not where its anchor is
            raise _Refused(self.lines.get(loc, line), dotted(loc),
                           "YAML aliases (*name) are not allowed; write the value out in full")
        if depth > MAX_DEPTH:
            raise _Refused(line, dotted(loc), f"nesting deeper than {MAX_DEPTH} levels; flatten the structure")
        self.seen.add(id(node))
        self.lines.setdefault(loc, line)
        if isinstance(node, ScalarNode) and node.tag in _PLAIN_SCALARS:
            return node.value if node.tag == _STR else self.loader.construct_object(node)
        if isinstance(node, MappingNode) and node.tag == _MAP:
            return self.mapping(node, loc, depth)
        if isinstance(node, SequenceNode) and node.tag == _SEQ:
            out = []
            for i, item in enumerate(node.value):
                self.lines[loc + (i,)] = item.start_mark.line + 1
                out.append(self.value(item, loc + (i,), depth + 1))
            return out
        raise _Refused(line, dotted(loc), f"the tag {node.tag} is not allowed; write plain keys, lists and values")

    def mapping(self, node: MappingNode, loc: Location, depth: int) -> dict:
        out: dict[Any, Any] = {}
        first: dict[str, int] = {}  # keys as written, so 400 and '400' count as the same key
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if id(key_node) in self.seen:
                raise _Refused(line, dotted(loc), "YAML aliases (*name) are not allowed; write the value out in full")
            if isinstance(key_node, ScalarNode) and key_node.value == "<<":
                self.problems.append(Problem(self.shown, line, "<<",
                                             "YAML merge keys are not allowed; write the fields out"))
                continue
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _PLAIN_SCALARS:
                raise _Refused(line, dotted(loc), "keys must be plain words; write the key as text")
            self.seen.add(id(key_node))
            key = key_node.value if key_node.tag == _STR else self.loader.construct_object(key_node)
            if key_node.value in first or key in out:
                earlier = first.get(key_node.value) or self.lines.get(loc + (key,), line)
                self.problems.append(Problem(
                    self.shown, line, dotted(loc + (key,)),
                    f"duplicate key (first on line {earlier}); YAML would silently keep only the last, so remove one"))
                continue
            first[key_node.value] = line
            self.lines[loc + (key,)] = line
            out[key] = self.value(value_node, loc + (key,), depth + 1)
        return out

