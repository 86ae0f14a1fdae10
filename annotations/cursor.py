"""The cursor, its anchor, the selection and every motion over one article's text, without a screen.

Textual's `TextArea` keeps its `Document`, `Selection` and navigator apart from the widget; this is
newsdesk's counterpart. `ArticleView` (and each pane of side by side) owns one `Cursor`, routes keys
to it and draws what it holds; tests drive it directly. Vertical motions need the wrapped layout,
which belongs to the widget, so they take any object with the small `Layout` interface.

Offsets are code-point indexes into the text, always on grapheme boundaries (the rules are in
`annotations.text`). The selection runs from the anchor to the cursor, end exclusive: a cursor
drawn on the comma after "Colorado" with the anchor on its "C" selects exactly "Colorado".
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left, bisect_right
from typing import Literal, Protocol, Sequence

import regex

from . import text as textrules

__all__ = [
    "Cursor",
    "Granularity",
    "Layout",
    "GRANULARITIES",
    "word_end",
    "next_big_word",
    "prev_big_word",
    "big_word_end",
    "is_word",
    "snap_to_words",
    "trim_to_content",
    "moved_edge",
]

Granularity = Literal["word", "grapheme"]
GRANULARITIES: tuple[str, ...] = ("word", "grapheme")


class Layout(Protocol):
    """The wrapped rows of the text, as vertical motions need them (`WrappedText` is one)."""

    def __len__(self) -> int: ...

    def row_of(self, offset: int) -> int: ...

    def col_of(self, offset: int, row: int) -> int: ...

    def offset_at(self, row: int, col: int) -> int: ...


# -- words ------------------------------------------------------------------------------------
_BIG_START = regex.compile(r"(?<!\S)\S")
_BIG_START_BACK = regex.compile(r"(?r)(?<!\S)\S")
_BIG_END = regex.compile(r"\S(?!\S)")


def is_word(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (as `text.word_at` gives it) is a word, not a space or punctuation."""
    return any(char.isalnum() or char == "_" for char in text[start:end])


def word_end(text: str, i: int) -> int:
    """The end of the word under or after `i` (vim ``e``): the first word end past `i`; len(text) when none."""
    if i >= len(text):
        return len(text)
    i = textrules.snap_start(text, max(0, i))
    start, end = textrules.word_at(text, i)
    if is_word(text, start, end) and end > i:
        return end
    following = textrules.next_word(text, i)
    if following >= len(text):
        return len(text)
    return textrules.word_at(text, following)[1]


def next_big_word(text: str, i: int) -> int:
    """The start of the next whitespace-delimited word after `i` (vim ``W``); len(text) when none."""
    found = _BIG_START.search(text, min(len(text), max(0, i) + 1))
    return textrules.snap_start(text, found.start()) if found else len(text)


def prev_big_word(text: str, i: int) -> int:
    """The start of the whitespace-delimited word before `i` (vim ``B``); 0 when none."""
    found = _BIG_START_BACK.search(text, 0, min(len(text), max(0, i)))
    return textrules.snap_start(text, found.start()) if found else 0


def big_word_end(text: str, i: int) -> int:
    """The end of the whitespace-delimited word under or after `i` (vim ``E``); len(text) when none."""
    found = _BIG_END.search(text, min(len(text), max(0, i)))
    return textrules.snap_end(text, found.end()) if found else len(text)


def snap_to_words(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) grown so no word is cut at either end (a word is never split by a selection)."""
    start, end = textrules.snap_span(text, start, end)
    if start >= end:
        return start, end
    word_start, word_stop = textrules.word_at(text, start)
    if is_word(text, word_start, word_stop) and word_start < start:
        start = word_start
    last = textrules.prev_grapheme(text, end)
    word_start, word_stop = textrules.word_at(text, last)
    if is_word(text, word_start, word_stop) and word_stop > end:
        end = word_stop
    return start, end


# Punctuation kept at the edge of a span: it belongs to what it follows or precedes ("5%", "#1").
_KEEP = set("%‰‱#@&*§†‡°′″")


def _trimmable(cluster: str) -> bool:
    char = cluster[0]
    if char in _KEEP:
        return False
    if char.isspace():
        return True
    category = unicodedata.category(char)
    return category[0] in "PZ" or category in ("Cc", "Cf")


def _inside_token(text: str, start: int, end: int) -> bool:
    """Whether the cluster text[start:end] is part of a longer token ("U.S.", "3.5"), not on its own."""
    lo = start
    while lo > 0 and not text[lo - 1].isspace() and start - lo < 64:
        lo -= 1
    hi = end
    while hi < len(text) and not text[hi].isspace() and hi - end < 64:
        hi += 1
    for token_start, token_end in textrules.tokens(text[lo:hi]):
        if token_start <= start - lo and end - lo <= token_end:
            return token_end - token_start > end - start
    return False


def trim_to_content(text: str, start: int, end: int) -> tuple[int, int]:
    """[start, end) without the spaces, punctuation and quotes at its ends.

    "Colorado, " becomes "Colorado", "“Putin.”" becomes "Putin"; a full stop that is part of a
    token ("U.S.") and marks that belong to a number or tag ("5%", "#1") stay.
    """
    start, end = textrules.snap_span(text, start, end)
    while start < end:
        after = textrules.next_grapheme(text, start)
        if not _trimmable(text[start:after]) or _inside_token(text, start, after):
            break
        start = after
    while end > start:
        before = textrules.prev_grapheme(text, end)
        if not _trimmable(text[before:end]) or _inside_token(text, before, end):
            break
        end = before
    return start, end


# -- the cursor --------------------------------------------------------------------------------
class Cursor:
    """A grapheme-safe cursor over `text`, an anchor, and the selection between them.

    Motions move the cursor; with `extend=True` (or after `toggle_anchor`, vim's `v`) they grow the
    selection from the anchor instead of dropping it. A selection made with word motions or the
    mouse (`words=True`) snaps to whole words when `granularity` is "word"; `tag_range()` is what
    tagging stores: that selection trimmed of edge punctuation and spaces ("word"), or exactly the
    selection ("grapheme").
    """

    def __init__(self, text: str = "", offset: int = 0, *, granularity: Granularity = "word") -> None:
        if granularity not in GRANULARITIES:
            raise ValueError(f"granularity must be one of {', '.join(GRANULARITIES)}, not {granularity!r}")
        self.granularity: Granularity = granularity
        self._text = ""
        self._offset = 0
        self._anchor: int | None = None
        self._sticky = False
        self._words = False
        self.goal_col: int | None = None
        """The column vertical motions keep (None: take the cursor's)."""
        self._sentence_starts: list[int] | None = None
        self._paragraph_starts: list[int] | None = None
        self.set_text(text, offset)

    # -- state ------------------------------------------------------------------------------
    @property
    def text(self) -> str:
        """The text the cursor moves over."""
        return self._text

    def set_text(self, text: str, offset: int = 0) -> None:
        """Move over a new `text`, the cursor at `offset`, no selection."""
        self._text = text
        self._sentence_starts = None
        self._paragraph_starts = None
        self._anchor = None
        self._sticky = False
        self._words = False
        self.goal_col = None
        self._offset = self.snap(offset)

    @property
    def offset(self) -> int:
        """The cursor's code-point offset (a grapheme boundary, 0..len(text))."""
        return self._offset

    @property
    def anchor(self) -> int | None:
        """Where the selection starts from (None when none is being made)."""
        return self._anchor

    @property
    def sticky(self) -> bool:
        """Whether every motion extends the selection (`v` was pressed)."""
        return self._sticky

    @property
    def selecting(self) -> bool:
        """Whether an anchor is down (a selection, possibly still empty, is being made)."""
        return self._anchor is not None or self._sticky

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected (start, end), start < end, on grapheme (and, when snapping, word) boundaries."""
        if self._anchor is None or self._anchor == self._offset:
            return None
        start, end = sorted((self._anchor, self._offset))
        if self._words and self.granularity == "word":
            start, end = snap_to_words(self._text, start, end)
        else:
            start, end = textrules.snap_span(self._text, start, end)
        return (start, end) if start < end else None

    def tag_range(self) -> tuple[int, int] | None:
        """What tagging the selection stores: trimmed of edge punctuation and spaces in "word"
        granularity, exactly the selection in "grapheme" granularity; None when nothing is left."""
        selection = self.selection
        if selection is None:
            return None
        if self.granularity == "grapheme":
            return selection if self._text[selection[0]:selection[1]].strip() else None
        start, end = trim_to_content(self._text, *selection)
        return (start, end) if start < end else None

    def word_under(self) -> tuple[int, int] | None:
        """The word under the cursor (or just before it, at a word's end); None off any word."""
        text = self._text
        for offset in (self._offset, textrules.prev_grapheme(text, self._offset)):
            if offset < len(text):
                start, end = textrules.word_at(text, offset)
                if is_word(text, start, end):
                    return start, end
        return None

    def snap(self, offset: int) -> int:
        """`offset` clamped into the text and moved back onto a grapheme boundary."""
        offset = min(max(0, int(offset)), len(self._text))
        return textrules.snap_start(self._text, offset)

    # -- moving -----------------------------------------------------------------------------
    def move_to(self, offset: int, *, extend: bool = False, words: bool = False, keep_goal: bool = False) -> None:
        """Move the cursor to `offset` (snapped); `extend` grows the selection from the anchor.

        Without `extend` the selection is dropped, unless `v` made the anchor sticky. `words`
        says the move was by words (or the mouse), so the selection snaps to whole words.
        """
        if not keep_goal:
            self.goal_col = None
        if extend or self._sticky:
            if self._anchor is None:
                self._anchor = self._offset
            self._words = words
        else:
            self._anchor = None
            self._words = False
        self._offset = self.snap(offset)

    def select(self, start: int, end: int, *, words: bool = False) -> None:
        """Select [start, end) (snapped); the cursor goes to `end`, the anchor to `start`."""
        start, end = sorted((self.snap(start), min(max(0, end), len(self._text))))
        start, end = textrules.snap_span(self._text, start, end)
        self._sticky = False
        self._anchor = start
        self._offset = end
        self._words = words
        self.goal_col = None

    def drop_anchor(self) -> None:
        """Put the anchor at the cursor (a mouse press), without making it sticky."""
        self._sticky = False
        self._anchor = self._offset

    def unstick(self) -> None:
        """Keep the anchor where it is, but stop every motion extending from it (end `v` mode)."""
        self._sticky = False

    def toggle_anchor(self) -> None:
        """`v`: make motions select from here; again (or with a selection) to stop selecting."""
        if self.selecting:
            self.clear_selection()
        else:
            self._anchor = self._offset
            self._sticky = True
            self._words = False

    def clear_selection(self) -> bool:
        """Drop the selection and the sticky anchor; the cursor stays. Returns whether there was one."""
        had = self.selecting
        self._anchor = None
        self._sticky = False
        self._words = False
        return had

    # -- motions ----------------------------------------------------------------------------
    def left(self, extend: bool = False) -> None:
        """One grapheme left."""
        self.move_to(textrules.prev_grapheme(self._text, self._offset), extend=extend)

    def right(self, extend: bool = False) -> None:
        """One grapheme right."""
        self.move_to(textrules.next_grapheme(self._text, self._offset), extend=extend)

    def word_next(self, extend: bool = False) -> None:
        """To the start of the next word (`w`)."""
        self.move_to(textrules.next_word(self._text, self._offset), extend=extend, words=True)

    def word_previous(self, extend: bool = False) -> None:
        """To the start of this word, or the previous one (`b`)."""
        self.move_to(textrules.prev_word(self._text, self._offset), extend=extend, words=True)

    def word_end(self, extend: bool = False) -> None:
        """Just past the end of this word, or the next one (`e`)."""
        self.move_to(word_end(self._text, self._offset), extend=extend, words=True)

    def big_word_next(self, extend: bool = False) -> None:
        """To the start of the next whitespace-delimited word (`W`)."""
        self.move_to(next_big_word(self._text, self._offset), extend=extend, words=True)

    def big_word_previous(self, extend: bool = False) -> None:
        """To the start of this whitespace-delimited word, or the previous one (`B`)."""
        self.move_to(prev_big_word(self._text, self._offset), extend=extend, words=True)

    def big_word_end(self, extend: bool = False) -> None:
        """Just past the end of this whitespace-delimited word, or the next one (`E`)."""
        self.move_to(big_word_end(self._text, self._offset), extend=extend, words=True)

    def sentence_starts(self) -> list[int]:
        """Where each sentence starts (computed once per text)."""
        if self._sentence_starts is None:
            self._sentence_starts = [start for start, _ in textrules.sentences(self._text)]
        return self._sentence_starts

    def paragraph_starts(self) -> list[int]:
        """Where each paragraph starts (computed once per text)."""
        if self._paragraph_starts is None:
            self._paragraph_starts = [start for start, _ in textrules.paragraphs(self._text)]
        return self._paragraph_starts

    def next_start(self, starts: Sequence[int]) -> int:
        """The first of the sorted `starts` after the cursor; the text's end when none is."""
        index = bisect_right(starts, self._offset)
        return starts[index] if index < len(starts) else len(self._text)

    def previous_start(self, starts: Sequence[int]) -> int:
        """The last of the sorted `starts` before the cursor; 0 when none is."""
        index = bisect_left(starts, self._offset) - 1
        return starts[index] if index >= 0 else 0

    def sentence_next(self, extend: bool = False) -> None:
        """To the start of the next sentence (`)`)."""
        starts = self.sentence_starts()
        target = self.next_start(starts)
        if not extend and not self._sticky and self._anchor is not None and self._anchor < self._offset:
            # Right after `s` the cursor is at the selection's end, which in Chinese or Japanese
            # (no space after 。) is the next sentence's start already: go there, skip nothing.
            index = bisect_left(starts, self._offset)
            target = starts[index] if index < len(starts) else target
        self.move_to(target, extend=extend, words=True)

    def sentence_previous(self, extend: bool = False) -> None:
        """To the start of this sentence, or the previous one (`(`)."""
        self.move_to(self.previous_start(self.sentence_starts()), extend=extend, words=True)

    def paragraph_next(self, extend: bool = False) -> None:
        """To the start of the next paragraph (`}`)."""
        self.move_to(self.next_start(self.paragraph_starts()), extend=extend, words=True)

    def paragraph_previous(self, extend: bool = False) -> None:
        """To the start of this paragraph, or the previous one (`{`)."""
        self.move_to(self.previous_start(self.paragraph_starts()), extend=extend, words=True)

    def to_start(self, extend: bool = False) -> None:
        """To the start of the text."""
        self.move_to(0, extend=extend)

    def to_end(self, extend: bool = False) -> None:
        """To the end of the text."""
        self.move_to(len(self._text), extend=extend)

    def vertical(self, layout: Layout, rows: int, extend: bool = False) -> None:
        """`rows` visual rows down (negative: up) in `layout`, keeping the column a run of moves began at."""
        row = layout.row_of(self._offset)
        if self.goal_col is None:
            self.goal_col = layout.col_of(self._offset, row)
        target = row + rows
        if target < 0:
            offset = 0  # up from the first row: to the start, as editors do
        elif target >= len(layout):
            offset = len(self._text)
        else:
            offset = layout.offset_at(target, self.goal_col)
        self.move_to(offset, extend=extend, keep_goal=True)

    # -- selecting units ----------------------------------------------------------------------
    def select_sentence(self) -> None:
        """Select the sentence under the cursor (`s`)."""
        if self._text:
            self.select(*textrules.sentence_at(self._text, self._offset), words=True)

    def select_paragraph(self) -> None:
        """Select the paragraph under the cursor (`S`)."""
        if self._text:
            self.select(*textrules.paragraph_at(self._text, self._offset), words=True)


# -- moving a span's edges ---------------------------------------------------------------------
Edge = Literal["start", "end"]
Unit = Literal["word", "grapheme"]


def _previous_word_end(text: str, before: int) -> int | None:
    """The end of the last word ending before `before` (None when no word does)."""
    position = before
    while position > 0:
        position = textrules.prev_word(text, position)
        start, end = textrules.word_at(text, position)
        if is_word(text, start, end) and end < before:
            return end
        if position == 0:
            break
    return None


def moved_edge(text: str, start: int, end: int, edge: Edge, step: int, unit: Unit = "word") -> tuple[int, int] | None:
    """[start, end) with one edge moved by one word or grapheme (`step` +1 right, -1 left).

    By word, the end goes to the end of the next (or previous) word and the start to the start
    of the previous (or next) word, so growing "Colorado" by a word gives "Colorado, and" and
    never a trailing comma. None when the span would become empty or nothing moves.
    """
    if edge == "end":
        if unit == "grapheme":
            new = textrules.next_grapheme(text, end) if step > 0 else textrules.prev_grapheme(text, end)
        elif step > 0:
            new = word_end(text, end)
        else:
            found = _previous_word_end(text, end)
            new = found if found is not None else start
        result = (start, new)
    else:
        if unit == "grapheme":
            new = textrules.next_grapheme(text, start) if step > 0 else textrules.prev_grapheme(text, start)
        elif step > 0:
            new = textrules.next_word(text, start)
        else:
            new = textrules.prev_word(text, start)
        result = (new, end)
    if result[0] >= result[1] or result == (start, end):
        return None
    return result
