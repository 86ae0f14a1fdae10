"""The store's files on disk: the snapshot and journal formats, their parsing, and safe opening.

Part of `store.Store` (see its module docstring for the three files and how they are written):
this module knows bytes and paths only, never the in-memory tables. Re-exported by `store`.
"""

from __future__ import annotations

import errno
import gc
import json
import stat
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from .documents import KEY_FIELD as _CORE_KEY_FIELD
from .documents import Damaged as _Damaged
from .documents import check_document, check_table
from .suggestion_store import REJECTIONS, SUGGESTIONS, check_suggestion_document

FORMAT = 1
APP = "newsdesk"

SPANS = "spans"
TOPICS = "topics"
DOC_TOPICS = "doc_topics"
ARTICLES = "articles"
META = "_meta"

# Every table newsdesk keeps, with the field that names its documents: the core's, and the
# suggestions and rejections (`suggestion_store`).
_KEY_FIELD: dict[str, str] = {**_CORE_KEY_FIELD, SUGGESTIONS: "id", REJECTIONS: "key"}

_Doc = dict[str, Any]
_Tables = dict[str, dict[str, _Doc]]


class StoreError(Exception):
    """A store operation failed; the message is one line naming the file and what to do."""


class StoreLocked(StoreError):
    """Another process has the database open for writing."""


class StoreCorrupt(StoreError):
    """The database files cannot be read safely; they are left exactly as they were."""



def _parse_snapshot(data: bytes) -> tuple[_Tables, int]:
    """The tables and `_meta.seq` of a snapshot's bytes, or `_Damaged` saying what is wrong."""
    if not data:
        raise _Damaged("empty file")
    if not data.strip():
        raise _Damaged("blank file")
    try:
        tables = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise _Damaged("not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        raise _Damaged(f"not JSON ({exc.msg}: line {exc.lineno} column {exc.colno})") from None
    except (ValueError, RecursionError):
        raise _Damaged("not JSON") from None
    if tables is None:
        raise _Damaged("it holds only null")
    if not isinstance(tables, dict):
        raise _Damaged(f"a JSON {type(tables).__name__}, not an object of tables")
    meta = tables.get(META)
    record = meta.get("1") if isinstance(meta, dict) else None
    if not isinstance(record, dict) or record.get("app") != APP:
        raise _Damaged("no newsdesk _meta record")
    seq, version = record.get("seq"), record.get("format")
    if type(seq) is not int or seq < 0 or type(version) is not int:
        raise _Damaged("its _meta record is malformed")
    if version > FORMAT:
        raise _Damaged(f"written by a newer newsdesk (format {version})")
    for name, table in tables.items():
        if not isinstance(table, dict):
            raise _Damaged(f"table {name!r} is not an object")
        check_table(name, table)
        if name in (SUGGESTIONS, REJECTIONS):
            for raw_id, doc in table.items():
                check_suggestion_document(name, raw_id, doc)
    return tables, seq


def _parse_record(line: bytes) -> _Doc:
    """One journal line as a record; ValueError if it is not JSON, `_Damaged` if badly shaped."""
    record = json.loads(line)
    if not isinstance(record, dict):
        raise _Damaged("not a record")
    seq, op, table, doc_id = record.get("seq"), record.get("op"), record.get("table"), record.get("id")
    if type(seq) is not int or seq < 1:
        raise _Damaged("no valid seq")
    if op not in ("put", "del") or table not in _KEY_FIELD:
        raise _Damaged("unknown operation or table")
    if type(doc_id) is not int or doc_id < 1:
        raise _Damaged("no valid document id")
    end = record.get("end", seq)
    if type(end) is not int or end < seq:
        raise _Damaged("bad batch end")
    if op == "put":
        check_document(table, str(doc_id), record.get("doc"))
        if table in (SUGGESTIONS, REJECTIONS):
            check_suggestion_document(table, str(doc_id), record.get("doc"))
    return record


# Past this many GC-tracked objects made while loading (about two a span: its dict and its topics
# list), they are moved out of the cyclic GC's sight.
_FREEZE_AFTER = 50_000


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cyclic GC: loading makes ~15 objects a span, which it would rescan many times.

    After a large load the new objects (plain dicts, lists and strings: no cycles to find) are
    frozen (`gc.freeze`), else the collections that follow would each walk all of them once
    more. Refcounting still frees them when they go.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if gc.get_count()[0] > _FREEZE_AFTER:
            gc.freeze()
        if enabled:
            gc.enable()


def _resolve(path: Path) -> Path:
    """`path` with symlinks resolved, so replacing the snapshot replaces the real file."""
    try:
        return path.resolve()
    except (RuntimeError, OSError) as exc:  # RuntimeError: a symlink loop (Python < 3.13)
        why = "a symbolic link loop" if isinstance(exc, RuntimeError) or getattr(exc, "errno", None) == errno.ELOOP else (
            getattr(exc, "strerror", None) or str(exc)
        )
        raise StoreError(f"{path}: {why}; fix the link or pass --db to use another file") from None


def _kind(mode: int) -> str:
    for test, name in (
        (stat.S_ISDIR, "a folder"),
        (stat.S_ISFIFO, "a FIFO (named pipe)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    ):
        if test(mode):
            return name
    return "not a plain file"
