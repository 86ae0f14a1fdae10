"""Articles that break offsets, and the spans the export and import tests put on them.

Plain data and helpers; the `library` and `store` fixtures built from them are in conftest.py.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from newsdesk.annotations.corpus import Library, seeds_dir
from newsdesk.annotations.model import Article, DocTopics, Span
from newsdesk.annotations.store import Store

# Articles whose offsets most tools get wrong: CJK, RTL, astral and ZWJ emoji, flags, combining marks.
NASTY = {
    "cjk.txt": "東京で首脳会談\n\n日本と英国は安全保障協力を深めることで合意した。高市首相は「重要な一歩だ」と述べた。\n東京の会談は成功した。\n",
    "rtl.txt": "Talks in two scripts\n\nقال رئيس الوزراء إن الشراكة قوية. אמר ראש הממשלה שהשותפות חזקה. The talks ended well.\n",
    "emoji.txt": "Emoji everywhere\n\nThe family 👨‍👩‍👧 waved flags 🇯🇵🇬🇧 and gave a thumbs up 👍🏽 at the summit.\nAstral math 𝒳 stayed put. 😀 Smiles all round.\n",
    "marks.txt": "Combining marks\n\nThe cafe\u0301 in Kyo\u0304to served n\u0303oquis. नमस्ते said the guest; Zürich and Zu\u0308rich differ in bytes.\n",
}


def write_nasty(folder: Path) -> Path:
    """Write the NASTY articles into `folder` (made if missing); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in NASTY.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def write_articles(folder: Path) -> Path:
    """Write the NASTY articles and a copy of the bundled seeds into `folder`; returns the folder."""
    write_nasty(folder)
    for seed in sorted(seeds_dir().glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    return folder


def article_with(library: Library, needle: str) -> Article:
    """The first article of `library` whose text holds `needle`."""
    for entry in library.entries:
        article = library.load(entry.id)
        if needle in article.text:
            return article
    raise AssertionError(f"no article holds {needle!r}")


def span_over(article: Article, needle: str, topics, occurrence: int = 0, **kw) -> Span:
    """A span over the `occurrence`-th (from 0) `needle` in the article's text."""
    at = -1
    for _ in range(occurrence + 1):
        at = article.text.index(needle, at + 1)
    return Span.create(article, at, at + len(needle), topics, **kw)


def annotate(store: Store, library: Library) -> list[Span]:
    """A realistic set of spans over every test article: overlaps, several topics, notes."""
    cjk = article_with(library, "高市首相")
    rtl = article_with(library, "רא")
    emoji = article_with(library, "👨‍👩‍👧")
    marks = article_with(library, "n\u0303oquis")
    seed = article_with(library, "Starmer")
    spans = [
        span_over(cjk, "東京", ["Places"], annotator="ana"),
        span_over(cjk, "高市首相", ["People", "Politics"], note="PM\nof Japan", annotator="ana"),
        span_over(cjk, "安全保障協力", ["defence and security"], annotator="bo"),
        span_over(cjk, "。\n東京", ["Places"], annotator="bo"),  # crosses a line break
        span_over(rtl, "رئيس الوزراء", ["People"], annotator="ana"),
        span_over(rtl, "ראש הממשלה", ["People"], note="Hebrew", annotator="ana"),
        span_over(rtl, "הממשלה שהשותפות", ["Politics"], annotator="bo"),  # overlaps the one before
        span_over(emoji, "👨‍👩‍👧", ["People"], annotator="ana"),
        span_over(emoji, "🇯🇵", ["Places"], annotator="ana"),
        span_over(emoji, "🇬🇧 and", ["Places"], annotator="bo"),
        span_over(emoji, "👍🏽", ["Mood"], note="😀", annotator="ana"),
        span_over(emoji, "𝒳 stayed", ["Maths"], annotator="ana"),
        span_over(marks, "cafe\u0301", ["Food"], annotator="ana"),
        span_over(marks, "n\u0303oquis", ["Food"], annotator="ana"),
        span_over(marks, "नमस्ते", ["Greeting"], annotator="bo"),
        span_over(marks, "Zu\u0308rich", ["Places"], annotator="bo"),
        span_over(seed, "Starmer", ["People"], annotator="ana"),
        span_over(seed, "Starmer", ["People", "Politics"], occurrence=1, annotator="bo"),
    ]
    store.add_spans(spans)
    store.set_doc_topics(DocTopics(cjk.id, ("Politics", "Asia"), "ana"))
    store.set_done(emoji.id, True)
    return spans
