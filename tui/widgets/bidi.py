"""Right-to-left lines in visual order: the Unicode bidirectional algorithm, one displayed line at a time.

Most terminals draw characters in the order they receive them, so Arabic and Hebrew come out
backwards. With ``bidi = "app"`` (the default in config.toml) newsdesk reorders each displayed
line itself before drawing it: the paragraph's direction comes from its first strong character
(UAX #9 P2/P3), the line's embedding levels from python-bidi's implementation of the algorithm
(rules X1-I2, L1), and the line is then reversed run by run (L2) with mirrored brackets (L4).
Grapheme clusters move as wholes, so an Arabic letter keeps its marks.

The reordering works on the line's styled segments: each character keeps the style it was given
in logical order, so the cursor, the selection, search marks and topic colours are drawn on the
very characters they belong to. Offsets never change; only the drawing does.
``bidi = "terminal"`` leaves lines in logical order for terminals that reorder by themselves
(mlterm, Konsole, GNOME Terminal with BiDi enabled).

Pure: Rich segments in, Rich segments out; no Textual.
"""

from __future__ import annotations

import re
from typing import Literal, Sequence

from rich.segment import Segment
from rich.style import Style

__all__ = [
    "MODES", "has_rtl", "paragraph_is_rtl", "set_mode", "mode", "visual_segments", "visual_text", "offset_at",
]

MODES = ("app", "terminal")
_mode: str = "app"

# Strong right-to-left letters (bidi classes R and AL) live in these blocks.
_RTL = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_grapheme = None


def _clusters(line: str) -> list[tuple[int, int]]:
    """(start, end) of each grapheme cluster of `line` (`regex` is loaded only when RTL text is drawn)."""
    global _grapheme
    if _grapheme is None:
        import regex

        _grapheme = regex.compile(r"\X", regex.DOTALL)
    return [match.span() for match in _grapheme.finditer(line)]


def set_mode(value: Literal["app", "terminal"] | str) -> None:
    """Choose who reorders right-to-left text: newsdesk ("app") or the terminal ("terminal")."""
    global _mode
    if value not in MODES:
        raise ValueError(f"bidi must be one of {', '.join(MODES)}, not {value!r}")
    _mode = value


def mode() -> str:
    """The current bidi mode."""
    return _mode


def has_rtl(text: str, start: int = 0, end: int | None = None) -> bool:
    """Whether text[start:end] holds a right-to-left letter (cheap: one regex search)."""
    return _RTL.search(text, start, len(text) if end is None else end) is not None


def paragraph_is_rtl(text: str, start: int) -> bool:
    """Whether the paragraph holding `start` is right-to-left (its first strong letter is R or AL)."""
    from bidi.algorithm import get_base_level

    para = text.rfind("\n", 0, start) + 1
    stop = text.find("\n", start)
    return get_base_level(text[para : stop if stop >= 0 else len(text)][:4096]) == 1


def _levels(line: str, rtl: bool) -> list[int]:
    """Resolved embedding levels of each code point of one line (UAX #9 up to rule L1)."""
    from bidi import algorithm

    storage = algorithm.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    algorithm.get_embedding_levels(line, storage)
    algorithm.explicit_embed_and_overrides(storage)
    algorithm.resolve_weak_types(storage)
    algorithm.resolve_neutral_types(storage, False)
    algorithm.resolve_implicit_levels(storage, False)
    chars = storage["chars"]
    # L1: trailing white space takes the paragraph level.
    for char in reversed(chars):
        if char["orig"] in ("WS", "BN", "S", "B"):
            char["level"] = storage["base_level"]
        else:
            break
    return [char["level"] for char in chars]


def _reorder(levels: Sequence[int]) -> list[int]:
    """L2: the visual order of items with these levels (indices into them)."""
    order = list(range(len(levels)))
    if not levels:
        return order
    highest = max(levels)
    odd = [level for level in levels if level % 2]
    if not odd:
        return order
    lowest_odd = min(odd)
    for level in range(highest, lowest_odd - 1, -1):
        i = 0
        while i < len(order):
            if levels[order[i]] >= level:
                j = i
                while j < len(order) and levels[order[j]] >= level:
                    j += 1
                order[i:j] = order[i:j][::-1]
                i = j
            else:
                i += 1
    return order


def _mirror(cluster: str) -> str:
    from bidi.mirror import MIRRORED

    return MIRRORED.get(cluster, cluster) if len(cluster) == 1 else cluster


def visual_segments(segments: Sequence[Segment], rtl: bool) -> list[Segment]:
    """One displayed line's segments (logical order) in visual order, each character keeping its style.

    `rtl` is the paragraph's direction. Lines without right-to-left letters in a left-to-right
    paragraph, and every line in "terminal" mode, come back unchanged.
    """
    line = "".join(segment.text for segment in segments)
    if _mode == "terminal" or not line or (not rtl and not has_rtl(line)):
        return list(segments)
    styles: list[Style | None] = []
    for segment in segments:
        styles.extend([segment.style] * len(segment.text))
    levels = _levels(line, rtl)
    clusters = _clusters(line)
    order = _reorder([levels[start] for start, _ in clusters])
    out: list[Segment] = []
    for index in order:
        start, end = clusters[index]
        text = line[start:end]
        if levels[start] % 2:
            text = _mirror(text)
        style = styles[start]
        if out and out[-1].style == style:
            out[-1] = Segment(out[-1].text + text, style)
        else:
            out.append(Segment(text, style))
    return out


def visual_text(text: str) -> str:
    """One line of plain text (a title, a label) in visual order; unchanged without RTL letters."""
    if _mode == "terminal" or "\n" in text or not has_rtl(text):
        return text
    return "".join(segment.text for segment in visual_segments([Segment(text)], paragraph_is_rtl(text, 0)))


def offset_at(text: str, start: int, end: int, col: int) -> int | None:
    """The logical offset drawn at cell `col` of the displayed line text[start:end] (a mouse click).

    None when the line is drawn in logical order (no right-to-left letters, or "terminal" mode):
    the caller's own column arithmetic is right then. Past the drawn text: the line's end.
    """
    if _mode == "terminal" or not has_rtl(text, start, end):
        return None
    from rich.cells import cell_len

    line = text[start:end]
    levels = _levels(line, paragraph_is_rtl(text, start))
    clusters = _clusters(line)
    cell = 0
    for index in _reorder([levels[a] for a, _ in clusters]):
        a, b = clusters[index]
        width = 4 if line[a:b] == "\t" else cell_len(line[a:b])
        if col < cell + width:
            return start + a
        cell += width
    return end
