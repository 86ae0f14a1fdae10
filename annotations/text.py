"""Text rules shared by reading, the reader and the exporters.

Decoding and sanitising article files; grapheme clusters (UAX #29 via `regex`'s ``\\X``) so that no
offset ever falls inside a flag, a ZWJ emoji or a letter with its combining accent; words,
sentences and paragraphs as (start, end) code-point ranges, end exclusive.

CONTRACT (implemented by the text/corpus work):

    decode(data: bytes) -> str                 # BOM-aware UTF-8/UTF-16, Latin-1/cp1252 fallback
    sanitise(text: str) -> str                 # CRLF/CR -> LF; drop NUL, C0/C1 except \\n \\t,
                                               # CSI/OSC/DCS escape sequences
    is_boundary(text, i) -> bool               # i is a grapheme boundary (0 and len(text) are)
    snap_start(text, i) -> int                 # largest boundary <= i
    snap_end(text, i) -> int                   # smallest boundary >= i
    snap_span(text, start, end) -> tuple[int, int]   # (snap_start(start), snap_end(end)), start<=end
    next_grapheme(text, i) -> int              # boundary after i (len(text) at the end)
    prev_grapheme(text, i) -> int              # boundary before i (0 at the start)
    next_word(text, i) -> int                  # start of the next word after i (vim `w`)
    prev_word(text, i) -> int                  # start of the word before i (vim `b`)
    word_at(text, i) -> tuple[int, int]
    sentences(text) -> list[tuple[int, int]]   # trimmed of surrounding whitespace, in order
    paragraphs(text) -> list[tuple[int, int]]  # non-blank lines/blocks, trimmed
    sentence_at(text, i) -> tuple[int, int]    # the sentence containing (or nearest to) i
    paragraph_at(text, i) -> tuple[int, int]
    tokens(text) -> list[tuple[int, int]]      # word and punctuation tokens (for CoNLL/Prodigy)

All must be fast on a 1 MB text: the local functions (snap, next/prev) look only at a window
around i, never at the whole text.

Decisions taken here (the contract left them open):

* Offsets outside ``0..len(text)`` are clamped, never an error.
* Grapheme functions live in `annotations.graphemes` (re-exported here), decoding and
  sanitising in `annotations.decoding`.
* Words and sentences come from ICU (`annotations.icu`, UAX #29 with dictionaries): a *word*
  is an ICU word segment holding a letter, digit, mark or ``_`` ("don't", "Japan’s", "1,000",
  "3.5" are one word; Thai, Burmese, Chinese and Japanese split into dictionary words).
  ICU sees only bounded windows (`_ICU_CHUNK`), so `w`/`b` stay local on a 1 MB article.
  Punctuation is skipped by `next_word` / `prev_word` (unlike vim, which stops on it).
* Tokens are those words, dotted abbreviations with their last dot ("U.S.", "e.g.") and every
  other non-space grapheme cluster (punctuation, emoji) on its own.
* Sentences end where ICU ends them (``.!?…``, CJK ``。！？``, the danda ``।``, the Burmese
  ``။``, the Arabic ``؟``...), except after an abbreviation (Mr. Dr. St. No. Jan. ...), a dotted
  abbreviation (U.S. H.W. a.m.), an initial or one-letter abbreviation ("J. Smith", Thai "น.",
  German "z. B.") or before a lower-case word.
* Without ICU (Python 3.10, where icu4py has no wheels) the regex rules of this module are
  used: each Han ideograph or kana is then a word, and sentences end at the punctuation above.
* Paragraphs are non-blank lines: a newline always ends a paragraph and a sentence.
"""

from __future__ import annotations

from bisect import bisect_right
from typing import Iterator

import regex

from . import icu
from .decoding import bom_encoding, decode, sanitise, utf16_without_bom
from .graphemes import (  # noqa: F401 - re-exported
    WINDOW,
    _GRAPHEME,
    _clamp,
    _cluster,
    _left_safe,
    _right_safe,
    is_boundary,
    next_grapheme,
    prev_grapheme,
    snap_end,
    snap_span,
    snap_start,
)

__all__ = [
    "decode",
    "bom_encoding",
    "utf16_without_bom",
    "sanitise",
    "is_boundary",
    "snap_start",
    "snap_end",
    "snap_span",
    "next_grapheme",
    "prev_grapheme",
    "next_word",
    "prev_word",
    "word_at",
    "sentences",
    "paragraphs",
    "sentence_at",
    "paragraph_at",
    "tokens",
    "WINDOW",
]


# ---------------------------------------------------------------------------------------------
# Words and tokens

_CJK = r"\p{Han}\p{Hiragana}\p{Katakana}\p{Bopomofo}"
_ALNUM = r"(?:(?=[\p{L}\p{N}\p{M}_])(?![" + _CJK + r"])\X)"
_DIGIT = r"(?:(?=\p{Nd})\X)"
# A CJK character with any marks that cluster onto it; \X already does that.
_CJK_WORD = r"(?:(?=[" + _CJK + r"])\X)"
_EXTENDS = r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]"
_LATIN_WORD = (
    _ALNUM + r"+(?:(?:(?<=\p{L}\p{M}*)['’](?=\p{L})|(?<=\p{Nd})[.,](?=\p{Nd}))" + _ALNUM + r"+)*"
)
# Scanners that always step a whole cluster at a time, so a match never starts inside one (a
# Prepend character such as U+0600 glues onto the letter after it).
_WORD_SCAN = regex.compile(r"(?P<w>" + _CJK_WORD + "|" + _LATIN_WORD + r")|\X", regex.DOTALL)
_TOKEN_SCAN = regex.compile(
    r"(?P<t>(?<![\p{L}\p{N}])(?:\p{L}\.){2,}(?![\p{L}\p{N}]|" + _EXTENDS + r")"  # U.S. e.g. a.m.
    r"|" + _CJK_WORD + "|" + _LATIN_WORD + r")|\X",
    regex.DOTALL,
)
_WORDISH = regex.compile(r"[\p{L}\p{N}\p{M}_]")
_WORDISH_BACK = regex.compile(r"(?r)[\p{L}\p{N}\p{M}_]")
_SPACE_BACK = regex.compile(r"(?r)\s")


_ICU_CHUNK = 256  # code points handed to ICU at a time by the word motions
_SPACE = regex.compile(r"\s")


def _icu_snap(text: str, i: int) -> int:
    """An ICU boundary as a `regex` grapheme boundary (they differ only on rare sequences)."""
    if i <= 0 or i >= len(text) or (_left_safe(text[i - 1]) and _right_safe(text[i])):
        return i
    return snap_start(text, i)


def _icu_words(text: str, pos: int, end: int) -> Iterator[tuple[int, int]]:
    """ICU's words (segments holding a letter, digit, mark or `_`) from `pos`, cut at `end`.

    ICU sees `_ICU_CHUNK` code points at a time, ending after a space where one is near; the
    last segment of a chunk may be cut short, so the next chunk starts again at it.
    """
    while pos < end:
        hi = min(end, pos + _ICU_CHUNK)
        if hi < end:
            space = _SPACE.search(text, hi, min(end, hi + 64))
            hi = space.end() if space else snap_end(text, hi)
        segments = icu.word_segments(text, pos, hi)
        keep = len(segments) if hi == end else max(1, len(segments) - 1)
        for start, stop in segments[:keep]:
            if not text[start].isspace() and _WORDISH.search(text, start, stop):
                yield _icu_snap(text, start), _icu_snap(text, stop)
        pos = segments[keep - 1][1]


def _words(text: str, pos: int, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The words starting at or after the cluster boundary `pos` (cut at `end`), in order."""
    end = len(text) if end is None else end
    if icu.available():
        yield from _icu_words(text, pos, end)
        return
    while pos < end:
        # Long stretches without words are crossed in C, not one cluster at a time.
        found = _WORDISH.search(text, pos, end)
        if found is None:
            return
        pos = max(pos, snap_start(text, found.start()))
        misses = 0
        for match in _WORD_SCAN.finditer(text, pos, end):
            pos = match.end()
            if match.group("w") is not None:
                misses = 0
                yield match.span()
            else:
                misses += 1
                if misses > 32:
                    break
        else:
            return


def _word_restart(text: str, i: int) -> int:
    """A cluster boundary <= i that is not inside a word (a word never spans whitespace)."""
    lo = max(0, i - (_ICU_CHUNK if icu.available() else WINDOW))
    space = _SPACE_BACK.search(text, lo, i)
    pos = space.start() if space else lo
    return snap_start(text, pos)


def word_at(text: str, i: int) -> tuple[int, int]:
    """The word holding offset i; outside a word, the grapheme cluster at i.

    At the very end of the text the last cluster is used; an empty text gives (0, 0).
    """
    i = _clamp(text, i)
    if not text:
        return 0, 0
    if i == len(text):
        i -= 1
    for start, end in _words(text, _word_restart(text, i)):
        if start > i:
            break
        if end > i:
            return start, end
    start, end = _cluster(text, i)
    return start, end


def next_word(text: str, i: int) -> int:
    """The start of the first word that starts after i (vim ``w``); len(text) when none does."""
    i = _clamp(text, i)
    for start, _ in _words(text, _word_restart(text, i)):
        if start > i:
            return start
    return len(text)


def prev_word(text: str, i: int) -> int:
    """The start of the last word that starts before i (vim ``b``); 0 when none does."""
    i = _clamp(text, i)
    hi = i
    while hi > 0:
        # Look back a little first, widening up to WINDOW: the last word start in a window that
        # begins at a restart point (never inside a word) is the same as in any wider one, and
        # the previous word is nearly always within a few dozen characters.
        reach = 64
        while True:
            lo = _word_restart(text, max(0, hi - reach))
            best = None
            for start, _ in _words(text, lo, hi):  # a word cut at hi still starts right
                best = start
            if best is not None:
                return best
            if reach >= WINDOW or lo == 0:
                break
            reach *= 4
        # No word in the window: jump (in C) back to the last word character before it.
        found = _WORDISH_BACK.search(text, 0, lo)
        if found is None:
            return 0
        hi = next_grapheme(text, found.start())
    return 0


def tokens(text: str) -> list[tuple[int, int]]:
    """Word, number, abbreviation and punctuation tokens as ranges; whitespace is never a token.

    "don't", "Japan’s", "1,000", "3.5" and "U.S." are single tokens; every other non-space
    grapheme cluster (a comma, a quote, an emoji, a flag) is a token on its own.
    """
    if icu.available():
        return _icu_tokens(text)
    return [
        match.span()
        for match in _TOKEN_SCAN.finditer(text)
        if match.group("t") is not None or not match.group().isspace()
    ]


_DOTTED_WORD = regex.compile(r"(?:\p{L}\.)+\p{L}")
_NOT_AFTER_DOT = regex.compile(r"[\p{L}\p{N}\p{M}]")


def _icu_tokens(text: str) -> list[tuple[int, int]]:
    """ICU's words, line by line, plus every other non-space grapheme cluster on its own."""
    out: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start < length:
        newline = text.find("\n", start)
        stop = length if newline < 0 else newline
        merged_to = -1
        for a, b in icu.word_segments(text, start, stop):
            a, b = max(_icu_snap(text, a), merged_to), _icu_snap(text, b)
            if a >= b:
                continue  # empty, or its start already joined to an abbreviation
            if not text[a].isspace() and _WORDISH.search(text, a, b):
                if (
                    b < stop
                    and text[b] == "."
                    and _DOTTED_WORD.fullmatch(text, a, b)
                    and not _NOT_AFTER_DOT.match(text, b + 1)
                ):
                    b = snap_end(text, b + 1)  # U.S. e.g. a.m. keep their last dot
                    merged_to = b
                out.append((a, b))
                continue
            for match in _GRAPHEME.finditer(text, a, b):
                if not match.group().isspace():
                    out.append(match.span())
        start = stop + 1
    return out


# ---------------------------------------------------------------------------------------------
# Sentences and paragraphs

_CLOSERS = "\"'”’»)]}」』）】〕〉》›"
_OPENERS = "\"'“‘«([{「『（【〔〈《‹¿¡"
# A candidate sentence end: terminal punctuation and any closing quotes/brackets, then either
# whitespace (Latin punctuation) or nothing at all (CJK punctuation needs no space), or a newline.
_END = regex.compile(
    r"(?P<term>[.!?…‼⁇⁈⁉]+)(?P<close>[" + regex.escape(_CLOSERS) + r"]*)(?=[ \t\u00a0\u2000-\u200a\u3000]+(?P<next>[^\s]|$)|$)"
    r"|(?P<cjk>[。！？｡]+)[" + regex.escape(_CLOSERS) + r"]*"
    r"|\n",
    regex.MULTILINE,
)
_BRACKETS = frozenset(_CLOSERS + _OPENERS) - {"."}
_ABBREVIATIONS = frozenset(
    """mr mrs ms mx dr prof sr jr st mt ft gen col lt sgt capt cpl maj adm gov sen rep rev hon
    pres supt insp det cmdr brig cdr fr sra srta mme mlle messrs
    jan feb mar apr jun jul aug sep sept oct nov dec tue tues thu thurs fri
    etc vs cf al approx ca dept est inc ltd co corp bros assn univ ave blvd rd""".split()
)
# Abbreviations that are also words ("no", "art") count only before a number: "No. 10".
_BEFORE_NUMBERS = frozenset("no nos vol vols p pp op para paras art sec ch pt fig tel".split())
_SPACED_ABBREVIATION = regex.compile(r"[ \u00a0\u202f]?\p{L}\.")
_DOTTED = regex.compile(r"(?:\p{L}\.)*\p{L}")  # U.S, U.K, e.g, i.e, a.m (the final '.' excluded)


def _is_abbreviation(text: str, dot: int, lo: int, next_char: str | None) -> bool:
    """Whether the '.' at `dot` ends an abbreviation or an initial rather than a sentence."""
    start = dot
    floor = max(lo, dot - 40)
    while start > floor and not text[start - 1].isspace():
        start -= 1
    word = text[start:dot].lstrip(_OPENERS)
    if not word:
        return False
    if len(word) == 1 and word.isalpha() and not word.islower() and word != "I":
        return True  # an initial ("J. Smith"), or a one-letter abbreviation in Thai ("น.")
    if len(word) == 1 and word.isalpha() and _SPACED_ABBREVIATION.match(text, dot + 1):
        return True  # the first half of a spaced abbreviation: "z. B.", "d. h.", "u. a."
    folded = word.casefold()
    if folded in _ABBREVIATIONS:
        return True
    if folded in _BEFORE_NUMBERS:
        return next_char is not None and next_char.isdigit()
    return "." in word and _DOTTED.fullmatch(word) is not None


def _plausible_start(next_char: str | None) -> bool:
    if next_char is None:
        return True
    if next_char in _OPENERS or next_char.isdigit():
        return True
    if next_char.isalpha():
        return not next_char.islower()  # upper case, or a script without case (CJK, Arabic)
    return not next_char.isalnum() and next_char not in ",;:)]}"


def _icu_breaks(text: str, lo: int, hi: int) -> list[int]:
    """ICU's sentence ends inside [lo, hi), less those after an abbreviation or an initial."""
    out: list[int] = []
    line = lo
    while line <= hi:
        newline = text.find("\n", line, hi)
        stop = hi if newline < 0 else newline
        for end in icu.sentence_ends(text, line, stop)[:-1]:
            term = end
            while term > line and (text[term - 1].isspace() or text[term - 1] in _BRACKETS):
                term -= 1  # back over spaces and brackets ICU keeps with the sentence end
            nxt = text[end] if end < stop else None
            if not _plausible_start(nxt):
                continue  # "“Done?” they asked." goes on in lower case
            if text[term - 1] == "." and _is_abbreviation(text, term - 1, line, nxt):
                continue
            out.append(end)
        if newline < 0:
            break
        out.append(newline)
        out.append(newline + 1)
        line = newline + 1
    return out


def _breaks(text: str, lo: int, hi: int) -> list[int]:
    """Sentence break offsets inside [lo, hi), in order."""
    if icu.available():
        return _icu_breaks(text, lo, hi)
    out: list[int] = []
    for match in _END.finditer(text, lo, hi):
        if match.group() == "\n":
            out.append(match.start())
            out.append(match.end())
            continue
        if match.group("cjk"):
            out.append(match.end())
            continue
        term = match.group("term")
        nxt = match.group("next")
        if not _plausible_start(nxt or None):
            continue
        if term == "." and _is_abbreviation(text, match.start("term"), lo, nxt or None):
            continue
        out.append(match.end())
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int] | None:
    """[start, end) without surrounding whitespace, widened to cluster boundaries; None if blank."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start == end:
        return None
    return snap_start(text, start), snap_end(text, end)


def _sentences_in(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    previous = lo
    for cut in _breaks(text, lo, hi) + [hi]:
        cut = snap_end(text, cut) if cut < hi else hi
        if cut <= previous:
            continue
        piece = _trim(text, previous, cut)
        if piece is not None:
            out.append(piece)
        previous = cut
    return out


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences of `text` as trimmed (start, end) ranges, in order, never overlapping.

    A sentence ends at . ! ? … (and CJK 。！？) plus any closing quotes or brackets, when
    followed by whitespace and something that can start a sentence (not a lower-case letter),
    and always at a newline. A full stop after a common abbreviation (Mr. Dr. St. No. Jan. etc.),
    a dotted abbreviation (U.S. e.g. i.e.) or an initial ("J. Smith") does not end one; a
    decimal point ("3.5") never can, having no space after it.
    """
    return _sentences_in(text, 0, len(text))


def paragraphs(text: str) -> list[tuple[int, int]]:
    """Every non-blank line as a trimmed (start, end) range, in order."""
    out: list[tuple[int, int]] = []
    start = 0
    length = len(text)
    while start <= length:
        newline = text.find("\n", start)
        end = length if newline < 0 else newline
        piece = _trim(text, start, end)
        if piece is not None:
            out.append(piece)
        start = end + 1
    return out


def _line_bounds(text: str, i: int) -> tuple[int, int]:
    lo = text.rfind("\n", 0, i) + 1
    hi = text.find("\n", i)
    return lo, len(text) if hi < 0 else hi


def _nearest(ranges: list[tuple[int, int]], i: int) -> tuple[int, int]:
    starts = [start for start, _ in ranges]
    k = bisect_right(starts, i) - 1
    candidates = [ranges[j] for j in (k, k + 1) if 0 <= j < len(ranges)]

    def distance(span: tuple[int, int]) -> int:
        start, end = span
        return 0 if start <= i < end else min(abs(i - start), abs(i - end))

    return min(candidates, key=distance)


_NON_SPACE = regex.compile(r"\S")
_NON_SPACE_BACK = regex.compile(r"(?r)\S")


def paragraph_at(text: str, i: int) -> tuple[int, int]:
    """The paragraph (non-blank line) holding offset i, or the nearest one; (i, i) if none."""
    i = _clamp(text, i)
    lo, hi = _line_bounds(text, i)
    piece = _trim(text, lo, hi)
    if piece is not None:
        return piece
    candidates: list[tuple[int, int]] = []
    before = _NON_SPACE_BACK.search(text, 0, lo)
    after = _NON_SPACE.search(text, hi)
    for found in (before, after):
        if found is not None:
            line = _trim(text, *_line_bounds(text, found.start()))
            if line is not None:
                candidates.append(line)
    return _nearest(candidates, i) if candidates else (i, i)


_EDGE = 64  # sentence breaks this close to a window's cut edge may lack context


def sentence_at(text: str, i: int) -> tuple[int, int]:
    """The sentence holding offset i, or the nearest one (in the nearest paragraph); (i, i) if none.

    Only a window of the paragraph around i is examined, so this is cheap on a long article.
    """
    i = _clamp(text, i)
    lo, hi = paragraph_at(text, i)
    if lo == hi:
        return i, i
    reach = WINDOW
    while True:
        a, b = max(lo, i - reach), min(hi, i + reach)
        if a > lo:
            a = snap_start(text, a)
        if b < hi:
            b = snap_end(text, b)
        found = [
            (start, end)
            for start, end in _sentences_in(text, a, b)
            if (a == lo or start >= a + _EDGE) and (b == hi or end <= b - _EDGE)
        ]
        if found and (a == lo or found[0][0] <= i) and (b == hi or i < found[-1][1]):
            return _nearest(found, i)
        if a == lo and b == hi:
            return lo, hi
        reach *= 4
