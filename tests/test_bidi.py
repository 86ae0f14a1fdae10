"""Arabic and Hebrew lines are drawn in visual order, with the cursor and spans on their characters."""

from __future__ import annotations

import pytest
from rich.segment import Segment
from rich.style import Style

from newsdesk.annotations.model import Article, article_id_for
from newsdesk.tui.config import ConfigError, load_settings
from newsdesk.tui.widgets import bidi

CURSOR = Style(reverse=True)


def _shown(segments) -> str:
    return "".join(segment.text for segment in segments)


def test_a_hebrew_sentence_reads_right_to_left_with_its_full_stop_on_the_left() -> None:
    line = "ראש הממשלה נפגש היום."
    out = bidi.visual_segments([Segment(line)], bidi.paragraph_is_rtl(line, 0))
    assert _shown(out) == ".םויה שגפנ הלשממה שאר"


def test_latin_and_numbers_inside_arabic_keep_their_own_order() -> None:
    line = "قال الرئيس إن NATO اجتمع في 2024 (اليوم)"
    shown = _shown(bidi.visual_segments([Segment(line)], True))
    assert "NATO" in shown and "2024" in shown
    assert shown.startswith("(") and shown.endswith("لاق")  # mirrored bracket on the left


def test_the_cursor_stays_on_its_character_after_reordering() -> None:
    line = "שלום עולם"
    # The cursor is on the first letter (logical offset 0): drawn rightmost, still reversed.
    segments = [Segment(line[0], CURSOR), Segment(line[1:])]
    out = bidi.visual_segments(segments, True)
    assert out[-1] == Segment("ש", CURSOR)
    assert _shown(out) == "םלוע םולש"


def test_arabic_letters_keep_their_marks_when_reversed() -> None:
    line = "مُحَمَّد"
    shown = _shown(bidi.visual_segments([Segment(line)], True))
    assert shown == "د" + "مَّ" + "حَ" + "مُ"  # clusters reversed, each letter followed by its own marks


def test_english_lines_are_untouched_and_terminal_mode_leaves_everything() -> None:
    english = [Segment("Leaders met in Tokyo.")]
    assert bidi.visual_segments(english, False) == english
    hebrew = [Segment("שלום")]
    bidi.set_mode("terminal")
    try:
        assert bidi.visual_segments(hebrew, True) == hebrew
    finally:
        bidi.set_mode("app")


def test_the_config_chooses_who_reorders_and_refuses_other_values(tmp_path, monkeypatch) -> None:
    config = tmp_path / "config.toml"
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    config.write_text('bidi = "terminal"\n', encoding="utf-8")
    assert load_settings().bidi == "terminal"
    config.write_text('bidi = "sideways"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='bidi must be "app"'):
        load_settings()


@pytest.mark.anyio
async def test_an_arabic_article_is_drawn_in_visual_order_with_the_cursor_on_its_first_letter() -> None:
    from textual.app import App, ComposeResult

    from newsdesk.tui.widgets.article_view import ArticleView

    text = "عقد الرئيس اجتماعا مع الوزراء في القاهرة."
    article = Article(id=article_id_for(text), title="", text=text)

    class Host(App):
        def compose(self) -> ComposeResult:
            yield ArticleView()

    app = Host()
    async with app.run_test(size=(80, 10)):
        view = app.query_one(ArticleView)
        view.set_article(article)
        view.focus()
        await app.workers.wait_for_complete()
        strip = view.render_line(0)
        shown = "".join(segment.text for segment in strip).rstrip()
        assert shown.endswith("دقع")  # the first word, reversed, at the right end
        cursor = [segment.text for segment in strip if segment.style and segment.style.reverse]
        assert cursor == ["ع"]  # the cursor is still on the article's first letter


def test_a_click_on_a_right_to_left_line_lands_on_the_letter_drawn_there() -> None:
    text = "abc שלום"
    # Drawn "abc םולש": cell 4 shows ם (the last letter, offset 7), cell 7 shows ש (offset 4).
    assert bidi.offset_at(text, 0, len(text), 4) == 7
    assert bidi.offset_at(text, 0, len(text), 7) == 4
    assert bidi.offset_at(text, 0, len(text), 1) == 1
    assert bidi.offset_at("plain English", 0, 13, 3) is None


HEBREW_TITLE = "ראש הממשלה נפגש היום עם שר החוץ של יפן בטוקיו"


def _library_app(rows):
    from textual.app import App

    from newsdesk.tui.widgets.library_list import LibraryList

    class Host(App[None]):
        def compose(self):
            yield LibraryList(rows)

    return Host()


def _rows():
    from datetime import date
    from pathlib import Path

    from newsdesk.annotations.corpus import LibraryEntry
    from newsdesk.tui.widgets.library_list import LibraryRow

    entry = LibraryEntry(id="h", title=HEBREW_TITLE, source="Haaretz", published=date(2024, 1, 1), place="",
                         path=Path("/library/h.txt"), size=10)
    return [LibraryRow(entry)]


@pytest.mark.anyio
async def test_a_hebrew_title_in_the_library_list_reads_right_to_left_and_is_cut_at_its_end() -> None:
    from rich.cells import cell_len

    from newsdesk.tui.widgets.library_list import LibraryList

    app = _library_app(_rows())
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        line = app.query_one(LibraryList).render_line(1).text
        assert bidi.visual_text(HEBREW_TITLE) in line, line
        assert cell_len(line) == app.query_one(LibraryList).size.width
    app = _library_app(_rows())
    async with app.run_test(size=(60, 10)) as pilot:  # too narrow: the title's start stays, on the right
        await pilot.pause()
        line = app.query_one(LibraryList).render_line(1).text
        shown = line.split("…", 1)[1].rstrip() if "…" in line else ""
        assert shown and bidi.visual_text(HEBREW_TITLE).endswith(shown), line
        assert cell_len(line) == app.query_one(LibraryList).size.width


@pytest.mark.anyio
async def test_the_compare_picker_shows_a_hebrew_title_right_to_left() -> None:
    from textual.app import App

    from newsdesk.tui.screens.compare import ArticlePicker

    entries = [row.entry for row in _rows()]
    app = App()
    async with app.run_test(size=(80, 24)) as pilot:
        picker = ArticlePicker(entries, title="Compare with…")
        await app.push_screen(picker)
        await pilot.pause()
        (option,) = picker.options_for("")
        shown = str(option.prompt)
        assert shown.startswith("… ") and "הלשממה שאר  Haaretz" in shown, shown  # cut at its end, drawn RTL
