"""The topic legend: each topic's key, colour and name, so the colours in the text can be read."""

from __future__ import annotations

from typing import Iterable, Mapping

from rich.style import Style
from rich.text import Text
from textual.widget import Widget

from newsdesk.annotations.model import Topic

__all__ = ["Legend", "legend_text"]

WIDE = 110  # columns from which every keyed topic shows its whole name


def legend_text(
    topics: Iterable[Topic],
    *,
    used: set[str] | None = None,
    width: int = WIDE,
    swatches: Mapping[str, Style] | None = None,
) -> Text:
    """Keyed topics as `1■ name`, bright where the article uses them, dim where not.

    Narrower than WIDE columns, topics the article does not use yet keep only their first word,
    so the legend stays on one or two lines at 80 columns.
    """
    text = Text(no_wrap=False, overflow="fold")
    for topic in topics:
        in_use = used is None or topic.name in used
        if topic.key is None and not in_use:
            continue
        name = topic.name if in_use or width >= WIDE else topic.name.split()[0]
        text.append(f"{topic.key if topic.key else '·'}", style="bold")
        text.append("■", style=swatches.get(topic.name, topic.colour) if swatches else topic.colour)
        text.append(" ")
        text.append(name, style="" if in_use else "dim")
        text.append("   ")
    return text


class Legend(Widget):
    """One or two lines under the article: which colour and key is which topic."""

    DEFAULT_CSS = """
    Legend { height: auto; max-height: 3; padding: 0 1; }
    """

    def __init__(self, *, name: str | None = None, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._topics: list[Topic] = []
        self._used: set[str] | None = None

    def show(self, topics: Iterable[Topic], *, used: set[str] | None = None) -> None:
        """Redraw for `topics`; topics the article uses are bright, the rest dim."""
        self._topics = list(topics)
        self._used = used
        self.refresh(layout=True)

    def render(self) -> Text:
        width = self.size.width or self.app.size.width
        from ..palette import palette_for

        swatches = palette_for(self, self._topics).swatches  # the colour the spans have on this terminal
        return legend_text(self._topics, used=self._used, width=width, swatches=swatches)
