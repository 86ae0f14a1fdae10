"""The store's tables in memory: TinyDB over the loaded dict, written in place, and its indexes.

`MemoryTables` is a mixin of `store.Store`: installing a parsed snapshot, replaying the journal
onto it and applying one record; the documents are the dicts `store_format` parsed, never copied.
Nothing here touches a file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, MutableMapping
from operator import itemgetter
from typing import TYPE_CHECKING, Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from .documents import Damaged as _Damaged
from .store_format import _KEY_FIELD, SPANS, StoreCorrupt, _Doc, _parse_record, _Tables
from .suggestion_store import SUGGESTIONS


class _IntKeyView(MutableMapping[int, Any]):
    """A raw table (`{"1": doc}`) seen with int keys, as TinyDB's updaters expect.

    Every operation touches one key, so an updater that writes one document costs O(1)
    instead of the two whole-table copies stock `Table._update_table` makes.
    """

    __slots__ = ("_raw",)

    def __init__(self, raw: dict[str, _Doc]) -> None:
        self._raw = raw

    def __getitem__(self, key: int) -> Any:
        return self._raw[str(key)]

    def __setitem__(self, key: int, value: Any) -> None:
        self._raw[str(key)] = value

    def __delitem__(self, key: int) -> None:
        del self._raw[str(key)]

    def __contains__(self, key: object) -> bool:
        return str(key) in self._raw

    def __iter__(self) -> Iterator[int]:
        return (int(key) for key in self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def clear(self) -> None:
        self._raw.clear()


class _InPlaceTable(Table):
    """A TinyDB table whose writes mutate the loaded dict in place (O(1) per document)."""

    def _update_table(self, updater: Callable[[dict[int, Mapping]], None]) -> None:
        tables = self._storage.read()
        assert tables is not None  # _LoadedStorage always holds a dict
        raw = tables.setdefault(self.name, {})
        updater(cast("dict[int, Mapping]", _IntKeyView(raw)))
        self.clear_cache()


class _LoadedStorage(Storage):
    """A TinyDB storage over a dict already in memory; persistence is the `Store`'s job."""

    def __init__(self, tables: _Tables) -> None:
        self._tables = tables

    def read(self) -> _Tables:
        return self._tables

    def write(self, data: _Tables) -> None:
        self._tables = data


class _MemoryTinyDB(TinyDB):
    table_class = _InPlaceTable


class MemoryTables:
    """The in-memory database of `Store`: its TinyDB, natural-key and article indexes."""

    if TYPE_CHECKING:  # provided by Store
        from pathlib import Path

        path: Path
        journal_path: Path
        _tables: _Tables
        _db: TinyDB
        _seq: int
        _ids: dict[str, dict[str, int]]
        _next_id: dict[str, int]
        _by_article_index: dict[str, set[str]] | None
        _suggested: dict[str, set[str]]
        _snapshot_documents: int

        def _corrupt(self, file: Path, why: str) -> StoreCorrupt: ...
        def _live_documents(self) -> int: ...
        def _unindex_suggestion(self, article_id: str, suggestion_id: str) -> None: ...

    def _install(self, tables: _Tables, snapshot_seq: int) -> None:
        """Make `tables` the in-memory database and build the indexes."""
        for name in _KEY_FIELD:
            tables.setdefault(name, {})
        self._tables = tables
        self._db = _MemoryTinyDB(tables, storage=_LoadedStorage)
        self._seq = snapshot_seq
        self._ids = {}
        self._next_id = {}
        self._by_article_index = None  # built when first needed: `list` and `topics` never need it
        # The documents were checked when the snapshot was parsed; indexing them is C loops.
        for name, key_field in _KEY_FIELD.items():
            table = tables[name]
            keys = list(map(itemgetter(key_field), table.values()))
            ids = dict(zip(keys, map(int, table)))
            if len(ids) != len(keys):
                seen: set[str] = set()
                twice = next(key for key in keys if key in seen or seen.add(key))  # type: ignore[func-returns-value]
                raise self._corrupt(self.path, f"table {name!r} holds {twice!r} twice")
            self._ids[name] = ids
            self._next_id[name] = max(ids.values(), default=0) + 1
        self._suggested = {}
        for doc in tables[SUGGESTIONS].values():
            self._suggested.setdefault(doc["article_id"], set()).add(doc["id"])
        self._snapshot_documents = self._live_documents()

    def _replay(self, journal: bytes, snapshot_seq: int) -> tuple[int, int, int]:
        """Apply the journal's acknowledged records; returns (good size, records kept, stale).

        The good size is where the journal's last whole record (or whole batch) ends: what
        follows is a torn write that was never acknowledged.
        """
        lines = journal.split(b"\n")
        whole, tail = lines[:-1], lines[-1]
        last_seq = snapshot_seq
        previous_seq = 0
        offset = good_size = 0
        kept = stale = 0
        batch: list[_Doc] = []
        batch_records = 0
        for number, line in enumerate(whole, start=1):
            offset += len(line) + 1
            if not line.strip():
                continue
            try:
                record = _parse_record(line)
            except _Damaged as damage:
                raise self._corrupt(self.journal_path, f"line {number}: {damage}") from None
            except (ValueError, RecursionError):
                # A torn append never ends in a newline (records hold none): this line was
                # written whole, so it is damage, reported like any other.
                raise self._corrupt(self.journal_path, f"line {number} is not a journal record") from None
            seq = record["seq"]
            if seq <= previous_seq:
                raise self._corrupt(self.journal_path, f"line {number}: seq {seq} goes backwards")
            previous_seq = seq
            if seq <= snapshot_seq:
                stale += 1
                kept += 1
                good_size = offset
                continue
            if seq != last_seq + 1 + len(batch):
                raise self._corrupt(self.journal_path, f"line {number}: seq {seq} leaves a gap")
            if batch and record.get("end", seq) != batch[0].get("end", batch[0]["seq"]):
                raise self._corrupt(self.journal_path, f"line {number}: a batch is interrupted")
            batch.append(record)
            batch_records += 1
            if seq == record.get("end", seq):
                for change in batch:
                    try:
                        self._apply(change)
                    except _Damaged as damage:
                        raise self._corrupt(self.journal_path, f"seq {change['seq']}: {damage}") from None
                last_seq = seq
                kept += batch_records
                batch, batch_records = [], 0
                good_size = offset
        self._seq = last_seq
        return good_size, kept, stale

    def _apply(self, record: _Doc) -> None:
        """Apply one journal record to the in-memory TinyDB and the indexes (O(1))."""
        name, doc_id, op = record["table"], record["id"], record["op"]
        table = self._db.table(name)
        key_field = _KEY_FIELD[name]
        ids = self._ids[name]
        old = table.get(doc_id=doc_id)
        doc: _Doc | None = record.get("doc") if op == "put" else None
        if doc is not None:
            holder = ids.get(doc[key_field])
            if holder is not None and holder != doc_id:
                raise _Damaged(f"{doc[key_field]!r} is stored twice in {name!r}")
        if old is not None:
            old_key = old[key_field]
            if ids.get(old_key) == doc_id:
                del ids[old_key]
            if name == SPANS:
                self._unindex_span(old["article_id"], old_key)
            elif name == SUGGESTIONS:
                self._unindex_suggestion(old["article_id"], old_key)
        if doc is None:
            if old is not None:
                table.remove(doc_ids=[doc_id])
            return
        if old is not None:
            # Replace, never rewrite in place: a reader holding the old document (iter_spans
            # hands out references taken under the lock) keeps seeing a whole, consistent one.
            table.remove(doc_ids=[doc_id])
        table.insert(Document(doc, doc_id))
        ids[doc[key_field]] = doc_id
        if doc_id >= self._next_id[name]:
            self._next_id[name] = doc_id + 1
        if name == SPANS:
            self._by_article.setdefault(doc["article_id"], set()).add(doc["id"])
        elif name == SUGGESTIONS:
            self._suggested.setdefault(doc["article_id"], set()).add(doc["id"])

    @property
    def _by_article(self) -> dict[str, set[str]]:
        """Article id -> its span ids, built on first use (O(spans) once, then kept up to date)."""
        index = self._by_article_index
        if index is None:
            index = {}
            for doc in self._tables[SPANS].values():
                span_ids = index.get(doc["article_id"])
                if span_ids is None:
                    index[doc["article_id"]] = {doc["id"]}
                else:
                    span_ids.add(doc["id"])
            self._by_article_index = index
        return index

    def _unindex_span(self, article_id: str, span_id: str) -> None:
        span_ids = self._by_article.get(article_id)
        if span_ids is not None:
            span_ids.discard(span_id)
            if not span_ids:
                del self._by_article[article_id]
