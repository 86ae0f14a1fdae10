"""The files the library could not read, each with its one-line reason."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

__all__ = ["SkippedFiles"]


class SkippedFiles(ModalScreen[None]):
    """Lists `library.refused`: which file, what is wrong with it, what to do."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close", id="skipped.close"),
        Binding("q", "dismiss", "Close", show=False, id="skipped.close_q"),
    ]

    def compose(self) -> ComposeResult:
        refused = self.app.library.refused
        body = Text()
        for problem in refused:
            body.append(f"{problem.path.name}", style="bold")
            body.append(f"  {problem.reason}\n")
        with VerticalScroll(id="help-body"):
            yield Static(Text(f"{len(refused)} files were not read", style="bold"), id="help-title")
            yield Static(body)
            yield Static(Text("Fix or remove them, then start newsdesk again. esc closes.", style="dim"))
