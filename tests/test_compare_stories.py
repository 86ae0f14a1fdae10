"""A reader opens the two seed reports side by side, follows linked sentences and tags both."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.annotations.corpus import LibraryEntry
from newsdesk.tui.app import make_app
from newsdesk.tui.screens.compare import CompareScreen
from newsdesk.tui.screens.library import LibraryScreen
from newsdesk.tui.widgets.article_view import ArticleView
from newsdesk.tui.widgets.library_list import LibraryList

pytestmark = pytest.mark.anyio


async def open_pair(app, pilot) -> CompareScreen:
    """`c` from the library, then wait until the two reports are aligned."""
    await pilot.pause()
    await pilot.press("c")
    await app.workers.wait_for_complete()  # the closest article is found off the UI thread
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CompareScreen)
    await app.workers.wait_for_complete()
    await pilot.pause()
    assert screen.alignment is not None
    return screen


def highlight_seed(app, prefix: str) -> LibraryEntry:
    """Highlight, in the library list, the seed whose file name starts with `prefix`."""
    seed = next(e for e in app.library.entries if Path(e.path).stem.startswith(prefix))
    app.screen.query_one(LibraryList).highlight(seed.id)
    return seed


async def test_c_opens_both_seeds_side_by_side_and_both_panes_are_tagged(tmp_path: Path):
    db = tmp_path / "db.json"
    app = make_app(db=db)
    async with app.run_test(size=(160, 45)) as pilot:
        screen = await open_pair(app, pilot)
        left, right = screen.views
        assert {left.article.id, right.article.id} == {entry.id for entry in app.library.entries}
        assert screen.query_one("#compare-panes").has_class("side")
        assert app.focused is left

        await pilot.press("s", "1")
        assert app.store.span_count(left.article.id) == 1
        await pilot.press("tab")
        assert app.focused is right
        await pilot.press("right_parenthesis", "s", "2")
        assert app.store.span_count(right.article.id) == 1
        topic_2 = app.topic_for_key(2).name
        assert app.store.spans_for(right.article.id)[0].topics == (topic_2,)
        coverage = str(screen.query_one("#coverage").render())
        assert topic_2 in coverage

        # ctrl+w swaps the panes: the right report moves to the left.
        right_id = right.article.id
        await pilot.press("ctrl+w")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.views[0].article.id == right_id
        left_id = screen.views[1].article.id
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("q")

    again = make_app(db=db)
    async with again.run_test(size=(160, 45)) as pilot:
        assert again.store.span_count(left_id) == 1
        assert again.store.span_count(right_id) == 1


async def test_equals_jumps_to_the_counterpart_of_the_critical_minerals_sentence(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(160, 45)) as pilot:
        headline = highlight_seed(app, "000")
        screen = await open_pair(app, pilot)
        left, right = screen.views
        assert left.article.id == headline.id
        text = left.article.text
        left.move_cursor(text.index("The leaders agreed to accelerate"))
        await pilot.pause()
        await pilot.press("equals_sign")
        await pilot.pause()
        sentence_end = right.article.text.find(".", right.cursor)
        landed = right.article.text[right.cursor:sentence_end]
        assert "critical minerals" in landed or "supply chains" in landed


async def test_the_decades_quote_is_marked_as_only_in_one_report(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(160, 45)) as pilot:
        highlight_seed(app, "000")
        screen = await open_pair(app, pilot)
        only = screen.alignment.only_in("a")
        assert any("stronger now than it has been in decades" in sentence.text for sentence in only)


async def test_narrow_terminals_stack_the_panes(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(90, 40)) as pilot:
        screen = await open_pair(app, pilot)
        assert screen.query_one("#compare-panes").has_class("stacked")
        top, bottom = screen.views
        assert top.region.y < bottom.region.y
        assert isinstance(app.focused, ArticleView)


async def test_cursor_moves_never_wait_for_the_alignment(tmp_path: Path, monkeypatch):
    import threading

    import newsdesk.annotations.align as align_module

    release = threading.Event()
    real_align = align_module.align

    def slow_align(*args, **kwargs):
        release.wait(30)
        return real_align(*args, **kwargs)

    monkeypatch.setattr(align_module, "align", slow_align)
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        for _ in range(100):  # the pair opens once the closest article is found (a worker)
            if isinstance(app.screen, CompareScreen):
                break
            await pilot.pause(0.05)
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        left = screen.views[0]
        start = left.cursor
        await pilot.press("w", "w", "right_parenthesis")
        assert left.cursor > start  # moved while the alignment is still running
        assert screen.alignment is None
        assert "aligning" in str(screen.query_one("#compare-status").render())
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert screen.alignment is not None


async def test_leaving_before_the_alignment_is_ready_is_safe(tmp_path: Path, monkeypatch):
    import threading

    import newsdesk.annotations.align as align_module

    release = threading.Event()
    real_align = align_module.align
    monkeypatch.setattr(align_module, "align", lambda *a, **k: (release.wait(30), real_align(*a, **k))[1])
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("c")
        for _ in range(100):
            if isinstance(app.screen, CompareScreen):
                break
            await pilot.pause(0.05)
        assert isinstance(app.screen, CompareScreen)
        compare = app.screen
        first, second = compare.articles
        await pilot.press("q")
        assert isinstance(app.screen, LibraryScreen)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        # In a real terminal the result can land while the screen is being taken down: deliver it.
        compare._aligned(real_align(first.text, second.text), first.id)
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, LibraryScreen)
        assert app.return_code is None


async def test_the_closest_article_does_not_open_over_a_screen_the_person_moved_to(tmp_path: Path, monkeypatch):
    import threading

    import newsdesk.annotations.similar as similar

    release = threading.Event()
    real = similar.most_similar
    monkeypatch.setattr(similar, "most_similar", lambda *a, **k: (release.wait(30), real(*a, **k))[1])
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        await pilot.press("c", "enter")  # asked for a pair, then opened the article instead
        await pilot.pause()
        from newsdesk.tui.screens.reader import ReaderScreen

        assert isinstance(app.screen, ReaderScreen)
        release.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
