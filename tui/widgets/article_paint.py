"""How `ArticleView` draws a row: text segments with spans, marks, the selection and the cursor.

A mixin, so the widget's file holds its state and keys and this one its look. Article text is
data: it becomes `Segment`s, never markup.
"""

from __future__ import annotations

from typing import Sequence

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from textual.color import Color
from textual.strip import Strip

from newsdesk.annotations import text as textrules
from newsdesk.annotations.model import Span

from ..palette import Palette, palette_for
from . import bidi
from .wrap import WrappedText, display_text

__all__ = ["ArticlePainting", "GUTTER_WIDTH"]

GUTTER_WIDTH = 2
"""Cells at the left of every row for marks (a range covering the row shows its character)."""


class ArticlePainting:
    """Row rendering for `ArticleView` (line API: one `Strip` per visual row, cached)."""

    def _background(self) -> Color:
        return self.background_colors[1]

    def _span_style(self, spans: Sequence[Span]) -> Style:
        """The style of text covered by `spans` (one: its topic's tint; several: the overlap look)."""
        return self.palette().span_style([span.topics for span in spans])

    def palette(self) -> "Palette":
        """The styles of spans, selection, search marks and cursor for this terminal's colour depth and theme."""
        palette = self._style_cache.get("palette")
        if palette is None:
            palette = palette_for(self, self._topics.values(), self._background())
            self._style_cache["palette"] = palette
        return palette  # type: ignore[return-value]

    def _topic_colour(self, name: str) -> str:
        topic = self._topics.get(name)
        return topic.colour if topic is not None else "#888888"

    def _gutter(self, start: int, end: int, spans: Sequence[Span], base: Style) -> list[Segment]:
        """The margin of a row: one bar per topic of the spans on it (two cells: the first two
        topics, `+` in the second when there are more), unless a layer (◆) claims the first cell."""
        gutter_base = base + Style(color=self._component("article-view--gutter").color)
        topics: list[str] = []
        for span in spans:
            for name in span.topics:
                if name not in topics:
                    topics.append(name)
        claimed = None
        for layer in self._gutters.values():
            if layer.index.overlapping(start, end):
                claimed = Segment(layer.char, gutter_base + layer.style if layer.style else gutter_base)
        cells = [claimed] if claimed is not None else []
        room = GUTTER_WIDTH - len(cells)
        for index, name in enumerate(topics[:room]):
            more = index == room - 1 and len(topics) > room
            cells.append(Segment("+" if more else "▍", base + self.palette().swatch(name) + Style(bold=more)))
        while len(cells) < GUTTER_WIDTH:
            cells.append(Segment(" ", gutter_base if not cells else base))
        return cells

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
        cursor = self.model.offset
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

        spans = [item[2] for item in self._span_index.overlapping(start, end)] if start < end else []
        segments.extend(self._gutter(start, end, spans, base))
        marks = []
        for layer in self._marks.values():
            for item in layer.index.overlapping(start, end) if start < end else ():
                marks.append((item[0], item[1], layer.style, layer.over_span))
        cursor_end = -1
        cursor = self.model.offset
        if has_cursor and cursor < end:
            cursor_end = min(textrules.next_grapheme(text, cursor), end)

        points = {start, end}
        for span in spans:
            points.add(max(span.start, start))
            points.add(min(span.end, end))
        for mark_start, mark_end, _, _ in marks:
            points.add(max(mark_start, start))
            points.add(min(mark_end, end))
        if selection is not None:
            points.add(min(max(selection[0], start), end))
            points.add(min(max(selection[1], start), end))
        if cursor_end != -1:
            points.add(cursor)
            points.add(cursor_end)
        ordered = sorted(points)

        palette = self.palette()
        selection_style = palette.selection
        # Unfocused, the cursor is a dim block, so two panes side by side show which is live.
        cursor_style = palette.cursor if self.has_focus else palette.cursor_blurred
        for left, right in zip(ordered, ordered[1:]):
            style = base
            active = [span for span in spans if span.start <= left and span.end >= right] if spans else []
            if active:
                style = style + self._span_style(active)
            for mark_start, mark_end, mark_style, over_span in marks:
                if mark_start <= left and mark_end >= right:
                    # Over a span a mark may draw differently, so it never hides the span's colour.
                    style = style + (over_span if active and over_span is not None else mark_style)
            if selection is not None and selection[0] <= left and selection[1] >= right:
                style = style + selection_style
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
                style = style + selection_style
            segments.append(Segment(" ", style + cursor_style))
        elif selection is not None and selection[0] <= end < selection[1] and end < len(text) and text[end] == "\n":
            # A selected newline shows as one selected cell, so a selection across paragraphs reads.
            segments.append(Segment(" ", base + selection_style))
        if bidi.has_rtl(text, start, end):  # Arabic, Hebrew: drawn in visual order, styles kept
            segments[2:] = bidi.visual_segments(segments[2:], bidi.paragraph_is_rtl(text, start))
        return Strip(segments).adjust_cell_length(width, base)
