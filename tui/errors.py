"""Turning an error, a file name or a path into the text a person is shown.

Names and messages come from outside (file names, folder names, paths typed by the person,
`OSError` texts quoting them) and can hold terminal escapes: a file named ``x\\e]0;TITLE\\ay.txt``
would retitle the terminal. Everything shown goes through `annotations.text.sanitise`, the same
function that cleans article text.
"""

from __future__ import annotations

__all__ = ["first_line", "shown", "shown_multiline"]


def shown_multiline(text: object) -> str:
    """`text` without escape sequences or control characters (newlines and tabs kept)."""
    text = str(text)
    if text.isprintable():  # the common case, without importing the sanitiser
        return text
    from newsdesk.annotations.text import sanitise

    return sanitise(text)


def shown(text: object) -> str:
    """`text` as one safe line: `shown_multiline`, with newlines and tabs turned into spaces."""
    return shown_multiline(text).replace("\n", " ").replace("\t", " ")


def first_line(error: BaseException) -> str:
    """The first line of the error's message (made safe to show), or its type's name when it has none."""
    message = shown_multiline(error)
    return message.split("\n")[0] if message.strip() else type(error).__name__
