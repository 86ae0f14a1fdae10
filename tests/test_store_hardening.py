"""A damaged, odd or hostile database file is reported in one line and never rewritten.

Each story starts from a database newsdesk wrote, damages it the way a disk, an editor or a
person could, and checks that opening it names the file and the record and leaves every file
byte for byte as it was.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import threading
from pathlib import Path
from typing import Any, Callable

import pytest

from newsdesk.annotations.model import DocTopics, Span, Topic
from newsdesk.annotations.store import Store, StoreCorrupt, StoreError
from conftest import ROOT


def journal_of(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def lock_of(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


def make_span(span_id: str, start: int = 0, end: int = 5) -> Span:
    return Span(id=span_id, article_id="article-1", start=start, end=end, text="x" * (end - start), topics=("energy",))


def a_database(tmp_path: Path) -> Path:
    """A closed database holding two spans, a new topic, document topics and a done mark."""
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:
        store.add_spans([make_span("s1"), make_span("s2", 3, 9)])
        store.put_topic(Topic("rare earths", None, "#123456", "Rare earth elements."))
        store.set_doc_topics(DocTopics("article-1", ("energy",)))
        store.set_done("article-1", True)
    return db


def files_of(db: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(db.parent.iterdir()) if path.is_file()}


def first(tables: dict[str, Any], table: str, **match: object) -> dict[str, Any]:
    for doc in tables[table].values():
        if all(doc.get(k) == v for k, v in match.items()):
            return doc
    raise LookupError(match)


def run_cli(*argv: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        [sys.executable, "-m", "newsdesk", *argv], capture_output=True, text=True, env=env, timeout=60, cwd=ROOT
    )


# --- item 6: every stored document is checked on open ---------------------------------------------

Damage = Callable[[dict[str, Any]], None]
DAMAGES: dict[str, tuple[Damage, str]] = {
    "span-without-topics": (lambda t: first(t, "spans", id="s1").pop("topics"), "has no 'topics'"),
    "start-zero": (lambda t: first(t, "spans", id="s1").update(start="zero"), "start 'zero', not a whole number"),
    "start-true": (lambda t: first(t, "spans", id="s1").update(start=True), "not a whole number"),
    "offsets-backwards": (lambda t: first(t, "spans", id="s2").update(start=9, end=3), "out of order"),
    "topic-not-a-name": (lambda t: first(t, "spans", id="s1").update(topics=[5]), "5 among its topics"),
    "note-a-number": (lambda t: first(t, "spans", id="s2").update(note=7), "note 7, not a text"),
    "key-seven": (lambda t: first(t, "topics", name="energy").update(key="seven"), "key 'seven'"),
    "key-ten": (lambda t: first(t, "topics", name="energy").update(key=10), "key 10"),
    "bad-colour": (lambda t: first(t, "topics", name="energy").update(colour="not a colour"), "colour 'not a colour'"),
    "doc-topics-a-string": (lambda t: first(t, "doc_topics").update(topics="xyz"), "not a list of names"),
    "done-yes": (lambda t: first(t, "articles").update(done="yes"), "done 'yes', not true or false"),
}


@pytest.mark.parametrize("damage", list(DAMAGES), ids=list(DAMAGES))
def test_a_snapshot_with_one_malformed_document_is_refused_naming_it(tmp_path: Path, damage: str) -> None:
    db = a_database(tmp_path)
    tables = json.loads(db.read_bytes())
    change, why = DAMAGES[damage]
    change(tables)
    db.write_text(json.dumps(tables), encoding="utf-8")
    before = files_of(db)
    for readonly in (True, False):
        with pytest.raises(StoreCorrupt) as caught:
            Store(db, readonly=readonly)
        message = str(caught.value)
        assert "\n" not in message and message.startswith(f"{db} is not a newsdesk database")
        assert "document " in message and why in message, message
        assert files_of(db) == before


def test_a_malformed_document_in_the_journal_is_refused_naming_the_line(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    store = Store(db)
    store.add_span(make_span("s1"))
    journal = journal_of(db).read_bytes()
    store._release()  # as if killed: the journal keeps its record
    record = json.loads(journal)
    record["doc"]["start"] = "zero"
    journal_of(db).write_text(json.dumps(record) + "\n", encoding="utf-8")
    before = files_of(db)
    for readonly in (True, False):
        with pytest.raises(StoreCorrupt) as caught:
            Store(db, readonly=readonly)
        assert str(journal_of(db)) in str(caught.value) and "line 1" in str(caught.value)
        assert "start 'zero'" in str(caught.value)
        assert files_of(db) == before


def test_the_cli_reports_a_malformed_document_in_one_line(tmp_path: Path) -> None:
    db = a_database(tmp_path)
    tables = json.loads(db.read_bytes())
    first(tables, "topics", name="energy")["key"] = "seven"
    db.write_text(json.dumps(tables), encoding="utf-8")
    before = files_of(db)
    for command in ("topics", "list"):
        result = run_cli(command, "--db", str(db))
        assert result.returncode == 1 and result.stdout == ""
        assert len(result.stderr.splitlines()) == 1 and "key 'seven'" in result.stderr, result.stderr
        assert "unexpected" not in result.stderr
    assert files_of(db) == before


def test_documents_in_another_order_or_without_optional_fields_still_open(tmp_path: Path) -> None:
    db = a_database(tmp_path)
    tables = json.loads(db.read_bytes())
    span = first(tables, "spans", id="s1")
    tables["spans"] = {k: dict(reversed(list(doc.items()))) for k, doc in tables["spans"].items()}
    topic = first(tables, "topics", name="rare earths")
    del topic["description"], topic["key"]
    db.write_text(json.dumps(tables), encoding="utf-8")
    with Store(db, readonly=True) as store:
        assert store.get_span("s1") == Span.from_dict(span)
        assert store.topic("rare earths") == Topic("rare earths", None, "#123456")


# --- item 7: a journal without its snapshot is reported, not taken for an empty database -----------


def test_list_and_topics_report_a_journal_whose_snapshot_is_missing(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    store = Store(db)
    store.add_span(make_span("s1"))
    store._release()  # killed: the span is only in the journal
    db.unlink()
    before = files_of(db)
    for command in ("list", "topics"):
        result = run_cli(command, "--db", str(db))
        assert result.returncode == 1 and result.stdout == "", (command, result.stdout)
        assert len(result.stderr.splitlines()) == 1 and "is missing" in result.stderr
        assert journal_of(db).name in result.stderr
    assert files_of(db) == before


def test_a_database_that_was_never_created_still_lists_as_empty(tmp_path: Path) -> None:
    result = run_cli("topics", "--db", str(tmp_path / "never.json"))
    assert result.returncode == 0 and "energy" in result.stdout
    assert not (tmp_path / "never.json").exists()


# --- item 8: only regular files are read, and a whole damaged last line is damage ----------------


def test_a_symlink_loop_as_the_database_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.json").symlink_to(tmp_path / "b.json")
    (tmp_path / "b.json").symlink_to(tmp_path / "a.json")
    for readonly in (True, False):
        with pytest.raises(StoreError) as caught:
            Store(tmp_path / "a.json", readonly=readonly)
        assert "symbolic link" in str(caught.value) and "--db" in str(caught.value)
    result = run_cli("list", "--db", str(tmp_path / "a.json"))
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1, result.stderr
    assert "symbolic link" in result.stderr


def refusal_without_blocking(fifo: Path, opening: Callable[[], object]) -> BaseException:
    """What `opening` raised; fails the test (after unblocking it) if it waits on `fifo`."""
    outcome: list[BaseException] = []

    def attempt() -> None:
        try:
            opening()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome.append(error)

    worker = threading.Thread(target=attempt, daemon=True)
    worker.start()
    worker.join(timeout=20)
    if worker.is_alive():
        os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))  # a writer appears: the open returns
        worker.join(timeout=20)
        pytest.fail(f"opening blocked on the FIFO {fifo}")
    assert outcome, "opening a FIFO did not fail"
    return outcome[0]


def test_a_fifo_as_the_database_is_refused_without_waiting_for_a_writer(tmp_path: Path) -> None:
    fifo = tmp_path / "newsdesk.json"
    os.mkfifo(fifo)
    for readonly in (True, False):
        error = refusal_without_blocking(fifo, lambda: Store(fifo, readonly=readonly))
        assert isinstance(error, StoreError) and "not a regular file" in str(error), error
        assert stat.S_ISFIFO(fifo.stat().st_mode)
    result = run_cli("topics", "--db", str(fifo))
    assert result.returncode == 1 and "not a regular file" in result.stderr and len(result.stderr.splitlines()) == 1


def test_dev_zero_as_the_database_is_refused_without_reading_it() -> None:
    for readonly in (True, False):
        with pytest.raises(StoreError, match="not a regular file"):
            Store("/dev/zero", readonly=readonly)
    result = run_cli("list", "--db", "/dev/zero")
    assert result.returncode == 1 and "not a regular file" in result.stderr and len(result.stderr.splitlines()) == 1


def test_a_journal_that_is_a_fifo_is_refused(tmp_path: Path) -> None:
    db = a_database(tmp_path)
    journal_of(db).unlink()
    os.mkfifo(journal_of(db))
    for readonly in (True, False):
        error = refusal_without_blocking(journal_of(db), lambda: Store(db, readonly=readonly))
        assert isinstance(error, StoreError) and "not a regular file" in str(error), error


def test_a_whole_unparsable_last_journal_line_is_damage_not_a_torn_write(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    store = Store(db)
    store.add_spans([make_span("s1"), make_span("s2")])
    store._release()
    with open(journal_of(db), "ab") as journal:
        journal.write(b'{"seq": 3, "op": "put", "table": "spans", "id": 3, "doc": {"id": "s3"\n')
    before = files_of(db)
    for readonly in (True, False):
        with pytest.raises(StoreCorrupt) as caught:
            Store(db, readonly=readonly)
        assert str(journal_of(db)) in str(caught.value) and "line 3 is not a journal record" in str(caught.value)
    assert files_of(db) == before


# --- item 10: one file mode for the snapshot, the journal and the lock ---------------------------


def modes(db: Path) -> tuple[int, int, int]:
    return tuple(stat.S_IMODE(path.stat().st_mode) for path in (db, journal_of(db), lock_of(db)))  # type: ignore[return-value]


def test_a_new_database_keeps_all_three_files_private(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        with Store(tmp_path / "newsdesk.json") as store:
            store.add_span(make_span("s1"))
            assert modes(store.path) == (0o600, 0o600, 0o600)
    finally:
        os.umask(old)


def test_a_chmod_on_the_snapshot_is_kept_by_compaction_and_followed_by_the_others(tmp_path: Path) -> None:
    db = a_database(tmp_path)
    os.chmod(db, 0o640)
    with Store(db) as store:
        assert modes(db) == (0o640, 0o640, 0o640)
        store.add_span(make_span("s3"))
    # close() compacted: a new snapshot replaced the old one
    assert modes(db) == (0o640, 0o640, 0o640)
