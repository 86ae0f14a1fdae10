"""Keys typed faster than a dialog opens belong to its input, never to a command.

A modal's input takes focus only once the modal is mounted; a person typing `t` and a topic
name at full speed, or a script sending keys with no pause, gets there first. The app sends
such keys on to whatever has focus now (`NewsdeskApp._on_key`); a modal using `EarlyKeys`
holds those that arrive before its input exists and types them in, in order, as it mounts.
"""

from __future__ import annotations

from textual import events
from textual.widgets import Input

__all__ = ["EarlyKeys"]


class EarlyKeys:
    """Mixin for a `ModalScreen` with one `Input`: call `take_focus(input)` from `on_mount`."""

    _early_keys: list[events.Key] | None = None
    _early_ready = False

    def take_focus(self, box: Input) -> None:
        """Focus `box` now and type into it the keys that came before it existed."""
        self.set_focus(box)  # type: ignore[attr-defined]  # now, not after the keys queued behind us
        self._early_ready = True
        early, self._early_keys = self._early_keys or [], None
        for event in early:
            self._type_early(box, event)

    def on_key(self, event: events.Key) -> None:
        if self._early_ready and not getattr(event, "_newsdesk_moved", False):
            return  # an ordinary key, through the focused input
        event.stop()
        event.prevent_default()
        if self._early_ready:
            self._type_early(self.query_one(Input), event)  # type: ignore[attr-defined]
        else:
            if self._early_keys is None:
                self._early_keys = []
            self._early_keys.append(event)

    def _type_early(self, box: Input, event: events.Key) -> None:
        if event.key == "enter":
            self.early_changed(box.value)
            box.post_message(Input.Submitted(box, box.value))
        elif event.key == "escape":
            self.early_cancel()
        elif event.key == "backspace":
            box.action_delete_left()
            self.early_changed(box.value)
        elif event.is_printable and event.character:
            box.insert_text_at_cursor(event.character)
            self.early_changed(box.value)
    def early_changed(self, value: str) -> None:
        """The input's text changed by an early key (before its own Changed message arrives)."""

    def early_cancel(self) -> None:
        """An early escape: close as escape would."""
        self.dismiss(None)  # type: ignore[attr-defined]
