"""Benchmark: the library's first paint with 100,000 articles, and one filter keystroke.

Run from the repository root:  python tests/bench/bench_library.py [--rows N] [--repeat N]

Prints figures, asserts nothing (timings depend on the machine). First paint is measured from
just before the app is constructed until the first frame the app hands to the terminal in which
the list has drawn its rows (headless, so the frame is built but not written). The baseline is
the same host app with an empty list and with one row, run in the same process, so start-up
costs shared by both cancel out in the ratio.

`measure(app_factory)` works for any App, for comparing the real app with a minimal one.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from textual.app import App, ComposeResult  # noqa: E402
from textual.strip import Strip  # noqa: E402

from newsdesk.annotations.corpus import LibraryEntry  # noqa: E402
from newsdesk.tui.widgets.library_list import LibraryList, LibraryRow  # noqa: E402


def measure(
    app_factory: Callable[[], App],
    *,
    size: tuple[int, int] = (120, 40),
    until: Callable[[App], bool] | None = None,
    timeout: float = 120.0,
) -> float:
    """Seconds from calling `app_factory()` to the app's first frame (headless).

    A frame is counted when the app passes a compositor update to `App._display`, which is
    after every visible widget has rendered its lines. With `until`, the first frame for which
    `until(app)` is true counts instead (e.g. "the list has drawn its rows").
    """

    async def run() -> float:
        painted = asyncio.Event()
        stamp: list[float] = []
        start = time.perf_counter()
        app = app_factory()
        display = app._display

        def timed_display(screen, renderable) -> None:  # type: ignore[no-untyped-def]
            display(screen, renderable)
            if renderable is not None and not stamp and (until is None or until(app)):
                stamp.append(time.perf_counter())
                painted.set()

        app._display = timed_display  # type: ignore[method-assign]
        async with app.run_test(size=size):
            await asyncio.wait_for(painted.wait(), timeout)
        return stamp[0] - start

    return asyncio.run(run())


class TimedList(LibraryList):
    """A LibraryList that notes when it has rendered a row (not the header or the hint)."""

    rows_painted = False

    def render_line(self, y: int) -> Strip:
        if y >= 1 and self.visible_count:
            self.rows_painted = True
        return super().render_line(y)


class LibraryHost(App[None]):
    """A screen holding only the library list."""

    def __init__(self, rows: list[LibraryRow]) -> None:
        super().__init__()
        self.rows = rows

    def compose(self) -> ComposeResult:
        yield TimedList(self.rows)


def list_painted(app: App) -> bool:
    """True once the list has drawn rows, or its empty hint when it has none."""
    library = app.query_one(TimedList)
    return library.rows_painted or not library.visible_count


SOURCES = ["Coast Times", "City Herald", "Gazette", "Wire", "Evening Post", "Tribune", "Le Monde", "日本経済新聞"]
WORDS = "harbour council budget storm election vote bakery award river school rail energy tax court".split()


def make_rows(count: int) -> list[LibraryRow]:
    """`count` synthetic rows: varied titles, sources, dates (1 in 11 undated) and progress."""
    rows = []
    for i in range(count):
        words = " ".join(WORDS[(i * k) % len(WORDS)] for k in (1, 3, 7))
        entry = LibraryEntry(
            id=f"{i:016x}",
            title=f"{words.capitalize()} report {i}",
            source=SOURCES[i % len(SOURCES)],
            published=date(2000 + i % 25, 1 + i % 12, 1 + i % 28) if i % 11 else None,
            place="",
            path=Path(f"/library/{i:06d}.txt"),
            size=2_000 + i % 5_000,
        )
        topics = tuple(WORDS[(i + k) % len(WORDS)] for k in range(i % 4))
        rows.append(LibraryRow(entry, spans=(i % 7) * 3, topics=topics, done=i % 13 == 0))
    return rows


def first_paint(rows: list[LibraryRow], repeat: int) -> list[float]:
    return [measure(lambda: LibraryHost(rows), until=list_painted) for _ in range(repeat)]


def keystroke_times(rows: list[LibraryRow], repeat: int) -> dict[str, float]:
    """Wall time of set_filter + rendering the screen's lines, per kind of keystroke."""
    sequences = {
        "first letter ('r', matches most rows)": ["", "r"],
        "narrowing ('repor' -> 'report')": ["repor", "report"],
        "second word ('storm' -> 'storm e')": ["storm", "storm e"],
        "widening (backspace 'storm el' -> 'storm e')": ["storm el", "storm e"],
        "rare word ('report 4242' -> 'report 42424')": ["report 4242", "report 42424"],
        "clearing ('storm' -> '')": ["storm", ""],
    }
    results: dict[str, float] = {}

    async def run() -> None:
        app = LibraryHost(rows)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            library = app.query_one(TimedList)
            height = library.scrollable_content_region.height
            for label, (before, after) in sequences.items():
                samples = []
                for _ in range(repeat):
                    library.set_filter(before)
                    start = time.perf_counter()
                    library.set_filter(after)
                    for y in range(height):
                        library.render_line(y)
                    samples.append(time.perf_counter() - start)
                results[label] = statistics.median(samples)
            library.set_filter("")
            start = time.perf_counter()
            library.set_rows(rows)
            results["set_rows (reload all rows, date order)"] = time.perf_counter() - start
            start = time.perf_counter()
            library.sort_key = "title"
            results["first sort by title"] = time.perf_counter() - start

    asyncio.run(run())
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    rows = make_rows(args.rows)
    one = rows[:1]
    # Interleave so drift on a shared machine hits both sides alike; warm imports first.
    measure(lambda: LibraryHost([]), until=list_painted)
    big, empty, single = [], [], []
    for _ in range(args.repeat):
        empty += first_paint([], 1)
        single += first_paint(one, 1)
        big += first_paint(rows, 1)

    base = statistics.median(empty)
    print(f"LibraryList first paint (headless, 120x40, median of {args.repeat}, from app construction)")
    print(f"  empty list              {base * 1000:8.1f} ms")
    print(f"  1 row                   {statistics.median(single) * 1000:8.1f} ms")
    label = f"{args.rows:,} rows"
    print(
        f"  {label:<23} {statistics.median(big) * 1000:8.1f} ms"
        f"   (min {min(big) * 1000:.1f}, max {max(big) * 1000:.1f})"
    )
    print(f"  ratio {args.rows:,} rows / empty: {statistics.median(big) / base:.2f}x   (target: under 1 s)")
    print()
    print(f"Filtering {args.rows:,} rows, one keystroke (set_filter + render the visible lines, median)")
    for label, seconds in keystroke_times(rows, args.repeat).items():
        print(f"  {label:<46} {seconds * 1000:8.1f} ms")


if __name__ == "__main__":
    main()
