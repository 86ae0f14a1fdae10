"""Soft-wrapping an article's text to a width in terminal cells, never splitting a grapheme.

`wrap_text` turns text into visual lines, each a (start, end) range of code points (end excludes
the newline), breaking at spaces where it can and inside a word only when a word is wider than
the line. Widths are cells (rich's `cell_len`: CJK and most emoji take two; spacing marks one, as
terminals draw them, see `newsdesk.tui.cells`). Paragraphs outside the plain fast path break at
ICU's UAX #14 line-break opportunities (no line starts with `,` or `。`; Korean breaks between
words). Paragraphs of plain one-cell characters, which is most news text, take a fast path where
`len` is the width.
`WrappedText` holds the result and answers the questions a cursor asks (which row holds an
offset, which offset sits at a column).

Pure: no Textual, so it can be tested and timed on its own.
"""

from __future__ import annotations

import re
from bisect import bisect_right

import regex
from rich.cells import cell_len

from newsdesk.annotations import icu

__all__ = ["WrappedText", "wrap_text", "TAB_WIDTH", "display_text"]

TAB_WIDTH = 4
"""A tab is one code point shown as this many spaces (a fixed width keeps wrapping local)."""

# Characters that are one cell wide and always a grapheme of their own (checked against rich's
# cell_len and regex's \X): ASCII, Latin-1 and Latin Extended, IPA, Greek, Cyrillic, general
# punctuation (dashes, curly quotes, ellipsis) and currency signs. A paragraph with nothing
# outside this set wraps like ASCII, `len` being its width; real news text is mostly that.
_COMPLEX = re.compile(
    "[^\x20-\x7e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u0482\u048a-\u052f"
    "\u2010-\u2027\u2030-\u205e\u20a0-\u20bf]"
)
_GRAPHEME = regex.compile(r"\X")
_TAB_TEXT = " " * TAB_WIDTH


def _grapheme_width(grapheme: str, _cache: dict[str, int] = {}) -> int:
    """Cells a grapheme takes on screen (a tab counts TAB_WIDTH)."""
    width = _cache.get(grapheme)
    if width is None:
        width = TAB_WIDTH if grapheme == "\t" else cell_len(grapheme)
        if len(_cache) < 65536:
            _cache[grapheme] = width
    return width


def display_text(text: str) -> str:
    """The characters to draw for a slice of article text (tabs become spaces)."""
    return text.replace("\t", _TAB_TEXT) if "\t" in text else text


_HANGUL = regex.compile(r"[\p{Hangul}]")


def _break_opportunities(text: str, start: int, end: int) -> set[int] | None:
    """Where a line of text[start:end] may begin: ICU's UAX #14 opportunities, Korean kept whole.

    UAX #14 lets a line break between any two Hangul syllables; Korean is written with spaces
    and breaks between words (CSS `word-break: keep-all`), so those opportunities are dropped.
    None when ICU is not installed (the caller then breaks after spaces and wide characters).
    """
    if not icu.available():
        return None
    found = set(icu.line_breaks(text, start, end))
    if _HANGUL.search(text, start, end):
        found = {
            b for b in found if not (b < end and _HANGUL.match(text, b) and _HANGUL.match(text, b - 1))
        }
    return found


def _wrap_complex(text: str, start: int, end: int, width: int, starts: list[int], ends: list[int]) -> None:
    """Wrap one paragraph grapheme by grapheme, by cell width, at line-break opportunities."""
    opportunities = _break_opportunities(text, start, end)
    pos = start
    col = 0
    brk = -1  # offset after the last break opportunity
    brk_col = 0  # column at brk
    for match in _GRAPHEME.finditer(text, start, end):
        here = match.start()
        grapheme = match.group()
        w = _grapheme_width(grapheme)
        if col + w > width and here > pos:
            if grapheme == " " and col <= width:
                # One space may hang in the margin cell so a word that fits exactly stays put.
                col += 1
                brk, brk_col = match.end(), col
                continue
            if brk <= pos or (opportunities is None and w >= 2):
                cut, cut_col = here, col  # no opportunity on the line: cut between graphemes
            else:
                cut, cut_col = brk, brk_col
            starts.append(pos)
            ends.append(cut)
            pos = cut
            col -= cut_col
        col += w
        if opportunities is None:
            if w >= 2 or grapheme == " " or grapheme == "\t":
                brk, brk_col = match.end(), col
        elif match.end() in opportunities:
            brk, brk_col = match.end(), col
    starts.append(pos)
    ends.append(end)


def wrap_text(text: str, width: int) -> tuple[list[int], list[int]]:
    """Soft-wrap `text` into visual lines at most `width` cells wide (plus one hanging space).

    Returns parallel lists of line starts and ends (code points, end exclusive, a line's end
    never includes its newline). Lines break after a space where possible, else between wide
    characters, else anywhere between graphemes; every grapheme of a paragraph is on exactly one
    line, so the lines of a paragraph tile it. Blank lines are kept.
    """
    width = max(2, width)
    starts: list[int] = []
    ends: list[int] = []
    append_start = starts.append
    append_end = ends.append
    complex_search = _COMPLEX.search
    rfind = text.rfind
    length = len(text)
    pos = 0
    while True:
        newline = text.find("\n", pos)
        end = length if newline == -1 else newline
        if end - pos <= width and not complex_search(text, pos, end):
            append_start(pos)
            append_end(end)
        elif complex_search(text, pos, end):
            _wrap_complex(text, pos, end, width, starts, ends)
        else:
            line = pos
            while True:
                if end - line <= width:
                    append_start(line)
                    append_end(end)
                    break
                space = rfind(" ", line + 1, line + width + 1)
                cut = space + 1 if space != -1 else line + width
                if cut >= end:
                    append_start(line)
                    append_end(end)
                    break
                append_start(line)
                append_end(cut)
                line = cut
        if newline == -1:
            break
        pos = newline + 1
    return starts, ends


class WrappedText:
    """The visual lines of a text at one width, and the mapping between offsets and cells.

    Headless (no Textual): the widget keeps one and the tests can poke it directly.
    """

    def __init__(self, text: str, width: int) -> None:
        self.text = text
        self.width = max(2, width)
        self.starts, self.ends = wrap_text(text, self.width)

    def __len__(self) -> int:
        return len(self.starts)

    def row_of(self, offset: int) -> int:
        """The visual row showing `offset` (a wrap point belongs to the row it starts)."""
        return max(0, bisect_right(self.starts, offset) - 1)

    def line(self, row: int) -> tuple[int, int]:
        """(start, end) of visual row `row`."""
        return self.starts[row], self.ends[row]

    def is_final(self, row: int) -> bool:
        """Whether `row` ends its paragraph (so its end offset is a place the cursor can sit)."""
        end = self.ends[row]
        return end >= len(self.text) or self.text[end] == "\n"

    def is_simple(self, row: int) -> bool:
        """Whether every code point of the row is a one-cell grapheme (column = offset - start)."""
        return not _COMPLEX.search(self.text, self.starts[row], self.ends[row])

    def graphemes(self, row: int) -> list[tuple[int, int, int]]:
        """(offset, column, width) of each grapheme of `row`."""
        start, end = self.starts[row], self.ends[row]
        if self.is_simple(row):
            return [(offset, offset - start, 1) for offset in range(start, end)]
        cells = []
        col = 0
        for match in _GRAPHEME.finditer(self.text, start, end):
            w = _grapheme_width(match.group())
            cells.append((match.start(), col, w))
            col += w
        return cells

    def col_of(self, offset: int, row: int | None = None) -> int:
        """The cell column (within the text area) where `offset` is drawn."""
        if row is None:
            row = self.row_of(offset)
        start = self.starts[row]
        offset = min(max(offset, start), self.ends[row])
        if self.is_simple(row):
            return offset - start
        col = 0
        for match in _GRAPHEME.finditer(self.text, start, offset):
            col += _grapheme_width(match.group())
        return col

    def offset_at(self, row: int, col: int) -> int:
        """The grapheme boundary drawn at cell `col` of `row` (the row's end past its text)."""
        row = min(max(row, 0), len(self.starts) - 1)
        start, end = self.starts[row], self.ends[row]
        col = max(0, col)
        final = self.is_final(row)
        if self.is_simple(row):
            if start + col < end:
                return start + col
            return end if final or end == start else end - 1
        last = start
        for offset, cell, w in self.graphemes(row):
            if col < cell + w:
                return offset
            last = offset
        return end if final or end == start else last
