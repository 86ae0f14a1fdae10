"""The two small dialogs of "tag every occurrence" and "run the patterns again".

`TopicKeyPrompt` takes one key: a topic's number key, `t` to choose by name, `escape` to cancel.
`ConfirmBatch` shows what a batch would do (how many, in how many articles) and waits for
`enter`/`y`; it can offer one toggle key (whole words on/off) that asks the screen to count again.
Every string shown is data (`rich.text.Text`), never markup.
"""

from __future__ import annotations

from typing import Callable, Sequence

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from newsdesk.annotations.model import Topic, clean_label

__all__ = ["TopicKeyPrompt", "ConfirmBatch"]

_CSS = """
TopicKeyPrompt, ConfirmBatch { align: center middle; }
TopicKeyPrompt > Vertical, ConfirmBatch > Vertical {
    width: 72; max-width: 100%; height: auto; padding: 1 2;
    border: thick $accent; background: $surface;
}
"""


class TopicKeyPrompt(ModalScreen[str | None]):
    """Ask which topic, in one key: returns the topic name, or None when cancelled."""

    DEFAULT_CSS = _CSS

    def __init__(self, title: str, topics: Sequence[Topic]) -> None:
        super().__init__()
        self.title_text = clean_label(title)
        self.topics = list(topics)

    def compose(self) -> ComposeResult:
        text = Text(self.title_text, style="bold")
        text.append("\n")
        for topic in self.topics:
            if topic.key is not None:
                text.append(f"\n{topic.key} ", style="bold")
                text.append("■ ", style=topic.colour)
                text.append(topic.name)
        text.append("\n\n1-9 topic · t choose by name · escape cancel", style="dim")
        with Vertical():
            yield Static(text, id="prompt-text")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.dismiss(None)
        elif event.character and event.character.isdigit():
            key = int(event.character)
            topic = next((t for t in self.topics if t.key == key), None)
            if topic is None:
                self.app.bell()
            else:
                self.dismiss(topic.name)
        elif event.character == "t":
            from .topic_picker import TopicPicker

            def picked(name: str | None) -> None:
                self.dismiss(name)  # not awaited: this runs inside the prompt's own handler

            self.app.push_screen(TopicPicker(self.topics, title=self.title_text), picked)


class ConfirmBatch(ModalScreen[bool]):
    """Show what a batch will do; `enter`/`y` does it, `escape`/`n` does not.

    With `toggle`, the key `toggle[0]` calls `toggle[2]()`, which returns the new description
    (e.g. counting again with whole words off); `toggle[1]` says what the key does.
    """

    DEFAULT_CSS = _CSS

    def __init__(self, message: str, *, toggle: tuple[str, str, Callable[[], str]] | None = None) -> None:
        super().__init__()
        self.message = message
        self.toggle = toggle

    def _text(self) -> Text:
        text = Text(clean_label(self.message, keep_newlines=True))
        keys = "enter or y: yes · escape or n: no"
        if self.toggle is not None:
            keys += f" · {self.toggle[0]}: {self.toggle[1]}"
        text.append("\n\n" + keys, style="dim")
        return text

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(self._text(), id="confirm-text")

    def on_key(self, event: events.Key) -> None:
        event.stop()
        event.prevent_default()
        if event.key in ("enter", "y"):
            self.dismiss(True)
        elif event.key in ("escape", "n"):
            self.dismiss(False)
        elif self.toggle is not None and event.character == self.toggle[0]:
            self.message = self.toggle[2]()
            self.query_one("#confirm-text", Static).update(self._text())
