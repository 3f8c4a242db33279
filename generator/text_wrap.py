"""Wrap label text into lines that fit a box, for SVG drawings built without a browser.

SVG cannot wrap text by itself, so the width of a line is estimated from per-character widths
of a typical sans-serif font (Arial/Helvetica metrics, in em). The estimate errs a little wide,
so a line never spills out of its box in the fonts the site falls back to.
"""
from __future__ import annotations

import re

_NARROW = set("fijlrtI!|.,:;'`()[]{} ")
_WIDE = set("mwMW@%")
_CAPS = set("ABCDEFGHJKLNOPQRSTUVXYZ&")
_BREAK_AFTER = re.compile(r"(?<=[_/\-.])")  # where a long code or path may break


def char_width(ch: str) -> float:
    if ch in _NARROW:
        return 0.32
    if ch in _WIDE:
        return 0.9
    if ch in _CAPS:
        return 0.72
    return 0.55


class _Widths(dict):
    def __missing__(self, ch: str) -> int:
        return _DEFAULT_UNITS


# Widths in hundredths of an em, so a line's width can be added up word by word, exactly. Every
# printable ASCII character is in the table, so the lookup stays in C for nearly all text (a
# thousand drawings measure ~800,000 characters).
_DEFAULT_UNITS = round(char_width("a") * 100)
_UNITS = _Widths({chr(i): round(char_width(chr(i)) * 100) for i in range(32, 127)})
_MONO_UNITS = 60


def _units(text: str, mono: bool) -> int:
    if mono:
        return len(text) * _MONO_UNITS
    return sum(map(_UNITS.__getitem__, text))


def text_width(text: str, size: float, bold: bool = False, mono: bool = False) -> float:
    return _units(text, mono) / 100 * size * (1.08 if bold and not mono else 1.0)


def wrap(text: str, max_width: float, size: float, *, bold: bool = False, mono: bool = False,
         max_lines: int = 6) -> list[str]:
    """Greedy word wrap; words wider than a line break after _ / - . or, failing that, anywhere.

    More than max_lines lines are cut, the last one ending in an ellipsis.
    """
    limit = max_width / (size * (1.0 if mono or not bold else 1.08)) * 100  # in hundredths of an em

    def fits(s: str) -> bool:
        return _units(s, mono) <= limit

    # (piece, glue): glue is the space before the piece, "" inside a word that had to break.
    pieces: list[tuple[str, str]] = []
    for word in text.split():
        parts = [word] if fits(word) else _split_long(word, fits)
        pieces += [(part, " " if i == 0 else "") for i, part in enumerate(parts)]

    # Each line's width is kept as it grows, so a long label costs one pass, not one per word.
    lines: list[str] = []
    widths: list[int] = []
    space = _units(" ", mono)
    for piece, glue in pieces:
        width = _units(piece, mono)
        if lines and widths[-1] + (space if glue else 0) + width <= limit:
            lines[-1] += glue + piece
            widths[-1] += (space if glue else 0) + width
        else:
            lines.append(piece)
            widths.append(width)
    if len(lines) > max_lines:
        last = lines[max_lines - 1]
        while last and not fits(last + "…"):
            last = last[:-1]
        lines = lines[:max_lines - 1] + [last.rstrip() + "…"]
    return lines


def _split_long(word: str, fits) -> list[str]:
    """A word too wide for a line, cut into parts that each fit."""
    parts: list[str] = []
    for chunk in (c for c in _BREAK_AFTER.split(word) if c):
        if parts and fits(parts[-1] + chunk):
            parts[-1] += chunk
            continue
        while not fits(chunk) and len(chunk) > 1:
            cut = len(chunk) - 1
            while cut > 1 and not fits(chunk[:cut]):
                cut -= 1
            parts.append(chunk[:cut])
            chunk = chunk[cut:]
        parts.append(chunk)
    return parts
