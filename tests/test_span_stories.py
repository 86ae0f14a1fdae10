"""A careful annotator's stories: exact boundaries, spans edited in place, keys that never go astray."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.app import _character_to_key
from textual.widgets import Input

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.compare import CompareScreen
from newsdesk.tui.screens.confirm import ConfirmDialog
from newsdesk.tui.screens.library import LibraryScreen
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.screens.topic_picker import TopicPicker
from newsdesk.tui.widgets.library_list import LibraryList
from newsdesk.tui.widgets.span_panel import SpanPanel

pytestmark = pytest.mark.anyio

COLORADO = "Storms reached Colorado, and then Utah.\n\nA second story about Denver and its people."


def send_fast(app, keys) -> None:
    """Keys as a fast typist (or a paste of keystrokes) sends them: all queued, no pause between."""
    for key in keys:
        character = key if len(key) == 1 else {"space": " ", "enter": "\r"}.get(key)
        if len(key) == 1 and not key.isalnum():
            key = _character_to_key(key)
        event = events.Key(key, character)
        event.set_sender(app)
        app._driver.send_message(event)


async def settle(pilot, rounds: int = 4) -> None:
    for _ in range(rounds):
        await pilot.pause()


def one_article_library(tmp_path: Path, text: str = COLORADO, name: str = "storms.txt") -> Path:
    folder = tmp_path / "library"
    folder.mkdir(exist_ok=True)
    (folder / name).write_text("Storms in the West\n\n" + text, encoding="utf-8")
    return folder


async def open_reader(app, pilot, article_id: str | None = None) -> ReaderScreen:
    await pilot.pause()
    if article_id is not None:
        assert app.screen.query_one(LibraryList).highlight(article_id)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


async def test_tag_then_t_and_a_topic_name_adds_a_second_topic_and_nothing_else(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_reader(app, pilot)
        article = reader.article
        await pilot.press("right_parenthesis", "s", "1")
        (span,) = app.store.spans_for(article.id)
        first_topic = app.topic_for_key(1).name
        assert reader.view.span_at_cursor().id == span.id  # the cursor rests on the new span

        send_fast(app, ["t", *"energy", "enter"])
        await settle(pilot)
        assert app.screen is reader
        (after,) = app.store.spans_for(article.id)
        assert after.id == span.id and (after.start, after.end) == (span.start, span.end)
        assert after.topics == (first_topic, "energy")
        assert app.store.doc_topics(article.id).topics == ()
        assert not app.store.is_done(article.id)
        assert reader.view.search("") == 0 and reader.view.selection is None


async def test_fast_typing_into_every_input_never_triggers_a_command(tmp_path: Path):
    # Letters that are all commands in the reader: d done, x delete, u undo, q leave, a panel, J next.
    typed = "dxuqaJ"
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        send_fast(app, ["slash", *typed])  # the library filter
        await settle(pilot)
        assert isinstance(app.screen, LibraryScreen)
        assert app.screen.query_one("#library-filter", Input).value == typed
        await pilot.press("escape")
        await pilot.pause()

        reader = await open_reader(app, pilot)
        article = reader.article
        await pilot.press("s", "1")
        before = app.store.spans_for(article.id)

        send_fast(app, ["slash", *typed])  # the search box
        await settle(pilot)
        assert reader.query_one("#reader-search", Input).value == typed
        await pilot.press("escape")

        for opener in ("t", "T", "r"):  # the topic pickers: tag, article topics, relabel
            send_fast(app, [opener, *typed])
            await settle(pilot)
            assert isinstance(app.screen, TopicPicker), opener
            assert app.screen.query_one(Input).value == typed
            await pilot.press("escape")
            await pilot.pause()

        send_fast(app, ["enter", *typed])  # the note dialog of the span under the cursor
        await settle(pilot)
        assert app.screen.query_one(Input).value == typed
        await pilot.press("escape")
        await pilot.pause()

        assert app.screen is reader
        assert app.store.spans_for(article.id) == before
        assert not app.store.is_done(article.id)
        assert reader.query_one(SpanPanel).has_class("hidden")


async def test_w_w_e_over_colorado_and_then_tag_stores_colorado(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        view, text = reader.view, reader.article.text
        view.move_cursor(text.index("Storms reached"))
        await pilot.press("w", "w")  # Storms -> reached -> Colorado
        assert view.cursor == text.index("Colorado")
        await pilot.press("v", "e", "1")
        (span,) = app.store.spans_for(reader.article.id)
        assert span.text == "Colorado"

        # `v w` takes "Colorado, " on screen; tagging trims it to the name again.
        await pilot.press("x")
        await pilot.press("v", "w", "2")
        (span,) = app.store.spans_for(reader.article.id)
        assert span.text == "Colorado"


async def test_grapheme_granularity_stores_exactly_what_was_selected(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path), granularity="grapheme")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        view, text = reader.view, reader.article.text
        view.move_cursor(text.index("Colorado"))
        await pilot.press("v", "w", "1")
        (span,) = app.store.spans_for(reader.article.id)
        assert span.text == "Colorado, "


async def test_with_nothing_selected_a_number_key_tags_the_word_under_the_cursor(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        view, text = reader.view, reader.article.text
        view.move_cursor(text.index("Denver") + 2)
        await pilot.press("3")
        (span,) = app.store.spans_for(reader.article.id)
        assert span.text == "Denver"
        await pilot.press("3")  # on the span now: the same key takes the topic off again
        assert app.store.spans_for(reader.article.id) == []


async def test_growing_and_shrinking_a_span_keeps_its_note_and_undoes_in_one_step(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path), annotator="ana")
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        view, text = reader.view, reader.article.text
        view.move_cursor(text.index("Colorado"))
        await pilot.press("v", "e", "1", "enter")
        send_fast(app, [*"check the state", "enter"])
        await settle(pilot)
        (original,) = app.store.spans_for(reader.article.id)
        assert original.note == "check the state"

        await pilot.press("greater_than_sign")  # the end a word later
        assert app.store.get_span(original.id).text == "Colorado, and"
        await pilot.press("less_than_sign")  # the start a word earlier
        assert app.store.get_span(original.id).text == "reached Colorado, and"
        await pilot.press("ctrl+shift+left")  # the end a character earlier
        await pilot.press("alt+right")  # the start a word later again
        edited = app.store.get_span(original.id)
        assert edited.text == "Colorado, an" == text[edited.start:edited.end]
        assert (edited.id, edited.topics, edited.note, edited.annotator, edited.created) == (
            original.id, original.topics, original.note, original.annotator, original.created
        )
        assert edited.updated >= original.updated
        assert "Colorado, an" in str(reader.query_one("#reader-status").render())  # shown live

        await pilot.press("u")  # one step takes every resize back
        assert app.store.get_span(original.id) == original
        await pilot.press("ctrl+r")
        assert app.store.get_span(original.id).text == "Colorado, an"


async def test_relabel_in_two_keys(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        reader.view.move_cursor(reader.article.text.index("Utah"))
        await pilot.press("1")
        send_fast(app, ["r", "2"])
        await settle(pilot)
        assert app.screen is reader
        (span,) = app.store.spans_for(reader.article.id)
        assert span.text == "Utah" and span.topics == (app.topic_for_key(2).name,)
        await pilot.press("u")
        assert app.store.spans_for(reader.article.id)[0].topics == (app.topic_for_key(1).name,)


async def test_escape_only_clears_and_q_leaves(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        view = reader.view
        await pilot.press("v", "w")
        assert view.selection is not None
        await pilot.press("escape")
        assert view.selection is None and app.screen is reader
        assert view.search("Denver") == 1
        await pilot.press("escape")
        assert view.matches == [] and app.screen is reader
        await pilot.press("a", "escape")
        assert reader.query_one(SpanPanel).has_class("hidden") and app.screen is reader
        await pilot.press("escape", "escape")
        assert app.screen is reader
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)


async def test_undo_stays_in_the_article_on_screen_and_asks_before_reaching_another(tmp_path: Path):
    library = one_article_library(tmp_path)
    one_article_library(tmp_path, "Floods reached Texas.\n\nRain fell for days.", name="floods.txt")
    app = make_app(db=tmp_path / "db.json", library=library)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        first, second = app.library.entries[0].id, app.library.entries[1].id
        reader = await open_reader(app, pilot, first)
        await pilot.press("s", "1")
        await pilot.press("q")
        reader = await open_reader(app, pilot, second)
        await pilot.press("s", "1", "w", "2")
        assert app.store.span_count(first) == 1 and app.store.span_count(second) == 1

        await pilot.press("u")  # the second article's last change only
        assert app.store.span_count(first) == 1
        assert len(app.store.spans_for(second)[0].topics) == 1
        await pilot.press("u")
        assert app.store.span_count(second) == 0
        await pilot.press("u")  # nothing left here: it asks, naming the other article
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        assert "Storms in the West" in app.screen.question or "Floods" in app.screen.question
        await pilot.press("n")
        assert app.screen is reader and app.store.span_count(first) == 1
        await pilot.press("u", "y")
        await pilot.pause()
        assert app.screen is reader and app.store.span_count(first) == 0


async def test_the_span_panel_stops_at_its_last_span_and_x_deletes_the_highlighted_one(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path))
    async with app.run_test(size=(100, 30)) as pilot:
        reader = await open_reader(app, pilot)
        view, text = reader.view, reader.article.text
        for word in ("Colorado", "Utah", "Denver"):
            view.move_cursor(text.index(word))
            await pilot.press("1")
        view.move_cursor(0)
        await pilot.press("a")
        panel = reader.query_one(SpanPanel)
        assert app.focused is panel and panel.highlighted == 0
        await pilot.press("j", "j", "j", "j")
        assert panel.highlighted == 2  # stays on the last span, never wraps to the first
        await pilot.press("x")
        assert [span.text for span in app.store.spans_for(reader.article.id)] == ["Colorado", "Utah"]
        assert panel.highlighted == 1  # now on "Utah", so a second x deletes what it shows
        await pilot.press("x")
        assert [span.text for span in app.store.spans_for(reader.article.id)] == ["Colorado"]


async def test_side_by_side_shows_the_selection_and_has_the_span_panel(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        await app.workers.wait_for_complete()
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        await pilot.press("tab", "s")
        status = str(screen.query_one("#compare-status").render())
        assert "right" in status and "selected" in status
        await pilot.press("1")
        assert "on “" in str(screen.query_one("#compare-status").render())
        await pilot.press("a")
        panel = screen.query_one(SpanPanel)
        assert not panel.has_class("hidden") and app.focused is panel
        assert panel.option_count == 1
        await pilot.press("x")
        assert app.store.span_count(screen.views[1].article.id) == 0
        await pilot.press("escape")
        assert panel.has_class("hidden") and app.screen is screen


def as_text(renderable) -> str:
    import io

    from rich.console import Console

    console = Console(width=160, record=True, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


async def test_help_explains_every_mark_and_the_span_keys(tmp_path: Path):
    from newsdesk.tui.screens.help import HelpScreen

    app = make_app(db=tmp_path / "db.json", library=one_article_library(tmp_path))
    async with app.run_test(size=(120, 50)) as pilot:
        await open_reader(app, pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        marks = as_text(app.screen.query_one("#help-marks").content)
        for mark in ("◆", "▍", "✎", "✓", "underlined", "bold", "search hit", "selection", "cursor"):
            assert mark in marks, mark
        keys = " ".join(as_text(widget.content) for widget in app.screen.query("Static"))
        for description in ("Relabel", "Span end a word later", "Span start a word earlier", "End of word"):
            assert description in keys, description


async def test_the_key_benchmark_task_still_does_what_it_says(tmp_path: Path):
    import importlib.util

    path = Path(__file__).resolve().parent / "bench" / "bench_keys.py"
    spec = importlib.util.spec_from_file_location("bench_keys", path)
    bench = importlib.util.module_from_spec(spec)
    import sys

    sys.modules.setdefault("bench_keys", bench)  # dataclasses look their module up there
    spec.loader.exec_module(bench)
    results = await bench.run_variant(bench.KEYS, db=tmp_path / "db.json")
    assert [action for action, _ in results] == [action for action, _ in bench.TASK_CHECKS]
    assert "total" in bench.report({"keys": results})
