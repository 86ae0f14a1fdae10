"""File names, folder names and paths are data: no escape in one reaches the terminal.

A file called ``x<ESC>]0;TITLE<BEL>y.txt`` would retitle the terminal if its name were printed
raw; the app's screens and every line the CLI prints pass names through the same sanitiser as
article text. Also: output errors name standard output, and counts read as people write them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from newsdesk.tui.app import make_app
from conftest import ROOT

pytestmark = pytest.mark.anyio

HOSTILE = "x\x1b]0;TITLE\x07y"
RAW = ("\x1b", "\x07", "\x9b")


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv], capture_output=True, text=True, env=env, timeout=60, cwd=ROOT
    )


def hostile_library(tmp_path: Path, *, folder: str = HOSTILE) -> Path:
    """A folder with a hostile name holding a readable article and a refused file, both named so."""
    library = tmp_path / folder
    library.mkdir()
    (library / f"{HOSTILE}.txt").write_text("A headline\n\nA body sentence about energy.\n", encoding="utf-8")
    (library / f"{HOSTILE}-empty.txt").write_bytes(b"")
    (library / "a\x9b31mb.txt").write_text("Another headline\n\nAnother body.\n", encoding="utf-8")
    return library


def test_the_cli_never_prints_an_escape_from_a_file_or_folder_name(tmp_path: Path) -> None:
    library = hostile_library(tmp_path)
    db = tmp_path / "db.json"
    table = run_cli("list", "--library", str(library), "--db", str(db))
    assert table.returncode == 0, table.stderr
    assert "skipped" in table.stderr and "TITLE" in table.stderr
    for stream in (table.stdout, table.stderr):
        assert not any(char in stream for char in RAW), repr(stream)

    listing = run_cli("list", "--json", "--library", str(library), "--db", str(db))
    assert not any(char in listing.stdout for char in RAW), repr(listing.stdout)
    paths = {Path(row["path"]).name for row in json.loads(listing.stdout)}
    assert paths == {f"{HOSTILE}.txt", "a\x9b31mb.txt"}  # the JSON still says exactly what the names are


def test_no_such_folder_does_not_echo_the_raw_argument(tmp_path: Path) -> None:
    result = run_cli("list", "--library", str(tmp_path / HOSTILE), "--db", str(tmp_path / "db.json"))
    assert result.returncode == 1 and "no such folder" in result.stderr
    assert not any(char in result.stderr for char in RAW), repr(result.stderr)


def test_a_store_error_naming_a_hostile_path_is_shown_clean(tmp_path: Path) -> None:
    folder = tmp_path / HOSTILE
    folder.mkdir()
    (folder / "db.json").write_text("{not json", encoding="utf-8")
    result = run_cli("topics", "--db", str(folder / "db.json"))
    assert result.returncode == 1 and "not a newsdesk database" in result.stderr
    assert not any(char in result.stderr for char in RAW), repr(result.stderr)


async def test_the_header_and_the_skipped_files_screen_show_names_without_escapes(tmp_path: Path) -> None:
    from newsdesk.tui.screens.skipped import SkippedFiles

    library = hostile_library(tmp_path)
    app = make_app(library=library, db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#library-title").render())
        assert "library: xy " in header  # the OSC string is dropped whole, as in article text
        assert not any(char in header for char in RAW), repr(header)
        assert "1 file skipped" in header
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, SkippedFiles)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "-empty.txt" in text and "1 file was not read" in text
        assert not any(char in text for char in RAW), repr(text)


# --- item 11: output errors name standard output ----------------------------------------------


@pytest.mark.parametrize("command", [["list"], ["topics"], ["list", "--json"], ["compare", "000", "003"]])
def test_a_full_standard_output_is_named_in_one_line(tmp_path: Path, command: list[str]) -> None:
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "newsdesk", *command, "--db", str(tmp_path / "db.json")],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            timeout=60,
            cwd=ROOT,
        )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1 and "standard output" in result.stderr, result.stderr
    assert "No space left" in result.stderr


# --- item 11: counts read as people write them --------------------------------------------------


async def test_a_one_character_selection_is_counted_in_the_singular(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first seed opens in the reader
        await pilot.pause()
        await pilot.press("shift+right")
        await pilot.pause()
        status = str(app.screen.query_one("#reader-status").render())
        assert "selected 1 character (" in status, status
        await pilot.press("shift+right")
        await pilot.pause()
        assert "selected 2 characters" in str(app.screen.query_one("#reader-status").render())
