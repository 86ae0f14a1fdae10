"""Progress an annotator can steer by: the library filters by done, spans and topic, and J/K say what it hides."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.annotations.corpus import Library, seeds_dir
from newsdesk.annotations.model import Span
from newsdesk.annotations.store import Store
from newsdesk.tui.app import make_app
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.screens.topic_picker import TopicPicker
from newsdesk.tui.widgets.library_list import LibraryList, RowFilter

pytestmark = pytest.mark.anyio


def headline_done_db(path: Path) -> tuple[Path, str, str]:
    """The headline seed is done and has a diplomacy span; the ANI seed is untouched."""
    library = Library.open(seeds_dir())
    headline = next(e for e in library.entries if Path(e.path).stem.startswith("000"))
    ani = next(e for e in library.entries if Path(e.path).stem.startswith("003"))
    with Store(path) as store:
        store.add_span(Span.create(library.load(headline.id), 0, 7, ["diplomacy"]))
        store.set_done(headline.id, True)
    return path, headline.id, ani.id


def said(app) -> list[str]:
    messages: list[str] = []
    original = app.say

    def record(message, **kwargs):
        messages.append(str(message))
        original(message, **kwargs)

    app.say = record
    return messages


async def test_the_header_counts_done_and_f_walks_the_progress_filters(tmp_path):
    db, headline, ani = headline_done_db(tmp_path / "db.json")
    app = make_app(db=db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        listing = app.screen.query_one(LibraryList)
        assert "1 of 2 done" in str(app.screen.query_one("#library-title").render())
        shown = []
        for _ in range(5):
            await pilot.press("f")
            shown.append((listing.row_filter.describe(), listing.visible_ids()))
        assert shown == [
            ("not done", [ani]),
            ("done", [headline]),
            ("with spans", [headline]),
            ("without spans", [ani]),
            ("", [ani, headline]),
        ]
        await pilot.press("f")
        assert "only not done" in str(app.screen.query_one("#library-status").render())
        await pilot.press("escape")
        assert not listing.row_filter.active and listing.visible_count == 2


async def test_filtering_by_topic_shows_only_articles_carrying_it(tmp_path):
    db, headline, _ = headline_done_db(tmp_path / "db.json")
    app = make_app(db=db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("F")
        await pilot.pause()
        assert isinstance(app.screen, TopicPicker)
        for char in "diplomacy":
            await pilot.press(char)
        await pilot.press("enter")
        await pilot.pause()
        listing = app.screen.query_one(LibraryList)
        assert listing.visible_ids() == [headline]
        assert listing.row_filter == RowFilter(topic="diplomacy")


async def test_next_article_says_when_the_library_filter_hides_articles_not_done(tmp_path):
    db, headline, ani = headline_done_db(tmp_path / "db.json")
    app = make_app(db=db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        messages = said(app)
        await pilot.press("f", "f")  # only done: the ANI report (not done) is hidden
        listing = app.screen.query_one(LibraryList)
        assert listing.visible_ids() == [headline] and listing.hidden_not_done() == 1
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("J")
        await pilot.pause()
        assert app.screen.article_id == headline  # it did not leave the filter...
        assert any("filter hides 1 not done" in message for message in messages)  # ...and says so


async def test_marking_done_with_the_not_done_filter_drops_the_row_on_return(tmp_path):
    db, headline, ani = headline_done_db(tmp_path / "db.json")
    app = make_app(db=db)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f")  # not done
        listing = app.screen.query_one(LibraryList)
        assert listing.visible_ids() == [ani]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("d", "q")
        await pilot.pause()
        assert listing.visible_ids() == [] and listing.done_count == 2
        assert "2 of 2 done" in str(app.screen.query_one("#library-title").render())
