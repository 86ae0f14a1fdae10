"""ICU's break iterators (UAX #14 lines, UAX #29 words and sentences) in code-point offsets.

ICU is the field's segmentation library: dictionary-based words for Thai, Lao, Khmer, Burmese,
Chinese and Japanese, sentence rules that know the danda `।`, the Burmese `။` and CJK `。`, and
the line-breaking rules that keep `,` and `。` off the start of a line. It comes from `icu4py`,
whose wheels bundle ICU 78 for Linux and macOS (no system ICU, no compiler).

ICU counts in UTF-16 code units; newsdesk's offsets are code points. Every function here takes a
slice ``text[lo:hi]`` (callers pass bounded windows, so cost stays local on a 1 MB article) and
returns absolute code-point offsets. icu4py is imported on first use (it maps 33 MB of ICU
data), and `available()` is False where it cannot be installed (Python 3.10): `annotations.text`
then falls back to its regex rules.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from typing import Any

__all__ = ["available", "word_segments", "sentence_ends", "line_breaks"]

_ASTRAL = re.compile("[\U00010000-\U0010ffff]")
_LOCALE = "und"
_module: Any = None
_missing = False


def _breakers() -> Any:
    global _module, _missing
    if _module is None and not _missing:
        try:
            import icu4py.breakers as breakers
        except ImportError:
            _missing = True
        else:
            _module = breakers
    return _module


def available() -> bool:
    """Whether ICU's break iterators can be used here."""
    return _breakers() is not None


def _to_code_points(piece: str, lo: int, bounds: list[int]) -> list[int]:
    """UTF-16 offsets into `piece` as absolute code-point offsets (piece starts at lo)."""
    astral = [match.start() for match in _ASTRAL.finditer(piece)]
    if not astral:
        return [lo + b for b in bounds]
    # The k-th astral character starts at UTF-16 offset (code-point offset + k); a boundary x
    # has as many surrogate pairs before it as astral characters starting before it.
    units = [start + k for k, start in enumerate(astral)]
    return [lo + b - bisect_left(units, b) for b in bounds]


def _segments(kind: str, text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    piece = text[lo:hi]
    if not piece:
        return []
    breaker = getattr(_breakers(), kind)(piece, _LOCALE)
    flat: list[int] = [0]
    for _start, end in breaker.segments():
        flat.append(end)
    points = _to_code_points(piece, lo, flat)
    return list(zip(points, points[1:]))


def word_segments(text: str, lo: int, hi: int) -> list[tuple[int, int]]:
    """ICU word-break segments tiling text[lo:hi] (words, spaces and punctuation alike)."""
    return _segments("WordBreaker", text, lo, hi)


def sentence_ends(text: str, lo: int, hi: int) -> list[int]:
    """Offsets in (lo, hi] where ICU ends a sentence (after its trailing spaces)."""
    return [end for _start, end in _segments("SentenceBreaker", text, lo, hi)]


def line_breaks(text: str, lo: int, hi: int) -> list[int]:
    """Offsets in (lo, hi] where a line may start (UAX #14 break opportunities), and hi."""
    return [end for _start, end in _segments("LineBreaker", text, lo, hi)]
