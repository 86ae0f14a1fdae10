"""Export speed and memory per format: 100,000 spans over 10,000 synthetic articles.

Run: python tests/bench/bench_export.py [--spans N] [--articles N] [--formats jsonl,conll]
Prints, per format, export time (median of --repeat runs; one run for formats over 5 s), throughput (spans/s), peak traced memory (tracemalloc, from a
second run so tracing does not slow the timed one) and the ratio to a baseline measured in the
same run: `json.dumps` of the same articles and spans, already in memory, with one `write`.
Target: newsdesk JSONL under 2 s. Figures only; nothing is asserted.
"""

from __future__ import annotations

import argparse
import gc
import json
import random
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newsdesk.annotations.corpus import Library  # noqa: E402
from newsdesk.annotations.exporting import export  # noqa: E402
from newsdesk.annotations.formats import format_names  # noqa: E402
from newsdesk.annotations.model import Article, Span, article_id_for, new_span_id  # noqa: E402
from newsdesk.annotations.store import Store  # noqa: E402

WORDS = (
    "the minister said talks in Tokyo were strong and both sides agreed to deepen cooperation on "
    "security supply chains critical minerals trade 東京 日本 会談 👍🏽 🇯🇵 café Zürich مرحبا שלום"
).split()
TOPICS = ["Politics", "Economy", "defence and security", "Places", "People", "Trade"]


def synthetic(articles: int, spans: int, seed: int = 7) -> tuple[list[Article], list[Span]]:
    rng = random.Random(seed)
    made_articles, made_spans = [], []
    per_article = spans // articles
    for n in range(articles):
        words = [rng.choice(WORDS) for _ in range(rng.randint(60, 90))]
        body = " ".join(words) + f". Article {n}.\nSecond line of {n}."
        article = Article(id=article_id_for(body), title=f"Article {n}", text=body)
        made_articles.append(article)
        starts = [0]
        for w in words[:-1]:
            starts.append(starts[-1] + len(w) + 1)
        for _ in range(per_article):
            i = rng.randrange(len(words) - 3)
            j = i + rng.randint(0, 2)
            start, end = starts[i], starts[j] + len(words[j])
            made_spans.append(
                Span(new_span_id(), article.id, start, end, body[start:end],
                     tuple(rng.sample(TOPICS, rng.randint(1, 2))), "note" if rng.random() < 0.1 else "",
                     rng.choice(["ana", "bo"]), "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z")
            )
    return made_articles, made_spans


def baseline(articles: list[Article], spans: list[Span], out: Path) -> float:
    by_article: dict[str, list[dict]] = {}
    for span in spans:
        by_article.setdefault(span.article_id, []).append(span.to_dict())
    data = [{**a.to_dict(), "spans": by_article.get(a.id, [])} for a in articles]
    started = time.perf_counter()
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(json.dumps(data, ensure_ascii=False))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=100_000)
    parser.add_argument("--formats", default=",".join(format_names()))
    parser.add_argument("--repeat", type=int, default=3, help="timed runs per format (median shown)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        started = time.perf_counter()
        articles, spans = synthetic(args.articles, args.spans)
        print(f"synthetic data: {len(spans):,} spans over {len(articles):,} articles "
              f"({time.perf_counter() - started:.2f} s)")
        started = time.perf_counter()
        store = Store(tmp_path / "db.json")
        store.add_spans(spans)
        print(f"store built: {time.perf_counter() - started:.2f} s")
        folder = tmp_path / "articles"
        folder.mkdir()
        for a in articles:
            (folder / f"{a.id}.txt").write_text(f"{a.title}\n\n{a.text}\n", encoding="utf-8")
        started = time.perf_counter()
        library = Library.open(folder, cache_dir=tmp_path / "cache")
        print(f"Library.open of {len(articles):,} files: {time.perf_counter() - started:.2f} s (not counted below)")
        base = baseline(articles, spans, tmp_path / "baseline.json")
        print(f"baseline json.dumps + one write: {base:.3f} s, {len(spans) / base:,.0f} spans/s\n")
        print(f"{'format':<13}{'time s':>9}{'spans/s':>12}{'peak MiB':>10}{'x baseline':>12}  notes")
        for name in args.formats.split(","):
            target = tmp_path / f"out-{name}"
            times = []
            try:
                while len(times) < args.repeat:
                    gc.collect()
                    started = time.perf_counter()
                    report = export(store, library, name, target, force=True)
                    times.append(time.perf_counter() - started)
                    if times[0] > 5:  # slow formats: one run is figure enough
                        break
            except Exception as error:  # e.g. spaCy missing
                print(f"{name:<13}  skipped: {error}")
                continue
            took = statistics.median(times)
            gc.collect()
            tracemalloc.start()
            export(store, library, name, target, force=True)
            peak = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.stop()
            note = f"{report.articles:,} articles, {report.spans:,} spans, {len(times)} run(s)"
            if report.dropped_overlaps:
                note += f", {report.dropped_overlaps:,} overlaps dropped"
            if name == "jsonl":
                note += "  [target < 2 s: " + ("met" if took < 2 else "MISSED") + "]"
            print(f"{name:<13}{took:>9.2f}{report.spans / took:>12,.0f}{peak:>10.1f}{took / base:>12.1f}  {note}")
        store.close()


if __name__ == "__main__":
    main()
