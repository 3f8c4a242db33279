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


_PLAIN_WORD = re.compile(r"^[A-Z][a-z]+$")


def _field_only(code: str) -> bool:
    """A code spelled like an ordinary capitalised word (Bulk's Timeout, Unknown): it counts only in
    a code position (exceptionCode, errorCode), because "Unknown client" is not the code Unknown."""
    return bool(_PLAIN_WORD.match(code))


# A code-shaped token as written: UPPER_SNAKE, lower_snake, or CamelCase (Bulk's InvalidBatch).
_CODE_SHAPE = re.compile(r"^(?:[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+|[a-z][a-z0-9]*(?:_[a-z0-9]+)+|[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]*)+)$")

Found = tuple[str, str, "str | None"]   # (tier, key, detail)
"""tier "runbook" or "reference": key is the entry's slug, detail the case anchor (or None);
tier "family": key is the family id, detail the unknown code as written."""


@dataclass(frozen=True)
class _Codes:
    """One tier's code look-up: token -> (slug, case anchor or None), with the spelling guards."""
    codes: dict[str, tuple[str, str | None]]
    exact: dict[str, tuple[str, ...]]     # token of a word-like code -> its spellings
    field_only: frozenset[str]            # tokens that count only in a code position

    def find(self, fields: list[str], tokens: list[str], as_written: set[str]) -> tuple[str, str | None] | None:
        return self.in_fields(fields, as_written) or self.in_tokens(tokens, as_written)

    def in_fields(self, fields: list[str], as_written: set[str], skip: frozenset[str] = frozenset()):
        """A known code in a code position (errorCode, statusCode, exceptionCode, error); codes of
        entries in `skip` (wrappers) are passed over."""
        for t in fields:
            if (t in self.codes and self.codes[t][0] not in skip
                    and (t not in self.exact or not as_written.isdisjoint(self.exact[t]))):
                return self.codes[t]
        return None

    def in_tokens(self, tokens: list[str], as_written: set[str], skip: frozenset[str] = frozenset()):
        """A known code anywhere in the text."""
        for t in tokens:
            if (t in self.codes and t not in self.field_only and self.codes[t][0] not in skip
                    and (t not in self.exact or not as_written.isdisjoint(self.exact[t]))):
                return self.codes[t]
        return None

    def to_json(self) -> dict:
        return {"codes": {k: {"code": v[0], "anchor": v[1]} for k, v in sorted(self.codes.items())},
                "exact": {k: list(v) for k, v in sorted(self.exact.items())},
                "field_only": sorted(self.field_only)}


def _codes(spellings: list[tuple[str, str, str | None]]) -> _Codes:
    """From (spelling, slug, anchor) triples."""
    codes: dict[str, tuple[str, str | None]] = {}
    exact: dict[str, tuple[str, ...]] = {}
    field_only: set[str] = set()
    for spelling, slug, anchor in spellings:
        token = spelling.lower()
        codes[token] = (slug, anchor)   # validation gives every spelling one owner
        if _word_like(spelling):
            exact[token] = (*exact.get(token, ()), spelling)
        if _field_only(spelling):
            field_only.add(token)
    return _Codes(codes, exact, frozenset(field_only))


@dataclass(frozen=True)
class MatchIndex:
    runbook: _Codes
    strings: tuple[tuple[str, str, str], ...]       # (pattern, entry slug, case anchor), longest first
    fallback: dict[str, str]                        # entry slug -> the case that takes any other message
    pseudo: frozenset[str]                          # slugs of pseudo-code entries (message only)
    wrappers: frozenset[str]                        # slugs of entries whose message carries an inner code
    reference: _Codes
    reference_strings: tuple[tuple[str, str], ...]  # (pattern, reference slug), longest first
    families: tuple[tuple[str, tuple[str, ...]], ...]  # (family id, hints) in family order
    fallback_family: str

    @classmethod
    def build(cls, catalog: Catalog) -> MatchIndex:
        spellings: list[tuple[str, str, str | None]] = []
        strings: list[tuple[str, str, str]] = []
        fallback: dict[str, str] = {}
        for entry in catalog.errors:
            own = [entry.code, *entry.spellings] if not entry.pseudo_code else []
            spellings += [(s, entry.slug, None) for s in (*own, *entry.aliases, *entry.moved_from)]
            catch_all = next((c.anchor for c in entry.cases if c.any_message), None)
            if catch_all is not None:
                fallback[entry.slug] = catch_all
            for case in entry.cases:
                spellings += [(a, entry.slug, case.anchor) for a in case.aliases]
                for text in dict.fromkeys(canon(t) for t in (case.description, *case.match, *case.moved_from)):
                    strings.append((text, entry.slug, case.anchor))
        # Longest first; ties keep catalog order (entries sorted by code, cases as written).
        order = {id(s): i for i, s in enumerate(strings)}
        strings.sort(key=lambda s: (-literal_length(s[0]), order[id(s)]))
        ref_strings = [(canon(t), r.slug) for r in catalog.references for t in r.entry.match]
        ref_strings.sort(key=lambda s: -literal_length(s[0]))
        families = sorted(catalog.families.items(), key=lambda kv: (kv[1].order, kv[0]))
        return cls(
            runbook=_codes(spellings),
            strings=tuple(strings),
            fallback=fallback,
            pseudo=frozenset(e.slug for e in catalog.errors if e.pseudo_code),
            wrappers=frozenset(e.slug for e in catalog.errors if e.wraps),
            reference=_codes([(r.code, r.slug, None) for r in catalog.references if not r.entry.match]),
            reference_strings=tuple(ref_strings),
            families=tuple((fid, tuple(canon(h) for h in f.hints)) for fid, f in families),
            fallback_family=next((fid for fid, f in families if f.fallback), families[0][0] if families else ""),
        )

    def match(self, raw: str) -> Found | None:
        """Where pasted text lands: a runbook (a case or the page), else a reference entry, else the
        guide of the family an unknown code in a code position belongs to; None when nothing
        Salesforce-shaped is in it."""
        hay = haystack(raw)
        as_written = set(_RAW_TOKEN.findall(_unescape(raw)))
        fields = _CODE_FIELD.findall(hay)
        tokens = _TOKEN.findall(hay)
        code = self.runbook.in_fields(fields, as_written, self.wrappers)
        if code is None:
            # A message only a pseudo-code entry has (a CometD or Pub/Sub identifier) names the error
            # as surely as a code in a code position, and beats a status word elsewhere (NOT_FOUND).
            for pattern, s, a in self.strings:
                if s in self.pseudo and find_at_boundary(hay, pattern):
                    return "runbook", s, a
            code = self.runbook.in_tokens(tokens, as_written, self.wrappers) or self.runbook.find(fields, tokens, as_written)
        if code is not None:
            slug, anchor = code
            if anchor is not None:
                return "runbook", slug, anchor
            for pattern, s, a in self.strings:
                if s == slug and find_at_boundary(hay, pattern):
                    return "runbook", slug, a
            return "runbook", slug, self.fallback.get(slug)
        for pattern, s, a in self.strings:
            if find_at_boundary(hay, pattern):
                return "runbook", s, a
        ref = self.reference.find(fields, tokens, as_written)
        if ref is not None:
            return "reference", ref[0], None
        for pattern, s in self.reference_strings:
            if find_at_boundary(hay, pattern):
                return "reference", s, None
        written = sorted(as_written)
        for token in fields:
            spelled = next((w for w in written if w.lower() == token and _CODE_SHAPE.match(w)), None)
            if spelled is not None:
                family = next((fid for fid, hints in self.families if any(h in hay for h in hints)),
                              self.fallback_family)
                return "family", family, spelled
        return None

    def to_json(self) -> dict:
        return {
            "runbook": self.runbook.to_json(),
            "strings": [{"text": t, "code": s, "anchor": a} for t, s, a in self.strings],
            "fallback": dict(sorted(self.fallback.items())),
            "pseudo": sorted(self.pseudo),
            "wrappers": sorted(self.wrappers),
            "reference": self.reference.to_json(),
            "reference_strings": [{"text": t, "code": s} for t, s in self.reference_strings],
            "families": [{"id": fid, "hints": list(h)} for fid, h in self.families],
            "fallback_family": self.fallback_family,
        }
