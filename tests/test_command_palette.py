"""The command palette shows topic names as plain text and each key once."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.annotations.model import Topic
from newsdesk.annotations.store import Store
from newsdesk.tui.app import make_app

pytestmark = pytest.mark.anyio

HOSTILE = "[@click=app.quit]boom[/]"


async def palette_lines(pilot, query: str) -> list[str]:
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    for char in query:
        await pilot.press(char if char != " " else "space")
    await pilot.pause(0.3)
    options = pilot.app.screen.query_one(CommandList)
    return [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]


async def test_a_topic_named_like_markup_is_listed_as_its_name_not_run(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    with Store(db) as store:
        store.put_topic(Topic(HOSTILE, 1, "#123456"))
    app = make_app(db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the reader, where 1-9 tag
        await pilot.pause()
        lines = await palette_lines(pilot, "boom")
        assert any(HOSTILE in line for line in lines), lines
        await pilot.press("escape")
        await pilot.pause()
        assert app.is_running  # the name's [@click=app.quit] was text, not an action


async def test_each_number_key_appears_once_in_its_palette_entry(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        lines = await palette_lines(pilot, "tag with energy")
        (energy,) = [line for line in lines if "energy" in line and "Tag" in line]
        assert energy.count("(5)") == 1, energy


async def test_each_command_is_listed_once_its_key_under_its_name(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        lines = await palette_lines(pilot, "clear filter")
        (entry,) = [line for line in lines if "Clear filter" in line]
        assert entry.count("Clear filter") == 1, entry
        assert "esc" in entry, entry
