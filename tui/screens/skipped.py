"""The files the library could not read, each with its one-line reason."""

from __future__ import annotations

import re
from typing import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from newsdesk.annotations.model import counted
from newsdesk.annotations.refusal import ArticleRefused

from ..errors import shown

__all__ = ["SkippedFiles", "skipped_count"]

_RECORD = re.compile(r":\d+$")  # a corpus file's refused record is named FILE:LINE


def skipped_count(refused: Sequence[ArticleRefused]) -> str:
    """How many files and/or corpus records were refused, e.g. "2 records" or "1 file and 2 records"."""
    records = sum(1 for problem in refused if _RECORD.search(problem.path.name))
    files = len(refused) - records
    if records and files:
        return f"{counted(files, 'file')} and {counted(records, 'record')}"
    return counted(records, "record") if records else counted(files, "file")


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
            # File names and reasons (which can quote them) are data: cleaned like article text.
            body.append(shown(problem.path.name), style="bold")
            body.append(f"  {shown(problem.reason)}\n")
        with VerticalScroll(id="help-body"):
            verb = "was" if len(refused) == 1 else "were"
            yield Static(Text(f"{skipped_count(refused)} {verb} not read", style="bold"), id="help-title")
            yield Static(body)
            yield Static(Text("Fix or remove them, then start newsdesk again. esc closes.", style="dim"))
