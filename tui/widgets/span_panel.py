"""The side panel listing an article's spans: their text and topics; choosing one jumps there."""

from __future__ import annotations

from typing import Mapping, Sequence

from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from newsdesk.annotations.model import Span, Topic

__all__ = ["SpanPanel"]


def _one_line(text: str, width: int) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


class SpanPanel(OptionList):
    """The article's spans in reading order. Text is shown as data (rich `Text`), never markup.

    An article's spans are few enough for an `OptionList`; the article text itself, which can
    be megabytes, lives in the line-API `ArticleView`.
    """

    BINDINGS = [
        Binding("j", "cursor_down", "Next span", show=False, id="spans.down"),
        Binding("k", "cursor_up", "Previous span", show=False, id="spans.up"),
    ]

    class SpanChosen(Message):
        """A span was chosen in the panel (enter or click)."""

        def __init__(self, panel: "SpanPanel", span_id: str) -> None:
            super().__init__()
            self.panel = panel
            self.span_id = span_id

        @property
        def control(self) -> "SpanPanel":
            return self.panel

    def action_cursor_down(self) -> None:
        """The next span; at the last one, stay (never wrap round to the first)."""
        if self.highlighted is None or self.highlighted < self.option_count - 1:
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        """The previous span; at the first one, stay."""
        if self.highlighted is None or self.highlighted > 0:
            super().action_cursor_up()

    def set_spans(self, spans: Sequence[Span], topics: Mapping[str, Topic]) -> None:
        """Show `spans`, keeping the highlighted one when it is still there, else the one now in
        its place (after `x`, the next span; never none, so a second `x` cannot hit another span)."""
        current = self.highlighted_option.id if self.highlighted_option is not None else None
        index = self.highlighted
        self.clear_options()
        self._starts: list[int] = []
        if not spans:
            self.add_option(Option(Text("No spans yet: select text and press 1-9 or t", style="dim"), disabled=True))
            return
        options = []
        for span in spans:
            label = Text()
            label.append(_one_line(span.text, 60))
            label.append("\n")
            for name in span.topics:
                topic = topics.get(name)
                colour = topic.colour if topic else "#888888"
                label.append("■ ", style=colour)
                label.append(name, style="dim")
                label.append("  ")
            if span.note:
                label.append("✎", style="italic")
            options.append(Option(label, id=span.id))
        self.add_options(options)
        self._starts = [span.start for span in spans]
        if current is not None:
            try:
                self.highlighted = self.get_option_index(current)
            except Exception:  # the span is gone: the one now in its place
                self.highlighted = min(index or 0, len(options) - 1)

    def highlight_nearest(self, offset: int) -> None:
        """Highlight the first span that starts at or after `offset` (else the last one)."""
        starts = getattr(self, "_starts", [])
        if not starts:
            return
        index = next((i for i, start in enumerate(starts) if start >= offset), len(starts) - 1)
        self.highlighted = index

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.SpanChosen(self, event.option.id))
