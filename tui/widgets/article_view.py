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

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import ClassVar, Mapping

from rich.style import Style
from textual import events
from textual.actions import SkipAction
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from newsdesk.annotations.cursor import Cursor, Granularity
from newsdesk.annotations.model import Article, Span, Topic

from . import bidi
from .article_hints import JumpHintMode
from .article_layers import EMPTY_INDEX, ArticleOverlays, GutterLayer, MarkLayer
from .article_paint import GUTTER_WIDTH, ArticlePainting
from .article_suggestions import SuggestionMarks
from .wrap import TAB_WIDTH, WrappedText, wrap_text

__all__ = ["ArticleView", "WrappedText", "wrap_text", "GUTTER_WIDTH", "TAB_WIDTH"]


class ArticleView(JumpHintMode, SuggestionMarks, ArticleOverlays, ArticlePainting, ScrollView, can_focus=True):
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
        Binding("e", "word_end", "End of word", show=False, id="article.word_end"),
        Binding("W", "big_word_next", "Next WORD (to a space)", show=False, id="article.big_word_next"),
        Binding("B", "big_word_previous", "Previous WORD", show=False, id="article.big_word_previous"),
        Binding("E", "big_word_end", "End of WORD", show=False, id="article.big_word_end"),
        Binding("right_parenthesis", "sentence_next", "Next sentence", show=False, id="article.sentence_next"),
        Binding("left_parenthesis", "sentence_previous", "Previous sentence", show=False, id="article.sentence_previous"),
        Binding("right_curly_bracket", "paragraph_next", "Next paragraph", show=False, id="article.paragraph_next"),
        Binding("left_curly_bracket", "paragraph_previous", "Previous paragraph", show=False, id="article.paragraph_previous"),
        Binding("g,home", "cursor_start", "Start", show=False, id="article.cursor_start"),
        Binding("G,end", "cursor_end", "End", show=False, id="article.cursor_end"),
        Binding("pageup", "cursor_page_up", "Page up", show=False, id="article.page_up"),
        Binding("pagedown,space", "cursor_page_down", "Page down", show=False, id="article.page_down"),
        Binding("v", "toggle_anchor", "Select", show=False, id="article.toggle_anchor"),
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
    """Search hits: black on amber reads on dark and light themes alike."""
    MATCH_OVER_SPAN_STYLE: ClassVar[Style] = Style(reverse=True)
    """A hit inside a span: reversed, so the span's colour still shows (as the letters' colour)."""
    MAX_MATCHES: ClassVar[int] = 10_000

    def __init__(
        self,
        article: Article | None = None,
        *,
        granularity: Granularity = "word",
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._article: Article | None = None
        self._text = ""
        self._wrap: WrappedText | None = None
        self.model = Cursor(granularity=granularity)
        """The cursor, anchor and selection, with every motion (headless, in `annotations.cursor`)."""
        self._dragging = False
        self._resize_row: int | None = None
        self._version = 0
        self._line_cache: LRUCache[tuple, Strip] = LRUCache(1024)
        self._spans: list[Span] = []
        self._span_index = EMPTY_INDEX
        self._span_starts: list[int] = []
        self._topics: Mapping[str, Topic] = {}
        self._marks: dict[str, MarkLayer] = {}
        self._gutters: dict[str, GutterLayer] = {}
        self._matches: list[tuple[int, int]] = []
        self._match_starts: list[int] = []
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
        self._spans = []
        self._span_index = EMPTY_INDEX
        self._span_starts = []
        self._marks.clear()
        self._gutters.clear()
        self._matches = []
        self._match_starts = []
        self.model.set_text(article.text, cursor)
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
                self._resize_row = wrap.row_of(self.model.offset) - round(self.scroll_y)
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
            self.scroll_to_offset(self.model.offset, top_row=screen_row)
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

    def row_of(self, offset: int) -> int:
        """The visual row (0 = first line of the article) showing `offset`."""
        return self._ensure_layout().row_of(offset)

    def offset_at_row(self, row: int, cell_x: int = 0) -> int:
        """The offset drawn at text column `cell_x` of visual row `row` (gutter excluded)."""
        return self._ensure_layout().offset_at(row, cell_x)

    @property
    def cursor_row(self) -> int:
        """The visual row of the cursor."""
        return self.row_of(self.model.offset)

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
        return self.model.offset

    @cursor.setter
    def cursor(self, offset: int) -> None:
        self.move_cursor(offset)

    @property
    def anchor(self) -> int | None:
        """Where the selection started (None when there is no selection in progress)."""
        return self.model.anchor

    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected (start, end), snapped to graphemes (and words), start < end; None when empty."""
        return self.model.selection

    @property
    def granularity(self) -> Granularity:
        """"word": selections by word motions and the mouse snap to words; "grapheme": exactly as selected."""
        return self.model.granularity

    @granularity.setter
    def granularity(self, value: Granularity) -> None:
        self._change(lambda: setattr(self.model, "granularity", value))

    def _change(self, edit, *, center: bool = False, scroll: bool = True) -> None:
        """Run `edit` on the model, then redraw only the rows whose cursor or selection changed."""
        old = self.model.offset
        old_selection = self.model.selection
        edit()
        new = self.model.offset
        if self.is_mounted:
            self._refresh_offsets(old, old)
            self._refresh_offsets(new, new)
            self._refresh_selection_change(old_selection, self.model.selection)
            if scroll:
                self._scroll_to_cursor(center=center)
        self._post_changes()

    def move_cursor(self, offset: int, *, extend: bool = False, center: bool = False) -> None:
        """Move the cursor to `offset` (snapped, clamped); `extend` grows the selection from the anchor.

        Without `extend` a selection is dropped, unless `v` set a sticky anchor.
        """
        self._change(lambda: self.model.move_to(offset, extend=extend), center=center)

    def select(self, start: int, end: int) -> None:
        """Select [start, end) (snapped); the cursor goes to `end`."""
        self._change(lambda: self.model.select(start, end))

    def clear_selection(self) -> None:
        """Drop the selection and the sticky anchor; the cursor stays."""
        self._change(self.model.clear_selection, scroll=False)

    def _post_changes(self) -> None:
        if self.model.offset != self._last_posted_cursor:
            self._last_posted_cursor = self.model.offset
            self.post_message(self.CursorMoved(self, self.model.offset))
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

    # ------------------------------------------------------------------ motions (the model moves)

    def _vertical(self, rows: int, extend: bool = False) -> None:
        self._change(lambda: self.model.vertical(self._ensure_layout(), rows, extend))

    def action_cursor_left(self) -> None:
        """Move one grapheme left."""
        self._change(self.model.left)

    def action_cursor_right(self) -> None:
        """Move one grapheme right."""
        self._change(self.model.right)

    def action_cursor_up(self) -> None:
        """Move one visual line up, keeping the column."""
        self._vertical(-1)

    def action_cursor_down(self) -> None:
        """Move one visual line down, keeping the column."""
        self._vertical(1)

    def action_select_left(self) -> None:
        """Extend the selection one grapheme left."""
        self._change(lambda: self.model.left(extend=True))

    def action_select_right(self) -> None:
        """Extend the selection one grapheme right."""
        self._change(lambda: self.model.right(extend=True))

    def action_select_up(self) -> None:
        """Extend the selection one visual line up."""
        self._vertical(-1, extend=True)

    def action_select_down(self) -> None:
        """Extend the selection one visual line down."""
        self._vertical(1, extend=True)

    def action_select_start(self) -> None:
        """Extend the selection to the start of the article."""
        self._change(lambda: self.model.to_start(extend=True))

    def action_select_end(self) -> None:
        """Extend the selection to the end of the article."""
        self._change(lambda: self.model.to_end(extend=True))

    def action_word_next(self) -> None:
        """Move to the start of the next word."""
        self._change(self.model.word_next)

    def action_word_previous(self) -> None:
        """Move to the start of this word, or the previous one."""
        self._change(self.model.word_previous)

    def action_word_end(self) -> None:
        """Move just past the end of this word, or the next one."""
        self._change(self.model.word_end)

    def action_big_word_next(self) -> None:
        """Move to the start of the next whitespace-delimited word."""
        self._change(self.model.big_word_next)

    def action_big_word_previous(self) -> None:
        """Move to the start of this whitespace-delimited word, or the previous one."""
        self._change(self.model.big_word_previous)

    def action_big_word_end(self) -> None:
        """Move just past the end of this whitespace-delimited word, or the next one."""
        self._change(self.model.big_word_end)

    def action_sentence_next(self) -> None:
        """Move to the start of the next sentence."""
        self._change(self.model.sentence_next)

    def action_sentence_previous(self) -> None:
        """Move to the start of this sentence, or the previous one when already there."""
        self._change(self.model.sentence_previous)

    def action_paragraph_next(self) -> None:
        """Move to the start of the next paragraph."""
        self._change(self.model.paragraph_next)

    def action_paragraph_previous(self) -> None:
        """Move to the start of this paragraph, or the previous one when already there."""
        self._change(self.model.paragraph_previous)

    def action_cursor_start(self) -> None:
        """Move to the start of the article."""
        self._change(self.model.to_start)

    def action_cursor_end(self) -> None:
        """Move to the end of the article."""
        self._change(self.model.to_end)

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
        self._change(self.model.toggle_anchor, scroll=False)

    def action_select_sentence(self) -> None:
        """Select the sentence under the cursor."""
        self._change(self.model.select_sentence)

    def action_select_paragraph(self) -> None:
        """Select the paragraph under the cursor."""
        self._change(self.model.select_paragraph)

    def action_clear_selection(self) -> None:
        """Clear the selection; with none, let escape go on to the screen."""
        if not self.model.selecting:
            raise SkipAction()
        self.clear_selection()

    def _stops(self) -> list[int]:
        """Where `]`/`[` stop: span starts and suggestion starts."""
        suggested = self.suggestion_stops()
        return sorted(set(self._span_starts).union(suggested)) if suggested else self._span_starts

    def action_span_next(self) -> None:
        """Move to the start of the next span or suggestion."""
        stops = self._stops()
        index = bisect_right(stops, self.model.offset)
        if index < len(stops):
            self.move_cursor(stops[index])

    def action_span_previous(self) -> None:
        """Move to the start of the previous span or suggestion."""
        stops = self._stops()
        index = bisect_left(stops, self.model.offset) - 1
        if index >= 0:
            self.move_cursor(stops[index])

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

    def _drag_to(self, offset: int) -> None:
        self._change(lambda: self.model.move_to(offset, extend=True, words=True))

    def on_mouse_down(self, event: events.MouseDown) -> None:
        if event.button != 1 or event.get_content_offset(self) is None:
            return
        event.stop()
        self.focus()
        offset = self._offset_at_mouse(event)
        if event.shift:
            self.model.unstick()  # a shift+click extends the selection there and ends `v` mode
            self._drag_to(offset)
        else:
            def press() -> None:
                self.model.move_to(offset)
                self.model.clear_selection()
                self.model.drop_anchor()

            self._change(press)
        self._dragging = True
        self.capture_mouse()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            event.stop()
            self._drag_to(self._offset_at_mouse(event))

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if self._dragging:
            event.stop()
            self._dragging = False
            self.release_mouse()
            self._drag_to(self._offset_at_mouse(event))
            if self.selection is None:
                self._change(self.model.clear_selection, scroll=False)
