"""Importing spans from newsdesk JSON/JSONL, Prodigy JSONL and doccano JSONL into the store.

The format is told from the content. Each record is matched to a library article by its id,
else by the SHA-256 of its text, else by its exact text. A span whose quoted text no longer sits
at its offsets is re-anchored by that text when the place is unambiguous: the text occurs once
in the article, or one occurrence agrees best with the span's old surroundings. Otherwise it is
skipped with a one-line reason. Offsets are snapped to grapheme boundaries. Nothing in the
store is overwritten: a span whose id is already there, or an identical span (same article,
offsets and topics), is skipped. Everything is read and checked before anything is written,
and the spans are added in one batch.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Protocol

from newsdesk.annotations import text as textrules
from newsdesk.annotations.formats import doccano, newsdesk, prodigy
from newsdesk.annotations.formats.record import IncomingArticle, IncomingSpan
from newsdesk.annotations.model import Article, DocTopics, Span, Topic, counted, new_span_id, normalise_topics, now_iso, text_hash

__all__ = ["ImportRefused", "ImportReport", "import_spans", "read_records", "CONTEXT_CHARS"]

# How many characters on each side of a span are compared when re-anchoring it.
CONTEXT_CHARS = 32


class ImportRefused(Exception):
    """A file that cannot be imported; `str()` is one line naming the file, the place and the fault."""

    def __init__(self, path: Path, where: str, reason: str) -> None:
        self.path = path
        self.where = where
        self.reason = reason
        place = f"{path}, {where}" if where else str(path)
        super().__init__(f"{place}: {reason}")


@dataclass
class ImportReport:
    """What an import added, moved and left out."""

    path: Path
    format: str = ""
    records: int = 0
    added: int = 0
    reanchored: int = 0
    snapped: int = 0
    skipped: int = 0
    duplicates: int = 0
    already_present: int = 0
    doc_topics_set: int = 0
    topics_added: list[str] = field(default_factory=list)
    reasons: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for people."""
        return (
            f"imported {counted(self.added, 'span')} from {self.path} ({self.format}): "
            f"{self.reanchored} re-anchored, {self.skipped} skipped"
        )


class _Store(Protocol):
    def get_span(self, span_id: str) -> Span | None: ...
    def spans_for(self, article_id: str) -> list[Span]: ...
    def add_spans(self, spans: Iterable[Span]) -> list[Span]: ...
    def topics(self) -> list[Topic]: ...
    def doc_topics(self, article_id: str) -> DocTopics: ...


class _Library(Protocol):
    entries: list[Any]

    def get(self, article_id: str) -> Any: ...
    def load(self, article_id: str) -> Article: ...


# --- reading -------------------------------------------------------------------------------------

_FORMAT_NAMES = {"newsdesk": "newsdesk", "prodigy": "Prodigy", "doccano": "doccano"}


def _line_record(obj: Any, line: int) -> IncomingArticle:
    if newsdesk.is_newsdesk(obj):
        return newsdesk.read_article(obj, line)
    if prodigy.is_prodigy(obj):
        return prodigy.read_task(obj, line)
    if doccano.is_doccano(obj):
        return doccano.read_example(obj, line)
    raise ValueError('not a newsdesk, Prodigy or doccano record (expected an object with "text" and spans)')


def read_records(path: Path) -> tuple[str, list[IncomingArticle]]:
    """The detected format name and the records of `path`; raises `ImportRefused` on bad input."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportRefused(path, "", f"cannot read the file: {error.strerror or error}") from None
    try:
        content = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(path, "", f"not UTF-8 text (byte {error.start}): export the file as UTF-8 JSON") from None
    stripped = content.strip()
    if not stripped:
        return "empty", []  # an export of nothing is a valid, empty JSONL file
    if stripped[0] == "[":
        raise ImportRefused(
            path, "", "a JSON list is not a format newsdesk imports: use newsdesk json/jsonl, Prodigy or doccano JSONL"
        )
    whole: Any = None
    if stripped[0] == "{":
        try:
            whole = json.loads(stripped)
        except json.JSONDecodeError:
            whole = None  # several objects: JSONL, read line by line below
    if isinstance(whole, dict) and newsdesk.is_newsdesk(whole) and "articles" in whole:
        if whole.get("version") != newsdesk.VERSION:
            raise ImportRefused(path, "", f"newsdesk format version {whole.get('version')!r} is not supported")
        articles = whole["articles"]
        if not isinstance(articles, list):
            raise ImportRefused(path, "", '"articles" must be a list')
        records = []
        for index, obj in enumerate(articles, 1):
            try:
                records.append(newsdesk.read_article(obj, index))
            except ValueError as error:
                raise ImportRefused(path, f"article {index}", str(error)) from None
        return "newsdesk json", records
    records = []
    for number, raw in enumerate(content.split("\n"), 1):
        line = raw.strip()
        if not line:
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as error:
            raise ImportRefused(path, f"line {number}", f"not JSON ({error.msg} at column {error.colno})") from None
        try:
            records.append(_line_record(obj, number))
        except ValueError as error:
            raise ImportRefused(path, f"line {number}", str(error)) from None
    kinds = Counter(r.format for r in records)
    name = " + ".join(sorted(kinds)) if kinds else "empty"
    if name == "newsdesk":
        name = "newsdesk jsonl"
    return name, records


# --- matching and anchoring ---------------------------------------------------------------------


class _ArticleFinder:
    """Finds library articles by id, text hash or exact text, loading each at most once."""

    def __init__(self, library: _Library) -> None:
        self.library = library
        self.loaded: dict[str, Article] = {}
        self.by_hash: dict[str, str] | None = None

    def _load(self, article_id: str) -> Article | None:
        if article_id not in self.loaded:
            if self.library.get(article_id) is None:
                return None
            self.loaded[article_id] = self.library.load(article_id)
        return self.loaded[article_id]

    def find(self, record: IncomingArticle) -> Article | None:
        if record.article_id:
            article = self._load(record.article_id)
            if article is not None:
                return article
        digest = record.text_sha256 or (text_hash(record.text) if record.text is not None else None)
        hashes = [digest] if digest else []
        if record.text is not None and record.text_sha256:
            hashes.append(text_hash(record.text))
        for wanted in hashes:
            article = self._load(wanted[:16])  # an article's id is the head of its text's hash
            if article is not None and article.text_sha256 == wanted:
                return article
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
                return self._load(self.by_hash[wanted])
        return None


def _occurrences(text: str, needle: str) -> list[int]:
    found = []
    at = text.find(needle)
    while at != -1:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < len(a) and n < len(b) and a[n] == b[n]:
        n += 1
    return n


def anchor(text: str, span: IncomingSpan, old_text: str | None) -> tuple[int, int, bool] | str:
    """Where `span` sits in `text`: (start, end, moved), or a one-line reason it cannot be placed."""
    start, end = span.start, span.end
    quoted = span.text
    if quoted is None and old_text is not None and 0 <= start <= end <= len(old_text):
        quoted = old_text[start:end]
    fits = 0 <= start <= end <= len(text)
    if fits and (quoted is None or text[start:end] == quoted):
        return start, end, False
    if not quoted:
        return f"offsets {start}..{end} do not fit the article and the span quotes no text"
    places = _occurrences(text, quoted)
    shown = quoted if len(quoted) <= 40 else quoted[:37] + "..."
    if not places:
        return f"span {start}..{end} {shown!r} is no longer in the article"
    if len(places) == 1:
        return places[0], places[0] + len(quoted), True
    if old_text is None or not 0 <= start <= end <= len(old_text):
        return f"span {start}..{end} {shown!r} occurs {len(places)} times and has no context to choose by"
    before = old_text[max(0, start - CONTEXT_CHARS) : start]
    after = old_text[end : end + CONTEXT_CHARS]
    scores = []
    for at in places:
        here_before = text[max(0, at - CONTEXT_CHARS) : at]
        here_after = text[at + len(quoted) : at + len(quoted) + CONTEXT_CHARS]
        scores.append(_common_suffix(before, here_before) + _common_prefix(after, here_after))
    best = max(scores)
    # A single shared space is no evidence: ask for a few agreeing characters around it.
    if best >= min(4, len(before) + len(after)) and best > 0 and scores.count(best) == 1:
        at = places[scores.index(best)]
        return at, at + len(quoted), True
    return f"span {start}..{end} {shown!r} occurs {len(places)} times and its context does not single one out"


def _topic_key(article_id: str, start: int, end: int, topics: Iterable[str]) -> tuple[str, int, int, tuple[str, ...]]:
    return article_id, start, end, tuple(sorted(topics))


# --- importing -----------------------------------------------------------------------------------


def import_spans(store: _Store, library: _Library, path: Path, *, annotator: str | None = None) -> ImportReport:
    """Add the spans of `path` to `store`, matched to `library` articles; nothing is overwritten.

    `annotator` is credited on spans whose record names nobody (Prodigy and doccano files never
    do). Raises `ImportRefused` (one line: file, line, fault) when the file cannot be read; in
    that case nothing is added.
    """
    path = Path(path)
    report = ImportReport(path=path)
    report.format, records = read_records(path)
    report.records = len(records)
    if not records:
        report.reasons.append(f"{path} holds no records")
    finder = _ArticleFinder(library)
    batch: list[Span] = []
    batch_ids: set[str] = set()
    seen_keys: dict[str, set[tuple[str, int, int, tuple[str, ...]]]] = {}
    known_topics = {t.name for t in store.topics()}
    new_topics: dict[str, None] = {}
    doc_updates: dict[str, DocTopics] = {}
    stamp = now_iso()
    for record in records:
        where = f"line {record.line}" if report.format != "newsdesk json" else f"article {record.line}"
        if record.extra.get("answer") not in (None, "accept"):
            report.skipped += len(record.spans)
            report.reasons.append(f"{where}: answer is {record.extra['answer']!r}, not accept ({len(record.spans)} spans skipped)")
            continue
        article = finder.find(record)
        if article is None:
            if record.spans:
                report.skipped += len(record.spans)
                name = record.article_id or (record.text_sha256 or "")[:16] or "with this text"
                report.reasons.append(f"{where}: article {name} is not in the library ({len(record.spans)} spans skipped)")
            continue
        text = article.text
        if article.id not in seen_keys:
            seen_keys[article.id] = {_topic_key(s.article_id, s.start, s.end, s.topics) for s in store.spans_for(article.id)}
        keys = seen_keys[article.id]
        for incoming in record.spans:
            placed = anchor(text, incoming, record.text)
            if isinstance(placed, str):
                report.skipped += 1
                report.reasons.append(f"{where}: {placed}")
                continue
            start, end, moved = placed
            snapped_start, snapped_end = textrules.snap_span(text, start, end)
            if (snapped_start, snapped_end) != (start, end):
                report.snapped += 1
            start, end = snapped_start, snapped_end
            topics = normalise_topics(incoming.topics)
            if incoming.id and (incoming.id in batch_ids or store.get_span(incoming.id) is not None):
                report.skipped += 1
                report.already_present += 1
                continue
            key = _topic_key(article.id, start, end, topics)
            if key in keys:
                report.skipped += 1
                report.duplicates += 1
                continue
            keys.add(key)
            span = Span(
                id=incoming.id or new_span_id(),
                article_id=article.id,
                start=start,
                end=end,
                text=text[start:end],
                topics=topics,
                note=incoming.note,
                annotator=incoming.annotator or (annotator or ""),
                created=incoming.created or stamp,
                updated=incoming.updated or incoming.created or stamp,
            )
            batch.append(span)
            batch_ids.add(span.id)
            report.reanchored += 1 if moved else 0
            new_topics.update((t, None) for t in topics if t not in known_topics)
        if record.doc_topics and article.id not in doc_updates and not store.doc_topics(article.id).topics:
            doc_updates[article.id] = DocTopics(
                article.id, record.doc_topics, record.doc_annotator or (annotator or ""), stamp
            )
            new_topics.update((t, None) for t in record.doc_topics if t not in known_topics)
    if report.already_present:
        report.reasons.append(f"{report.already_present} spans are already in the store (same id)")
    if report.duplicates:
        report.reasons.append(f"{report.duplicates} spans duplicate ones already there (same offsets and topics)")
    put_topic = getattr(store, "put_topic", None)
    if put_topic is not None:
        for name in new_topics:
            put_topic(Topic(name))
            report.topics_added.append(name)
    if batch:
        store.add_spans(batch)
    report.added = len(batch)
    set_doc_topics = getattr(store, "set_doc_topics", None)
    if set_doc_topics is not None:
        for doc in doc_updates.values():
            set_doc_topics(doc)
            report.doc_topics_set += 1
    return report
