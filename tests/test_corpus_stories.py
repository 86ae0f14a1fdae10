"""A person opens a JSONL corpus as the library: filters, sorts, walks it with J and tags an article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from textual.widgets import Input

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.widgets.library_list import LibraryList
from newsdesk.tui.widgets.library_rows import ColumnRows

pytestmark = pytest.mark.anyio


def write_corpus(path: Path, count: int = 300) -> Path:
    with path.open("w", encoding="utf-8") as out:
        for i in range(count):
            record = {
                "headline": f"Harbour report {i}" if i % 3 else f"Storm warning {i}",
                "body": f"Article number {i} tells its story. A second sentence follows.",
                "published": f"2026-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "outlet": ["Wire", "Gazette"][i % 2],
            }
            out.write(json.dumps(record) + "\n")
        out.write("{broken\n")
    return path


async def test_a_corpus_library_filters_sorts_walks_and_keeps_a_span(tmp_path: Path):
    corpus = write_corpus(tmp_path / "corpus.jsonl")
    db = tmp_path / "db.json"
    app = make_app(library=[corpus], db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        listing = app.screen.query_one(LibraryList)
        assert isinstance(listing._rows, ColumnRows)  # the list runs over the index's columns
        assert listing.total_count == 300
        assert len(app.library.refused) == 1 and str(app.library.refused[0]).endswith(
            "corpus.jsonl:301: not valid JSON (Expecting property name enclosed in double quotes)")
        await pilot.press("slash")
        app.screen.query_one("#library-filter", Input).value = "storm"
        await pilot.pause()
        assert listing.visible_count == 100
        await pilot.press("enter")  # back to the list
        await pilot.press("o")  # sort by title
        assert listing.sort_key == "title"
        order = app.reading_order()
        assert [app.library.get(i).title for i in order[:3]] == ["Storm warning 0", "Storm warning 102", "Storm warning 105"]
        await pilot.press("g", "enter")  # the first in title order
        await pilot.pause()
        reader = app.screen
        assert isinstance(reader, ReaderScreen) and reader.article.title == "Storm warning 0"
        await pilot.press("J")
        await pilot.pause()
        assert app.screen.article.title == "Storm warning 102"
        await pilot.press("s", "1")
        (span,) = app.store.spans_for(app.screen.article.id)
        assert span.text == "Article number 102 tells its story"  # tagging trims the edge full stop
        await pilot.press("q")
        await pilot.pause()
        row = listing.get_row(span.article_id)
        assert row.spans == 1

    again = make_app(library=[corpus], db=db)
    async with again.run_test(size=(120, 40)) as pilot:
        listing = again.screen.query_one(LibraryList)
        assert listing.get_row(span.article_id).spans == 1
        assert [s.id for s in again.store.spans_for(span.article_id)] == [span.id]
