"""A writer for `tests/test_store_durability.py` to kill: it changes the store until it dies.

    python tests/store_child.py DB SEED

Prints `ready` once the store is open, then for every change a line `? OP ARGS` before the
call and `OP ARGS` after it returned (was acknowledged), flushing each line:

    add ID            one new span            batch ID,ID,...   new spans in one add_spans
    upd ID NOTE       update_span, note=NOTE  del ID            delete_span

Compaction is made frequent (small thresholds) so kills also land inside it.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

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


def main() -> None:
    db, seed = sys.argv[1], int(sys.argv[2])
    store_module._COMPACT_MIN_RECORDS = 30
    store_module._COMPACT_FACTOR = 0.05
    rng = random.Random(seed)

    def say(line: str) -> None:
        sys.stdout.write(line + "\n")
        sys.stdout.flush()

    with store_module.Store(db) as store:
        live = [span.id for span in store.iter_spans()]
        say("ready")
        n = 0
        while True:
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


if __name__ == "__main__":
    main()
