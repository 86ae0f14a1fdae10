"""The styles of spans, the selection, search marks, suggestions and the cursor, at every colour depth.

Textual draws in truecolor and lets the terminal's colour system reduce each colour on output
(`rich.color.Color.downgrade`): a 40% topic tint over a dark background is a dark, low-saturation
colour, and at 256 colours every one of them became the same grey (background 59). So the styles
are chosen here for the depth the app will actually be drawn at:

- truecolor: each topic's own colour as a tint over the theme background (strong enough to tell
  apart, weak enough for text to stay readable: contrast >= 4.5 on the default topics);
- 256 colours: each topic gets its own 6x6x6 cube colour nearest its tint (never the grey ramp,
  where the selection lives), so no two topics share one;
- 16 colours: each topic gets its own ANSI background (dark or bright red, green, yellow, blue,
  magenta, cyan; bright yellow is kept for search marks, the greys for the selection), with black
  or white text; past eleven topics the colours come round again underlined, then in italics;
- no colour (`NO_COLOR`): underline for a span, bold underline for overlaps, reverse video for
  the selection, reverse italic for search marks; the margin bars still mark span lines.

Pure: no Textual, no app. `Palette.build(topics, depth, dark=..., background=..., foreground=...)`;
the widgets ask it for styles and cache them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache
from typing import Iterable, Mapping, Sequence

from rich.color import Color, ColorSystem
from rich.color_triplet import ColorTriplet
from rich.palette import Palette as RichPalette
from rich._palettes import EIGHT_BIT_PALETTE, STANDARD_PALETTE
from rich.style import Style

from newsdesk.annotations.model import Topic
from newsdesk.annotations.topics import colour_distance

__all__ = ["Depth", "depth_for", "depth_of", "palette_for", "Palette", "RGB", "SYSTEMS", "blend", "contrast", "rendered"]

RGB = tuple[int, int, int]


class Depth(str, Enum):
    """How many colours the terminal shows."""

    TRUECOLOR = "truecolor"
    EIGHT_BIT = "256"
    STANDARD = "16"
    NONE = "none"


SYSTEMS: dict[Depth, ColorSystem] = {
    Depth.TRUECOLOR: ColorSystem.TRUECOLOR,
    Depth.EIGHT_BIT: ColorSystem.EIGHT_BIT,
    Depth.STANDARD: ColorSystem.STANDARD,
}
"""The rich colour system Textual reduces to at each depth (NONE has no colours at all)."""


def depth_for(color_system: str | None, *, no_color: bool = False) -> Depth:
    """The depth for a rich console's `color_system` ("truecolor", "256", "standard", "windows", None)."""
    if no_color or color_system is None:
        return Depth.NONE
    if color_system == "truecolor":
        return Depth.TRUECOLOR
    if color_system == "256":
        return Depth.EIGHT_BIT
    return Depth.STANDARD


# -- colour arithmetic ---------------------------------------------------------------------------
def _hex(rgb: RGB) -> str:
    return "#%02x%02x%02x" % rgb


def parse_rgb(colour: str, fallback: RGB = (136, 136, 136)) -> RGB:
    """`#rrggbb` (or `#rgb`) as a triplet; `fallback` for anything else."""
    try:
        triplet = Color.parse(colour).get_truecolor()
    except Exception:
        return fallback
    return (triplet.red, triplet.green, triplet.blue)


def blend(colour: RGB, background: RGB, amount: float) -> RGB:
    """`amount` of `colour` over `background` (0 = background, 1 = colour)."""
    return tuple(round(b + (c - b) * amount) for c, b in zip(colour, background))  # type: ignore[return-value]


def _luminance(rgb: RGB) -> float:
    def channel(value: int) -> float:
        value_ = value / 255
        return value_ / 12.92 if value_ <= 0.03928 else ((value_ + 0.055) / 1.055) ** 2.4

    r, g, b = rgb
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: RGB, second: RGB) -> float:
    """The WCAG contrast ratio of two colours (1 to 21)."""
    high, low = sorted((_luminance(first), _luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def _colour(rgb: RGB) -> Color:
    return Color.from_triplet(ColorTriplet(*rgb))


def _distance(first: RGB, second: RGB) -> float:
    return colour_distance(_hex(first), _hex(second))


def _triplet(palette: RichPalette, number: int) -> RGB:
    colour = palette[number]
    return (colour.red, colour.green, colour.blue)


@lru_cache(maxsize=1)
def _cube() -> tuple[tuple[int, RGB], ...]:
    """The 6x6x6 colours of the 256 palette that come back as themselves when reduced to 256 colours."""
    found = []
    for number in range(16, 232):
        rgb = _triplet(EIGHT_BIT_PALETTE, number)
        if _colour(rgb).downgrade(ColorSystem.EIGHT_BIT).number == number:
            found.append((number, rgb))
    return tuple(found)


# 16 colours: (ANSI number, text colour number). Bright yellow (11) is the search mark; the greys
# (0, 7, 8, 15) are the background, the selection and spans of unknown topics.
_STANDARD_SLOTS: tuple[tuple[int, int], ...] = (
    (1, 15), (2, 0), (3, 0), (4, 15), (5, 15), (6, 0), (9, 0), (10, 0), (12, 0), (13, 0), (14, 0),
)
_MATCH = {True: (229, 192, 123), False: (255, 176, 0)}  # amber, black text; stronger on light themes
_MATCH_256 = 221
_MATCH_16 = 11
_TINT = {True: 0.4, False: 0.5}  # dark theme, light theme: contrast >= 4.5 with the default topics


@dataclass(frozen=True)
class Palette:
    """Every annotation style for one set of topics, one depth and one theme."""

    depth: Depth
    dark: bool
    topic_styles: Mapping[str, Style]
    """The look of a span carrying this topic (its first known topic)."""
    swatches: Mapping[str, Style]
    """The colour of the topic's ■ in legends and pickers, matching its spans."""
    unknown: Style
    """A span whose topics are all unknown (deleted elsewhere, imported)."""
    selection: Style
    match: Style
    cursor: Style
    cursor_blurred: Style
    _background: RGB = (0, 0, 0)
    _overlaps: dict = field(default_factory=dict, compare=False, repr=False)

    # -- building --------------------------------------------------------------------------------
    @classmethod
    def build(
        cls,
        topics: Iterable[Topic],
        depth: Depth,
        *,
        dark: bool = True,
        background: RGB = (30, 30, 30),
        foreground: RGB = (224, 224, 224),
    ) -> "Palette":
        """The palette for `topics` (in the store's order: keyed first) at `depth` over `background`."""
        listed = list(topics)
        if depth is Depth.NONE:
            return cls(
                depth, dark,
                topic_styles={topic.name: Style(underline=True) for topic in listed},
                swatches={topic.name: Style() for topic in listed},
                unknown=Style(underline=True),
                selection=Style(reverse=True),
                match=Style(reverse=True, italic=True),
                cursor=Style(reverse=True, bold=True),
                cursor_blurred=Style(bold=True, underline=True, italic=True),
                _background=background,
            )
        if depth is Depth.TRUECOLOR:
            return cls._truecolor(listed, dark, background, foreground)
        if depth is Depth.EIGHT_BIT:
            return cls._eight_bit(listed, dark, background)
        return cls._standard(listed, dark, background)

    @classmethod
    def _truecolor(cls, topics: list[Topic], dark: bool, background: RGB, foreground: RGB) -> "Palette":
        amount = _TINT[dark]
        styles = {t.name: Style(bgcolor=_colour(blend(parse_rgb(t.colour), background, amount))) for t in topics}
        selection_bg = blend(foreground, background, 0.78) if dark else blend((40, 40, 40), background, 0.9)
        return cls(
            Depth.TRUECOLOR, dark,
            topic_styles=styles,
            swatches={t.name: Style(color=_colour(parse_rgb(t.colour))) for t in topics},
            unknown=Style(bgcolor=_colour(blend((136, 136, 136), background, amount))),
            selection=Style(bgcolor=_colour(selection_bg), color=_colour(background if dark else (245, 245, 245))),
            match=Style(bgcolor=_colour(_MATCH[dark]), color=_colour((0, 0, 0))),
            cursor=Style(reverse=True, bold=True),
            cursor_blurred=Style(bgcolor=_colour(blend(foreground, background, 0.3))),
            _background=background,
        )

    @classmethod
    def _eight_bit(cls, topics: list[Topic], dark: bool, background: RGB) -> "Palette":
        amount = _TINT[dark]
        # Dark themes take dark cube colours (light text stays readable), light themes light ones.
        candidates = [
            (number, rgb) for number, rgb in _cube()
            if number != _MATCH_256 and (_luminance(rgb) <= 0.2 if dark else _luminance(rgb) >= 0.4)
        ]
        taken: set[int] = set()
        styles: dict[str, Style] = {}
        for topic in topics:
            tint = blend(parse_rgb(topic.colour), background, amount)
            free = [item for item in candidates if item[0] not in taken] or candidates
            number, rgb = min(free, key=lambda item: _distance(item[1], tint))
            taken.add(number)
            styles[topic.name] = Style(bgcolor=_colour(rgb))
        grey = (lambda n: _colour(_triplet(EIGHT_BIT_PALETTE, n)))
        return cls(
            Depth.EIGHT_BIT, dark,
            topic_styles=styles,
            swatches={t.name: Style(color=_colour(parse_rgb(t.colour))) for t in topics},
            unknown=Style(bgcolor=grey(240 if dark else 248)),
            selection=Style(bgcolor=grey(251), color=grey(16)) if dark else Style(bgcolor=grey(239), color=grey(231)),
            match=Style(bgcolor=grey(_MATCH_256), color=grey(16)),
            cursor=Style(reverse=True, bold=True),
            cursor_blurred=Style(bgcolor=grey(244)),
            _background=background,
        )

    @classmethod
    def _standard(cls, topics: list[Topic], dark: bool, background: RGB) -> "Palette":
        ansi = (lambda n: _colour(_triplet(STANDARD_PALETTE, n)))
        slots = list(_STANDARD_SLOTS)
        styles: dict[str, Style] = {}
        swatches: dict[str, Style] = {}
        free: list[tuple[int, int]] = []
        round_ = 0
        for topic in topics:
            if not free:
                free = list(slots)
                round_ += 1
            wanted = parse_rgb(topic.colour)
            number, text = min(free, key=lambda slot: _distance(_triplet(STANDARD_PALETTE, slot[0]), wanted))
            free.remove((number, text))
            # Past the eleventh topic the colours come round again, underlined, then in italics.
            styles[topic.name] = Style(
                bgcolor=ansi(number), color=ansi(text), underline=round_ == 2, italic=round_ >= 3
            )
            swatches[topic.name] = Style(color=ansi(number))
        return cls(
            Depth.STANDARD, dark,
            topic_styles=styles,
            swatches=swatches,
            unknown=Style(bgcolor=ansi(8), color=ansi(15)) if dark else Style(bgcolor=ansi(7), color=ansi(0)),
            selection=Style(bgcolor=ansi(7), color=ansi(0)) if dark else Style(bgcolor=ansi(8), color=ansi(15)),
            match=Style(bgcolor=ansi(_MATCH_16), color=ansi(0)),
            cursor=Style(reverse=True, bold=True),
            cursor_blurred=Style(underline=True, bold=True),
            _background=background,
        )

    # -- asking ----------------------------------------------------------------------------------
    def topic_style(self, topics: Sequence[str]) -> Style:
        """The look of one span with these topics: its first known topic's, else `unknown`."""
        for name in topics:
            style = self.topic_styles.get(name)
            if style is not None:
                return style
        return self.unknown

    def span_style(self, spans_topics: Sequence[Sequence[str]]) -> Style:
        """The look of text under these spans: one span its topic's; several, the overlap look.

        Overlaps are bold and underlined over the first span's colour (over the two colours mixed
        in truecolor), so two stacked spans never read as one.
        """
        if len(spans_topics) <= 1:
            return self.topic_style(spans_topics[0] if spans_topics else ())
        first = self.topic_style(spans_topics[0])
        second = self.topic_style(spans_topics[1])
        key = (first, second)
        style = self._overlaps.get(key)
        if style is None:
            style = first
            if self.depth is Depth.TRUECOLOR and first.bgcolor and second.bgcolor:
                a, b = first.bgcolor.get_truecolor(), second.bgcolor.get_truecolor()
                mixed = blend(tuple(a), tuple(b), 0.5)  # type: ignore[arg-type]
                style = Style(bgcolor=_colour(blend(mixed, self._background, 1.3 if self.dark else 1.15)))
            # Bold and underlined marks an overlap (linked sentences side by side are italic underlined).
            style = style + Style(bold=True, underline=True)
            self._overlaps[key] = style
        return style

    def swatch(self, name: str) -> Style:
        """The colour of a topic's ■ (its own colour; at 16 colours the ANSI colour its spans use)."""
        return self.swatches.get(name, Style())

    def suggestion(self, name: str) -> Style:
        """A suggested (not yet accepted) span: the topic's colour on the text, italic and underlined, no background."""
        if self.depth is Depth.NONE:
            return Style(italic=True, dim=True)
        return self.swatch(name) + Style(italic=True, underline=True)


def rendered(style: Style, depth: Depth) -> tuple:
    """What a terminal at `depth` is sent for `style`: colours reduced as Textual reduces them, plus attributes.

    Two styles with the same `rendered` value look the same on that terminal.
    """
    system = SYSTEMS.get(depth)

    def reduce(colour: Color | None) -> object:
        if colour is None or system is None:
            return None
        reduced = colour.downgrade(system)
        return reduced.number if reduced.number is not None else tuple(reduced.get_truecolor())

    return (
        reduce(style.color),
        reduce(style.bgcolor),
        bool(style.bold), bool(style.italic), bool(style.underline), bool(style.reverse), bool(style.dim),
    )


def depth_of(app: object) -> Depth:
    """The depth a running Textual app draws at: its console's colour system, or NONE under NO_COLOR.

    `app.colour_depth`, when set, wins (tests set it). A headless app (tests, `newsdesk screenshots`)
    draws for SVG files, which hold truecolor.
    """
    override = getattr(app, "colour_depth", None)
    if override is not None:
        return Depth(override)
    if getattr(app, "is_headless", False) and not getattr(app, "no_color", False):
        return Depth.TRUECOLOR
    console = getattr(app, "console", None)
    return depth_for(getattr(console, "color_system", "truecolor"), no_color=bool(getattr(app, "no_color", False)))


def palette_for(widget: object, topics: Iterable[Topic], background: object | None = None) -> Palette:
    """The palette for a widget of a running app: its app's depth and theme, its own colours.

    `background` (a Textual `Color`, default the widget's) is what tints are laid over.
    """
    app = widget.app  # type: ignore[attr-defined]
    theme = getattr(app, "current_theme", None)
    dark = bool(getattr(theme, "dark", True))
    colour = background if background is not None else widget.background_colors[1]  # type: ignore[attr-defined]
    foreground = widget.styles.color  # type: ignore[attr-defined]
    return Palette.build(
        topics,
        depth_of(app),
        dark=dark,
        background=(colour.r, colour.g, colour.b),  # type: ignore[union-attr]
        foreground=(foreground.r, foreground.g, foreground.b),
    )
