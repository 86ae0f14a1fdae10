"""How the library list lays out a row: column widths for a widget width, and text fitted to them.

Pure functions over `rich.cells` widths (no Textual): `_Layout.for_width` picks which columns
show, `_fit`/`_fit_right`/`_fit_visual` pad or cut text to a column (the last in visual order
for right-to-left titles), `_date_text` and `_progress_text` are the date and progress cells.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size

from . import bidi

if TYPE_CHECKING:  # pragma: no cover
    from .library_rows import LibraryRow

_DATE_WIDTH = 10  # YYYY-MM-DD
_MARK_WIDTH = 2  # "● "



def _fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` cells; a cut ends in `…`."""
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return text + " " * (width - length)
    return set_cell_size(text, width - 1) + "…"


def _fit_visual(text: str, width: int) -> str:
    """`_fit` for a title that may be right-to-left: cut in reading order, then drawn in visual order.

    The cut keeps the title's start (the right of an Arabic or Hebrew title, its `…` on the left);
    the padding goes after reordering so it stays on the right of the column.
    """
    if width <= 0:
        return ""
    if cell_len(text) > width:
        text = set_cell_size(text, width - 1) + "…"
    return _fit(bidi.visual_text(text), width)


def _fit_right(text: str, width: int) -> str:
    if width <= 0:
        return ""
    length = cell_len(text)
    if length <= width:
        return " " * (width - length) + text
    return set_cell_size(text, width - 1) + "…"


def _date_text(row: LibraryRow) -> str:
    published = row.entry.published
    if published is None:
        return "—"
    # isoformat() would add a time to a datetime; strftime pads years < 1000 differently by platform.
    return f"{published.year:04d}-{published.month:02d}-{published.day:02d}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _progress_text(row: LibraryRow, width: int) -> str:
    """`12 spans · 3 topics ✓`, shortened to `12 sp · 3 tp ✓` or less when the column is narrow."""
    tick = " ✓" if row.done else ""
    if width < 6 or (not row.spans and not row.topics):
        return tick.strip()
    forms = (
        f"{_plural(row.spans, 'span')} · {_plural(len(row.topics), 'topic')}{tick}",
        f"{row.spans} sp · {len(row.topics)} tp{tick}",
        f"{row.spans}·{len(row.topics)}{tick}",
    )
    for form in forms:
        if cell_len(form) <= width:
            return form
    return forms[-1]



@dataclass(frozen=True)
class _Layout:
    """Column widths for one widget width; gaps are folded into the following column's start."""

    width: int
    date: int
    source: int
    title: int
    progress: int

    @staticmethod
    @lru_cache(maxsize=32)
    def for_width(width: int) -> "_Layout":
        rest = width - _MARK_WIDTH
        if width >= 100:
            source, progress = min(24, width // 6), 22
        elif width >= 60:
            source, progress = max(8, width // 7), 16
        elif width >= 40:
            source, progress = 0, 2  # just the ✓
        else:
            source, progress = 0, 0
        date = _DATE_WIDTH if width >= 30 else 0
        used = sum(column + 2 for column in (date, source, progress) if column)
        title = max(0, rest - used)
        return _Layout(width, date, source, title, progress)
