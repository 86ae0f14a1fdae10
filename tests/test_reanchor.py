"""An article file edited while its spans exist: the spans follow their text when it is clear where."""

from __future__ import annotations

from hypothesis import given, strategies as st

from newsdesk.annotations.model import Article, Span, article_id_for
from newsdesk.annotations.reanchor import carry_over


def article(text: str) -> Article:
    return Article(id=article_id_for(text), title="t", text=text)


OLD = article("Tokyo talks ended. Critical minerals were discussed. Tokyo was sunny.")
NEW = article("A new first line.\nTokyo talks ended. Critical minerals were discussed at length. Tokyo was sunny.")


def test_spans_follow_their_text_into_the_edited_article():
    minerals = Span.create(OLD, OLD.text.index("Critical"), OLD.text.index("Critical") + 17, ["energy"], note="n")
    (moved,), left = carry_over([minerals], NEW)
    assert left == []
    assert moved.id == minerals.id and moved.note == "n" and moved.topics == ("energy",)
    assert moved.article_id == NEW.id
    assert NEW.text[moved.start:moved.end] == "Critical minerals"


def test_a_repeated_phrase_goes_to_the_nearest_occurrence_and_a_vanished_one_stays():
    second_tokyo = OLD.text.rindex("Tokyo")
    tokyo = Span.create(OLD, second_tokyo, second_tokyo + 5, ["places"])
    gone = Span.create(OLD, 0, 5, ["x"]).edited(text="Osaka")
    moved, left = carry_over([tokyo, gone], NEW)
    assert [s.start for s in moved] == [NEW.text.rindex("Tokyo")]
    assert left == [gone]


@given(st.text(min_size=1, max_size=40), st.text(max_size=20), st.text(max_size=20))
def test_a_moved_span_always_covers_the_same_text(phrase, before, after):
    old = article(phrase + after)
    new = article(before + phrase + after)
    span = Span.create(old, 0, len(phrase), ["t"])
    moved, left = carry_over([span], new)
    for m in moved:
        assert m.text == new.text[m.start:m.end]
        assert phrase in m.text  # snapping may only widen it to whole graphemes
    assert len(moved) + len(left) == 1
