"""Suggested spans are reviewed, never mistaken for annotations, and remembered when turned down."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.annotations.history import History
from newsdesk.annotations.model import Span, Topic
from newsdesk.annotations.store import Store, StoreCorrupt
from newsdesk.annotations.suggestions import BadSuggestion, Suggestion, fresh_suggestions, review_key

ARTICLE = "article-1"


def suggestion(start: int = 0, end: int = 5, topic: str = "people", *, source: str = "pattern",
               score: float | None = None, span_id: str | None = None) -> Suggestion:
    span = Span(span_id or f"s{start}-{end}-{topic}", ARTICLE, start, end, "x" * (end - start), (topic,))
    return Suggestion(span, source, score, "patterns.jsonl:1")


def test_a_suggestion_is_stored_apart_and_not_counted_as_a_span(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        store.add_suggestions([suggestion(), suggestion(6, 9, score=0.75, source="model")])
        assert store.span_count() == 0
        assert list(store.iter_spans()) == []
        assert store.suggestion_count() == 2
        assert store.suggestion_count(ARTICLE) == 2
        assert store.article_ids_with_suggestions() == {ARTICLE}
    with Store(tmp_path / "db.json") as store:
        found = store.suggestions_for(ARTICLE)
        assert [(s.start, s.end, s.source, s.score) for s in found] == [(0, 5, "pattern", None), (6, 9, "model", 0.75)]
        assert found[0].origin == "patterns.jsonl:1"


def test_accepting_makes_an_ordinary_span_by_the_reviewer_and_survives_restart(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        store.add_suggestions([suggestion()])
        history = History(store)
        [span] = history.review(accept=store.suggestions_for(ARTICLE), annotator="ann")
        assert span.annotator == "ann" and span.topics == ("people",)
    with Store(tmp_path / "db.json") as store:
        assert store.suggestion_count() == 0
        assert [(s.id, s.annotator) for s in store.spans_for(ARTICLE)] == [(span.id, "ann")]


def test_rejecting_is_remembered_and_the_same_suggestion_is_not_offered_again(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        store.add_suggestions([suggestion()])
        History(store).review(reject=store.suggestions_for(ARTICLE))
        assert store.suggestion_count() == 0
    with Store(tmp_path / "db.json") as store:
        again = fresh_suggestions([suggestion(span_id="new")], rejected=store.rejected_keys())
        assert again == []
        other_topic = fresh_suggestions([suggestion(topic="places")], rejected=store.rejected_keys())
        assert len(other_topic) == 1


def test_review_is_one_undo_and_redo(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        store.add_suggestions([suggestion(), suggestion(6, 9)])
        history = History(store)
        first, second = store.suggestions_for(ARTICLE)
        history.review(accept=[first], reject=[second], annotator="ann")
        assert (store.span_count(), store.suggestion_count(), len(store.rejected_keys())) == (1, 0, 1)
        change = history.undo()
        assert change is not None and change.article_id == ARTICLE
        assert (store.span_count(), store.suggestion_count(), len(store.rejected_keys())) == (0, 2, 0)
        history.redo()
        assert (store.span_count(), store.suggestion_count(), len(store.rejected_keys())) == (1, 0, 1)


def test_an_article_with_open_suggestions_is_not_done_until_they_are_reviewed(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        store.set_done(ARTICLE, True)
        store.add_suggestions([suggestion()])
        assert not store.is_done(ARTICLE)
        History(store).review(accept=store.suggestions_for(ARTICLE))
        assert store.is_done(ARTICLE)


def test_unmarking_done_with_open_suggestions_clears_the_flag(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        store.set_done(ARTICLE, True)
        store.add_suggestions([suggestion()])
        store.set_done(ARTICLE, False)
        History(store).review(reject=store.suggestions_for(ARTICLE))
        assert not store.is_done(ARTICLE)


def test_suggestions_never_duplicate_a_stored_span_but_may_overlap_one() -> None:
    stored = Span("a", ARTICLE, 0, 5, "xxxxx", ("people",))
    kept = fresh_suggestions([suggestion(0, 5), suggestion(0, 5, "places"), suggestion(2, 7)], spans=[stored])
    assert [(s.start, s.end, s.topics) for s in kept] == [(0, 5, ("places",)), (2, 7, ("people",))]


def test_tag_all_style_batch_is_one_write_and_one_undo(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        history = History(store)
        spans = [Span(f"t{i}", f"article-{i}", 0, 3, "abc", ("energy",)) for i in range(5)]
        journal = store.journal_path.stat().st_size
        history.add_spans(spans)
        lines = store.journal_path.read_text().splitlines()
        assert len(lines) == 5 and all(json.loads(line)["end"] == json.loads(lines[-1])["seq"] for line in lines)
        assert store.journal_path.stat().st_size > journal
        history.undo()
        assert store.span_count() == 0


def test_a_damaged_suggestion_document_is_refused_on_open_and_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    with Store(path) as store:
        store.add_suggestions([suggestion()])
    data = json.loads(path.read_text())
    data["suggestions"]["1"]["score"] = "high"
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(StoreCorrupt, match="score"):
        Store(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "bad",
    [{"source": "guess"}, {"score": float("nan")}, {"topics": []}, {"start": -1}, {"start": 9, "end": 3}],
)
def test_bad_suggestion_fields_are_named(bad: dict) -> None:
    data = {**suggestion().to_dict(), **bad}
    with pytest.raises(BadSuggestion):
        Suggestion.from_dict(data)


def test_a_batch_with_suggestions_is_all_or_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        with pytest.raises(TypeError):
            store.write_batch(put=[suggestion(), "not a document"])  # type: ignore[list-item]
        assert store.suggestion_count() == 0


def test_patterns_with_new_topics_undo_the_topics_too(tmp_path: Path) -> None:
    with Store(tmp_path / "db.json") as store:
        history = History(store)
        history.add_suggestions([suggestion(topic="rare")], topics=[Topic("rare")])
        assert store.topic("rare") is not None
        history.undo()
        assert store.topic("rare") is None and store.suggestion_count() == 0


def test_review_key_ignores_topic_order() -> None:
    assert review_key("a", 1, 2, ["x", "y"]) == review_key("a", 1, 2, ["y", "x"])
