"""Finding a query in an article's text: case-insensitive, whole graphemes, a bounded number marked."""

from __future__ import annotations

import re

from . import text as textrules

__all__ = ["find_matches"]


def find_matches(text: str, query: str, limit: int) -> tuple[list[tuple[int, int]], int]:
    """Every case-insensitive match of `query` in `text`, snapped to graphemes: (the first `limit`
    ranges, the total count). Counting past `limit` is cheap; marking 100,000 hits would not be."""
    if not query:
        return [], 0
    pattern = re.compile(re.escape(query), re.IGNORECASE)
    matches: list[tuple[int, int]] = []
    total = 0
    for match in pattern.finditer(text):
        total += 1
        if len(matches) >= limit:
            continue
        start, end = textrules.snap_span(text, match.start(), match.end())
        if not matches or matches[-1] != (start, end):
            matches.append((start, end))
    return matches, total
