"""Tag every occurrence: find a phrase in one article or the whole library and plan the spans, in one batch.

Matching follows the reader's search: case is ignored unless asked, and only whole words match
unless asked (`whole_words=False` still never cuts a grapheme). An occurrence already covered by a
span carrying the topic (the same offsets or overlapping them) is skipped, so tagging a name twice,
or inside a longer tagged name, adds nothing. The plan is stored with `History.add_spans`: one
write, one fsync, one undo.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Callable, Iterable, Protocol

from .model import Article, Span, counted, new_span_id, now_iso
from .patterns import whole_words_at
from .text import is_boundary

__all__ = ["occurrences", "TagAllPlan", "plan_tag_all"]


def occurrences(text: str, query: str, *, whole_words: bool = True, case_sensitive: bool = False) -> list[tuple[int, int]]:
    """Where `query` occurs in `text`, as (start, end) ranges that never overlap, in order.

    Any run of whitespace in `query` matches any run of whitespace in the text (a phrase broken
    across lines is still the phrase).
    """
    words = query.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(word) for word in words), 0 if case_sensitive else re.IGNORECASE)
    found: list[tuple[int, int]] = []
    pos = 0
    while True:
        match = pattern.search(text, pos)
        if match is None:
            return found
        start, end = match.span()
        good = whole_words_at(text, start, end) if whole_words else is_boundary(text, start) and is_boundary(text, end)
        if good:
            found.append((start, end))
            pos = end
        else:
            pos = start + 1


class _Spans(Protocol):
    def spans_for(self, article_id: str) -> list[Span]: ...


@dataclass
class TagAllPlan:
    """The spans tagging every occurrence would add, and what it leaves out."""

    query: str
    topic: str
    spans: list[Span] = field(default_factory=list)
    """New spans, where no span stands over the occurrence yet."""
    updates: list[tuple[Span, Span]] = field(default_factory=list)
    """(stored, with the topic added): an occurrence a span already covers exactly, with other topics."""
    articles: int = 0
    already: int = 0

    @property
    def count(self) -> int:
        """How many occurrences the plan tags (new spans and spans given the topic)."""
        return len(self.spans) + len(self.updates)

    @property
    def article_ids(self) -> set[str]:
        """The articles the plan changes."""
        return {span.article_id for span in self.spans} | {after.article_id for _, after in self.updates}

    def summary(self) -> str:
        """One line for people: how many, in how many articles."""
        line = f"{counted(self.count, 'occurrence')} of {self.query!r} in {counted(self.articles, 'article')}"
        if self.already:
            line += f" ({self.already} already tagged {self.topic})"
        return line


def plan_tag_all(
    articles: Iterable[Article],
    query: str,
    topic: str,
    store: _Spans,
    *,
    annotator: str = "",
    whole_words: bool = True,
    case_sensitive: bool = False,
    progress: Callable[[int], None] | None = None,
) -> TagAllPlan:
    """The new spans tagging `topic` on every occurrence of `query` in `articles` (nothing is stored)."""
    plan = TagAllPlan(query=" ".join(query.split()), topic=topic)
    stamp = now_iso()
    for number, article in enumerate(articles, 1):
        text = article.text
        places = occurrences(text, query, whole_words=whole_words, case_sensitive=case_sensitive)
        if places:
            stored = store.spans_for(article.id)
            tagged = [(s.start, s.end) for s in stored if topic in s.topics]
            new = [(a, b) for a, b in places if not any(s < b and a < e for s, e in tagged)]
            plan.already += len(places) - len(new)
            # An occurrence a span already covers exactly (with other topics) gets the topic on that
            # span: a second span over the same characters would only be a duplicate in exports.
            exact = {(s.start, s.end): s for s in stored if topic not in s.topics}
            covered = [exact[place] for place in new if place in exact]
            plan.updates.extend((span, span.edited(topics=span.topics + (topic,), updated=stamp)) for span in covered)
            new = [place for place in new if place not in exact]
            if new or covered:
                plan.articles += 1
                plan.spans.extend(
                    Span(new_span_id(), article.id, a, b, text[a:b], (topic,), annotator=annotator, created=stamp, updated=stamp)
                    for a, b in new
                )
        if progress is not None and number % 200 == 0:
            progress(number)
    return plan
