"""Killing newsdesk at any moment never loses an acknowledged annotation.

A writer process (`tests/store_child.py`, forked by its fork server so that a run costs
milliseconds, not an interpreter start) adds, updates and deletes spans in a loop and says each
change only after the store acknowledged it; we SIGKILL it at a random moment, 240 times on the
same database, and check after every kill that the database opens and holds exactly what was
acknowledged (the one change in flight may have landed or not, a batch whole or not at all).
"""

from __future__ import annotations

import json
import os
import random
import errno
import signal
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Callable

import pytest

from newsdesk.annotations import store as store_module
from newsdesk.annotations.model import Span
from newsdesk.annotations.store import Store, StoreError

CHILD = Path(__file__).with_name("store_child.py")
KILLS = 240
LANES = 2
ABSENT = object()


def _acknowledged(lines: list[str], model: dict[str, str]) -> tuple[list[str] | None, int]:
    """Apply the acknowledged changes to `model`; return the change in flight and the count."""
    in_flight: list[str] | None = None
    count = 0
    for line in lines:
        if line == "ready":
            continue
        if line.startswith("? "):
            in_flight = line[2:].split()
            continue
        op, *args = line.split()
        assert in_flight is not None and in_flight == [op, *args], f"unexpected line {line!r}"
        if op == "add":
            model[args[0]] = ""
        elif op == "batch":
            for span_id in args[0].split(","):
                model[span_id] = ""
        elif op == "upd":
            model[args[0]] = args[1]
        elif op == "del":
            del model[args[0]]
        in_flight = None
        count += 1
    return in_flight, count


def _check(actual: dict[str, str], model: dict[str, str], in_flight: list[str] | None) -> None:
    uncertain: set[str] = set()
    if in_flight is not None:
        op, args = in_flight[0], in_flight[1:]
        ids = args[0].split(",")
        uncertain.update(ids)
        if op in ("add", "batch"):
            landed = [span_id in actual for span_id in ids]
            assert all(landed) or not any(landed), f"a batch was half saved: {in_flight}"
            assert all(actual.get(span_id, "") == "" for span_id in ids)
        elif op == "upd":
            assert actual.get(ids[0], ABSENT) in (model[ids[0]], args[1])
        elif op == "del":
            assert actual.get(ids[0], ABSENT) in (model[ids[0]], ABSENT)
    lost = {k: v for k, v in model.items() if k not in uncertain and actual.get(k, ABSENT) != v}
    extra = {k for k in actual if k not in model and k not in uncertain}
    assert not lost, f"acknowledged changes lost: {sorted(lost)[:5]}"
    assert not extra, f"deleted or never-saved spans present: {sorted(extra)[:5]}"


def _tail(path: Path) -> str:
    return path.read_text(errors="replace").strip()[-500:]


def _snapshot_parses(path: Path) -> None:
    tables = json.loads(path.read_bytes())
    assert isinstance(tables, dict) and isinstance(tables["spans"], dict)
    assert tables["_meta"]["1"]["app"] == "newsdesk"


class ForkServer:
    """`tests/store_child.py --serve`: forks writers on request (see its docstring)."""

    def __init__(self, err_path: Path) -> None:
        env = {**os.environ, "PYTHONPATH": str(CHILD.parents[1])}
        with open(err_path, "wb") as err_file:
            self.process = subprocess.Popen(
                [sys.executable, str(CHILD), "--serve"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=err_file,
                text=True,
                env=env,
            )
        self.err_path = err_path

    def ask(self, line: str) -> str:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.write(line + "\n")
        self.process.stdin.flush()
        reply = self.process.stdout.readline()
        if not reply:
            pytest.fail(f"the fork server died: {_tail(self.err_path)}")
        return reply.strip()

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()  # the server kills any writer left, then exits
        self.process.wait(timeout=30)
        self.process.stdout.close()


def _is_gone(pid: int) -> bool:
    """Whether process `pid` has exited (a zombie waiting for its parent counts as gone)."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as stat:
            return stat.read().rsplit(b")", 1)[1].split()[0] == b"Z"
    except FileNotFoundError:
        return True


def _wait_until_ready(said: Path, pid: int, err_path: Path) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if said.read_bytes().startswith(b"ready\n"):
                return
        except FileNotFoundError:
            pass
        if _is_gone(pid):
            pytest.fail(f"the writer died before opening the store: {_tail(err_path)}")
        time.sleep(0.001)
    pytest.fail("the writer did not open the store within 30 s")


def _kill_loop(directory: Path, lane: int, kills: int) -> int:
    """Kill `kills` writers of one database at random moments; returns the changes acknowledged."""
    directory.mkdir()
    db = directory / "newsdesk.json"
    rng = random.Random(20260201 + lane)
    model: dict[str, str] = {}
    acknowledged = 0
    server = ForkServer(directory / "server.err")
    try:
        for run in range(kills):
            said = directory / f"said-{run}.txt"
            pid = int(server.ask(f"run {db} {lane * 100_000 + run} {said}").split()[1])
            if run % 10 == 9:
                # Now and then kill it while it opens (recovery and compaction on open).
                time.sleep(rng.uniform(0.0, 0.02))
            else:
                _wait_until_ready(said, pid, server.err_path)
                time.sleep(rng.uniform(0.0, 0.04))
            os.kill(pid, signal.SIGKILL)
            status = server.ask(f"wait {pid}")
            assert status == f"status {-signal.SIGKILL}", f"run {run}: the writer failed: {_tail(server.err_path)}"

            # Only whole lines were said; a cut-off last line is a change not yet acknowledged.
            lines = said.read_text().split("\n")[:-1] if said.exists() else []
            said.unlink(missing_ok=True)
            in_flight, count = _acknowledged(lines, model)
            acknowledged += count

            if db.exists():  # killed before it first wrote the database: nothing to see yet
                _snapshot_parses(db)
            # Every writer recovers what the last one left (cuts a torn tail, compacts on open);
            # between them we mostly only read, and now and then recover as a writer and close.
            with Store(db, readonly=run % 8 != 7 and db.exists()) as store:
                actual = {span.id: span.note for span in store.iter_spans()}
            _check(actual, model, in_flight)
            _snapshot_parses(db)
            model = actual
    finally:
        server.close()
    with Store(db) as store:
        assert {span.id for span in store.iter_spans()} == set(model)
    return acknowledged


@pytest.mark.slow
def test_killing_the_writer_at_any_moment_keeps_every_acknowledged_change(tmp_path: Path) -> None:
    # Two databases at once: while one lane waits on fsync the other runs, so 240 kills take
    # about the time 120 would.
    with ThreadPoolExecutor(max_workers=LANES) as pool:
        lanes = [pool.submit(_kill_loop, tmp_path / f"lane-{lane}", lane, KILLS // LANES) for lane in range(LANES)]
        acknowledged = sum(lane.result() for lane in lanes)
    assert acknowledged >= KILLS, f"only {acknowledged} changes in {KILLS} runs: the test proved little"


# --- a full disk at every point of a save and of a compaction -------------------------------------


class FullDisk:
    """Stands in for `os` (and `tempfile`) inside the store and fills the disk at call `fail_at`.

    The calls that need free space are counted: `os.write`, `os.fsync` (a delayed write can fail
    there), `os.replace` and creating the temporary snapshot. With `stays_full`, the disk is full
    from that call on: a write at that point lands half its bytes and every later call fails,
    until `free()`; otherwise only that one call fails (space freed at once by someone else).
    """

    def __init__(self, fail_at: int | None = None, *, stays_full: bool = False) -> None:
        self.fail_at = fail_at
        self.stays_full = stays_full
        self.calls = 0
        self.full = False
        self.faults = 0

    def free(self) -> None:
        self.full = False
        self.fail_at = None

    def _point(self) -> bool:
        """Count one call; True when it must fail."""
        self.calls += 1
        if self.full:
            self.faults += 1
            return True
        if self.calls == self.fail_at:
            self.full = self.stays_full
            self.faults += 1
            return True
        return False

    @staticmethod
    def _enospc() -> OSError:
        return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    # the parts of `os` the store uses, the rest passed through
    def __getattr__(self, name: str) -> object:
        return getattr(os, name)

    def write(self, fd: int, data: bytes) -> int:
        if self._point():
            if self.full and self.calls == self.fail_at and len(data) > 1:
                return os.write(fd, bytes(data[: len(data) // 2]))  # the disk filled mid-write
            raise self._enospc()
        return os.write(fd, data)

    def fsync(self, fd: int) -> None:
        if self._point():
            raise self._enospc()
        os.fsync(fd)

    def replace(self, source: object, target: object) -> None:
        if self._point():
            raise self._enospc()
        os.replace(source, target)  # type: ignore[arg-type]

    def mkstemp(self, *args: object, **kwargs: object) -> tuple[int, str]:
        if self._point():
            raise self._enospc()
        return tempfile.mkstemp(*args, **kwargs)  # type: ignore[arg-type]


def _span(span_id: str, n: int = 0) -> Span:
    return Span(id=span_id, article_id=f"article-{n % 3}", start=n, end=n + 5, text="words", topics=("energy",))


def _spans_in(db: Path) -> set[str]:
    with Store(db, readonly=True) as store:
        return {span.id for span in store.iter_spans()}


def _a_database_with_a_journal(directory: Path) -> Path:
    """Ten spans in the snapshot, five more (and a deletion) only in the journal."""
    directory.mkdir()
    db = directory / "newsdesk.json"
    with Store(db) as store:
        store.add_spans([_span(f"old-{i}", i) for i in range(10)])
    store = Store(db)
    store.add_spans([_span(f"new-{i}", i) for i in range(5)])
    store.delete_span("old-0")
    store._release()  # as if killed: the changes are in the journal only
    return db


SAVES: dict[str, Callable[[Store], None]] = {
    "add_span": lambda store: store.add_span(_span("saved")),
    "add_spans": lambda store: store.add_spans([_span("saved"), _span("saved-too", 1)]),
}


def _fault_points(tmp_path: Path, operation: Callable[[Store, FullDisk], None], monkeypatch: pytest.MonkeyPatch) -> int:
    """How many space-needing calls `operation` makes when the disk is fine."""
    db = _a_database_with_a_journal(tmp_path / "count")
    disk = FullDisk()
    with Store(db) as store:
        monkeypatch.setattr(store_module, "os", disk)
        monkeypatch.setattr(store_module, "tempfile", disk)
        operation(store, disk)
        monkeypatch.setattr(store_module, "os", os)
        monkeypatch.setattr(store_module, "tempfile", tempfile)
    return disk.calls


@pytest.mark.parametrize("stays_full", [False, True], ids=["one-failure", "disk-stays-full"])
@pytest.mark.parametrize("save", ["add_span", "add_spans", "add_span-then-compact"])
def test_a_full_disk_at_any_point_of_a_save_keeps_the_last_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, save: str, stays_full: bool
) -> None:
    if save.endswith("-then-compact"):
        # This save passes the compaction threshold: its write, then a whole compaction.
        monkeypatch.setattr(store_module, "_COMPACT_MIN_RECORDS", 6)
        monkeypatch.setattr(store_module, "_COMPACT_FACTOR", 0.0)
    run = SAVES[save.removesuffix("-then-compact")]
    points = _fault_points(tmp_path, lambda store, disk: run(store), monkeypatch)
    assert points >= (8 if save.endswith("-then-compact") else 2)
    faults = 0
    for fail_at in range(1, points + 1):
        db = _a_database_with_a_journal(tmp_path / f"at-{fail_at}")
        before = _spans_in(db)
        disk = FullDisk(fail_at, stays_full=stays_full)
        store = Store(db)
        monkeypatch.setattr(store_module, "os", disk)
        monkeypatch.setattr(store_module, "tempfile", disk)
        try:
            run(store)
            saved = True
        except StoreError as refused:
            saved = False
            assert "not saved" in str(refused) and "\n" not in str(refused)
        expected = before | ({"saved"} if save != "add_spans" else {"saved", "saved-too"}) if saved else before
        assert {span.id for span in store.iter_spans()} == expected, f"fault at call {fail_at}"
        if stays_full:
            store.close()  # its compaction fails too; nothing may be lost
            disk.free()
        else:
            store.add_span(_span("later", 2))  # the store carries on once there is space
            expected = expected | {"later"}
            store.close()
        faults += disk.faults
        monkeypatch.setattr(store_module, "os", os)
        monkeypatch.setattr(store_module, "tempfile", tempfile)
        _snapshot_parses(db)
        assert _spans_in(db) == expected, f"fault at call {fail_at} of {points}"
        with Store(db) as reopened:  # and a writer can open it and save again
            reopened.add_span(_span("after", 4))
        assert _spans_in(db) == expected | {"after"}
    assert faults >= points


@pytest.mark.parametrize("stays_full", [False, True], ids=["one-failure", "disk-stays-full"])
def test_a_full_disk_at_any_point_of_a_compaction_keeps_the_last_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stays_full: bool
) -> None:
    points = _fault_points(tmp_path, lambda store, disk: store.close(), monkeypatch)
    assert points >= 5  # temp file, write, fsync, replace, folder fsync, journal fsync
    expected = {f"old-{i}" for i in range(1, 10)} | {f"new-{i}" for i in range(5)}
    for fail_at in range(1, points + 1):
        db = _a_database_with_a_journal(tmp_path / f"at-{fail_at}")
        store = Store(db)
        disk = FullDisk(fail_at, stays_full=stays_full)
        monkeypatch.setattr(store_module, "os", disk)
        monkeypatch.setattr(store_module, "tempfile", disk)
        store.close()  # compacts: the fault lands in it, and close() never raises for it
        monkeypatch.setattr(store_module, "os", os)
        monkeypatch.setattr(store_module, "tempfile", tempfile)
        assert disk.faults >= 1
        _snapshot_parses(db)
        assert not [p for p in db.parent.iterdir() if p.name.endswith(".tmp")], "a temporary snapshot was left"
        assert _spans_in(db) == expected, f"fault at call {fail_at} of {points}"
        with Store(db) as reopened:
            assert {span.id for span in reopened.iter_spans()} == expected
