"""ArticleView: one article's text as a line-API `ScrollView`, with a cursor, a selection and spans.

Why the line API: `TextArea` costs about a second a key at 100k lines and cannot colour arbitrary
ranges, and a `Static` re-renders the whole article on every change (FIELD-NOTES). Here the text is
soft-wrapped once per width into visual lines (`WrappedText`, in `wrap.py`), and only the rows on screen are
rendered, each into a `Strip` kept in an `LRUCache`. Moving the cursor re-renders the two rows it
left and entered, so a 1 MB article moves as fast as a 2 KB one.

Offsets are code points into `Article.text` and always fall on grapheme boundaries
(`annotations.text` owns those rules). Article text is data: it is drawn as `Segment`s, never
parsed as markup.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import ClassVar, Iterable, Mapping, NamedTuple, Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.color import Color
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsdesk.annotations import text as textrules
from newsdesk.annotations.model import Article, Span, Topic

from . import bidi
from .wrap import TAB_WIDTH, WrappedText, display_text, wrap_text

__all__ = ["ArticleView", "WrappedText", "wrap_text", "GUTTER_WIDTH", "TAB_WIDTH"]

GUTTER_WIDTH = 2
"""Cells at the left of every row for marks (a range covering the row shows its character)."""


class _RangeIndex(NamedTuple):
    """Ranges sorted by start, found by bisect with a bound on their length (not a scan)."""

    starts: list[int]
    items: list  # (start, end, payload)
    max_len: int

    @classmethod
    def build(cls, items: Iterable[tuple[int, int, object]]) -> "_RangeIndex":
        ordered = sorted((item for item in items if item[1] > item[0]), key=lambda item: (item[0], -item[1]))
        max_len = max((end - start for start, end, _ in ordered), default=0)
        return cls([item[0] for item in ordered], ordered, max_len)

    def overlapping(self, start: int, end: int) -> list:
        """Items sharing at least one code point with [start, end) (or covering `start` if empty)."""
        if not self.items:
            return []
        end = max(end, start + 1)
        lo = bisect_right(self.starts, start - self.max_len)
        hi = bisect_left(self.starts, end)
        return [item for item in self.items[lo:hi] if item[1] > start]


_EMPTY_INDEX = _RangeIndex([], [], 0)


@dataclass
class _MarkLayer:
    index: _RangeIndex
    style: Style


@dataclass
class _GutterLayer:
    index: _RangeIndex
    char: str
    style: Style


class ArticleView(ScrollView, can_focus=True):
    """One article's text with a cursor, a selection, spans in their topics' colours and overlays.

    Keys move a grapheme-safe cursor (vim-like and arrow keys), `v` or shift extends a selection,
    `s`/`S` select the sentence/paragraph under the cursor. The screens read `selection` to make
    spans and call `set_spans`/`set_marks` to show them.
    """

    ALLOW_SELECT = False  # the view draws its own selection; Textual's would fight the mouse drag

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left,h", "cursor_left", "Left", show=False, id="article.cursor_left"),
        Binding("right,l", "cursor_right", "Right", show=False, id="article.cursor_right"),
        Binding("up,k", "cursor_up", "Up", show=False, id="article.cursor_up"),
        Binding("down,j", "cursor_down", "Down", show=False, id="article.cursor_down"),
        Binding("w", "word_next", "Next word", show=False, id="article.word_next"),
        Binding("b", "word_previous", "Previous word", show=False, id="article.word_previous"),
        Binding("right_parenthesis", "sentence_next", "Next sentence", show=False, id="article.sentence_next"),
        Binding("left_parenthesis", "sentence_previous", "Previous sentence", show=False, id="article.sentence_previous"),
        Binding("right_curly_bracket", "paragraph_next", "Next paragraph", show=False, id="article.paragraph_next"),
        Binding("left_curly_bracket", "paragraph_previous", "Previous paragraph", show=False, id="article.paragraph_previous"),
        Binding("g,home", "cursor_start", "Start", show=False, id="article.cursor_start"),
        Binding("G,end", "cursor_end", "End", show=False, id="article.cursor_end"),
        Binding("pageup", "cursor_page_up", "Page up", show=False, id="article.page_up"),
        Binding("pagedown,space", "cursor_page_down", "Page down", show=False, id="article.page_down"),
        Binding("v", "toggle_anchor", "Select", id="article.toggle_anchor"),
        Binding("shift+left", "select_left", "Extend left", show=False, id="article.select_left"),
        Binding("shift+right", "select_right", "Extend right", show=False, id="article.select_right"),
        Binding("shift+up", "select_up", "Extend up", show=False, id="article.select_up"),
        Binding("shift+down", "select_down", "Extend down", show=False, id="article.select_down"),
        Binding("shift+home", "select_start", "Extend to start", show=False, id="article.select_start"),
        Binding("shift+end", "select_end", "Extend to end", show=False, id="article.select_end"),
        Binding("s", "select_sentence", "Sentence", id="article.select_sentence"),
        Binding("S", "select_paragraph", "Paragraph", show=False, id="article.select_paragraph"),
        Binding("escape", "clear_selection", "Clear selection", show=False, id="article.clear_selection"),
        Binding("right_square_bracket", "span_next", "Next span", show=False, id="article.span_next"),
        Binding("left_square_bracket", "span_previous", "Previous span", show=False, id="article.span_previous"),
        Binding("n", "match_next", "Next match", show=False, id="article.match_next"),
        Binding("N", "match_previous", "Previous match", show=False, id="article.match_previous"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "article-view--cursor-blurred",
        "article-view--selection",
        "article-view--gutter",
    }

    DEFAULT_CSS = """
    ArticleView {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
        background: $surface;
        color: $foreground;
        border: tall $border-blurred;
        padding: 0;
    }
    ArticleView:focus {
        border: tall $border;
        background-tint: $foreground 4%;
    }
    ArticleView > .article-view--cursor-blurred {
        background: $foreground 30%;
    }
    ArticleView > .article-view--selection {
        background: $accent 40%;
    }
    ArticleView > .article-view--gutter {
        color: $text-muted;
    }
    """

    @dataclass
    class CursorMoved(Message):
        """The cursor moved to `offset`."""

        view: "ArticleView"
        offset: int

        @property
        def control(self) -> "ArticleView":
            return self.view

    @dataclass
    class SelectionChanged(Message):
        """The selection became `selection` ((start, end) snapped, or None)."""

        view: "ArticleView"
        selection: tuple[int, int] | None

        @property
        def control(self) -> "ArticleView":
            return self.view

    CURSOR_STYLE: ClassVar[Style] = Style(reverse=True, bold=True)
    """The focused cursor: a reverse block, drawn over every other style."""

    MATCH_STYLE: ClassVar[Style] = Style(color="#000000", bgcolor="#e5c07b")
    MAX_MATCHES: ClassVar[int] = 10_000
    """Search hits: black on amber reads on dark and light themes alike."""

    def __init__(
        self,
        article: Article | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._article: Article | None = None
        self._text = ""
        self._wrap: WrappedText | None = None
        self._cursor = 0
        self._anchor: int | None = None
        self._visual = False
        self._goal_col: int | None = None
        self._dragging = False
        self._resize_row: int | None = None
        self._version = 0
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._spans: list[Span] = []
        self._span_index = _EMPTY_INDEX
        self._span_starts: list[int] = []
        self._topics: Mapping[str, Topic] = {}
        self._marks: dict[str, _MarkLayer] = {}
        self._gutters: dict[str, _GutterLayer] = {}
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
        self._sentence_starts: list[int] | None = None
        self._paragraph_starts: list[int] | None = None
        self._style_cache: dict[object, Style] = {}
        self._last_posted_cursor: int | None = None
        self._last_posted_selection: tuple[int, int] | None = None
        if article is not None:
            self.set_article(article)

    # ------------------------------------------------------------------ article and layout

    @property
    def article(self) -> Article | None:
        """The article shown (None before one is set)."""
        return self._article

    @property
    def text(self) -> str:
        """The article's text ('' when none)."""
        return self._text

    def set_article(self, article: Article, *, cursor: int = 0) -> None:
        """Show `article` with the cursor at `cursor`; spans, marks and the search are cleared."""
        self._article = article
        self._text = article.text
        self._wrap = None
        self._anchor = None
        self._visual = False
        self._goal_col = None
        self._spans = []
        self._span_index = _EMPTY_INDEX
        self._span_starts = []
        self._marks.clear()
        self._gutters.clear()
        self._matches = []
        self._match_starts = []
        self._sentence_starts = None
        self._paragraph_starts = None
        self._cursor = self._snap(cursor)
        self._invalidate()
        if self.is_mounted:
            self._ensure_layout()
            self.scroll_to(y=0, animate=False, force=True)
            self._scroll_to_cursor(center=cursor > 0)
            self.refresh()
        self._post_changes()

    def _text_width(self) -> int:
        """Cells available to text in a row (the gutter and one margin cell for the cursor aside)."""
        return max(2, self.scrollable_content_region.width - GUTTER_WIDTH - 1)

    def _ensure_layout(self) -> WrappedText:
        width = self._text_width()
        wrap = self._wrap
        if wrap is None or wrap.width != width or wrap.text is not self._text:
            if wrap is not None and wrap.text is self._text and self._resize_row is None and self.is_mounted:
                # Remember the cursor's screen row so on_resize can keep it there after the rewrap
                # (a render may get here before the Resize event does).
                self._resize_row = wrap.row_of(self._cursor) - round(self.scroll_y)
            wrap = self._wrap = WrappedText(self._text, width)
            self._line_cache.clear()
            self.virtual_size = Size(width + GUTTER_WIDTH + 1, len(wrap))
        return wrap

    @property
    def layout_lines(self) -> WrappedText:
        """The current wrap (computed on demand)."""
        return self._ensure_layout()

    def on_resize(self, event: events.Resize) -> None:
        self._ensure_layout()
        screen_row, self._resize_row = self._resize_row, None
        if screen_row is None:
            return
        if 0 <= screen_row < self.scrollable_content_region.height:
            self.scroll_to_offset(self._cursor, top_row=screen_row)
        else:
            self._scroll_to_cursor()
        self.refresh()

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._style_cache.clear()
        self._invalidate()

    def on_focus(self, event: events.Focus) -> None:
        # The focus tint changes every row's background, not just the cursor's.
        self._invalidate()

    def on_blur(self, event: events.Blur) -> None:
        self._invalidate()

    def _invalidate(self) -> None:
        self._version += 1
        self._line_cache.clear()

    # ------------------------------------------------------------------ offsets and rows

    def _snap(self, offset: int) -> int:
        offset = min(max(0, int(offset)), len(self._text))
        return textrules.snap_start(self._text, offset)

    def row_of(self, offset: int) -> int:
        """The visual row (0 = first line of the article) showing `offset`."""
        return self._ensure_layout().row_of(offset)

    def offset_at_row(self, row: int, cell_x: int = 0) -> int:
        """The offset drawn at text column `cell_x` of visual row `row` (gutter excluded)."""
        return self._ensure_layout().offset_at(row, cell_x)

    @property
    def cursor_row(self) -> int:
        """The visual row of the cursor."""
        return self.row_of(self._cursor)

    @property
    def line_count(self) -> int:
        """How many visual rows the article takes at the current width."""
        return len(self._ensure_layout())

    def scroll_to_offset(self, offset: int, *, top_row: int | None = None) -> None:
        """Scroll so `offset` is visible; with `top_row`, so it is drawn on that screen row."""
        row = self.row_of(offset)
        if top_row is None:
            self._scroll_row_visible(row)
        else:
            self.scroll_to(y=max(0, row - top_row), animate=False, force=True)

    def _scroll_row_visible(self, row: int, center: bool = False) -> None:
        height = max(1, self.scrollable_content_region.height)
        top = round(self.scroll_y)
        if center:
            self.scroll_to(y=max(0, row - height // 2), animate=False, force=True)
        elif row < top:
            self.scroll_to(y=row, animate=False, force=True)
        elif row >= top + height:
            self.scroll_to(y=row - height + 1, animate=False, force=True)

    def _scroll_to_cursor(self, center: bool = False) -> None:
        self._scroll_row_visible(self.cursor_row, center=center)

    # ------------------------------------------------------------------ cursor and selection

    @property
    def cursor(self) -> int:
        """The cursor's code-point offset (a grapheme boundary, 0..len(text))."""
        return self._cursor

    @cursor.setter
    def cursor(self, offset: int) -> None:
        self.move_cursor(offset)

    @property
    def anchor(self) -> int | None:
        """Where the selection started (None when there is no selection in progress)."""
        return self._anchor

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected (start, end), snapped to graphemes, start < end; None when empty."""
        if self._anchor is None or self._anchor == self._cursor:
            return None
        start, end = sorted((self._anchor, self._cursor))
        start, end = textrules.snap_span(self._text, start, end)
        return (start, end) if start < end else None

    def move_cursor(self, offset: int, *, extend: bool = False, center: bool = False) -> None:
        """Move the cursor to `offset` (snapped, clamped); `extend` grows the selection from the anchor.

        Without `extend` a selection is dropped, unless `v` set a sticky anchor.
        """
        self._goal_col = None
        self._move(offset, extend=extend, center=center)

    def _move(self, offset: int, *, extend: bool = False, center: bool = False) -> None:
        new = self._snap(offset)
        old = self._cursor
        old_selection = self.selection
        if extend or self._visual:
            if self._anchor is None:
                self._anchor = old
        else:
            self._anchor = None
        self._cursor = new
        new_selection = self.selection
        if self.is_mounted:
            self._refresh_offsets(old, old)
            self._refresh_offsets(new, new)
            self._refresh_selection_change(old_selection, new_selection)
            self._scroll_to_cursor(center=center)
        self._post_changes()

    def select(self, start: int, end: int) -> None:
        """Select [start, end) (snapped); the cursor goes to `end`."""
        start, end = sorted((start, end))
        start, end = textrules.snap_span(self._text, min(max(0, start), len(self._text)), min(max(0, end), len(self._text)))
        old_selection = self.selection
        old = self._cursor
        self._visual = False
        self._anchor = start
        self._cursor = end
        self._goal_col = None
        if self.is_mounted:
            self._refresh_offsets(old, old)
            self._refresh_offsets(end, end)
            self._refresh_selection_change(old_selection, self.selection)
            self._scroll_to_cursor()
        self._post_changes()

    def clear_selection(self) -> None:
        """Drop the selection and the sticky anchor; the cursor stays."""
        old_selection = self.selection
        self._anchor = None
        self._visual = False
        if self.is_mounted:
            self._refresh_selection_change(old_selection, None)
        self._post_changes()

    def _post_changes(self) -> None:
        if self._cursor != self._last_posted_cursor:
            self._last_posted_cursor = self._cursor
            self.post_message(self.CursorMoved(self, self._cursor))
        selection = self.selection
        if selection != self._last_posted_selection:
            self._last_posted_selection = selection
            self.post_message(self.SelectionChanged(self, selection))

    # ------------------------------------------------------------------ refreshing

    def _refresh_rows(self, first: int, last: int) -> None:
        top = round(self.scroll_y)
        height = self.scrollable_content_region.height
        first = max(first, top)
        last = min(last, top + height - 1)
        if first <= last:
            self.refresh_lines(first, last - first + 1)

    def _refresh_offsets(self, start: int, end: int) -> None:
        wrap = self._ensure_layout()
        self._refresh_rows(wrap.row_of(start), wrap.row_of(end))

    def _refresh_selection_change(
        self, old: tuple[int, int] | None, new: tuple[int, int] | None
    ) -> None:
        if old == new:
            return
        if old is None or new is None:
            start, end = old or new  # type: ignore[misc]
            self._refresh_offsets(start, end)
            return
        if old[0] != new[0]:
            self._refresh_offsets(min(old[0], new[0]), max(old[0], new[0]))
        if old[1] != new[1]:
            self._refresh_offsets(min(old[1], new[1]), max(old[1], new[1]))

    # ------------------------------------------------------------------ motions

    def _horizontal(self, offset: int, extend: bool = False) -> None:
        self._goal_col = None
        self._move(offset, extend=extend)

    def _vertical(self, rows: int, extend: bool = False) -> None:
        wrap = self._ensure_layout()
        row = wrap.row_of(self._cursor)
        if self._goal_col is None:
            self._goal_col = wrap.col_of(self._cursor, row)
        target = row + rows
        if target < 0:
            offset = 0  # up from the first row: to the start, as editors do
        elif target >= len(wrap):
            offset = len(self._text)
        else:
            offset = wrap.offset_at(target, self._goal_col)
        self._move(offset, extend=extend)  # keeps _goal_col, so a run of up/down holds its column

    def action_cursor_left(self) -> None:
        """Move one grapheme left."""
        self._horizontal(textrules.prev_grapheme(self._text, self._cursor))

    def action_cursor_right(self) -> None:
        """Move one grapheme right."""
        self._horizontal(textrules.next_grapheme(self._text, self._cursor))

    def action_cursor_up(self) -> None:
        """Move one visual line up, keeping the column."""
        self._vertical(-1)

    def action_cursor_down(self) -> None:
        """Move one visual line down, keeping the column."""
        self._vertical(1)

    def action_select_left(self) -> None:
        """Extend the selection one grapheme left."""
        self._horizontal(textrules.prev_grapheme(self._text, self._cursor), extend=True)

    def action_select_right(self) -> None:
        """Extend the selection one grapheme right."""
        self._horizontal(textrules.next_grapheme(self._text, self._cursor), extend=True)

    def action_select_up(self) -> None:
        """Extend the selection one visual line up."""
        self._vertical(-1, extend=True)

    def action_select_down(self) -> None:
        """Extend the selection one visual line down."""
        self._vertical(1, extend=True)

    def action_select_start(self) -> None:
        """Extend the selection to the start of the article."""
        self._horizontal(0, extend=True)

    def action_select_end(self) -> None:
        """Extend the selection to the end of the article."""
        self._horizontal(len(self._text), extend=True)

    def action_word_next(self) -> None:
        """Move to the start of the next word."""
        self._horizontal(textrules.next_word(self._text, self._cursor))

    def action_word_previous(self) -> None:
        """Move to the start of the previous word."""
        self._horizontal(textrules.prev_word(self._text, self._cursor))

    def _starts_of(self, kind: str) -> list[int]:
        if kind == "sentence":
            if self._sentence_starts is None:
                self._sentence_starts = [start for start, _ in textrules.sentences(self._text)]
            return self._sentence_starts
        if self._paragraph_starts is None:
            self._paragraph_starts = [start for start, _ in textrules.paragraphs(self._text)]
        return self._paragraph_starts

    def _next_start(self, starts: Sequence[int]) -> int:
        # After `s` the cursor sits at the selection's end, which in Chinese or Japanese (no space
        # after 。) is already the next sentence's start: that start is the next one, not skipped.
        selection = self.selection
        at_end = selection is not None and selection[0] < selection[1] == self._cursor
        index = (bisect_left if at_end else bisect_right)(starts, self._cursor)
        return starts[index] if index < len(starts) else len(self._text)

    def _previous_start(self, starts: Sequence[int]) -> int:
        index = bisect_left(starts, self._cursor) - 1
        return starts[index] if index >= 0 else 0

    def action_sentence_next(self) -> None:
        """Move to the start of the next sentence."""
        self._horizontal(self._next_start(self._starts_of("sentence")))

    def action_sentence_previous(self) -> None:
        """Move to the start of this sentence, or the previous one when already there."""
        self._horizontal(self._previous_start(self._starts_of("sentence")))

    def action_paragraph_next(self) -> None:
        """Move to the start of the next paragraph."""
        self._horizontal(self._next_start(self._starts_of("paragraph")))

    def action_paragraph_previous(self) -> None:
        """Move to the start of this paragraph, or the previous one when already there."""
        self._horizontal(self._previous_start(self._starts_of("paragraph")))

    def action_cursor_start(self) -> None:
        """Move to the start of the article."""
        self._horizontal(0)

    def action_cursor_end(self) -> None:
        """Move to the end of the article."""
        self._horizontal(len(self._text))

    def _page(self, direction: int) -> None:
        page = max(1, self.scrollable_content_region.height - 1)
        top = round(self.scroll_y)
        self.scroll_to(y=max(0, min(top + direction * page, self.max_scroll_y)), animate=False, force=True)
        self._vertical(direction * page)

    def action_cursor_page_up(self) -> None:
        """Move a page up."""
        self._page(-1)

    def action_cursor_page_down(self) -> None:
        """Move a page down."""
        self._page(1)

    def action_toggle_anchor(self) -> None:
        """Drop an anchor at the cursor so motions select (again to drop the selection)."""
        if self._visual or self._anchor is not None:
            self.clear_selection()
        else:
            self._anchor = self._cursor
            self._visual = True

    def action_select_sentence(self) -> None:
        """Select the sentence under the cursor."""
        if self._text:
            self.select(*textrules.sentence_at(self._text, self._cursor))

    def action_select_paragraph(self) -> None:
        """Select the paragraph under the cursor."""
        if self._text:
            self.select(*textrules.paragraph_at(self._text, self._cursor))

    def action_clear_selection(self) -> None:
        """Clear the selection; with none, let escape go on to the screen."""
        if self._anchor is None and not self._visual:
            raise SkipAction()
        self.clear_selection()

    def action_span_next(self) -> None:
        """Move to the start of the next span."""
        index = bisect_right(self._span_starts, self._cursor)
        if index < len(self._span_starts):
            self._horizontal(self._span_starts[index])

    def action_span_previous(self) -> None:
        """Move to the start of the previous span."""
        index = bisect_left(self._span_starts, self._cursor) - 1
        if index >= 0:
            self._horizontal(self._span_starts[index])

    def action_match_next(self) -> None:
        """Move to the next search match."""
        self.next_match()

    def action_match_previous(self) -> None:
        """Move to the previous search match."""
        self.previous_match()

    # ------------------------------------------------------------------ mouse

    def _offset_at_mouse(self, event: events.MouseEvent) -> int:
        point = event.get_content_offset_capture(self)
        wrap = self._ensure_layout()
        row = min(max(0, round(self.scroll_y) + point.y), len(wrap) - 1)
        found = bidi.offset_at(self._text, *wrap.line(row), point.x - GUTTER_WIDTH)  # RTL rows
        return found if found is not None else wrap.offset_at(row, point.x - GUTTER_WIDTH)

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or event.get_content_offset(self) is None:
            return
        event.stop()
        self.focus()
        offset = self._offset_at_mouse(event)
        self._visual = False
        if event.shift:
            self._horizontal(offset, extend=True)
        else:
            self._horizontal(offset)
            self._anchor = self._cursor
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            event.stop()
            self._horizontal(self._offset_at_mouse(event), extend=True)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            event.stop()
            self._dragging = False
            self.release_mouse()
            self._horizontal(self._offset_at_mouse(event), extend=True)
            if self.selection is None:
                self._anchor = None

    # ------------------------------------------------------------------ spans, marks, search

    def set_spans(self, spans: Sequence[Span], topics: Mapping[str, Topic]) -> None:
        """Show `spans` coloured by their first known topic in `topics`."""
        self._spans = sorted(spans, key=lambda span: (span.start, -span.end))
        self._span_index = _RangeIndex.build((span.start, span.end, span) for span in self._spans)
        self._span_starts = sorted({span.start for span in self._spans})
        self._topics = dict(topics)
        self._style_cache.clear()
        self._invalidate()
        self.refresh()

    def spans_at(self, offset: int) -> list[Span]:
        """The spans covering `offset` (start <= offset < end), outermost first."""
        return [item[2] for item in self._span_index.overlapping(offset, offset + 1) if item[0] <= offset]

    def span_at_cursor(self) -> Span | None:
        """The innermost (shortest) span covering the cursor, or None."""
        spans = self.spans_at(self._cursor)
        return min(spans, key=lambda span: span.end - span.start) if spans else None

    @staticmethod
    def _as_style(style: str | Style) -> Style:
        return Style.parse(style) if isinstance(style, str) else style

    def set_marks(self, layer: str, ranges: Sequence[tuple[int, int]], style: str | Style) -> None:
        """Overlay `style` on `ranges` as layer `layer` (replacing that layer; later layers win)."""
        self._marks[layer] = _MarkLayer(
            _RangeIndex.build((start, end, None) for start, end in ranges), self._as_style(style)
        )
        self._invalidate()
        self.refresh()

    def clear_marks(self, layer: str) -> None:
        """Remove the overlay (and the gutter marks) of `layer`."""
        found = self._marks.pop(layer, None) is not None
        found = (self._gutters.pop(layer, None) is not None) or found
        if found:
            self._invalidate()
            self.refresh()

    def set_gutter_marks(
        self, layer: str, ranges: Sequence[tuple[int, int]], char: str, style: str | Style = ""
    ) -> None:
        """Show `char` in the gutter of every row a range of `layer` covers."""
        char = (char or " ")[:1]
        if cell_len(char) != 1:
            char = "•"
        self._gutters[layer] = _GutterLayer(
            _RangeIndex.build((start, end, None) for start, end in ranges), char, self._as_style(style)
        )
        self._invalidate()
        self.refresh()

    def search(self, query: str) -> int:
        """Mark every case-insensitive match of `query`, go to the first at/after the cursor.

        Returns the number of matches; an empty query clears the search. Only the first
        `MAX_MATCHES` are marked (and visited by n/N).
        """
        self._matches = []
        self._match_starts = []
        if not query:
            self.clear_marks("match")
            return 0
        pattern = re.compile(re.escape(query), re.IGNORECASE)
        text = self._text
        matches = []
        total = 0
        for match in pattern.finditer(text):
            total += 1
            if len(matches) >= self.MAX_MATCHES:
                continue  # counted, not marked: marking 100,000 hits would stall the screen
            start, end = textrules.snap_span(text, match.start(), match.end())
            if not matches or matches[-1] != (start, end):
                matches.append((start, end))
        self._matches = matches
        self._match_starts = [start for start, _ in matches]
        self.set_marks("match", matches, self.MATCH_STYLE)
        if matches:
            starts = self._match_starts
            index = bisect_left(starts, self._cursor)
            self.move_cursor(starts[index % len(starts)], center=True)
        return total

    @property
    def matches(self) -> list[tuple[int, int]]:
        """The current search matches."""
        return list(self._matches)

    def next_match(self) -> None:
        """Move to the next match after the cursor (wrapping around)."""
        if self._matches:
            starts = self._match_starts
            index = bisect_right(starts, self._cursor)
            self.move_cursor(starts[index % len(starts)], center=True)

    def previous_match(self) -> None:
        """Move to the previous match before the cursor (wrapping around)."""
        if self._matches:
            starts = self._match_starts
            index = bisect_left(starts, self._cursor) - 1
            self.move_cursor(starts[index % len(starts)], center=True)

    # ------------------------------------------------------------------ rendering

    def _background(self) -> Color:
        return self.background_colors[1]

    def _span_style(self, spans: Sequence[Span]) -> Style:
        """The style of text covered by `spans` (one: its topic's tint; several: the overlap look)."""
        colours = []
        for span in spans:
            colour = "#888888"
            for name in span.topics:
                topic = self._topics.get(name)
                if topic is not None:
                    colour = topic.colour
                    break
            colours.append(colour)
        key = ("span", tuple(colours[:2]), len(spans) > 1)
        style = self._style_cache.get(key)
        if style is None:
            background = self._background()

            def parse(colour: str) -> Color:
                try:
                    return Color.parse(colour)
                except Exception:
                    return Color.parse("#888888")

            first = parse(colours[0])
            if len(spans) == 1:
                style = Style(bgcolor=first.blend(background, 0.6).rich_color)
            else:
                # Overlaps: the two topics' colours mixed, stronger, bold and underlined, so two
                # stacked highlights never read as one.
                second = parse(colours[1])
                mixed = first.blend(second, 0.5).blend(background, 0.45)
                style = Style(bgcolor=mixed.rich_color, bold=True, underline=True)
            self._style_cache[key] = style
        return style

    def _component(self, name: str) -> Style:
        key = ("component", name)
        style = self._style_cache.get(key)
        if style is None:
            style = self.get_component_rich_style(name)
            self._style_cache[key] = style
        return style

    def render_line(self, y: int) -> Strip:
        wrap = self._ensure_layout()
        width = self.scrollable_content_region.width
        row = round(self.scroll_y) + y
        if row >= len(wrap):
            return Strip.blank(width, self.rich_style)
        start, end = wrap.starts[row], wrap.ends[row]
        cursor = self._cursor
        cursor_key = (cursor, self.has_focus) if start <= cursor <= end and wrap.row_of(cursor) == row else None
        selection = self.selection
        selection_key = None
        if selection is not None and selection[0] <= end and selection[1] > start:
            selection_key = (max(selection[0], start), min(selection[1], end), selection[1] > end)
        key = (row, width, self._version, cursor_key, selection_key)
        strip = self._line_cache.get(key)
        if strip is None:
            strip = self._render_row(wrap, row, width, cursor_key is not None, selection)
            self._line_cache.set(key, strip)
        return strip

    def _render_row(
        self, wrap: WrappedText, row: int, width: int, has_cursor: bool, selection: tuple[int, int] | None
    ) -> Strip:
        text = self._text
        start, end = wrap.starts[row], wrap.ends[row]
        base = self.rich_style
        segments: list[Segment] = []

        gutter_char, gutter_style = " ", None
        for layer in self._gutters.values():
            if layer.index.overlapping(start, end):
                gutter_char, gutter_style = layer.char, layer.style
        gutter_base = base + Style(color=self._component("article-view--gutter").color)
        segments.append(Segment(gutter_char, gutter_base + gutter_style if gutter_style else gutter_base))
        segments.append(Segment(" " * (GUTTER_WIDTH - 1), base))

        spans = [item[2] for item in self._span_index.overlapping(start, end)] if start < end else []
        marks = []
        for layer in self._marks.values():
            for item in layer.index.overlapping(start, end) if start < end else ():
                marks.append((item[0], item[1], layer.style))
        cursor_end = -1
        cursor = self._cursor
        if has_cursor and cursor < end:
            cursor_end = min(textrules.next_grapheme(text, cursor), end)

        points = {start, end}
        for span in spans:
            points.add(max(span.start, start))
            points.add(min(span.end, end))
        for mark_start, mark_end, _ in marks:
            points.add(max(mark_start, start))
            points.add(min(mark_end, end))
        if selection is not None:
            points.add(min(max(selection[0], start), end))
            points.add(min(max(selection[1], start), end))
        if cursor_end != -1:
            points.add(cursor)
            points.add(cursor_end)
        ordered = sorted(points)

        selection_style = self._component("article-view--selection")
        if self.has_focus:
            cursor_style = self.CURSOR_STYLE
        else:
            # Unfocused, the cursor is a dim block, so two panes side by side show which is live.
            cursor_style = Style(bgcolor=self._component("article-view--cursor-blurred").bgcolor)
        for left, right in zip(ordered, ordered[1:]):
            style = base
            if spans:
                active = [span for span in spans if span.start <= left and span.end >= right]
                if active:
                    style = style + self._span_style(active)
            for mark_start, mark_end, mark_style in marks:
                if mark_start <= left and mark_end >= right:
                    style = style + mark_style
            if selection is not None and selection[0] <= left and selection[1] >= right:
                style = style + Style(bgcolor=selection_style.bgcolor)
            shown = display_text(text[left:right])
            if left == cursor and cursor_end != -1:
                style = style + cursor_style
                if not cell_len(shown):
                    # A zero-width grapheme (a lone accent, a zero-width space) still gets a
                    # visible cursor: one extra cell, only while the cursor is on it.
                    shown += " "
            segments.append(Segment(shown, style))

        if has_cursor and cursor == end:
            # At a line's end (or the article's) the cursor is a block over a space.
            style = base
            if selection is not None and selection[0] <= end < selection[1]:
                style = style + Style(bgcolor=selection_style.bgcolor)
            segments.append(Segment(" ", style + cursor_style))
        elif selection is not None and selection[0] <= end < selection[1] and end < len(text) and text[end] == "\n":
            # A selected newline shows as one selected cell, so a selection across paragraphs reads.
            segments.append(Segment(" ", base + Style(bgcolor=selection_style.bgcolor)))
        if bidi.has_rtl(text, start, end):  # Arabic, Hebrew: drawn in visual order, styles kept
            segments[2:] = bidi.visual_segments(segments[2:], bidi.paragraph_is_rtl(text, start))
        return Strip(segments).adjust_cell_length(width, base)
