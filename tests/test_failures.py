"""When saving fails (a full disk, a vanished folder) the app says so and carries on; nothing is half-done."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.annotations.store import StoreError
from newsdesk.tui.app import make_app
from newsdesk.tui.screens.reader import ReaderScreen

pytestmark = pytest.mark.anyio


def failing(*_args, **_kwargs):
    raise StoreError("/tmp/db.json: could not save the change (No space left on device); free some disk space")


async def test_a_span_that_cannot_be_saved_is_reported_and_not_shown(tmp_path: Path, monkeypatch):
    app = make_app(db=tmp_path / "db.json")
    said: list[tuple[str, str]] = []
    monkeypatch.setattr(app, "say", lambda message, severity="information", timeout=3: said.append((message, severity)))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        monkeypatch.setattr(app.store, "add_span", failing)
        await pilot.press("s", "1")
        assert app.is_running and app.screen is reader
        assert said and said[-1][1] == "error" and "No space left" in said[-1][0]
        assert app.store.span_count() == 0
        assert reader.view.spans_at(reader.view.cursor) == []
        assert not app.history.can_undo


async def test_an_undo_that_cannot_be_saved_can_be_tried_again(tmp_path: Path, monkeypatch):
    app = make_app(db=tmp_path / "db.json")
    monkeypatch.setattr(app, "say", lambda *args, **kwargs: None)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s", "1")
        assert app.store.span_count() == 1
        real_delete = app.store.delete_span
        monkeypatch.setattr(app.store, "delete_span", failing)
        await pilot.press("u")
        assert app.store.span_count() == 1 and app.history.can_undo
        monkeypatch.setattr(app.store, "delete_span", real_delete)
        await pilot.press("u")
        assert app.store.span_count() == 0 and app.history.can_redo


async def test_the_export_dialog_checks_dates_and_article_ids_before_writing(tmp_path: Path):
    from newsdesk.tui.screens.export_dialog import ExportDialog
    from newsdesk.tui.screenshots import demo_database

    app = make_app(db=demo_database(tmp_path / "db.json"))
    target = tmp_path / "out.json"
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        dialog.query_one("#export-path").value = str(target)
        dialog.query_one("#export-since").value = "2026-02-30"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "not a date" in str(dialog.query_one("#export-result").render())
        dialog.query_one("#export-since").value = "2026-01-01"
        dialog.query_one("#export-articles").value = "zzzz"
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "matches no article" in str(dialog.query_one("#export-result").render())
        assert not target.exists()
        ani = next(e for e in app.library.entries if e.source == "ANI")
        dialog.query_one("#export-articles").value = ani.id[:6]
        await pilot.press("ctrl+s")
        await app.workers.wait_for_complete()
        await pilot.pause()
        import json

        data = json.loads(target.read_text("utf-8"))
        assert [article["id"] for article in data["articles"]] == [ani.id]


async def test_an_article_edited_on_disk_keeps_its_spans(tmp_path: Path, monkeypatch):
    library = tmp_path / "library"
    library.mkdir()
    path = library / "summit.txt"
    path.write_text("Summit in Tokyo\n\nCritical minerals were discussed. Leaders met.\n", encoding="utf-8")
    app = make_app(library=library, db=tmp_path / "db.json")
    said: list[str] = []
    monkeypatch.setattr(app, "say", lambda message, **kwargs: said.append(message))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s", "1")
        old_id = app.screen.article.id
        (span,) = app.store.spans_for(old_id)
        await pilot.press("d", "q")
        path.write_text("Summit in Tokyo\n\nA new opening line.\nCritical minerals were discussed. Leaders met.\n", "utf-8")
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article.id != old_id
        (moved,) = app.store.spans_for(reader.article.id)
        assert moved.id == span.id and moved.text == span.text
        assert reader.article.text[moved.start:moved.end] == span.text
        assert app.store.is_done(reader.article.id)
        assert "1 span moved" in said[-1]
        assert app.library.get(reader.article.id) is not None  # J/K and the list know the new text


def test_imported_labels_and_notes_cannot_command_the_terminal(tmp_path: Path, capsys):
    import json

    from newsdesk.annotations.corpus import Library, seeds_dir
    from newsdesk.annotations.store import Store
    from newsdesk.tui.cli import main

    library = Library.open(seeds_dir())
    article = library.load(library.entries[0].id)
    hostile = tmp_path / "evil.jsonl"
    record = {"text": article.text, "label": [[0, 7, "bad\x1b]0;PWNED\x07topic\x1b[2J"]]}
    hostile.write_text(json.dumps(record) + "\n", encoding="utf-8")
    db = tmp_path / "db.json"
    assert main(["import-spans", str(hostile), "--db", str(db), "--annotator", "eve\x1b[31m"]) == 0
    assert main(["topics", "--db", str(db)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\x07" not in out and "badtopic" in out
    with Store(db, readonly=True) as store:
        (span,) = list(store.iter_spans())
        assert span.topics == ("badtopic",)
        assert all("\x1b" not in value for value in (span.note, span.annotator))


async def test_files_the_library_skipped_are_listed_with_their_reasons(tmp_path: Path):
    from newsdesk.tui.screens.skipped import SkippedFiles

    library = tmp_path / "library"
    library.mkdir()
    (library / "good.txt").write_text("A headline\n\nA body sentence.\n", encoding="utf-8")
    (library / "empty.txt").write_bytes(b"")
    (library / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    app = make_app(library=library, db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert "2 files skipped" in str(app.screen.query_one("#library-title").render())
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, SkippedFiles)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "empty.txt" in text and "is empty" in text and "photo.txt" in text
        await pilot.press("escape")
        assert not isinstance(app.screen, SkippedFiles)


def test_an_export_gets_the_permissions_of_any_new_file(tmp_path: Path):
    import os
    import stat

    from newsdesk.tui.cli import main
    from newsdesk.tui.screenshots import demo_database

    db = demo_database(tmp_path / "db.json")
    mask = os.umask(0o022)
    try:
        assert main(["export", "--db", str(db), "--format", "jsonl", "-o", str(tmp_path / "out.jsonl")]) == 0
        assert main(["export", "--db", str(db), "--format", "brat", "-o", str(tmp_path / "brat")]) == 0
    finally:
        os.umask(mask)
    assert stat.S_IMODE((tmp_path / "out.jsonl").stat().st_mode) == 0o644
    assert stat.S_IMODE((tmp_path / "brat").stat().st_mode) == 0o755


async def test_two_bad_records_of_one_corpus_file_are_called_records_not_files(tmp_path: Path):
    from newsdesk.tui.screens.skipped import SkippedFiles

    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(
        '{"title": "Fine", "text": "A body sentence."}\n{"title": "no body"}\n{"title": "no body either"}\n',
        encoding="utf-8",
    )
    app = make_app(library=corpus, db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        header = str(app.screen.query_one("#library-title").render())
        assert "2 records skipped" in header and "files" not in header
        await pilot.press("exclamation_mark")
        assert isinstance(app.screen, SkippedFiles)
        text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
        assert "2 records were not read" in text and "corpus.jsonl:2" in text and "corpus.jsonl:3" in text
