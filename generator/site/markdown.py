"""Catalog text is text. These filters turn it into Markdown that shows exactly what was typed.

Every `{{ value }}` in a template goes through `finalize`, which escapes plain strings; only values
marked `Markup` (built here, from checked data) pass through as Markdown. A template that forgets a
filter therefore shows too much escaping, never a live tag.
"""
from __future__ import annotations

import html
import json
import re

from markupsafe import Markup

# Characters Python-Markdown (with tables) honours a backslash escape for. `>` is left to the
# HTML escape (&gt;), because a backslash before an entity would show up on the page.
_MD_SPECIAL = "\\`*_{}[]()#+-.!|"  # the backslash first, so the ones added are not escaped again
_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _escape_plain(text: str) -> str:
    # str.replace per character is about three times faster than one re.sub with a group reference,
    # and this runs for nearly every value on every page.
    for ch in _MD_SPECIAL:
        if ch in text:
            text = text.replace(ch, "\\" + ch)
    return html.escape(text, quote=False)


def inline(text: str) -> Markup:
    """One line of text: whitespace folded, `code` spans kept, everything else shown literally."""
    return fragment(" ".join(str(text).split()))


def fragment(text: str) -> Markup:
    """Like inline, but keeps leading and trailing spaces (for pieces of a longer line)."""
    text = str(text)
    if "`" not in text:  # the common case, and the hot path of every page
        return Markup(_escape_plain(text))
    out: list[str] = []
    pos = 0
    for m in _CODE_SPAN.finditer(text):
        out.append(_escape_plain(text[pos:m.start()]))
        # Inside a code span Markdown escapes HTML itself; nothing else is interpreted.
        out.append(f"`{m.group(1)}`" if m.group(1).strip() else _escape_plain(m.group(0)))
        pos = m.end()
    out.append(_escape_plain(text[pos:]))
    return Markup("".join(out))


def paragraphs(text: str, indent: int = 0) -> Markup:
    """Blank-line separated paragraphs, each folded onto one line so no line can start a block."""
    pad = " " * indent
    paras = [p for p in re.split(r"\n\s*\n", str(text).strip()) if p.strip()]
    return Markup(("\n\n").join(pad + inline(p) for p in paras))


def cell(text: str) -> Markup:
    """Text for a table cell (pipes and newlines are already neutralised by inline)."""
    return inline(text)


def code(text: str) -> Markup:
    """Free text as one inline code span: one line, fenced by more backticks than any run inside.

    A bare `...` around raw text breaks on a backtick or a line break, and what follows the break
    is Markdown again (a link definition, a table row, HTML).
    """
    text = " ".join(str(text).split())
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    ticks = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return Markup(f"{ticks}{pad}{text}{pad}{ticks}")


def fence(code: str, language: str = "text", indent: int = 0, search: bool = True) -> Markup:
    """A fenced code block whose fence is longer than any backtick run inside the code.

    search=False keeps the block out of the search index (superfences puts the attribute on it).
    """
    longest = max((len(run) for run in re.findall(r"`+", code)), default=0)
    ticks = "`" * max(3, longest + 1)
    lang = language if re.fullmatch(r"[a-z]+", language) else "text"
    head = lang if search else "{." + lang + ' data-search-exclude=""}'
    pad = " " * indent
    body = "\n".join(pad + line if line else "" for line in str(code).rstrip("\n").split("\n"))
    return Markup(f"{pad}{ticks} {head}\n{body}\n{pad}{ticks}")


def yaml_string(text: str) -> Markup:
    """A front-matter value: JSON strings are valid YAML and cannot break out of their line.

    Material writes front-matter title and description into the HTML unescaped (header, <title>,
    meta description), so the text is HTML-escaped first; browsers show it as typed.
    """
    return Markup(json.dumps(html.escape(" ".join(str(text).split())), ensure_ascii=False))


def finalize(value) -> Markup:
    """Every `{{ value }}` of every template, and nothing escapes it after this (see site/jinja.py)."""
    kind = type(value)
    if kind is str:  # most values: catalog text
        return inline(value)
    if isinstance(value, Markup):  # filters, macros, raw()
        return value
    if value is None:
        return Markup("")
    if kind is int or kind is float:
        return Markup(value)
    return inline(str(value))
