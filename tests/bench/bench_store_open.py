"""What opening a large database costs, against parsing its JSON (the floor no reader beats).

    python tests/bench/bench_store_open.py [--spans 100000] [--repeat 5]

Builds a database of `--spans` spans (ten an article, over a small library), then times, as
medians of `--repeat` runs measured alternately so load on the machine hits all alike:

- in process, CPU time: `json.loads` of the snapshot (the floor), `Store(path, readonly=True)` and
  `Store(path)` (which validate every stored document and build the indexes);
- whole processes, as a user runs them: `python -c "json.load(...)"` (the floor plus Python's
  start-up), `newsdesk topics` and `newsdesk list` over that database; wall time, and the CPU
  time of the process (steadier on a busy machine).

Figures only; nothing is asserted. Not part of the pytest run.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newsdesk.annotations.store import Store  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_store import make_span  # noqa: E402  (the same spans the save benchmark stores)


def build(db: Path, spans: int) -> None:
    with Store(db) as store:
        for first in range(0, spans, 5000):
            store.add_spans([make_span(n) for n in range(first, min(spans, first + 5000))])


def in_process(db: Path) -> dict[str, float]:
    """CPU seconds (`time.process_time`: steadier than wall time on a busy machine)."""
    times: dict[str, float] = {}
    began = time.process_time()
    json.loads(db.read_bytes())
    times["json.loads (floor)"] = time.process_time() - began
    began = time.process_time()
    Store(db, readonly=True).close()
    times["Store(readonly=True)"] = time.process_time() - began
    began = time.process_time()
    Store(db).close()
    times["Store() writer"] = time.process_time() - began
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
        began, cpu = time.perf_counter(), _children_cpu()
        subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL, cwd=ROOT)
        times[name] = time.perf_counter() - began
        times[name + " (CPU)"] = _children_cpu() - cpu
    return times


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    floors = {
        "in process": medians["json.loads (floor)"],
        "process": medians["python json.load (floor)"],
        "process CPU": medians["python json.load (floor) (CPU)"],
    }
    for name, value in medians.items():
        if name.startswith(("json.loads", "Store")):
            floor = floors["in process"]
        else:
            floor = floors["process CPU" if name.endswith("(CPU)") else "process"]
        print(f"{name:<26} {value:7.3f} s   {value / floor:5.2f}x its floor")
    return 0


if __name__ == "__main__":
    sys.exit(main())
