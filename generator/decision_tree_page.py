"""Builder for the decision tree: docs/decision-tree/index.md with its flowcharts inlined.

Up to scale.SPLIT_AT codes it is one page: the overview (question -> category -> code) and a section
per code with its picture. Past that, one page holding a picture per code grows with the catalog
(at 1,000 codes: 7 MB of Markdown and a 36,000-pixel overview), so each code's section moves to
its own page decision-tree/<code>/ and the overview picture stops at the categories; the list of
codes under it links to those pages. Either way every case is exactly one leaf of one picture.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from . import scale
from .decision_tree import Question, build_tree, code_section_id, leaves
from .decision_tree_drawings import category_anchor, overview, per_code
from .svg import render_svg

if TYPE_CHECKING:  # render imports this module; the type is only for readers
    from .render import Renderer

PAGE = "decision-tree/index.md"
PAGE_URL = "decision-tree/"  # where the page is served; SVG links are relative to it


def code_page(slug: str) -> str:
    """The page of one code's section once the tree is split, as a docs/ Markdown path."""
    return f"decision-tree/{slug}.md"


def pages(r: Renderer) -> None:
    tree = build_tree(r.catalog)
    split = scale.is_big(len(tree.answers))
    overview_svg = render_svg("decision_tree.svg.j2", d=overview(r.catalog, tree, codes=not split),
                              svg_id="dt-overview", title="Decision tree: which error code?")
    common = dict(tree=tree, is_question=lambda node: isinstance(node, Question), section_id=code_section_id)
    code_svgs = {}
    for answer in tree.answers:
        entry = answer.child.entry
        if split and r.reused(entry, code_page(entry.slug)):  # under serve, an unchanged entry
            continue
        page_url = f"decision-tree/{entry.slug}/" if split else PAGE_URL
        svg = render_svg("decision_tree.svg.j2", d=per_code(answer, page_url),
                         svg_id=f"dt-{code_section_id(entry)}", title=f"Decision tree for {entry.code}")
        if split:
            r.entry_page(entry, code_page(entry.slug), "decision_tree_code.md.j2", answer=answer, svg=svg, **common)
        else:
            code_svgs[entry.slug] = svg
    r.page(PAGE, "decision_tree.md.j2", overview_svg=overview_svg, code_svgs=code_svgs, split=split,
           case_count=len(leaves(tree)), code_page=code_page, category_anchor=category_anchor, **common)
