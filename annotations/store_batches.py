"""The store's batch writes: many changes in one write and one fsync, all of them or none.

A mixin of `store.Store` (it uses the store's lock, indexes, journal and snapshot writer); kept in
its own module so the store's core stays one idea. A batch too large to journal is written as a
new snapshot instead (`_commit_by_snapshot`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

from .model import DocTopics, Span, Topic
from .store_format import (
    _KEY_FIELD,
    ARTICLES,
    DOC_TOPICS,
    SPANS,
    TOPICS,
    _Doc,
)
from .suggestion_store import REJECTIONS, SUGGESTIONS
from .suggestions import Rejection, Suggestion

# What `_commit` writes (json.dumps with these separators), built once for batches.
_BATCH_ENCODER = json.JSONEncoder(separators=(",", ":"))


class BatchWrites:
    """`add_batch` and `write_batch`, and the fast commits behind them."""

    if TYPE_CHECKING:  # provided by Store
        import threading
        from pathlib import Path

        path: Path
        _mutex: threading.RLock
        _ids: dict[str, dict[str, int]]
        _tables: dict[str, dict[str, _Doc]]
        _next_id: dict[str, int]
        _seq: int
        _snapshot_documents: int
        _journal_records: int
        _compact_retry_at: int

        @property
        def _by_article(self) -> dict[str, set[str]]: ...
        def _check_writable(self) -> None: ...
        def _commit(self, changes: list[tuple[str, str, str, _Doc | None]]) -> None: ...
        def _append(self, payload: bytes) -> None: ...
        def _apply(self, record: _Doc) -> None: ...
        def _maybe_compact(self) -> None: ...
        def _commit_by_snapshot(self, changes: list[tuple[str, str, str, _Doc | None]]) -> None: ...
        def _compact_limit(self) -> int: ...

    def add_batch(
        self,
        spans: Iterable[Span] = (),
        *,
        topics: Iterable[Topic] = (),
        doc_topics: Iterable[DocTopics] = (),
        done: Iterable[str] = (),
        suggestions: Iterable[Suggestion] = (),
    ) -> None:
        """Store new topics, new spans, document topics, done marks and suggestions with one write and one fsync.

        All of them or, on error, none: what an import adds lands together. `topics` must be
        new names holding no key another topic has, `spans` and `suggestions` new ids
        (ValueError otherwise); `doc_topics` replace an article's document topics; `done` are
        article ids to mark done.
        """
        topics, doc_topics, done = list(topics), list(doc_topics), list(done)
        with self._mutex:
            self._check_writable()
            changes: list[tuple[str, str, str, _Doc | None]] = []
            held_keys = {doc.get("key") for doc in self._tables[TOPICS].values()}
            for topic in topics:
                if topic.name in self._ids[TOPICS]:
                    raise ValueError(f"topic {topic.name!r} is already stored")
                if topic.key is not None and topic.key in held_keys:
                    raise ValueError(f"key {topic.key} already belongs to another topic")
                held_keys.add(topic.key)
                changes.append(("put", TOPICS, topic.name, topic.to_dict()))
            if len({c[2] for c in changes}) < len(changes):
                raise ValueError("a topic is named twice in the batch")
            stored = self._ids[SPANS]
            seen: set[str] = set()
            for span in spans:  # iterated once: a caller may hand over spans as it lets them go
                if type(span) is not Span and not isinstance(span, Span):
                    raise TypeError(f"expected a Span, got {type(span).__name__}")
                span_id = span.id
                if span_id in stored or span_id in seen:
                    raise ValueError(f"span {span_id} is already stored")
                seen.add(span_id)
                changes.append(("put", SPANS, span_id, span.to_dict()))
            for doc in dict((d.article_id, d) for d in doc_topics).values():
                changes.append(("put", DOC_TOPICS, doc.article_id, doc.to_dict()))
            for article_id in dict.fromkeys(done):
                changes.append(("put", ARTICLES, article_id, {"article_id": article_id, "done": True}))
            proposed = list(suggestions)
            for suggestion in proposed:
                if not isinstance(suggestion, Suggestion):
                    raise TypeError(f"expected a Suggestion, got {type(suggestion).__name__}")
                if suggestion.id in stored or suggestion.id in seen or suggestion.id in self._ids[SUGGESTIONS]:
                    raise ValueError(f"span {suggestion.id} is already stored")
                seen.add(suggestion.id)
                changes.append(("put", SUGGESTIONS, suggestion.id, suggestion.to_dict()))
            if changes:
                # The fast path indexes spans only: with suggestions, the general one (same journal).
                (self._commit if proposed else self._commit_batch)(changes)

    def _commit_batch(self, changes: list[tuple[str, str, str, _Doc | None]]) -> None:
        """`_commit` for a large batch of puts: the same journal lines, one write, one fsync, then
        new documents go straight into the tables (TinyDB's insert costs more than the write at
        100k documents); a document replacing another goes through `_apply`."""
        limit = self._compact_limit()
        if self._journal_records + len(changes) > max(limit, self._compact_retry_at):
            # Journalled, this batch would be compacted at once: write it as that snapshot.
            self._commit_by_snapshot(changes)
            return
        ids = self._ids
        allotted = dict(self._next_id)
        end = self._seq + len(changes)
        encode = _BATCH_ENCODER.encode
        quoted = {word: encode(word) for word in ("put", "del", *_KEY_FIELD)}
        lines: list[str] = []
        placed: list[tuple[str, int, _Doc, bool]] = []
        for seq, (op, name, key, doc) in enumerate(changes, start=self._seq + 1):
            doc_id = ids[name].get(key)
            new = doc_id is None
            if new:
                doc_id = allotted[name]
                allotted[name] += 1
            # Exactly json.dumps({"seq", "op", "table", "id", "doc", "end"}, separators=(",", ":")).
            lines.append('{"seq":%d,"op":%s,"table":%s,"id":%d,"doc":%s,"end":%d}\n'
                         % (seq, quoted[op], quoted[name], doc_id, encode(doc), end))
            placed.append((name, doc_id, cast(_Doc, doc), new))
        text = "".join(lines)
        del lines  # at 100k spans each copy of the payload is tens of megabytes: keep two at most
        payload = text.encode("utf-8")
        del text
        self._append(payload)
        del payload
        self._seq = end
        tables = self._tables
        by_article = self._by_article
        next_id = self._next_id
        for seq, (name, doc_id, doc, new) in enumerate(placed, start=end - len(placed) + 1):
            if not new:
                self._apply({"seq": seq, "op": "put", "table": name, "id": doc_id, "doc": doc, "end": end})
                continue
            key = doc[_KEY_FIELD[name]]
            tables[name][str(doc_id)] = doc
            ids[name][key] = doc_id
            if doc_id >= next_id[name]:
                next_id[name] = doc_id + 1
            if name == SPANS:
                span_ids = by_article.get(doc["article_id"])
                if span_ids is None:
                    by_article[doc["article_id"]] = {key}
                else:
                    span_ids.add(key)
        self._journal_records += len(placed)
        self._maybe_compact()

    def write_batch(
        self,
        *,
        put: Iterable[Span | Topic | DocTopics | Suggestion | Rejection] = (),
        delete_spans: Iterable[str] = (),
        delete_topics: Iterable[str] = (),
        delete_suggestions: Iterable[str] = (),
        delete_rejections: Iterable[str] = (),
    ) -> None:
        """Write several changes with one write and one fsync: all of them are on disk, or none.

        `put` adds or replaces spans (by id), topics (by name) and document topics (by article);
        deletions of documents that are not stored are skipped. A document both put and deleted
        is put. Unlike `put_topic`, keys are taken as given: the caller keeps them unique.
        `put` also takes suggestions (by id) and rejections (by review key).
        """
        with self._mutex:
            self._check_writable()
            puts: dict[tuple[str, str], _Doc] = {}
            for item in put:
                if isinstance(item, Span):
                    puts[(SPANS, item.id)] = item.to_dict()
                elif isinstance(item, Topic):
                    puts[(TOPICS, item.name)] = item.to_dict()
                elif isinstance(item, DocTopics):
                    puts[(DOC_TOPICS, item.article_id)] = item.to_dict()
                elif isinstance(item, (Suggestion, Rejection)):
                    key = (SUGGESTIONS, item.id) if isinstance(item, Suggestion) else (REJECTIONS, item.key)
                    puts[key] = item.to_dict()
                else:
                    raise TypeError(f"expected a Span, Topic or DocTopics, got {type(item).__name__}")
            changes: list[tuple[str, str, str, _Doc | None]] = []
            for name, keys in (
                (SPANS, delete_spans), (TOPICS, delete_topics),
                (SUGGESTIONS, delete_suggestions), (REJECTIONS, delete_rejections),
            ):
                for key in dict.fromkeys(keys):
                    if key in self._ids[name] and (name, key) not in puts:
                        changes.append(("del", name, key, None))
            changes.extend(("put", name, key, doc) for (name, key), doc in puts.items())
            if changes:
                self._commit(changes)
