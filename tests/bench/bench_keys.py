"""Benchmark: how many keys a fixed annotation task takes on the seeds, action by action.

Run from the repository root:  python tests/bench/bench_keys.py

The app is driven with Pilot (headless) through one task on the seed ANI report ("Japan and
the United Kingdom have agreed…"): tag a two-word name, tag a sentence, put a second topic on a span, relabel a
span, widen a span by a word, delete a span, undo, set an article topic, mark the article done
and open the next. Every action's keys are pressed exactly as a person would, then checked
against the store (a key plan that no longer does what it says fails loudly, never counts).
Prints the keys each action took and the total; with several variants, side by side.

Other key plans (e.g. jump hints) add a `Variant` to `VARIANTS`, or call `run_variant` and
`report` from their own script:

    from bench_keys import TASK_CHECKS, Variant, VARIANTS, report, run_all
    VARIANTS.append(Variant("hints", {"tag a two-word name": ("f", "a", "1"), ...}))
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping, Sequence

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SEED = "003_"  # the ANI report, first in the library's order (so J opens the other one next)


@dataclass
class Run:
    """What a check can look at: the app, the article the task started on, and spans it made."""

    app: object
    article_id: str
    names: dict[str, str] = field(default_factory=dict)  # remembered span ids by role

    @property
    def spans(self) -> list:
        return self.app.store.spans_for(self.article_id)

    def span(self, role: str):
        return self.app.store.get_span(self.names[role])

    def topic(self, key: int) -> str:
        return self.app.topic_for_key(key).name


def _remember_new(run: Run, role: str, before: set[str]) -> object:
    new = [span for span in run.spans if span.id not in before]
    assert len(new) == 1, f"expected one new span, found {len(new)}"
    run.names[role] = new[0].id
    return new[0]


Check = Callable[[Run, set], None]


def _name_tagged(run: Run, before: set) -> None:
    span = _remember_new(run, "name", before)
    assert span.text == "Keir Starmer", span.text


def _sentence_tagged(run: Run, before: set) -> None:
    span = _remember_new(run, "sentence", before)
    assert span.text.startswith("The discussions held") and span.text.endswith("uncertainty"), span.text


def _second_topic(run: Run, before: set) -> None:
    assert len(run.span("sentence").topics) == 2, run.span("sentence").topics


def _relabelled(run: Run, before: set) -> None:
    assert run.span("sentence").topics == (run.topic(3),), run.span("sentence").topics


def _widened(run: Run, before: set) -> None:
    assert run.span("name").text == "Minister Keir Starmer", run.span("name").text


def _deleted(run: Run, before: set) -> None:
    assert run.app.store.get_span(run.names["name"]) is None


def _undone(run: Run, before: set) -> None:
    assert run.span("name") is not None and run.span("name").text == "Minister Keir Starmer"


def _article_topic(run: Run, before: set) -> None:
    assert "diplomacy" in run.app.store.doc_topics(run.article_id).topics


def _done_and_next(run: Run, before: set) -> None:
    assert run.app.store.is_done(run.article_id)
    screen = run.app.screen
    assert getattr(screen, "article_id", None) not in (None, run.article_id), "the next article did not open"


TASK_CHECKS: list[tuple[str, Check]] = [
    ("tag a two-word name", _name_tagged),
    ("tag a sentence", _sentence_tagged),
    ("second topic on a span", _second_topic),
    ("relabel a span", _relabelled),
    ("widen a span by a word", _widened),
    ("delete a span", _deleted),
    ("undo", _undone),
    ("set an article topic", _article_topic),
    ("mark done, open next", _done_and_next),
]
"""The fixed task: each action's name and what must be true after its keys."""


@dataclass
class Variant:
    """A way of doing the task: the keys pressed for each action, by name (all actions needed)."""

    name: str
    plan: Mapping[str, Sequence[str] | Callable[["Run"], Sequence[str]]]


KEYS = Variant(
    "keys",
    {
        # The name is 35 words in: search for it, then v and e e to the end of "Starmer", then 6.
        "tag a two-word name": ("slash", "K", "e", "i", "r", "enter", "v", "e", "e", "6"),
        "tag a sentence": ("right_parenthesis", "s", "2"),
        "second topic on a span": ("4",),  # the cursor rests on the new span
        "relabel a span": ("r", "3"),
        "widen a span by a word": ("left_square_bracket", "less_than_sign"),
        "delete a span": ("x",),
        "undo": ("u",),
        "set an article topic": ("T", "d", "i", "p", "enter"),
        "mark done, open next": ("d", "J"),
    },
)

def _hint_select(first: str, last: str) -> Callable[[Run], tuple[str, ...]]:
    """`F`, the label of `first`, the label of `last`: the labels the screen will show, worked out as
    `ArticleView` works them out (labels depend on where the words sit on screen)."""

    def plan(run: Run) -> tuple[str, ...]:
        from newsdesk.annotations.hints import JumpHints, words_between

        view = run.app.screen.view
        words = words_between(view.text, *view.visible_range())
        first_hint = next(h for h in JumpHints(words, view.cursor).hints if view.text[h.start:h.end] == first)
        second = JumpHints(words, first_hint.start).hints  # F labels again from the first word
        last_hint = next(h for h in second if view.text[h.start:h.end] == last and h.start > first_hint.start)
        return ("F", *first_hint.label, *last_hint.label)

    return plan


def _then(plan: Callable[[Run], tuple[str, ...]], *keys: str) -> Callable[[Run], tuple[str, ...]]:
    return lambda run: (*plan(run), *keys)


HINTS = Variant("hints", {**KEYS.plan, "tag a two-word name": _then(_hint_select("Keir", "Starmer"), "6")})
"""The same task with jump hints (issue 9): the name is reached and selected by its labels."""

VARIANTS: list[Variant] = [KEYS, HINTS]
"""Every key plan the benchmark runs; other plans append theirs."""


async def run_variant(variant: Variant, *, db: Path, size: tuple[int, int] = (120, 40)) -> list[tuple[str, int]]:
    """Drive a fresh app over the seeds through the task with `variant`'s keys: (action, keys) each."""
    from newsdesk.tui.app import make_app
    from newsdesk.tui.widgets.library_list import LibraryList

    app = make_app(db=db, annotator="bench")
    results: list[tuple[str, int]] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        seed = next(entry for entry in app.library.entries if Path(entry.path).stem.startswith(SEED))
        app.screen.query_one(LibraryList).highlight(seed.id)
        await pilot.press("enter")  # opening the article is not part of the task
        await pilot.pause()
        run = Run(app, seed.id)
        for action, check in TASK_CHECKS:
            plan = variant.plan[action]
            keys = tuple(plan(run) if callable(plan) else plan)  # a callable plan reads the screen
            before = {span.id for span in run.spans}
            await pilot.press(*keys)
            for _ in range(3):
                await pilot.pause()
            try:
                check(run, before)
            except AssertionError as error:
                raise SystemExit(f"{variant.name}: “{action}” with keys {' '.join(keys)} failed: {error}") from None
            results.append((action, len(keys)))
    return results


async def run_all(variants: Sequence[Variant] = VARIANTS) -> dict[str, list[tuple[str, int]]]:
    """Every variant on its own fresh database."""
    out: dict[str, list[tuple[str, int]]] = {}
    with tempfile.TemporaryDirectory() as folder:
        for index, variant in enumerate(variants):
            out[variant.name] = await run_variant(variant, db=Path(folder) / f"bench-{index}.json")
    return out


def report(results: Mapping[str, list[tuple[str, int]]]) -> str:
    """The keys per action and the totals, one column per variant."""
    names = list(results)
    width = max(len(action) for action, _ in TASK_CHECKS) + 2
    lines = ["action".ljust(width) + "".join(name.rjust(10) for name in names)]
    for index, (action, _check) in enumerate(TASK_CHECKS):
        lines.append(action.ljust(width) + "".join(str(results[name][index][1]).rjust(10) for name in names))
    totals = {name: sum(count for _, count in results[name]) for name in names}
    lines.append("total".ljust(width) + "".join(str(totals[name]).rjust(10) for name in names))
    if len(names) > 1:
        base = totals[names[0]]
        lines.append(
            "vs " + names[0] + "".ljust(width - 3 - len(names[0]))
            + "".join(f"{totals[name] / base:.2f}x".rjust(10) for name in names)
        )
    return "\n".join(lines)


def main() -> int:
    os.environ.setdefault("NEWSDESK_BLINK", "0")
    with tempfile.TemporaryDirectory() as home:  # never the person's own config, state or cache
        for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
            os.environ[name] = str(Path(home) / name.lower())
        results = asyncio.run(run_all())
    print("Keys for the fixed task on the seeds (fewer is better):")
    print(report(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
