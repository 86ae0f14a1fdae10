"""Benchmark: a generated JSONL corpus (~2 KB an article) opened as the library, cold and warm.

Run from the repository root:  python tests/bench/bench_corpus_file.py [--articles N] [--million]

Prints, for N articles (default 100,000; --million adds a 1,000,000-article run): the cold
index build (MB/s, wall and CPU time: the machine may be shared), the warm open (index only), the
app's first paint cold (index build included) and warm, filter keystrokes and a sort in the
library list, loading one article by offset, and peak memory. Each phase runs in a fresh process
so its peak memory is its own. The baseline, measured in the same run,
is the same app over a 2-article corpus. Asserts nothing: timings depend on the machine.
Goals (issue 12): warm first paint < 1 s, cold build >= 50 MB/s, keystroke < 100 ms, memory < 1 GB.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
for path in (ROOT, ROOT / "tests" / "bench"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

WORDS = (
    "harbour council budget storm election vote bakery award river school rail energy tax court "
    "minister talks summit trade port strike flood road coast market bank rate city night report"
).split()
SOURCES = ["Coast Times", "City Herald", "Gazette", "Wire", "Evening Post", "Tribune", "Le Monde", "日本経済新聞"]


def generate(path: Path, count: int, seed: int = 12) -> int:
    """Write `count` articles of ~2 KB as JSONL (streamed: no article list in memory); returns bytes."""
    rng = random.Random(seed)
    pool = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "." for _ in range(4096)]
    heads = [" ".join(rng.choice(WORDS) for _ in range(6)).capitalize() for _ in range(4096)]
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            # ~2 KB of sentences from a pool, each article different (its number is in the text)
            body = f"Report {i}. " + " ".join(rng.choices(pool, k=22))
            record = {
                "id": f"art-{i}",
                "title": f"{heads[i % 4096]} {i}",
                "text": body[:2000],
                "date": f"{2000 + i % 26}-{1 + i % 12:02d}-{1 + i % 28:02d}",
                "source": SOURCES[i % len(SOURCES)],
                "url": f"https://news.example/{i}",
            }
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path.stat().st_size


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def first_paint(corpus: Path, cache: Path, db: Path) -> float:
    """Seconds from opening the corpus to the app's first frame with library rows drawn (headless)."""
    from bench_library import measure

    from newsdesk.annotations.corpus_file import CorpusFile
    from newsdesk.annotations.store import Store
    from newsdesk.tui.app import NewsdeskApp
    from newsdesk.tui.config import Settings
    from newsdesk.tui.screens.library import LibraryScreen
    from newsdesk.tui.widgets.library_list import LibraryList

    def make() -> NewsdeskApp:
        library = CorpusFile.open(corpus, cache_dir=cache)
        settings = Settings(library=corpus, db=db, annotator="bench")
        return NewsdeskApp(library=library, store=Store(db), settings=settings, owns_store=True)

    def drawn(app) -> bool:
        screen = app.screen
        return isinstance(screen, LibraryScreen) and screen.query_one(LibraryList).visible_count > 0

    return measure(make, until=drawn, timeout=600)


def list_figures(corpus: Path, cache: Path, db: Path) -> dict[str, float]:
    """A filter keystroke, a sort and `J` (next in reading order) in the running app."""
    from newsdesk.annotations.corpus_file import CorpusFile
    from newsdesk.annotations.store import Store
    from newsdesk.tui.app import NewsdeskApp
    from newsdesk.tui.config import Settings
    from newsdesk.tui.widgets.library_list import LibraryList

    figures: dict[str, "float | tuple[float, float]"] = {}

    async def run() -> None:
        library = CorpusFile.open(corpus, cache_dir=cache)
        app = NewsdeskApp(library=library, store=Store(db), settings=Settings(corpus, db, "bench"), owns_store=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            listing = app.screen.query_one(LibraryList)
            height = listing.scrollable_content_region.height

            def keystroke(before: str, after: str) -> tuple[float, float]:
                listing.set_filter(before)
                start, cpu = time.perf_counter(), time.process_time()
                listing.set_filter(after)
                for y in range(height):
                    listing.render_line(y)
                return time.perf_counter() - start, time.process_time() - cpu

            start = time.perf_counter()
            listing.set_filter("r")  # the first filter builds what it searches (title, source)
            figures["filter: the very first keystroke"] = time.perf_counter() - start
            figures["filter: first letter 'r'"] = keystroke("", "r")
            figures["filter: 'harbou' -> 'harbour'"] = keystroke("harbou", "harbour")
            figures["filter: rare 'report 4242' -> '42424'"] = keystroke("4242", "42424")
            figures["filter: clearing"] = keystroke("storm", "")
            listing.set_filter("")
            start = time.perf_counter()
            listing.sort_key = "title"
            figures["first sort by title (all rows)"] = time.perf_counter() - start
            start = time.perf_counter()
            order = app.reading_order()
            figures["J/K reading order (all ids)"] = time.perf_counter() - start
            start = time.perf_counter()
            library.load(order[len(order) // 2])
            figures["load one article by offset"] = time.perf_counter() - start

    asyncio.run(run())
    return figures


def phase_build(corpus: Path, cache: Path) -> None:
    from newsdesk.annotations.corpus_file import CorpusFile

    size = corpus.stat().st_size
    start, cpu = time.perf_counter(), time.process_time()
    CorpusFile.open(corpus, cache_dir=cache)
    build, cpu = time.perf_counter() - start, time.process_time() - cpu
    print(f"  cold index build          {build:8.2f} s   {size / 1e6 / build:6.1f} MB/s wall, "
          f"{size / 1e6 / cpu:.1f} MB/s of CPU time   (goal >= 50 MB/s)")
    print(f"    peak memory of the build  {peak_mb():6.0f} MB")


def phase_cold_paint(corpus: Path, cache: Path, folder: Path) -> None:
    cold = first_paint(corpus, cache, folder / "db.json")
    print(f"  first paint, cold         {cold:8.2f} s   (index build included)   peak memory {peak_mb():.0f} MB")


def phase_warm(corpus: Path, cache: Path, folder: Path) -> None:
    import statistics

    from newsdesk.annotations.corpus_file import CorpusFile

    small = folder / "small.jsonl"
    generate(small, 2)
    first_paint(small, folder / "cache-small", folder / "small-db.json")  # imports, warm caches
    start, cpu = time.perf_counter(), time.process_time()
    CorpusFile.open(corpus, cache_dir=cache)
    print(f"  warm open (index only)    {time.perf_counter() - start:8.2f} s   ({time.process_time() - cpu:.2f} s of CPU time)")
    import gc

    def paint(path: Path, cache_dir: Path, db: Path) -> float:
        gc.collect()  # the last app's library goes before the next is opened
        return first_paint(path, cache_dir, db)

    base = statistics.median(paint(small, folder / "cache-small", folder / "small-db.json") for _ in range(3))
    warm = statistics.median(paint(corpus, cache, folder / "db.json") for _ in range(3))
    print(f"  first paint, warm         {warm:8.2f} s   {warm / base:5.1f}x the 2-article corpus ({base:.2f} s), "
          f"median of 3   (goal < 1 s)")
    print(f"    peak memory of these paints  {peak_mb():.0f} MB")


def phase_list(corpus: Path, cache: Path, folder: Path) -> None:
    for label, seconds in list_figures(corpus, cache, folder / "db.json").items():
        if isinstance(seconds, tuple):
            print(f"  {label:<38} {seconds[0] * 1000:8.1f} ms   ({seconds[1] * 1000:.1f} ms of CPU time)   (goal < 100 ms)")
        else:
            print(f"  {label:<38} {seconds * 1000:8.1f} ms")
    print(f"  peak memory of one app: open, paint, these filters and sorts   {peak_mb():.0f} MB   (goal < 1 GB)")


def run_size(count: int, folder: Path) -> None:
    corpus = folder / f"corpus-{count}.jsonl"
    started = time.perf_counter()
    size = generate(corpus, count)
    print(f"{count:,} articles, {size / 1e6:,.0f} MB of JSONL (generated in {time.perf_counter() - started:.1f} s)",
          flush=True)
    cache = folder / f"cache-{count}"
    # Each phase in a fresh process: its peak memory is its own, and the cold one starts cold.
    phases = (("build", cache), ("cold-paint", folder / f"cache-{count}-cold"), ("warm", cache), ("list", cache))
    for phase, phase_cache in phases:
        subprocess.run(
            [sys.executable, __file__, "--phase", phase, "--corpus", str(corpus), "--cache", str(phase_cache)],
            env=dict(os.environ, PYTHONPATH=str(ROOT)), check=False,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 articles (~2 GB, a few minutes)")
    parser.add_argument("--dir", help="where to write the generated corpora (default: a temp dir)")
    parser.add_argument("--phase", choices=("build", "cold-paint", "warm", "list"), help=argparse.SUPPRESS)
    parser.add_argument("--corpus", help=argparse.SUPPRESS)
    parser.add_argument("--cache", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.phase:
        corpus, cache = Path(args.corpus), Path(args.cache)
        {"build": lambda: phase_build(corpus, cache),
         "cold-paint": lambda: phase_cold_paint(corpus, cache, corpus.parent),
         "warm": lambda: phase_warm(corpus, cache, corpus.parent),
         "list": lambda: phase_list(corpus, cache, corpus.parent)}[args.phase]()
        return
    sizes = [args.articles] + ([1_000_000] if args.million else [])
    for count in sizes:
        with tempfile.TemporaryDirectory(dir=args.dir) as temporary:
            run_size(count, Path(temporary))


if __name__ == "__main__":
    main()
