"""How much one cursor key costs in ArticleView on a 1 MB article, against the same key on a seed.

Run: `python tests/bench/bench_article_view.py` (not collected by pytest; prints, never asserts).

Pilot round trips cost 60-85 ms of wall time each (FIELD-NOTES), so keys are not timed through
Pilot: the app runs under `run_test`, and each sample is the in-process CPU time of the action
handler plus `render_line` of the rows it refreshed (all visible rows when it scrolled).
"""

from __future__ import annotations

import asyncio
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from textual.app import App, ComposeResult  # noqa: E402
from textual.geometry import Region  # noqa: E402

from newsdesk.annotations.model import Article, Span, Topic, article_id_for  # noqa: E402
from newsdesk.annotations import text as textrules  # noqa: E402
from newsdesk.tui.widgets.article_view import ArticleView, WrappedText  # noqa: E402

SIZE = (100, 40)
REPEATS = 300
PAIRS = {"down": "up", "right": "left", "w": "b", "b": "w"}
STEPS = {"down": 8, "right": 20, "w": 8, "b": 8}
ACTIONS = {
    "down": "action_cursor_down",
    "up": "action_cursor_up",
    "right": "action_cursor_right",
    "left": "action_cursor_left",
    "w": "action_word_next",
    "b": "action_word_previous",
    "j": "action_cursor_down",
    "k": "action_cursor_up",
}


def seed_text() -> str:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    return seeds[0].read_text(encoding="utf-8")


def megabyte_text(seed: str) -> str:
    """About 1 MB of news-like text (the seeds repeated, with some CJK and emoji mixed in)."""
    extra = "\n\n東京で会談が行われた。 Leaders met 🇯🇵🇬🇧 and agreed 👍🏽 on café policy.\n\n"
    parts = []
    size = 0
    while size < 1_000_000:
        parts.append(seed)
        parts.append(extra)
        size += len(seed.encode()) + len(extra.encode())
    return "".join(parts)


def make_spans(article: Article, count: int) -> list[Span]:
    text = article.text
    step = max(1, len(text) // count)
    spans = []
    for index in range(count):
        start = index * step
        spans.append(Span(f"s{index}", article.id, start, min(len(text), start + 40), "", ("a",) if index % 2 else ("b",)))
    return spans


class Host(App):
    def __init__(self, article: Article) -> None:
        super().__init__()
        self.article = article

    def compose(self) -> ComposeResult:
        yield ArticleView(self.article)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def measure(text: str, label: str) -> dict[str, tuple[float, float]]:
    article = Article(id=article_id_for(text), title=label, text=text)
    app = Host(article)
    results: dict[str, tuple[float, float]] = {}
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        view.focus()
        await pilot.pause()
        topics = {"a": Topic("a", 1, "#e74c3c"), "b": Topic("b", 2, "#3498db")}
        view.set_spans(make_spans(article, max(10, len(text) // 1000)), topics)
        # Start mid-article, with the cursor mid-screen.
        view.move_cursor(len(text) // 2, center=True)
        await pilot.pause()

        refreshed: list[Region] = []
        original_refresh = view.refresh

        def recording_refresh(*regions, **kwargs):
            refreshed.extend(regions)
            return original_refresh(*regions, **kwargs)

        view.refresh = recording_refresh  # type: ignore[method-assign]
        height = view.scrollable_content_region.height

        def render_refreshed(scrolled: bool) -> None:
            if scrolled or not refreshed:
                rows = range(height)
            else:
                rows = sorted({y for region in refreshed for y in range(region.y, region.bottom) if 0 <= y < height})
            for y in rows:
                view.render_line(y)

        for key, back in PAIRS.items():
            samples = []
            forward = getattr(view, ACTIONS[key])
            backward = getattr(view, ACTIONS[back])
            steps = STEPS[key]
            while len(samples) < REPEATS:
                # Forward `steps` times (timed), then back (untimed): the cursor stays on screen, and
                # the line cache is emptied before each timed key so its rows are rendered cold.
                for action, timed in [(forward, True)] * steps + [(backward, False)] * steps:
                    if timed:
                        view._line_cache.clear()
                    refreshed.clear()
                    top = view.scroll_y
                    started = time.process_time_ns()
                    action()
                    render_refreshed(view.scroll_y != top)
                    elapsed = time.process_time_ns() - started
                    if timed:
                        samples.append(elapsed / 1e6)
                await pilot.pause(0)
            results[key] = (statistics.median(samples), percentile(samples, 0.95))
        view.refresh = original_refresh  # type: ignore[method-assign]
    return results


async def first_render(text: str) -> tuple[float, float]:
    """(CPU ms, wall ms) from set_article to every visible row rendered, on a running app."""
    article = Article(id=article_id_for(text), title="x", text=text)
    app = Host(Article(id="empty", title="", text=""))
    async with app.run_test(size=SIZE) as pilot:
        view = app.query_one(ArticleView)
        await pilot.pause()
        wall = time.perf_counter()
        cpu = time.process_time()
        view.set_article(article)
        for y in range(view.scrollable_content_region.height):
            view.render_line(y)
        return (time.process_time() - cpu) * 1000, (time.perf_counter() - wall) * 1000


def word_function_costs(text: str) -> dict[str, float]:
    """Median CPU ms of the bare annotations.text word motions mid-article (the widget's floor)."""
    costs = {}
    for function in (textrules.next_word, textrules.prev_word):
        samples = []
        offset = len(text) // 2
        for _ in range(200):
            started = time.process_time_ns()
            function(text, offset)
            samples.append((time.process_time_ns() - started) / 1e6)
        costs[function.__name__] = statistics.median(samples)
    return costs


def main() -> None:
    seed = seed_text()
    big = megabyte_text(seed)
    width = SIZE[0] - 2 - 1 - 2 - 1  # border, scrollbar, gutter, margin cell
    wrap_times = []
    for _ in range(5):
        started = time.process_time()
        wrapped = WrappedText(big, width)
        wrap_times.append((time.process_time() - started) * 1000)
    cjk = ("東京で会談が行われた。" * 40 + "\n") * 760
    started = time.process_time()
    WrappedText(cjk, width)
    cjk_wrap = (time.process_time() - started) * 1000

    seed_first = asyncio.run(first_render(seed))
    big_first = asyncio.run(first_render(big))
    small = asyncio.run(measure(seed, "seed"))
    large = asyncio.run(measure(big, "1MB"))

    print(f"seed: {len(seed.encode()):,} bytes; big: {len(big.encode()):,} bytes, {len(big):,} code points, "
          f"{len(wrapped):,} visual lines at width {width}")
    print(f"wrap 1 MB (news text, median of 5): {statistics.median(wrap_times):.1f} ms CPU")
    print(f"wrap {len(cjk.encode()):,} bytes of CJK (grapheme path): {cjk_wrap:.1f} ms CPU")
    print(f"first render (set_article + {SIZE[1] - 2} rows): seed {seed_first[0]:.1f} ms CPU, "
          f"1 MB {big_first[0]:.1f} ms CPU ({big_first[1]:.1f} ms wall)")
    print()
    print(f"one key = action + render of refreshed rows, CPU ms, {REPEATS} samples each")
    print(f"{'key':<6} {'seed med':>9} {'seed p95':>9} {'1MB med':>9} {'1MB p95':>9} {'ratio':>6}")
    for key in PAIRS:
        s_med, s_p95 = small[key]
        l_med, l_p95 = large[key]
        print(f"{key:<6} {s_med:9.3f} {s_p95:9.3f} {l_med:9.3f} {l_p95:9.3f} {l_med / s_med:6.2f}x")
    seed_words, big_words = word_function_costs(seed), word_function_costs(big)
    print()
    print("of which annotations.text alone (median CPU ms, mid-article):")
    for name in seed_words:
        print(f"  {name:<10} seed {seed_words[name]:.3f}  1MB {big_words[name]:.3f}")


if __name__ == "__main__":
    main()
