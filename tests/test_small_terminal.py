"""A new user on an 80x24 terminal: help, pickers, footers and headers still say what matters."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.help import HelpScreen

pytestmark = pytest.mark.anyio

SIZE = (80, 24)


def screen_lines(app) -> list[str]:
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_help_on_80_columns_says_what_each_reader_key_does(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = "\n".join(screen_lines(app))
        assert "Reading and selecting" in text
        row = next(line for line in text.splitlines() if "↑ k" in line)
        assert "Up" in row, row


async def test_topic_picker_on_24_rows_shows_the_guideline_and_its_keys(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("t")
        await pilot.pause()
        text = "\n".join(screen_lines(app))
        assert "guideline:" in text, text
        assert "esc cancel" in text, text
        assert "1 ■ defence" in text, text


async def test_footers_on_80_columns_keep_help_and_the_way_out(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Quit" in footer, footer
        await pilot.press("t")
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Back" in footer, footer
        await pilot.press("q")
        await pilot.press("enter")
        await pilot.pause()
        footer = screen_lines(app)[-1]
        assert "? Help" in footer and "q Library" in footer and "d Done" in footer, footer


async def test_a_library_of_two_sources_names_both_in_its_header(tmp_path: Path):
    import json
    import shutil

    from newsdesk.annotations.corpus import seeds_dir

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"headline": "Harbour report", "body": "A story. It ends.", "outlet": "Wire"}) + "\n")
    intl = shutil.copytree(seeds_dir(), tmp_path / "intl")
    app = make_app(library=[corpus, intl], db=tmp_path / "db.json")
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        header = screen_lines(app)[0]
        assert "library: corpus.jsonl + intl" in header, header
