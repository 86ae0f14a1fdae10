"""Carrying spans over when an article's text changed under them (the file was edited).

A span keeps its id, topics and note; it moves to where its quoted text now stands. It moves
only when that place is clear: the text occurs once in the new version, or, of several
occurrences, one is strictly nearest to where the span was. Anything else is left where it
was (under the old text's id), never guessed.
"""

from __future__ import annotations

from typing import Iterable

from .model import Article, Span
from .text import snap_span

__all__ = ["carry_over"]


def _occurrences(text: str, needle: str) -> list[int]:
    found, at = [], text.find(needle)
    while at >= 0:
        found.append(at)
        at = text.find(needle, at + 1)
    return found


def carry_over(spans: Iterable[Span], article: Article) -> tuple[list[Span], list[Span]]:
    """(moved, left): `spans` re-placed in `article` by their quoted text, and those that could not be."""
    moved: list[Span] = []
    left: list[Span] = []
    for span in spans:
        places = _occurrences(article.text, span.text) if span.text else []
        if len(places) > 1:
            distance = sorted(places, key=lambda at: abs(at - span.start))
            places = distance[:1] if abs(distance[0] - span.start) < abs(distance[1] - span.start) else []
        if len(places) != 1:
            left.append(span)
            continue
        start, end = snap_span(article.text, places[0], places[0] + len(span.text))
        moved.append(span.edited(article_id=article.id, start=start, end=end, text=article.text[start:end]))
    return moved, left
