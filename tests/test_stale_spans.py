"""A span edited by hand so it no longer fits its article: the reader treats it as export does."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.annotations.model import Span, fits_text, split_fitting
from newsdesk.annotations.store import Store
from newsdesk.tui.app import make_app
from newsdesk.tui.screens.compare import CompareScreen
from newsdesk.tui.widgets.span_panel import SpanPanel

from test_reader_stories import open_seed, seed_id

pytestmark = pytest.mark.anyio


def test_a_span_fits_only_where_its_offsets_cover_its_quoted_text():
    text = "Tokyo talks"
    span = Span("a" * 32, "x", 0, 5, "Tokyo", ("Asia",))
    assert fits_text(span, text)
    assert not fits_text(span.edited(end=10**9), text)
    assert not fits_text(span.edited(start=6, end=11), text)  # the quote is "Tokyo", the text "talks"
    assert split_fitting([span, span.edited(end=12)], text) == ([span], [span.edited(end=12)])


def hand_edited_db(tmp_path: Path) -> tuple[Path, str]:
    """A db with two spans on the first seed, the second's `end` edited to 10**9 by hand."""
    db = tmp_path / "db.json"
    app = make_app(db=db)
    article = app.library.load(seed_id(app, "000"))
    app.store.close()
    with Store(db) as store:
        store.add_spans([Span.create(article, 0, 7, ["Politics"]), Span.create(article, 40, 50, ["Asia"])])
    raw = json.loads(db.read_text("utf-8"))
    for doc in raw["spans"].values():
        if doc["start"] == 40:
            doc["end"] = 10**9
    db.write_text(json.dumps(raw), "utf-8")
    return db, article.id


def toasts(app) -> list[str]:
    return [str(n.message) for n in app._notifications]


async def test_a_hand_edited_span_is_not_drawn_counted_or_editable_in_the_reader(tmp_path: Path):
    db, article_id = hand_edited_db(tmp_path)
    app = make_app(db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        assert [s.start for s in view._spans] == [0]  # only the span that fits is drawn
        view.move_cursor(45)
        assert view.span_at_cursor() is None  # so nothing to relabel, widen or delete there
        status = str(reader.query_one("#reader-status").render())
        assert status.startswith("1 span ·") and "1 span no longer matches this article's text" in status
        assert len(reader.query_one(SpanPanel).options) == 1
        said = [t for t in toasts(app) if "no longer matches" in t]
        assert said == ["1 span no longer matches this article's text: not shown (export skips it too)"]
        reader.refresh_annotations(saved=True)  # a redraw after an edit does not say it again
        assert len([t for t in toasts(app) if "no longer matches" in t]) == 1
        assert len(app.store.spans_for(article_id)) == 2  # nothing lost: the span stays stored


async def test_side_by_side_leaves_the_hand_edited_span_out_too(tmp_path: Path):
    db, article_id = hand_edited_db(tmp_path)
    app = make_app(db=db)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        first, second = (app.library.load(seed_id(app, stem)) for stem in ("000", "003"))
        app.push_screen(CompareScreen(first, second))
        await pilot.pause()
        screen = app.screen
        assert [s.start for s in screen.views[0]._spans] == [0]
        assert any("no longer matches" in t for t in toasts(app))
