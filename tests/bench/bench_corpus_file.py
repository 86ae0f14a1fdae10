"""Benchmark: a generated JSONL corpus (~2 KB an article) opened as the library, cold and warm.

Run from the repository root:  python tests/bench/bench_corpus_file.py [--articles N] [--million]

Prints, for N articles (default 100,000; --million adds a 1,000,000-article run in a fresh
process): the cold index build (MB/s), the warm open (index only), the app's first paint cold
(index build included) and warm, a filter keystroke and a sort in the library list, loading one
article by offset, and the peak memory of the process. The baseline, measured in the same run,
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
    with open(path, "w", encoding="utf-8") as out:
        for i in range(count):
            sentences = []
            length = 0
            while length < 1900:
                sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 18))).capitalize() + "."
                sentences.append(sentence)
                length += len(sentence) + 1
            record = {
                "id": f"art-{i}",
                "title": " ".join(rng.choice(WORDS) for _ in range(6)).capitalize() + f" {i}",
                "text": " ".join(sentences),
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

    figures: dict[str, float] = {}

    async def run() -> None:
        library = CorpusFile.open(corpus, cache_dir=cache)
        app = NewsdeskApp(library=library, store=Store(db), settings=Settings(corpus, db, "bench"), owns_store=True)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            listing = app.screen.query_one(LibraryList)
            height = listing.scrollable_content_region.height

            def keystroke(before: str, after: str) -> float:
                listing.set_filter(before)
                start = time.perf_counter()
                listing.set_filter(after)
                for y in range(height):
                    listing.render_line(y)
                return time.perf_counter() - start

            figures["filter: first letter 'r'"] = keystroke("", "r")
            figures["filter: 'harbou' -> 'harbour'"] = keystroke("harbou", "harbour")
            figures["filter: rare 'report 4242' -> '42424'"] = keystroke("4242", "42424")
            figures["filter: clearing"] = keystroke("storm", "")
            start = time.perf_counter()
            listing.sort_key = "title"
            figures["first sort by title"] = time.perf_counter() - start
            start = time.perf_counter()
            order = app.reading_order()
            figures["J/K reading order (all ids)"] = time.perf_counter() - start
            start = time.perf_counter()
            library.load(order[len(order) // 2])
            figures["load one article by offset"] = time.perf_counter() - start

    asyncio.run(run())
    return figures


def run_size(count: int, folder: Path) -> None:
    from newsdesk.annotations.corpus_file import CorpusFile

    corpus = folder / f"corpus-{count}.jsonl"
    started = time.perf_counter()
    size = generate(corpus, count)
    print(f"{count:,} articles, {size / 1e6:,.0f} MB of JSONL (generated in {time.perf_counter() - started:.1f} s)")
    small = folder / "small.jsonl"
    generate(small, 2)
    base = first_paint(small, folder / "cache-small", folder / "small-db.json")
    base = min(base, first_paint(small, folder / "cache-small", folder / "small-db.json"))

    cache = folder / f"cache-{count}"
    start = time.perf_counter()
    corpus_library = CorpusFile.open(corpus, cache_dir=cache)
    build = time.perf_counter() - start
    print(f"  cold index build          {build:8.2f} s   {size / 1e6 / build:6.1f} MB/s   (goal >= 50 MB/s)")
    start = time.perf_counter()
    CorpusFile.open(corpus, cache_dir=cache)
    print(f"  warm open (index only)    {time.perf_counter() - start:8.2f} s")
    del corpus_library
    cold_cache = folder / f"cache-{count}-cold"
    cold = first_paint(corpus, cold_cache, folder / "db.json")
    print(f"  first paint, cold         {cold:8.2f} s   (index build included)")
    warm = first_paint(corpus, cache, folder / "db.json")
    print(f"  first paint, warm         {warm:8.2f} s   {warm / base:5.1f}x the 2-article corpus ({base:.2f} s)   (goal < 1 s)")
    for label, seconds in list_figures(corpus, cache, folder / "db.json").items():
        print(f"  {label:<38} {seconds * 1000:8.1f} ms")
    print(f"  peak memory (whole run)   {peak_mb():8.0f} MB   (goal < 1 GB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--million", action="store_true", help="also run 1,000,000 articles (~2 GB, a few minutes)")
    parser.add_argument("--dir", help="where to write the generated corpora (default: a temp dir)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(dir=args.dir) as temporary:
        run_size(args.articles, Path(temporary))
    if args.million:
        # A fresh process, so the 1M peak memory is its own.
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        subprocess.run([sys.executable, __file__, "--articles", "1000000"] + (["--dir", args.dir] if args.dir else []),
                       env=env, check=False)


if __name__ == "__main__":
    main()
