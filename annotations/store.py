"""The annotation store: TinyDB documents made durable by a write-ahead journal.

Three files sit side by side (`PATH` is e.g. `~/.local/share/newsdesk/newsdesk.json`):

``PATH`` (the snapshot)
    A plain TinyDB JSON file, readable by ``tinydb.TinyDB(PATH)``::

        {"spans": {"1": {...}}, "topics": {...}, "doc_topics": {...}, "articles": {...},
         "_meta": {"1": {"app": "newsdesk", "format": 1, "seq": 1234}}}

    It is never written in place: a new snapshot is written to a temporary file in the same
    folder, fsynced, moved over ``PATH`` with ``os.replace`` and the folder fsynced, so at any
    moment ``PATH`` is either the old snapshot or the new one, whole. ``_meta.seq`` is the
    sequence number of the last change the snapshot contains.

``PATH.journal`` (the write-ahead journal)
    One JSON line per change, ``{"seq": n, "op": "put"|"del", "table": ..., "id": doc_id,
    "doc": {...}|null}``, appended and fsynced *before* the change is applied in memory and the
    call returns. A batch (``add_spans``, or ``put_topic`` moving a shortcut key) is one write
    and one fsync; its records also carry ``"end": last_seq`` so that a batch torn by a crash is
    dropped whole rather than half-applied. Records are idempotent upserts and deletes of a
    TinyDB document id, so replaying them over the snapshot (skipping ``seq <= _meta.seq``)
    rebuilds exactly what was acknowledged.

``PATH.lock``
    ``flock``-ed (exclusive, non-blocking) by the one process allowed to write; it holds that
    process's pid and host so a second writer is told who has the database open.

Saving one change therefore costs one small append and one fsync whatever the size of the
database. In memory the documents live in a TinyDB instance over a storage that returns the
loaded dict, with a table class that writes into that dict directly (stock TinyDB rebuilds the
whole table twice per write), plus indexes: natural key -> document id per table, and
article id -> span ids, so ``spans_for`` is not a scan. A changed document is replaced by a new
one, never rewritten in place, so `iter_spans` can take references under the lock and build
`Span`s outside it (with `Span.from_stored`, skipping checks the document passed when saved).

Compaction (write a new snapshot, then truncate the journal) runs when the journal holds more
records than ``max(2000, documents in the last snapshot)``: replaying the journal never costs
more than loading the snapshot, and each compaction follows at least as many changes as it
rewrites documents, so it is amortised O(1) per change. It also runs on open when a crash left
more than 2000 records, and on ``close()`` when the journal is not empty. A crash
between replacing the snapshot and truncating the journal is harmless: the stale records are
skipped by their ``seq``.

Opening recovers from a crash: a journal whose last line is incomplete (a torn append never
ends in a newline; records hold none), and any batch it belonged to, was never acknowledged and
is cut off. Anything else that is wrong -- an empty, blank, ``null``, non-JSON or wrongly shaped
snapshot, a stored document of the wrong shape (checked on every open, `documents.check_table`),
a damaged journal line (the last one too, when it ends in a newline), a journal without its
snapshot -- raises `StoreCorrupt` with one line naming the file and the record and what to do;
the files are left byte for byte as they were. Only regular files are opened (without blocking:
a FIFO, a device such as ``/dev/zero`` or a symlink loop given as ``--db`` is one line, never a
hang or a read without end).

The three files share one mode: the snapshot's (0600 for a new database, as it holds people's
notes). A new snapshot takes the mode of the one it replaces, so a ``chmod`` survives compaction,
and the journal and lock follow it.

``readonly=True`` takes no lock and writes nothing (a torn journal tail is ignored, not cut);
every mutating call then raises `StoreError`. Within one process every public method holds one
``threading.RLock``, so Textual thread workers can share a `Store`.

API::

    class StoreError(Exception)          # one line, names the file and what to do
    class StoreLocked(StoreError)        # another process holds the database for writing
    class StoreCorrupt(StoreError)       # unreadable / empty / `null` / wrong shape: never overwritten

    default_db_path() -> Path            # $NEWSDESK_DB, else $XDG_DATA_HOME/newsdesk/newsdesk.json
                                         # (~/.local/share/newsdesk/newsdesk.json)
    DEFAULT_TOPICS: tuple[Topic, ...]    # news taxonomy fitting the seeds, keys 1-9 on the first nine

    class Store:
        Store(path, *, readonly=False)   # creates the file and its folders (with DEFAULT_TOPICS) if absent
        .path; .journal_path; .lock_path; .readonly; close(); __enter__/__exit__
        # every mutating call returns only once the change is on disk (fsync)
        add_span(span) -> Span                            # ValueError if the id is stored
        add_spans(spans: Iterable[Span]) -> list[Span]    # one fsync for the batch, all or nothing
        add_batch(spans, *, topics, doc_topics, done)     # an import: new topics, spans, document
                                                          # topics, done marks; one fsync, all or nothing
                                                          # (a batch the journal would compact at once
                                                          # is written as that snapshot instead)
        update_span(span) -> Span                         # replace by id; KeyError if absent
        delete_span(span_id) -> Span                      # returns what was deleted; KeyError if absent
        get_span(span_id) -> Span | None
        spans_for(article_id) -> list[Span]               # sorted by (start, end, id)
        iter_spans() -> Iterator[Span]
        span_count(article_id: str | None = None) -> int
        topics() -> list[Topic]                           # keyed 1..9 first, then by name
        topic(name) -> Topic | None
        put_topic(topic) -> Topic                         # add or replace by name; takes its key
                                                          # from any other topic holding it
        delete_topic(name) -> Topic | None
        doc_topics(article_id) -> DocTopics               # empty DocTopics when none are set
        set_doc_topics(doc: DocTopics) -> DocTopics
        is_done(article_id) -> bool
        set_done(article_id, done: bool) -> None
        article_ids_with_spans() -> set[str]
        iter_doc_topics() -> list[DocTopics]
        write_batch(*, put=(), delete_spans=(), delete_topics=())  # one fsync, all or nothing
        # suggestions (annotations/suggestions.py, suggestion_store.py): apart from spans, never exported as them
        add_suggestions(suggestions) -> list[Suggestion]  # one fsync; ValueError if an id is stored
        get_suggestion(id); suggestions_for(article_id); iter_suggestions(); suggestion_count(article_id=None)
        article_ids_with_suggestions() -> set[str]; rejected_keys() -> set[str]
        # write_batch also puts suggestions and rejections, and takes delete_suggestions=, delete_rejections=
        span_counts() -> dict[str, int]                   # article id -> its spans, without building Spans
    has_database(path) -> bool           # a snapshot, or a journal holding changes, is at path
"""

from __future__ import annotations

import errno
import fcntl
import gc
import json
import os
import socket
import stat
import tempfile
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping, MutableMapping
from contextlib import contextmanager
from dataclasses import replace
from operator import itemgetter
from pathlib import Path
from types import TracebackType
from typing import Any, cast

from tinydb import TinyDB
from tinydb.storages import Storage
from tinydb.table import Document, Table

from .documents import KEY_FIELD as _CORE_KEY_FIELD
from .documents import Damaged as _Damaged
from .documents import check_document, check_table
from .model import DocTopics, Span, Topic
from .suggestion_store import REJECTIONS, SUGGESTIONS, SuggestionTables, check_suggestion_document
from .suggestions import Rejection, Suggestion

__all__ = [
    "StoreError",
    "StoreLocked",
    "StoreCorrupt",
    "default_db_path",
    "has_database",
    "DEFAULT_TOPICS",
    "Store",
]

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

# Compaction: when the journal holds more records than max(_COMPACT_MIN_RECORDS,
# _COMPACT_FACTOR x the documents in the last snapshot). Module-level so tests can shrink them.
_COMPACT_MIN_RECORDS = 2000
_COMPACT_FACTOR = 1.0

_Doc = dict[str, Any]
_Tables = dict[str, dict[str, _Doc]]

# What `_commit` writes (json.dumps with these separators), built once for batches.
_BATCH_ENCODER = json.JSONEncoder(separators=(",", ":"))


class StoreError(Exception):
    """A store operation failed; the message is one line naming the file and what to do."""


class StoreLocked(StoreError):
    """Another process has the database open for writing."""


class StoreCorrupt(StoreError):
    """The database files cannot be read safely; they are left exactly as they were."""


def default_db_path() -> Path:
    """Where the database lives unless told otherwise.

    `$NEWSDESK_DB` if set, else `newsdesk.json` in the per-OS data dir (`paths.data_dir`):
    `$XDG_DATA_HOME/newsdesk/newsdesk.json`, or `~/.local/share/newsdesk/newsdesk.json`, on Linux.
    Nothing is created here; `Store` creates the folders when it opens the file for writing.
    """
    explicit = os.environ.get("NEWSDESK_DB")
    if explicit:
        return Path(explicit).expanduser()
    from .paths import data_dir

    return data_dir() / "newsdesk.json"


DEFAULT_TOPICS: tuple[Topic, ...] = (
    Topic("defence and security", 1, "#e45756",
          "Armed forces, defence industry and equipment, military cooperation and collective security."),
    Topic("cybersecurity", 2, "#b279a2",
          "Cyber attacks and cyber defence, digital resilience and the protection of networks and data."),
    Topic("critical minerals and supply chains", 3, "#9d755d",
          "Rare earths and other critical minerals, and keeping supply chains for essential goods stable."),
    Topic("economic security and trade", 4, "#54a24b",
          "Trade and investment, economic resilience and protection against economic coercion."),
    Topic("energy", 5, "#f58518",
          "Energy supply and security, nuclear and renewable power, and the energy transition."),
    Topic("diplomacy", 6, "#4c78a8",
          "Summits, official visits, invitations, bilateral ties and multilateral diplomacy."),
    Topic("technology", 7, "#72b7b2",
          "Emerging technology, AI, semiconductors, research and innovation partnerships."),
    Topic("indo-pacific", 8, "#ff9da6",
          "Security, trade and partnerships across the Indo-Pacific region."),
    Topic("europe", 9, "#eeca3b",
          "European affairs, the UK's relations with Europe, and NATO and European allies."),
    Topic("people", None, "#bab0ac",
          "Named people: leaders, ministers, officials and the roles they hold."),
    Topic("events", None, "#17becf",
          "Dated happenings: meetings, visits, press conferences, announcements and agreements."),
    Topic("places", None, "#b5bd00",
          "Cities, countries and regions where things happen or that the story is about."),
)


# --- TinyDB in memory, written in place -------------------------------------------------


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


# --- reading files ------------------------------------------------------------------------


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


# A new database is private (it holds people's notes); an existing one keeps its snapshot's mode.
_NEW_MODE = 0o600


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


def _open_regular(path: Path, flags: int) -> int:
    """An fd for the regular file `path` (created 0600 if `flags` says so), else `StoreError`.

    O_NONBLOCK: opening a FIFO must not wait for a writer; what is not a regular file (FIFO,
    device, socket) is refused before a byte is read from it, so `--db /dev/zero` cannot fill
    memory and a FIFO cannot hang newsdesk.
    """
    try:
        fd = os.open(path, flags | os.O_NONBLOCK | os.O_CLOEXEC, _NEW_MODE)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            raise StoreError(f"{path}: a symbolic link loop; fix the link or pass --db to use another file") from None
        if exc.errno in (errno.ENXIO, errno.EISDIR):  # a socket; a folder opened for writing
            mode = os.stat(path).st_mode
            raise StoreError(f"{path} is {_kind(mode)}, not a regular file; pass --db to use another file") from None
        raise
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        raise StoreError(f"{path} is {_kind(mode)}, not a regular file; pass --db to use another file")
    fcntl.fcntl(fd, fcntl.F_SETFL, fcntl.fcntl(fd, fcntl.F_GETFL) & ~os.O_NONBLOCK)
    return fd


def _read_regular(path: Path) -> bytes | None:
    """The bytes of the regular file `path`, None if it does not exist, else `StoreError`."""
    try:
        fd = _open_regular(path, os.O_RDONLY)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(
            f"cannot read {path}: {exc.strerror or exc}; check the file or pass --db to use another file"
        ) from None
    try:
        with os.fdopen(fd, "rb", closefd=True) as file:
            return file.read()
    except OSError as exc:
        raise StoreError(
            f"cannot read {path}: {exc.strerror or exc}; check the file or pass --db to use another file"
        ) from None


def has_database(path: str | os.PathLike[str]) -> bool:
    """Whether anything of a database is at `path`: a snapshot (of any kind, even a broken link)
    or a journal holding changes. Readers open it (and report what is wrong); else it is new."""
    path = Path(path).expanduser()
    journal = path.with_name(path.name + ".journal")
    for candidate, needs_content in ((path, False), (journal, True)):
        try:
            info = os.lstat(candidate)
        except OSError:
            continue
        if not needs_content or not stat.S_ISREG(info.st_mode) or info.st_size > 0:
            return True
    return False


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _new_tables() -> _Tables:
    return {
        SPANS: {},
        TOPICS: {str(n): topic.to_dict() for n, topic in enumerate(DEFAULT_TOPICS, start=1)},
        DOC_TOPICS: {},
        ARTICLES: {},
        META: {"1": {"app": APP, "format": FORMAT, "seq": 0}},
    }


# --- the store ------------------------------------------------------------------------------


class Store(SuggestionTables):
    """newsdesk's database of spans, topics, document topics and done flags.

    Every mutating method returns only after its change is fsynced to the journal, so a
    process killed at any moment keeps every change that was acknowledged. One process may
    write at a time (`StoreLocked` otherwise); any number may open it with `readonly=True`.
    Use it as a context manager, or call `close()` (idempotent).
    """

    def __init__(self, path: str | os.PathLike[str], *, readonly: bool = False) -> None:
        # Resolved so that replacing the snapshot replaces the real file, not a symlink to it.
        self.path: Path = _resolve(Path(path).expanduser())
        self.journal_path: Path = self.path.with_name(self.path.name + ".journal")
        self.lock_path: Path = self.path.with_name(self.path.name + ".lock")
        self.readonly: bool = readonly
        self._mutex = threading.RLock()
        self._closed = False
        self._broken: str | None = None
        self._lock_fd: int | None = None
        self._mode = _NEW_MODE  # the snapshot's permission bits, which the journal and lock share
        self._journal_fd: int | None = None
        self._journal_size = 0
        self._journal_records = 0
        self._compact_retry_at = 0
        self._snapshot_documents = 0
        self._seq = 0
        self._tables: _Tables = {}
        self._db = _MemoryTinyDB(self._tables, storage=_LoadedStorage)
        self._ids: dict[str, dict[str, int]] = {}
        self._next_id: dict[str, int] = {}
        self._by_article_index: dict[str, set[str]] | None = {}
        self._suggested: dict[str, set[str]] = {}
        try:
            with _gc_paused():
                if readonly:
                    self._open_readonly()
                else:
                    self._open_for_writing()
        except BaseException:
            self._release()
            raise

    def __repr__(self) -> str:
        mode = "readonly" if self.readonly else "writer"
        state = "closed" if self._closed else f"{len(self._tables.get(SPANS, {}))} spans"
        return f"<Store {str(self.path)!r} {mode} {state}>"

    def __enter__(self) -> "Store":
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    # --- opening -----------------------------------------------------------------------

    def _corrupt(self, file: Path, why: str) -> StoreCorrupt:
        if file == self.journal_path:
            return StoreCorrupt(
                f"{file} is damaged ({why}); move it aside to open {self.path.name} as of its "
                f"last snapshot (losing the changes since), or pass --db to use another file"
            )
        return StoreCorrupt(
            f"{file} is not a newsdesk database ({why}); move it aside or pass --db to use another file"
        )

    def _read_snapshot(self) -> tuple[_Tables, int] | None:
        data = _read_regular(self.path)
        if data is None:
            return None
        try:
            return _parse_snapshot(data)
        except _Damaged as damage:
            raise self._corrupt(self.path, str(damage)) from None

    def _read_journal(self) -> bytes:
        data = _read_regular(self.journal_path)
        return b"" if data is None else data

    def _orphan_journal(self) -> StoreCorrupt:
        return StoreCorrupt(
            f"{self.path} is missing but {self.journal_path.name} holds changes to it; restore "
            f"{self.path.name}, or move the journal aside to start a new database"
        )

    def _open_for_writing(self) -> None:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create {self.path.parent}: {exc.strerror}; pass --db to use another file"
            ) from None
        self._take_lock()
        self._remove_stale_temp_files()
        loaded = self._read_snapshot()
        journal = self._read_journal()
        if loaded is None and journal.strip():
            raise self._orphan_journal()
        if loaded is not None:
            try:
                self._mode = stat.S_IMODE(os.stat(self.path).st_mode)
            except OSError:
                pass
        # Validate everything before creating or changing any file.
        if loaded is not None:
            tables, snapshot_seq = loaded
            self._install(tables, snapshot_seq)
            good_size, kept, stale = self._replay(journal, snapshot_seq)
        try:
            journal_existed = self.journal_path.exists()
            self._journal_fd = _open_regular(self.journal_path, os.O_RDWR | os.O_APPEND | os.O_CREAT)
            self._keep_mode()
            if loaded is None:
                # A new database: the snapshot's atomic write also makes the journal's name durable.
                self._install(_new_tables(), 0)
                os.ftruncate(self._journal_fd, 0)
                self._write_snapshot()
                return
            if not journal_existed:
                _fsync_dir(self.path.parent)
            if good_size < len(journal):
                # A torn tail was never acknowledged: cut it so later appends follow a whole line.
                os.ftruncate(self._journal_fd, good_size)
                os.fsync(self._journal_fd)
            self._journal_size = good_size
            self._journal_records = kept
            if kept > _COMPACT_MIN_RECORDS:
                self._compact()
            elif kept and kept == stale:
                # A crash between snapshot and journal truncation: finish the truncation.
                self._truncate_journal()
        except OSError as exc:
            raise StoreError(
                f"cannot write beside {self.path}: {exc.strerror}; check the disk or pass --db to use another file"
            ) from None

    def _open_readonly(self) -> None:
        # A writer may compact while we read: retry until the snapshot stayed the same file
        # while both files were read, so the journal we replay continues that snapshot.
        for _attempt in range(20):
            try:
                before = os.stat(self.path)
            except FileNotFoundError:
                if self._read_journal().strip():
                    raise self._orphan_journal() from None
                raise StoreError(
                    f"{self.path} does not exist; open it once without read-only to create it, "
                    f"or pass --db to use another file"
                ) from None
            loaded = self._read_snapshot()
            journal = self._read_journal()
            try:
                after = os.stat(self.path)
            except FileNotFoundError:
                continue
            if loaded is None or (before.st_ino, before.st_mtime_ns, before.st_size) != (
                after.st_ino,
                after.st_mtime_ns,
                after.st_size,
            ):
                continue
            tables, snapshot_seq = loaded
            self._install(tables, snapshot_seq)
            self._replay(journal, snapshot_seq)
            return
        raise StoreError(f"{self.path} kept changing while it was read; try again")

    def _take_lock(self) -> None:
        try:
            fd = _open_regular(self.lock_path, os.O_RDWR | os.O_CREAT)
        except OSError as exc:
            raise StoreError(
                f"cannot create {self.lock_path}: {exc.strerror}; check the folder or pass --db to use another file"
            ) from None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            try:
                holder = os.pread(fd, 256, 0).decode("utf-8", "replace").split()
            except OSError:
                holder = []
            os.close(fd)
            who = "another newsdesk"
            if holder and holder[0].isdigit():
                who = f"another newsdesk (pid {holder[0]}"
                if len(holder) > 1 and holder[1] != socket.gethostname():
                    who += f" on {holder[1]}"
                who += ")"
            raise StoreLocked(
                f"{self.path} is open in {who}; close it first or use --db to choose another database"
            ) from None
        self._lock_fd = fd
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()} {socket.gethostname()}\n".encode(), 0)
        except OSError:
            pass  # the lock holds without the note; only the message to a second writer suffers

    def _keep_mode(self) -> None:
        """Give the journal and the lock the snapshot's mode: they hold the same notes."""
        for fd in (self._journal_fd, self._lock_fd):
            if fd is not None:
                try:
                    if stat.S_IMODE(os.fstat(fd).st_mode) != self._mode:
                        os.fchmod(fd, self._mode)
                except OSError:
                    pass  # not the owner: the files keep working, only their mode differs

    def _remove_stale_temp_files(self) -> None:
        prefix = f".{self.path.name}."
        try:
            names = os.listdir(self.path.parent)
        except OSError:
            return
        for name in names:
            if name.startswith(prefix) and name.endswith(".tmp"):
                try:
                    os.unlink(self.path.parent / name)
                except OSError:
                    pass

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

    # --- writing ---------------------------------------------------------------------------

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

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"{self.path} is closed; open it again to use it")

    def _check_writable(self) -> None:
        self._check_open()
        if self.readonly:
            raise StoreError(f"{self.path} is open read-only; open it without read-only to make changes")
        if self._broken is not None:
            raise StoreError(self._broken)

    def _commit(self, changes: list[tuple[str, str, str, _Doc | None]]) -> None:
        """Journal `changes` (op, table, key, doc) with one write and one fsync, then apply them."""
        next_id = dict(self._next_id)
        end = self._seq + len(changes)
        records: list[_Doc] = []
        for seq, (op, name, key, doc) in enumerate(changes, start=self._seq + 1):
            doc_id = self._ids[name].get(key)
            if doc_id is None:
                doc_id = next_id[name]
                next_id[name] += 1
            record: _Doc = {"seq": seq, "op": op, "table": name, "id": doc_id, "doc": doc}
            if len(changes) > 1:
                record["end"] = end
            records.append(record)
        payload = "".join(json.dumps(r, separators=(",", ":")) + "\n" for r in records).encode("utf-8")
        self._append(payload)
        self._seq = end
        for record in records:
            self._apply(record)
        self._journal_records += len(records)
        self._maybe_compact()

    def _append(self, payload: bytes) -> None:
        """Append to the journal and fsync; on failure restore it and raise `StoreError`."""
        assert self._journal_fd is not None
        size = self._journal_size
        try:
            view = memoryview(payload)
            while view:
                written = os.write(self._journal_fd, view)
                view = view[written:]
            os.fsync(self._journal_fd)
        except OSError as exc:
            try:
                os.ftruncate(self._journal_fd, size)
                os.fsync(self._journal_fd)
            except OSError:
                # The journal may now end in a partial record; appending after it would bury
                # it mid-file, so refuse further writes. Reopening will cut the torn tail.
                self._broken = (
                    f"{self.journal_path} could not be restored after a failed write; "
                    f"close newsdesk and open the database again"
                )
            raise StoreError(
                f"could not save to {self.journal_path}: {exc.strerror or exc}; the change was not saved "
                f"- free some disk space or check the disk, then try again"
            ) from None
        self._journal_size = size + len(payload)

    def _live_documents(self) -> int:
        return sum(len(self._tables[name]) for name in _KEY_FIELD)

    def _maybe_compact(self) -> None:
        # Measured against the last snapshot, not the live count: with adds only, the live
        # count grows with the journal and would never be passed. This way replaying the
        # journal never costs more than loading the snapshot, and a compaction (cost: snapshot
        # + journal) comes after at least as many records -- amortised O(1) a change.
        limit = max(_COMPACT_MIN_RECORDS, int(self._snapshot_documents * _COMPACT_FACTOR))
        if self._journal_records <= max(limit, self._compact_retry_at):
            return
        try:
            self._compact()
        except OSError:
            # The changes are safe in the journal; try again after as many records more.
            self._compact_retry_at = self._journal_records + limit

    def _compact(self) -> None:
        """Write a snapshot of everything, atomically, then empty the journal."""
        self._write_snapshot()
        self._truncate_journal()
        self._compact_retry_at = 0

    def _truncate_journal(self) -> None:
        assert self._journal_fd is not None
        try:
            os.ftruncate(self._journal_fd, 0)
            os.fsync(self._journal_fd)
        finally:
            # Whatever happened, appends must know where the journal really ends.
            self._journal_size = os.fstat(self._journal_fd).st_size
            if self._journal_size == 0:
                self._journal_records = 0

    def _write_snapshot(self) -> None:
        self._tables[META] = {"1": {"app": APP, "format": FORMAT, "seq": self._seq}}
        self._snapshot_documents = self._live_documents()
        payload = json.dumps(self._tables, separators=(",", ":")).encode("utf-8")
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=self.path.parent)
        try:
            try:
                # The new snapshot keeps the mode of the one it replaces (a chmod survives).
                try:
                    self._mode = stat.S_IMODE(os.stat(self.path).st_mode)
                except OSError:
                    pass
                os.fchmod(fd, self._mode)
                view = memoryview(payload)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            os.replace(temp, self.path)
            self._keep_mode()
        except BaseException:
            try:
                os.unlink(temp)
            except OSError:
                pass
            raise
        _fsync_dir(self.path.parent)

    # --- closing ---------------------------------------------------------------------------

    def close(self) -> None:
        """Compact if the journal holds changes, then release the files and the lock.

        Idempotent. A failed compaction loses nothing: the journal is replayed next time.
        """
        with self._mutex:
            if self._closed:
                return
            self._closed = True
            try:
                if not self.readonly and self._broken is None and self._journal_records:
                    try:
                        self._compact()
                    except OSError:
                        pass
            finally:
                self._release()

    def _release(self) -> None:
        if self._journal_fd is not None:
            os.close(self._journal_fd)
            self._journal_fd = None
        if self._lock_fd is not None:
            try:
                fcntl.flock(self._lock_fd, fcntl.LOCK_UN)
            finally:
                os.close(self._lock_fd)
                self._lock_fd = None

    # --- spans -----------------------------------------------------------------------------

    def add_span(self, span: Span) -> Span:
        """Store a new span; returns it once it is on disk. ValueError if its id is stored."""
        return self.add_spans([span])[0]

    def add_spans(self, spans: Iterable[Span]) -> list[Span]:
        """Store new spans with one write and one fsync; all of them or, on error, none."""
        batch = list(spans)
        with self._mutex:
            self._check_writable()
            stored = self._ids[SPANS]
            seen: set[str] = set()
            for span in batch:
                if not isinstance(span, Span):
                    raise TypeError(f"expected a Span, got {type(span).__name__}")
                if span.id in stored or span.id in seen:
                    raise ValueError(f"span {span.id} is already stored")
                seen.add(span.id)
            if batch:
                self._commit([("put", SPANS, span.id, span.to_dict()) for span in batch])
            return batch

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
        limit = max(_COMPACT_MIN_RECORDS, int(self._snapshot_documents * _COMPACT_FACTOR))
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

    def _commit_by_snapshot(self, changes: list[tuple[str, str, str, _Doc | None]]) -> None:
        """Commit a batch of puts as a new snapshot: applied in memory, written whole (temporary
        file, fsync, rename, folder fsync), then the journal emptied -- what journalling the
        batch and compacting at once would leave, written once. If the snapshot cannot be
        written, memory is put back as it was and `StoreError` raised: nothing changed."""
        tables, ids, by_article = self._tables, self._ids, self._by_article
        saved = (self._seq, dict(self._next_id), self._snapshot_documents, tables.get(META))
        undo: list[tuple[str, int, str, _Doc | None, _Doc]] = []
        for _op, name, key, doc in changes:
            doc = cast(_Doc, doc)
            doc_id = ids[name].get(key)
            old = None
            if doc_id is None:
                doc_id = self._next_id[name]
                self._next_id[name] += 1
                ids[name][key] = doc_id
                if name == SPANS:
                    by_article.setdefault(doc["article_id"], set()).add(key)
            else:
                old = tables[name][str(doc_id)]
                if name == SPANS:  # add_batch stores new spans only; kept general all the same
                    self._unindex_span(old["article_id"], key)
                    by_article.setdefault(doc["article_id"], set()).add(key)
            tables[name][str(doc_id)] = doc
            undo.append((name, doc_id, key, old, doc))
        self._seq += len(changes)
        try:
            before = os.stat(self.path)
        except OSError:
            before = None
        try:
            self._write_snapshot()
        except BaseException as exc:
            try:
                after = os.stat(self.path)
                replaced = before is None or (after.st_ino, after.st_dev) != (before.st_ino, before.st_dev)
            except OSError:
                replaced = False
            if replaced:  # the new snapshot is in place (only the folder's fsync failed): committed
                try:
                    _fsync_dir(self.path.parent)
                except OSError:
                    raise StoreError(
                        f"saved {self.path} but could not confirm it on disk: {getattr(exc, 'strerror', exc)}; "
                        f"check the disk"
                    ) from None
            else:
                for name, doc_id, key, old, doc in reversed(undo):
                    if old is None:
                        del tables[name][str(doc_id)]
                        del ids[name][key]
                        if name == SPANS:
                            self._unindex_span(doc["article_id"], key)
                    else:
                        tables[name][str(doc_id)] = old
                        if name == SPANS:
                            self._unindex_span(doc["article_id"], key)
                            by_article.setdefault(old["article_id"], set()).add(key)
                self._seq, self._next_id, self._snapshot_documents, meta = saved
                if meta is not None:
                    tables[META] = meta
                if isinstance(exc, OSError):
                    raise StoreError(
                        f"could not save to {self.path}: {exc.strerror or exc}; the change was not saved "
                        f"- free some disk space or check the disk, then try again"
                    ) from None
                raise
        try:
            self._truncate_journal()
            self._compact_retry_at = 0
        except OSError:
            # Harmless: what the journal holds is older than the snapshot and skipped on replay.
            self._compact_retry_at = self._journal_records + max(_COMPACT_MIN_RECORDS, self._snapshot_documents)

    def update_span(self, span: Span) -> Span:
        """Replace the stored span with the same id; KeyError if there is none."""
        with self._mutex:
            self._check_writable()
            if span.id not in self._ids[SPANS]:
                raise KeyError(span.id)
            self._commit([("put", SPANS, span.id, span.to_dict())])
            return span

    def delete_span(self, span_id: str) -> Span:
        """Delete a span; returns what was deleted. KeyError if there is none."""
        with self._mutex:
            self._check_writable()
            old = self._get_span(span_id)
            if old is None:
                raise KeyError(span_id)
            self._commit([("del", SPANS, span_id, None)])
            return old

    def _get_span(self, span_id: str) -> Span | None:
        doc_id = self._ids[SPANS].get(span_id)
        if doc_id is None:
            return None
        doc = self._tables[SPANS].get(str(doc_id))
        return Span.from_stored(doc) if doc is not None else None

    def get_span(self, span_id: str) -> Span | None:
        """The span with this id, or None."""
        with self._mutex:
            self._check_open()
            return self._get_span(span_id)

    def spans_for(self, article_id: str) -> list[Span]:
        """The spans of one article, sorted by (start, end, id); costs O(its spans)."""
        with self._mutex:
            self._check_open()
            spans = [self._get_span(span_id) for span_id in self._by_article.get(article_id, ())]
        found = [span for span in spans if span is not None]
        found.sort(key=lambda span: (span.start, span.end, span.id))
        return found

    def iter_spans(self) -> Iterator[Span]:
        """Every stored span, as they stood when called (safe to write while iterating)."""
        with self._mutex:
            self._check_open()
            # References taken under the lock; documents are replaced, never changed in place.
            docs = list(self._tables[SPANS].values())
        return (Span.from_stored(doc) for doc in docs)

    def span_count(self, article_id: str | None = None) -> int:
        """How many spans are stored, in all or in one article."""
        with self._mutex:
            self._check_open()
            if article_id is None:
                return len(self._tables[SPANS])
            return len(self._by_article.get(article_id, ()))

    def span_counts(self) -> dict[str, int]:
        """How many spans each article has (articles without spans are absent), without building spans."""
        with self._mutex:
            self._check_open()
            return dict(Counter(map(itemgetter("article_id"), self._tables[SPANS].values())))

    def article_ids_with_spans(self) -> set[str]:
        """The ids of the articles that have at least one span."""
        with self._mutex:
            self._check_open()
            return set(self._by_article)

    # --- topics ----------------------------------------------------------------------------

    def topics(self) -> list[Topic]:
        """All topics: those with keys 1..9 first in key order, then the rest by name."""
        with self._mutex:
            self._check_open()
            topics = [Topic.from_dict(doc) for doc in self._db.table(TOPICS).all()]
        topics.sort(key=lambda t: (0, t.key, "") if t.key is not None else (1, 0, t.name.casefold()))
        return topics

    def topic(self, name: str) -> Topic | None:
        """The topic with this name, or None."""
        with self._mutex:
            self._check_open()
            doc_id = self._ids[TOPICS].get(name)
            doc = self._db.table(TOPICS).get(doc_id=doc_id) if doc_id is not None else None
            return Topic.from_dict(doc) if doc is not None else None

    def put_topic(self, topic: Topic) -> Topic:
        """Add a topic or replace the one with its name.

        A shortcut key belongs to one topic: if another topic holds `topic.key`, it loses its
        key in the same (atomic) write.
        """
        with self._mutex:
            self._check_writable()
            changes: list[tuple[str, str, str, _Doc | None]] = []
            if topic.key is not None:
                for doc in self._db.table(TOPICS).all():
                    other = Topic.from_dict(doc)
                    if other.key == topic.key and other.name != topic.name:
                        changes.append(("put", TOPICS, other.name, replace(other, key=None).to_dict()))
            changes.append(("put", TOPICS, topic.name, topic.to_dict()))
            self._commit(changes)
            return topic

    def delete_topic(self, name: str) -> Topic | None:
        """Delete a topic; returns it, or None if there was none. Spans keep the name."""
        with self._mutex:
            self._check_writable()
            old = self.topic(name)
            if old is not None:
                self._commit([("del", TOPICS, name, None)])
            return old

    # --- document topics and done flags ---------------------------------------------------------

    def doc_topics(self, article_id: str) -> DocTopics:
        """The document-level topics of an article (empty when none were set)."""
        with self._mutex:
            self._check_open()
            doc_id = self._ids[DOC_TOPICS].get(article_id)
            doc = self._db.table(DOC_TOPICS).get(doc_id=doc_id) if doc_id is not None else None
            return DocTopics.from_dict(doc) if doc is not None else DocTopics(article_id)

    def set_doc_topics(self, doc: DocTopics) -> DocTopics:
        """Set (replace) the document-level topics of `doc.article_id`."""
        with self._mutex:
            self._check_writable()
            self._commit([("put", DOC_TOPICS, doc.article_id, doc.to_dict())])
            return doc

    def marked_article_ids(self) -> set[str]:
        """Ids of articles with document topics or a done record: the only ones, with those
        holding spans, whose library row is more than its entry (a million rows draw fast)."""
        with self._mutex:
            self._check_open()
            return set(self._ids[DOC_TOPICS]) | set(self._ids[ARTICLES])

    def is_done(self, article_id: str) -> bool:
        """Whether the article is marked done."""
        with self._mutex:
            self._check_open()
            doc_id = self._ids[ARTICLES].get(article_id)
            doc = self._db.table(ARTICLES).get(doc_id=doc_id) if doc_id is not None else None
            # An article holding suggestions nobody has reviewed yet is not done.
            return bool(doc and doc.get("done")) and article_id not in self._suggested

    def set_done(self, article_id: str, done: bool) -> None:
        """Mark an article done or not done (no write when it already is)."""
        with self._mutex:
            self._check_writable()
            doc_id = self._ids[ARTICLES].get(article_id)
            doc = self._db.table(ARTICLES).get(doc_id=doc_id) if doc_id is not None else None
            if bool(doc and doc.get("done")) == bool(done):  # the flag, whatever suggestions are open
                return
            self._commit([("put", ARTICLES, article_id, {"article_id": article_id, "done": bool(done)})])

    # --- batches of topic edits (renaming, merging and deleting topics) ---------------------

    def iter_doc_topics(self) -> list[DocTopics]:
        """Every stored set of document-level topics (articles whose topics were never set are absent)."""
        with self._mutex:
            self._check_open()
            docs = list(self._tables[DOC_TOPICS].values())
        return [DocTopics.from_dict(doc) for doc in docs]

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
