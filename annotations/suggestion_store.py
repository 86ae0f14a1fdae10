"""The store's suggestion and rejection tables: the part of `Store` that keeps suggested spans apart.

A mixin of `store.Store` (it uses the store's lock, indexes and journal); kept in its own module
so the store's core stays one idea. See `annotations/suggestions.py` for what a suggestion is.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

from .documents import Damaged
from .model import Span
from .suggestions import BadSuggestion, Suggestion, check_rejection_doc, check_suggestion_doc

__all__ = ["SUGGESTIONS", "REJECTIONS", "SuggestionTables", "check_suggestion_document"]

SUGGESTIONS = "suggestions"
REJECTIONS = "rejections"

_SPANS = "spans"


def check_suggestion_document(table: str, raw_id: str, doc: object) -> None:
    """Raise `Damaged` naming what is wrong with a stored suggestion or rejection, if anything."""
    checker = check_suggestion_doc if table == SUGGESTIONS else check_rejection_doc
    try:
        checker(doc)
    except BadSuggestion as bad:
        raise Damaged(f"document {raw_id} of table {table!r}: {bad}") from None


class SuggestionTables:
    """Suggestions (by id, indexed by article) and rejections (by review key), written through the journal."""

    if TYPE_CHECKING:  # provided by Store
        import threading

        _mutex: threading.RLock
        _ids: dict[str, dict[str, int]]
        _tables: dict[str, dict[str, dict[str, Any]]]
        _suggested: dict[str, set[str]]

        def _check_open(self) -> None: ...
        def _check_writable(self) -> None: ...
        def _commit(self, changes: list[tuple[str, str, str, dict[str, Any] | None]]) -> None: ...

    def _unindex_suggestion(self, article_id: str, suggestion_id: str) -> None:
        ids = self._suggested.get(article_id)
        if ids is not None:
            ids.discard(suggestion_id)
            if not ids:
                del self._suggested[article_id]

    # --- suggestions ------------------------------------------------------------------------------

    def add_suggestions(self, suggestions: Iterable[Suggestion]) -> list[Suggestion]:
        """Store new suggestions with one write and one fsync; ValueError if an id is already stored."""
        batch = list(suggestions)
        with self._mutex:
            self._check_writable()
            seen: set[str] = set()
            for suggestion in batch:
                if not isinstance(suggestion, Suggestion):
                    raise TypeError(f"expected a Suggestion, got {type(suggestion).__name__}")
                if suggestion.id in self._ids[SUGGESTIONS] or suggestion.id in self._ids[_SPANS] or suggestion.id in seen:
                    raise ValueError(f"span {suggestion.id} is already stored")
                seen.add(suggestion.id)
            if batch:
                self._commit([("put", SUGGESTIONS, s.id, s.to_dict()) for s in batch])
            return batch

    def _suggestion(self, suggestion_id: str) -> Suggestion | None:
        doc_id = self._ids[SUGGESTIONS].get(suggestion_id)
        doc = self._tables[SUGGESTIONS].get(str(doc_id)) if doc_id is not None else None
        return _suggestion_from_stored(doc) if doc is not None else None

    def get_suggestion(self, suggestion_id: str) -> Suggestion | None:
        """The open suggestion with this id, or None."""
        with self._mutex:
            self._check_open()
            return self._suggestion(suggestion_id)

    def suggestions_for(self, article_id: str) -> list[Suggestion]:
        """The open suggestions of one article, sorted by (start, end, id)."""
        with self._mutex:
            self._check_open()
            found = [self._suggestion(i) for i in self._suggested.get(article_id, ())]
        kept = [s for s in found if s is not None]
        kept.sort(key=lambda s: (s.start, s.end, s.id))
        return kept

    def iter_suggestions(self) -> Iterator[Suggestion]:
        """Every open suggestion, as they stood when called."""
        with self._mutex:
            self._check_open()
            docs = list(self._tables[SUGGESTIONS].values())
        return (_suggestion_from_stored(doc) for doc in docs)

    def suggestion_count(self, article_id: str | None = None) -> int:
        """How many suggestions are open, in all or in one article."""
        with self._mutex:
            self._check_open()
            if article_id is None:
                return len(self._tables[SUGGESTIONS])
            return len(self._suggested.get(article_id, ()))

    def article_ids_with_suggestions(self) -> set[str]:
        """The ids of the articles holding at least one open suggestion."""
        with self._mutex:
            self._check_open()
            return set(self._suggested)

    def rejected_keys(self) -> set[str]:
        """The review keys (`suggestions.review_key`) of every rejected suggestion."""
        with self._mutex:
            self._check_open()
            return set(self._ids[REJECTIONS])


def _suggestion_from_stored(doc: Mapping[str, Any]) -> Suggestion:
    """A suggestion from a document the store checked when it was saved or loaded."""
    return Suggestion(Span.from_stored(doc), doc["source"], doc.get("score"), doc.get("origin") or "")
