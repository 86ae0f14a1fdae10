"""Grapheme clusters (UAX #29 via `regex`'s ``\\X``), found locally: no offset falls inside one.

Split from `annotations.text`, which re-exports the public functions. A cluster is found by
restarting ``\\X`` at the nearest *safe point* at or before i: a position after a newline or
control, or between a character of break class Other and one that cannot extend a cluster (UAX
#29 rules GB4, GB5, GB999 decide those pairs on their own). The search looks back at most
`WINDOW` code points; only a run longer than that with no safe point at all (a wall of flags or
of stacked accents, not prose) can be split approximately.
"""

from __future__ import annotations

import regex

__all__ = ["WINDOW", "is_boundary", "snap_start", "snap_end", "snap_span", "next_grapheme", "prev_grapheme"]

#: How far back (in code points) the local functions look for a place to restart ``\X``.
WINDOW = 2048


_GRAPHEME = regex.compile(r"\X", regex.DOTALL)

# A pair of adjacent characters with a cluster boundary between them whatever comes before:
# after a control or LF (GB4), before one (GB5), or a break-class-Other character followed by one
# that cannot extend a cluster (GB999; Other is never Prepend, ZWJ, RI or Hangul). CR LF excluded.
_CTRL = r"\p{GCB=Control}\p{GCB=CR}\p{GCB=LF}"
_SAFE_PAIR = regex.compile(
    r"(?r)(?!\r\n)(?:[" + _CTRL + r"].|.[" + _CTRL + r"])"
    r"|\p{GCB=Other}[^\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]",
    regex.DOTALL,
)


def _clamp(text: str, i: int) -> int:
    return 0 if i < 0 else len(text) if i > len(text) else i


_RI = regex.compile(r"\p{RI}")
_NOT_RI_BACK = regex.compile(r"(?r)\P{RI}", regex.DOTALL)
_OTHER = regex.compile(r"\p{GCB=Other}")
_EXTENDING = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]")
_EXTENDING_RUN = regex.compile(r"[\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}]+")
_LEFT_SAFE: dict[str, bool] = {}  # memo: does a boundary always follow this character?
_RIGHT_SAFE: dict[str, bool] = {}  # memo: can this character never extend a cluster?


def _left_safe(char: str) -> bool:
    safe = _LEFT_SAFE.get(char)
    if safe is None:
        safe = _LEFT_SAFE[char] = char != "\r" and _OTHER.match(char) is not None
    return safe


def _right_safe(char: str) -> bool:
    safe = _RIGHT_SAFE.get(char)
    if safe is None:
        safe = _RIGHT_SAFE[char] = _EXTENDING.match(char) is None
    return safe


def _restart(text: str, i: int) -> int:
    """A position <= i (0 <= i < len(text)) where a cluster certainly starts, at most WINDOW back."""
    if i == 0:
        return 0
    a, b = text[i - 1], text[i]
    if a == "\n" or (_left_safe(a) and _right_safe(b)):
        return i  # the common case, decided without a search
    lo = max(0, i - WINDOW)
    match = _SAFE_PAIR.search(text, lo, i + 1)
    if match:
        return match.start() + 1
    if _RI.match(text, lo):
        # A wall of flags: pairs count from the start of the run, which a C-speed search finds.
        before = _NOT_RI_BACK.search(text, 0, lo)
        run_start = before.end() if before else 0
        return lo + (lo - run_start) % 2
    return lo  # a wall of stacked marks: approximate, see the module docstring


def _flag_at(text: str, i: int) -> tuple[int, int]:
    """The cluster holding the regional indicator text[i]: indicators pair from their run's start."""
    before = _NOT_RI_BACK.search(text, 0, i)
    run_start = before.end() if before else 0
    start = i - (i - run_start) % 2
    if start == run_start and start > 0 and _restart(text, start) != start:
        return _cluster_from(text, _restart(text, start), i)  # a Prepend or similar before the run
    end = start + 2 if _RI.match(text, start + 1) else start + 1
    extend = _EXTENDING_RUN.match(text, end)
    return start, extend.end() if extend else end


def _cluster(text: str, i: int) -> tuple[int, int]:
    """(start, end) of the grapheme cluster holding text[i], 0 <= i < len(text)."""
    if _RI.match(text, i):
        return _flag_at(text, i)
    return _cluster_from(text, _restart(text, i), i)


def _cluster_from(text: str, pos: int, i: int) -> tuple[int, int]:
    # \X is run on a slice: given a position inside a run of regional indicators, `regex` looks
    # back over the whole run to count them, which would cost O(run) per call.
    reach = 64
    while True:
        hi = min(len(text), i + reach)
        for match in _GRAPHEME.finditer(text[pos:hi]):
            end = pos + match.end()
            if end > i:
                if end < hi or hi == len(text) or reach >= WINDOW:
                    return pos + match.start(), end
                break
        reach *= 8


def is_boundary(text: str, i: int) -> bool:
    """Whether offset i is a grapheme-cluster boundary (0 and len(text) always are)."""
    i = _clamp(text, i)
    if i == 0 or i == len(text):
        return True
    return _cluster(text, i)[0] == i


def snap_start(text: str, i: int) -> int:
    """The largest grapheme boundary <= i."""
    i = _clamp(text, i)
    return i if i == len(text) else _cluster(text, i)[0]


def snap_end(text: str, i: int) -> int:
    """The smallest grapheme boundary >= i."""
    i = _clamp(text, i)
    if i == len(text):
        return i
    start, end = _cluster(text, i)
    return i if start == i else end


def snap_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A range widened to grapheme boundaries; start and end are swapped if reversed."""
    if end < start:
        start, end = end, start
    return snap_start(text, start), snap_end(text, end)


def next_grapheme(text: str, i: int) -> int:
    """The first grapheme boundary after i (len(text) at the end)."""
    i = _clamp(text, i)
    return i if i == len(text) else _cluster(text, i)[1]


def prev_grapheme(text: str, i: int) -> int:
    """The last grapheme boundary before i (0 at the start)."""
    i = _clamp(text, i)
    return 0 if i == 0 else _cluster(text, i - 1)[0]
