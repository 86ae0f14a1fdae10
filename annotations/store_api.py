"""The store's documents API: spans, topics, document topics and done flags, read and changed one by one.

A mixin of `store.Store` (it uses the store's lock, tables, indexes and journal); kept in its own
module so the store's core (files, journal, compaction) stays one idea. Batch writes are in
`store_batches`, suggestions in `suggestion_store`.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import replace
from operator import itemgetter
from typing import TYPE_CHECKING

from .model import DocTopics, Span, Topic
from .store_format import ARTICLES, DOC_TOPICS, SPANS, TOPICS, _Doc

if TYPE_CHECKING:
    import threading

    from tinydb import TinyDB


class DocumentAPI:
    """The public reads and single changes of `Store` (see the `store` module docstring)."""

    if TYPE_CHECKING:  # provided by Store
        _mutex: threading.RLock
        _db: TinyDB
        _ids: dict[str, dict[str, int]]
        _tables: dict[str, dict[str, _Doc]]
        _suggested: dict[str, set[str]]

        @property
        def _by_article(self) -> dict[str, set[str]]: ...
        def _check_open(self) -> None: ...
        def _check_writable(self) -> None: ...
        def _commit(self, changes: list[tuple[str, str, str, _Doc | None]]) -> None: ...

    def add_span(self, span: Span) -> Span:
        """Store a new span; returns it once it is on disk. ValueError if its id is stored."""
        return self.add_spans([span])[0]

    def add_spans(self, spans: Iterable[Span]) -> list[Span]:
        """Store new spans with one write and one fsync; all of them or, on error, none."""
        batch = list(spans)
        with self._mutex:
            self._check_writable()
            stored = self._ids[SPANS]
            seen: set[str] = set()
            for span in batch:
                if not isinstance(span, Span):
                    raise TypeError(f"expected a Span, got {type(span).__name__}")
                if span.id in stored or span.id in seen:
                    raise ValueError(f"span {span.id} is already stored")
                seen.add(span.id)
            if batch:
                self._commit([("put", SPANS, span.id, span.to_dict()) for span in batch])
            return batch

    def update_span(self, span: Span) -> Span:
        """Replace the stored span with the same id; KeyError if there is none."""
        with self._mutex:
            self._check_writable()
            if span.id not in self._ids[SPANS]:
                raise KeyError(span.id)
            self._commit([("put", SPANS, span.id, span.to_dict())])
            return span

    def delete_span(self, span_id: str) -> Span:
        """Delete a span; returns what was deleted. KeyError if there is none."""
        with self._mutex:
            self._check_writable()
            old = self._get_span(span_id)
            if old is None:
                raise KeyError(span_id)
            self._commit([("del", SPANS, span_id, None)])
            return old

    def _get_span(self, span_id: str) -> Span | None:
        doc_id = self._ids[SPANS].get(span_id)
        if doc_id is None:
            return None
        doc = self._tables[SPANS].get(str(doc_id))
        return Span.from_stored(doc) if doc is not None else None

    def get_span(self, span_id: str) -> Span | None:
        """The span with this id, or None."""
        with self._mutex:
            self._check_open()
            return self._get_span(span_id)

    def spans_for(self, article_id: str) -> list[Span]:
        """The spans of one article, sorted by (start, end, id); costs O(its spans)."""
        with self._mutex:
            self._check_open()
            spans = [self._get_span(span_id) for span_id in self._by_article.get(article_id, ())]
        found = [span for span in spans if span is not None]
        found.sort(key=lambda span: (span.start, span.end, span.id))
        return found

    def iter_spans(self) -> Iterator[Span]:
        """Every stored span, as they stood when called (safe to write while iterating)."""
        with self._mutex:
            self._check_open()
            # References taken under the lock; documents are replaced, never changed in place.
            docs = list(self._tables[SPANS].values())
        return (Span.from_stored(doc) for doc in docs)

    def span_count(self, article_id: str | None = None) -> int:
        """How many spans are stored, in all or in one article."""
        with self._mutex:
            self._check_open()
            if article_id is None:
                return len(self._tables[SPANS])
            return len(self._by_article.get(article_id, ()))

    def span_counts(self) -> dict[str, int]:
        """How many spans each article has (articles without spans are absent), without building spans."""
        with self._mutex:
            self._check_open()
            return dict(Counter(map(itemgetter("article_id"), self._tables[SPANS].values())))

    def article_ids_with_spans(self) -> set[str]:
        """The ids of the articles that have at least one span."""
        with self._mutex:
            self._check_open()
            return set(self._by_article)

    # --- topics ----------------------------------------------------------------------------

    def topics(self) -> list[Topic]:
        """All topics: those with keys 1..9 first in key order, then the rest by name."""
        with self._mutex:
            self._check_open()
            topics = [Topic.from_dict(doc) for doc in self._db.table(TOPICS).all()]
        topics.sort(key=lambda t: (0, t.key, "") if t.key is not None else (1, 0, t.name.casefold()))
        return topics

    def topic(self, name: str) -> Topic | None:
        """The topic with this name, or None."""
        with self._mutex:
            self._check_open()
            doc_id = self._ids[TOPICS].get(name)
            doc = self._db.table(TOPICS).get(doc_id=doc_id) if doc_id is not None else None
            return Topic.from_dict(doc) if doc is not None else None

    def put_topic(self, topic: Topic) -> Topic:
        """Add a topic or replace the one with its name.

        A shortcut key belongs to one topic: if another topic holds `topic.key`, it loses its
        key in the same (atomic) write.
        """
        with self._mutex:
            self._check_writable()
            changes: list[tuple[str, str, str, _Doc | None]] = []
            if topic.key is not None:
                for doc in self._db.table(TOPICS).all():
                    other = Topic.from_dict(doc)
                    if other.key == topic.key and other.name != topic.name:
                        changes.append(("put", TOPICS, other.name, replace(other, key=None).to_dict()))
            changes.append(("put", TOPICS, topic.name, topic.to_dict()))
            self._commit(changes)
            return topic

    def delete_topic(self, name: str) -> Topic | None:
        """Delete a topic; returns it, or None if there was none. Spans keep the name."""
        with self._mutex:
            self._check_writable()
            old = self.topic(name)
            if old is not None:
                self._commit([("del", TOPICS, name, None)])
            return old

    # --- document topics and done flags ---------------------------------------------------------

    def doc_topics(self, article_id: str) -> DocTopics:
        """The document-level topics of an article (empty when none were set)."""
        with self._mutex:
            self._check_open()
            doc_id = self._ids[DOC_TOPICS].get(article_id)
            doc = self._db.table(DOC_TOPICS).get(doc_id=doc_id) if doc_id is not None else None
            return DocTopics.from_dict(doc) if doc is not None else DocTopics(article_id)

    def set_doc_topics(self, doc: DocTopics) -> DocTopics:
        """Set (replace) the document-level topics of `doc.article_id`."""
        with self._mutex:
            self._check_writable()
            self._commit([("put", DOC_TOPICS, doc.article_id, doc.to_dict())])
            return doc

    def marked_article_ids(self) -> set[str]:
        """Ids of articles with document topics or a done record: the only ones, with those
        holding spans, whose library row is more than its entry (a million rows draw fast)."""
        with self._mutex:
            self._check_open()
            return set(self._ids[DOC_TOPICS]) | set(self._ids[ARTICLES])

    def is_done(self, article_id: str) -> bool:
        """Whether the article is marked done."""
        with self._mutex:
            self._check_open()
            doc_id = self._ids[ARTICLES].get(article_id)
            doc = self._db.table(ARTICLES).get(doc_id=doc_id) if doc_id is not None else None
            # An article holding suggestions nobody has reviewed yet is not done.
            return bool(doc and doc.get("done")) and article_id not in self._suggested

    def set_done(self, article_id: str, done: bool) -> None:
        """Mark an article done or not done (no write when it already is)."""
        with self._mutex:
            self._check_writable()
            doc_id = self._ids[ARTICLES].get(article_id)
            doc = self._db.table(ARTICLES).get(doc_id=doc_id) if doc_id is not None else None
            if bool(doc and doc.get("done")) == bool(done):  # the flag, whatever suggestions are open
                return
            self._commit([("put", ARTICLES, article_id, {"article_id": article_id, "done": bool(done)})])

    # --- batches of topic edits (renaming, merging and deleting topics) ---------------------

    def iter_doc_topics(self) -> list[DocTopics]:
        """Every stored set of document-level topics (articles whose topics were never set are absent)."""
        with self._mutex:
            self._check_open()
            docs = list(self._tables[DOC_TOPICS].values())
        return [DocTopics.from_dict(doc) for doc in docs]
