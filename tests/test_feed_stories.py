"""A person adds a feed in the app, fetches it, tags an entry, quits and finds the span again."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import Input, Static

from feed_server import DATA, FeedServer, rss
from newsdesk.tui.app import make_app
from newsdesk.tui.screens.feeds import FeedsScreen
from newsdesk.tui.screens.library import LibraryScreen
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.widgets.library_list import LibraryList

pytestmark = pytest.mark.anyio

PAGE = (DATA / "pages" / "boingboing.net.millenials.html").read_bytes()


def feed_entry(app):
    return next(entry for entry in app.library.entries if entry.title == "Hating Millennials")


async def test_a_fetched_feed_entry_is_tagged_and_the_span_survives_a_restart(tmp_path: Path):
    db = tmp_path / "db.json"
    with FeedServer() as server:
        server.route("/feed", rss(server, [("Hating Millennials", "/millennials", "A short summary.")]))
        server.route("/millennials", PAGE, headers={"Content-Type": "text/html; charset=utf-8"})
        app = make_app(db=db, annotator="ana")
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("ctrl+f")
            assert isinstance(app.screen, FeedsScreen)
            await pilot.press("a")
            box = app.screen.query_one("#feeds-url", Input)
            assert box.has_focus and box.value == ""  # `a` opened the box, it was not typed into one
            box.value = server.url("/feed")
            await pilot.press("enter")
            await pilot.press("R")  # fetching runs in a worker: the screen keeps answering keys
            await app.workers.wait_for_complete()
            await pilot.pause()
            listing = str(app.screen.query_one("#feeds-list", Static).render())
            assert "127.0.0.1" in listing and ": 1 new" in listing
            assert "1 new articles from the feeds" in str(app.screen.query_one("#feeds-status", Static).render())
            await pilot.press("escape")
            assert isinstance(app.screen, LibraryScreen)
            library_list = app.screen.query_one(LibraryList)
            assert library_list.total_count == 3  # the two seeds and the feed's entry
            entry = feed_entry(app)
            assert library_list.highlight(entry.id)
            await pilot.press("enter")
            await pilot.pause()
            reader = app.screen
            assert isinstance(reader, ReaderScreen)
            text = reader.article.text
            # The saved file reads like any article file: Source/Published lines, the page's text, its link.
            assert text.startswith("Source: 127.0.0.1:")
            assert "\nCartoonist Matt Bors got a spot on CNN" in text
            assert text.endswith(f"Original: {server.url('/millennials')}")
            for _ in range(6):  # next sentence until the page's first one
                if text[reader.view.cursor:].startswith("Cartoonist"):
                    break
                await pilot.press("right_parenthesis")
            await pilot.press("s", "1")  # that sentence, tagged with topic 1
            (span,) = app.store.spans_for(entry.id)
            assert span.text.startswith("Cartoonist Matt Bors")
            await pilot.press("q", "q")

    again = make_app(db=db, annotator="ana")  # the server is gone: the article is a file now
    async with again.run_test(size=(120, 40)) as pilot:
        entry = feed_entry(again)
        assert again.screen.query_one(LibraryList).highlight(entry.id)
        await pilot.press("enter")
        await pilot.pause()
        assert [s.id for s in again.store.spans_for(entry.id)] == [span.id]
        assert len(again.screen.view.spans_at(span.start)) == 1
