"""Undo and redo for every change a person makes to spans, document topics and topics.

`History` sits between the app and the `Store`: each edit goes through it, is written to the
store (durable when the call returns) and is remembered as a `Change` holding the document
before and after. Undo writes the "before" back; redo writes the "after" again. Both are
ordinary store writes, so an undo is as safe on disk as the edit it reverses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Literal, Union

from .model import DocTopics, Span, Topic
from .store import Store
from .suggestions import Rejection, Suggestion

__all__ = ["Change", "History", "Batch"]

Kind = Literal["span", "doc_topics", "topic", "batch"]


@dataclass(frozen=True)
class Batch:
    """What a batch edit touched, as it stood on one side of the edit (one write, one undo).

    `before` holds the touched documents that existed before the edit, `after` those that exist
    after it; anything in one and not the other was created or deleted by the edit.
    """

    spans: tuple[Span, ...] = ()
    suggestions: tuple[Suggestion, ...] = ()
    rejections: tuple[Rejection, ...] = ()
    topics: tuple[Topic, ...] = ()

    @property
    def article_ids(self) -> frozenset[str]:
        """Every article the batch touches."""
        docs: list[Span | Suggestion | Rejection] = [*self.spans, *self.suggestions, *self.rejections]
        return frozenset(doc.article_id for doc in docs)

    @property
    def article_id(self) -> str | None:
        """The one article the batch touches, or None when it touches several (or none)."""
        ids = self.article_ids
        return next(iter(ids)) if len(ids) == 1 else None

    def __len__(self) -> int:
        return len(self.spans) + len(self.suggestions) + len(self.rejections) + len(self.topics)


Doc = Union[Span, DocTopics, Topic, Batch]


@dataclass(frozen=True)
class Change:
    """One reversible edit: `before` is None for a creation, `after` is None for a deletion."""

    kind: Kind
    before: Doc | None
    after: Doc | None
    label: str

    @property
    def article_id(self) -> str | None:
        """The article the change touched, when it touched one."""
        if isinstance(self.after, Batch) and isinstance(self.before, Batch):
            return Batch(*(a + b for a, b in zip(_fields(self.before), _fields(self.after)))).article_id
        doc = self.after or self.before
        return getattr(doc, "article_id", None)


class History:
    """A session's edits, undoable and redoable in order, applied through a `Store`."""

    def __init__(self, store: Store, *, limit: int = 10_000) -> None:
        self.store = store
        self.limit = limit
        self._done: list[Change] = []
        self._undone: list[Change] = []

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return bool(self._undone)

    # -- edits ---------------------------------------------------------------------------
    def add_span(self, span: Span) -> Span:
        """Save a new span."""
        saved = self.store.add_span(span)
        self._record(Change("span", None, saved, "add span"))
        return saved

    def update_span(self, span: Span) -> Span:
        """Replace a stored span (same id) with `span`."""
        before = self.store.get_span(span.id)
        saved = self.store.update_span(span)
        self._record(Change("span", before, saved, "edit span"))
        return saved

    def delete_span(self, span_id: str) -> Span:
        """Delete a span; undo brings it back with the same id."""
        deleted = self.store.delete_span(span_id)
        self._record(Change("span", deleted, None, "delete span"))
        return deleted

    def set_doc_topics(self, doc: DocTopics) -> DocTopics:
        """Set the topics of a whole article."""
        before = self.store.doc_topics(doc.article_id)
        saved = self.store.set_doc_topics(doc)
        self._record(Change("doc_topics", before, saved, "article topics"))
        return saved

    def put_topic(self, topic: Topic) -> Topic:
        """Create or change a topic."""
        before = self.store.topic(topic.name)
        saved = self.store.put_topic(topic)
        self._record(Change("topic", before, saved, "topic"))
        return saved

    # -- batches: many documents, one write, one undo ------------------------------------
    def add_spans(self, spans: Iterable[Span], label: str = "tag all") -> list[Span]:
        """Save new spans in one write; one undo removes them all."""
        batch = list(spans)
        if batch:
            self._batch(Batch(), Batch(spans=tuple(batch)), label)
        return batch

    def add_suggestions(
        self, suggestions: Iterable[Suggestion], *, topics: Iterable[Topic] = (), label: str = "suggest"
    ) -> list[Suggestion]:
        """Store new suggestions (and the new `topics` they carry) in one write; one undo removes them all."""
        batch, new_topics = list(suggestions), tuple(topics)
        if batch or new_topics:
            self._batch(Batch(), Batch(suggestions=tuple(batch), topics=new_topics), label)
        return batch

    def review(
        self,
        accept: Iterable[Suggestion] = (),
        reject: Iterable[Suggestion] = (),
        *,
        annotator: str = "",
    ) -> list[Span]:
        """Accept suggestions (each becomes an ordinary span by `annotator`) and reject others, in one undoable write.

        A rejection is remembered so the same suggestion is not offered again; undo forgets it
        and brings the suggestion back. Returns the spans accepting made.
        """
        accepted, rejected = list(accept), list(reject)
        if not accepted and not rejected:
            return []
        spans = tuple(s.accepted(annotator) for s in accepted)
        rejections = tuple(s.rejected(annotator) for s in rejected)
        label = "accept" if accepted and not rejected else "reject" if rejected and not accepted else "review"
        self._batch(Batch(suggestions=tuple(accepted + rejected)), Batch(spans=spans, rejections=rejections), label)
        return list(spans)

    def _batch(self, before: Batch, after: Batch, label: str) -> None:
        self._write(before, after)
        self._record(Change("batch", before, after, label))

    def _write(self, current: Batch, target: Batch) -> None:
        """Make the store hold `target` where it holds `current`, in one write."""
        keep_spans = {s.id for s in target.spans}
        keep_suggestions = {s.id for s in target.suggestions}
        keep_rejections = {r.key for r in target.rejections}
        self.store.write_batch(
            spans=target.spans,
            suggestions=target.suggestions,
            rejections=target.rejections,
            topics=target.topics,
            drop_spans=[s.id for s in current.spans if s.id not in keep_spans],
            drop_suggestions=[s.id for s in current.suggestions if s.id not in keep_suggestions],
            drop_rejections=[r.key for r in current.rejections if r.key not in keep_rejections],
            drop_topics=[t.name for t in current.topics if t.name not in {t.name for t in target.topics}],
        )

    # -- undo / redo ---------------------------------------------------------------------
    def undo(self) -> Change | None:
        """Reverse the latest edit; None when there is nothing to undo."""
        if not self._done:
            return None
        change = self._done[-1]
        self._apply(change.kind, change.after, change.before)  # a failed write leaves the stacks as they were
        self._done.pop()
        self._undone.append(change)
        return change

    def redo(self) -> Change | None:
        """Apply again the latest undone edit; None when there is nothing to redo."""
        if not self._undone:
            return None
        change = self._undone[-1]
        self._apply(change.kind, change.before, change.after)
        self._undone.pop()
        self._done.append(change)
        return change

    def _record(self, change: Change) -> None:
        self._done.append(change)
        if len(self._done) > self.limit:
            del self._done[0]
        self._undone.clear()

    def _apply(self, kind: Kind, current: Doc | None, target: Doc | None) -> None:
        """Make the store hold `target` where it now holds `current`."""
        store = self.store
        if kind == "batch":
            assert isinstance(current, Batch) and isinstance(target, Batch)
            self._write(current, target)
        elif kind == "span":
            if target is None:
                assert isinstance(current, Span)
                store.delete_span(current.id)
            elif current is None:
                assert isinstance(target, Span)
                store.add_span(target)
            else:
                assert isinstance(target, Span)
                store.update_span(target)
        elif kind == "doc_topics":
            assert isinstance(target, DocTopics) or target is None
            article_id = (target or current).article_id  # type: ignore[union-attr]
            store.set_doc_topics(target or DocTopics(article_id))
        else:
            if target is None:
                assert isinstance(current, Topic)
                store.delete_topic(current.name)
            else:
                assert isinstance(target, Topic)
                store.put_topic(target)


def _fields(batch: Batch) -> tuple[tuple, ...]:
    return (batch.spans, batch.suggestions, batch.rejections, batch.topics)
