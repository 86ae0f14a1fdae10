"""Tokens for the token-based formats (spaCy, Prodigy, CoNLL) that never cut a span in two.

Most exporters lose offsets because a span edge falls inside a token and the tool snaps it to
the token. Here the text is cut at every word/punctuation token (`annotations.text.tokens`),
at every change between whitespace and non-whitespace, and at every extra offset asked for
(span edges, sentence starts), so every span begins and ends on a token boundary and its
tokens spell exactly its text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

from newsdesk.annotations import text as textrules

__all__ = ["pieces", "Token", "doc_tokens"]

_WHITESPACE = re.compile(r"\s+")


def pieces(text: str, cuts: Iterable[int] = ()) -> list[tuple[int, int]]:
    """(start, end) ranges covering all of `text`, each all whitespace or free of it.

    Boundaries: every token edge from `annotations.text.tokens`, every whitespace run edge and
    every offset in `cuts` that lies inside the text.
    """
    size = len(text)
    bounds = {0, size}
    for start, end in textrules.tokens(text):
        bounds.add(start)
        bounds.add(end)
    for match in _WHITESPACE.finditer(text):
        bounds.add(match.start())
        bounds.add(match.end())
    bounds.update(c for c in cuts if 0 < c < size)
    ordered = sorted(b for b in bounds if 0 <= b <= size)
    return list(zip(ordered, ordered[1:]))


@dataclass(frozen=True)
class Token:
    """A token as spaCy and Prodigy see it: its range and whether one space follows it."""

    start: int
    end: int
    ws: bool


def doc_tokens(text: str, starts: set[int], ends: set[int]) -> list[Token]:
    """Tokens covering `text` exactly, as spaCy's `Doc(words, spaces)` needs them.

    A single space after a non-blank token becomes that token's trailing space (spaCy's
    convention) unless a span starts at that space or ends right after it; every other
    whitespace run is a token of its own (as spaCy makes `"\\n"` a token).
    """
    tokens: list[Token] = []
    for start, end in pieces(text, starts | ends):
        if (
            end - start == 1
            and text[start] == " "
            and tokens
            and not tokens[-1].ws
            and not text[tokens[-1].start].isspace()
            and start not in starts
            and end not in ends
        ):
            last = tokens[-1]
            tokens[-1] = Token(last.start, last.end, True)
            continue
        tokens.append(Token(start, end, False))
    return tokens
