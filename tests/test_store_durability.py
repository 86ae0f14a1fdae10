"""Killing newsdesk at any moment never loses an acknowledged annotation.

A child process (`tests/store_child.py`) adds, updates and deletes spans in a loop and says
each change aloud only after the store acknowledged it; we SIGKILL it at a random moment, again
and again on the same database, and check after every kill that the database opens and holds
exactly what was acknowledged (the one change in flight may have landed or not, a batch whole
or not at all).
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from newsdesk.annotations.store import Store

CHILD = Path(__file__).with_name("store_child.py")
KILLS = 50
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


@pytest.mark.slow
def test_killing_the_writer_at_any_moment_keeps_every_acknowledged_change(tmp_path: Path) -> None:
    db = tmp_path / "newsdesk.json"
    rng = random.Random(20260201)
    model: dict[str, str] = {}
    acknowledged = 0
    env = {**os.environ, "PYTHONPATH": str(CHILD.parents[1])}
    for run in range(KILLS):
        err_path = tmp_path / f"child-{run}.err"
        with open(err_path, "wb") as err_file:
            # stderr goes to a file: with two pipes, communicate() would skip what readline()
            # had already buffered from stdout.
            child = subprocess.Popen(
                [sys.executable, str(CHILD), str(db), str(run)],
                stdout=subprocess.PIPE,
                stderr=err_file,
                text=True,
                env=env,
            )
        assert child.stdout is not None
        try:
            if run % 10 == 9:
                # Now and then kill it while it opens (recovery and compaction on open).
                time.sleep(rng.uniform(0.0, 0.3))
            else:
                head = child.stdout.readline()
                if head != "ready\n":
                    child.kill()
                    child.wait()
                    pytest.fail(f"run {run}: the child did not open the store: {_tail(err_path)}")
                time.sleep(rng.uniform(0.0, 0.15))
            child.send_signal(signal.SIGKILL)
            out = child.stdout.read()
            child.wait(timeout=30)
        finally:
            if child.poll() is None:
                child.kill()
                child.wait()
            child.stdout.close()
        assert child.returncode == -signal.SIGKILL, f"run {run}: the child failed: {_tail(err_path)}"

        # Only whole lines were said; a cut-off last line is a change not yet acknowledged.
        said = ("ready\n" + out if run % 10 != 9 else out).split("\n")[:-1]
        in_flight, count = _acknowledged(said, model)
        acknowledged += count

        _snapshot_parses(db)
        # Alternate: the writer recovers (cuts a torn tail, compacts on close); a reader only reads.
        with Store(db, readonly=run % 2 == 1) as store:
            actual = {span.id: span.note for span in store.iter_spans()}
        _check(actual, model, in_flight)
        _snapshot_parses(db)
        model = actual

    assert acknowledged >= 20, "the children hardly wrote anything: the test proved little"
    with Store(db) as store:
        assert {span.id for span in store.iter_spans()} == set(model)
