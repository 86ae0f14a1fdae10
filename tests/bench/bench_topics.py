"""What renaming, merging and deleting a topic costs as the database grows, against saving one span.

    python tests/bench/bench_topics.py [--sizes 1000,10000,100000]

For each size a fresh database holds that many spans, one in ten carrying `energy`. Timed (wall
clock, median of 3 runs each): one `History.add_span` (the baseline: one small durable write),
`usage_by_topic` (what the topics screen reads to draw its counts), renaming `energy`, undoing
the rename, and deleting `energy` (each one store batch: one write and one fsync). Figures and
ratios to the baseline only; nothing is asserted. Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from newsdesk.annotations import topics as ops  # noqa: E402
from newsdesk.annotations.history import History  # noqa: E402
from newsdesk.annotations.model import Span  # noqa: E402
from newsdesk.annotations.store import Store  # noqa: E402

WORDS = "critical minerals and supply chains"


def make_span(n: int) -> Span:
    topics = ("energy", "diplomacy") if n % 10 == 0 else ("diplomacy",)
    return Span(
        id=f"{n:032x}", article_id=f"{n // 10:016x}", start=(n % 10) * 40, end=(n % 10) * 40 + len(WORDS),
        text=WORDS, topics=topics, annotator="bench",
        created="2026-02-01T09:00:00.000Z", updated="2026-02-01T09:00:00.000Z",
    )


def timed(action) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def bench(directory: Path, size: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {"add one span": [], "usage_by_topic": [], "rename": [], "undo rename": [],
                                       "delete": [], "undo delete": []}
    with Store(directory / f"db-{size}.json") as store:
        for first in range(0, size, 1000):
            store.add_spans([make_span(n) for n in range(first, min(size, first + 1000))])
        history = History(store)
        for run in range(3):
            samples["add one span"].append(timed(lambda: history.add_span(make_span(size + run))))
            samples["usage_by_topic"].append(timed(lambda: ops.usage_by_topic(store)))
            samples["rename"].append(timed(lambda: ops.rename_topic(history, "energy", "power")))
            samples["undo rename"].append(timed(history.undo))
            samples["delete"].append(timed(lambda: ops.delete_topic(history, "energy")))
            samples["undo delete"].append(timed(history.undo))
    return {name: statistics.median(values) for name, values in samples.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    print("topic operations, median of 3, wall ms (ratio to saving one span in the same database)")
    with tempfile.TemporaryDirectory() as scratch:
        for size in sizes:
            figures = bench(Path(scratch), size)
            base = figures["add one span"]
            line = ", ".join(
                f"{name} {value * 1000:.1f} ({value / base:.0f}x)" for name, value in figures.items() if name != "add one span"
            )
            print(f"  {size:>7,} spans ({size // 10:,} with the topic): add one span {base * 1000:.2f} ms; {line}")


if __name__ == "__main__":
    main()
