"""An annotator manages the project's topics in the app: rename, merge, delete, all with undo."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList, Static

from newsdesk.annotations.corpus import Library, seeds_dir
from newsdesk.annotations.model import Span
from newsdesk.annotations.store import Store
from newsdesk.tui.app import make_app
from newsdesk.tui.screens.library import LibraryScreen
from newsdesk.tui.screens.reader import ReaderScreen
from newsdesk.tui.screens.topic_picker import TopicPicker
from newsdesk.tui.screens.topics import Confirm, TopicInput, TopicsScreen

pytestmark = pytest.mark.anyio


def tagged_db(path: Path) -> Path:
    """Two spans on a seed: one energy + diplomacy (with a note), one energy only."""
    library = Library.open(seeds_dir())
    article = library.load(library.entries[0].id)
    with Store(path) as store:
        store.add_span(Span.create(article, 0, 7, ["energy", "diplomacy"], note="my note"))
        store.add_span(Span.create(article, 8, 14, ["energy"]))
    return path


def span_topics(app) -> list[tuple[str, ...]]:
    return sorted(span.topics for span in app.store.iter_spans())


async def type_text(pilot, text: str) -> None:
    for char in text:
        await pilot.press(char if char != " " else "space")


async def open_topics(app, pilot, name: str) -> TopicsScreen:
    await pilot.press("t")
    await pilot.pause()
    screen = app.screen
    assert isinstance(screen, TopicsScreen)
    listing = screen.query_one(OptionList)
    ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
    listing.highlighted = ids.index(name)
    return screen


async def test_deleting_a_topic_says_how_many_spans_then_undo_brings_them_back(tmp_path):
    app = make_app(db=tagged_db(tmp_path / "db.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await open_topics(app, pilot, "energy")
        await pilot.press("x")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        question = app.screen.question
        assert "2 spans in 1 article" in question and "1 span with no other topic will be deleted" in question
        await pilot.press("y")
        await pilot.pause()
        assert span_topics(app) == [("diplomacy",)] and app.store.topic("energy") is None
        await pilot.press("u")
        await pilot.pause()
        assert span_topics(app) == [("energy",), ("energy", "diplomacy")]
        assert {span.note for span in app.store.iter_spans()} == {"my note", ""}
        assert app.store.topic("energy").key == 5


async def test_after_a_delete_the_highlight_stays_on_the_deleted_topics_row(tmp_path):
    app = make_app(db=tagged_db(tmp_path / "db.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = await open_topics(app, pilot, "energy")
        listing = screen.query_one(OptionList)
        ids = [listing.get_option_at_index(i).id for i in range(listing.option_count)]
        row = ids.index("energy")
        assert row > 0
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert app.store.topic("energy") is None
        assert listing.highlighted == row and screen.current_name() == ids[row + 1]


async def test_renaming_onto_an_existing_name_asks_to_merge_and_undo_splits_them_again(tmp_path):
    app = make_app(db=tagged_db(tmp_path / "db.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await open_topics(app, pilot, "energy")
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, TopicInput)
        app.screen.query_one("#topic-input").value = ""
        await type_text(pilot, "Power")
        await pilot.press("enter")
        await pilot.pause()
        assert span_topics(app) == [("Power",), ("Power", "diplomacy")]
        assert app.store.topic("Power").key == 5
        await pilot.press("r")
        app.screen.query_one("#topic-input").value = "DIPLOMACY"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and "Merge 'Power' into it?" in app.screen.question
        await pilot.press("y")
        await pilot.pause()
        assert span_topics(app) == [("diplomacy",), ("diplomacy",)]
        await pilot.press("u", "u")
        await pilot.pause()
        assert span_topics(app) == [("energy",), ("energy", "diplomacy")]


async def test_a_bad_name_is_refused_in_the_box_and_nothing_changes(tmp_path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await open_topics(app, pilot, "energy")
        before = app.store.topics()
        await pilot.press("a")
        await pilot.pause()
        await type_text(pilot, "Energy")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TopicInput)
        assert "already exists" in str(app.screen.query_one("#topic-input-error", Static).render())
        await pilot.press("escape")
        assert app.store.topics() == before


async def test_merging_from_the_picker_moves_spans_and_back_in_the_reader_colours_follow(tmp_path):
    app = make_app(db=tagged_db(tmp_path / "db.json"))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        from newsdesk.tui.widgets.library_list import LibraryList

        assert app.screen.query_one(LibraryList).highlight(app.library.entries[0].id)  # the tagged article
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        await pilot.press("ctrl+t")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, TopicsScreen)
        listing = screen.query_one(OptionList)
        listing.highlighted = [listing.get_option_at_index(i).id for i in range(listing.option_count)].index("energy")
        await pilot.press("m")
        await pilot.pause()
        assert isinstance(app.screen, TopicPicker)
        await type_text(pilot, "diplomacy")
        await pilot.press("enter")
        await pilot.pause()
        assert span_topics(app) == [("diplomacy",), ("diplomacy",)]
        await pilot.press("q")
        await pilot.pause()
        assert isinstance(app.screen, ReaderScreen)
        view = app.screen.view
        assert {name for span in view._spans for name in span.topics} == {"diplomacy"}  # redrawn on return


async def test_a_projects_own_labels_open_on_keys_1_to_9_without_the_default_taxonomy(tmp_path):
    labels = tmp_path / "labels.txt"
    names = ["PERSON", "ORG", "GPE", "LOC", "DATE", "TIME", "MONEY", "EVENT", "LAW", "NORP"]
    labels.write_text("\n".join(names) + "\n", encoding="utf-8")
    app = make_app(db=tmp_path / "db.json", topics=labels)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert [(t.name, t.key) for t in app.store.topics()] == [(n, k) for k, n in enumerate(names[:9], 1)] + [("NORP", None)]
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("v", "w", "1")  # select the first word and tag it with key 1
        await pilot.pause()
        assert [span.topics for span in app.store.iter_spans()] == [("PERSON",)]
        legend = str(app.screen.query_one("#reader-legend").render())
        assert "PERSON" in legend and "diplomacy" not in legend


async def test_the_picker_shows_the_topics_description_as_the_guideline(tmp_path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s", "t")
        await pilot.pause()
        assert isinstance(app.screen, TopicPicker)
        await type_text(pilot, "energy")
        await pilot.pause()
        guideline = str(app.screen.query_one("#picker-guideline", Static).render())
        assert "Energy supply and security" in guideline


async def test_the_library_has_a_topics_key(tmp_path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LibraryScreen)
        await pilot.press("t")
        await pilot.pause()
        assert isinstance(app.screen, TopicsScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, LibraryScreen)


async def test_a_typo_topic_from_the_picker_goes_with_its_only_span_and_undo_brings_both(tmp_path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("s", "t")
        await pilot.pause()
        await type_text(pilot, "diplomcy")
        await pilot.press("up", "enter")  # the last option: + new topic diplomcy
        await pilot.pause()
        assert app.store.topic("diplomcy") is not None
        await pilot.press("g", "x")  # back to the article start, inside the new span; delete it
        await pilot.pause()
        assert app.store.span_count() == 0 and app.store.topic("diplomcy") is None
        await pilot.press("u")
        await pilot.pause()
        assert app.store.span_count() == 1 and app.store.topic("diplomcy") is not None


def test_the_picker_never_offers_a_name_that_cannot_be_a_topic():
    from newsdesk.annotations.store import DEFAULT_TOPICS

    picker = TopicPicker(DEFAULT_TOPICS)
    options = picker.options_for("x" * 81)  # pasted text cleaned of controls is offered; too long is not
    assert options[-1].disabled and "at most 80 characters" in str(options[-1].prompt)
    assert not any(str(option.id).startswith("\x00new") for option in options)
