"""Suggested spans: a `Span` someone (a pattern, an imported file, a model) proposes, waiting for review.

A `Suggestion` wraps the `Span` it would become, with where it came from (`source`: `pattern`,
`import` or `model`), a `score` where the source gives one, and `origin` (which pattern or file,
for people). Suggestions live apart from spans in the store: they are never exported as
annotations, never counted as spans, and never replace or hide a stored span. Accepting one
turns it into an ordinary span by the person who accepted it (same id); rejecting one leaves a
`Rejection` behind, keyed by article, offsets and topics, so the same suggestion is not offered
again. An article with open suggestions is not "done".
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any, Iterable, Mapping

from .model import Span, clean_label, now_iso

__all__ = [
    "SOURCES",
    "Suggestion",
    "Rejection",
    "BadSuggestion",
    "review_key",
    "fresh_suggestions",
]

SOURCES: tuple[str, ...] = ("pattern", "import", "model")


class BadSuggestion(ValueError):
    """A suggestion or rejection document with a missing or wrongly typed field (one line)."""


def review_key(article_id: str, start: int, end: int, topics: Iterable[str]) -> str:
    """What makes two suggestions "the same": article, offsets and topics (order ignored)."""
    return f"{article_id}:{start}:{end}:" + "\x1f".join(sorted(topics))


def _int(data: Mapping[str, Any], name: str) -> int:
    value = data.get(name)
    if type(value) is not int or value < 0:
        raise BadSuggestion(f"{name!r} must be a whole number >= 0, not {value!r}")
    return value


def _str(data: Mapping[str, Any], name: str, *, required: bool = True) -> str:
    value = data.get(name, None if required else "")
    if not isinstance(value, str) or (required and not value):
        raise BadSuggestion(f"{name!r} must be text, not {value!r}")
    return value


def _topics(data: Mapping[str, Any]) -> tuple[str, ...]:
    topics = data.get("topics")
    if not isinstance(topics, list) or not topics or not all(isinstance(t, str) and t.strip() for t in topics):
        raise BadSuggestion(f"'topics' must be a list of topic names, not {topics!r}")
    return tuple(topics)


def _score(value: object) -> float | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise BadSuggestion(f"'score' must be a number or null, not {value!r}")
    return float(value)


def _source(value: object) -> str:
    if value not in SOURCES:
        raise BadSuggestion(f"'source' must be one of {', '.join(SOURCES)}, not {value!r}")
    return str(value)


@dataclass(frozen=True)
class Suggestion:
    """A span proposed for review. `span` is what accepting it stores (with the acceptor as annotator)."""

    span: Span
    source: str
    score: float | None = None
    origin: str = ""

    def __post_init__(self) -> None:
        _source(self.source)
        object.__setattr__(self, "score", _score(self.score))
        object.__setattr__(self, "origin", clean_label(self.origin))
        if not self.span.topics:
            raise BadSuggestion("a suggestion needs a topic")

    @property
    def id(self) -> str:
        """The span id, kept when the suggestion is accepted."""
        return self.span.id

    @property
    def article_id(self) -> str:
        return self.span.article_id

    @property
    def start(self) -> int:
        return self.span.start

    @property
    def end(self) -> int:
        return self.span.end

    @property
    def text(self) -> str:
        return self.span.text

    @property
    def topics(self) -> tuple[str, ...]:
        return self.span.topics

    @property
    def key(self) -> str:
        """Its `review_key`: a rejection with this key keeps it from being offered again."""
        return review_key(self.span.article_id, self.span.start, self.span.end, self.span.topics)

    def accepted(self, annotator: str) -> Span:
        """The ordinary span accepting it makes: same id and place, by `annotator`, stamped now."""
        stamp = now_iso()
        return replace(self.span, annotator=annotator, created=stamp, updated=stamp)

    def rejected(self, annotator: str) -> "Rejection":
        """The record that keeps this suggestion from being offered again."""
        span = self.span
        return Rejection(self.key, span.article_id, span.start, span.end, span.text, span.topics,
                         self.source, annotator, now_iso())

    def to_dict(self) -> dict[str, Any]:
        """The stored document: the span's fields plus `source`, `score` and `origin`."""
        data = self.span.to_dict()
        data.update(source=self.source, score=self.score, origin=self.origin)
        return data

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Suggestion":
        """The inverse of `to_dict`; `BadSuggestion` (one line) when a field is missing or of the wrong type."""
        check_suggestion_doc(data)
        span = Span.from_dict(data)
        return cls(span, str(data["source"]), data.get("score"), str(data.get("origin") or ""))


def check_suggestion_doc(data: object) -> None:
    """Raise `BadSuggestion` naming the first wrong field of a stored suggestion document."""
    if not isinstance(data, Mapping):
        raise BadSuggestion("a suggestion must be an object")
    _str(data, "id")
    _str(data, "article_id")
    start, end = _int(data, "start"), _int(data, "end")
    if end < start:
        raise BadSuggestion(f"offsets out of order: {start}..{end}")
    _str(data, "text", required=False)
    _topics(data)
    _source(data.get("source"))
    _score(data.get("score"))
    _str(data, "origin", required=False)


@dataclass(frozen=True)
class Rejection:
    """A suggestion someone turned down, remembered so it is not offered again."""

    key: str
    article_id: str
    start: int
    end: int
    text: str
    topics: tuple[str, ...]
    source: str = "pattern"
    annotator: str = ""
    rejected: str = ""

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "key": self.key,
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "topics": list(self.topics),
            "source": self.source,
            "annotator": self.annotator,
            "rejected": self.rejected,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Rejection":
        """The inverse of `to_dict`; `BadSuggestion` when a field is missing or of the wrong type."""
        check_rejection_doc(data)
        return cls(
            str(data["key"]), str(data["article_id"]), int(data["start"]), int(data["end"]),
            str(data.get("text") or ""), tuple(data["topics"]), str(data.get("source") or "pattern"),
            str(data.get("annotator") or ""), str(data.get("rejected") or ""),
        )


def check_rejection_doc(data: object) -> None:
    """Raise `BadSuggestion` naming the first wrong field of a stored rejection document."""
    if not isinstance(data, Mapping):
        raise BadSuggestion("a rejection must be an object")
    _str(data, "key")
    _str(data, "article_id")
    _int(data, "start")
    _int(data, "end")
    _topics(data)


def fresh_suggestions(
    candidates: Iterable[Suggestion],
    *,
    spans: Iterable[Span] = (),
    suggestions: Iterable[Suggestion] = (),
    rejected: set[str] | frozenset[str] = frozenset(),
) -> list[Suggestion]:
    """The candidates worth offering: not rejected before, not already suggested, not already tagged.

    A candidate is dropped when a stored span covers the same offsets with all its topics (it
    is already annotated), when an open suggestion has its key, or when its key was rejected.
    Candidates that merely overlap stored spans are kept: they are drawn under them, never
    over them. Duplicates among the candidates keep the first.
    """
    tagged: dict[tuple[str, int, int], set[str]] = {}
    for span in spans:
        tagged.setdefault((span.article_id, span.start, span.end), set()).update(span.topics)
    seen = set(rejected)
    seen.update(s.key for s in suggestions)
    kept: list[Suggestion] = []
    for candidate in candidates:
        key = candidate.key
        if key in seen:
            continue
        have = tagged.get((candidate.article_id, candidate.start, candidate.end))
        if have is not None and set(candidate.topics) <= have:
            continue
        seen.add(key)
        kept.append(candidate)
    return kept
