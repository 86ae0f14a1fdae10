"""Turning an error into the one line a person is shown."""

from __future__ import annotations

__all__ = ["first_line"]


def first_line(error: BaseException) -> str:
    """The first line of the error's message, or its type's name when it has none."""
    message = str(error)
    return message.splitlines()[0] if message.strip() else type(error).__name__
