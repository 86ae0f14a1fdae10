"""Jump hints in `ArticleView`: `f` labels every visible word, typing a label moves the cursor there.

A mixin of the widget. The labels and the typed keys are `annotations.hints.JumpHints` (plain,
tested on its own); this module finds the words on screen, routes keys to the hints while they
show (every key: a label letter, `backspace`, `escape` to cancel; any other key cancels) and
paints the labels over the rows it renders (`hint_overlay`), so the text never moves.

* `f` then a label: the cursor goes to that word; with a selection being made (after `v`, or
  shift) the selection grows to take the word in.
* `F` then two labels: select from the first word to the second (the second set of labels is
  made from the first word, so the words right after it take one letter: a two-word name is
  `F` + its first label + one letter).

It works the same in both panes of side by side: each pane is an `ArticleView`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from newsdesk.annotations.hints import JumpHints, words_between

from .hint_overlay import paint_labels, row_labels

__all__ = ["JumpHintMode"]

_GUTTER = 2  # the widget's gutter (GUTTER_WIDTH): labels are placed after it


class JumpHintMode(Widget):
    """Mixin for `ArticleView` (a `Widget` so its bindings count): the hint session, its keys and its labels."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f", "jump_hints", "Jump to a word", show=False, id="article.jump_hints"),
        Binding("F", "jump_select", "Select words by hints", show=False, id="article.jump_select"),
    ]

    _hints: JumpHints | None = None
    _hint_select_from: int | None = None  # F: the first word's start, once chosen
    _hint_selecting: bool = False

    @dataclass
    class HintsShown(Message):
        """Hints appeared (`count` labels) or went away (`count` 0), so a screen can say what to type."""

        view: object
        count: int

    # -- state -----------------------------------------------------------------------------
    @property
    def hints(self) -> JumpHints | None:
        """The hint session showing, or None."""
        return self._hints

    def visible_range(self) -> tuple[int, int]:
        """The text offsets [start, end) drawn on screen now."""
        wrap = self.layout_lines  # type: ignore[attr-defined]
        if not len(wrap):
            return 0, 0
        top = min(max(0, round(self.scroll_y)), len(wrap) - 1)  # type: ignore[attr-defined]
        height = max(1, self.scrollable_content_region.height)  # type: ignore[attr-defined]
        last = min(len(wrap) - 1, top + height - 1)
        return wrap.starts[top], wrap.ends[last]

    def show_hints(self, *, select: bool = False, around: int | None = None) -> int:
        """Label the visible words (nearest the cursor, or `around`, shortest); returns how many."""
        start, end = self.visible_range()
        words = words_between(self.text, start, end)  # type: ignore[attr-defined]
        if not words:
            self.hide_hints()
            return 0
        self._hints = JumpHints(words, self.cursor if around is None else around)  # type: ignore[attr-defined]
        self._hint_selecting = select
        self._refresh_hints()
        self.post_message(self.HintsShown(self, len(self._hints)))  # type: ignore[attr-defined]
        return len(self._hints)

    def hide_hints(self) -> None:
        """Take the labels away (escape, a jump, any key that is not a label)."""
        was = self._hints is not None
        self._hints = None
        self._hint_select_from = None
        self._hint_selecting = False
        if was:
            self._refresh_hints()
            self.post_message(self.HintsShown(self, 0))  # type: ignore[attr-defined]

    def _refresh_hints(self) -> None:
        self.refresh()  # type: ignore[attr-defined]

    # -- keys ------------------------------------------------------------------------------
    def action_jump_hints(self) -> None:
        """`f`: label the visible words; the next keys name one."""
        self.show_hints()

    def action_jump_select(self) -> None:
        """`F`: label the visible words; two labels select from the first word to the second."""
        self.show_hints(select=True)

    def on_key(self, event: events.Key) -> None:
        hints = self._hints
        if hints is None:
            return
        # While labels show, every key belongs to them: none reaches a binding.
        event.stop()
        event.prevent_default()
        if event.key == "escape":
            self.hide_hints()
            return
        if event.key == "backspace":
            hints.backspace()
            self._refresh_hints()
            return
        character = event.character or ""
        if len(character) != 1 or not character.isalpha():
            self.hide_hints()
            return
        outcome = hints.press(character)
        if outcome == "pending":
            self._refresh_hints()
            return
        if outcome == "miss":
            self.app.bell()  # type: ignore[attr-defined]
            self._refresh_hints()
            return
        target = hints.target
        assert target is not None
        self._jump_to(target.start, target.end)

    def _jump_to(self, start: int, end: int) -> None:
        if self._hint_selecting:
            if self._hint_select_from is None:
                # The first word of F: keep it, and label again from there for the second.
                self.move_cursor(start)  # type: ignore[attr-defined]
                self.show_hints(select=True, around=start)
                self._hint_select_from = start
                return
            first = self._hint_select_from
            self.hide_hints()
            if start >= first:
                self.select(first, end)  # type: ignore[attr-defined]
            else:
                self.select(start, self._word_end_at(first))
            return
        anchor = self.anchor  # type: ignore[attr-defined]
        self.hide_hints()
        if anchor is not None:
            # Growing a selection: take the whole word in, on whichever side of the anchor it is.
            self.move_cursor(end if start >= anchor else start, extend=True)  # type: ignore[attr-defined]
        else:
            self.move_cursor(start)  # type: ignore[attr-defined]

    def _word_end_at(self, offset: int) -> int:
        from newsdesk.annotations.text import word_at

        return word_at(self.text, offset)[1]  # type: ignore[attr-defined]

    # -- drawing ---------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)  # type: ignore[misc]
        hints = self._hints
        if hints is None:
            return strip
        wrap = self.layout_lines  # type: ignore[attr-defined]
        row = round(self.scroll_y) + y  # type: ignore[attr-defined]
        if row >= len(wrap):
            return strip
        labels = row_labels(self.text, wrap.starts[row], wrap.ends[row], hints.showing(), hints.typed, left=_GUTTER)  # type: ignore[attr-defined]
        return paint_labels(strip, labels, strip.cell_length)
