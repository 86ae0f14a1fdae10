"""A person reviews suggested spans, tags every occurrence of a name, and runs the patterns again."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.annotations.corpus import Library, seeds_dir
from newsdesk.annotations.patterns import parse_pattern, run_patterns
from newsdesk.annotations.store import Store
from newsdesk.tui.app import make_app
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.screens.tag_all import ConfirmBatch, TopicKeyPrompt
from newsdesk.tui.widgets.library_list import LibraryList

pytestmark = pytest.mark.anyio

PATTERNS = [
    {"label": "people", "pattern": "Keir Starmer"},
    {"label": "people", "pattern": [{"lower": "sanae"}, {"lower": "takaichi"}]},
    {"label": "places", "regex": "Tok(yo|io)"},
]


def seed_id(app, stem: str) -> str:
    return next(entry.id for entry in app.library.entries if Path(entry.path).stem.startswith(stem))


async def open_seed(app, pilot, stem: str = "000") -> ReaderScreen:
    assert app.screen.query_one(LibraryList).highlight(seed_id(app, stem))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def suggest(db: Path, tmp_path: Path) -> int:
    """What `newsdesk suggest --patterns` does, on the seeds."""
    library = Library.open(seeds_dir(), cache_dir=tmp_path / "cache")
    patterns = [parse_pattern(p, f"p:{n}") for n, p in enumerate(PATTERNS, 1)]
    with Store(db) as store:
        run = run_patterns(patterns, (library.load(e.id) for e in library.entries), store)
        store.add_suggestions(run.suggestions)
        return len(run.suggestions)


async def test_patterns_make_suggestions_that_a_x_and_A_review_and_survive_a_restart(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    suggest(db, tmp_path)
    app = make_app(db=db, annotator="ana")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        view, article = reader.view, reader.article
        total = app.store.suggestion_count(article.id)
        assert total >= 4 and app.store.span_count(article.id) == 0
        assert "suggestions" in str(reader.query_one("#reader-status").render())

        await pilot.press("right_square_bracket")  # ] stops at the first suggestion
        first = view.suggestion_at_cursor()
        assert first is not None
        await pilot.press("a")
        [span] = app.store.spans_for(article.id)
        assert (span.text, span.annotator, span.topics) == (first.text, "ana", first.topics)
        assert app.store.suggestion_count(article.id) == total - 1

        await pilot.press("right_square_bracket")
        while view.suggestion_at_cursor() is None:  # past the accepted span to the next suggestion
            await pilot.press("right_square_bracket")
        second = view.suggestion_at_cursor()
        await pilot.press("x")
        assert app.store.suggestion_count(article.id) == total - 2
        assert second.key in app.store.rejected_keys()

        await pilot.press("u")  # undo brings the rejected suggestion back
        assert app.store.suggestion_count(article.id) == total - 1
        await pilot.press("ctrl+r")
        await pilot.press("A")
        assert app.store.suggestion_count(article.id) == 0
        assert app.store.span_count(article.id) == total - 1
    with Store(db, readonly=True) as store:
        assert store.span_count(article.id) == total - 1 and store.suggestion_count(article.id) == 0
    suggest(db, tmp_path)  # the patterns again: nothing already accepted or rejected comes back
    with Store(db, readonly=True) as store:
        assert store.suggestion_count(article.id) == 0


async def test_an_article_with_open_suggestions_cannot_be_marked_done(tmp_path: Path) -> None:
    db = tmp_path / "db.json"
    suggest(db, tmp_path)
    app = make_app(db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        await pilot.press("d")
        assert not app.store.is_done(reader.article.id)
        await pilot.press("X", "d")
        assert app.store.is_done(reader.article.id)


async def test_a_and_x_off_a_suggestion_keep_their_usual_meaning(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        await pilot.press("a")  # no suggestion here: the spans panel, as before
        assert not reader.query_one("#span-panel").has_class("hidden")


async def test_tag_every_occurrence_over_the_library_is_one_undo(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        await pilot.press("slash", *"takaichi", "enter")
        await pilot.pause()
        assert view.text[view.cursor:view.cursor + 8] == "Takaichi"
        await pilot.press("O")
        assert isinstance(app.screen, TopicKeyPrompt)
        await pilot.press("t")
        await pilot.pause()
        for char in "people":
            await pilot.press(char)
        await pilot.press("enter")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, ConfirmBatch):
                break
        assert isinstance(app.screen, ConfirmBatch)
        assert "in 2 articles" in app.screen.message
        await pilot.press("enter")
        spans = list(app.store.iter_spans())
        assert len(spans) >= 5 and {s.text for s in spans} == {"Takaichi"}
        assert len({s.article_id for s in spans}) == 2
        await pilot.press("u")  # the batch reached another article too: undo says so and asks
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.store.span_count() == 0  # every one of them, in one undo


async def test_tag_every_occurrence_in_this_article_from_the_selection(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        start = view.text.index("Starmer")
        view.select(start, start + len("Starmer"))
        await pilot.press("o", "1")
        spans = app.store.spans_for(reader.article.id)
        assert len(spans) == view.text.count("Starmer") and all(s.text == "Starmer" for s in spans)
        assert app.store.span_count() == len(spans)  # this article only


async def test_P_runs_the_patterns_again_after_saying_how_many(tmp_path: Path, monkeypatch) -> None:
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text("".join(json.dumps(p) + "\n" for p in PATTERNS), encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_PATTERNS", str(patterns))
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        await pilot.press("P")
        for _ in range(50):
            await pilot.pause()
            if isinstance(app.screen, ConfirmBatch):
                break
        assert isinstance(app.screen, ConfirmBatch)
        assert "new suggestions in 2 articles" in app.screen.message
        await pilot.press("enter")
        assert app.store.suggestion_count() > 5
        assert reader.view.suggestions  # drawn at once
        await pilot.press("u")  # over the library: undo names the other article and asks
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.store.suggestion_count() == 0
