"""What `ArticleView` overlays on the text: spans, marks, gutter marks and search hits.

Ranges are found by bisect with a bound on their length, never by a scan, so a row of a 1 MB
article with 1,000 spans costs what a row of a short one does. `ArticleOverlays` is a mixin of
the widget: the state and methods screens call to show spans and marks.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Iterable, Mapping, NamedTuple, Sequence

from rich.cells import cell_len
from rich.style import Style

from newsdesk.annotations.model import Span, Topic
from newsdesk.annotations.search import find_matches

__all__ = ["RangeIndex", "EMPTY_INDEX", "MarkLayer", "GutterLayer", "ArticleOverlays"]


class RangeIndex(NamedTuple):
    """Ranges sorted by start, found by bisect with a bound on their length (not a scan)."""

    starts: list[int]
    items: list  # (start, end, payload)
    max_len: int

    @classmethod
    def build(cls, items: Iterable[tuple[int, int, object]]) -> "RangeIndex":
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


EMPTY_INDEX = RangeIndex([], [], 0)


@dataclass
class MarkLayer:
    index: RangeIndex
    style: Style
    over_span: Style | None = None
    """How the mark draws over a span (None: as `style`)."""


@dataclass
class GutterLayer:
    index: RangeIndex
    char: str
    style: Style


class ArticleOverlays:
    """Spans, marks and the search of `ArticleView`; the widget provides `model`, `_text`,
    `move_cursor`, `_invalidate` and `refresh`."""

    def set_spans(self, spans: Sequence[Span], topics: Mapping[str, Topic]) -> None:
        """Show `spans` coloured by their first known topic in `topics`."""
        self._spans = sorted(spans, key=lambda span: (span.start, -span.end))
        self._span_index = RangeIndex.build((span.start, span.end, span) for span in self._spans)
        self._span_starts = sorted({span.start for span in self._spans})
        self._topics = dict(topics)
        self._style_cache.clear()
        self._invalidate()
        self.refresh()

    def spans_at(self, offset: int) -> list[Span]:
        """The spans covering `offset` (start <= offset < end), outermost first."""
        return [item[2] for item in self._span_index.overlapping(offset, offset + 1) if item[0] <= offset]

    def span_at_cursor(self) -> Span | None:
        """The span the cursor is on: the one just made or edited while the cursor stays in it,
        else the innermost (shortest) covering the cursor; None off every span."""
        spans = self.spans_at(self.model.offset)
        if not spans:
            return None
        preferred = getattr(self, "_preferred_span", None)
        for span in spans:
            if span.id == preferred:
                return span
        return min(spans, key=lambda span: span.end - span.start)

    def rest_on(self, span: Span) -> None:
        """Put the cursor on `span` (at its start unless already inside) and make it the one
        keys act on there, even where it overlaps a shorter span."""
        self._preferred_span = span.id
        self.clear_selection()
        if not span.start <= self.model.offset < span.end:
            self.move_cursor(span.start)

    @staticmethod
    def _as_style(style: str | Style) -> Style:
        return Style.parse(style) if isinstance(style, str) else style

    def set_marks(
        self, layer: str, ranges: Sequence[tuple[int, int]], style: str | Style, *, over_span: str | Style | None = None
    ) -> None:
        """Overlay `style` on `ranges` as layer `layer` (replacing that layer; later layers win);
        where a span is under the mark, `over_span` instead (so the span's colour still shows)."""
        self._marks[layer] = MarkLayer(
            RangeIndex.build((start, end, None) for start, end in ranges),
            self._as_style(style),
            self._as_style(over_span) if over_span is not None else None,
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
        self._gutters[layer] = GutterLayer(
            RangeIndex.build((start, end, None) for start, end in ranges), char, self._as_style(style)
        )
        self._invalidate()
        self.refresh()

    def search(self, query: str) -> int:
        """Mark every case-insensitive match of `query`, go to the first at/after the cursor.

        Returns the number of matches; an empty query clears the search. Only the first
        `MAX_MATCHES` are marked (and visited by n/N).
        """
        matches, total = find_matches(self._text, query, self.MAX_MATCHES)
        if not query:
            self._matches, self._match_starts = [], []
            self.clear_marks("match")
            return 0
        self._matches = matches
        self._match_starts = [start for start, _ in matches]
        self.set_marks("match", matches, self.palette().match, over_span=self.MATCH_OVER_SPAN_STYLE)
        if matches:
            starts = self._match_starts
            index = bisect_left(starts, self.model.offset)
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
            index = bisect_right(starts, self.model.offset)
            self.move_cursor(starts[index % len(starts)], center=True)

    def previous_match(self) -> None:
        """Move to the previous match before the cursor (wrapping around)."""
        if self._matches:
            starts = self._match_starts
            index = bisect_left(starts, self.model.offset) - 1
            self.move_cursor(starts[index % len(starts)], center=True)
