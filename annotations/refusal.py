"""What a refused file is, and the size past which a file is refused.

`corpus.py` (the library) and `reading.py` (one file) both raise `ArticleRefused`; it lives here
so neither has to import the other (`reading` is loaded lazily by `corpus`, never the reverse).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

__all__ = ["ArticleRefused", "MAX_BYTES"]

MAX_BYTES = 64 * 1024 * 1024
"""Files larger than this are refused (64 MB)."""


def _one_line(value: object) -> str:
    """`value` as text with any control character escaped, so a message stays on one line."""
    return "".join(c if c.isprintable() or c == " " else f"\\x{ord(c):02x}" for c in str(value))


class ArticleRefused(Exception):
    """A file newsdesk will not read as an article; str() is one line for people.

    `path` is the file, `reason` says what is wrong and what to do, e.g.
    ``"notes.txt: the file is empty; add some text or remove it from the folder"``.
    """

    def __init__(self, path: Path | str, reason: str) -> None:
        self.path = Path(path)
        self.reason = reason
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{_one_line(self.path)}: {_one_line(self.reason)}"

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.reason))
