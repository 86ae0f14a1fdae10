"""A person opens newsdesk on the seeds, annotates an article with the keyboard, quits and comes back."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.help import HelpScreen
from newsdesk.tui.screens.library import LibraryScreen
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.screens.span_dialog import SpanDialog
from newsdesk.tui.screens.topic_picker import TopicPicker
from newsdesk.tui.widgets.library_list import LibraryList

pytestmark = pytest.mark.anyio

HEADLINE = "Starmer Extends Invitation to Japan’s Prime Minister After Strategic Tokyo Talks"


def seed_id(app, stem: str) -> str:
    return next(entry.id for entry in app.library.entries if Path(entry.path).stem.startswith(stem))


async def open_seed(app, pilot, stem: str = "000") -> ReaderScreen:
    listing = app.screen.query_one(LibraryList)
    assert listing.highlight(seed_id(app, stem))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


def overlaps(a, b) -> bool:
    return a.start < b.end and b.start < a.end


async def test_library_lists_both_seeds_and_opens_one(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        listing = app.screen.query_one(LibraryList)
        assert listing.total_count == 2
        screen_text = "\n".join(listing.render_line(y).text for y in range(listing.size.height))
        assert "Starmer Extends Invitation" in screen_text
        assert "2026-02-01" in screen_text and "ANI" in screen_text
        reader = await open_seed(app, pilot)
        header = str(reader.query_one("#reader-header").render())
        assert HEADLINE in header
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)


async def test_annotating_a_seed_survives_a_restart(tmp_path: Path):
    db = tmp_path / "db.json"
    app = make_app(db=db, annotator="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        article = reader.article
        topic_1 = app.topic_for_key(1).name

        # The second sentence, selected with `s` and tagged with `1`.
        await pilot.press("right_parenthesis", "s")
        selection = view.selection
        assert selection is not None
        assert article.text[selection[0]:selection[1]].startswith("The invitation followed discussions")
        await pilot.press("1")
        (first,) = app.store.spans_for(article.id)
        assert first.topics == (topic_1,)
        # Tagging trims the edge punctuation: the sentence without its full stop.
        assert (first.start, first.end) == (selection[0], selection[1] - 1)
        assert article.text[selection[1] - 1] == "."
        assert first.annotator == "ana"
        assert view.selection is None

        # A second span, overlapping the first, with v + motions + the topic picker.
        await pilot.press("b", "b", "v", "w", "w", "w", "w")
        assert view.selection is not None
        await pilot.press("t")
        assert isinstance(app.screen, TopicPicker)
        await type_text(pilot, "cyber")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is reader
        spans = app.store.spans_for(article.id)
        assert len(spans) == 2
        second = next(span for span in spans if span.id != first.id)
        assert second.topics == ("cybersecurity",)
        assert overlaps(first, second)

        # Undo takes the second span away, redo brings it back.
        await pilot.press("u")
        assert [span.id for span in app.store.spans_for(article.id)] == [first.id]
        await pilot.press("ctrl+r")
        assert {span.id for span in app.store.spans_for(article.id)} == {first.id, second.id}

        # Delete the span under the cursor, then undo the deletion.
        await pilot.press("g", "right_square_bracket")
        on_span = view.span_at_cursor()
        assert on_span is not None
        await pilot.press("x")
        assert on_span.id not in {span.id for span in app.store.spans_for(article.id)}
        await pilot.press("u")
        assert on_span.id in {span.id for span in app.store.spans_for(article.id)}

        # A note on the span under the cursor.
        await pilot.press("enter")
        assert isinstance(app.screen, SpanDialog)
        await type_text(pilot, "also in ANI")
        await pilot.press("enter")
        await pilot.pause()
        assert app.store.get_span(on_span.id).note == "also in ANI"

        # The whole article gets a topic with T.
        await pilot.press("T")
        assert isinstance(app.screen, TopicPicker)
        await type_text(pilot, "diplomacy")
        await pilot.press("enter")
        await pilot.pause()
        assert "diplomacy" in app.store.doc_topics(article.id).topics

        await pilot.press("q", "q")
    assert app.return_code in (0, None)

    # Start again: everything is where it was.
    again = make_app(db=db, annotator="ana")
    async with again.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(again, pilot)
        spans = again.store.spans_for(reader.article.id)
        assert {span.id for span in spans} == {first.id, second.id}
        assert again.store.get_span(on_span.id).note == "also in ANI"
        assert "diplomacy" in again.store.doc_topics(reader.article.id).topics
        assert len(reader.view.spans_at(first.start)) >= 1


async def test_article_text_is_never_markup(tmp_path: Path):
    library = tmp_path / "library"
    library.mkdir()
    hostile = (
        "[bold]Not bold[/] and [@click=app.quit]not a button[/]\n"
        "Tokyo [Japan], February 1 (ANI): a closing tag [/] alone and [link='file:///etc/passwd']x[/link].\n"
    )
    (library / "hostile.txt").write_text(hostile, encoding="utf-8")
    app = make_app(library=library, db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        header = str(reader.query_one("#reader-header").render())
        assert "[bold]Not bold[/]" in header
        lines = [reader.view.render_line(y).text for y in range(6)]
        assert any("[/] alone" in line for line in lines)
        await pilot.press("s", "1")
        assert app.is_running  # the [@click=app.quit] text did not quit the app


async def test_help_lists_every_reader_key(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_seed(app, pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        from newsdesk.tui.screens.help import binding_rows

        described = {description for _group, rows in binding_rows(app.screen.over) for _keys, description, _ids in rows}
        for needed in ("Next word", "Sentence", "Paragraph", "Select", "Topic…", "Undo", "Redo", "Delete span",
                       "Next span", "Search", "Done", "Spans panel", "Library", "Help"):
            assert needed in described, needed
        ids = {i for _group, rows in binding_rows(app.screen.over) for _k, _d, row_ids in rows for i in row_ids.split(", ")}
        assert {"annotate.undo", "article.select_sentence", "reader.search", "app.help"} <= ids
        await pilot.press("escape")
        assert isinstance(app.screen, ReaderScreen)


async def test_keys_can_be_remapped_by_binding_id(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json", keymap={"annotate.undo": "U"})
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        await pilot.press("s", "1")
        assert app.store.span_count(reader.article.id) == 1
        await pilot.press("u")  # no longer undo
        assert app.store.span_count(reader.article.id) == 1
        await pilot.press("U")
        assert app.store.span_count(reader.article.id) == 0


async def test_marking_done_and_walking_to_the_next_article(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        # The list shows the dated ANI report first; J walks the list as it is shown.
        reader = await open_seed(app, pilot, "003")
        await pilot.press("d")
        assert app.store.is_done(reader.article.id)
        await pilot.press("J")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        assert app.screen.article.id == seed_id(app, "000")
        await pilot.press("K")  # the only earlier article is done
        await pilot.pause()
        assert app.screen.article.id == seed_id(app, "000")


async def test_back_in_the_library_the_edited_article_shows_its_progress(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot, "000")
        await pilot.press("s", "1", "T")
        for key in "energy":
            await pilot.press(key)
        await pilot.press("enter", "d", "q")
        await pilot.pause()
        row = app.screen.query_one(LibraryList).get_row(reader.article.id)
        assert row.spans == 1 and row.done
        assert set(row.topics) == {app.topic_for_key(1).name, "energy"}
        await open_seed(app, pilot, "000")
        await pilot.press("u", "q")  # undo the article topic, back again
        await pilot.pause()
        row = app.screen.query_one(LibraryList).get_row(reader.article.id)
        assert "energy" not in row.topics and app.touched == set()
