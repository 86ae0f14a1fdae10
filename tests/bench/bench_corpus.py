"""Benchmark: opening a library of 10,000 article files, cold (every file parsed) and warm (cache).

Run from the repository root:  python tests/bench/bench_corpus.py [--files N]

The baseline, measured in the same run, is the bare cost of the work any reader must do: listing
the folder and stat-ing every file (what the warm path does besides reading its cache), and
reading every file's bytes (what the cold path does besides parsing).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newsdesk.annotations.corpus import Library  # noqa: E402


def make_library(folder: Path, files: int) -> None:
    seed = (ROOT / "seeds" / "003_0356732c498918b7.txt").read_text("utf-8")
    words = seed.split()
    rng = random.Random(0)
    for n in range(files):
        body = " ".join(rng.choice(words) for _ in range(300))
        if n % 3 == 0:
            text = f"Headline {n} about talks\nStandfirst {n} here\n{body}.\n"
        elif n % 3 == 1:
            text = f"TOKYO, Feb {1 + n % 28}, 2026 (Reuters) - {body}.\n"
        else:
            text = f"date 2026-02-01 Tokyo [Japan], February 1 (ANI): {body}.\n"
        (folder / f"{n:05d}.txt").write_text(text, encoding="utf-8")


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    options = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="newsdesk-bench-"))
    try:
        folder = root / "library"
        folder.mkdir()
        make_library(folder, options.files)
        cache = root / "cache"
        stat_all = timed(lambda: [p.stat() for p in sorted(folder.iterdir())])
        read_all = timed(lambda: [p.read_bytes() for p in sorted(folder.iterdir())])
        cold = timed(lambda: Library.open(folder, cache_dir=cache))
        warm = min(timed(lambda: Library.open(folder, cache_dir=cache)) for _ in range(3))
        one = folder / "00042.txt"
        one.write_text(one.read_text("utf-8") + " Updated.\n", encoding="utf-8")
        one_changed = timed(lambda: Library.open(folder, cache_dir=cache))
        print(f"library of {options.files:,} article files (~2.2 KB each)")
        print(f"  baseline: list + stat every file      {stat_all * 1000:8.1f} ms")
        print(f"  baseline: read every file's bytes     {read_all * 1000:8.1f} ms")
        print(f"  cold open (parse every file)          {cold * 1000:8.1f} ms   {cold / read_all:5.1f}x reading the bytes")
        print(f"  warm open (unchanged, from the cache) {warm * 1000:8.1f} ms   {warm / stat_all:5.1f}x listing + stat")
        print(f"  one file changed                      {one_changed * 1000:8.1f} ms   {one_changed / stat_all:5.1f}x listing + stat")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
