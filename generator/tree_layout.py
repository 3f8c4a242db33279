"""A top-down tree layout for flowcharts drawn as SVG at build time.

Input is a tree of Shapes (text, link, kind); output is a Drawing of placed boxes, wrapped text
lines and elbow connectors, all in pixels, ready for a template. A question sits above its
answers; the answers are stacked below it, indented, each reached by an arrow off one trunk line.
Width grows only with depth, not with the number of answers, so a whole code fits a phone screen
(a 390 px phone has about 360 px of column) and the text never has to shrink. Font sizes live here
(not in CSS) because the wrapping estimate and the drawn text must use the same size.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from .text_wrap import wrap


@dataclass(frozen=True)
class BoxStyle:
    width: float
    title_size: float = 14
    body_size: float = 12.5
    title_mono: bool = False
    title_bold: bool = True
    title_lines: int = 4
    body_lines: int = 3


# Widths keep depth * INDENT + width + 2 * MARGIN within a phone's column for the usual depths.
STYLES = {
    "question": BoxStyle(width=300),
    "group": BoxStyle(width=290, title_size=13, title_lines=2),
    "code": BoxStyle(width=270, title_size=13, title_mono=True),
    "leaf": BoxStyle(width=310, body_lines=4),
}
PAD_X, PAD_Y = 10, 8
LINE_HEIGHT = 1.3
INDENT, GAP_Y, MARGIN = 28, 8, 6
# Extra space above a sibling that has children of its own (e.g. a category group).
GROUP_GAP = 8


@dataclass
class Shape:
    kind: str                     # a key of STYLES; also the CSS class of the box
    title: str
    body: str = ""
    href: str | None = None
    data: dict[str, str] = field(default_factory=dict)  # data-* attributes of the link
    tooltip: str = ""
    children: list[Shape] = field(default_factory=list)


@dataclass(frozen=True)
class TextLine:
    x: float
    y: float                      # baseline
    text: str
    part: str                     # "title" or "body"
    size: float
    mono: bool


@dataclass(frozen=True)
class Box:
    kind: str
    x: float
    y: float
    w: float
    h: float
    lines: tuple[TextLine, ...]
    href: str | None
    data: tuple[tuple[str, str], ...]
    tooltip: str


@dataclass(frozen=True)
class Line:
    """A straight connector: a question's trunk, or an arrow from the trunk into an answer."""
    x1: float
    y1: float
    x2: float
    y2: float
    arrow: bool


@dataclass(frozen=True)
class Drawing:
    width: float
    height: float
    boxes: tuple[Box, ...]
    lines: tuple[Line, ...]


@dataclass
class _Measured:
    shape: Shape
    style: BoxStyle
    title: list[str]
    body: list[str]
    h: float
    children: list[_Measured]


def layout(root: Shape) -> Drawing:
    boxes: list[Box] = []
    lines: list[Line] = []
    _place(_measure(root), MARGIN, MARGIN, boxes, lines)
    width = max(b.x + b.w for b in boxes) + MARGIN
    height = max(b.y + b.h for b in boxes) + MARGIN
    return Drawing(round(width, 1), round(height, 1), tuple(boxes), tuple(lines))


def _measure(shape: Shape) -> _Measured:
    st = STYLES[shape.kind]
    inner = st.width - 2 * PAD_X
    title = wrap(shape.title, inner, st.title_size, bold=st.title_bold, mono=st.title_mono,
                 max_lines=st.title_lines)
    body = wrap(shape.body, inner, st.body_size, max_lines=st.body_lines) if shape.body else []
    h = 2 * PAD_Y + len(title) * st.title_size * LINE_HEIGHT
    if body:
        h += 3 + len(body) * st.body_size * LINE_HEIGHT
    return _Measured(shape, st, title, body, h, [_measure(c) for c in shape.children])


def _place(m: _Measured, x: float, y: float, boxes: list[Box], lines: list[Line]) -> float:
    """Place m's box at (x, y) and its answers below it; returns the bottom of the subtree."""
    boxes.append(_box(m, x, y))
    bottom = y + m.h
    trunk = round(x + INDENT / 2, 1)
    middle = bottom
    for child in m.children:
        top = bottom + GAP_Y + (GROUP_GAP if child.children else 0)
        middle = round(top + child.h / 2, 1)
        # The arrow stops a pixel short so its tip touches the box border instead of covering it.
        lines.append(Line(trunk, middle, round(x + INDENT - 1, 1), middle, True))
        bottom = _place(child, x + INDENT, top, boxes, lines)
    if m.children:  # one trunk per question, drawn once so translucent strokes do not pile up
        lines.append(Line(trunk, round(y + m.h, 1), trunk, middle, False))
    return bottom


def _box(m: _Measured, x: float, y: float) -> Box:
    st = m.style
    lines: list[TextLine] = []
    baseline = y + PAD_Y
    for text in m.title:
        baseline += st.title_size * LINE_HEIGHT
        lines.append(TextLine(round(x + PAD_X, 1), round(baseline - st.title_size * 0.3, 1), text, "title",
                              st.title_size, st.title_mono))
    if m.body:
        baseline += 3
    for text in m.body:
        baseline += st.body_size * LINE_HEIGHT
        lines.append(TextLine(round(x + PAD_X, 1), round(baseline - st.body_size * 0.3, 1), text, "body",
                              st.body_size, False))
    shape = m.shape
    return Box(shape.kind, round(x, 1), round(y, 1), st.width, round(m.h, 1), tuple(lines), shape.href,
               tuple(shape.data.items()), shape.tooltip)
