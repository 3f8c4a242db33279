"""Drop the indentation Material's page templates leave around every page's content.

About an eighth of an error page is spaces that indent the theme's own markup (header, nav, toc,
footer). In that frame, every run of whitespace that holds a line break becomes one line break,
which a browser shows exactly as before: outside <pre> and <textarea> any whitespace run renders
as one space. Those two keep their text byte for byte, and so do <script> and <style> (a script's
line break may end a statement). The page's own <article>, Python-Markdown's output, is left as
it is: it has little indentation, and skipping it halves the cost.
"""
from __future__ import annotations

import re

_VERBATIM = re.compile(r"(<(?:pre|textarea|script|style)\b.*?</(?:pre|textarea|script|style)\s*>)",
                       re.IGNORECASE | re.DOTALL)
_FOLD = re.compile(r"\n\s+")


def collapse(html: str) -> str:
    start, end = html.find("<article"), html.rfind("</article>")
    if start < 0 or end < start:
        return _fold(html)
    return _fold(html[:start]) + html[start:end] + _fold(html[end:])


def _fold(html: str) -> str:
    parts = _VERBATIM.split(html)  # odd items are verbatim elements
    for i in range(0, len(parts), 2):
        parts[i] = _FOLD.sub("\n", parts[i])
    return "".join(parts)
