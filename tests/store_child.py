"""Writers for `tests/test_store_durability.py` to kill: each changes the store until it dies.

    python tests/store_child.py DB SEED          one writer, saying what it does on stdout
    python tests/store_child.py --serve          a fork server (below)

A writer prints `ready` once the store is open, then for every change a line `? OP ARGS`
before the call and `OP ARGS` after it returned (was acknowledged), each line written whole:

    add ID            one new span            batch ID,ID,...   new spans in one add_spans
    upd ID NOTE       update_span, note=NOTE  del ID            delete_span

Compaction is made frequent (small thresholds) so kills also land inside it.

The fork server makes hundreds of kills cheap: it imports the store once, then for each line
`run DB SEED OUT` on stdin forks a writer that says its lines into the file OUT (with
`os.write`, so what was said is in the file the moment the writer is killed) and answers
`pid N`; for `wait N` it reaps writer N and answers `status S`. A forked writer costs about a
millisecond to start where a fresh interpreter costs ~100 ms. Writers stop by themselves if the
server goes away, and the server kills its writers when its stdin closes.
"""

from __future__ import annotations

import os
import random
import signal
import sys
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from newsdesk.annotations import store as store_module  # noqa: E402
from newsdesk.annotations.model import Span  # noqa: E402


def _span(span_id: str, n: int) -> Span:
    return Span(
        id=span_id,
        article_id=f"article-{n % 7}",
        start=n,
        end=n + 5,
        text="words",
        topics=("energy", "diplomacy"),
    )


def write_until_killed(db: str, seed: int, say: Callable[[str], None], alive: Callable[[], bool]) -> None:
    """Open the store at `db` and change it at random, saying each change, while `alive()`."""
    store_module._COMPACT_MIN_RECORDS = 30
    store_module._COMPACT_FACTOR = 0.05
    rng = random.Random(seed)
    with store_module.Store(db) as store:
        live = [span.id for span in store.iter_spans()]
        say("ready")
        n = 0
        while n % 64 or alive():
            n += 1
            roll = rng.random()
            if roll < 0.5 or len(live) < 3:
                span_id = f"s{seed}-{n}"
                say(f"? add {span_id}")
                store.add_span(_span(span_id, n))
                live.append(span_id)
                say(f"add {span_id}")
            elif roll < 0.65:
                ids = [f"s{seed}-{n}-{k}" for k in range(rng.randint(2, 6))]
                say(f"? batch {','.join(ids)}")
                store.add_spans([_span(span_id, n + k) for k, span_id in enumerate(ids)])
                live.extend(ids)
                say(f"batch {','.join(ids)}")
            elif roll < 0.85:
                span_id = rng.choice(live)
                note = f"v{seed}-{n}"
                say(f"? upd {span_id} {note}")
                old = store.get_span(span_id)
                assert old is not None
                store.update_span(old.edited(note=note))
                say(f"upd {span_id} {note}")
            else:
                span_id = live.pop(rng.randrange(len(live)))
                say(f"? del {span_id}")
                store.delete_span(span_id)
                say(f"del {span_id}")


def _forked_writer(db: str, seed: int, out: str, server: int) -> None:
    fd = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_TRUNC, 0o600)

    def say(line: str) -> None:
        os.write(fd, (line + "\n").encode())

    try:
        write_until_killed(db, seed, say, lambda: os.getppid() == server)
    finally:
        os._exit(0)  # never return into the server's loop


def serve() -> None:
    """The fork server: `run DB SEED OUT` -> `pid N`; `wait N` -> `status S`."""
    writers: set[int] = set()
    server = os.getpid()
    try:
        for line in sys.stdin:
            command, *args = line.split()
            if command == "run":
                db, seed, out = args[0], int(args[1]), args[2]
                pid = os.fork()
                if pid == 0:
                    _forked_writer(db, seed, out, server)
                writers.add(pid)
                reply = f"pid {pid}"
            elif command == "wait":
                pid = int(args[0])
                _, status = os.waitpid(pid, 0)
                writers.discard(pid)
                reply = f"status {os.waitstatus_to_exitcode(status)}"
            else:
                reply = f"unknown {command}"
            sys.stdout.write(reply + "\n")
            sys.stdout.flush()
    finally:
        for pid in writers:
            try:
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            except OSError:
                pass


def main() -> None:
    if sys.argv[1:] == ["--serve"]:
        serve()
        return
    db, seed = sys.argv[1], int(sys.argv[2])

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    write_until_killed(db, seed, say, lambda: True)


if __name__ == "__main__":
    main()
