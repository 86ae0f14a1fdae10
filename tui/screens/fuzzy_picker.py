"""A modal that narrows a list as you type and returns the chosen option's id."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from .early_keys import EarlyKeys

__all__ = ["FuzzyPicker", "fuzzy_score"]


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


class FuzzyPicker(EarlyKeys, ModalScreen[str | None]):
    """Type to narrow, ↑↓ to move, enter to choose, escape to cancel. Subclasses list the options."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "move(1)", "Next", show=False, id="picker.down"),
        Binding("up", "move(-1)", "Previous", show=False, id="picker.up"),
    ]
    PLACEHOLDER = "type to search"
    HELP = "enter choose · ↑↓ move · esc cancel"

    def __init__(self, *, title: str) -> None:
        super().__init__()
        self.picker_title = title

    def options_for(self, query: str) -> list[Option]:  # pragma: no cover - provided by subclasses
        """The options matching `query`, best first."""
        raise NotImplementedError

    def chosen(self, option_id: str) -> str:
        """What choosing the option with this id returns (its id, unless a subclass says otherwise)."""
        return option_id

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(Text(self.picker_title, style="bold"), id="picker-title")
            yield Input(placeholder=self.PLACEHOLDER, id="picker-input")
            yield OptionList(id="picker-options")
            yield Static(Text(self.HELP, style="dim"), id="picker-help")

    def on_mount(self) -> None:
        self._fit_list()
        self._fill("")
        self.take_focus(self.query_one(Input))

    def on_resize(self) -> None:
        self._fit_list()

    def label_width(self) -> int:
        """Cells an option's label has in the list (the box is 72 cells or 95% of the terminal)."""
        return max(10, min(72, self.app.size.width * 95 // 100) - 10)

    def _fit_list(self) -> None:
        """Give the list what the terminal has left after the title, input, guideline and key hints.

        At 24 rows that is 12 rows (16 on a tall terminal), so the lines under the list stay visible.
        """
        self.query_one(OptionList).styles.max_height = max(4, min(16, self.app.size.height - 12))

    def early_changed(self, value: str) -> None:
        self._fill(value)

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        options.add_options(self.options_for(query))
        if options.option_count:
            options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted).id)

    @on(OptionList.OptionSelected, "#picker-options")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option.id)

    def _choose(self, option_id: str | None) -> None:
        if option_id:
            self.dismiss(self.chosen(option_id))

    def action_move(self, step: int) -> None:
        """Move the highlight while typing."""
        options = self.query_one(OptionList)
        if options.option_count:
            options.highlighted = ((options.highlighted or 0) + step) % options.option_count

    def action_cancel(self) -> None:
        """Close without choosing."""
        self.dismiss(None)
