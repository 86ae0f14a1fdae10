"""`newsdesk import-spans` as a user runs it: whole process, 100,000 spans over 10,000 articles.

Run: python tests/bench/bench_import.py [--big] [--formats jsonl,doccano,prodigy,label-studio] [--repeat 3]

For each input format it prints the median wall time (and CPU time, user + system) of
`python -m newsdesk import-spans FILE` in a fresh interpreter into an empty database (the library's index already cached, as after
the first `newsdesk` on a library), the child's peak RSS, and the ratio to a floor measured in
the same run: a fresh interpreter that parses the same file with `json` and serialises what the
import writes (one journal record per span, as `json.dumps`), written with one fsync. `--big`
adds 1,000,000 spans over 100,000 articles to show the cost stays linear. Goal (issue 13):
within 2x the floor and under 300 MiB at 100k spans. Figures only; nothing is asserted.
bench_bulk.py may call `main(argv)` or run this file.
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

from newsdesk.annotations.model import article_id_for, text_hash  # noqa: E402

WORDS = (
    "the minister said talks in Tokyo were strong and both sides agreed to deepen cooperation on "
    "security supply chains critical minerals trade 東京 日本 会談 👍🏽 🇯🇵 café Zürich مرحبا שלום"
).split()
TOPICS = ["Politics", "Economy", "defence and security", "Places", "People", "Trade"]
FORMATS = ("jsonl", "doccano", "prodigy", "label-studio")

# The floor: the least any Python tool does for this work -- parse the input, serialise what is
# written (a journal record per span), one write, one fsync.
FLOOR = r'''
import json, os, sys
path, out, kind = sys.argv[1:4]
with open(path, encoding="utf-8") as handle:
    content = handle.read()
records = json.loads(content) if kind == "label-studio" else [json.loads(line) for line in content.splitlines() if line]
dumps = json.dumps
parts = []
seq = 0
for record in records:
    if kind == "jsonl":
        spans = [(s["start"], s["end"], s["topics"]) for s in record["spans"]]
    elif kind == "doccano":
        spans = [(s, e, [l]) for s, e, l in record["label"]]
    elif kind == "prodigy":
        spans = [(s["start"], s["end"], [s["label"]]) for s in record["spans"]]
    else:
        spans = [(r["value"]["start"], r["value"]["end"], r["value"]["labels"]) for a in record["annotations"] for r in a["result"]]
    text = record["data"]["text"] if kind == "label-studio" else record["text"]
    for start, end, topics in spans:
        seq += 1
        doc = {"id": "%032x" % seq, "article_id": "0" * 16, "start": start, "end": end, "text": text[start:end],
               "topics": topics, "note": "", "annotator": "", "created": "2026-01-01T00:00:00.000Z",
               "updated": "2026-01-01T00:00:00.000Z"}
        parts.append(dumps({"seq": seq, "op": "put", "table": "spans", "id": seq, "doc": doc, "end": 0}, separators=(",", ":")))
fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
os.write(fd, ("\n".join(parts) + "\n").encode("utf-8"))
os.fsync(fd)
os.close(fd)
'''


def synthetic(articles: int, spans: int, seed: int = 7):
    """(article texts, per-article [(start, end, topics)]) with words, CJK, emoji, RTL."""
    rng = random.Random(seed)
    texts, placed = [], []
    per_article = spans // articles
    for n in range(articles):
        words = [rng.choice(WORDS) for _ in range(rng.randint(230, 300))]  # ~2 KB
        body = " ".join(words) + f". Article {n}.\nSecond line of {n}."
        starts = [0]
        for w in words[:-1]:
            starts.append(starts[-1] + len(w) + 1)
        mine = []
        for _ in range(per_article):
            i = rng.randrange(len(words) - 3)
            j = i + rng.randint(0, 2)
            mine.append((starts[i], starts[j] + len(words[j]), rng.sample(TOPICS, rng.randint(1, 2))))
        texts.append(body)
        placed.append(mine)
    return texts, placed


def write_library(folder: Path, texts: list[str]) -> None:
    folder.mkdir(parents=True)
    for n, text in enumerate(texts):
        (folder / f"{n:06d}.txt").write_text(f"Article {n}\n\n{text}\n", encoding="utf-8")


def write_input(path: Path, kind: str, texts: list[str], placed) -> None:
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    with open(path, "w", encoding="utf-8") as out:
        if kind == "label-studio":
            out.write("[")
        for n, (text, spans) in enumerate(zip(texts, placed)):
            if kind == "jsonl":
                obj = {"format": "newsdesk", "version": 1, "id": article_id_for(text), "text_sha256": text_hash(text),
                       "done": False, "spans": [{"id": f"{n:08x}{k:024x}", "start": s, "end": e, "text": text[s:e],
                                                 "topics": t, "note": "", "annotator": "ana",
                                                 "created": "2026-01-01T00:00:00.000Z",
                                                 "updated": "2026-01-01T00:00:00.000Z"}
                                                for k, (s, e, t) in enumerate(spans)], "text": text}
            elif kind == "doccano":
                obj = {"text": text, "label": [[s, e, topic] for s, e, t in spans for topic in t]}
            elif kind == "prodigy":
                obj = {"text": text, "spans": [{"start": s, "end": e, "label": topic} for s, e, t in spans for topic in t],
                       "answer": "accept", "meta": {"id": article_id_for(text)}}
            else:
                obj = {"data": {"text": text}, "annotations": [{"result": [
                    {"id": f"r{k}", "from_name": "label", "to_name": "text", "type": "labels",
                     "value": {"start": s, "end": e, "text": text[s:e], "labels": t}} for k, (s, e, t) in enumerate(spans)]}]}
            if kind == "label-studio":
                out.write(("\n" if n == 0 else ",\n") + dumps(obj))
            else:
                out.write(dumps(obj) + "\n")
        if kind == "label-studio":
            out.write("\n]\n")


def run_child(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, int, str]:
    """(wall seconds, CPU seconds, peak RSS MiB, exit code, last line printed) of one fresh process."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out:
        child = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT)
        _pid, status, usage = os.wait4(child.pid, 0)
        took = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        lines = out.read().decode("utf-8", "replace").strip().splitlines()
    return took, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode, lines[-1] if lines else ""


def bench(articles: int, spans: int, formats: list[str], repeat: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        tmp_path = Path(tmp)
        started = time.perf_counter()
        texts, placed = synthetic(articles, spans)
        library = tmp_path / "library"
        write_library(library, texts)
        env = dict(os.environ, PYTHONPATH=str(ROOT), XDG_CACHE_HOME=str(tmp_path / "cache"),
                   XDG_DATA_HOME=str(tmp_path / "data"), XDG_CONFIG_HOME=str(tmp_path / "config"),
                   XDG_STATE_HOME=str(tmp_path / "state"))
        env.pop("NEWSDESK_DB", None)
        # The library's index, as after the first `newsdesk` on it (not counted).
        subprocess.run([sys.executable, "-m", "newsdesk", "list", "--json", "--library", str(library),
                        "--db", str(tmp_path / "warm.json")], env=env, stdout=subprocess.DEVNULL, check=True)
        print(f"{spans:,} spans over {articles:,} articles, library indexed ({time.perf_counter() - started:.1f} s to prepare)")
        print(f"{'input':<13}{'MB':>5}{'import s':>9}{'cpu s':>7}{'peak MiB':>9}{'floor s':>8}{'cpu s':>7}"
              f"{'x floor':>8}{'x cpu':>7}  result")
        for kind in formats:
            source = tmp_path / f"in-{kind}.json{'l' if kind != 'label-studio' else ''}"
            write_input(source, kind, texts, placed)
            runs, cpus, floors, floor_cpus, peaks, last = [], [], [], [], [], ""
            for attempt in range(repeat):
                db = tmp_path / f"db-{kind}-{attempt}.json"
                took, cpu, peak, code, last = run_child(
                    [sys.executable, "-m", "newsdesk", "import-spans", str(source), "--library", str(library),
                     "--db", str(db), "--annotator", "bench"], env)
                if code != 0:
                    print(f"{kind:<13} failed: {last}")
                    break
                runs.append(took)
                cpus.append(cpu)
                peaks.append(peak)
                floor, floor_cpu, _peak, _code, _ = run_child(
                    [sys.executable, "-c", FLOOR, str(source), str(tmp_path / "floor.out"), kind], env)
                floors.append(floor)
                floor_cpus.append(floor_cpu)
                for suffix in ("", ".journal", ".lock"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
            if not runs:
                continue
            took, cpu = statistics.median(runs), statistics.median(cpus)
            floor, floor_cpu = statistics.median(floors), statistics.median(floor_cpus)
            size = source.stat().st_size / 1e6
            print(f"{kind:<13}{size:>5.0f}{took:>9.2f}{cpu:>7.2f}{max(peaks):>9.0f}{floor:>8.2f}{floor_cpu:>7.2f}"
                  f"{took / floor:>8.2f}{cpu / floor_cpu:>7.2f}  {last[:70]}")
        load = os.getloadavg()[0]
        print(f"(load average {load:.1f} on {os.cpu_count()} cores: wall times stretch with load, CPU times much less)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--repeat", type=int, default=3, help="runs per format (median shown)")
    parser.add_argument("--big", action="store_true", help="also 1,000,000 spans over 100,000 articles")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--spans", type=int, default=100_000)
    args = parser.parse_args(argv)
    formats = args.formats.split(",")
    bench(args.articles, args.spans, formats, args.repeat)
    if args.big:
        print()
        bench(args.articles * 10, args.spans * 10, formats, 1)


if __name__ == "__main__":
    main()
