"""A person reaches and selects words with jump hints: a few keys, any visible word, both panes."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.compare import CompareScreen
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.widgets.library_list import LibraryList

pytestmark = pytest.mark.anyio


def seed_id(app, stem: str) -> str:
    return next(entry.id for entry in app.library.entries if Path(entry.path).stem.startswith(stem))


async def open_seed(app, pilot, stem: str = "000") -> ReaderScreen:
    assert app.screen.query_one(LibraryList).highlight(seed_id(app, stem))
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, ReaderScreen)
    return app.screen


def label_of(view, word: str, nth: int = 0) -> str:
    hints = view.hints
    assert hints is not None
    found = [h for h in hints.showing() if view.text[h.start:h.end] == word]
    return found[nth].label


def screen_text(view) -> str:
    return "\n".join(view.render_line(y).text for y in range(view.size.height))


async def test_hints_reach_and_select_a_two_word_name_in_at_most_five_keys(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        keys = ["F"]
        await pilot.press("F")
        first = label_of(view, "Sanae")
        keys += list(first)
        await pilot.press(*first)
        second = label_of(view, "Takaichi")
        assert len(second) == 1  # the word right after the first one takes one letter
        keys += list(second)
        await pilot.press(*second)
        start, end = view.selection
        assert view.text[start:end] == "Sanae Takaichi"
        assert len(keys) <= 5, keys
        assert view.hints is None
        await pilot.press("1")
        assert [s.text for s in app.store.spans_for(reader.article.id)] == ["Sanae Takaichi"]


async def test_f_moves_the_cursor_and_labels_sit_over_the_text_without_moving_it(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        before = screen_text(view)
        await pilot.press("f")
        during = screen_text(view)
        assert during != before
        assert [len(line) for line in during.splitlines()] == [len(line) for line in before.splitlines()]
        label = label_of(view, "Tokyo")
        await pilot.press(*label)
        assert view.text[view.cursor:view.cursor + 5] == "Tokyo"
        assert screen_text(view) == before  # the labels are gone, the text never moved
        assert view.hints is None


async def test_escape_cancels_hints_and_a_label_key_does_nothing_else(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        await pilot.press("f")
        assert view.hints is not None
        await pilot.press("escape")
        assert view.hints is None and view.cursor == 0
        assert isinstance(app.screen, ReaderScreen)  # escape did not leave the article
        await pilot.press("f", "d")  # "d" is a label here, not "mark done"
        assert not app.store.is_done(reader.article.id)


async def test_with_a_selection_anchored_a_jump_extends_it(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        reader = await open_seed(app, pilot)
        view = reader.view
        await pilot.press("f")
        await pilot.press(*label_of(view, "Keir"))
        await pilot.press("v", "f")
        await pilot.press(*label_of(view, "Starmer"))
        start, end = view.selection
        assert view.text[start:end] == "Keir Starmer"


async def test_hints_work_in_both_panes_of_side_by_side(tmp_path: Path) -> None:
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("c")
        await pilot.pause()
        assert isinstance(app.screen, CompareScreen)
        for pane in range(2):
            view = app.screen.focused
            await pilot.press("f")
            assert view.hints is not None and len(view.hints) > 5
            hint = view.hints.showing()[-1]
            await pilot.press(*hint.label)
            assert view.cursor == hint.start
            await pilot.press("tab")


async def test_hints_label_cjk_words(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "cjk.txt").write_text("東京で首脳会談\n\n日本と英国は安全保障協力を深めることで合意した。高市首相は「重要な一歩だ」と述べた。\n", encoding="utf-8")
    app = make_app(library=folder, db=tmp_path / "db.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("enter")
        await pilot.pause()
        view = app.screen.view
        await pilot.press("f")
        assert view.hints is not None and len(view.hints) >= 3
        last = view.hints.showing()[-1]
        await pilot.press(*last.label)
        assert view.cursor == last.start
