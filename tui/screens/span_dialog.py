"""The span dialog: a span's text and topics, and its free-text note to edit."""

from __future__ import annotations

from typing import Mapping

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from .early_keys import EarlyKeys

from newsdesk.annotations.model import Span, Topic
from newsdesk.annotations.text import sanitise

__all__ = ["SpanDialog"]


class SpanDialog(EarlyKeys, ModalScreen[str | None]):
    """Shows one span; returns its new note on enter, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="span.cancel")]

    def __init__(self, span: Span, topics: Mapping[str, Topic]) -> None:
        super().__init__()
        self.span = span
        self.topics = topics

    def compose(self) -> ComposeResult:
        span = self.span
        topics = Text()
        for name in span.topics:
            colour = self.topics[name].colour if name in self.topics else "#888888"
            topics.append("■ ", style=colour)
            topics.append(name)
            topics.append("   ")
        meta = Text(
            f"{span.start}–{span.end} · {span.end - span.start} characters · by {span.annotator or 'unknown'}",
            style="dim",
        )
        with Vertical(id="span-dialog"):
            yield Static(Text("Span", style="bold"))
            yield Static(Text(span.text), id="span-text")
            yield Static(topics, id="span-topics")
            yield Static(meta)
            yield Input(value=span.note, placeholder="a note for this span (enter saves)", id="span-note")
            yield Static(Text("enter save note · esc cancel · x on the span in the text deletes it", style="dim"))

    def on_mount(self) -> None:
        self.take_focus(self.query_one(Input))

    @on(Input.Submitted, "#span-note")
    def _save(self, event: Input.Submitted) -> None:
        self.dismiss(sanitise(event.value))  # a pasted lone surrogate or escape never reaches the store

    def action_cancel(self) -> None:
        """Close without changing the note."""
        self.dismiss(None)
