"""The decision tree: from the error an on-call engineer sees to the case that explains it.

A pure function of the catalog, so adding a case adds its leaf and nothing is drawn by hand.
The first question is the error code; then the message text. A code with one case leads straight
to its leaf. Where several cases share one message text, the flow and then the Login History
status split them, but only when the catalog's data really tells them apart; no question is
ever asked that has a single answer. (The validator keeps message texts unique within a code,
so the real catalog never needs the third question; the rule is here for catalogs that allow it.)
"""
from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from .catalog import Catalog
from .schema import Case, ErrorEntry
from .slug import anchor_for, page_for

# What each question asks, in Markdown (backticks are code). The SVG drops the backticks.
QUESTION_TEXT = {
    "code": "What is the `error` / `errorCode` value?",
    "message": "What does `error_description` / the message say?",
    "flow": "Which OAuth flow does the integration use?",
    "login_history": "What does Login History say for the integration user?",
}


@dataclass(frozen=True)
class Leaf:
    """One case of the catalog: where a walk through the tree ends."""
    entry: ErrorEntry
    case: Case

    @property
    def id(self) -> str:
        # Unique on the page: a slug has no '-' and an anchor never contains '--'.
        return f"{self.entry.slug}--{self.case.anchor}"

    @property
    def key(self) -> str:
        """'<code>#<anchor>': names the case in data attributes and tests."""
        return f"{self.entry.slug}#{self.case.anchor}"

    @property
    def target(self) -> str:
        """The full case, as a docs/ Markdown path with anchor."""
        return f"errors/{self.entry.slug}.md#{self.case.anchor}"

    @property
    def url(self) -> str:
        """The full case, as a site URL relative to the site root (the URL contract)."""
        return f"{page_for(self.entry.code)}#{self.case.anchor}"


@dataclass(frozen=True)
class Answer:
    label: str                # what the reader recognises: a code, a message, a flow, a status
    child: Question | Leaf
    group: str | None = None  # category id, only on answers to the code question


@dataclass(frozen=True)
class Question:
    id: str
    asks: str                 # a key of QUESTION_TEXT
    answers: tuple[Answer, ...]
    entry: ErrorEntry | None = None  # the error code it is about; None for the first question

    @property
    def text(self) -> str:
        return QUESTION_TEXT[self.asks]


Node = Question | Leaf


def code_section_id(entry: ErrorEntry) -> str:
    """Id of the page section for one error code (slugs are [a-z0-9_], safe in an id)."""
    return f"code-{entry.slug}"


def build_tree(catalog: Catalog) -> Question:
    """The whole tree. Codes are ordered by category (as in the error index), then by code."""
    order = {cid: (cat.order, cid) for cid, cat in catalog.categories.items()}
    entries = sorted(catalog.errors, key=lambda e: (order.get(e.category, (math.inf, e.category)), e.slug))
    answers = tuple(Answer(e.code, _narrow(catalog, e, list(e.cases), code_section_id(e), ()), group=e.category)
                    for e in entries)
    return Question("q-code", "code", answers)


# The questions asked after the code, in order, each with the answers that lead to a case.
# 'any' flow means every flow, so such a case cannot be told apart by its flow.
FOLLOW_UPS: tuple[tuple[str, Callable[[Case], list[str]]], ...] = (
    ("message", lambda case: [" ".join(case.description.lower().split())]),
    ("flow", lambda case: [] if "any" in case.flows else list(case.flows)),
    ("login_history", lambda case: list(case.login_history)),
)


def _narrow(catalog: Catalog, entry: ErrorEntry, cases: list[Case], qid: str, asked: tuple[str, ...]) -> Node:
    if len(cases) == 1:
        return Leaf(entry, cases[0])
    for asks, keys_of in FOLLOW_UPS:
        if asks in asked:
            continue
        parts = _partition(cases, keys_of)
        if len(parts) < 2:
            continue
        answers = []
        for keys, group in parts:
            label = _label(catalog, asks, keys, group)
            child_id = f"{qid}--{asks}-{anchor_for(label) or len(answers)}"
            answers.append(Answer(label, _narrow(catalog, entry, group, child_id, asked + (asks,))))
        return Question(qid, asks, tuple(answers), entry)
    shared = "; ".join(c.description for c in cases)
    raise ValueError(f"{entry.code}: nothing in the catalog tells these cases apart: {shared}")


def _partition(cases: list[Case], keys_of) -> list[tuple[list[str], list[Case]]]:
    """Cases grouped so that no answer leads to two groups; [] when a case has no answer at all.

    Cases that share any answer end up in one group (connected components), so each case
    stays a single leaf and the reader never has two right answers to pick from.
    """
    groups: list[tuple[list[str], list[Case]]] = []  # kept in the order of each group's first case
    for case in cases:
        keys = keys_of(case)
        if not keys:
            return []
        joined = [g for g in groups if set(g[0]) & set(keys)]
        if not joined:
            groups.append((list(keys), [case]))
            continue
        first = groups.index(joined[0])
        merged = (list(dict.fromkeys([k for g in joined for k in g[0]] + keys)),
                  [c for g in joined for c in g[1]] + [case])
        groups = [g for g in groups if all(g is not j for j in joined)]
        groups.insert(first, merged)
    return groups


def _label(catalog: Catalog, asks: str, keys: list[str], group: list[Case]) -> str:
    if asks == "message":
        return group[0].description  # as Salesforce writes it, not the folded key
    if asks == "flow":
        return " or ".join(catalog.flows[k].name if k in catalog.flows else k for k in keys)
    return " or ".join(keys)


def walk(node: Node) -> Iterable[Node]:
    """Every node of the tree, depth first, the root first."""
    yield node
    if isinstance(node, Question):
        for answer in node.answers:
            yield from walk(answer.child)


def leaves(node: Node) -> list[Leaf]:
    return [n for n in walk(node) if isinstance(n, Leaf)]


def questions(node: Node) -> list[Question]:
    return [n for n in walk(node) if isinstance(n, Question)]
