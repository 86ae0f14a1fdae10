"""Undo and redo walk a session's edits back and forth, and every step is on disk."""

from __future__ import annotations

from pathlib import Path

from newsdesk.annotations.history import History
from newsdesk.annotations.model import Article, DocTopics, Span, Topic, article_id_for
from newsdesk.annotations.store import Store

TEXT = "Japan and the UK agreed to deepen cooperation. Critical minerals were discussed."
ARTICLE = Article(id=article_id_for(TEXT), title="Summit", text=TEXT)


def span(start: int, end: int, *topics: str) -> Span:
    return Span.create(ARTICLE, start, end, topics or ("diplomacy",), annotator="ana")


def test_undo_and_redo_every_kind_of_edit(tmp_path: Path):
    with Store(tmp_path / "db.json") as store:
        history = History(store)
        first = history.add_span(span(0, 5))
        edited = history.update_span(first.edited(topics=("diplomacy", "energy"), note="check"))
        history.set_doc_topics(DocTopics(ARTICLE.id, ("diplomacy",)))
        history.put_topic(Topic("summits", key=None, colour="#123456"))
        history.delete_span(first.id)
        assert store.get_span(first.id) is None

        assert history.undo().label == "delete span"
        assert store.get_span(first.id) == edited
        history.undo()  # topic
        assert store.topic("summits") is None
        history.undo()  # doc topics
        assert store.doc_topics(ARTICLE.id).topics == ()
        history.undo()  # edit
        assert store.get_span(first.id) == first
        history.undo()  # add
        assert store.span_count() == 0
        assert history.undo() is None

        for _ in range(5):
            assert history.redo() is not None
        assert history.redo() is None
        assert store.get_span(first.id) is None
        assert store.topic("summits") is not None
        assert store.doc_topics(ARTICLE.id).topics == ("diplomacy",)


def test_a_new_edit_after_undo_forgets_the_redo(tmp_path: Path):
    with Store(tmp_path / "db.json") as store:
        history = History(store)
        history.add_span(span(0, 5))
        history.undo()
        history.add_span(span(6, 9))
        assert not history.can_redo


def test_an_undo_is_as_durable_as_an_edit(tmp_path: Path):
    db = tmp_path / "db.json"
    with Store(db) as store:
        history = History(store)
        kept = history.add_span(span(0, 5))
        gone = history.add_span(span(10, 20))
        history.undo()
    with Store(db, readonly=True) as again:
        assert [s.id for s in again.spans_for(ARTICLE.id)] == [kept.id]
        assert again.get_span(gone.id) is None


OTHER_TEXT = "Floods reached Texas after days of rain."
OTHER = Article(id=article_id_for(OTHER_TEXT), title="Floods", text=OTHER_TEXT)


def test_a_step_of_several_edits_undoes_and_redoes_as_one(tmp_path: Path):
    with Store(tmp_path / "db.json") as store:
        history = History(store)
        with history.step("tag with summits"):
            history.put_topic(Topic("summits", key=None, colour="#123456"))
            added = history.add_span(span(0, 5, "summits"))
        change = history.undo()
        assert change.label == "tag with summits" and change.article_ids == {ARTICLE.id}
        assert store.get_span(added.id) is None and store.topic("summits") is None
        history.redo()
        assert store.get_span(added.id) == added and store.topic("summits") is not None


def test_resizes_of_one_span_merge_into_one_step_until_something_else_happens(tmp_path: Path):
    with Store(tmp_path / "db.json") as store:
        history = History(store)
        first = history.add_span(span(0, 5))
        grown = history.update_span(first.edited(end=9, text=TEXT[0:9]), label="resize span", merge=True)
        history.update_span(grown.edited(start=1, text=TEXT[1:9]), label="resize span", merge=True)
        noted = history.update_span(store.get_span(first.id).edited(note="n"), label="note")
        history.update_span(noted.edited(end=5, text=TEXT[1:5]), label="resize span", merge=True)
        history.undo()  # the last resize alone: the note came between
        assert store.get_span(first.id) == noted
        history.undo()  # the note
        history.undo()  # both earlier resizes at once
        assert store.get_span(first.id) == first


def test_undo_scoped_to_an_article_skips_later_edits_of_another(tmp_path: Path):
    with Store(tmp_path / "db.json") as store:
        history = History(store)
        here = history.add_span(span(0, 5))
        there = history.add_span(Span.create(OTHER, 0, 6, ("weather",)))
        assert history.next_undo({ARTICLE.id}).after == here
        history.undo({ARTICLE.id})
        assert store.get_span(here.id) is None and store.get_span(there.id) == there
        assert history.undo({ARTICLE.id}) is None  # nothing left here...
        assert history.next_undo().after == there  # ...but there is elsewhere
        history.redo({ARTICLE.id})
        assert store.get_span(here.id) == here
        # A new edit here forgets only this article's redo, never another's.
        history.undo({OTHER.id})
        history.add_span(span(6, 9))
        assert history.next_redo({OTHER.id}) is not None
