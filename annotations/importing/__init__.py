"""Importing spans from newsdesk JSON/JSONL, Prodigy JSONL, doccano JSONL and Label Studio JSON.

The file is read and checked whole first (`importing.files`): one bad field refuses the file
in one line, `FILE:LINE: reason`, and nothing is written. Each record is then matched to a
library article through the library's index: by the SHA-256 of the record's own text (an
article's id is the head of its text's hash, so no article file is read when they agree), else
by its id, else by its text hash. Offsets counted in UTF-16 code units are detected and
converted (`importing.placing`); a span whose quoted text no longer sits at its offsets is
re-anchored by that text when the place is unambiguous, otherwise skipped with a one-line
reason; offsets are widened to grapheme boundaries where they are not on one.

Nothing in the store is overwritten: a span whose id is already stored, or an identical span
(same article, offsets and topics), is skipped, as are document topics of an article that has
some. New topics, the spans, document topics and done marks (`"done": true`) go into the store
in one batch (`Store.add_batch`): one journal append, one fsync, all or nothing. Spans a file
only proposes (Label Studio "predictions") are placed by the same rules and come in, in that
same batch, as suggestions to review (source "model", with the prediction's score), except
those rejected before or already there as a span or suggestion.
"""

from __future__ import annotations

import gc
import os
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Protocol

from newsdesk.annotations.formats.checks import clean_name, clean_note
from newsdesk.annotations.formats.record import IncomingArticle, IncomingSpan
from newsdesk.annotations.importing.files import FORMAT_NAMES, ImportRefused, RecordFile, read_records
from newsdesk.annotations.importing.placing import CONTEXT_CHARS, anchor, has_astral, snap, utf16_reading
from newsdesk.annotations.model import (
    Article,
    DocTopics,
    Span,
    Topic,
    clean_label,
    counted,
    now_iso,
    text_hash,
)
from newsdesk.annotations.suggestions import Suggestion, fresh_suggestions

__all__ = ["ImportRefused", "ImportReport", "import_spans", "read_records", "anchor", "CONTEXT_CHARS", "FORMAT_NAMES"]


@dataclass
class ImportReport:
    """What an import added, moved and left out."""

    path: Path
    format: str = ""
    records: int = 0
    added: int = 0
    reanchored: int = 0
    utf16: int = 0  # spans whose offsets were UTF-16 code units, converted (also counted as re-anchored)
    snapped: int = 0
    skipped: int = 0
    duplicates: int = 0
    already_present: int = 0
    repeated: int = 0  # spans whose id appears earlier in the same file
    doc_topics_set: int = 0
    done_set: int = 0
    suggestions: int = 0  # proposed spans (Label Studio predictions) stored as suggestions to review
    suggestions_left: int = 0  # predictions rejected before, already there, or not placeable
    topics_added: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def new_topics_line(self) -> str:
        """The topics the import created, e.g. "2 new topics: energy, trade" ("" when none)."""
        if not self.topics_added:
            return ""
        names = ", ".join(self.topics_added[:5]) + (", …" if len(self.topics_added) > 5 else "")
        return f"{counted(len(self.topics_added), 'new topic')}: {names}"

    def summary(self) -> str:
        """One line for people."""
        parts = [f"{self.reanchored:,} re-anchored"]
        if self.utf16:
            parts[0] += f" ({self.utf16:,} from UTF-16 offsets)"
        if self.snapped:
            parts.append(f"{counted(self.snapped, 'span')} widened to a grapheme boundary")
        parts.append(f"{self.skipped:,} skipped")
        extras = []
        if self.topics_added:
            extras.append(self.new_topics_line())
        if self.doc_topics_set:
            extras.append(f"document topics for {counted(self.doc_topics_set, 'article')}")
        if self.done_set:
            extras.append(f"{counted(self.done_set, 'article')} marked done")
        if self.suggestions:
            extras.append(f"{counted(self.suggestions, 'prediction')} as suggestions to review")
        line = f"imported {counted(self.added, 'span')} from {self.path} ({self.format}): " + ", ".join(parts)
        return line + ("; " + ", ".join(extras) if extras else "")


class _Store(Protocol):
    def get_span(self, span_id: str) -> Span | None: ...
    def spans_for(self, article_id: str) -> list[Span]: ...
    def span_count(self, article_id: str | None = None) -> int: ...
    def topics(self) -> list[Topic]: ...
    def doc_topics(self, article_id: str) -> DocTopics: ...
    def is_done(self, article_id: str) -> bool: ...
    def add_batch(self, spans: Iterable[Span] = (), *, topics: Iterable[Topic] = (),
                  doc_topics: Iterable[DocTopics] = (), done: Iterable[str] = (),
                  suggestions: Iterable[Suggestion] = ()) -> None: ...


class _Library(Protocol):
    entries: list[Any]

    def get(self, article_id: str) -> Any: ...
    def load(self, article_id: str) -> Article: ...


# --- matching ------------------------------------------------------------------------------------


class _ArticleFinder:
    """Finds a record's library article through the library's index; reads a file only when the
    record's own text is not the article's."""

    def __init__(self, library: _Library) -> None:
        self.library = library
        self.by_hash: dict[str, str] | None = None

    def _load(self, article_id: str) -> Article | None:
        if self.library.get(article_id) is None:
            return None
        return self.library.load(article_id)

    def find(self, record: IncomingArticle) -> tuple[str, str] | None:
        """(article id, article text) for `record`, or None when the library lacks it."""
        own = text_hash(record.text) if record.text is not None else None
        if own is not None and self.library.get(own[:16]) is not None:
            return own[:16], record.text  # the record carries the article's very text
        if record.article_id:
            article = self._load(record.article_id)
            if article is not None:
                return article.id, article.text
        hashes = [h for h in (record.text_sha256, own) if h]
        for wanted in hashes:
            article = self._load(wanted[:16])
            if article is not None and article.text_sha256 == wanted:
                return article.id, article.text
        if not hashes:
            return None
        if self.by_hash is None:  # ids made some other way: hash every article, once
            self.by_hash = {}
            for entry in self.library.entries:
                article = self._load(entry.id)
                if article is not None:
                    self.by_hash.setdefault(article.text_sha256, entry.id)
        for wanted in hashes:
            if wanted in self.by_hash:
                article = self._load(self.by_hash[wanted])
                if article is not None:
                    return article.id, article.text
        return None


def _topic_key(start: int, end: int, topics: Iterable[str]) -> tuple[int, int, tuple[str, ...]]:
    return start, end, tuple(sorted(topics))


def _where(record: IncomingArticle) -> str:
    return f"line {record.line}" + (f" ({record.place})" if record.place else "")


# --- importing -----------------------------------------------------------------------------------


def import_spans(store: _Store, library: _Library, path: Path, *, annotator: str | None = None) -> ImportReport:
    """Add the spans of `path` to `store`, matched to `library` articles; nothing is overwritten.

    `annotator` is credited on spans whose record names nobody (Prodigy and doccano files never
    do). Raises `ImportRefused` (one line: `FILE:LINE: fault`) when the file cannot be read;
    then nothing is added. Everything the import adds is written in one batch, or nothing is.
    """
    # The import builds a few objects per span and frees none until it ends: the cyclic garbage
    # collector would walk them again and again (at 100k spans, as long as the import itself).
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _import(store, library, Path(path), annotator)
    finally:
        if collecting:
            gc.enable()


def _import(store: _Store, library: _Library, path: Path, annotator: str | None) -> ImportReport:
    report = ImportReport(path=path)
    source = RecordFile(path)  # read as the loop goes: a record is let go once its spans are made
    credit = clean_label(annotator or "")
    finder = _ArticleFinder(library)
    batch: list[Span] = []
    batch_ids: set[str] = set()
    seen_keys: dict[str, set[tuple[int, int, tuple[str, ...]]]] = {}
    known_topics = {t.name for t in store.topics()}
    new_topics: dict[str, None] = {}
    doc_updates: dict[str, DocTopics] = {}
    done: dict[str, None] = {}
    empty_store = store.span_count() == 0
    stamp = now_iso()
    other_results = cancelled = 0
    shared: dict[Any, Any] = {}  # equal values many spans repeat (topic lists, times), kept once
    fresh_id = _span_ids()
    utf16_records: list[str] = []
    proposed: dict[str, list[Suggestion]] = {}  # predictions to store as suggestions, by article
    rejected: set[str] | None = None
    for record in source:
        report.records += 1
        where = _where(record)
        other_results += record.extra.get("other_results", 0)
        cancelled += record.extra.get("cancelled", 0)
        answer = record.extra.get("answer")
        if answer not in (None, "accept"):
            report.skipped += len(record.spans)
            report.reasons.append(f"{where}: answer is {answer!r}, not accept ({counted(len(record.spans), 'span')} skipped)")
            continue
        found = finder.find(record)
        if found is None:
            report.suggestions_left += len(record.suggestions)
            if record.spans:
                report.skipped += len(record.spans)
                name = record.article_id or (record.text_sha256 or "")[:16] or "with this text"
                report.reasons.append(
                    f"{where}: article {name} is not in the library ({counted(len(record.spans), 'span')} skipped)"
                )
            continue
        article_id, text = found
        keys = seen_keys.get(article_id)
        if keys is None:
            stored = () if empty_store else store.spans_for(article_id)
            keys = seen_keys[article_id] = {_topic_key(s.start, s.end, s.topics) for s in stored}
        old_text = record.text
        batch_start = len(batch)
        converted = None
        if record.spans and old_text is not None and has_astral(old_text):
            converted = utf16_reading(old_text, record.spans, code_points=record.code_points)
            if converted is not None:
                report.utf16 += len(converted)
                utf16_records.append(where)
        for number, incoming in enumerate(record.spans):
            if converted is not None:
                incoming.start, incoming.end = converted[number]
            placed = anchor(text, incoming, old_text)
            if isinstance(placed, str):
                report.skipped += 1
                report.reasons.append(f"{where}: {placed}")
                continue
            start, end, moved = placed
            snapped = snap(text, start, end)
            if snapped != (start, end):
                report.snapped += 1
                start, end = snapped
            topics = shared.setdefault(incoming.topics, incoming.topics)  # one copy of each topic list
            if incoming.id:
                if incoming.id in batch_ids:
                    report.skipped += 1
                    report.repeated += 1
                    continue
                if not empty_store and store.get_span(incoming.id) is not None:
                    report.skipped += 1
                    report.already_present += 1
                    continue
            key = _topic_key(start, end, topics)
            if key in keys:
                report.skipped += 1
                report.duplicates += 1
                continue
            keys.add(key)
            # The readers hand over topics already checked and cleaned and offsets are placed
            # above, so the span is built without `Span`'s checks (at 100k spans, their cost).
            span = Span.from_stored({
                "id": incoming.id or fresh_id(),
                "article_id": article_id,
                "start": start,
                "end": end,
                "text": text[start:end],
                "topics": topics,
                "note": clean_note(incoming.note),
                "annotator": clean_name(incoming.annotator) or credit,
                "created": shared.setdefault(incoming.created, incoming.created) or stamp,
                "updated": shared.setdefault(incoming.updated, incoming.updated) or incoming.created or stamp,
            })
            batch.append(span)
            batch_ids.add(span.id)
            if moved or converted is not None:
                report.reanchored += 1
            for topic in span.topics:
                if topic not in known_topics:
                    new_topics[topic] = None
        if record.suggestions:
            if rejected is None:
                rejected = store.rejected_keys()
            candidates = _predictions(record, article_id, text, fresh_id, path.name, report)
            planned = proposed.setdefault(article_id, [])
            known = [*store.spans_for(article_id), *batch[batch_start:]]
            fresh = fresh_suggestions(candidates, spans=known, rejected=rejected,
                                      suggestions=[*store.suggestions_for(article_id), *planned])
            report.suggestions_left += len(candidates) - len(fresh)
            planned.extend(fresh)
            new_topics.update((t, None) for s in fresh for t in s.topics if t not in known_topics)
        if record.doc_topics and article_id not in doc_updates and not store.doc_topics(article_id).topics:
            doc_updates[article_id] = DocTopics(article_id, record.doc_topics, record.doc_annotator or credit, stamp)
            new_topics.update((t, None) for t in doc_updates[article_id].topics if t not in known_topics)
        if record.done and article_id not in done and not store.is_done(article_id):
            done[article_id] = None
    report.format = source.format
    if not report.records:
        report.reasons.append(f"{path} holds no records")
    if utf16_records:
        first = ", ".join(utf16_records[:3]) + (", ..." if len(utf16_records) > 3 else "")
        report.reasons.append(
            f"{counted(report.utf16, 'span')} in {counted(len(utf16_records), 'record')} ({first}) had offsets "
            "counted in UTF-16 code units, as older doccano and Label Studio web UIs count: converted to characters"
        )
    _explain(report, other_results, cancelled)
    from newsdesk.annotations.topics import fresh_topics  # lazily: topics reaches the store

    topics = fresh_topics(store.topics(), new_topics)  # next free keys and distinct colours, as `topics add`
    report.added = len(batch)
    suggestions = [s for group in proposed.values() for s in group]
    report.suggestions = len(suggestions)
    store.add_batch(_handed_over(batch), topics=topics, doc_topics=doc_updates.values(), done=done,
                    suggestions=suggestions)
    report.topics_added = [t.name for t in topics]
    report.doc_topics_set = len(doc_updates)
    report.done_set = len(done)
    return report


def _predictions(record: IncomingArticle, article_id: str, text: str, fresh_id: Callable[[], str],
                 origin: str, report: ImportReport) -> list[Suggestion]:
    """The record's predicted spans as suggestions (source "model"), placed as its spans are.

    They get new ids: Label Studio gives an annotation made from a prediction the prediction's
    region ids, and a suggestion must never share an id with a span.
    """
    incoming: list[IncomingSpan] = record.suggestions
    old_text = record.text
    converted = None
    if old_text is not None and has_astral(old_text):
        converted = utf16_reading(old_text, incoming, code_points=record.code_points)
    made: list[Suggestion] = []
    for number, proposal in enumerate(incoming):
        if converted is not None:
            proposal.start, proposal.end = converted[number]
        placed = anchor(text, proposal, old_text)
        if isinstance(placed, str):
            report.suggestions_left += 1
            report.reasons.append(f"{_where(record)}: prediction {placed}")
            continue
        start, end = snap(text, placed[0], placed[1])
        stamp = proposal.created or now_iso()
        span = Span.from_stored({
            "id": fresh_id(), "article_id": article_id, "start": start, "end": end, "text": text[start:end],
            "topics": proposal.topics, "note": clean_note(proposal.note), "annotator": "",
            "created": stamp, "updated": proposal.updated or stamp,
        })
        made.append(Suggestion(span, "model", proposal.score, clean_name(proposal.annotator) or origin))
    return made


def _span_ids() -> Callable[[], str]:
    """New span ids like `new_span_id`'s (32 random hex digits), drawn from the OS 1,024 at a time."""
    pool: list[str] = []

    def fresh() -> str:
        if not pool:
            block = os.urandom(16 * 1024).hex()
            pool.extend(block[i : i + 32] for i in range(0, len(block), 32))
        return pool.pop()

    return fresh


def _handed_over(spans: list[Span]) -> Iterator[Span]:
    """The spans in order, each let go of as the store takes it (the store keeps its own copy)."""
    queue = deque(spans)
    spans.clear()
    while queue:
        yield queue.popleft()


def _explain(report: ImportReport, other_results: int, cancelled: int) -> None:
    """The reasons that sum up a kind of skip rather than one span."""
    if report.already_present:
        report.reasons.append(f"{counted(report.already_present, 'span')} already in the store (same id)")
    if report.repeated:
        report.reasons.append(
            f"{counted(report.repeated, 'span')} repeated in {report.path} (an id seen earlier in the file): the first was kept"
        )
    if report.duplicates:
        copies = "a copy of a span" if report.duplicates == 1 else "copies of spans"
        report.reasons.append(
            f"{counted(report.duplicates, 'span')} skipped as {copies} already there (same offsets and topics)"
        )
    if cancelled:
        report.reasons.append(f"{counted(cancelled, 'cancelled annotation')} left out")
    if other_results:
        report.reasons.append(f"{counted(other_results, 'Label Studio result')} of other kinds (relations, ratings...) left out")
    if report.suggestions_left:
        report.reasons.append(
            f"{counted(report.suggestions_left, 'predicted span')} (Label Studio predictions) not suggested: "
            "rejected before, already there as a span or suggestion, or not placeable"
        )
