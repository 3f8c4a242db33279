"""The decision tree as pictures: one overview of the codes, one drawing per code with its cases.

Turns tree nodes into layout Shapes (what each box says and where it links); tree_layout places
them and templates/decision_tree.svg.j2 draws them. Links are relative to the page the SVG is
inlined in, because raw HTML is not rewritten by MkDocs.
"""
from __future__ import annotations

import posixpath
from itertools import groupby

from .catalog import Catalog
from .decision_tree import Answer, Leaf, Question, code_section_id
from .tree_layout import Drawing, Shape, layout


def plain(markdown_text: str) -> str:
    """Question wording without Markdown code marks, for SVG text."""
    return markdown_text.replace("`", "")


def url_from(page_url: str, target_url: str) -> str:
    """Relative link from a page URL (e.g. 'decision-tree/') to a site URL with optional #anchor."""
    path, _, anchor = target_url.partition("#")
    rel = posixpath.relpath(path or ".", page_url.rstrip("/") or ".")
    rel = "" if rel == "." else rel + ("/" if path.endswith("/") else "")
    return rel + (f"#{anchor}" if anchor else "")


def category_anchor(category_id: str) -> str:
    """Id of a category's part of the code list on the overview page."""
    return f"dt-category-{category_id}"


def overview(catalog: Catalog, tree: Question, codes: bool = True) -> Drawing:
    """First question -> category -> code; each code links to its section on the same page.

    With codes=False (a catalog too big for one picture) it stops at the categories, each linking
    to its part of the code list below the picture.
    """
    groups = []
    for group, answers in groupby(tree.answers, key=lambda a: a.group):
        category = catalog.categories.get(group)
        title = category.title if category else str(group)
        if codes:
            groups.append(Shape("group", title, children=[_code_shape(a, summary=False) for a in answers]))
        else:
            count = len(list(answers))
            groups.append(Shape("group", title, body=f"{count} error code{'s' if count != 1 else ''}",
                                href=f"#{category_anchor(group)}", data={"category": group}))
    return layout(Shape("question", plain(tree.text), children=groups))


def per_code(answer: Answer, page_url: str) -> Drawing:
    """One code and everything below it; each case box links to its full case."""
    root = _code_shape(answer, summary=True)
    child = answer.child
    if isinstance(child, Question):
        root.children = _shapes(child, page_url)
    else:
        root.children = [_shape(Answer(child.case.description, child), child.case.description, "message", page_url)]
    return layout(root)


def _code_shape(answer: Answer, summary: bool) -> Shape:
    child = answer.child
    entry = child.entry
    if summary:
        body = plain(child.text) if isinstance(child, Question) else entry.title
        return Shape("code", entry.code, body=body, tooltip=entry.title)
    return Shape("code", entry.code, href=f"#{code_section_id(entry)}", data={"code": entry.slug},
                 tooltip=entry.title)


def _shapes(question: Question, page_url: str) -> list[Shape]:
    shown = distinct_starts([a.label for a in question.answers])
    return [_shape(a, text, question.asks, page_url) for a, text in zip(question.answers, shown)]


def _shape(answer: Answer, shown: str, asks: str, page_url: str) -> Shape:
    """The box an answer leads to; its title is the answer, quoted when it is a message."""
    node = answer.child
    title = f"“{shown}”" if asks == "message" else shown
    if isinstance(node, Leaf):
        return Shape("leaf", title, body=plain(node.case.meaning), href=url_from(page_url, node.url),
                     data={"case": node.key}, tooltip=f"{node.case.description}: {plain(node.case.meaning)}")
    return Shape("question", title, body=plain(node.text), children=_shapes(node, page_url))


def distinct_starts(labels: list[str], keep: int = 24) -> list[str]:
    """Labels shortened so sibling boxes differ in their first lines.

    Two long messages that share a long start (an old and a new wording of one fault) would look
    the same once wrapped and cut; such a label starts with '…' a few words before it differs.
    """
    out = []
    for label in labels:
        shared = max((_common_prefix(label, other) for other in labels if other is not label), default=0)
        cut = label.rfind(" ", 0, max(shared - keep, 0))
        out.append("…" + label[cut + 1:] if shared > 2 * keep and cut > 0 else label)
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n].lower() == b[n].lower():
        n += 1
    return n
