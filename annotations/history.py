"""Undo and redo for every change a person makes to spans, document topics and topics.

`History` sits between the app and the `Store`: each edit goes through it, is written to the
store (durable when the call returns) and is remembered as a `Change` holding the document
before and after. Undo writes the "before" back; redo writes the "after" again. Both are
ordinary store writes, so an undo is as safe on disk as the edit it reverses.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, Union

from .model import DocTopics, Span, Topic
from .store import Store

__all__ = ["Change", "History"]

Kind = Literal["span", "doc_topics", "topic"]
Doc = Union[Span, DocTopics, Topic]


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
