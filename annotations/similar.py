"""Finding the article most like another one, to open beside it.

Two stages so a large library stays cheap: rank every entry by the overlap of content words
in its title (metadata only, no file read), then read the best few and rank them by the
cosine of their word counts.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from typing import Protocol, Sequence

__all__ = ["most_similar", "content_words"]

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_STOP = frozenset(
    "the and for with that this from have has had are was were will would their its his her they them "
    "into over after before about than then also been being which who whom what when where while said "
    "says not but all any can may more most other some such only own same very just our out".split()
)


def content_words(text: str) -> list[str]:
    """Lower-cased words of three letters or more, without common function words."""
    return [w for w in (m.group().lower() for m in _WORD.finditer(text)) if w not in _STOP]


class _Entry(Protocol):
    id: str
    title: str


class _Library(Protocol):
    entries: Sequence[_Entry]

    def load(self, article_id: str): ...


def _cosine(a: Counter, b: Counter) -> float:
    if not a or not b:
        return 0.0
    dot = sum(count * b.get(word, 0) for word, count in a.items())
    norm = math.sqrt(sum(c * c for c in a.values())) * math.sqrt(sum(c * c for c in b.values()))
    return dot / norm if norm else 0.0


def most_similar(library: _Library, article_id: str, *, shortlist: int = 20) -> str | None:
    """The id of the library article closest in wording to `article_id`, or None if there is no other."""
    others = [entry for entry in library.entries if entry.id != article_id]
    if not others:
        return None
    try:
        article = library.load(article_id)
    except Exception:
        return others[0].id
    title_words = set(content_words(article.title + " " + article.text[:400]))
    ranked = sorted(others, key=lambda e: -len(title_words & set(content_words(e.title))))[:shortlist]
    target = Counter(content_words(article.text))
    best_id, best_score = ranked[0].id, -1.0
    for entry in ranked:
        try:
            text = library.load(entry.id).text
        except Exception:
            continue
        score = _cosine(target, Counter(content_words(text)))
        if score > best_score:
            best_id, best_score = entry.id, score
    return best_id
