"""The help screen: every key of the screen underneath, with what it does."""

from __future__ import annotations

from rich.cells import cell_len
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from ..widgets.legend import marks_legend

__all__ = ["HelpScreen", "binding_rows"]

GROUP_TITLES = {
    "ArticleView": "Reading and selecting",
    "ReaderScreen": "Annotating",
    "CompareScreen": "Side by side",
    "LibraryList": "Library list",
    "LibraryScreen": "Library",
    "SpanPanel": "Span panel",
    "NewsdeskApp": "Everywhere",
}


def binding_rows(screen: Screen) -> list[tuple[str, list[tuple[str, str, str]]]]:
    """The bindings active on `screen`, grouped by the widget that owns them, keys merged per action.

    Each row is (keys, description, binding ids): the ids are what `[keymap]` in the config remaps.
    """
    app = screen.app
    groups: dict[str, dict[tuple[str, str], tuple[list[str], list[str]]]] = {}
    for node, bindings in reversed(screen._modal_binding_chain):
        group = GROUP_TITLES.get(type(node).__name__, type(node).__name__)
        for _key, binding in bindings:
            # Only newsdesk's own bindings (they all have ids): Textual's inherited ones (sideways
            # scrolling, copy) do nothing here and would only mislead.
            if not binding.description or not binding.id:
                continue
            keys, ids = groups.setdefault(group, {}).setdefault((binding.action, binding.description), ([], []))
            display = app.get_key_display(binding)
            if display not in keys:
                keys.append(display)
            if binding.id and binding.id not in ids:
                ids.append(binding.id)
    ordered = []
    for group, actions in groups.items():
        rows = [(" ".join(keys), description, ", ".join(ids)) for (_action, description), (keys, ids) in actions.items()]
        ordered.append((group, rows))
    # Most specific first: the focused widget's keys, then the screen's, then the app's.
    return list(reversed(ordered))


class HelpScreen(ModalScreen[None]):
    """Lists every binding of the screen it was opened over. Any of escape, q, ? or F1 closes it."""

    BINDINGS = [
        Binding("escape", "dismiss", "Close help", id="help.close"),
        Binding("q", "dismiss", "Close help", show=False, id="help.close_q"),
        Binding("?", "dismiss", "Close help", show=False, id="help.close_question"),
        Binding("f1", "dismiss", "Close help", show=False, id="help.close_f1"),
    ]

    def __init__(self, over: Screen) -> None:
        super().__init__()
        self.over = over

    def compose(self) -> ComposeResult:
        groups = binding_rows(self.over)
        key_width = max((cell_len(keys) for _g, rows in groups for keys, _d, _i in rows), default=1)
        text_width = max((cell_len(d) for g, rows in groups for _k, d, _i in rows for d in (d, g)), default=1)
        # The box is 90 cells or 95% of the terminal, less its border, padding and scrollbar; the keys and
        # what they do always fit, the binding ids get what is left (cut with an ellipsis), or no column
        # at all on a narrow terminal.
        inner = min(90, self.app.size.width * 95 // 100) - 8
        id_width = inner - key_width - text_width - 4
        show_ids = id_width >= 12
        table = Table.grid(padding=(0, 2))
        table.add_column(justify="right", style="bold", no_wrap=True)
        table.add_column(min_width=min(text_width, max(1, inner - key_width - 2)))
        if show_ids:
            table.add_column(style="dim", no_wrap=True, overflow="ellipsis", max_width=id_width)
        for group, rows in groups:
            id_title = [Text("id for [keymap]")] if show_ids else []
            table.add_row(Text(""), Text(""), *([Text("")] if show_ids else []))
            table.add_row(Text(""), Text(group, style="bold underline"), *id_title)
            for keys, description, ids in rows:
                table.add_row(Text(keys), Text(description), *([Text(ids)] if show_ids else []))
        marks = Table.grid(padding=(0, 2))
        marks.add_column(justify="right", no_wrap=True)
        marks.add_column()
        marks.add_row(Text(""), Text(""))
        marks.add_row(Text(""), Text("What the marks mean", style="bold underline"))
        for mark, meaning in marks_legend():
            marks.add_row(mark, meaning)
        with VerticalScroll(id="help-body"):
            yield Static(Text("newsdesk keys", style="bold"), id="help-title")
            yield Static(table)
            yield Static(marks, id="help-marks")
            yield Static(
                Text(
                    "ctrl+p opens the command palette with every action by name. Keys can be remapped in "
                    "~/.config/newsdesk/config.toml under [keymap], by binding id"
                    + ("." if show_ids else " (a terminal 100 columns wide shows the ids)."),
                    style="dim",
                )
            )

    async def action_dismiss(self, result: None = None) -> None:
        self.dismiss(None)
