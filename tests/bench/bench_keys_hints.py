"""Benchmark: keys a person presses to annotate a seed article, reaching text by search vs by hints and tag-all.

Run from the repository root:  python tests/bench/bench_keys_hints.py

Drives the real app with Pilot (headless, 120x40) through one fixed task on the seed article
"Starmer Extends Invitation…", twice in the same run, and prints the keys each action took and
both totals side by side. Asserts nothing about time; it checks that both ways made the same spans.

The task: tag "Keir Starmer" and "Sanae Takaichi" as people, every "Tokyo" as places, "rare
earths" as critical minerals, the sentence starting "The leaders agreed" as defence, set the
article's topic (diplomacy) and mark it done.

* search: reach a phrase with `/` + enough letters + `enter`, select with `v` and `e` per word,
  tag with a number key or `t` + the fewest letters that put the topic first + `enter` (each
  "Tokyo" found with `n`);
* hints: `F` + the first word's label + the last word's label, tag as above; every "Tokyo" at
  once with `o` (tag every occurrence) + the topic; the sentence by its hint then `s`.
"""

from __future__ import annotations

import asyncio
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsdesk.tui.app import make_app  # noqa: E402
from newsdesk.tui.screens.reader import ReaderScreen  # noqa: E402
from newsdesk.tui.widgets.library_list import LibraryList  # noqa: E402


def _key(char: str) -> str:
    return {" ": "space", "/": "slash"}.get(char, char)


class Counter:
    """Presses keys through Pilot and counts them per action."""

    def __init__(self, pilot) -> None:
        self.pilot = pilot
        self.actions: list[tuple[str, int]] = []
        self._current = 0

    async def press(self, *keys: str) -> None:
        for key in keys:
            await self.pilot.press(key)
            self._current += 1
        await self.pilot.pause()

    async def type(self, text: str) -> None:
        await self.press(*[_key(c) for c in text])

    def done(self, action: str) -> None:
        self.actions.append((action, self._current))
        self._current = 0


def _prefix(app, name: str) -> str:
    """The fewest letters of `name` that put it first in the topic picker (what a person types)."""
    from newsdesk.tui.screens.topic_picker import TopicPicker

    picker = TopicPicker(app.store.topics())
    for length in range(1, len(name) + 1):
        options = picker.options_for(name[:length])
        if options and options[0].id == name:
            return name[:length]
    return name


async def _topic(keys: Counter, app, name: str, *, key: str = "t") -> None:
    """Tag the selection with topic `name`: its number key, else `t` + the letters that pick it + enter."""
    topic = app.store.topic(name)
    if topic is not None and topic.key is not None:
        await keys.press(str(topic.key))
    else:
        await keys.press(key)
        await keys.type(_prefix(app, name))
        await keys.press("enter")


def _label(view, word: str) -> str:
    hints = view.hints
    return next(h.label for h in hints.showing() if view.text[h.start:h.end] == word)


async def _scroll_to(view, keys: Counter, phrase: str) -> None:
    """Page down until `phrase` is on screen (the keys are counted)."""
    for _ in range(10):
        start, end = view.visible_range()
        if phrase in view.text[start:end]:
            return
        await keys.press("pagedown")


async def by_search(keys: Counter, app, view) -> None:
    async def reach(query: str) -> None:
        await keys.press("slash")
        await keys.type(query)
        await keys.press("enter")

    async def phrase(query: str, words: int, topic: str, label: str) -> None:
        await reach(query)
        await keys.press("v", *["e"] * words)
        await _topic(keys, app, topic)
        keys.done(label)

    await phrase("keir", 2, "people", "Keir Starmer")
    await phrase("sanae", 2, "people", "Sanae Takaichi")
    count = view.text.count("Tokyo")
    await reach("tokyo")
    await keys.press("g")  # the first one
    await keys.press("n")
    for number in range(count):
        await keys.press("v", "e")
        await _topic(keys, app, "places")
        if number < count - 1:
            await keys.press("n")
    keys.done(f"every Tokyo ({count})")
    await phrase("rare e", 2, "critical minerals and supply chains", "rare earths")
    await reach("the leaders")
    await keys.press("s")
    await _topic(keys, app, "defence and security")
    keys.done("a sentence")


async def by_hints(keys: Counter, app, view) -> None:
    async def two_words(first: str, last: str, topic: str, label: str) -> None:
        await _scroll_to(view, keys, f"{first} {last}")
        await keys.press("F")
        await keys.press(*_label(view, first))
        await keys.press(*_label(view, last))
        await _topic(keys, app, topic)
        keys.done(label)

    await two_words("Keir", "Starmer", "people", "Keir Starmer")
    await two_words("Sanae", "Takaichi", "people", "Sanae Takaichi")
    count = view.text.count("Tokyo")
    await _scroll_to(view, keys, "Tokyo")
    await keys.press("f")
    await keys.press(*_label(view, "Tokyo"))
    await keys.press("o")  # the prompt takes a number key, or t and a name, as tagging does
    await _topic(keys, app, "places")
    keys.done(f"every Tokyo ({count})")
    await two_words("rare", "earths", "critical minerals and supply chains", "rare earths")
    await _scroll_to(view, keys, "The leaders agreed")
    await keys.press("f")
    await keys.press(*_label(view, "leaders"))
    await keys.press("s")
    await _topic(keys, app, "defence and security")
    keys.done("a sentence")


async def finish(keys: Counter, app) -> None:
    await keys.press("T")
    await keys.type(_prefix(app, "diplomacy"))
    await keys.press("enter")
    keys.done("article topic")
    await keys.press("d")
    keys.done("done")


async def run(way) -> tuple[list[tuple[str, int]], list[tuple[int, int, tuple[str, ...]]]]:
    with tempfile.TemporaryDirectory() as folder:
        app = make_app(db=Path(folder) / "db.json")
        async with app.run_test(size=(120, 40)) as pilot:
            listing = app.screen.query_one(LibraryList)
            first = next(e.id for e in app.library.entries if Path(e.path).stem.startswith("000"))
            listing.highlight(first)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReaderScreen)
            view = app.screen.view
            keys = Counter(pilot)
            await way(keys, app, view)
            await finish(keys, app)
            spans = sorted((s.start, s.end, s.topics) for s in app.store.spans_for(first))
            assert app.store.is_done(first), "the article was not marked done"
            return keys.actions, spans


def main() -> None:
    searched, spans_a = asyncio.run(run(by_search))
    hinted, spans_b = asyncio.run(run(by_hints))
    if spans_a != spans_b:
        print("warning: the two ways made different spans", spans_a, spans_b, sep="\n")
    print(f"{'action':<22} {'search':>7} {'hints':>7}")
    for (action, a), (_, b) in zip(searched, hinted):
        print(f"{action:<22} {a:>7} {b:>7}")
    total_a, total_b = sum(n for _, n in searched), sum(n for _, n in hinted)
    print(f"{'total':<22} {total_a:>7} {total_b:>7}   (hints and tag-all: {total_b / total_a:.0%} of the keys)")


if __name__ == "__main__":
    main()
