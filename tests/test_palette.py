"""Topic colours, the selection, search marks, suggestions and the cursor stay apart on every terminal.

Each style is reduced the way Textual reduces it on output (`rich.color.Color.downgrade` to the
terminal's colour system) and compared as the terminal would receive it.
"""

from __future__ import annotations

import itertools

import pytest
from rich.color import ColorSystem

from newsdesk.annotations.model import Span, Topic
from newsdesk.annotations.store import DEFAULT_TOPICS
from newsdesk.annotations.topics import TOPIC_COLOURS, colour_distance, next_colour
from newsdesk.tui.palette import Depth, Palette, contrast, parse_rgb, rendered

THEMES = {"dark": ((30, 30, 30), (224, 224, 224)), "light": ((216, 216, 216), (31, 31, 31))}  # $surface, $foreground
COLOURED = (Depth.TRUECOLOR, Depth.EIGHT_BIT, Depth.STANDARD)


def project_topics(extra: int = 3) -> list[Topic]:
    """The default taxonomy plus topics a person made in the picker (each given the next colour)."""
    topics = list(DEFAULT_TOPICS)
    for number in range(extra):
        topics.append(Topic(f"new {number}", None, next_colour(t.colour for t in topics)))
    return topics


def build(depth: Depth, theme: str, topics=None) -> Palette:
    background, foreground = THEMES[theme]
    return Palette.build(topics or project_topics(), depth, dark=theme == "dark", background=background, foreground=foreground)


@pytest.mark.parametrize("theme", THEMES)
@pytest.mark.parametrize("depth", COLOURED, ids=lambda d: d.value)
def test_every_topic_renders_differently_from_every_other_and_from_selection_and_search(depth, theme):
    palette = build(depth, theme)
    looks = {name: rendered(style, depth) for name, style in palette.topic_styles.items()}
    assert len(set(looks.values())) == len(looks), looks
    others = {
        "selection": rendered(palette.selection, depth),
        "search": rendered(palette.match, depth),
        "unknown topic": rendered(palette.unknown, depth),
    }
    assert len(set(others.values())) == 3
    for name, look in looks.items():
        assert look not in others.values(), name
        # A span is a background colour: visible whatever the text colour.
        assert look[1] is not None and look[1] != rendered(palette.selection, depth)[1]
        assert rendered(palette.suggestion(name), depth) not in looks.values()


@pytest.mark.parametrize("depth", COLOURED, ids=lambda d: d.value)
def test_overlaps_look_different_from_single_spans(depth):
    palette = build(depth, "dark")
    singles = {rendered(style, depth) for style in palette.topic_styles.values()}
    for first, second in itertools.combinations(["energy", "diplomacy", "cybersecurity"], 2):
        assert rendered(palette.span_style([(first,), (second,)]), depth) not in singles


def test_at_256_colours_the_summit_topics_no_longer_all_draw_as_background_59():
    palette = build(Depth.EIGHT_BIT, "dark")
    numbers = {
        name: palette.topic_styles[name].bgcolor.downgrade(ColorSystem.EIGHT_BIT).number
        for name in ("diplomacy", "defence and security", "economic security and trade")
    }
    assert len(set(numbers.values())) == 3, numbers
    assert all(16 <= number <= 231 for number in numbers.values())  # cube colours, never the grey ramp


@pytest.mark.parametrize("theme", THEMES)
def test_truecolor_tints_are_far_apart_and_text_on_them_stays_readable(theme):
    palette = build(Depth.TRUECOLOR, theme, list(DEFAULT_TOPICS))
    tints = {name: tuple(style.bgcolor.get_truecolor()) for name, style in palette.topic_styles.items()}
    hexes = {name: "#%02x%02x%02x" % rgb for name, rgb in tints.items()}
    closest = min(colour_distance(a, b) for a, b in itertools.combinations(hexes.values(), 2))
    assert closest > 40
    match = "#%02x%02x%02x" % tuple(palette.match.bgcolor.get_truecolor())
    selection = "#%02x%02x%02x" % tuple(palette.selection.bgcolor.get_truecolor())
    assert min(colour_distance(match, tint) for tint in hexes.values()) > 40
    assert min(colour_distance(selection, tint) for tint in hexes.values()) > 40
    foreground = THEMES[theme][1]
    assert min(contrast(foreground, rgb) for rgb in tints.values()) >= 4.5


def test_sixteen_colours_come_round_with_an_underline_past_eleven_topics():
    topics = [Topic(f"t{n}", None, TOPIC_COLOURS[n % len(TOPIC_COLOURS)]) for n in range(16)]
    palette = build(Depth.STANDARD, "dark", topics)
    looks = [rendered(palette.topic_styles[t.name], Depth.STANDARD) for t in topics]
    assert len(set(looks)) == 16
    assert sum(1 for look in looks if look[4]) == 5  # underlined: the second round
    for style in palette.topic_styles.values():  # black or white text, chosen for its background
        text, background = tuple(style.color.get_truecolor()), tuple(style.bgcolor.get_truecolor())
        assert contrast(text, background) >= 3


def test_without_colour_spans_are_still_visible_and_every_mark_differs():
    palette = build(Depth.NONE, "dark")
    span = rendered(palette.topic_style(("energy",)), Depth.NONE)
    overlap = rendered(palette.span_style([("energy",), ("diplomacy",)]), Depth.NONE)
    looks = [span, overlap, rendered(palette.selection, Depth.NONE), rendered(palette.match, Depth.NONE),
             rendered(palette.cursor, Depth.NONE), rendered(palette.suggestion("energy"), Depth.NONE)]
    assert span[4]  # underlined
    assert all(look[0] is None and look[1] is None for look in looks)  # no colour at all
    assert len(set(looks)) == len(looks)


def test_a_bad_colour_falls_back_to_grey_instead_of_failing():
    assert parse_rgb("not a colour") == (136, 136, 136)
    palette = build(Depth.EIGHT_BIT, "dark", [Topic("odd", None, "nonsense")])
    assert palette.topic_style(("odd",)).bgcolor is not None


# -- in the app: what the reader draws ---------------------------------------------------------------
@pytest.mark.anyio
@pytest.mark.parametrize("depth", [Depth.EIGHT_BIT, Depth.STANDARD, Depth.NONE], ids=lambda d: d.value)
async def test_the_reader_draws_three_topics_three_ways_at_each_depth(tmp_path, depth):
    from rich.color import ColorSystem

    from newsdesk.tui.app import make_app
    from newsdesk.tui.widgets.article_view import ArticleView

    app = make_app(db=tmp_path / "db.json")
    entry = app.library.entries[0]
    article = app.library.load(entry.id)
    words = article.text.split(" ")[:6]
    starts = [article.text.index(" " + word) + 1 for word in words[1:6:2]]  # the cursor stays on word 0
    for start, topic in zip(starts, ("diplomacy", "defence and security", "economic security and trade")):
        app.store.add_span(Span.create(article, start, start + 3, [topic]))
    app.colour_depth = depth
    async with app.run_test(size=(100, 30)) as pilot:
        from newsdesk.tui.screens.reader import reader_for

        await app.push_screen(reader_for(app, entry.id))
        await pilot.pause()
        view = app.screen.query_one(ArticleView)
        segments = [seg for y in range(3) for seg in view.render_line(y)]
        system = {Depth.EIGHT_BIT: ColorSystem.EIGHT_BIT, Depth.STANDARD: ColorSystem.STANDARD}.get(depth)
        looks = set()
        for start in starts:
            segment = next(seg for seg in segments if seg.text.startswith(article.text[start:start + 3]))
            style = segment.style
            if system is None:
                assert style.underline
                looks.add("underline")
            else:
                looks.add(style.bgcolor.downgrade(system).number)
        assert len(looks) == (1 if system is None else 3)
