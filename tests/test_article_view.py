"""ArticleView: a reader moves, selects and sees spans in an article of any size and script."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rich.cells import cell_len
from textual.app import App, ComposeResult
from textual.binding import Binding

from newsdesk.annotations import text as textrules
from newsdesk.annotations.model import Article, Span, Topic, article_id_for
from newsdesk.tui.widgets.article_view import GUTTER_WIDTH, ArticleView, WrappedText, wrap_text

pytestmark = pytest.mark.anyio


SEEDS = Path(__file__).resolve().parent.parent / "seeds"
TOPICS = {
    "economy": Topic("economy", 1, "#e74c3c"),
    "security": Topic("security", 2, "#3498db"),
}
# Border (1) + gutter: where text column 0 is, in widget coordinates for the mouse.
TEXT_X = 1 + GUTTER_WIDTH
TEXT_Y = 1


def make_article(text: str, title: str = "Test") -> Article:
    return Article(id=article_id_for(text), title=title, text=text)


def seed_article() -> Article:
    path = sorted(SEEDS.glob("*.txt"))[0]
    return make_article(path.read_text(encoding="utf-8"), title=path.stem)


class Host(App):
    """A screen with one ArticleView; escape (when the view lets it through) counts as going back."""

    BINDINGS = [Binding("escape", "went_back", "Back")]

    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article
        self.went_back = 0
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield ArticleView(self.article, id="view")

    def on_mount(self) -> None:
        self.query_one(ArticleView).focus()

    def action_went_back(self) -> None:
        self.went_back += 1

    def on_article_view_cursor_moved(self, message: ArticleView.CursorMoved) -> None:
        self.messages.append(("cursor", message.offset))

    def on_article_view_selection_changed(self, message: ArticleView.SelectionChanged) -> None:
        self.messages.append(("selection", message.selection))


def row_texts(view: ArticleView) -> list[str]:
    """The visible rows as plain text, gutter included."""
    return [view.render_line(y).text for y in range(view.scrollable_content_region.height)]


PARAGRAPHS = (
    "The first sentence is short. The second sentence follows it! A third one ends here?\n"
    "\n"
    "Another paragraph starts. It has two sentences.\n"
    "\n"
    "Last words."
)


# ---------------------------------------------------------------- wrapping (headless)


def test_wrapped_lines_tile_the_text_and_never_exceed_the_width() -> None:
    text = seed_article().text + "\n\n" + ("東京で会談が行われた。🇯🇵👨‍👩‍👧 e\u0301 " * 30) + "\n\tTabbed line\n"
    for width in (5, 17, 40, 80):
        wrap = WrappedText(text, width)
        rebuilt = []
        for row in range(len(wrap)):
            start, end = wrap.line(row)
            rebuilt.append(text[start:end])
            assert textrules.is_boundary(text, start) and textrules.is_boundary(text, end)
            cells = sum(w for _, _, w in wrap.graphemes(row))
            hanging = end > start and text[end - 1] == " "
            assert cells <= width + (1 if hanging else 0), (width, text[start:end])
        # Lines of a paragraph tile it; paragraphs are joined by the newlines.
        assert "".join(rebuilt) == text.replace("\n", "")
        assert len(wrap) >= text.count("\n") + 1


def test_ascii_wrap_breaks_at_spaces_and_keeps_blank_lines() -> None:
    starts, ends = wrap_text("aaa bbb ccc\n\nddd", 7)
    text = "aaa bbb ccc\n\nddd"
    assert [text[s:e] for s, e in zip(starts, ends)] == ["aaa bbb ", "ccc", "", "ddd"]


def test_a_long_word_is_cut_and_cjk_breaks_between_characters() -> None:
    wrap = WrappedText("x" * 25, 10)
    assert [wrap.line(r) for r in range(len(wrap))] == [(0, 10), (10, 20), (20, 25)]
    cjk = "日本語の文章です"
    wrap = WrappedText(cjk, 5)
    assert [cjk[s:e] for s, e in (wrap.line(r) for r in range(len(wrap)))] == ["日本", "語の", "文章", "です"]


def test_column_mapping_round_trips_over_wide_characters() -> None:
    text = "ab日本🇯🇵c\td"
    wrap = WrappedText(text, 40)
    assert [(o, c) for o, c, _ in wrap.graphemes(0)] == [(0, 0), (1, 1), (2, 2), (3, 4), (4, 6), (6, 8), (7, 9), (8, 13)]
    assert wrap.offset_at(0, 3) == 2  # the right half of 日 is still 日
    assert wrap.offset_at(0, 7) == 4  # the right half of the flag is the flag's start
    assert wrap.offset_at(0, 99) == len(text)
    assert wrap.col_of(6) == 8


def test_wrapping_a_megabyte_is_fast_enough_to_not_matter() -> None:
    import time

    text = (seed_article().text + "\n") * 470
    started = time.process_time()
    wrap = WrappedText(text, 80)
    assert time.process_time() - started < 2.0  # generous: the bench reports the real figure
    assert wrap.ends[-1] == len(text)


# ---------------------------------------------------------------- rendering


async def test_markup_like_text_shows_literally() -> None:
    text = "Press [bold]here[/] or [@click=app.quit]quit[/] and [link='file:///etc/passwd']x[/link]."
    app = Host(make_article(text))
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        rows = row_texts(app.query_one(ArticleView))
        assert rows[0][GUTTER_WIDTH:].rstrip() == text
        assert app.is_running


async def test_a_cjk_article_never_draws_past_the_width() -> None:
    text = ("東京で会談が行われた。🇯🇵 " * 20 + "\n") * 3
    app = Host(make_article(text))
    async with app.run_test(size=(31, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        width = view.scrollable_content_region.width
        for y in range(view.scrollable_content_region.height):
            strip = view.render_line(y)
            assert strip.cell_length == width
            assert cell_len(strip.text) == width


async def test_spans_colour_their_cells_and_overlaps_look_different() -> None:
    text = "Alpha beta gamma delta epsilon zeta."
    article = make_article(text)
    app = Host(article)
    async with app.run_test(size=(80, 10)) as pilot:
        view = app.query_one(ArticleView)
        view.set_spans(
            [Span.create(article, 6, 16, ["economy"]), Span.create(article, 11, 22, ["security"])], TOPICS
        )
        view.move_cursor(len(text))
        await pilot.pause()
        styles = []
        for segment in view.render_line(0):
            for char in segment.text:
                styles.append(segment.style)
        text_styles = styles[GUTTER_WIDTH:]
        plain, economy, both, security = text_styles[0], text_styles[6], text_styles[12], text_styles[18]
        assert economy.bgcolor != plain.bgcolor
        assert security.bgcolor not in (plain.bgcolor, economy.bgcolor)
        # Overlaps are bold and underlined (linked sentences side by side are italic instead).
        assert both.bold and both.underline and not economy.bold and not both.italic
        assert text_styles[5].bgcolor == plain.bgcolor and text_styles[22].bgcolor == plain.bgcolor
        assert [s.id for s in view.spans_at(12)] == [view._spans[0].id, view._spans[1].id]
        view.move_cursor(12)
        assert view.span_at_cursor().topics == ("economy",)  # the shorter of the two
        view.move_cursor(0)
        assert view.span_at_cursor() is None
        await pilot.press("right_square_bracket")
        assert view.cursor == 6
        await pilot.press("right_square_bracket")
        assert view.cursor == 11
        await pilot.press("left_square_bracket")
        assert view.cursor == 6


async def test_every_topic_of_a_span_has_its_own_mark_in_the_margin() -> None:
    text = "Alpha beta gamma.\nSecond row."
    article = make_article(text)
    app = Host(article)
    async with app.run_test(size=(60, 8)) as pilot:
        view = app.query_one(ArticleView)
        view.set_spans([Span.create(article, 6, 10, ["economy", "security"])], TOPICS)
        await pilot.pause()
        first = [seg for seg in view.render_line(0)][:GUTTER_WIDTH]
        assert [seg.text for seg in first] == ["▍", "▍"]
        assert [seg.style.color.name for seg in first] == [TOPICS["economy"].colour, TOPICS["security"].colour]
        assert "".join(seg.text for seg in view.render_line(1))[:GUTTER_WIDTH] == "  "


async def test_a_search_hit_inside_a_span_keeps_the_span_colour_and_escape_clears_it() -> None:
    text = "Alpha beta gamma beta."
    article = make_article(text)
    app = Host(article)
    async with app.run_test(size=(60, 8)) as pilot:
        view = app.query_one(ArticleView)
        view.set_spans([Span.create(article, 6, 16, ["economy"])], TOPICS)
        view.move_cursor(0)
        assert view.search("beta") == 2
        view.move_cursor(len(text))
        await pilot.pause()
        styles = [seg.style for seg in view.render_line(0) for _ in seg.text][GUTTER_WIDTH:]
        inside, outside = styles[text.index("beta")], styles[text.rindex("beta")]
        assert outside.bgcolor.name == ArticleView.MATCH_STYLE.bgcolor.name
        assert inside.reverse and inside.bgcolor != outside.bgcolor  # the span's tint, reversed
        view.search("")
        assert view.matches == []


async def test_marks_and_gutter_marks_show_on_their_rows() -> None:
    text = "One line here.\nSecond line.\nThird line."
    app = Host(make_article(text))
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(ArticleView)
        view.set_gutter_marks("only", [(15, 27)], "◆", "bold red")
        view.set_marks("link", [(0, 3)], "underline")
        await pilot.pause()
        rows = row_texts(view)
        assert rows[0][0] == " " and rows[1][0] == "◆" and rows[2][0] == " "
        first = list(view.render_line(0))
        assert any(seg.text.startswith("ne") and seg.style.underline for seg in first)  # "O" is the cursor
        view.clear_marks("only")
        view.clear_marks("link")
        assert row_texts(view)[1][0] == " "
        assert not any(seg.style.underline for seg in view.render_line(0) if seg.text.strip())


async def test_the_cursor_is_a_block_and_dims_when_the_view_loses_focus() -> None:
    app = Host(make_article("Hello world"))
    async with app.run_test(size=(40, 6)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        focused = [seg for seg in view.render_line(0) if seg.text == "H"]
        assert focused and focused[0].style.reverse
        view.blur()
        await pilot.pause()
        blurred = [seg for seg in view.render_line(0) if seg.text == "H"]
        assert blurred and not blurred[0].style.reverse
        assert blurred[0].style.bgcolor != view.render_line(0)._segments[-1].style.bgcolor


async def test_the_cursor_shows_on_a_zero_width_character() -> None:
    text = "a\u200bb"
    app = Host(make_article(text))
    async with app.run_test(size=(40, 6)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.cursor = 1
        cursor_segments = [seg for seg in view.render_line(0) if seg.style.reverse]
        assert cursor_segments and cell_len(cursor_segments[0].text) == 1


# ---------------------------------------------------------------- motions


async def test_word_sentence_paragraph_and_end_motions_land_where_expected() -> None:
    app = Host(make_article(PARAGRAPHS))
    async with app.run_test(size=(120, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        text = PARAGRAPHS
        await pilot.press("w", "w")
        assert view.cursor == text.index("sentence")
        await pilot.press("b")
        assert view.cursor == text.index("first")
        await pilot.press("right_parenthesis")
        assert view.cursor == text.index("The second")
        await pilot.press("right_parenthesis")
        assert view.cursor == text.index("A third")
        await pilot.press("left_parenthesis")
        assert view.cursor == text.index("The second")
        await pilot.press("right_curly_bracket")
        assert view.cursor == text.index("Another")
        await pilot.press("right_curly_bracket")
        assert view.cursor == text.index("Last")
        await pilot.press("left_curly_bracket")
        assert view.cursor == text.index("Another")
        await pilot.press("G")
        assert view.cursor == len(text)
        await pilot.press("g")
        assert view.cursor == 0
        await pilot.press("end")
        assert view.cursor == len(text)
        await pilot.press("home", "l", "l", "h")
        assert view.cursor == 1


async def test_up_and_down_keep_the_column_across_short_and_wide_lines() -> None:
    text = "abcdefghij\nab\n日本語です\nabcdefghij"
    app = Host(make_article(text))
    async with app.run_test(size=(40, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        await pilot.press(*["l"] * 7)
        assert view.cursor == 7
        await pilot.press("j")
        assert view.cursor == text.index("\n", 11)  # the end of "ab"
        await pilot.press("j")
        assert view.cursor == text.index("で")  # column 7 is the right half of で
        await pilot.press("j")
        assert view.cursor == text.rindex("a") + 7
        await pilot.press("k", "k", "k")
        assert view.cursor == 7
        assert view.cursor_row == 0


async def test_down_scrolls_to_keep_the_cursor_visible() -> None:
    text = "\n".join(f"Line {n}" for n in range(200))
    app = Host(make_article(text))
    async with app.run_test(size=(40, 12)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        height = view.scrollable_content_region.height
        for _ in range(30):
            view.action_cursor_down()
        await pilot.pause()
        assert view.cursor_row == 30
        assert view.scroll_y <= 30 < view.scroll_y + height
        await pilot.press("pagedown")
        assert view.scroll_y <= view.cursor_row < view.scroll_y + height
        await pilot.press("G")
        await pilot.pause()
        assert view.scroll_y == view.max_scroll_y
        assert row_texts(view)[height - 1].strip() == "Line 199"


async def test_resize_rewraps_and_keeps_the_cursor_on_screen() -> None:
    article = seed_article()
    app = Host(article)
    async with app.run_test(size=(100, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.move_cursor(len(article.text) // 2)
        await pilot.pause()
        lines_before = view.line_count
        await pilot.resize_terminal(50, 20)
        await pilot.pause()
        assert view.line_count > lines_before
        assert view.scroll_y <= view.cursor_row < view.scroll_y + view.scrollable_content_region.height
        width = view.scrollable_content_region.width
        assert all(cell_len(row) == width for row in row_texts(view))


async def test_scroll_to_offset_puts_a_sentence_on_a_given_row() -> None:
    text = "\n".join(f"Sentence number {n}." for n in range(100))
    app = Host(make_article(text))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        offset = text.index("Sentence number 50.")
        view.scroll_to_offset(offset, top_row=3)
        await pilot.pause()
        assert row_texts(view)[3].strip() == "Sentence number 50."
        assert view.row_of(offset) == 50
        assert view.offset_at_row(50, 9) == offset + 9


# ---------------------------------------------------------------- selection


async def test_v_then_motions_select_and_escape_clears() -> None:
    app = Host(make_article(PARAGRAPHS))
    async with app.run_test(size=(120, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        await pilot.press("v", "w", "w")
        assert view.selection == (0, PARAGRAPHS.index("sentence"))
        assert view.anchor == 0
        await pilot.press("escape")
        assert view.selection is None and app.went_back == 0
        await pilot.press("escape")
        assert app.went_back == 1  # nothing to clear: the screen's escape runs
        await pilot.press("shift+right", "shift+right", "shift+right")
        assert view.selection == (PARAGRAPHS.index("sentence"), PARAGRAPHS.index("sentence") + 3)
        await pilot.press("right")
        assert view.selection is None  # a plain motion drops a shift selection


async def test_s_and_capital_s_select_sentence_and_paragraph() -> None:
    text = PARAGRAPHS
    app = Host(make_article(text))
    async with app.run_test(size=(120, 20)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.move_cursor(text.index("second") + 2)
        await pilot.press("s")
        assert view.selection == (text.index("The second"), text.index("A third") - 1)
        await pilot.press("S")
        assert view.selection == (0, text.index("\n"))
        selected_style = [seg.style for seg in view.render_line(0) if "first" in seg.text]
        assert selected_style and selected_style[0].bgcolor is not None
        await pilot.pause()
        assert ("selection", (0, text.index("\n"))) in app.messages
        assert ("cursor", text.index("\n")) in app.messages


async def test_select_never_splits_an_emoji_a_flag_or_an_accent() -> None:
    text = "a👨‍👩‍👧b🇯🇵c e\u0301 日本"
    app = Host(make_article(text))
    async with app.run_test(size=(60, 6)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.select(2, 9)  # inside the family emoji .. inside the flag
        assert view.selection == (1, text.index("c"))
        await pilot.press("escape", "home", "l", "shift+right")
        assert view.selection == (1, text.index("b"))
        view.cursor = text.index("\u0301")
        assert view.cursor == text.index("e\u0301")


async def test_mouse_drag_selects_whole_characters() -> None:
    text = "Hello 日本語 world"
    app = Host(make_article(text))
    async with app.run_test(size=(60, 6)) as pilot:
        view = app.query_one(ArticleView)
        view.granularity = "grapheme"  # exactly what was dragged over, to the character
        await pilot.pause()
        # Press on the right half of 日 (column 7), drag to the first cell of "world".
        await pilot.mouse_down(view, offset=(TEXT_X + 7, TEXT_Y))
        assert view.cursor == text.index("日")
        await pilot.hover(view, offset=(TEXT_X + 14, TEXT_Y))
        await pilot.mouse_up(view, offset=(TEXT_X + 14, TEXT_Y))
        assert view.selection == (text.index("日"), text.index("world") + 1)
        await pilot.click(view, offset=(TEXT_X + 1, TEXT_Y))
        assert view.cursor == 1 and view.selection is None


async def test_a_mouse_drag_snaps_to_whole_words_by_default() -> None:
    text = "Hello brave new world"
    app = Host(make_article(text))
    async with app.run_test(size=(60, 6)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        # From inside "brave" to inside "new": both words whole.
        await pilot.mouse_down(view, offset=(TEXT_X + text.index("rave"), TEXT_Y))
        await pilot.hover(view, offset=(TEXT_X + text.index("ew "), TEXT_Y))
        await pilot.mouse_up(view, offset=(TEXT_X + text.index("ew "), TEXT_Y))
        assert view.selection is not None
        assert text[slice(*view.selection)] == "brave new"


ACTIONS = [
    "action_cursor_left", "action_cursor_right", "action_cursor_up", "action_cursor_down",
    "action_word_next", "action_word_previous", "action_sentence_next", "action_sentence_previous",
    "action_paragraph_next", "action_paragraph_previous", "action_select_left", "action_select_right",
    "action_select_up", "action_select_down", "action_toggle_anchor", "action_select_sentence",
    "action_select_paragraph", "action_cursor_page_down", "action_cursor_page_up",
]
PIECES = ["a", "word ", "日本", "🇯🇵", "👨‍👩‍👧", "e\u0301", "\n", " ", ". ", "👍🏽", "\t", "Hi! ", "\n\n"]


async def test_random_key_presses_never_leave_the_cursor_or_selection_inside_a_grapheme() -> None:
    app = Host(make_article("x"))
    async with app.run_test(size=(24, 8)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        width = view.scrollable_content_region.width

        # Actions are called directly on the running app (each Pilot press costs ~70 ms).
        @settings(max_examples=40, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        @given(
            text=st.lists(st.sampled_from(PIECES), min_size=1, max_size=40).map("".join),
            actions=st.lists(st.sampled_from(ACTIONS), max_size=40),
        )
        def check(text: str, actions: list[str]) -> None:
            view.set_article(make_article(text))
            for action in actions:
                getattr(view, action)()
                assert textrules.is_boundary(text, view.cursor)
                selection = view.selection
                if selection is not None:
                    start, end = selection
                    assert 0 <= start < end <= len(text)
                    assert textrules.is_boundary(text, start) and textrules.is_boundary(text, end)
            for y in range(view.scrollable_content_region.height):
                assert view.render_line(y).cell_length == width

        check()


# ---------------------------------------------------------------- search


async def test_search_marks_matches_and_n_walks_them() -> None:
    text = "The cat sat. THE dog ran. Then the end."
    app = Host(make_article(text))
    async with app.run_test(size=(80, 6)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        view.move_cursor(5)
        assert view.search("the") == 4
        assert view.cursor == text.index("THE")
        await pilot.press("n")
        assert view.cursor == text.index("Then")
        await pilot.press("n", "n")
        assert view.cursor == 0  # wrapped around
        await pilot.press("N")
        assert view.cursor == text.index("the end")
        matched = [seg for seg in view.render_line(0) if seg.text == "THE"]
        assert matched and matched[0].style.bgcolor == ArticleView.MATCH_STYLE.bgcolor
        assert view.search("") == 0
        assert not [seg for seg in view.render_line(0) if seg.style.bgcolor == ArticleView.MATCH_STYLE.bgcolor]


async def test_a_megabyte_article_opens_and_moves() -> None:
    article = make_article((seed_article().text + "\n") * 470)
    app = Host(article)
    async with app.run_test(size=(100, 30)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        await pilot.press("G", "k", "b", "s")
        assert view.cursor_row >= view.line_count - 3
        assert view.selection is not None
        assert view.scroll_y == view.max_scroll_y
