"""The cursor model on its own: motions, selections and what tagging stores, without any screen."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations import text as textrules
from newsdesk.annotations.cursor import (
    Cursor,
    big_word_end,
    next_big_word,
    prev_big_word,
    snap_to_words,
    trim_to_content,
    word_end,
)

SENTENCE = "He flew to Colorado, and “Vladimir Putin.” met the U.S. team at 5% in 東京，大阪 today."


def selected(cursor: Cursor) -> str:
    assert cursor.selection is not None
    return cursor.text[slice(*cursor.selection)]


def tagged(cursor: Cursor) -> str:
    found = cursor.tag_range()
    assert found is not None
    return cursor.text[slice(*found)]


def test_the_model_needs_no_textual():
    import newsdesk.annotations.cursor as module

    assert "textual" not in module.__dict__ and not any(
        name.startswith("textual") for name in getattr(module, "__annotations__", {})
    )


def test_v_then_e_selects_a_word_without_its_comma():
    cursor = Cursor(SENTENCE, SENTENCE.index("Colorado"))
    cursor.toggle_anchor()
    cursor.word_end()
    assert selected(cursor) == "Colorado"
    assert cursor.offset == SENTENCE.index(",")  # drawn on the comma, which is not selected


def test_v_then_w_takes_the_comma_and_space_but_tagging_trims_them():
    cursor = Cursor(SENTENCE, SENTENCE.index("Colorado"))
    cursor.toggle_anchor()
    cursor.word_next()
    assert selected(cursor) == "Colorado, "
    assert tagged(cursor) == "Colorado"


def test_grapheme_granularity_keeps_exactly_what_was_selected():
    cursor = Cursor(SENTENCE, SENTENCE.index("Colorado"), granularity="grapheme")
    cursor.toggle_anchor()
    cursor.word_next()
    assert tagged(cursor) == "Colorado, "


def test_e_walks_word_ends_and_W_B_E_walk_whitespace_words():
    text = "Colorado, and U.S.-made"
    assert word_end(text, 0) == len("Colorado")
    assert word_end(text, len("Colorado")) == text.index("and") + 3  # from the comma: the next word's end
    assert next_big_word(text, 0) == text.index("and")
    assert big_word_end(text, 0) == len("Colorado,")
    assert prev_big_word(text, len(text)) == text.index("U.S.")
    assert big_word_end(text, text.index("U.S.")) == len(text)


def test_a_name_quoted_with_a_full_stop_is_trimmed_to_the_name():
    start = SENTENCE.index("“")
    end = SENTENCE.index("” met") + 1
    assert SENTENCE[slice(*trim_to_content(SENTENCE, start, end))] == "Vladimir Putin"


def test_abbreviations_percentages_keep_their_marks():
    for piece, expected in (("U.S. ", "U.S."), ("5% ", "5%")):
        start = SENTENCE.index(piece)
        assert SENTENCE[slice(*trim_to_content(SENTENCE, start, start + len(piece)))] == expected


def test_a_chinese_name_never_takes_a_character_across_punctuation():
    start = SENTENCE.index("東京")
    cursor = Cursor(SENTENCE, start)
    cursor.toggle_anchor()
    cursor.word_end()
    cursor.word_end()
    assert "，" not in tagged(cursor) or tagged(cursor).endswith("阪")
    assert SENTENCE[slice(*trim_to_content(SENTENCE, start, start + 3))] == "東京"
    assert SENTENCE[slice(*snap_to_words(SENTENCE, start, start + 3))] == "東京，"


def test_a_selection_by_word_motion_snaps_to_whole_words():
    cursor = Cursor(SENTENCE, SENTENCE.index("lorado"))
    cursor.toggle_anchor()
    cursor.word_next()
    assert selected(cursor) == "Colorado, "
    cursor.right()  # a grapheme motion: exactly what was selected again
    assert selected(cursor) == "lorado, a"


def test_escape_semantics_clear_selection_reports_whether_there_was_one():
    cursor = Cursor("one two", 0)
    assert cursor.clear_selection() is False
    cursor.toggle_anchor()
    assert cursor.selecting and cursor.clear_selection() is True and not cursor.selecting


def test_the_word_under_the_cursor():
    cursor = Cursor(SENTENCE, SENTENCE.index("lorado"))
    assert cursor.word_under() == (SENTENCE.index("Colorado"), SENTENCE.index(","))
    cursor.move_to(SENTENCE.index(","))  # just past a word: still that word
    assert cursor.word_under() == (SENTENCE.index("Colorado"), SENTENCE.index(","))


def test_sentence_and_paragraph_motions():
    text = "First one. Second one.\n\nNew paragraph here."
    cursor = Cursor(text)
    cursor.sentence_next()
    assert cursor.offset == text.index("Second")
    cursor.paragraph_next()
    assert cursor.offset == text.index("New")
    cursor.sentence_previous()
    assert cursor.offset == text.index("Second")
    cursor.select_sentence()
    assert selected(cursor) == "Second one."


class Rows:
    """A layout of fixed-width rows, as the widget's wrap gives it."""

    def __init__(self, text: str, width: int) -> None:
        self.starts = list(range(0, max(1, len(text)), width))
        self.width = width
        self.length = len(text)

    def __len__(self) -> int:
        return len(self.starts)

    def row_of(self, offset: int) -> int:
        return min(offset // self.width, len(self.starts) - 1)

    def col_of(self, offset: int, row: int) -> int:
        return offset - self.starts[row]

    def offset_at(self, row: int, col: int) -> int:
        return min(self.starts[row] + col, self.length)


def test_vertical_motions_keep_their_column_through_a_short_row():
    text = "abcdefgh" "ab\n     " "abcdefgh"
    cursor = Cursor(text, 6)
    layout = Rows(text, 8)
    cursor.vertical(layout, 1)
    cursor.vertical(layout, 1)
    assert cursor.offset == 22  # column 6 again, on the third row
    cursor.vertical(layout, -5)
    assert cursor.offset == 0


TEXTS = st.lists(
    st.sampled_from(list("ab ,.\n’“”") + ["e\u0301", "👨‍👩‍👧", "🇯🇵", "日", "本", "，", "\u200d"]),
    max_size=30,
).map("".join)
MOTIONS = st.lists(
    st.sampled_from(
        [
            "left", "right", "word_next", "word_previous", "word_end", "big_word_next",
            "big_word_previous", "big_word_end", "sentence_next", "sentence_previous",
            "paragraph_next", "paragraph_previous", "to_start", "to_end", "toggle_anchor",
            "select_sentence", "clear_selection", "extend_right", "extend_word", "jump",
        ]
    ),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(text=TEXTS, moves=MOTIONS, start=st.integers(0, 60), jump=st.integers(-5, 80),
       granularity=st.sampled_from(["word", "grapheme"]))
def test_the_cursor_stays_on_grapheme_boundaries_and_selections_are_ordered(text, moves, start, jump, granularity):
    cursor = Cursor(text, start, granularity=granularity)
    for move in moves:
        if move == "extend_right":
            cursor.right(extend=True)
        elif move == "extend_word":
            cursor.word_end(extend=True)
        elif move == "jump":
            cursor.move_to(jump, extend=True)
        else:
            getattr(cursor, move)()
        assert 0 <= cursor.offset <= len(text)
        assert textrules.is_boundary(text, cursor.offset)
        selection = cursor.selection
        if selection is not None:
            assert 0 <= selection[0] < selection[1] <= len(text)
            assert textrules.is_boundary(text, selection[0]) and textrules.is_boundary(text, selection[1])
        tag = cursor.tag_range()
        if tag is not None:
            assert selection is not None and selection[0] <= tag[0] < tag[1] <= selection[1]
            assert text[tag[0]:tag[1]].strip()
            if granularity == "word":
                assert not text[tag[0]].isspace() and not text[tag[1] - 1].isspace()


@settings(max_examples=100, deadline=None)
@given(text=TEXTS, start=st.integers(0, 50), length=st.integers(0, 20))
def test_snapping_to_words_only_grows_and_trimming_only_shrinks(text, start, length):
    start = textrules.snap_start(text, min(start, len(text)))
    end = textrules.snap_end(text, min(start + length, len(text)))
    grown = snap_to_words(text, start, end)
    assert grown[0] <= start and grown[1] >= end or start >= end
    trimmed = trim_to_content(text, start, end)
    assert start <= trimmed[0] <= trimmed[1] <= end or start >= end
