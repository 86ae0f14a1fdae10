"""The CLI's standard streams: errors that name standard output, and no escapes on stderr.

`StandardOutput` turns a failed write to standard output (`> /dev/full`, a closed terminal) into
one line that says so, instead of a bare ``[Errno 28]``; a reader that went away
(`BrokenPipeError`, `newsdesk list | head`) still reaches `main`, which stops quietly.
`SafeErrors` passes everything written to standard error through the sanitiser, so no message
(newsdesk's or a library's quoting a file name) can put an escape sequence on the terminal;
carriage returns are kept for progress counters.
"""

from __future__ import annotations

from typing import Any, TextIO

from .errors import shown, shown_multiline

__all__ = ["OutputFailed", "StandardOutput", "SafeErrors"]


class OutputFailed(Exception):
    """Standard output could not be written; the message is one line naming it."""


class _Proxy:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


class StandardOutput(_Proxy):
    """sys.stdout whose write errors name standard output (a broken pipe is left as it is)."""

    def _failed(self, exc: OSError) -> OutputFailed:
        return OutputFailed(
            f"cannot write to standard output: {shown(exc.strerror or exc)}; "
            f"free some space where it goes, or send it elsewhere"
        )

    def write(self, text: str) -> int:
        try:
            return self._stream.write(text)
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None

    def flush(self) -> None:
        try:
            self._stream.flush()
        except BrokenPipeError:
            raise
        except OSError as exc:
            raise self._failed(exc) from None


class SafeErrors(_Proxy):
    """sys.stderr that removes escape sequences and control characters (but CR) from what it writes."""

    def write(self, text: str) -> int:
        if not text.isprintable() and text != "\n":
            text = "\r".join(shown_multiline(part) for part in text.split("\r"))
        return self._stream.write(text)
