"""newsdesk in a real pseudo-terminal: what it showed as saved survives a closed terminal or a kill."""

from __future__ import annotations

import os
import pty
import select
import signal
import sys
import time
from pathlib import Path

import pytest

from newsdesk.annotations.store import Store
from conftest import ROOT

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal")


class Terminal:
    """A child process running `python -m newsdesk` on a pty, 120x40, that we type into."""

    def __init__(self, db: Path) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: become newsdesk
            os.chdir(ROOT)
            os.environ.update({"TERM": "xterm-256color", "COLUMNS": "120", "LINES": "40", "PYTHONPATH": str(ROOT)})
            os.execv(sys.executable, [sys.executable, "-m", "newsdesk", "--db", str(db), "--annotator", "pty"])
        self.pid, self.fd = pid, fd
        import fcntl
        import struct
        import termios

        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        self.screen = b""

    def read(self, seconds: float) -> bytes:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            ready, _, _ = select.select([self.fd], [], [], 0.05)
            if ready:
                try:
                    chunk = os.read(self.fd, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                self.screen += chunk
        return self.screen

    def wait_for(self, text: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if text.encode() in self.read(0.2):
                return
        raise AssertionError(f"{text!r} never appeared on the terminal")

    def type(self, keys: str, pause: float = 0.3) -> None:
        for key in keys:
            os.write(self.fd, key.encode())
            self.read(pause)

    def end(self, how: int) -> None:
        os.kill(self.pid, how)
        os.waitpid(self.pid, 0)
        os.close(self.fd)


@pytest.mark.parametrize("how", [signal.SIGKILL, signal.SIGHUP], ids=["killed", "terminal-closed"])
def test_a_span_shown_as_saved_survives_the_end_of_the_terminal(tmp_path: Path, how: int):
    db = tmp_path / "db.json"
    terminal = Terminal(db)
    try:
        terminal.wait_for("Starmer Extends")
        terminal.type("j\r", pause=0.6)  # the headline report is second in date order
        terminal.wait_for("no source or date given")
        terminal.type(")s1", pause=0.4)
        terminal.wait_for("1 span")
    finally:
        terminal.end(how)
    with Store(db, readonly=True) as store:
        (span,) = list(store.iter_spans())
        assert span.text.startswith("The invitation followed discussions")
        assert span.annotator == "pty"


def test_deleting_undoing_and_tagging_the_article_in_a_real_terminal(tmp_path: Path):
    """Toasts are drawn only in a real terminal: these keys each show one, and none may crash."""
    db = tmp_path / "db.json"
    terminal = Terminal(db)
    try:
        terminal.wait_for("Starmer Extends")
        terminal.type("j\r", pause=0.6)
        terminal.wait_for("no source or date given")
        terminal.type(")s1", pause=0.4)
        terminal.wait_for("1 span")
        terminal.type("[x", pause=0.6)  # back onto the span, delete it
        terminal.wait_for("Deleted span")
        terminal.type("u", pause=0.6)
        terminal.wait_for("Undid")
        terminal.type("T", pause=0.6)
        terminal.type("diplomacy\r", pause=0.6)
        terminal.wait_for("added to the article")
        terminal.type("q", pause=0.6)
        terminal.wait_for("1 span")
    finally:
        terminal.end(signal.SIGKILL)
    with Store(db, readonly=True) as store:
        (span,) = list(store.iter_spans())
        assert store.doc_topics(span.article_id).topics == ("diplomacy",)
