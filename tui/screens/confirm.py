"""A yes/no question in one line: y or enter says yes, n or escape says no."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["ConfirmDialog"]


class ConfirmDialog(ModalScreen[bool]):
    """Ask `question` (plain text, never markup); dismisses with True for yes, False for no."""

    DEFAULT_CSS = """
    ConfirmDialog { align: center middle; }
    #confirm { width: 72; max-width: 95%; height: auto; border: thick $warning; background: $surface; padding: 0 1; }
    """

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, question: str) -> None:
        super().__init__()
        self.question = question

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm"):
            yield Static(Text(self.question))
            yield Static(Text("y or enter: yes · n or escape: no", style="dim"))

    def on_key(self, event) -> None:
        # Every other key is swallowed: a key meant for the screen below never runs a command there.
        if event.key not in ("y", "n", "enter", "escape", "ctrl+q"):
            event.stop()
            event.prevent_default()

    def action_answer(self, yes: bool) -> None:
        """Close with this answer."""
        self.dismiss(yes)
