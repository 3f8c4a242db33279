"""Builder for the decision-tree page: docs/decision-tree/index.md with its flowcharts inlined."""
from __future__ import annotations

from typing import TYPE_CHECKING

from .decision_tree import Question, build_tree, code_section_id, leaves
from .decision_tree_drawings import overview, per_code
from .svg import render_svg

if TYPE_CHECKING:  # render imports this module; the type is only for readers
    from .render import Renderer

PAGE = "decision-tree/index.md"
PAGE_URL = "decision-tree/"  # where the page is served; SVG links are relative to it


def pages(r: Renderer) -> None:
    tree = build_tree(r.catalog)
    overview_svg = render_svg("decision_tree.svg.j2", d=overview(r.catalog, tree), svg_id="dt-overview",
                              title="Decision tree: which error code?")
    code_svgs = {}
    for answer in tree.answers:
        entry = answer.child.entry
        code_svgs[entry.slug] = render_svg("decision_tree.svg.j2", d=per_code(answer, PAGE_URL),
                                           svg_id=f"dt-{code_section_id(entry)}",
                                           title=f"Decision tree for {entry.code}")
    r.page(PAGE, "decision_tree.md.j2", tree=tree, overview_svg=overview_svg, code_svgs=code_svgs,
           case_count=len(leaves(tree)), is_question=lambda node: isinstance(node, Question),
           section_id=code_section_id)
