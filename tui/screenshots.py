"""The screens of README and `screenshots/`, rendered by the app itself from the seeds.

`newsdesk screenshots` writes one SVG per scenario. The snapshot tests drive the very same
scenarios, so what README shows is what the tests check.
"""

from __future__ import annotations

import asyncio
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from newsdesk.annotations.corpus import Library, seeds_dir
from newsdesk.annotations.model import DocTopics, Span
from newsdesk.annotations.store import Store

__all__ = ["Scenario", "SCENARIOS", "demo_database", "render_all", "SEED_TAGGED", "SEED_ANI"]

SEED_TAGGED = "000_30f8a73632b9a83e"  # the report with a headline
SEED_ANI = "003_0356732c498918b7"  # the ANI report with a dateline

# (phrase, topics) pairs spanned in the demo database; the second and third overlap.
DEMO_SPANS = {
    SEED_TAGGED: [
        ("strengthening cooperation in cybersecurity, economic resilience and the supply of critical minerals",
         ("cybersecurity", "economic security and trade")),
        ("the supply of critical minerals", ("critical minerals and supply chains",)),
        ("stable supply chains for essential resources such as rare earths and other critical minerals",
         ("critical minerals and supply chains",)),
        ("formally invite Japanese Prime Minister Sanae Takaichi to visit the United Kingdom", ("diplomacy",)),
    ],
    SEED_ANI: [
        ("critical minerals supply chains", ("critical minerals and supply chains",)),
        ("next-generation fighter aircraft project with Italy", ("defence and security",)),
        ("cybersecurity, energy technology, wind power and nuclear projects", ("energy", "cybersecurity")),
    ],
}


def _entry_id(library: Library, stem: str) -> str:
    for entry in library.entries:
        if Path(entry.path).stem == stem:
            return entry.id
    raise LookupError(f"seed {stem} is missing from {library.folder}")


def demo_database(path: Path) -> Path:
    """A database holding a few spans (two overlapping) on both seeds, as an annotator would leave it."""
    library = Library.open(seeds_dir())
    with Store(path) as store:
        known = {topic.name for topic in store.topics()}
        for stem, spans in DEMO_SPANS.items():
            article = library.load(_entry_id(library, stem))
            for phrase, topics in spans:
                start = article.text.find(phrase)
                if start < 0:
                    raise LookupError(f"demo phrase not found in {stem}: {phrase!r}")
                topics = tuple(t for t in topics if t in known) or tuple(sorted(known))[:1]
                store.add_span(Span.create(article, start, start + len(phrase), topics, annotator="demo"))
        tagged = library.load(_entry_id(library, SEED_TAGGED))
        store.set_doc_topics(DocTopics(tagged.id, ("diplomacy",), annotator="demo"))
        _demo_suggestions(store, tagged)
    return path


# Suggested spans (as `newsdesk suggest --patterns` makes them) in the tagged seed: drawn dim
# and underlined, never like a tagged span.
DEMO_SUGGESTIONS = (("Keir Starmer", "people"), ("Tokyo", "places"), ("rare earths", "critical minerals and supply chains"))


def _demo_suggestions(store: Store, article) -> None:
    from newsdesk.annotations.patterns import parse_pattern, run_patterns

    patterns = [parse_pattern({"label": topic, "pattern": phrase}, f"patterns.jsonl:{number}")
                for number, (phrase, topic) in enumerate(DEMO_SUGGESTIONS, 1)]
    store.add_suggestions(run_patterns(patterns, [article], store).suggestions)


@dataclass(frozen=True)
class Scenario:
    """One screen to render: the keys that reach it from the library, and the terminal size."""

    name: str
    press: tuple[str, ...]
    size: tuple[int, int]
    open_article: str | None = None
    theme: str = "textual-dark"
    script: str | None = None  # open this article of `script_samples` (in a library of its own)


def _seed_id(stem: str) -> str:
    return _entry_id(Library.open(seeds_dir()), stem)


SCENARIOS = (
    Scenario("library", (), (120, 40)),
    Scenario("library-80x24", (), (80, 24)),
    # Put the cursor on the overlapping spans: `)` walks sentences, `w` words.
    Scenario("reader", (")", ")", "w", "w"), (120, 40), open_article=SEED_TAGGED),
    Scenario("reader-80x24", (")", ")"), (80, 24), open_article=SEED_TAGGED),
    # A selection being made (v + motions) in the light theme: themes must keep spans readable.
    Scenario("reader-light", (")", ")", "w", "w", "v", "w", "w"), (120, 40), open_article=SEED_TAGGED,
             theme="textual-light"),
    Scenario("picker", (")", "s", "t", "c", "r"), (120, 40), open_article=SEED_TAGGED),
    Scenario("picker-80x24", ("s", "t"), (80, 24), open_article=SEED_TAGGED),
    Scenario("help", ("question_mark",), (120, 40), open_article=SEED_TAGGED),
    Scenario("help-80x24", ("question_mark",), (80, 24), open_article=SEED_TAGGED),
    Scenario("compare", ("c",), (160, 45)),
    Scenario("compare-stacked", ("c",), (90, 40)),
    Scenario("export", ("e",), (120, 40)),
    Scenario("export-80x24", ("e",), (80, 24)),
    # Scripts: Bengali spacing marks, Arabic in visual order, Japanese line breaking (cursor moved).
    Scenario("reader-bengali", (")", "w", "w"), (100, 30), script="bengali"),
    Scenario("reader-arabic", (")", "w"), (100, 30), script="arabic"),
    Scenario("reader-japanese", (")", "w", "w"), (100, 30), script="japanese"),
    # The topic set with its counts, the delete question open on the fifth topic (energy).
    Scenario("topics", ("t", "j", "j", "j", "j", "x"), (120, 40)),
    # Jump hints: a label over every visible word (`f`), and the suggestions under the cursor's walk (`]`).
    Scenario("hints", ("f",), (120, 40), open_article=SEED_TAGGED),
    Scenario("hints-80x24", ("F",), (80, 24), open_article=SEED_TAGGED),
    Scenario("suggestions", ("right_square_bracket",), (120, 40), open_article=SEED_TAGGED),
)


def scenario_app(scenario: Scenario, db: Path):
    """The app a scenario starts with, over the seeds and the demo database at `db`."""
    from .app import make_app

    if scenario.script:
        from .script_samples import SCRIPT_SAMPLES

        folder = db.parent / f"{scenario.name}-library"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{scenario.script}.txt").write_text(SCRIPT_SAMPLES[scenario.script], encoding="utf-8")
        article = Library.open(folder).entries[0].id
        return make_app(library=folder, db=db, annotator="demo", open_article=article, theme=scenario.theme)
    article = _seed_id(scenario.open_article) if scenario.open_article else None
    return make_app(db=db, annotator="demo", open_article=article, theme=scenario.theme)


async def settle(app, pilot) -> None:
    """Wait until workers are done, including those started by what earlier workers opened."""
    for _ in range(3):
        await pilot.pause()
        await app.workers.wait_for_complete()
    await pilot.pause()


async def _render(scenario: Scenario, out: Path, db: Path) -> Path:
    app = scenario_app(scenario, db)
    async with app.run_test(size=scenario.size) as pilot:
        await pilot.pause()
        for key in scenario.press:
            await pilot.press(key)
        await settle(app, pilot)
        await pilot.pause(0.3)
        path = out / f"{scenario.name}.svg"
        app.save_screenshot(filename=path.name, path=str(out))
    _cells_in_order(path)
    return path


def _cells_in_order(path: Path) -> None:
    """Make SVG viewers draw each row's characters in the order the terminal gets them.

    SVG viewers apply the bidirectional algorithm to text themselves; newsdesk has already put
    right-to-left lines in visual order (`bidi = "app"`), so a viewer's own reordering would turn
    them back. A left-to-right override around each run with right-to-left letters shows the
    cells as a terminal without bidi does.
    """
    import re

    svg = path.read_text(encoding="utf-8")
    # U+202D LEFT-TO-RIGHT OVERRIDE ... U+202C POP DIRECTIONAL FORMATTING around each run's text.
    fixed = re.sub(r"(<text\b[^>]*>)([^<]*[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc][^<]*)(</text>)",
                   lambda m: m.group(1) + "&#8237;" + m.group(2) + "&#8236;" + m.group(3), svg)
    if fixed != svg:
        path.write_text(fixed, encoding="utf-8")


def render_all(out: Path) -> list[Path]:
    """Render every scenario into `out` as SVG; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    os.environ["NEWSDESK_BLINK"] = "0"
    written = []
    with tempfile.TemporaryDirectory() as scratch:
        for scenario in SCENARIOS:
            db = demo_database(Path(scratch) / f"{scenario.name}.json")
            written.append(asyncio.run(_render(scenario, out, db)))
    return written
