"""What opening a large database costs, against parsing its JSON (the floor no reader beats).

    python tests/bench/bench_store_open.py [--spans 100000] [--repeat 5]

Builds a database of `--spans` spans (ten an article, over a small library), then times, as
medians of `--repeat` runs measured alternately so load on the machine hits all alike:

- in process: `json.loads` of the snapshot (the floor), `Store(path, readonly=True)` and
  `Store(path)` (which validate every stored document and build the indexes);
- whole processes, as a user runs them: `python -c "json.load(...)"` (the floor plus Python's
  start-up), `newsdesk topics` and `newsdesk list` over that database.

Figures only; nothing is asserted. Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

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


def build(db: Path, spans: int) -> None:
    with Store(db) as store:
        for first in range(0, spans, 5000):
            store.add_spans([make_span(n) for n in range(first, min(spans, first + 5000))])


def in_process(db: Path) -> dict[str, float]:
    times: dict[str, float] = {}
    began = time.perf_counter()
    json.loads(db.read_bytes())
    times["json.loads (floor)"] = time.perf_counter() - began
    began = time.perf_counter()
    Store(db, readonly=True).close()
    times["Store(readonly=True)"] = time.perf_counter() - began
    began = time.perf_counter()
    Store(db).close()
    times["Store() writer"] = time.perf_counter() - began
    return times


def whole_process(db: Path, library: Path) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDESK_DB": str(db), "NEWSDESK_LIBRARY": str(library)}
    runs = {
        "python json.load (floor)": [sys.executable, "-c", f"import json; json.load(open({str(db)!r}, 'rb'))"],
        "newsdesk topics": [sys.executable, "-m", "newsdesk", "topics"],
        "newsdesk list": [sys.executable, "-m", "newsdesk", "list"],
    }
    times: dict[str, float] = {}
    for name, command in runs.items():
        began = time.perf_counter()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times[name] = time.perf_counter() - began
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--spans", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="bench-open-") as temp:
        db = Path(temp) / "newsdesk.json"
        library = Path(temp) / "library"
        library.mkdir()
        (library / "one.txt").write_text("One article\n\nA short text about energy.\n", encoding="utf-8")
        build(db, args.spans)
        samples: dict[str, list[float]] = {}
        for _ in range(args.repeat):
            for name, value in {**in_process(db), **whole_process(db, library)}.items():
                samples.setdefault(name, []).append(value)
        size = db.stat().st_size / 1e6
    medians = {name: statistics.median(values) for name, values in samples.items()}
    print(f"opening a database of {args.spans:,} spans ({size:.1f} MB snapshot), medians of {args.repeat}")
    floors = {"in process": medians["json.loads (floor)"], "process": medians["python json.load (floor)"]}
    for name, value in medians.items():
        floor = floors["in process"] if name.startswith(("json.loads", "Store")) else floors["process"]
        print(f"{name:<26} {value:7.3f} s   {value / floor:5.2f}x its floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
