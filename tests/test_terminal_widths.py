"""newsdesk in a real terminal (tmux): articles in every script stay inside their box.

tmux draws each code point with the C library's `wcwidth` (joining a ZWJ sequence into one cell
pair), so the test measures the captured screen with that same function, not with Rich: if
newsdesk and the terminal disagreed, the article box's right border would leave its column, and
the cursor (drawn in reverse video) would sit off its character.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import locale
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT
from scripts_articles import SCRIPT_ARTICLES

pytestmark = pytest.mark.skipif(
    shutil.which("tmux") is None or not sys.platform.startswith("linux"), reason="needs tmux and glibc"
)

WIDTH, HEIGHT = 84, 30
_SGR = re.compile(r"\x1b\[([0-9;]*)m")
_BORDERS = "▊▎▔▁"


class _Libc:
    def __init__(self) -> None:
        self.libc = ctypes.CDLL(ctypes.util.find_library("c"))
        self.libc.wcwidth.argtypes = [ctypes.c_wchar]
        self.libc.wcwidth.restype = ctypes.c_int

    def width(self, text: str) -> int:
        """Cells tmux gives `text`: libc wcwidth per code point, the one after a ZWJ joined in."""
        total, joined = 0, False
        for char in text:
            if joined:
                joined = False
                continue
            if char == "\u200d":
                joined = True
                continue
            total += max(0, self.libc.wcwidth(char))
        return total


@pytest.fixture(scope="module")
def libc():
    previous = locale.setlocale(locale.LC_CTYPE)
    locale.setlocale(locale.LC_CTYPE, "C.UTF-8")
    try:
        yield _Libc()
    finally:
        locale.setlocale(locale.LC_CTYPE, previous)


def _cells(row: str) -> list[tuple[str, bool]]:
    """(character, drawn in reverse video) for each code point of a captured row."""
    out: list[tuple[str, bool]] = []
    reverse = False
    pos = 0
    for match in _SGR.finditer(row):
        out.extend((char, reverse) for char in row[pos : match.start()])
        params = [int(p) if p else 0 for p in match.group(1).split(";")] if match.group(1) else [0]
        for p in params:
            if p == 0:
                reverse = False
            elif p == 7:
                reverse = True
            elif p == 27:
                reverse = False
        pos = match.end()
    out.extend((char, reverse) for char in row[pos:])
    return out


class Tmux:
    def __init__(self, name: str, library: Path, db: Path) -> None:
        self.name = name
        command = (
            f"env PYTHONPATH={ROOT} LANG=C.UTF-8 TERM=xterm-256color COLUMNS={WIDTH} LINES={HEIGHT} "
            f"{sys.executable} -m newsdesk "
            f"--library {library} --db {db}"
        )
        subprocess.run(["tmux", "kill-session", "-t", name], stderr=subprocess.DEVNULL)
        subprocess.run(["tmux", "new", "-d", "-s", name, "-x", str(WIDTH), "-y", str(HEIGHT), command], check=True)
        # Without a client attached, some tmux servers keep their default 80x24: say it again.
        subprocess.run(["tmux", "resize-window", "-t", name, "-x", str(WIDTH), "-y", str(HEIGHT)], check=True)
        size = subprocess.run(
            ["tmux", "display", "-p", "-t", name, "#{window_width}x#{window_height}"],
            capture_output=True, text=True, check=True,
        ).stdout.strip()
        assert size == f"{WIDTH}x{HEIGHT}", f"tmux window is {size}"

    def capture(self, escapes: bool = False) -> list[str]:
        args = ["tmux", "capture-pane", "-p", "-t", self.name] + (["-e"] if escapes else [])
        return subprocess.run(args, capture_output=True, text=True, check=True).stdout.split("\n")[:HEIGHT]

    def wait_for(self, text: str, timeout: float = 20) -> list[str]:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            screen = self.capture()
            if any(text in line for line in screen):
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared:\n" + "\n".join(self.capture()))

    def keys(self, *keys: str, pause: float = 0.3) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.name, *keys], check=True)
        time.sleep(pause)

    def close(self) -> None:
        subprocess.run(["tmux", "kill-session", "-t", self.name], stderr=subprocess.DEVNULL)


def _check_article_box(screen: list[str], libc: _Libc, script: str) -> list[tuple[int, int, str]]:
    """Every row of the article box ends with its border in the last column; returns the cursor cells."""
    rows = [i for i, line in enumerate(screen) if line.startswith("\x1b[7m▊") or line.startswith("▊")]
    assert len(rows) > 5, f"{script}: no article box on screen"
    cursor: list[tuple[int, int, str]] = []
    wrapped_rows = 0
    for y in rows:
        cells = _cells(screen[y])
        text = "".join(char for char, _ in cells).rstrip(" ")
        assert text.endswith("▎"), f"{script}: row {y} lost its right border: {text!r}"
        assert libc.width(text[:-1]) == WIDTH - 1, (
            f"{script}: row {y}'s border is drawn at column {libc.width(text[:-1])}, not {WIDTH - 1}: {text!r}"
        )
        if len(text.strip("▊▎▔▁ ")) > 10:
            wrapped_rows += 1
        col = 0
        for char, reverse in cells:
            if reverse and char not in _BORDERS:
                cursor.append((y, col, char))
            col += libc.width(char)
    assert wrapped_rows >= 3, f"{script}: the article did not wrap over several rows"
    return cursor


@pytest.mark.parametrize("script", sorted(SCRIPT_ARTICLES))
def test_every_script_stays_inside_its_box_and_the_cursor_on_its_text(
    script: str, tmp_path: Path, libc: _Libc
) -> None:
    library = tmp_path / "library"
    library.mkdir()
    text = SCRIPT_ARTICLES[script]
    (library / f"{script}.txt").write_text(text, encoding="utf-8")
    title = text.split("\n", 1)[0]
    tmux = Tmux(f"newsdesk-widths-{os.getpid()}-{script}", library, tmp_path / "db.json")
    try:
        library_screen = tmux.wait_for("sorted by")
        for line in library_screen:
            assert libc.width(line) <= WIDTH, f"{script}: a library row overflows: {line!r}"
        tmux.keys("Enter", pause=0.5)
        tmux.wait_for("spans")
        body = text.split("\n\n", 1)[1]
        for step in range(4):
            screen = tmux.capture(escapes=True)
            cursor = _check_article_box(screen, libc, script)
            assert cursor, f"{script}: no cursor drawn after {step} moves"
            (y, col, _), *_ = cursor
            shown = "".join(char for _, _, char in cursor)
            assert 3 <= col and col + libc.width(shown) <= WIDTH - 1, f"{script}: cursor at column {col}"
            assert shown.strip() and shown in body, f"{script}: the cursor covers {shown!r}, not the text"
            tmux.keys("w", "w", "w")
        tmux.keys("G", pause=0.5)  # the end of the article: the last row's cursor is still inside
        _check_article_box(tmux.capture(escapes=True), libc, script)
        assert title
    finally:
        tmux.close()
