"""The topic legend: each topic's key, colour and name, so the colours in the text can be read."""

from __future__ import annotations

from typing import Iterable

from rich.text import Text
from textual.widgets import Static

from annotations.model import Topic

__all__ = ["Legend", "legend_text"]


def legend_text(topics: Iterable[Topic], *, used: set[str] | None = None) -> Text:
    """Keyed topics as `1 ■ name`, dimmed where this article does not use them yet."""
    text = Text(no_wrap=False, overflow="fold")
    for topic in topics:
        if topic.key is None and (used is None or topic.name not in used):
            continue
        style = "" if used is None or topic.name in used else "dim"
        text.append(f"{topic.key if topic.key else '·'}", style="bold")
        text.append("■", style=topic.colour)
        text.append(" ")
        text.append(topic.name, style=style)
        text.append("   ")
    return text


class Legend(Static):
    """One or two lines under the article: which colour and key is which topic."""

    DEFAULT_CSS = """
    Legend { height: auto; max-height: 3; padding: 0 1; }
    """

    def show(self, topics: Iterable[Topic], *, used: set[str] | None = None) -> None:
        """Redraw for `topics`; topics the article uses are bright, the rest dim."""
        self.update(legend_text(topics, used=used))
