"""Committing a large batch (an import) to the store: one write and one fsync, at the cost of the data.

`Store.add_batch` checks the batch and hands it here. The journal lines are the ones
`Store._commit` writes, built with one encoder and string formatting rather than a dict and a
`json.dumps` per record, and new documents go straight into the tables rather than through
TinyDB's insert (at 100,000 documents each costs more than the write). A batch that the journal
would compact at once (more records than the last snapshot holds documents) is written as that
snapshot instead: applied in memory, written whole with `Store._write_snapshot` (temporary file,
fsync, rename, folder fsync), the journal then emptied; if the snapshot cannot be written, memory
is put back as it was and nothing changed.
"""

from __future__ import annotations

import json
import os
from typing import TYPE_CHECKING, Any, cast

from newsdesk.annotations import store
from newsdesk.annotations.store import _KEY_FIELD, META, SPANS, StoreError

if TYPE_CHECKING:  # pragma: no cover
    from newsdesk.annotations.store import Store

__all__ = ["commit"]

_Doc = dict[str, Any]
Change = tuple[str, str, str, "_Doc | None"]

# What `Store._commit` writes (json.dumps with these separators), built once.
_ENCODER = json.JSONEncoder(separators=(",", ":"))


def commit(db: Store, changes: list[Change]) -> None:
    """`_commit` for a large batch of puts: the same journal lines, one write, one fsync, then
    new documents go straight into the tables (TinyDB's insert costs more than the write at
    100k documents); a document replacing another goes through `_apply`."""
    limit = max(store._COMPACT_MIN_RECORDS, int(db._snapshot_documents * store._COMPACT_FACTOR))
    if db._journal_records + len(changes) > max(limit, db._compact_retry_at):
        # Journalled, this batch would be compacted at once: write it as that snapshot.
        _commit_by_snapshot(db, changes)
        return
    ids = db._ids
    allotted = dict(db._next_id)
    end = db._seq + len(changes)
    encode = _ENCODER.encode
    quoted = {word: encode(word) for word in ("put", "del", *_KEY_FIELD)}
    lines: list[str] = []
    placed: list[tuple[str, int, _Doc, bool]] = []
    for seq, (op, name, key, doc) in enumerate(changes, start=db._seq + 1):
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
    db._append(payload)
    del payload
    db._seq = end
    tables = db._tables
    by_article = db._by_article
    next_id = db._next_id
    for seq, (name, doc_id, doc, new) in enumerate(placed, start=end - len(placed) + 1):
        if not new:
            db._apply({"seq": seq, "op": "put", "table": name, "id": doc_id, "doc": doc, "end": end})
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
    db._journal_records += len(placed)
    db._maybe_compact()

def _commit_by_snapshot(db: Store, changes: list[Change]) -> None:
    """Commit a batch of puts as a new snapshot: applied in memory, written whole (temporary
    file, fsync, rename, folder fsync), then the journal emptied -- what journalling the
    batch and compacting at once would leave, written once. If the snapshot cannot be
    written, memory is put back as it was and `StoreError` raised: nothing changed."""
    tables, ids, by_article = db._tables, db._ids, db._by_article
    saved = (db._seq, dict(db._next_id), db._snapshot_documents, tables.get(META))
    undo: list[tuple[str, int, str, _Doc | None, _Doc]] = []
    for _op, name, key, doc in changes:
        doc = cast(_Doc, doc)
        doc_id = ids[name].get(key)
        old = None
        if doc_id is None:
            doc_id = db._next_id[name]
            db._next_id[name] += 1
            ids[name][key] = doc_id
            if name == SPANS:
                by_article.setdefault(doc["article_id"], set()).add(key)
        else:
            old = tables[name][str(doc_id)]
            if name == SPANS:  # add_batch stores new spans only; kept general all the same
                db._unindex_span(old["article_id"], key)
                by_article.setdefault(doc["article_id"], set()).add(key)
        tables[name][str(doc_id)] = doc
        undo.append((name, doc_id, key, old, doc))
    db._seq += len(changes)
    try:
        before = os.stat(db.path)
    except OSError:
        before = None
    try:
        db._write_snapshot()
    except BaseException as exc:
        try:
            after = os.stat(db.path)
            replaced = before is None or (after.st_ino, after.st_dev) != (before.st_ino, before.st_dev)
        except OSError:
            replaced = False
        if replaced:  # the new snapshot is in place (only the folder's fsync failed): committed
            try:
                store._fsync_dir(db.path.parent)
            except OSError:
                raise StoreError(
                    f"saved {db.path} but could not confirm it on disk: {getattr(exc, 'strerror', exc)}; "
                    f"check the disk"
                ) from None
        else:
            for name, doc_id, key, old, doc in reversed(undo):
                if old is None:
                    del tables[name][str(doc_id)]
                    del ids[name][key]
                    if name == SPANS:
                        db._unindex_span(doc["article_id"], key)
                else:
                    tables[name][str(doc_id)] = old
                    if name == SPANS:
                        db._unindex_span(doc["article_id"], key)
                        by_article.setdefault(old["article_id"], set()).add(key)
            db._seq, db._next_id, db._snapshot_documents, meta = saved
            if meta is not None:
                tables[META] = meta
            if isinstance(exc, OSError):
                raise StoreError(
                    f"could not save to {db.path}: {exc.strerror or exc}; the change was not saved "
                    f"- free some disk space or check the disk, then try again"
                ) from None
            raise
    try:
        db._truncate_journal()
        db._compact_retry_at = 0
    except OSError:
        # Harmless: what the journal holds is older than the snapshot and skipped on replay.
        db._compact_retry_at = db._journal_records + max(store._COMPACT_MIN_RECORDS, db._snapshot_documents)
