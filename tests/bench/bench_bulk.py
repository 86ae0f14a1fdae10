"""Bulk export (and import) as a user runs it: whole processes over 10,000 articles and 100,000 spans.

Run: python tests/bench/bench_bulk.py [--big] [--formats jsonl,conll] [--repeat 3] [--profile]

Generates a library of 10,000 articles of ~2 KB and a database of 100,000 spans (`--big`: 100,000
articles, 1,000,000 spans), then for each export format runs `python -m newsdesk export` in a
fresh interpreter and prints its wall time (median of --repeat), peak RSS, and the ratio to a
floor measured in the same run the same way: a fresh interpreter that parses the store's files
with `json`, reads the article files and serialises the same jsonl output with `json`: the least
any Python tool does for the same work. Goals (issue 13): jsonl, json, doccano, label-studio within
1.5x the floor; prodigy, conll, brat within 2x jsonl; spacy within 5x jsonl and under 500 MiB.
A format that misses its goal is profiled (cProfile, top functions by own time) so the output says
where the time goes; `--profile` profiles every format. tests/bench/bench_import.py, when present,
is run afterwards on the same data, so one command prints everything. Figures only; nothing asserted.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from newsdesk.annotations.model import Span, article_id_for, new_span_id  # noqa: E402

FORMATS = ["jsonl", "json", "doccano", "label-studio", "prodigy", "conll", "brat", "spacy"]
WORDS = (
    "the minister said talks in Tokyo were strong and both sides agreed to deepen cooperation on "
    "security supply chains critical minerals trade 東京 日本 会談 👍🏽 🇯🇵 café Zürich مرحبا שלום"
).split()
TOPICS = ["Politics", "Economy", "defence and security", "Places", "People", "Trade"]

FLOOR = r"""
import json, os, sys
db, folder, out, ids_file = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
with open(ids_file, encoding="utf-8") as handle:
    ids = json.load(handle)  # file name -> article id (what the library would tell)
with open(db, "rb") as handle:
    tables = json.loads(handle.read())
journal = db + ".journal"
if os.path.exists(journal):
    with open(journal, "rb") as handle:
        for line in handle:
            json.loads(line)
by_article = {}
for doc in tables["spans"].values():
    by_article.setdefault(doc["article_id"], []).append(doc)
dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
with open(out, "w", encoding="utf-8") as handle:
    for name in sorted(os.listdir(folder)):
        with open(os.path.join(folder, name), encoding="utf-8") as article:
            text = article.read()
        article_id = ids.get(name)
        spans = by_article.get(article_id, [])
        handle.write(dumps({"format": "newsdesk", "version": 1, "id": article_id, "spans": spans, "text": text}))
        handle.write("\n")
"""


def generate(folder: Path, db: Path, articles: int, spans: int, seed: int = 7) -> None:
    """A library of `articles` files of ~2 KB and a store of `spans` spans over them."""
    from newsdesk.annotations.store import Store

    rng = random.Random(seed)
    folder.mkdir()
    per_article = spans // articles
    made: list[Span] = []
    for n in range(articles):
        words = [rng.choice(WORDS) for _ in range(rng.randint(250, 330))]
        body = " ".join(words) + f". Article {n}.\nSecond line of {n}."
        text = f"Article {n}\n\n{body}\n"
        (folder / f"{n:06}.txt").write_text(text, encoding="utf-8")
        starts = [0]
        for word in words[:-1]:
            starts.append(starts[-1] + len(word) + 1)
        # what the library will hold: the title line is taken out of the text
        body_id = article_id_for(body)
        for _ in range(per_article):
            i = rng.randrange(len(words) - 3)
            j = i + rng.randint(0, 2)
            start, end = starts[i], starts[j] + len(words[j])
            made.append(Span(new_span_id(), body_id, start, end, body[start:end],
                             tuple(rng.sample(TOPICS, rng.randint(1, 2))), "note" if rng.random() < 0.1 else "",
                             rng.choice(["ana", "bo"]), "2026-01-01T00:00:00.000Z", "2026-01-01T00:00:00.000Z"))
    with Store(db) as store:
        for at in range(0, len(made), 100_000):
            store.add_spans(made[at:at + 100_000])


def run(command: list[str], env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS MiB, exit code, stderr) of one fresh process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    assert process.stderr is not None
    err = process.stderr.read().decode("utf-8", "replace")
    _, status, usage = os.wait4(process.pid, 0)
    took = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, process.returncode, err


def timed(command: list[str], env: dict[str, str], repeat: int) -> tuple[float, float, float, int, str]:
    """Medians of wall and CPU time over `repeat` runs, the largest peak RSS, the last exit and stderr."""
    runs = [run(command, env) for _ in range(repeat)]
    return (statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs),
            max(r[2] for r in runs), runs[-1][3], runs[-1][4])


def profile(command: list[str], env: dict[str, str], tmp: Path, top: int = 12) -> None:
    """Run the command under cProfile and print the functions with the most own time."""
    import pstats

    stats_file = tmp / "profile.out"
    python, rest = command[0], command[1:]
    subprocess.run([python, "-m", "cProfile", "-o", str(stats_file), *rest], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    if not stats_file.exists():
        print("    (no profile)")
        return
    stats = pstats.Stats(str(stats_file))
    total = stats.total_tt  # type: ignore[attr-defined]
    rows = sorted(stats.stats.items(), key=lambda item: item[1][2], reverse=True)[:top]  # type: ignore[attr-defined]
    print(f"    profile: {total:.2f} s in all; own time per function")
    for (filename, line, name), (_, calls, own, cumulative, _) in rows:
        where = filename.replace(str(ROOT) + "/", "").split("site-packages/")[-1]
        print(f"    {own:7.2f} s {own / total:5.0%} {calls:>10,}  {name} ({where}:{line})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--big", action="store_true", help="1,000,000 spans over 100,000 articles")
    parser.add_argument("--articles", type=int, help="articles to generate (default 10,000; --big 100,000)")
    parser.add_argument("--spans", type=int, help="spans to generate (default 100,000; --big 1,000,000)")
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeat", type=int, default=3, help="runs per format (median shown)")
    parser.add_argument("--profile", action="store_true", help="profile every format, not only those missing a goal")
    parser.add_argument("--no-profile", action="store_true", help="never profile (figures only)")
    parser.add_argument("--keep", metavar="DIR", help="generate into DIR and keep it (reused when it exists)")
    args = parser.parse_args()
    articles, spans = (100_000, 1_000_000) if args.big else (10_000, 100_000)
    articles, spans = args.articles or articles, args.spans or spans
    with tempfile.TemporaryDirectory() as scratch:
        tmp = Path(args.keep) if args.keep else Path(scratch)
        tmp.mkdir(parents=True, exist_ok=True)
        folder, db = tmp / "articles", tmp / "db.json"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "NEWSDESK_LIBRARY": str(folder), "NEWSDESK_DB": str(db),
               "XDG_CACHE_HOME": str(tmp / "cache"), "XDG_DATA_HOME": str(tmp / "data"),
               "XDG_CONFIG_HOME": str(tmp / "config"), "XDG_STATE_HOME": str(tmp / "state")}
        if not db.exists():
            started = time.perf_counter()
            generate(folder, db, articles, spans)
            print(f"generated {spans:,} spans over {articles:,} articles in {time.perf_counter() - started:.1f} s")
        newsdesk = [sys.executable, "-m", "newsdesk"]
        took, _, _, code, err = run([*newsdesk, "list"], env)  # the library cache, as after a first opening
        print(f"library cache warmed by `newsdesk list` ({took:.2f} s{'' if code == 0 else ', FAILED: ' + err.strip()})")
        size = sum(p.stat().st_size for p in tmp.glob("db.json*"))
        print(f"store files {size / 2**20:.1f} MiB; library {sum(1 for _ in folder.iterdir()):,} files\n")

        from newsdesk.annotations.corpus import Library

        library = Library.open(folder, cache_dir=tmp / "cache" / "newsdesk")
        ids_file = tmp / "ids.json"
        ids_file.write_text(json.dumps({entry.path.name: entry.id for entry in library.entries}), encoding="utf-8")
        floor_script = tmp / "floor.py"
        floor_script.write_text(FLOOR, encoding="utf-8")
        floor, floor_cpu, floor_rss, _, err = timed(
            [sys.executable, str(floor_script), str(db), str(folder), str(tmp / "floor.jsonl"), str(ids_file)], env, args.repeat)
        if err.strip():
            print(f"floor failed: {err.strip().splitlines()[-1]}")
        print(f"floor (fresh python: json.loads of the store's files, read the articles, json.dumps jsonl): "
              f"{floor:.2f} s wall, {floor_cpu:.2f} s CPU, {floor_rss:.0f} MiB, "
              f"{(tmp / 'floor.jsonl').stat().st_size / 2**20:.0f} MiB written\n")
        print("wall and CPU: medians of whole processes; x floor and x jsonl are of wall time (CPU in brackets,")
        print("steadier on a shared machine); goals are judged on wall time\n")
        print(f"{'format':<13}{'wall s':>8}{'cpu s':>8}{'peak MiB':>10}{'out MiB':>9}{'x floor':>14}{'x jsonl':>14}  goal")
        jsonl_time: float | None = None
        jsonl_cpu: float | None = None
        for name in args.formats.split(","):
            out = tmp / f"out-{name}"
            command = [*newsdesk, "export", "--format", name, "-o", str(out), "--force"]
            took, cpu, rss, code, err = timed(command, env, args.repeat)
            if code != 0:
                print(f"{name:<13}  failed: {err.strip().splitlines()[-1] if err.strip() else code}")
                continue
            if name == "jsonl":
                jsonl_time, jsonl_cpu = took, cpu
            vs_jsonl = took / jsonl_time if jsonl_time else float("nan")
            cpu_vs_jsonl = cpu / jsonl_cpu if jsonl_cpu else float("nan")
            size = sum(p.stat().st_size for p in out.rglob("*")) if out.is_dir() else out.stat().st_size
            if name in ("jsonl", "json", "doccano", "label-studio"):
                goal, met = "<= 1.5x floor", took <= 1.5 * floor
            elif name == "spacy":
                goal, met = "<= 5x jsonl, < 500 MiB", vs_jsonl <= 5 and rss < 500
            else:
                goal, met = "<= 2x jsonl", vs_jsonl <= 2
            print(f"{name:<13}{took:>8.2f}{cpu:>8.2f}{rss:>10.0f}{size / 2**20:>9.0f}"
                  f"{took / floor:>7.2f} ({cpu / floor_cpu:4.2f}){vs_jsonl:>7.2f} ({cpu_vs_jsonl:4.2f})  {goal}: "
                  f"{'met' if met else 'MISSED'}", flush=True)
            if args.profile or (not met and not args.no_profile):
                profile(command, env, tmp)
        bench_import = Path(__file__).with_name("bench_import.py")
        if bench_import.exists():
            print(f"\n--- {bench_import.name} ---", flush=True)
            extra = ["--big"] if args.big else []
            subprocess.run([sys.executable, str(bench_import), *extra], env=env, check=False)


if __name__ == "__main__":
    main()
