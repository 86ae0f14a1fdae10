"""Tagging every occurrence of a phrase: whole words, the search's case rules, one batch and one undo."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations.history import History
from newsdesk.annotations.model import Article, Span
from newsdesk.annotations.occurrences import occurrences, plan_tag_all
from newsdesk.annotations.store import Store
from newsdesk.annotations.text import is_boundary

A = Article("a", "A", "Starmer met Takaichi. STARMER spoke; Starmer’s aide and Starmerism. Keir\nStarmer left.")
B = Article("b", "B", "No names here. starmer in lower case.")


def test_occurrences_are_whole_words_and_ignore_case_like_the_search() -> None:
    assert [A.text[s:e] for s, e in occurrences(A.text, "starmer")] == ["Starmer", "STARMER", "Starmer", "Starmer"]
    assert [A.text[s:e] for s, e in occurrences(A.text, "Starmer", case_sensitive=True)] == ["Starmer", "Starmer", "Starmer"]
    assert "Starmer" in [A.text[s:e] for s, e in occurrences(A.text, "starmer", whole_words=False)][-2:]
    assert len(occurrences(A.text, "starmer", whole_words=False)) == 5


def test_a_phrase_broken_across_lines_is_still_found() -> None:
    assert [A.text[s:e] for s, e in occurrences(A.text, "Keir Starmer")] == ["Keir\nStarmer"]


@settings(max_examples=50, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ae é\u0301👍🏽")), max_size=30), st.sampled_from(["a", "e", "ae"]))
def test_occurrences_never_cut_a_grapheme(text: str, query: str) -> None:
    for whole in (True, False):
        for start, end in occurrences(text, query, whole_words=whole):
            assert is_boundary(text, start) and is_boundary(text, end)


def test_tag_all_over_the_library_is_one_batch_and_one_undo(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        store.add_span(Span("old", "a", 0, 7, "Starmer", ("people",)))
        plan = plan_tag_all([A, B], "starmer", "people", store, annotator="ann")
        assert (len(plan.spans), plan.articles, plan.already) == (4, 2, 1)
        assert plan.summary() == "4 occurrences of 'starmer' in 2 articles (1 already tagged people)"
        history = History(store)
        records = len(store.journal_path.read_text().splitlines())
        history.add_spans(plan.spans)
        assert store.span_count() == 5
        assert len(store.journal_path.read_text().splitlines()) == records + 4  # one append, one batch
        history.undo()
        assert [s.id for s in store.iter_spans()] == ["old"]


def test_tagging_every_occurrence_adds_the_topic_to_a_span_already_over_it(tmp_path: Path) -> None:
    """A name already tagged `people` gets `diplomacy` on that span, not a second span over it."""
    with Store(tmp_path / "db.json") as store:
        store.add_span(Span("old", "a", 0, 7, "Starmer", ("people",), note="the PM"))
        plan = plan_tag_all([A], "starmer", "diplomacy", store, annotator="ann")
        assert (len(plan.spans), len(plan.updates), plan.articles) == (3, 1, 1)
        assert plan.summary() == "4 occurrences of 'starmer' in 1 article"
        history = History(store)
        history.add_spans(plan.spans, updates=plan.updates)
        spans = {(s.start, s.end): s for s in store.iter_spans()}
        assert len(spans) == 4 and store.span_count() == 4  # no two spans over the same characters
        assert spans[(0, 7)].topics == ("people", "diplomacy") and spans[(0, 7)].note == "the PM"
        history.undo()  # one step takes the new spans and the added topic back
        assert [(s.id, s.topics) for s in store.iter_spans()] == [("old", ("people",))]
