"""Where an imported span lands in the library's text: UTF-16 offsets, re-anchoring, graphemes.

Three steps, each cheap when there is nothing to do:

* `utf16_reading`: other tools' older web UIs count offsets in UTF-16 code units (doccano
  #2290, Label Studio #1347), which differ from code points only after an astral character
  (most emoji, 𝒳, rare CJK). For a record whose text holds one, the offsets are read both ways
  and the UTF-16 reading is taken when it fits better: the quoted text matches and the offsets
  lie inside the text or, failing such facts, every span edge falls on a word edge.
* `anchor`: a span whose quoted text no longer sits at its offsets is found again by that text
  when the place is unambiguous.
* `snap`: offsets are widened to grapheme boundaries, testing first whether they already are
  one (nearly always) so the grapheme machinery runs only where it must.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Callable, Sequence

import regex

from newsdesk.annotations import text as textrules
from newsdesk.annotations.formats.record import IncomingSpan

__all__ = ["CONTEXT_CHARS", "anchor", "snap", "on_boundary", "utf16_reading", "has_astral"]

# How many characters on each side of a span are compared when re-anchoring it.
CONTEXT_CHARS = 32

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def has_astral(text: str) -> bool:
    """Whether UTF-16 offsets into `text` could differ from code-point offsets."""
    return not text.isascii() and _ASTRAL.search(text) is not None


# Whether a boundary sits between two neighbours (UAX #29), decided from the pair alone when it
# can be, once per character: after an ASCII character there is one unless the next character
# joins the cluster before it (Extend, ZWJ, SpacingMark: GB9, GB9a) or it is CR LF (GB3); before
# an ASCII character there is one unless the one before is Prepend (GB9b) or CR LF. ASCII is
# never Prepend, ZWJ, a regional indicator, Hangul, pictographic or an Indic linker, so no other
# rule applies. Any other pair asks `text.is_boundary`.
_JOINS_LEFT = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]")
_PREPEND = regex.compile(r"\p{GCB=Prepend}")
_JOINS: dict[str, bool] = {}  # char -> it joins the cluster before it
_HOLDS: dict[str, bool] = {}  # char -> it is Prepend: it joins the cluster after it


def _joins(char: str) -> bool:
    known = _JOINS.get(char)
    if known is None:
        known = _JOINS[char] = _JOINS_LEFT.match(char) is not None
    return known


def _holds(char: str) -> bool:
    known = _HOLDS.get(char)
    if known is None:
        known = _HOLDS[char] = _PREPEND.match(char) is not None
    return known


def on_boundary(text: str, i: int) -> bool:
    """Whether `i` is a grapheme boundary of `text`, answered from its two neighbours when they
    decide it (nearly always); otherwise by `text.is_boundary`."""
    if i <= 0 or i >= len(text):
        return True
    a, b = text[i - 1], text[i]
    if a < "\x80":
        if a == "\r":
            return b != "\n"
        return b < "\x80" or not _joins(b)
    if b < "\x80":
        return not _holds(a)
    return textrules.is_boundary(text, i)


def snap(text: str, start: int, end: int) -> tuple[int, int]:
    """`start`..`end` widened to grapheme boundaries (unchanged when they already are)."""
    if not on_boundary(text, start):
        start = textrules.snap_start(text, start)
    if not on_boundary(text, end):
        end = textrules.snap_end(text, end)
    return start, end


def _utf16_converter(text: str) -> Callable[[int], int | None]:
    """A function from a UTF-16 offset into `text` to its code-point offset (None: inside a pair or past the end)."""
    astral_at = [m.start() + k for k, m in enumerate(_ASTRAL.finditer(text))]  # UTF-16 index of each
    limit = len(text) + len(astral_at)

    def convert(unit: int) -> int | None:
        if not 0 <= unit <= limit:
            return None
        before = bisect_left(astral_at, unit)  # astral characters starting before `unit`
        if before and astral_at[before - 1] == unit - 1:
            return None  # between the two halves of a surrogate pair
        return unit - before

    return convert


def _word_char(c: str) -> bool:
    return c.isalnum() or c == "_"


def _score(text: str, spans: Sequence[tuple[int, int, str | None]], edges_too: bool = True) -> tuple[int, int]:
    """How well one reading of the offsets fits `text`: (spans inside the text whose quoted text,
    if any, matches; span edges on word edges). The first is fact, the second a habit: people
    and tools put span edges between words."""
    fits = edges = 0
    n = len(text)
    for start, end, quoted in spans:
        if not 0 <= start <= end <= n:
            continue
        if quoted is not None and text[start:end] != quoted:
            continue
        fits += 1
        if not edges_too:
            continue
        if start == 0 or not (_word_char(text[start - 1]) and _word_char(text[start])):
            edges += 1
        if end == n or not (_word_char(text[end - 1]) and _word_char(text[end])):
            edges += 1
    return fits, edges


def utf16_reading(text: str, spans: Sequence[IncomingSpan], *, code_points: bool = False) -> list[tuple[int, int]] | None:
    """The spans' offsets read as UTF-16 code units, converted to code points, when that reading
    fits `text` better than code points do; None when the offsets are code points (or cannot tell).

    More spans fitting (inside the text, quoted text matching) decides. When both readings fit
    as many, the UTF-16 one is taken only if it puts every span edge on a word edge and the
    code-point one does not -- and never for offsets newsdesk wrote (`code_points`). Call only
    when `has_astral(text)`: otherwise both readings are the same.
    """
    points_fit, points_edges = _score(text, [(s.start, s.end, s.text) for s in spans], not code_points)
    if points_fit == len(spans) and (code_points or points_edges == 2 * len(spans)):
        return None  # code points fit perfectly: no other reading can do better
    convert = _utf16_converter(text)
    converted: list[tuple[int, int]] = []
    for span in spans:
        start, end = convert(span.start), convert(span.end)
        if start is None or end is None:
            return None  # some offset makes no sense in UTF-16: they are code points
        converted.append((start, end))
    if converted == [(s.start, s.end) for s in spans]:
        return None
    units_fit, units_edges = _score(text, [(s, e, span.text) for (s, e), span in zip(converted, spans)])
    if units_fit != points_fit:
        return converted if units_fit > points_fit else None
    if code_points or units_fit < len(spans):
        return None
    return converted if units_edges == 2 * len(spans) > points_edges else None


def _occurrences(text: str, needle: str) -> list[int]:
    found = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def anchor(text: str, span: IncomingSpan, old_text: str | None) -> tuple[int, int, bool] | str:
    """Where `span` sits in `text`: (start, end, moved), or a one-line reason it cannot be placed.

    `old_text` is the text the file's offsets count in (the record's own copy), which lends the
    span its quoted text when it has none and the context that tells several places apart.
    """
    start, end = span.start, span.end
    quoted = span.text
    if quoted is None and old_text is not None and old_text is not text and 0 <= start <= end <= len(old_text):
        quoted = old_text[start:end]
    fits = 0 <= start <= end <= len(text)
    if fits and (quoted is None or text[start:end] == quoted):
        return start, end, False
    if not quoted:
        return f"offsets {start}..{end} do not fit the article and the span quotes no text"
    places = _occurrences(text, quoted)
    shown = quoted if len(quoted) <= 40 else quoted[:37] + "..."
    if not places:
        return f"span {start}..{end} {shown!r} is no longer in the article"
    if len(places) == 1:
        return places[0], places[0] + len(quoted), True
    if old_text is None or not 0 <= start <= end <= len(old_text):
        return f"span {start}..{end} {shown!r} occurs {len(places)} times and has no context to choose by"
    before = old_text[max(0, start - CONTEXT_CHARS) : start]
    after = old_text[end : end + CONTEXT_CHARS]
    scores = []
    for at in places:
        here_before = text[max(0, at - CONTEXT_CHARS) : at]
        here_after = text[at + len(quoted) : at + len(quoted) + CONTEXT_CHARS]
        scores.append(_common_suffix(before, here_before) + _common_prefix(after, here_after))
    best = max(scores)
    # A single shared space is no evidence: ask for a few agreeing characters around it.
    if best >= min(4, len(before) + len(after)) and best > 0 and scores.count(best) == 1:
        at = places[scores.index(best)]
        return at, at + len(quoted), True
    return f"span {start}..{end} {shown!r} occurs {len(places)} times and its context does not single one out"
