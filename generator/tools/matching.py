"""The match data and algorithm shared by `resolve` (Python) and the lookup page (JavaScript).

Both sides read the same index (exported in api/catalog.json) and follow the same steps, written
to be easy to port: normalise the pasted text, look for a known code as a whole token, then look
for the longest known message string at word boundaries. Change one side, change the other:
tests run one payload corpus through both and require identical answers.
"""
from __future__ import annotations

import re
import urllib.parse
from dataclasses import dataclass

from ..catalog import Catalog

_APOSTROPHES = re.compile("[\u2018\u2019\u02bc`]")
_JSON_UNICODE = re.compile(r"\\u([0-9a-fA-F]{4})")
_PERCENT = re.compile(r"%[0-9A-Fa-f]{2}")
_TOKEN = re.compile(r"[a-z0-9_]+")
_ALNUM = re.compile(r"[a-z0-9]")
# A deliberately small HTML unescape (the JavaScript port could not copy html.unescape's 2,000-entity
# table exactly): these five names plus nbsp, and numeric references, each with its semicolon.
_ENTITY = re.compile(r"&(#[0-9]{1,8}|#[xX][0-9a-fA-F]{1,8}|[A-Za-z]+);")
_NAMED = {"amp": "&", "lt": "<", "gt": ">", "quot": '"', "apos": "'", "nbsp": "\u00a0"}


def canon(text: str) -> str:
    """Lowercase, unify apostrophes, fold whitespace. Applied to patterns and haystack alike."""
    return " ".join(_APOSTROPHES.sub("'", text.lower()).split())


def _entity(m: re.Match) -> str:
    ref = m.group(1)
    if ref[0] != "#":
        return _NAMED.get(ref, m.group(0))  # names are case-sensitive, as in HTML
    point = int(ref[2:], 16) if ref[1] in "xX" else int(ref[1:])
    return chr(point) if 0 < point <= 0x10FFFF and not 0xD800 <= point <= 0xDFFF else "\ufffd"


def _unescape(text: str) -> str:
    text = _JSON_UNICODE.sub(lambda m: chr(int(m.group(1), 16)), text)
    text = text.replace('\\"', '"').replace("\\/", "/").replace("\\n", " ")
    return _ENTITY.sub(_entity, text)


def haystack(raw: str) -> str:
    """The pasted text as the matcher sees it; a URL-encoded copy is decoded and appended."""
    parts = [canon(_unescape(raw))]
    if _PERCENT.search(raw) or "+" in raw:
        decoded = urllib.parse.unquote(raw.replace("+", " "), errors="replace")
        parts.append(canon(_unescape(decoded)))
    return " | ".join(dict.fromkeys(parts))


# A {name} in a message string stands for a record-specific part (an id, a field, a value): up to 300
# characters of anything, or nothing (an empty field list "[]"). The JavaScript port builds the same regular expression.
_VARIABLE = re.compile(r"\{[a-z_]+\}")
_GAP = "[\\s\\S]{0,300}?"


def literal_length(pattern: str) -> int:
    """How much fixed text a pattern has; longer patterns are tried first."""
    return len(_VARIABLE.sub("", pattern))


def _pattern_regex(pattern: str) -> re.Pattern:
    parts = [re.escape(p) for p in _VARIABLE.split(pattern)]
    return re.compile("(?<![a-z0-9])" + _GAP.join(parts) + "(?![a-z0-9])")


def find_at_boundary(hay: str, needle: str) -> bool:
    """True if needle occurs in hay with no letter or digit directly before or after it."""
    if _VARIABLE.search(needle):
        return _pattern_regex(needle).search(hay) is not None
    start = hay.find(needle)
    while start != -1:
        end = start + len(needle)
        before = hay[start - 1] if start > 0 else " "
        after = hay[end] if end < len(hay) else " "
        if not _ALNUM.match(before) and not _ALNUM.match(after):
            return True
        start = hay.find(needle, start + 1)
    return False


_RAW_TOKEN = re.compile(r"[A-Za-z0-9_]+")
# Where a response names its code: JSON errorCode/statusCode/error, SOAP statusCode/exceptionCode/
# faultcode, a query string's error=. A code there beats one quoted inside a message (a REST body puts
# "message" before "errorCode", and an Apex message quotes the code of the error it wraps).
_CODE_FIELD = re.compile(r'(?:"(?:errorcode|statuscode|error)" ?: ?"|<(?:[a-z]+:)?(?:statuscode|exceptioncode|faultcode)>'
                         r'(?:[a-z]+:)?|[?&]error=)([a-z0-9_]+)')


def _word_like(code: str) -> bool:
    """A code that is also an English word (FORBIDDEN, GONE, Timeout): it counts only as written,
    or "403 Forbidden" in any log line would be taken for the code."""
    return "_" not in code


@dataclass(frozen=True)
class MatchIndex:
    codes: dict[str, tuple[str, str | None]]        # token -> (entry slug, case anchor or None)
    strings: tuple[tuple[str, str, str], ...]       # (pattern, entry slug, case anchor), longest first
    fallback: dict[str, str]                        # entry slug -> the case that takes any other message
    exact: dict[str, tuple[str, ...]]               # token of a word-like code -> its spellings

    @classmethod
    def build(cls, catalog: Catalog) -> MatchIndex:
        codes: dict[str, tuple[str, str | None]] = {}
        strings: list[tuple[str, str, str]] = []
        fallback: dict[str, str] = {}
        exact: dict[str, tuple[str, ...]] = {}
        for entry in catalog.errors:
            spellings = [*([entry.code, *entry.spellings] if not entry.pseudo_code else []), *entry.aliases, *entry.moved_from]
            spellings += [a for case in entry.cases for a in case.aliases]
            for s in spellings:
                if _word_like(s):
                    exact[s.lower()] = (*exact.get(s.lower(), ()), s)
            if not entry.pseudo_code:
                codes[entry.slug] = (entry.slug, None)
            for alias in (*entry.aliases, *entry.moved_from):
                codes[alias.lower()] = (entry.slug, None)
            catch_all = next((c.anchor for c in entry.cases if c.any_message), None)
            if catch_all is not None:
                fallback[entry.slug] = catch_all
            for case in entry.cases:
                for alias in case.aliases:
                    codes[alias.lower()] = (entry.slug, case.anchor)
                for text in dict.fromkeys(canon(t) for t in (case.description, *case.match, *case.moved_from)):
                    strings.append((text, entry.slug, case.anchor))
        # Longest first; ties keep catalog order (entries sorted by code, cases as written).
        order = {id(s): i for i, s in enumerate(strings)}
        strings.sort(key=lambda s: (-literal_length(s[0]), order[id(s)]))
        return cls(codes, tuple(strings), fallback, exact)

    def match(self, raw: str) -> tuple[str, str | None] | None:
        """(entry slug, anchor or None) for pasted text, or None when nothing is known in it."""
        hay = haystack(raw)
        as_written = set(_RAW_TOKEN.findall(_unescape(raw)))
        tokens = [*_CODE_FIELD.findall(hay), *_TOKEN.findall(hay)]
        code = next((self.codes[t] for t in tokens
                     if t in self.codes and (t not in self.exact or not as_written.isdisjoint(self.exact[t]))), None)
        if code is not None:
            slug, anchor = code
            if anchor is not None:
                return code
            for pattern, s, a in self.strings:
                if s == slug and find_at_boundary(hay, pattern):
                    return slug, a
            return slug, self.fallback.get(slug)
        for pattern, s, a in self.strings:
            if find_at_boundary(hay, pattern):
                return s, a
        return None

    def to_json(self) -> dict:
        return {
            "codes": {k: {"code": v[0], "anchor": v[1]} for k, v in sorted(self.codes.items())},
            "strings": [{"text": t, "code": s, "anchor": a} for t, s, a in self.strings],
            "fallback": dict(sorted(self.fallback.items())),
            "exact": dict(sorted(self.exact.items())),
        }
