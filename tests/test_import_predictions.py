"""Label Studio predictions (model pre-annotations) come in as suggestions to review, beside the annotations."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.annotations.importing import import_spans
from newsdesk.annotations.store import Store, StoreError

from articles import article_with


def region(rid: str, text: str, start: int, end: int, label: str, **extra) -> dict:
    return {"id": rid, "from_name": "label", "to_name": "text", "type": "labels",
            "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]}, **extra}


def once(text: str) -> str:
    """A word that occurs only once in `text` (a stale offset can be re-anchored by it)."""
    return next(w for w in text.split() if len(w) >= 5 and w.isalpha() and text.count(w) == 1)


def export_with_predictions(path: Path, text: str) -> Path:
    """A Label Studio export: one person's annotation, and a model's predictions (one the person accepted)."""
    at, word = text.index("Starmer"), once(text)
    place = text.index(word)
    stale = dict(region("p2", text, place, place + len(word), "Places"))
    stale["value"] = {**stale["value"], "start": place + 2, "end": place + len(word) + 2}  # off by two; quoted text says where
    task = {
        "id": 1, "data": {"text": text},
        "annotations": [{"id": 1, "completed_by": {"email": "ana@example.org"},
                         "result": [region("p0", text, at, at + 7, "People")]}],
        "predictions": [{"model_version": "ner-v2", "score": 0.5, "result": [
            region("p0", text, at, at + 7, "People"),  # accepted as it was: already a span
            region("p1", text, at, at + 7, "Politicians", score=0.9),
            stale,
        ]}],
    }
    path.write_text(json.dumps([task]), "utf-8")
    return path


def test_predictions_come_in_as_suggestions_and_annotations_as_spans(library, tmp_path):
    seed = article_with(library, "Starmer")
    at, word = seed.text.index("Starmer"), once(seed.text)
    place = seed.text.index(word)
    path = export_with_predictions(tmp_path / "project.json", seed.text)
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
    assert report.added == 1 and report.suggestions == 2, report.reasons
    assert "2 predictions as suggestions to review" in report.summary()
    with Store(tmp_path / "db.json") as store:  # written, not only held in memory
        assert [(s.start, s.topics) for s in store.spans_for(seed.id)] == [(at, ("People",))]
        found = [(s.start, s.end, s.topics, s.source, s.score, s.origin) for s in store.suggestions_for(seed.id)]
        assert store.span_count() == 1
        assert {t.name for t in store.topics()} >= {"People", "Politicians", "Places"}
    assert sorted(found) == sorted([
        (at, at + 7, ("Politicians",), "model", 0.9, "ner-v2"),
        (place, place + len(word), ("Places",), "model", 0.5, "ner-v2"),  # re-anchored by its quoted text
    ])


def test_importing_the_same_predictions_again_suggests_nothing_new(library, tmp_path):
    seed = article_with(library, "Starmer")
    path = export_with_predictions(tmp_path / "project.json", seed.text)
    with Store(tmp_path / "db.json") as store:
        import_spans(store, library, path)
        again = import_spans(store, library, path)
        assert (again.added, again.suggestions) == (0, 0)
        assert store.suggestion_count(seed.id) == 2
    assert "predictions as suggestions" not in again.summary()
    assert any("3 predicted spans" in r and "not suggested" in r for r in again.reasons)


def test_a_rejected_prediction_is_not_suggested_again(library, tmp_path):
    seed = article_with(library, "Starmer")
    path = export_with_predictions(tmp_path / "project.json", seed.text)
    with Store(tmp_path / "db.json") as store:
        import_spans(store, library, path)
        turned_down = next(s for s in store.suggestions_for(seed.id) if s.topics == ("Politicians",))
        store.write_batch(put=[turned_down.rejected("ana")], delete_suggestions=[turned_down.id])
        again = import_spans(store, library, path)
        assert again.suggestions == 0
        assert [s.topics for s in store.suggestions_for(seed.id)] == [("Places",)]


def test_spans_and_predicted_suggestions_are_written_in_one_append_or_not_at_all(library, tmp_path, monkeypatch):
    seed = article_with(library, "Starmer")
    path = export_with_predictions(tmp_path / "project.json", seed.text)
    with Store(tmp_path / "db.json") as store:
        appended: list[bytes] = []
        real = store._append
        monkeypatch.setattr(store, "_append", lambda payload: (appended.append(payload), real(payload))[1])
        import_spans(store, library, path)
    assert len(appended) == 1
    assert b'"table":"spans"' in appended[0] and b'"table":"suggestions"' in appended[0]

    def failing(fd):
        raise OSError("disk full")

    with Store(tmp_path / "other.json") as store:
        monkeypatch.setattr("os.fsync", failing)
        with pytest.raises(StoreError):
            import_spans(store, library, path)
        monkeypatch.undo()
        assert (store.span_count(), store.suggestion_count()) == (0, 0)
    with Store(tmp_path / "other.json") as store:
        assert (store.span_count(), store.suggestion_count()) == (0, 0)


def test_an_import_as_suggestions_brings_the_predictions_in_as_model_suggestions(library, tmp_path):
    from newsdesk.annotations.suggesting import import_as_suggestions

    seed = article_with(library, "Starmer")
    path = export_with_predictions(tmp_path / "project.json", seed.text)
    with Store(tmp_path / "db.json") as store:
        report = import_as_suggestions(store, library, path)
        assert (report.added, report.suggestions) == (1, 2)
        assert store.span_count() == 0
        assert sorted(s.source for s in store.suggestions_for(seed.id)) == ["import", "model", "model"]
