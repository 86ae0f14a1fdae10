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

Modules: this one holds `Store` (opening, locking, the journal, snapshots, compaction) and every
name above; the parts are ``store_format`` (file formats, parsing, errors), ``store_tables``
(TinyDB in memory, indexes, replay), ``store_api`` (documents read and changed one by one),
``store_batches`` (batch writes) and ``suggestion_store``. Everything that touches a file, and
the compaction thresholds tests shrink, stay here.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import socket
import stat
import tempfile
import threading
from pathlib import Path
from types import TracebackType
from typing import cast

from .documents import Damaged as _Damaged
from .model import DocTopics, Span, Topic  # noqa: F401  (re-exported)
from .store_api import DocumentAPI
from .store_batches import BatchWrites
from .store_format import (  # noqa: F401  (re-exported: the store's public names live here)
    _KEY_FIELD,
    APP,
    ARTICLES,
    DOC_TOPICS,
    FORMAT,
    META,
    SPANS,
    TOPICS,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    _Doc,
    _gc_paused,
    _kind,
    _parse_record,
    _parse_snapshot,
    _resolve,
    _Tables,
)
from .store_tables import MemoryTables, _LoadedStorage, _MemoryTinyDB  # noqa: F401
from .suggestion_store import SuggestionTables

__all__ = [
    "StoreError",
    "StoreLocked",
    "StoreCorrupt",
    "default_db_path",
    "has_database",
    "DEFAULT_TOPICS",
    "Store",
]


# Compaction: when the journal holds more records than max(_COMPACT_MIN_RECORDS,
# _COMPACT_FACTOR x the documents in the last snapshot). Module-level so tests can shrink them.
_COMPACT_MIN_RECORDS = 2000
_COMPACT_FACTOR = 1.0


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




# A new database is private (it holds people's notes); an existing one keeps its snapshot's mode.
_NEW_MODE = 0o600


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


class Store(DocumentAPI, BatchWrites, MemoryTables, SuggestionTables):
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

    # --- writing ---------------------------------------------------------------------------

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

    def _compact_limit(self) -> int:
        """How many journal records trigger a compaction (read at call time: tests shrink it)."""
        return max(_COMPACT_MIN_RECORDS, int(self._snapshot_documents * _COMPACT_FACTOR))

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
