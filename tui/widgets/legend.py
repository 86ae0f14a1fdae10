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


def marks_legend() -> list[tuple[Text, Text]]:
    """Every mark the screens draw, as (the mark drawn as it looks, what it means), for the help screen."""
    sample = "#5b8def"
    rows = [
        (Text("▍", style=sample), "in the margin: a span on this line; one bar per topic, in its colour (two at most, + for more)"),
        (Text(" text ", style=f"on {sample}"), "a span, tinted with its topic's colour (the status line names all its topics)"),
        (Text(" text ", style="bold underline on #8a6fb0"), "bold, underlined, in mixed colours: two spans overlap here"),
        (Text(" text ", style="italic underline"), "italic underlined (side by side): the sentence linked to the one under the other cursor"),
        (Text("◆", style="#e5c07b"), "in the margin (side by side): a sentence only this report has"),
        (Text("t", style="reverse bold"), "the cursor; a dim block is the cursor of the pane without focus"),
        (Text(" text ", style="on #3a5a8a"), "the selection: what 1-9 or t tag (trimmed of edge punctuation)"),
        (Text(" hit ", style="#000000 on #e5c07b"), "a search hit; reversed inside a span, so the span's colour shows; escape clears"),
        (Text("✎"), "the span has a note (status line, span panel)"),
        (Text("✓", style="green"), "the article is marked done (library, status line); in a picker: already applied"),
        (Text("■", style=sample), "a topic's colour, beside its key and name (legend, header, panel)"),
    ]
    return [(mark, Text(meaning)) for mark, meaning in rows]
