"""How long saving one span takes as the database grows, against the disk's own floor.

    python tests/bench/bench_store.py [--saves 500] [--sizes 100,10000,100000] [--dir DIR]

For each size a fresh database is filled with `add_spans` (batches of 1,000, ten spans an
article); then `--saves` single `add_span` calls are timed one by one, round-robin across the
sizes and a bare `os.write` + `os.fsync` of a line of the same length on the same disk (the
floor: no durable store saves faster), so all of them meet the same disk conditions. Also times opening: a reader replaying the journal
left by the fill and the saves, and a writer opening the compacted snapshot after `close()`.

Figures only; nothing is asserted. Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from newsdesk.annotations.model import Span  # noqa: E402
from newsdesk.annotations.store import Store  # noqa: E402

WORDS = "critical minerals and supply chains in the Indo-Pacific"


def make_span(n: int) -> Span:
    start = (n % 10) * 60
    return Span(
        id=f"{n:032x}",
        article_id=f"{n // 10:016x}",
        start=start,
        end=start + len(WORDS),
        text=WORDS,
        topics=("critical minerals and supply chains", "indo-pacific"),
        annotator="bench",
        created="2026-02-01T09:00:00.000Z",
        updated="2026-02-01T09:00:00.000Z",
    )


def ms(ns: float) -> str:
    return f"{ns / 1e6:7.3f} ms"


def p99(values: list[int]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]


def fill(db: Path, size: int) -> tuple[Store, float]:
    """A database of `size` spans, filled with add_spans in batches of 1,000; left open."""
    began = time.perf_counter()
    store = Store(db)
    for first in range(0, size, 1000):
        store.add_spans([make_span(n) for n in range(first, min(size, first + 1000))])
    return store, time.perf_counter() - began


def time_open(db: Path, readonly: bool, expected: int) -> float:
    began = time.perf_counter()
    with Store(db, readonly=readonly) as store:
        elapsed = time.perf_counter() - began
        assert store.span_count() == expected
    return elapsed


def bench(directory: Path, sizes: list[int], saves: int, line_length: int) -> tuple[list[int], dict[int, dict[str, float]]]:
    """Round-robin saves: one to each database, then one bare write + fsync, `saves` times.

    Interleaving keeps every size (and the floor) under the same disk conditions, which on a
    shared machine change by 10x from one second to the next.
    """
    stores: dict[int, Store] = {}
    results: dict[int, dict[str, float]] = {}
    for size in sizes:
        stores[size], fill_time = fill(directory / f"newsdesk-{size}.json", size)
        results[size] = {"fill": fill_time}
    times: dict[int, list[int]] = {size: [] for size in sizes}
    floor: list[int] = []
    line = b"x" * (line_length - 1) + b"\n"
    fd = os.open(directory / "floor.log", os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    try:
        for n in range(saves):
            for size, store in stores.items():
                span = make_span(size + n)
                began = time.perf_counter_ns()
                store.add_span(span)
                times[size].append(time.perf_counter_ns() - began)
            began = time.perf_counter_ns()
            os.write(fd, line)
            os.fsync(fd)
            floor.append(time.perf_counter_ns() - began)
    finally:
        os.close(fd)
    for size, store in stores.items():
        result = results[size]
        result.update(median=statistics.median(times[size]), p99=p99(times[size]), max=max(times[size]))
        result["journal_records"] = len(store.journal_path.read_bytes().splitlines())
        # A reader replays the journal the writer left (what opening after a crash costs) ...
        result["open_replay"] = time_open(store.path, True, size + saves)
        store.close()
        # ... and after close() the journal is compacted into the snapshot.
        result["open_snapshot"] = time_open(store.path, False, size + saves)
        result["snapshot_mb"] = store.path.stat().st_size / 1e6
    return floor, results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--saves", type=int, default=500)
    parser.add_argument("--sizes", default="100,10000,100000")
    parser.add_argument("--dir", type=Path, default=None, help="where to put the databases (default: a temp dir)")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]

    with tempfile.TemporaryDirectory(dir=args.dir, prefix="bench-store-") as temp:
        directory = Path(temp)
        line_length = len(
            b'{"seq":1,"op":"put","table":"spans","id":1,"doc":}\n' + str(make_span(0).to_dict()).encode()
        )
        floor, results = bench(directory, sizes, args.saves, line_length)

    floor_median = statistics.median(floor)
    print(f"newsdesk store: save latency of one add_span ({args.saves} saves each), disk at {directory.parent}")
    print(f"floor (os.write + os.fsync of a {line_length}-byte line): median {ms(floor_median)}  "
          f"p99 {ms(p99(floor))}")
    print()
    print(f"{'stored spans':>12}  {'median':>10}  {'p99':>10}  {'max':>10}  {'median/floor':>12}  "
          f"{'fill':>7}  {'snapshot':>8}  {'open: replay (records)':>24}  {'open: snapshot':>14}")
    for size, r in results.items():
        replay = f"{r['open_replay']:.3f} s ({int(r['journal_records'])})"
        print(
            f"{size:>12,}  {ms(r['median']):>10}  {ms(r['p99']):>10}  {ms(r['max']):>10}  "
            f"{r['median'] / floor_median:>11.2f}x  {r['fill']:>6.1f}s  {r['snapshot_mb']:>6.1f}MB  "
            f"{replay:>24}  {r['open_snapshot']:>12.3f} s"
        )
    print()
    smallest = min(results)
    for size in sorted(results):
        if size == smallest:
            continue
        ratio = results[size]["median"] / results[smallest]["median"]
        ratio99 = results[size]["p99"] / results[smallest]["p99"]
        print(f"ratio {size:,}/{smallest:,}: median {ratio:.2f}x, p99 {ratio99:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
