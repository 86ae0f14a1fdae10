"""Cell widths that agree with the terminal: the one override newsdesk makes to Rich's table.

Rich (and so Textual's compositor, `Strip`, `Content` and every `cell_len` newsdesk calls) gives
*spacing* combining marks (general category Mc: the Bengali vowel sign U+09C7, Devanagari U+093E,
Myanmar U+102C, Tamil U+0BBE ...) a width of 0 cells. Terminals do not: glibc's `wcwidth`, which
tmux, xterm, VTE and most others use, gives every Mc code point one cell, and only non-spacing
(Mn), enclosing (Me) and format (Cf) characters none. A Bengali paragraph Rich measures at 205
cells is drawn in 263, so lines overflowed their box and the cursor was drawn left of its
character.

`install()` fixes it at the depth the disagreement comes from: it wraps Rich's cell-table loader
so the width-0 ranges lose their Mc code points (which then get Rich's default of one cell), and
clears Rich's width caches. Everything that measures through Rich then agrees with the terminal,
wrapping, cropping, the library's columns and Textual's own layout alike. Emoji keep Rich's widths
(ZWJ sequences and flags two cells, as tmux and modern terminals draw them); emoji with a skin-tone
modifier or VS16 are drawn differently by different terminals, so no table can match them all.

Idempotent and cheap (a few hundred ranges, done once per Unicode version).
"""

from __future__ import annotations

import unicodedata
from functools import cache
from typing import Sequence

__all__ = ["install", "terminal_widths"]


def terminal_widths(widths: Sequence[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Rich's (start, end, width) ranges with every spacing mark (Mc) taken out of the width-0 ones."""
    out: list[tuple[int, int, int]] = []
    for start, end, width in widths:
        if width != 0:
            out.append((start, end, width))
            continue
        run = start
        for codepoint in range(start, end + 1):
            if unicodedata.category(chr(codepoint)) == "Mc":
                if run < codepoint:
                    out.append((run, codepoint - 1, 0))
                run = codepoint + 1
        if run <= end:
            out.append((run, end, 0))
    return out


def install() -> None:
    """Make Rich (and so Textual) measure spacing marks as one cell, as terminals draw them."""
    import rich.cells as cells

    if getattr(cells.load_cell_table, "newsdesk_terminal_widths", False):
        return
    original = cells.load_cell_table

    @cache
    def load_cell_table(unicode_version: str = "auto"):  # type: ignore[no-untyped-def]
        table = original(unicode_version)
        return table._replace(widths=terminal_widths(table.widths))

    load_cell_table.newsdesk_terminal_widths = True  # type: ignore[attr-defined]
    cells.load_cell_table = load_cell_table
    cells.get_character_cell_size.cache_clear()
    cells.cached_cell_len.cache_clear()
