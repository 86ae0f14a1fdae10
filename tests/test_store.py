"""The store keeps every annotation, refuses to guess about damaged files, and stays one writer."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule, run_state_machine_as_test
from tinydb import TinyDB

from newsdesk.annotations import store as store_module
from newsdesk.annotations.model import DocTopics, Span, Topic
from newsdesk.annotations.store import (
    DEFAULT_TOPICS,
    Store,
    StoreCorrupt,
    StoreError,
    StoreLocked,
    default_db_path,
)
from conftest import ROOT


def make_span(span_id: str, article_id: str = "article-1", start: int = 0, end: int = 5, **extra: object) -> Span:
    text = "x" * (end - start)
    return Span(id=span_id, article_id=article_id, start=start, end=end, text=text, topics=("energy",), **extra)  # type: ignore[arg-type]


def journal_of(db: Path) -> Path:
    return db.with_name(db.name + ".journal")


def crash_image(db: Path, into: Path) -> Path:
    """The files as a SIGKILL at this instant would leave them (the page cache is what survives)."""
    into.mkdir()
    shutil.copyfile(db, into / db.name)
    shutil.copyfile(journal_of(db), into / journal_of(db).name)
    return into / db.name


def journal_lines(db: Path) -> list[bytes]:
    return journal_of(db).read_bytes().splitlines(keepends=True)


# --- everyday use -----------------------------------------------------------------------------


def test_spans_topics_doc_topics_and_done_survive_close_and_reopen(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:
        summit = make_span("s1", start=10, end=20, note="Starmer in Tokyo", annotator="ana")
        store.add_span(summit)
        store.add_span(make_span("s2", start=30, end=42))
        store.add_span(make_span("gone", start=1, end=2))
        edited = summit.edited(topics=("diplomacy", "indo-pacific"), note="Starmer meets Takaichi")
        store.update_span(edited)
        assert store.delete_span("gone").id == "gone"
        store.put_topic(Topic("rare earths", None, "#123456", "Rare earth elements."))
        store.delete_topic("events")
        store.set_doc_topics(DocTopics("article-1", ("diplomacy", "energy"), annotator="ana", updated="2026-02-01"))
        store.set_done("article-1", True)
        store.set_done("article-2", True)
        store.set_done("article-2", False)

    with Store(db) as store:
        assert store.get_span("s1") == edited
        assert store.get_span("gone") is None
        assert store.span_count() == 2
        assert store.topic("rare earths") == Topic("rare earths", None, "#123456", "Rare earth elements.")
        assert store.topic("events") is None
        assert store.doc_topics("article-1").topics == ("diplomacy", "energy")
        assert store.doc_topics("article-9") == DocTopics("article-9")
        assert store.is_done("article-1") and not store.is_done("article-2") and not store.is_done("nope")


def test_japanese_text_and_emoji_in_spans_round_trip(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    span = Span("jp", "a", 0, 6, "高市早苗 🇯🇵", ("diplomacy",), note="line one\nline two\u2028😀")
    with Store(db) as store:
        store.add_span(span)
    with Store(db) as store:
        assert store.get_span("jp") == span


def test_an_articles_spans_come_back_in_reading_order(tmp_path: Path) -> None:
    with Store(tmp_path / "newsdesk.json") as store:
        store.add_spans(
            [
                make_span("c", start=5, end=9),
                make_span("b", start=5, end=7),
                make_span("a", start=5, end=7),
                make_span("z", start=0, end=30),
                make_span("other", article_id="article-2", start=0, end=1),
            ]
        )
        assert [s.id for s in store.spans_for("article-1")] == ["z", "a", "b", "c"]
        assert store.span_count("article-1") == 4 and store.span_count() == 5
        assert store.article_ids_with_spans() == {"article-1", "article-2"}
        store.delete_span("other")
        assert store.article_ids_with_spans() == {"article-1"}
        assert store.spans_for("article-2") == [] and store.spans_for("unknown") == []


def test_a_new_database_starts_with_a_news_taxonomy_on_keys_1_to_9(tmp_path: Path) -> None:
    with Store(tmp_path / "newsdesk.json") as store:
        topics = store.topics()
    assert topics == sorted(DEFAULT_TOPICS, key=lambda t: (t.key is None, t.key or 0, t.name))
    keyed = [t.key for t in topics if t.key is not None]
    assert keyed == list(range(1, 10))
    assert len({t.name for t in topics}) == len(topics)
    assert len({t.colour for t in topics}) == len(topics)
    assert all(re.fullmatch(r"#[0-9a-f]{6}", t.colour) for t in topics)
    assert all(t.description and "\n" not in t.description for t in topics)
    assert {"defence and security", "cybersecurity", "critical minerals and supply chains", "energy"} <= {
        t.name for t in topics
    }


def test_giving_a_topic_a_taken_key_moves_the_key(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:
        store.put_topic(Topic("rare earths", 5, "#123456", "Rare earth elements."))
        assert store.topic("energy").key is None  # type: ignore[union-attr]
    with Store(db) as store:
        assert [t.name for t in store.topics() if t.key == 5] == ["rare earths"]
        assert store.delete_topic("no such topic") is None


def test_a_batch_of_spans_is_saved_whole_or_not_at_all(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:
        assert store.add_spans([]) == []
        batch = [make_span(f"b{i}", start=i, end=i + 3) for i in range(50)]
        assert store.add_spans(batch) == batch
        assert len(journal_lines(db)) == 50
        with pytest.raises(ValueError, match="b3"):
            store.add_spans([make_span("new"), make_span("b3")])
        with pytest.raises(ValueError, match="twice"):
            store.add_spans([make_span("twice"), make_span("twice")])
        assert store.get_span("new") is None and store.get_span("twice") is None
    with Store(db) as store:
        assert {s.id for s in store.iter_spans()} == {f"b{i}" for i in range(50)}


def test_changing_a_span_that_is_not_there_is_an_error(tmp_path: Path) -> None:
    with Store(tmp_path / "newsdesk.json") as store:
        store.add_span(make_span("s1"))
        with pytest.raises(ValueError):
            store.add_span(make_span("s1"))
        with pytest.raises(KeyError):
            store.update_span(make_span("missing"))
        with pytest.raises(KeyError):
            store.delete_span("missing")


def test_opening_creates_missing_folders(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "er" / "newsdesk.json"
    with Store(db):
        pass
    assert db.is_file()


def test_the_default_database_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_db_path() == tmp_path / "xdg" / "newsdesk" / "newsdesk.json"
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "mine.json"))
    assert default_db_path() == tmp_path / "mine.json"
    monkeypatch.delenv("NEWSDESK_DB")
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_db_path() == tmp_path / "home" / ".local" / "share" / "newsdesk" / "newsdesk.json"


def test_close_is_idempotent_and_a_closed_store_refuses_work(tmp_path: Path) -> None:
    store = Store(tmp_path / "newsdesk.json")
    store.add_span(make_span("s1"))
    store.close()
    store.close()
    with pytest.raises(StoreError, match="closed"):
        store.add_span(make_span("s2"))
    with pytest.raises(StoreError, match="closed"):
        store.get_span("s1")
    assert journal_of(store.path).read_bytes() == b""  # compacted on close


def test_threads_sharing_one_store_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:

        def worker(n: int) -> None:
            for i in range(40):
                store.add_span(make_span(f"t{n}-{i}", article_id=f"article-{n}"))
                if i % 4 == 0:
                    store.delete_span(f"t{n}-{i}")

        threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    with Store(db) as store:
        assert store.span_count() == 4 * 30
        assert all(store.span_count(f"article-{n}") == 30 for n in range(4))


# --- one writer -------------------------------------------------------------------------------

LOCK_PROBE = """
import sys
from newsdesk.annotations.store import Store, StoreLocked
try:
    Store(sys.argv[1]).close()
except StoreLocked as exc:
    print(exc)
    sys.exit(3)
print("opened")
"""


def open_in_another_process(db: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", LOCK_PROBE, str(db)], cwd=ROOT, capture_output=True, text=True, timeout=120
    )


def test_a_second_newsdesk_is_told_who_has_the_database_open(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    store = Store(db)
    try:
        result = open_in_another_process(db)
        assert result.returncode == 3, result.stderr
        message = result.stdout.strip()
        assert "\n" not in message
        assert str(db) in message and f"pid {os.getpid()}" in message
        assert "close it first" in message and "--db" in message
    finally:
        store.close()
    result = open_in_another_process(db)
    assert (result.returncode, result.stdout.strip()) == (0, "opened"), result.stderr


def test_a_second_writer_in_the_same_process_is_locked_out_too(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db):
        with pytest.raises(StoreLocked):
            Store(db)
    with Store(db):
        pass


def test_reading_while_another_newsdesk_writes_is_allowed_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as writer:
        writer.add_span(make_span("s1"))
        before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
        with Store(db, readonly=True) as reader:
            assert reader.get_span("s1") is not None
            for change in (
                lambda: reader.add_span(make_span("s2")),
                lambda: reader.delete_span("s1"),
                lambda: reader.set_done("article-1", True),
                lambda: reader.put_topic(Topic("x")),
            ):
                with pytest.raises(StoreError, match="read-only"):
                    change()
        assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before


def test_a_reader_opening_while_the_writer_compacts_sees_everything(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_COMPACT_MIN_RECORDS", 3)
    monkeypatch.setattr(store_module, "_COMPACT_FACTOR", 0.0)
    db = tmp_path / "newsdesk.json"
    with Store(db) as writer:
        writer.add_spans([make_span("s0"), make_span("s1")])
        read_journal = Store._read_journal
        compactions = []

        def writer_compacts_between_the_reads(self: Store) -> bytes:
            # The reader has read the old snapshot; now the writer replaces it, empties the
            # journal and appends past it: that journal no longer continues the old snapshot.
            if self.readonly and not compactions:
                compactions.append(1)
                for i in range(2, 7):
                    writer.add_span(make_span(f"s{i}"))
                assert len(journal_lines(db)) < 5
            return read_journal(self)

        monkeypatch.setattr(Store, "_read_journal", writer_compacts_between_the_reads)
        with Store(db, readonly=True) as reader:
            assert sorted(span.id for span in reader.iter_spans()) == [f"s{i}" for i in range(7)]
        assert compactions


def test_opening_a_missing_database_read_only_is_an_error_not_a_new_file(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="does not exist"):
        Store(tmp_path / "newsdesk.json", readonly=True)
    assert list(tmp_path.iterdir()) == []


# --- damaged files are reported, never repaired ------------------------------------------------------


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"", "empty file"),
        (b"  \n\t\n", "blank file"),
        (b"null", "null"),
        (b"this is not json {", "not JSON"),
        (b"[1, 2, 3]", "list"),
        (b"{}", "no newsdesk _meta"),
        (b'{"_default": {"1": {"a": 1}}}', "no newsdesk _meta"),
        (b'{"_meta": {"1": {"app": "newsdesk", "format": 1, "seq": 0}}, "spans": []}', "'spans' is not an object"),
        (b'{"_meta": {"1": {"app": "newsdesk", "format": 1, "seq": 0}}, "spans": {"1": {"x": 1}}}', "has no 'id'"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
    ids=["empty", "whitespace", "null", "garbage", "list", "empty-object", "other-tinydb", "spans-list", "span-shape", "binary"],
)
def test_a_damaged_database_is_reported_in_one_line_and_left_untouched(tmp_path: Path, content: bytes, why: str) -> None:
    db = tmp_path / "newsdesk.json"
    db.write_bytes(content)
    for readonly in (False, True):
        with pytest.raises(StoreCorrupt) as caught:
            Store(db, readonly=readonly)
        message = str(caught.value)
        assert "\n" not in message
        assert message.startswith(f"{db} is not a newsdesk database")
        assert why in message and "move it aside" in message
        assert db.read_bytes() == content
    assert not journal_of(db).exists()


def test_a_truncated_database_names_the_json_fault_without_stammering(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    db.write_bytes(b'{"_meta": "unfinished')
    with pytest.raises(StoreCorrupt) as caught:
        Store(db)
    message = str(caught.value)
    assert "Unterminated string" in message and "line 1 column" in message
    assert "at at" not in message


def write_three_spans_and_crash(tmp_path: Path) -> Path:
    db = tmp_path / "live" / "newsdesk.json"
    store = Store(db)
    for i in range(3):
        store.add_span(make_span(f"s{i}", start=i, end=i + 1))
    image = crash_image(db, tmp_path / "crashed")
    store.close()
    return image


def test_a_damaged_line_in_the_middle_of_the_journal_stops_the_open(tmp_path: Path) -> None:
    db = write_three_spans_and_crash(tmp_path)
    lines = journal_lines(db)
    lines[1] = b'{"seq": 2, "op": "put", garbage\n'
    journal_of(db).write_bytes(b"".join(lines))
    snapshot, journal = db.read_bytes(), journal_of(db).read_bytes()
    for readonly in (False, True):
        with pytest.raises(StoreCorrupt) as caught:
            Store(db, readonly=readonly)
        message = str(caught.value)
        assert "\n" not in message and str(journal_of(db)) in message and "line 2" in message
        assert "move it aside" in message
    assert (db.read_bytes(), journal_of(db).read_bytes()) == (snapshot, journal)


def test_a_torn_last_journal_line_was_never_acknowledged_and_is_dropped(tmp_path: Path) -> None:
    db = write_three_spans_and_crash(tmp_path)
    whole = journal_of(db).read_bytes()
    torn = whole + b'{"seq":4,"op":"put","table":"spans","id":4,"doc":{"id":"s3","arti'
    journal_of(db).write_bytes(torn)

    with Store(db, readonly=True) as reader:  # a reader copes without cutting anything
        assert {s.id for s in reader.iter_spans()} == {"s0", "s1", "s2"}
    assert journal_of(db).read_bytes() == torn

    with Store(db) as store:
        assert journal_of(db).read_bytes() == whole  # the torn tail is cut, nothing else
        assert {s.id for s in store.iter_spans()} == {"s0", "s1", "s2"}
        store.add_span(make_span("s3"))
    with Store(db) as store:
        assert {s.id for s in store.iter_spans()} == {"s0", "s1", "s2", "s3"}


def test_an_unparsable_last_line_with_its_newline_is_damage_not_a_torn_write(tmp_path: Path) -> None:
    # A torn append never ends in a newline; a whole line that does not parse was written so.
    db = write_three_spans_and_crash(tmp_path)
    journal_of(db).write_bytes(journal_of(db).read_bytes() + b"\x00\x00\x00\n")
    journal = journal_of(db).read_bytes()
    with pytest.raises(StoreCorrupt, match="line 4 is not a journal record"):
        Store(db)
    assert journal_of(db).read_bytes() == journal


def test_a_batch_torn_by_a_crash_is_dropped_whole(tmp_path: Path) -> None:
    db = tmp_path / "live" / "newsdesk.json"
    store = Store(db)
    store.add_span(make_span("before"))
    store.add_spans([make_span(f"b{i}", start=i, end=i + 1) for i in range(5)])
    image = crash_image(db, tmp_path / "crashed")
    store.close()
    lines = journal_lines(image)
    journal_of(image).write_bytes(b"".join(lines[:4]) + lines[4][:20])  # three of five records whole
    with Store(image) as recovered:
        assert {s.id for s in recovered.iter_spans()} == {"before"}
        recovered.add_span(make_span("after"))
    with Store(image) as reopened:
        assert {s.id for s in reopened.iter_spans()} == {"before", "after"}


def test_a_journal_without_its_snapshot_is_not_taken_for_a_new_database(tmp_path: Path) -> None:
    db = write_three_spans_and_crash(tmp_path)
    db.unlink()
    journal = journal_of(db).read_bytes()
    with pytest.raises(StoreCorrupt, match="is missing"):
        Store(db)
    assert not db.exists() and journal_of(db).read_bytes() == journal


# --- the files --------------------------------------------------------------------------------


def test_the_snapshot_is_a_plain_tinydb_file(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:
        store.add_spans([make_span(f"s{i}", start=i, end=i + 2) for i in range(7)])
        store.delete_span("s3")
    with TinyDB(db) as plain:
        spans = plain.table("spans")
        assert len(spans) == 6
        assert sorted(doc["id"] for doc in spans.all()) == ["s0", "s1", "s2", "s4", "s5", "s6"]
        assert len(plain.table("topics")) == len(DEFAULT_TOPICS)


def test_compaction_keeps_everything_and_bounds_the_journal(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(store_module, "_COMPACT_MIN_RECORDS", 10)
    monkeypatch.setattr(store_module, "_COMPACT_FACTOR", 0.1)
    db = tmp_path / "newsdesk.json"
    expected: dict[str, str] = {}
    with Store(db) as store:
        for i in range(200):
            store.add_span(make_span(f"s{i}", start=i, end=i + 1))
            expected[f"s{i}"] = ""
            if i % 3 == 0:
                store.update_span(store.get_span(f"s{i}").edited(note=f"note {i}"))  # type: ignore[union-attr]
                expected[f"s{i}"] = f"note {i}"
            if i % 5 == 0:
                store.delete_span(f"s{i}")
                del expected[f"s{i}"]
            assert len(journal_lines(db)) <= 30
        assert {s.id: s.note for s in store.iter_spans()} == expected
    with Store(db) as store:
        assert {s.id: s.note for s in store.iter_spans()} == expected


def test_a_crash_between_new_snapshot_and_journal_truncation_is_harmless(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    store = Store(db)
    store.add_spans([make_span(f"s{i}", start=i, end=i + 1) for i in range(4)])
    store.delete_span("s0")
    old_journal = journal_of(db).read_bytes()
    store.close()  # writes a snapshot holding everything, then empties the journal
    journal_of(db).write_bytes(old_journal)  # ... as if killed before emptying it
    with Store(db) as store:
        assert {s.id for s in store.iter_spans()} == {"s1", "s2", "s3"}
        assert journal_of(db).read_bytes() == b""
        store.add_span(make_span("s4"))
    with Store(db) as store:
        assert {s.id for s in store.iter_spans()} == {"s1", "s2", "s3", "s4"}


def test_a_full_disk_refuses_the_change_and_the_store_carries_on(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:
        store.add_span(make_span("kept"))
        size = journal_of(db).stat().st_size
        real_fsync = os.fsync
        calls = {"n": 0}

        def full_disk(fd: int) -> None:
            calls["n"] += 1
            if calls["n"] == 1:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            real_fsync(fd)

        monkeypatch.setattr(os, "fsync", full_disk)
        with pytest.raises(StoreError) as caught:
            store.add_span(make_span("refused"))
        monkeypatch.setattr(os, "fsync", real_fsync)
        assert "not saved" in str(caught.value) and str(journal_of(db)) in str(caught.value)
        assert store.get_span("refused") is None
        assert journal_of(db).stat().st_size == size
        store.add_span(make_span("later"))
    with Store(db) as store:
        assert {s.id for s in store.iter_spans()} == {"kept", "later"}


def test_saving_one_span_writes_one_journal_line_not_the_database(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    with Store(db) as store:
        store.add_spans([make_span(f"s{i}", start=i, end=i + 1) for i in range(100)])
        snapshot = db.read_bytes()
        before = len(journal_lines(db))
        store.add_span(make_span("one"))
        assert len(journal_lines(db)) == before + 1
        assert db.read_bytes() == snapshot
        record = json.loads(journal_lines(db)[-1])
        assert {k: record[k] for k in ("op", "table")} == {"op": "put", "table": "spans"}
        assert record["doc"]["id"] == "one" and record["seq"] > 0


# --- random histories ---------------------------------------------------------------------------

ARTICLES = ["article-a", "article-b", "article-c"]
TOPIC_NAMES = ["energy", "diplomacy", "people", "new topic", "another"]


class StoreHistory(RuleBasedStateMachine):
    """Random adds, updates, deletes, reopenings and crashes match a plain dict model."""

    base: Path

    @initialize()
    def open_store(self) -> None:
        self.dir = Path(tempfile.mkdtemp(dir=self.base))
        self.db = self.dir / "newsdesk.json"
        self.store = Store(self.db)
        self.spans: dict[str, Span] = {}
        self.topics: dict[str, Topic] = {t.name: t for t in DEFAULT_TOPICS}
        self.done: dict[str, bool] = {}
        self.doc_topics: dict[str, DocTopics] = {}
        self.counter = 0

    def teardown(self) -> None:
        store = getattr(self, "store", None)
        if store is not None:
            store.close()

    def _new_span(self, article: str, start: int, length: int, note: str) -> Span:
        self.counter += 1
        return Span(f"span-{self.counter}", article, start, start + length, "t" * length, ("energy",), note=note)

    @rule(article=st.sampled_from(ARTICLES), start=st.integers(0, 20), length=st.integers(0, 5), note=st.text(max_size=8))
    def add_span(self, article: str, start: int, length: int, note: str) -> None:
        span = self._new_span(article, start, length, note)
        self.store.add_span(span)
        self.spans[span.id] = span

    @rule(items=st.lists(st.tuples(st.sampled_from(ARTICLES), st.integers(0, 20), st.integers(0, 5)), max_size=4))
    def add_batch(self, items: list[tuple[str, int, int]]) -> None:
        batch = [self._new_span(article, start, length, "") for article, start, length in items]
        self.store.add_spans(batch)
        self.spans.update((span.id, span) for span in batch)

    @precondition(lambda self: self.spans)
    @rule(data=st.data(), note=st.text(max_size=8), topics=st.lists(st.sampled_from(TOPIC_NAMES), max_size=3))
    def update_span(self, data: st.DataObject, note: str, topics: list[str]) -> None:
        span_id = data.draw(st.sampled_from(sorted(self.spans)))
        changed = self.spans[span_id].edited(note=note, topics=tuple(topics))
        self.store.update_span(changed)
        self.spans[span_id] = changed

    @precondition(lambda self: self.spans)
    @rule(data=st.data())
    def delete_span(self, data: st.DataObject) -> None:
        span_id = data.draw(st.sampled_from(sorted(self.spans)))
        assert self.store.delete_span(span_id) == self.spans.pop(span_id)

    @rule(name=st.sampled_from(TOPIC_NAMES), key=st.none() | st.integers(1, 9))
    def put_topic(self, name: str, key: int | None) -> None:
        topic = Topic(name, key, "#abcdef", f"about {name}")
        self.store.put_topic(topic)
        if key is not None:
            for other in list(self.topics.values()):
                if other.key == key and other.name != name:
                    self.topics[other.name] = Topic(other.name, None, other.colour, other.description)
        self.topics[name] = topic

    @rule(name=st.sampled_from(TOPIC_NAMES))
    def delete_topic(self, name: str) -> None:
        assert self.store.delete_topic(name) == self.topics.pop(name, None)

    @rule(article=st.sampled_from(ARTICLES), done=st.booleans())
    def set_done(self, article: str, done: bool) -> None:
        self.store.set_done(article, done)
        self.done[article] = done

    @rule(article=st.sampled_from(ARTICLES), topics=st.lists(st.sampled_from(TOPIC_NAMES), max_size=3))
    def set_doc_topics(self, article: str, topics: list[str]) -> None:
        doc = DocTopics(article, tuple(topics), annotator="me")
        self.store.set_doc_topics(doc)
        self.doc_topics[article] = doc

    @rule()
    def reopen(self) -> None:
        self.store.close()
        self.store = Store(self.db)

    @rule()
    def crash(self) -> None:
        image = crash_image(self.db, Path(tempfile.mkdtemp(dir=self.base)) / "crashed")
        self.store.close()
        self.db = image
        self.store = Store(self.db)

    @invariant()
    def store_matches_the_model(self) -> None:
        store = self.store
        assert {s.id: s for s in store.iter_spans()} == self.spans
        assert store.span_count() == len(self.spans)
        assert store.article_ids_with_spans() == {s.article_id for s in self.spans.values()}
        for article in ARTICLES:
            expected = sorted(
                (s for s in self.spans.values() if s.article_id == article), key=lambda s: (s.start, s.end, s.id)
            )
            assert store.spans_for(article) == expected
            assert store.is_done(article) == self.done.get(article, False)
            assert store.doc_topics(article) == self.doc_topics.get(article, DocTopics(article))
        assert {t.name: t for t in store.topics()} == self.topics
        keys = [t.key for t in store.topics() if t.key is not None]
        assert len(keys) == len(set(keys))


def test_random_histories_of_changes_reopens_and_crashes_match_a_dict(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(store_module, "_COMPACT_MIN_RECORDS", 4)
    monkeypatch.setattr(store_module, "_COMPACT_FACTOR", 0.2)
    StoreHistory.base = tmp_path
    run_state_machine_as_test(
        StoreHistory,
        settings=settings(
            max_examples=40,
            stateful_step_count=25,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
            database=None,
        ),
    )
