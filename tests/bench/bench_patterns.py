"""Benchmark: 100 patterns (phrases, token lists, regexes) matched over a 10,000-article library.

Run from the repository root:  python tests/bench/bench_patterns.py [--articles N] [--patterns N]

Prints figures, asserts nothing. The articles are made in memory from the seeds' sentences with
made-up names mixed in (so patterns hit some articles and miss most, as real ones do). Figures:
* matching: `patterns.run_patterns` over the articles (the time `newsdesk suggest` spends
  matching, after the library is read), with the suggestions it finds;
* baseline: the same patterns run naively in the same process (every regex over every article,
  no pre-filter), and the floor of reading the text once (`casefold` of every article).
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import regex  # noqa: E402

from newsdesk.annotations.model import Article, article_id_for  # noqa: E402
from newsdesk.annotations.patterns import parse_pattern, run_patterns  # noqa: E402
from newsdesk.annotations.text import sentences  # noqa: E402

SYLLABLES = ["ka", "ro", "mi", "ta", "shi", "ne", "lo", "va", "den", "bar", "ul", "po", "zen", "ri", "ga", "sol"]


def made_up(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()


def library(count: int, rng: random.Random) -> tuple[list[Article], list[str]]:
    seeds = sorted((ROOT / "seeds").glob("*.txt"))
    pool: list[str] = []
    for path in seeds:
        text = path.read_text(encoding="utf-8")
        pool.extend(text[s:e] for s, e in sentences(text))
    names = [f"{made_up(rng)} {made_up(rng)}" for _ in range(400)]
    articles = []
    for number in range(count):
        parts = rng.sample(pool, min(14, len(pool)))
        for _ in range(3):
            parts.insert(rng.randrange(len(parts)), f"{rng.choice(names)} said on day {number % 31 + 1}.")
        text = " ".join(parts)
        articles.append(Article(id=article_id_for(text + str(number)), title=f"Article {number}", text=text))
    return articles, names


def patterns(count: int, names: list[str], rng: random.Random):
    made = []
    for number in range(count):
        kind = number % 10
        label = ["people", "places", "energy", "technology"][number % 4]
        name = rng.choice(names)
        if kind < 6:
            obj = {"label": label, "pattern": name}
        elif kind < 9:
            obj = {"label": label, "pattern": [{"lower": w.lower()} for w in name.split()]}
        else:
            obj = {"label": label, "regex": regex.escape(name.split()[0]) + r"\s+\w+"}
        made.append(parse_pattern(obj, f"bench:{number + 1}"))
    made.append(parse_pattern({"label": "places", "pattern": "Tokyo"}, "bench:tokyo"))
    return made


class _EmptyStore:
    def spans_for(self, article_id):
        return []

    def suggestions_for(self, article_id):
        return []

    def rejected_keys(self):
        return set()

    def topics(self):
        return []


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--patterns", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(9)
    articles, names = library(args.articles, rng)
    chosen = patterns(args.patterns, names, rng)[: args.patterns]
    size = sum(len(a.text) for a in articles)
    print(f"{len(articles):,} articles, {size / 1e6:.1f} M characters, {len(chosen)} patterns")

    started = time.perf_counter()
    for article in articles:
        article.text.casefold()
    floor = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    run = run_patterns(chosen, articles, _EmptyStore())
    matching, matching_cpu = time.perf_counter() - started, time.process_time() - cpu

    naive_patterns = [regex.compile(r"(?<!\w)" + (p.compiled.pattern if p.compiled is not None else
                      r"\s+".join(regex.escape(n) for n in p.needles)) + r"(?!\w)", regex.IGNORECASE) for p in chosen]
    started, cpu = time.perf_counter(), time.process_time()
    naive = 0
    for article in articles:
        for compiled in naive_patterns:
            naive += sum(1 for _ in compiled.finditer(article.text))
    baseline, baseline_cpu = time.perf_counter() - started, time.process_time() - cpu

    print(f"matching (run_patterns):      {matching:6.2f} s wall, {matching_cpu:5.2f} s CPU  {run.matches:,} matches, "
          f"{len(run.suggestions):,} suggestions in {run.articles:,} articles")
    print(f"baseline (naive regex scan):  {baseline:6.2f} s wall, {baseline_cpu:5.2f} s CPU  {naive:,} matches")
    print(f"floor (casefold every text):  {floor:6.2f} s")
    print(f"ratio matching / naive:       {matching_cpu / baseline_cpu:6.2f}x (CPU)")


if __name__ == "__main__":
    main()
