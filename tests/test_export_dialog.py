"""`e` in the library exports from inside the app, asks before replacing a file, and shows what it wrote."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.export_dialog import ExportDialog
from newsdesk.tui.screenshots import demo_database

pytestmark = pytest.mark.anyio


async def open_export_dialog(pilot, path: Path) -> ExportDialog:
    """`e` in the library, then type `path` as the file to write."""
    await pilot.press("e")
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    dialog.query_one("#export-path").value = str(path)
    await pilot.pause()
    return dialog


async def save(pilot) -> None:
    """`ctrl+s`, and wait for the export to finish."""
    await pilot.press("ctrl+s")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def test_exporting_from_the_app_writes_newsdesk_json(tmp_path: Path):
    app = make_app(db=demo_database(tmp_path / "db.json"))
    target = tmp_path / "out" / "summit.json"
    target.parent.mkdir()
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_export_dialog(pilot, target)
        await save(pilot)
        result = str(dialog.query_one("#export-result").render())
        assert "exported" in result
        data = json.loads(target.read_text("utf-8"))
        assert data["format"] == "newsdesk"
        assert sum(len(article["spans"]) for article in data["articles"]) == app.store.span_count()


async def test_an_existing_file_is_replaced_only_after_a_second_press(tmp_path: Path):
    app = make_app(db=demo_database(tmp_path / "db.json"))
    target = tmp_path / "keep.json"
    target.write_text("precious", encoding="utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_export_dialog(pilot, target)
        await save(pilot)
        assert target.read_text("utf-8") == "precious"
        assert "exists" in str(dialog.query_one("#export-result").render())
        await save(pilot)
        assert target.read_text("utf-8") != "precious"
        await pilot.press("escape")
        assert not isinstance(app.screen, ExportDialog)


async def test_a_failed_export_says_why_in_one_line_and_writes_nothing(tmp_path: Path):
    app = make_app(db=demo_database(tmp_path / "db.json"))
    target = tmp_path / "no-such-folder" / "x.json"
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = await open_export_dialog(pilot, target)
        await save(pilot)
        message = str(dialog.query_one("#export-result").render())
        assert "no-such-folder" in message and "\n" not in message.strip()
        assert not target.parent.exists()


def test_an_export_can_never_overwrite_the_database_itself(tmp_path: Path, capsys):
    from newsdesk.tui.cli import main

    db = demo_database(tmp_path / "db.json")
    before = db.read_bytes()
    for target in (db, Path(str(db) + ".journal")):
        assert main(["export", "--db", str(db), "--format", "json", "-o", str(target), "--force"]) == 1
        err = capsys.readouterr().err
        assert "annotation database itself" in err and len(err.strip().splitlines()) == 1
    assert db.read_bytes() == before
    assert main(["list", "--db", str(db)]) == 0
