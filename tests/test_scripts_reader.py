"""A reader stepping through Japanese and Thai sentences with `s` and `)` sees every sentence."""

from __future__ import annotations

import pytest

from newsdesk.annotations import icu
from newsdesk.tui.widgets.article_view import ArticleView
from test_article_view import Host, make_article

pytestmark = [
    pytest.mark.anyio,
    pytest.mark.skipif(not icu.available(), reason="ICU (icu4py) is not installed"),
]

JAPANESE = "東京で日英首脳会談が行われた。首相は記者団に「大きな一歩だ」と述べた。英国側は来年の訪問を招請した。"


async def test_s_then_close_paren_goes_to_the_next_japanese_sentence_not_the_one_after() -> None:
    app = Host(make_article(JAPANESE))
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(ArticleView)
        await pilot.press("s")
        first = JAPANESE[slice(*view.selection)]
        assert first == "東京で日英首脳会談が行われた。"
        await pilot.press("right_parenthesis")
        assert JAPANESE[view.cursor :].startswith("首相は")
        await pilot.press("s")
        assert JAPANESE[slice(*view.selection)] == "首相は記者団に「大きな一歩だ」と述べた。"
        await pilot.press("right_parenthesis")
        assert JAPANESE[view.cursor :].startswith("英国側は")


async def test_w_steps_over_thai_words_inside_a_line() -> None:
    text = "นายกรัฐมนตรีเดินทางถึงเชียงใหม่"
    app = Host(make_article(text))
    async with app.run_test(size=(60, 10)) as pilot:
        view = app.query_one(ArticleView)
        starts = []
        for _ in range(5):
            await pilot.press("w")
            starts.append(view.cursor)
        assert [text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])][:5] == [
            "รัฐมนตรี", "เดิน", "ทาง", "ถึง", "เชียงใหม่"
        ]
