"""Drawing jump hints: labels painted over a rendered row's cells, so the text never moves.

The state (which word has which label, what was typed) is `annotations.hints.JumpHints`; this
module only turns the hints of one visual row into cells over that row's `Strip`. A label
covers the first cells of its word; a wide character it half covers shows as a space beside
the label. Labels are plain letters from the hint alphabet, drawn as `Segment`s (never markup).
"""

from __future__ import annotations

from typing import Iterable, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.strip import Strip

from newsdesk.annotations.hints import Hint

from .wrap import display_text

__all__ = ["HINT_STYLE", "HINT_TYPED_STYLE", "row_labels", "paint_labels"]

HINT_STYLE = Style(color="#000000", bgcolor="#ffd75f", bold=True)
"""A label: black on bright yellow, bold, unlike any topic tint, the selection or search marks."""

HINT_TYPED_STYLE = Style(color="#5f5f5f", bgcolor="#ffd75f")
"""The letters of a label already typed (dimmed), so the person sees what remains to type."""


def row_labels(
    text: str, row_start: int, row_end: int, hints: Iterable[Hint], typed: str, left: int = 0
) -> list[tuple[int, str, str]]:
    """(column, typed part, remaining part) for each hint whose word starts on the row [row_start, row_end).

    `left` is the column where the row's text begins (after the gutter).
    """
    placed = []
    for hint in hints:
        if row_start <= hint.start < row_end or (hint.start == row_end == row_start):
            column = left + cell_len(display_text(text[row_start : hint.start]))
            placed.append((column, hint.label[: len(typed)], hint.label[len(typed) :]))
    return placed


def paint_labels(strip: Strip, labels: Sequence[tuple[int, str, str]], width: int) -> Strip:
    """`strip` with each label's letters drawn from its column on (clipped at `width`)."""
    if not labels:
        return strip
    pieces: list[Strip] = []
    cursor = 0
    for column, typed, rest in sorted(labels):
        if column < cursor or column >= width:
            continue  # overlapping a previous label (a one-letter word): the earlier one wins
        label = (typed + rest)[: width - column]
        if not label:
            continue
        pieces.append(strip.crop(cursor, column))
        segments = []
        if typed:
            segments.append(Segment(typed[: len(label)], HINT_TYPED_STYLE))
        if len(label) > len(typed):
            segments.append(Segment(label[len(typed) :], HINT_STYLE))
        pieces.append(Strip(segments, len(label)))
        cursor = column + len(label)
    pieces.append(strip.crop(cursor, strip.cell_length))
    return Strip.join(pieces).adjust_cell_length(strip.cell_length)
