"""Behaviour of the library list: moving, opening, marking, sorting, filtering, at any size."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from textual.app import App, ComposeResult
from textual.message import Message

from newsdesk.annotations.corpus import LibraryEntry
from newsdesk.tui.widgets.library_list import SORT_KEYS, LibraryList, LibraryRow

pytestmark = pytest.mark.anyio


def entry(
    article_id: str,
    title: str,
    source: str = "Gazette",
    published: date | None = date(2024, 1, 1),
) -> LibraryEntry:
    return LibraryEntry(
        id=article_id,
        title=title,
        source=source,
        published=published,
        place="",
        path=Path(f"/library/{article_id}.txt"),
        size=100,
    )


def row(article_id: str, title: str, source: str = "Gazette", published=date(2024, 1, 1), **kw) -> LibraryRow:
    return LibraryRow(entry(article_id, title, source, published), **kw)


SAMPLE = [
    row("a", "Harbour reopens after storm", "Coast Times", date(2024, 3, 1), spans=2, topics=("weather",)),
    row("b", "Council votes on budget", "City Herald", date(2024, 5, 9)),
    row("c", "Undated wire item", "Wire", None),
    row("d", "Election night live", "Gazette", date(2023, 11, 5), spans=12, topics=("politics", "vote", "x"), done=True),
    row("e", "Bakery wins award", "Coast Times", date(2024, 5, 9)),
]


class Host(App[None]):
    """A screen with only the list on it, recording what the list posts."""

    def __init__(self, rows=(), **kwargs) -> None:
        super().__init__()
        self.rows = rows
        self.kwargs = kwargs
        self.messages: list[Message] = []

    def compose(self) -> ComposeResult:
        yield LibraryList(self.rows, **self.kwargs)

    def on_library_list_article_chosen(self, message: LibraryList.ArticleChosen) -> None:
        self.messages.append(message)

    def on_library_list_marks_changed(self, message: LibraryList.MarksChanged) -> None:
        self.messages.append(message)

    def on_library_list_sort_changed(self, message: LibraryList.SortChanged) -> None:
        self.messages.append(message)

    def on_library_list_highlighted(self, message: LibraryList.Highlighted) -> None:
        self.messages.append(message)

    def of(self, kind: type[Message]) -> list:
        return [message for message in self.messages if isinstance(message, kind)]


def screen_text(library: LibraryList) -> list[str]:
    return [library.render_line(y).text for y in range(library.scrollable_content_region.height)]


def shown_ids(library: LibraryList) -> list[str]:
    return library.visible_ids()


async def test_j_k_g_and_G_move_the_highlight():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        assert library.has_focus
        # Sorted by date, newest first: b and e (2024-05-09, stable), a, d, then undated c.
        assert library.highlighted_entry.id == "b"
        await pilot.press("j")
        assert library.highlighted_entry.id == "e"
        await pilot.press("down", "down")
        assert library.highlighted_entry.id == "d"
        await pilot.press("k")
        assert library.highlighted_entry.id == "a"
        await pilot.press("G")
        assert library.highlighted_entry.id == "c"
        await pilot.press("j")  # stays on the last row
        assert library.highlighted_entry.id == "c"
        await pilot.press("g")
        assert library.highlighted_entry.id == "b"
        await pilot.press("end")
        assert library.highlighted_entry.id == "c"
        await pilot.press("home")
        assert library.highlighted_entry.id == "b"
        highlighted = [m.entry.id for m in app.of(LibraryList.Highlighted)]
        assert highlighted == ["b", "e", "a", "d", "a", "c", "b", "c", "b"]


async def test_enter_opens_the_highlighted_article():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        await pilot.press("j", "enter")
        chosen = app.of(LibraryList.ArticleChosen)
        assert [m.entry.id for m in chosen] == ["e"]
        assert chosen[0].entry.title == "Bakery wins award"
        assert chosen[0].list is library and chosen[0].control is library


async def test_space_marks_shows_the_mark_and_moves_down():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        await pilot.press("space")
        assert library.marked == ("b",)
        assert library.highlighted_entry.id == "e"
        lines = screen_text(library)
        assert lines[1].startswith("● ") and "Council votes" in lines[1]
        assert lines[2].startswith("  ") and "Bakery" in lines[2]
        await pilot.press("space", "k", "k", "space")
        assert library.marked == ("e",)
        assert [m.marked_ids for m in app.of(LibraryList.MarksChanged)] == [("b",), ("b", "e"), ("e",)]
        library.clear_marks()
        await pilot.pause()
        assert library.marked == ()
        assert app.of(LibraryList.MarksChanged)[-1].marked_ids == ()
        assert not screen_text(library)[2].startswith("●")


async def test_o_cycles_the_sorts_and_each_order_is_right():
    undated_first = [row("u", "No date", "Z", None), *SAMPLE, row("f", "Anchovy", "", date(2020, 1, 1))]
    app = Host(undated_first)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        assert library.sort_key == "date"
        # Newest first; equal dates keep the given order; undated last, in the given order.
        assert shown_ids(library) == ["b", "e", "a", "d", "f", "u", "c"]
        await pilot.press("o")
        assert library.sort_key == "title"
        assert shown_ids(library) == ["f", "e", "b", "d", "a", "u", "c"]
        await pilot.press("o")
        assert library.sort_key == "source"
        assert shown_ids(library) == ["b", "a", "e", "d", "c", "u", "f"]  # no source last
        await pilot.press("o")
        assert library.sort_key == "progress"
        assert shown_ids(library)[:2] == ["d", "a"]  # done, then most spans
        await pilot.press("o")
        assert library.sort_key == "date"
        assert [m.key for m in app.of(LibraryList.SortChanged)] == [*SORT_KEYS[1:], "date"]
        assert "Date ▼" in library.render_line(0).text


async def test_sorting_keeps_the_highlighted_article():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        assert library.highlight("d")
        await pilot.press("o", "o")
        assert library.highlighted_entry.id == "d"


async def test_filter_by_title_source_and_topic_words():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        library.set_filter("HARBOUR")
        assert shown_ids(library) == ["a"]
        library.set_filter("coast")  # source
        assert sorted(shown_ids(library)) == ["a", "e"]
        library.set_filter("coast award")  # every word must match
        assert shown_ids(library) == ["e"]
        library.set_filter("politics")  # a topic
        assert shown_ids(library) == ["d"]
        library.set_filter("politics", text_matches={"b", "nope"})  # full-text matches join in
        assert shown_ids(library) == ["b", "d"]
        library.set_filter("")
        assert library.visible_count == library.total_count == 5
        await pilot.pause()


async def test_narrowing_the_filter_keeps_the_highlight_when_it_survives():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        library.highlight("e")
        library.set_filter("co")
        assert library.highlighted_entry.id == "e"
        library.set_filter("council")
        assert library.highlighted_entry.id == "b"
        library.set_filter("")  # widening brings back the article the user chose
        assert library.highlighted_entry.id == "e"
        await pilot.pause()


async def test_no_match_shows_a_hint_and_empty_library_says_so():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        library.set_filter("zebra [b]")
        await pilot.pause()
        assert library.visible_count == 0 and library.highlighted_entry is None
        assert "No articles match “zebra [b]” — backspace to widen the filter" in screen_text(library)[1]
        await pilot.press("enter", "space", "j")  # nothing to act on, nothing breaks
        assert not app.of(LibraryList.ArticleChosen)
        library.set_rows([])
        library.set_filter("")
        await pilot.pause()
        assert "The library is empty" in screen_text(library)[1]


async def test_markup_like_titles_render_literally():
    nasty = [
        row("m1", "[/] broken [b]bold", "[red]src"),
        row("m2", "[@click=app.quit]x[/]", "[link='file:///etc/passwd']y"),
        row("m3", "bell\x07 and \x1b[2J clear", "tab\tsrc"),
    ]
    app = Host(nasty)
    async with app.run_test(size=(120, 10)) as pilot:
        library = app.query_one(LibraryList)
        lines = screen_text(library)
        assert "[/] broken [b]bold" in lines[1] and "[red]src" in lines[1]
        assert "[@click=app.quit]x[/]" in lines[2]
        assert "\x1b" not in lines[3] and "\x07" not in lines[3]
        await pilot.press("j", "j", "enter")
        assert app.is_running  # no action ran, no MarkupError


async def test_update_row_changes_progress_and_moves_it_in_progress_order():
    app = Host(SAMPLE, sort_key="progress")
    async with app.run_test(size=(120, 12)) as pilot:
        library = app.query_one(LibraryList)
        assert shown_ids(library)[:2] == ["d", "a"]
        library.highlight("e")
        library.update_row(row("e", "Bakery wins award", "Coast Times", date(2024, 5, 9), spans=5, topics=("food",)))
        assert shown_ids(library)[:3] == ["d", "e", "a"]
        await pilot.pause()
        library.highlight("e")
        assert "5 spans · 1 topic" in library.render_line(2).text
        library.set_filter("food")  # the new topic is searchable
        assert shown_ids(library) == ["e"]


@pytest.mark.parametrize("width", [40, 60, 80, 100, 120, 160])
async def test_every_line_fills_the_width_exactly(width):
    rows = [
        *SAMPLE,
        row("w1", "日本語のタイトル 😀 " * 10, "Source with a very long name indeed", date(2024, 1, 2),
            spans=999, topics=tuple(f"t{i}" for i in range(99)), done=True),
    ]
    app = Host(rows)
    async with app.run_test(size=(width, 12)) as pilot:
        library = app.query_one(LibraryList)
        await pilot.press("space")
        content_width = library.scrollable_content_region.width
        lines = [library.render_line(y) for y in range(library.scrollable_content_region.height)]
        assert all(line.cell_length == content_width for line in lines)
        text = [line.text for line in lines]
        assert "Title" in text[0]
        if width >= 80:
            assert "Date" in text[0] and "Source" in text[0] and "Progress" in text[0]
            assert any("…" in line for line in text)  # the long title is cut, not wrapped
        if width >= 120:
            assert "12 spans · 3 topics ✓" in "".join(text)
        library.blur()
        await pilot.pause()
        assert library.render_line(1).cell_length == content_width


async def test_click_highlights_and_click_on_highlighted_opens():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        await pilot.click(LibraryList, offset=(20, 3))  # row 3 = third article
        assert library.highlighted_entry.id == "a"
        assert not app.of(LibraryList.ArticleChosen)
        await pilot.click(LibraryList, offset=(20, 3))
        assert [m.entry.id for m in app.of(LibraryList.ArticleChosen)] == ["a"]
        await pilot.double_click(LibraryList, offset=(20, 1))
        assert [m.entry.id for m in app.of(LibraryList.ArticleChosen)] == ["a", "b"]


async def test_bindings_have_ids_and_the_useful_ones_show():
    bindings = {b.id: b for b in LibraryList.BINDINGS}
    assert {
        "library.down", "library.up", "library.first", "library.last", "library.page_up",
        "library.page_down", "library.open", "library.mark", "library.sort",
    } <= set(bindings)
    assert all(b.description for b in bindings.values())
    assert {b.id for b in bindings.values() if b.show} == {"library.open", "library.mark", "library.sort"}


async def test_a_hundred_thousand_articles_load_and_page_through():
    rows = [
        row(f"{i:06d}", f"Article number {i}", f"Source {i % 37}", date(2000 + i % 25, 1 + i % 12, 1 + i % 28) if i % 11 else None)
        for i in range(100_000)
    ]
    app = Host(rows)
    async with app.run_test(size=(100, 30)) as pilot:
        library = app.query_one(LibraryList)
        assert library.total_count == library.visible_count == 100_000
        lines = screen_text(library)
        assert "100,000" in lines[0]
        assert all("Article number" in line for line in lines[1:])
        await pilot.press("pagedown", "pagedown")
        assert library.scroll_offset.y > 0
        await pilot.press("G")
        await pilot.pause()
        assert library.highlighted_entry.published is None  # undated last
        assert "Article number" in screen_text(library)[-1]
        library.set_filter("number 4242")
        assert 1 <= library.visible_count < 100
        assert library.highlighted_entry.title.startswith("Article number 4242")
        library.set_filter("number 42429")
        assert [library.highlighted_entry.id] == ["042429"]


async def test_highlighted_row_stands_out_and_dims_when_unfocused():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)

        def title_style(y: int):
            return next(s.style for s in library.render_line(y) if "Council" in s.text or "Bakery" in s.text)

        focused, plain = title_style(1), title_style(2)
        assert focused.bgcolor != plain.bgcolor
        library.blur()
        await pilot.pause()
        blurred = title_style(1)
        assert blurred.bgcolor not in (focused.bgcolor, plain.bgcolor)



async def test_reloading_rows_keeps_the_chosen_article_and_drops_marks_on_gone_ones():
    app = Host(SAMPLE)
    async with app.run_test() as pilot:
        library = app.query_one(LibraryList)
        await pilot.press("space", "space")  # marks b and e
        library.set_rows([r for r in SAMPLE if r.id != "b"], keep="d")
        assert library.highlighted_entry.id == "d"
        assert library.marked == ("e",)
        await pilot.pause()
        assert app.of(LibraryList.MarksChanged)[-1].marked_ids == ("e",)
        library.set_filter("council")
        assert library.highlight("a") is False and library.highlight("missing") is False
        with pytest.raises(KeyError):
            library.update_row(row("missing", "x"))
        await pilot.pause()


async def test_page_keys_and_header_clicks():
    rows = [row(f"{i:03d}", f"Story {i:03d}", published=date(2024, 1, 1)) for i in range(100)]
    app = Host(rows)
    async with app.run_test(size=(80, 12)) as pilot:  # a header and 11 rows
        library = app.query_one(LibraryList)
        await pilot.press("pagedown")
        assert library.highlighted_entry.id == "011"
        assert "Story 011" in screen_text(library)[-1]  # scrolled just enough
        await pilot.press("pagedown", "pageup")
        assert library.highlighted_entry.id == "011"
        await pilot.press("G")
        assert "Story 099" in screen_text(library)[-1]
        await pilot.click(LibraryList, offset=(40, 0))  # the Title column name
        assert library.sort_key == "title"
        assert library.highlighted_entry.id == "099"


# --- the order and the filter agree with a plain re-computation, whatever happens to the rows

from hypothesis import given, settings, strategies as st  # noqa: E402

_words = st.sampled_from(["storm", "Storm", "vote", "bake", "ré", "日本", ""])
_rows = st.builds(
    lambda i, title, source, day, spans, topics, done: row(
        f"id{i}", title, source, date(2024, 1, 1 + day) if day is not None else None,
        spans=spans, topics=topics, done=done,
    ),
    st.integers(0, 30),
    st.lists(_words, max_size=3).map(" ".join),
    _words,
    st.one_of(st.none(), st.integers(0, 5)),
    st.integers(0, 3),
    st.lists(st.sampled_from(["politics", "weather", "Vote"]), max_size=2, unique=True).map(tuple),
    st.booleans(),
)


def expected_ids(rows, sort_key, query, text_matches):
    from newsdesk.tui.widgets.library_list import _SORT_FUNCTIONS

    words = query.casefold().split()

    def keep(r):
        hay = " ".join([r.entry.title, r.entry.source, *r.topics]).casefold()
        return all(w in hay for w in words) or r.id in text_matches

    ordered = sorted(rows, key=_SORT_FUNCTIONS[sort_key])
    return [r.id for r in ordered if keep(r)]


@settings(max_examples=150, deadline=None)
@given(
    rows=st.lists(_rows, max_size=25, unique_by=lambda r: r.id),
    updates=st.lists(st.tuples(st.integers(0, 24), _rows), max_size=6),
    sort_key=st.sampled_from(SORT_KEYS),
    queries=st.lists(st.lists(_words, max_size=2).map(" ".join), min_size=1, max_size=3),
    matches=st.sets(st.sampled_from([f"id{i}" for i in range(31)]), max_size=3),
)
def test_order_and_filter_match_a_recomputation(rows, updates, sort_key, queries, matches):
    library = LibraryList(rows, sort_key=sort_key)
    current = list(rows)
    for query in queries:  # typing narrows and widens, exercising the incremental filter
        library.set_filter(query, text_matches=matches)
    for position, replacement in updates:
        if not current:
            break
        position %= len(current)
        new = LibraryRow(replace_id(replacement.entry, current[position].id), replacement.spans,
                         replacement.topics, replacement.done)
        current[position] = new
        library.update_row(new)
        assert library.visible_ids() == expected_ids(current, sort_key, queries[-1], matches)
    assert library.visible_ids() == expected_ids(current, sort_key, queries[-1], matches)
    for key in SORT_KEYS:
        library.sort_key = key
        assert library.visible_ids() == expected_ids(current, key, queries[-1], matches)
    assert library.visible_count == len(library.visible_ids()) <= library.total_count == len(current)


def replace_id(e, article_id):
    import dataclasses

    return dataclasses.replace(e, id=article_id)
