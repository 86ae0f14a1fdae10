"""The topic picker: fuzzy-search the topics, or type a new name to create one."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from annotations.model import Topic

__all__ = ["TopicPicker", "fuzzy_score"]

_NEW = "\x00new"


def fuzzy_score(query: str, name: str) -> int | None:
    """How well `query` matches `name` as a subsequence (higher is better); None when it does not.

    Consecutive letters and letters at word starts score more, so "cm" finds
    "critical minerals and supply chains" before "cybersecurity".
    """
    query = query.lower().strip()
    name = name.lower()
    if not query:
        return 0
    if query in name:
        return 1000 - name.index(query)
    score = 0
    position = 0
    previous = -2
    for char in query:
        if char == " ":
            continue
        found = name.find(char, position)
        if found < 0:
            return None
        score += 10
        if found == previous + 1:
            score += 15
        if found == 0 or name[found - 1] in " -_/":
            score += 20
        previous = found
        position = found + 1
    return score - len(name) // 10


class TopicPicker(ModalScreen[str | None]):
    """Choose a topic by name. Returns the topic name (new or existing), or None when cancelled.

    `checked` marks topics already applied (for the article's topics, where choosing toggles).
    """

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
    ]

    def __init__(self, topics: Sequence[Topic], *, title: str = "Tag with topic", checked: Sequence[str] = ()) -> None:
        super().__init__()
        self.topics = list(topics)
        self.picker_title = title
        self.checked = set(checked)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text(self.picker_title, style="bold"), id="picker-title")
            yield Input(placeholder="type to search, or a new topic name", id="picker-input")
            yield OptionList(id="picker-options")
            yield Static(
                Text("enter choose · ↑↓ move · esc cancel · a new name creates the topic", style="dim"),
                id="picker-help",
            )

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        scored = []
        for topic in self.topics:
            score = fuzzy_score(query, topic.name)
            if score is not None:
                scored.append((-score, topic.key or 10, topic.name, topic))
        scored.sort(key=lambda item: item[:3])
        items: list[Option] = []
        for *_ignored, topic in scored:
            label = Text()
            label.append("✓ " if topic.name in self.checked else "  ", style="bold")
            label.append(f"{topic.key} " if topic.key else "  ", style="bold")
            label.append("■ ", style=topic.colour)
            label.append(topic.name)
            if topic.description:
                short = topic.description if len(topic.description) <= 40 else topic.description[:39] + "…"
                label.append(f"  {short}", style="dim")
            label.no_wrap = True
            label.overflow = "ellipsis"
            items.append(Option(label, id=topic.name))
        name = " ".join(query.split())
        if name and not any(topic.name.lower() == name.lower() for topic in self.topics):
            items.append(Option(Text.assemble(("+ new topic ", "bold green"), (name, "")), id=_NEW + name))
        options.add_options(items)
        if items:
            options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is None:
            return
        self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if not option_id:
            return
        self.dismiss(option_id[len(_NEW):] if option_id.startswith(_NEW) else option_id)

    def action_move(self, step: int) -> None:
        """Move the highlight while typing."""
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted or 0
            options.highlighted = (current + step) % options.option_count

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
