"""Benchmark: newsdesk's cold start to the library's first paint, against a minimal Textual app.

Run from the repository root:  python tests/bench/bench_startup.py [--repeat N]

Each run is a fresh Python process (so imports count, as they do for a person typing
`newsdesk`), timed by the parent from launch until the child reports its first frame with
content: for newsdesk, the frame in which the library list has drawn its article rows over the
seeds; for the baseline, a minimal app (Header, Static, Footer). Runs alternate between the two
so machine load hits both alike. Prints medians and the ratio (target: 1.3x or less).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# Both children print "painted" on their first frame with content, then exit at once.
CHILD_PRELUDE = """
import sys
def hook(app, ready):
    display = app._display
    def timed(screen, renderable):
        display(screen, renderable)
        if renderable is not None and ready(app):
            sys.stdout.write("painted\\n"); sys.stdout.flush()
            import os; os._exit(0)
    app._display = timed
"""

MINIMAL = CHILD_PRELUDE + """
from textual.app import App
from textual.widgets import Footer, Header, Static
class Minimal(App):
    def compose(self):
        yield Header()
        yield Static("hello")
        yield Footer()
app = Minimal()
hook(app, lambda app: True)
app.run(headless=True, size=(120, 40))
"""

NEWSDESK = CHILD_PRELUDE + """
from newsdesk.tui.cli import build_parser, _settings, _open_library, _open_store
args = build_parser().parse_args(["--db", sys.argv[1]])
settings = _settings(args)
library = _open_library(settings)
store = _open_store(settings, readonly=False)
from newsdesk.tui.app import NewsdeskApp
app = NewsdeskApp(library=library, store=store, settings=settings)
def ready(app):
    from newsdesk.tui.widgets.library_list import LibraryList
    try:
        listing = app.screen.query_one(LibraryList)
    except Exception:
        return False
    return listing.visible_count > 0 and listing.size.height > 0
hook(app, ready)
app.run(headless=True, size=(120, 40))
"""


# An installed newsdesk has its bytecode compiled by pip, as Textual has; let the source tree's be
# written too (the warm-up run does it), or every run would pay for compiling our modules.
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"} | {"PYTHONPATH": str(ROOT)}


def run_child(code: str, *args: str) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=ROOT, capture_output=True, text=True, timeout=120,
        env=CHILD_ENV,
    )
    elapsed = time.perf_counter() - start
    if "painted" not in result.stdout:
        raise SystemExit(f"child did not paint:\n{result.stdout}\n{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        db = str(Path(scratch) / "bench.json")
        os.environ["XDG_CACHE_HOME"] = str(Path(scratch) / "cache")
        run_child(NEWSDESK, db)  # warm: creates the database and the library cache, as after a first use
        run_child(MINIMAL)
        minimal, newsdesk = [], []
        for _ in range(options.repeat):
            minimal.append(run_child(MINIMAL))
            newsdesk.append(run_child(NEWSDESK, db))
    m, n = statistics.median(minimal), statistics.median(newsdesk)
    print("cold start to first paint, fresh process each run, headless 120x40")
    print(f"  minimal Textual app (Header, Static, Footer)   median {m * 1000:7.1f} ms   min {min(minimal) * 1000:7.1f} ms")
    print(f"  newsdesk, library of seeds painted             median {n * 1000:7.1f} ms   min {min(newsdesk) * 1000:7.1f} ms")
    print(f"  ratio newsdesk / minimal: {n / m:.2f}x (median), {min(newsdesk) / min(minimal):.2f}x (min)   target <= 1.3x")


if __name__ == "__main__":
    main()
