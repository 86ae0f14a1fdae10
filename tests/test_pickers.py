"""Choosing by typing: topics in the reader, the second article for side by side."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.tui.app import make_app
from newsdesk.tui.screens.compare import ArticlePicker, CompareScreen
from newsdesk.tui.screens.fuzzy_picker import fuzzy_score
from newsdesk.tui.screens.topic_picker import TopicPicker
from newsdesk.tui.widgets.library_list import LibraryList

pytestmark = pytest.mark.anyio


def test_fuzzy_matching_prefers_word_starts_and_runs():
    assert fuzzy_score("cm", "critical minerals and supply chains") > fuzzy_score("cm", "cybersecurity management") - 100
    assert fuzzy_score("cyber", "cybersecurity") > fuzzy_score("cyber", "energy cyber links")
    assert fuzzy_score("zz", "diplomacy") is None
    assert fuzzy_score("", "anything") == 0


async def test_capital_c_picks_the_second_article_by_typing_part_of_its_title(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(160, 45)) as pilot:
        await pilot.pause()
        ani = next(e for e in app.library.entries if e.source == "ANI")
        other = next(e for e in app.library.entries if e.id != ani.id)
        app.screen.query_one(LibraryList).highlight(ani.id)
        await pilot.press("C")
        assert isinstance(app.screen, ArticlePicker)
        for key in "invitation":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, CompareScreen)
        assert [view.article.id for view in screen.views] == [ani.id, other.id]


async def test_a_new_topic_typed_in_the_picker_is_created_and_can_be_undone(tmp_path: Path):
    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter", "s", "t")
        assert isinstance(app.screen, TopicPicker)
        for key in "summitry":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        topic = app.store.topic("summitry")
        assert topic is not None
        (span,) = [s for s in app.store.iter_spans()]
        assert span.topics == ("summitry",)
        await pilot.press("u")  # undo the span
        await pilot.press("u")  # and the new topic
        assert app.store.topic("summitry") is None
        assert app.store.span_count() == 0


async def test_the_topic_filter_picker_does_not_promise_new_topics_and_names_an_unknown_one(tmp_path: Path):
    from newsdesk.annotations.model import Topic

    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.store.put_topic(Topic(name="energy", colour="#ff0000", key=1, description="Power and fuel"))
        await pilot.press("F")
        assert isinstance(app.screen, TopicPicker)
        screen_text = lambda: " ".join(str(w.render()) for w in app.screen.query("Static")) + app.screen.query_one("Input").placeholder
        assert "new" not in screen_text() and "Power and fuel" in screen_text()
        for key in "zebra":
            await pilot.press(key)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TopicPicker)
        options = app.screen.query_one("#picker-options")
        shown = [str(options.get_option_at_index(i).prompt) for i in range(options.option_count)]
        assert shown == ["no topic named zebra"]
        assert "guideline" not in screen_text()
