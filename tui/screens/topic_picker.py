"""The topic picker: fuzzy-search the topics, or type a new name to create one."""

from __future__ import annotations

from typing import Sequence

from rich.text import Text
from textual import on
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from newsdesk.annotations.model import Topic
from newsdesk.annotations.text import sanitise

from ..widgets import bidi
from .fuzzy_picker import FuzzyPicker, fuzzy_score

__all__ = ["TopicPicker", "fuzzy_score"]

_NEW = "\x00new"


class TopicPicker(FuzzyPicker):
    """Choose a topic by name. Returns the topic name (new or existing), or None when cancelled.

    `checked` marks topics already applied (for the article's topics, where choosing toggles).
    """

    PLACEHOLDER = "type to search, or a new topic name"
    HELP = "enter choose · ↑↓ move · esc cancel · a new name creates the topic"

    def __init__(
        self,
        topics: Sequence[Topic],
        *,
        title: str = "Tag with topic",
        checked: Sequence[str] = (),
        create: bool = True,
        replace: bool = False,
    ) -> None:
        super().__init__(title=title)
        self.topics = list(topics)
        self.checked = set(checked)
        self.create = create  # False: only existing topics (e.g. the target of a merge)
        self.replace = replace  # relabel: a first digit chooses that key's topic
        if replace:
            self.HELP = "1-9 choose by key · or type to search, enter choose · esc cancel"
        elif not create:  # only existing topics: say nothing about new names
            self.PLACEHOLDER = "type to search the topics"
            self.HELP = "enter choose · ↑↓ move · esc cancel"

    def on_mount(self) -> None:
        # The highlighted topic's description, whole: the guideline for what belongs in it.
        self.query_one("#picker").mount(Static(Text(""), id="picker-guideline"), before="#picker-help")
        super().on_mount()

    @on(OptionList.OptionHighlighted, "#picker-options")
    def _show_guideline(self, event: OptionList.OptionHighlighted) -> None:
        topic = next((t for t in self.topics if t.name == event.option.id), None)
        text = Text("")
        if topic is not None and topic.description:
            text = Text.assemble(("guideline: ", "bold"), (topic.description, "italic"))
        for guideline in self.query("#picker-guideline").results(Static):
            guideline.update(text)

    def on_input_changed(self, event: Input.Changed) -> None:
        """Replace mode (relabel): a number key as the first thing typed chooses that key's topic."""
        if self.replace and len(event.value) == 1 and event.value in "123456789":
            for topic in self.topics:
                if topic.key == int(event.value):
                    self.dismiss(topic.name)
                    return

    def options_for(self, query: str) -> list[Option]:
        scored = []
        for topic in self.topics:
            score = fuzzy_score(query, topic.name)
            if score is not None:
                scored.append((-score, topic.key or 10, topic.name, topic))
        scored.sort(key=lambda item: item[:3])
        if not scored:  # no topic is highlighted: no guideline either
            for guideline in self.query("#picker-guideline").results(Static):
                guideline.update(Text(""))
        items: list[Option] = []
        for *_ignored, topic in scored:
            label = Text(no_wrap=True, overflow="ellipsis")
            label.append("✓ " if topic.name in self.checked else "  ", style="bold")
            label.append(f"{topic.key} " if topic.key else "  ", style="bold")
            label.append("■ ", style=topic.colour)
            label.append(bidi.visual_text(topic.name))  # its description shows whole as the guideline under the list
            items.append(Option(label, id=topic.name))
        # What is shown is cleaned like article text (a lone surrogate becomes U+FFFD); what is
        # checked is what was typed, so a control character or a surrogate is refused, not hidden.
        typed, query = query, sanitise(query)
        name = " ".join(query.split())
        if self.create and name and not any(topic.name.lower() == name.lower() for topic in self.topics):
            from newsdesk.annotations.topics import TopicRefused, check_name

            try:
                check_name(typed, self.topics)
            except TopicRefused as refusal:  # a name that cannot be a topic is never offered
                items.append(Option(Text(str(refusal), style="red"), disabled=True))
            else:
                items.append(Option(Text.assemble(("+ new topic ", "bold green"), (name, "")), id=_NEW + name))
        elif not self.create and name and not scored:  # enter would do nothing: say why
            items.append(Option(Text.assemble(("no topic named ", "yellow"), (name, "")), disabled=True))
        return items

    def chosen(self, option_id: str) -> str:
        return option_id[len(_NEW):] if option_id.startswith(_NEW) else option_id
