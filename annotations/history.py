"""Undo and redo for every change a person makes to spans, document topics and topics.

`History` sits between the app and the `Store`: each edit goes through it, is written to the
store (durable when the call returns) and is remembered as a `Change` holding the document
before and after. Undo writes the "before" back; redo writes the "after" again. Both are
ordinary store writes, so an undo is as safe on disk as the edit it reverses.

Several edits made as one action (creating a topic and tagging with it) are grouped with
`step()` and undone together. Undo and redo can be scoped to the articles on screen: edits to
different articles never depend on each other, so undoing the latest edit of this article while
a later one of another article stays is safe. Consecutive resizes of one span (`merge=True`)
are one step, so growing then shrinking a span undoes at once.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass
from typing import Collection, Iterable, Iterator, Literal, Sequence, Union

from .model import DocTopics, Span, Topic
from .store import Store, StoreError
from .suggestions import Rejection, Suggestion

__all__ = ["Change", "History", "BatchSide"]

Kind = Literal["span", "doc_topics", "topic", "group", "batch", "suggestion", "rejection"]


@dataclass(frozen=True)
class BatchSide:
    """One side ("before" or "after") of a batch `Change`: what undo or redo writes back."""

    parts: tuple["Change", ...]
    side: Literal["before", "after"]


Doc = Union[Span, DocTopics, Topic, BatchSide, Suggestion, Rejection]


@dataclass(frozen=True)
class Change:
    """One reversible edit: `before` is None for a creation, `after` is None for a deletion."""

    kind: Kind
    before: Doc | None
    after: Doc | None
    label: str
    parts: tuple["Change", ...] = ()
    """For a "group" (edits made one after another as one step) or a "batch" (documents changed
    with one store write): the single changes it is made of, in order."""

    @property
    def article_ids(self) -> frozenset[str]:
        """Every article the change touched (empty for a change to topics only)."""
        if self.kind in ("group", "batch"):
            return frozenset(article for part in self.parts for article in part.article_ids)
        doc = self.after or self.before
        article = getattr(doc, "article_id", None)
        return frozenset((article,)) if article else frozenset()

    @property
    def article_id(self) -> str | None:
        """The one article the change touched, when it touched exactly one."""
        ids = self.article_ids
        return next(iter(ids)) if len(ids) == 1 else None

    def within(self, scope: Collection[str] | None) -> bool:
        """Whether the change touched only articles in `scope` (any change, when `scope` is None)."""
        if scope is None:
            return True
        ids = self.article_ids
        return bool(ids) and ids <= set(scope)


class History:
    """A session's edits, undoable and redoable in order, applied through a `Store`."""

    def __init__(self, store: Store, *, limit: int = 10_000) -> None:
        self.store = store
        self.limit = limit
        self._done: list[Change] = []
        self._undone: list[Change] = []
        self._group: list[Change] | None = None
        self._new_topics: set[str] = set()  # topics created this session (see _drop_orphaned_new_topics)

    @property
    def can_undo(self) -> bool:
        """Whether there is an edit to undo."""
        return bool(self._done)

    @property
    def can_redo(self) -> bool:
        """Whether there is an undone edit to redo."""
        return bool(self._undone)

    # -- edits ---------------------------------------------------------------------------
    def add_span(self, span: Span, *, label: str = "add span") -> Span:
        """Save a new span."""
        saved = self.store.add_span(span)
        self._record(Change("span", None, saved, label))
        return saved

    def update_span(self, span: Span, *, label: str = "edit span", merge: bool = False) -> Span:
        """Replace a stored span (same id) with `span`.

        With `merge`, an edit right after another edit of the same span with the same label
        joins it: one undo takes both back (a span grown by a word, then shrunk by a letter).
        """
        before = self.store.get_span(span.id)
        saved = self.store.update_span(span)
        last = self._done[-1] if self._done and self._group is None else None
        if (
            merge
            and last is not None
            and last.kind == "span"
            and last.label == label
            and isinstance(last.after, Span)
            and last.after == before
        ):
            self._done[-1] = Change("span", last.before, saved, label)
            self._forget_redo(self._done[-1])
        else:
            self._record(Change("span", before, saved, label))
        return saved

    def delete_span(self, span_id: str, *, label: str = "delete span") -> Span:
        """Delete a span; undo brings it back with the same id."""
        deleted = self.store.delete_span(span_id)
        self._record(Change("span", deleted, None, label))
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
        if before is None:
            self._new_topics.add(saved.name)
        self._record(Change("topic", before, saved, "topic"))
        return saved

    @contextmanager
    def step(self, label: str) -> Iterator[None]:
        """Record every edit made inside the block as one change, undone and redone together.

        If the block raises, what it already wrote stays recorded (as the step so far), so an
        undo can still take it back.
        """
        if self._group is not None:  # nested: the outer step holds everything
            yield
            return
        self._group = []
        try:
            yield
        finally:
            parts, self._group = self._group, None
            if len(parts) == 1:
                self._record(parts[0])
            elif parts:
                self._record(Change("group", None, None, label, tuple(parts)))

    # -- undo / redo ---------------------------------------------------------------------
    @staticmethod
    def _latest(changes: list[Change], scope: Collection[str] | None) -> int | None:
        for index in range(len(changes) - 1, -1, -1):
            if changes[index].within(scope):
                return index
        return None

    def next_undo(self, scope: Collection[str] | None = None) -> Change | None:
        """What `undo(scope)` would reverse, without reversing it."""
        index = self._latest(self._done, scope)
        return None if index is None else self._done[index]

    def next_redo(self, scope: Collection[str] | None = None) -> Change | None:
        """What `redo(scope)` would apply again, without applying it."""
        index = self._latest(self._undone, scope)
        return None if index is None else self._undone[index]

    def undo(self, scope: Collection[str] | None = None) -> Change | None:
        """Reverse the latest edit (touching only the articles in `scope`, when given); None when
        there is none."""
        index = self._latest(self._done, scope)
        if index is None:
            return None
        change = self._done[index]
        self._reverse(change)  # a failed write leaves the stacks as they were
        del self._done[index]
        self._undone.append(change)
        return change

    def redo(self, scope: Collection[str] | None = None) -> Change | None:
        """Apply again the latest undone edit (in `scope`, when given); None when there is none."""
        index = self._latest(self._undone, scope)
        if index is None:
            return None
        change = self._undone[index]
        self._replay(change)
        del self._undone[index]
        self._done.append(change)
        return change

    def _reverse(self, change: Change) -> None:
        if change.kind == "group":
            for part in reversed(change.parts):
                self._reverse(part)
        else:
            self._apply(change.kind, change.after, change.before)

    def _replay(self, change: Change) -> None:
        if change.kind == "group":
            for part in change.parts:
                self._replay(part)
        else:
            self._apply(change.kind, change.before, change.after)

    def _forget_redo(self, change: Change) -> None:
        """A new edit makes the undone edits of the same articles (all, for a topic edit) unrepeatable."""
        ids = change.article_ids
        self._undone = [undone for undone in self._undone if ids and undone.article_ids and not (undone.article_ids & ids)]

    def _record(self, change: Change) -> None:
        change = self._drop_orphaned_new_topics(change)
        if self._group is not None:
            self._group.append(change)
            return
        self._done.append(change)
        if len(self._done) > self.limit:
            del self._done[0]
        self._forget_redo(change)

    def _apply(self, kind: Kind, current: Doc | None, target: Doc | None) -> None:
        """Make the store hold `target` where it now holds `current`."""
        store = self.store
        if kind == "span":
            if target is None:
                assert isinstance(current, Span)
                store.delete_span(current.id)
            elif current is None:
                assert isinstance(target, Span)
                store.add_span(target)
            else:
                assert isinstance(target, Span)
                store.update_span(target)
        elif kind == "batch":
            assert isinstance(target, BatchSide)
            self._write_side(target)
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

    # -- batches: several documents changed as one undoable step --------------------------
    def record_batch(self, label: str, parts: Sequence[Change]) -> Change:
        """Write every part's "after" with one store write (all or nothing) and record them as one step.

        Undo writes every part's "before" back in one write; redo writes the "after" again.
        """
        change = Change("batch", BatchSide(tuple(parts), "before"), BatchSide(tuple(parts), "after"), label, tuple(parts))
        self._write_side(change.after)  # type: ignore[arg-type]
        self._record(change)
        return change

    def _write_side(self, side: BatchSide) -> None:
        puts: list[Span | Topic | DocTopics | Suggestion | Rejection] = []
        span_deletions: list[str] = []
        topic_deletions: list[str] = []
        suggestion_deletions: list[str] = []
        rejection_deletions: list[str] = []
        for part in side.parts:
            doc = part.after if side.side == "after" else part.before
            other = part.before if side.side == "after" else part.after
            if doc is not None:
                assert isinstance(doc, (Span, Topic, DocTopics, Suggestion, Rejection))
                puts.append(doc)
            elif isinstance(other, Span):
                span_deletions.append(other.id)
            elif isinstance(other, Topic):
                topic_deletions.append(other.name)
            elif isinstance(other, DocTopics):
                puts.append(DocTopics(other.article_id))
            elif isinstance(other, Suggestion):
                suggestion_deletions.append(other.id)
            elif isinstance(other, Rejection):
                rejection_deletions.append(other.key)
        extra = {}
        if suggestion_deletions or rejection_deletions:  # only then: the store's core keywords stay as they were
            extra = {"delete_suggestions": suggestion_deletions, "delete_rejections": rejection_deletions}
        self.store.write_batch(put=puts, delete_spans=span_deletions, delete_topics=topic_deletions, **extra)

    # -- suggestions and tagging every occurrence: one store write, one undo -----------------
    def add_spans(
        self, spans: Iterable[Span], *, label: str = "tag every occurrence", updates: Iterable[tuple[Span, Span]] = ()
    ) -> list[Span]:
        """Save new spans (and `updates`, (stored, changed) pairs) in one write; one undo takes them all back."""
        batch = list(spans)
        parts = [Change("span", None, span, label) for span in batch]
        parts += [Change("span", before, after, label) for before, after in updates]
        if parts:
            self.record_batch(label, parts)
        return batch

    def add_suggestions(
        self, suggestions: Iterable[Suggestion], *, topics: Iterable[Topic] = (), label: str = "suggest"
    ) -> list[Suggestion]:
        """Store new suggestions (and the new `topics` they carry) in one write; one undo removes them all."""
        batch = list(suggestions)
        parts = [Change("topic", None, topic, label) for topic in topics]
        parts += [Change("suggestion", None, suggestion, label) for suggestion in batch]
        if parts:
            self.record_batch(label, parts)
        return batch

    def review(
        self,
        accept: Iterable[Suggestion] = (),
        reject: Iterable[Suggestion] = (),
        *,
        annotator: str = "",
    ) -> list[Span]:
        """Accept suggestions (each becomes an ordinary span by `annotator`, same id) and reject others, in one undoable write.

        A rejection is remembered so the same suggestion is not offered again; undo forgets it
        and brings the suggestion back. Returns the spans accepting made.
        """
        accepted, rejected = list(accept), list(reject)
        if not accepted and not rejected:
            return []
        label = "accept" if not rejected else "reject" if not accepted else "review"
        parts: list[Change] = []
        spans: list[Span] = []
        for suggestion in accepted:
            span = suggestion.accepted(annotator)
            spans.append(span)
            parts += [Change("suggestion", suggestion, None, label), Change("span", None, span, label)]
        for suggestion in rejected:
            parts += [Change("suggestion", suggestion, None, label),
                      Change("rejection", None, suggestion.rejected(annotator), label)]
        self.record_batch(label, parts)
        return spans

    def _drop_orphaned_new_topics(self, change: Change) -> Change:
        """A span edit that took away the last use of a topic created this session also deletes that topic.

        A typo in the picker makes a topic; removing its one span should not leave it offered in
        every export. The topic deletion joins the span edit as one undoable step.
        """
        if change.kind != "span" or not isinstance(change.before, Span) or not self._new_topics:
            return change
        after_topics = set(change.after.topics) if isinstance(change.after, Span) else set()
        lost = [name for name in change.before.topics if name not in after_topics and name in self._new_topics]
        orphans = [name for name in lost if not _topic_in_use(self.store, name)]
        topics = [topic for topic in (self.store.topic(name) for name in orphans) if topic is not None]
        if not topics:
            return change
        try:
            self.store.write_batch(delete_topics=[topic.name for topic in topics])
        except StoreError:
            return change  # the span edit is saved and stays undoable; the topic simply stays
        self._new_topics.difference_update(topic.name for topic in topics)
        parts = (change, *(Change("topic", topic, None, "delete topic") for topic in topics))
        return Change("batch", BatchSide(parts, "before"), BatchSide(parts, "after"), change.label, parts)


def _topic_in_use(store: Store, name: str, spans: Iterable[Span] | None = None) -> bool:
    """Whether any span or any article's own topics carry `name`."""
    if any(name in span.topics for span in (store.iter_spans() if spans is None else spans)):
        return True
    return any(name in doc.topics for doc in store.iter_doc_topics())
