"""Jump hints: every visible word gets a short label, nearest first, and typing it lands there."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations.hints import ALPHABET, JumpHints, labels_for, words_between

TEXT = "Prime Minister Keir Starmer met Sanae Takaichi in Tokyo."


def test_few_words_get_one_home_row_letter_each() -> None:
    assert labels_for(4) == ["a", "s", "d", "f"]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=800))
def test_labels_are_unique_prefix_free_and_as_short_as_can_be(count: int) -> None:
    labels = labels_for(count)
    assert len(labels) == min(count, len(ALPHABET) ** 2)
    assert len(set(labels)) == len(labels)
    singles = {label for label in labels if len(label) == 1}
    assert not any(len(label) == 2 and label[0] in singles for label in labels)
    assert all(1 <= len(label) <= 2 for label in labels)
    if count <= len(ALPHABET):
        assert all(len(label) == 1 for label in labels)


def test_words_between_gives_whole_words_starting_in_the_range() -> None:
    assert TEXT.index("Keir") == 15
    assert [TEXT[s:e] for s, e in words_between(TEXT, 15, 40)] == ["Keir", "Starmer", "met", "Sanae", "Takaichi"]
    assert [TEXT[s:e] for s, e in words_between(TEXT, 16, 22)] == ["Starmer"]  # Keir is cut: left out


def test_words_between_finds_cjk_words() -> None:
    text = "東京で首脳会談 Tokyo"
    assert len(words_between(text, 0, len(text))) >= 2


def test_the_nearest_words_get_the_shortest_labels() -> None:
    words = [(i * 2, i * 2 + 1) for i in range(40)]
    hints = JumpHints(words, cursor=40)
    by_start = {hint.start: hint.label for hint in hints.hints}
    assert len(by_start[40]) == 1 and by_start[40] == "a"
    assert len(by_start[0]) == 2


def test_typing_a_label_jumps_and_a_wrong_key_misses() -> None:
    words = words_between(TEXT, 0, len(TEXT))
    hints = JumpHints(words, cursor=0)
    starmer = next(h for h in hints.hints if TEXT[h.start:h.end] == "Starmer")
    outcomes = [hints.press(letter) for letter in starmer.label]
    assert outcomes[-1] == "jump" and hints.target == starmer
    fresh = JumpHints(words, cursor=0)
    assert fresh.press("1") == "miss" and fresh.typed == ""


def test_two_letter_labels_wait_for_the_second_key() -> None:
    words = [(i * 2, i * 2 + 1) for i in range(100)]
    hints = JumpHints(words, cursor=0)
    far = hints.hints[-1]
    assert len(far.label) == 2
    assert hints.press(far.label[0]) == "pending"
    assert all(h.label.startswith(far.label[0]) for h in hints.showing())
    assert hints.press(far.label[1]) == "jump" and hints.target == far


def test_labels_are_drawn_over_the_text_without_moving_it() -> None:
    from rich.segment import Segment
    from textual.strip import Strip

    from newsdesk.annotations.hints import Hint
    from newsdesk.tui.widgets.hint_overlay import paint_labels, row_labels

    text = "Keir Starmer met 高市 today"
    strip = Strip([Segment("  " + text)])
    hints = [Hint("a", 0, 4), Hint("sd", 5, 12), Hint("f", 17, 19)]
    labels = row_labels(text, 0, len(text), hints, typed="", left=2)
    painted = paint_labels(strip, labels, 80)
    shown = "".join(segment.text for segment in painted)
    assert shown == "  aeir sdarmer met f 市 today"  # the CJK character half covered shows as a space
    assert painted.cell_length == strip.cell_length


def test_typed_letters_of_a_label_stay_shown_dimmed() -> None:
    from newsdesk.annotations.hints import Hint
    from newsdesk.tui.widgets.hint_overlay import row_labels

    assert row_labels("ab cd", 0, 5, [Hint("sd", 3, 5)], typed="s") == [(3, "s", "d")]
