"""Side by side and the span panel on long articles, where scrolling really happens."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.compare import CompareScreen
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.widgets.library_list import LibraryList
from newsdesk.tui.widgets.span_panel import SpanPanel

pytestmark = pytest.mark.anyio

SHARED = [
    f"The ministers agreed on point {n} about critical minerals, supply chains and shipping lane {n}."
    for n in range(60)
]


def long_pair(folder: Path) -> Path:
    """Two ~60 KB reports that share sixty sentences, in a different order and among other text."""
    folder.mkdir()
    rng = random.Random(3)
    filler = "Officials said talks continued while observers weighed the regional implications of item {}."
    for name in ("first", "second"):
        paragraphs = []
        for n, sentence in enumerate(rng.sample(SHARED, len(SHARED))):
            others = " ".join(filler.format(f"{name}-{n}-{k}") for k in range(6))
            paragraphs.append(f"{sentence} {others}")
        (folder / f"{name}.txt").write_text(f"Report {name}\n\n" + "\n\n".join(paragraphs) + "\n", encoding="utf-8")
    return folder


async def open_pair(app, pilot) -> CompareScreen:
    await pilot.pause()
    listing = app.screen.query_one(LibraryList)
    await pilot.press("g", "space", "space", "c")
    assert len(listing.marked) == 0  # used up by c
    await app.workers.wait_for_complete()
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, CompareScreen) and screen.alignment is not None
    return screen


def screen_row(view, offset: int) -> int:
    return view.row_of(offset) - int(view.scroll_offset.y)


async def test_locked_panes_keep_linked_sentences_level_deep_into_long_reports(tmp_path: Path):
    app = make_app(library=long_pair(tmp_path / "lib"), db=tmp_path / "db.json")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_pair(app, pilot)
        left, right = screen.views
        await pilot.press("L")
        levelled = 0
        for _ in range(25):
            await pilot.press("right_curly_bracket", "right_curly_bracket")
            await pilot.pause()
            link = screen.alignment.best("a", screen._sentence_index(0, left.cursor))
            if link is None:
                continue
            target = screen.alignment.sentences_b[link.b_index].start
            assert right.cursor == target  # the other pane's cursor follows
            wanted = screen_row(left, left.cursor)
            scroll_needed = right.row_of(target) - wanted
            if 0 <= scroll_needed <= right.max_scroll_y:
                assert screen_row(right, target) == wanted
                levelled += 1
            else:  # near either end the pane cannot scroll that far: the sentence is at least in view
                assert 0 <= screen_row(right, target) < right.scrollable_content_region.height
        assert left.scroll_offset.y > 50 and levelled >= 10
        # Switching panes does not throw either pane back to the top.
        before = (left.scroll_offset.y, right.scroll_offset.y)
        await pilot.press("tab")
        await pilot.pause()
        assert abs(left.scroll_offset.y - before[0]) <= 3 and abs(right.scroll_offset.y - before[1]) <= 3


async def test_equals_brings_the_counterpart_into_view_far_down_the_other_report(tmp_path: Path):
    app = make_app(library=long_pair(tmp_path / "lib"), db=tmp_path / "db.json")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_pair(app, pilot)
        left, right = screen.views
        for _ in range(40):
            await pilot.press("right_curly_bracket")
        await pilot.press("equals_sign")
        await pilot.pause()
        height = right.scrollable_content_region.height
        assert 0 <= screen_row(right, right.cursor) < height


async def test_the_span_panel_opens_at_the_cursor_and_a_jump_never_stretches_a_selection(tmp_path: Path):
    app = make_app(library=long_pair(tmp_path / "lib"), db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        reader = app.screen
        assert isinstance(reader, ReaderScreen)
        for _ in range(3):  # three tagged paragraphs
            await pilot.press("right_curly_bracket", "S", "1")
        await pilot.press("g", "right_curly_bracket", "right_curly_bracket")
        await pilot.press("v", "w")  # a sticky selection under way
        starts = [span.start for span in app.store.spans_for(reader.article.id)]
        expected = next(i for i, start in enumerate(starts) if start >= reader.view.cursor)
        await pilot.press("a")
        panel = reader.query_one(SpanPanel)
        assert panel.has_focus and panel.highlighted == expected  # the span at or after the cursor
        await pilot.press("enter")
        await pilot.pause()
        assert reader.view.has_focus and reader.view.selection is None
        await pilot.press("a", "escape")  # escape closes the panel, not the article
        assert app.screen is reader and panel.has_class("hidden")


async def test_search_works_in_either_pane_side_by_side(tmp_path: Path):
    app = make_app(library=long_pair(tmp_path / "lib"), db=tmp_path / "db.json")
    async with app.run_test(size=(160, 40)) as pilot:
        screen = await open_pair(app, pilot)
        left, right = screen.views
        await pilot.press("tab", "slash")
        for key in "lane 42":
            await pilot.press(key if key != " " else "space")
        await pilot.press("enter")
        await pilot.pause()
        assert app.focused is right
        assert right.article.text[right.cursor:right.cursor + 7] == "lane 42"
        assert left.cursor == 0
