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
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from newsdesk.annotations.store import Store

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
