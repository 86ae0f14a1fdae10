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
