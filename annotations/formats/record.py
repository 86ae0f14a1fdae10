"""What every format writer is handed and what every format reader hands back.

An export is a stream of `ExportRecord`s (one article, its chosen spans, its document topics)
written under an `ExportContext` that collects counts and warnings. An import is a stream of
`IncomingArticle`s: what a file says about an article, before it is matched to the library.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable

from newsdesk.annotations.model import Article, DocTopics, Span

__all__ = ["ExportRecord", "ExportContext", "IncomingArticle", "IncomingSpan", "label_name", "carried_spans"]


@dataclass(frozen=True)
class ExportRecord:
    """One article to write: its text and metadata, the spans chosen for it, its document topics.

    `spans` are sorted by (start, end, id). `doc_topics` is None when document topics are not
    exported (or the article has none).
    """

    article: Article
    spans: tuple[Span, ...]
    doc_topics: DocTopics | None
    done: bool


@dataclass
class ExportContext:
    """The settings of one export and what the writers report back.

    `topics` are the names of every topic in the store (for formats that list their labels).
    Writers add to `counts` (e.g. `"dropped_overlaps"`) and append one-line `warnings`;
    `note_once` keeps a warning from repeating per article.
    """

    topics: tuple[str, ...] = ()
    exported: str = ""
    include_doc_topics: bool = True
    counts: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)
    label_map: dict[str, str] = field(default_factory=dict)
    # topics the writers met on spans and on whole articles (Label Studio's config lists them)
    labels_seen: set[str] = field(default_factory=set)
    doc_labels_seen: set[str] = field(default_factory=set)

    def note_once(self, message: str) -> None:
        """Add `message` to the warnings unless it is already there."""
        if message not in self.warnings:
            self.warnings.append(message)

    def label(self, topic: str) -> str:
        """`topic` as a label without whitespace (brat, CoNLL); the renaming is remembered."""
        name = label_name(topic)
        if name != topic:
            self.label_map[topic] = name
        return name


def label_name(topic: str) -> str:
    """A topic name with each run of whitespace replaced by `_` (brat and CoNLL labels are one word)."""
    return "_".join(topic.split())


@dataclass
class IncomingSpan:
    """A span as a file states it: offsets into the file's text, possibly stale."""

    start: int
    end: int
    topics: tuple[str, ...]
    text: str | None = None
    note: str = ""
    annotator: str = ""
    id: str | None = None
    created: str = ""
    updated: str = ""
    score: float | None = None  # a prediction's confidence, where the file gives one


@dataclass
class IncomingArticle:
    """What one record of an imported file says about one article."""

    line: int
    format: str
    place: str = ""  # where in the file, for messages: "" (a line of its own), "item 3", "article 3"
    article_id: str | None = None
    text_sha256: str | None = None
    text: str | None = None
    spans: list[IncomingSpan] = field(default_factory=list)
    doc_topics: tuple[str, ...] = ()
    doc_annotator: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # True when the file marks the article done (newsdesk "done", doccano metadata); None: unsaid.
    done: bool | None = None
    # Spans a file offers without anyone having accepted them (Label Studio "predictions"):
    # imported as suggestions to review (source "model"), never as annotations.
    suggestions: list[IncomingSpan] = field(default_factory=list)
    # True when newsdesk wrote the offsets (its own format, or its carried "newsdesk" key still
    # matching): they count code points, and no UTF-16 reading is tried.
    code_points: bool = False


def carried_spans(spans: Iterable[Span]) -> dict[str, Any]:
    """What newsdesk adds under a `"newsdesk"` key in a foreign format (doccano, Prodigy), so that
    importing the file back restores span ids, notes, annotators and times exactly."""
    return {
        "spans": [
            {key: value for key, value in span.to_dict().items() if key not in ("article_id", "text")}
            for span in spans
        ]
    }
