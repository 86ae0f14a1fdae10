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
                # Overlaps: the two topics' colours mixed, stronger, and bold, so two stacked
                # highlights never read as one. (Underline is kept for linked sentences.)
                second = parse(colours[1])
                mixed = first.blend(second, 0.5).blend(background, 0.45)
                style = Style(bgcolor=mixed.rich_color, bold=True)
            self._style_cache[key] = style
        return style

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
            cells.append(Segment("+" if more else "▍", base + Style(color=self._topic_colour(name), bold=more)))
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

        selection_style = self._component("article-view--selection")
        if self.has_focus:
            cursor_style = self.CURSOR_STYLE
        else:
            # Unfocused, the cursor is a dim block, so two panes side by side show which is live.
            cursor_style = Style(bgcolor=self._component("article-view--cursor-blurred").bgcolor)
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
        return Strip(segments).adjust_cell_length(width, base)
