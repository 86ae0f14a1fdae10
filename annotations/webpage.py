"""Saved web pages as articles: `.html`/`.htm` files read with trafilatura, the field's extractor.

trafilatura finds the main text (boilerplate, navigation, comments removed) and the page's
title, author, date, site name and URL. The text then goes through the same rules as an article
file: bytes decoded by `text.decode`, the result sanitised by `text.sanitise`, size limits,
one-line refusals naming the file. trafilatura (and lxml) are imported only when a page is read.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from .refusal import MAX_BYTES, ArticleRefused
from .model import Article, article_id_for, clean_label

__all__ = ["PAGE_SUFFIXES", "PageText", "extract_page", "read_webpage"]

PAGE_SUFFIXES = frozenset({".html", ".htm"})


@dataclass(frozen=True)
class PageText:
    """What a page holds once its boilerplate is removed: cleaned text and metadata."""

    text: str
    title: str = ""
    author: str = ""
    published: date | None = None
    site: str = ""
    url: str = ""
    meta: dict[str, str] = field(default_factory=dict)


def _date(value: object) -> date | None:
    words = str(value or "")[:10]
    try:
        return date.fromisoformat(words) if len(words) == 10 else None
    except ValueError:
        return None


def _without_title_line(text: str, title: str) -> str:
    """`text` without a first line repeating the page's title (trafilatura keeps the `<h1>`)."""
    first, newline, rest = text.partition("\n")
    if title and newline and clean_label(first) == title:
        return rest.lstrip("\n")
    return text


def extract_page(html: str | bytes, url: str | None = None) -> PageText | None:
    """The main text and metadata of a page, or None when trafilatura finds no article text.

    Text is sanitised (newlines normalised, controls and escape sequences removed) like an
    article file's; metadata is folded onto one line.
    """
    import trafilatura

    from .text import decode, sanitise

    if isinstance(html, bytes):
        html = decode(html)
    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=True, favor_precision=True
    )
    if document is None:
        return None
    get = document.get if isinstance(document, dict) else lambda key: getattr(document, key, None)
    text = sanitise(str(get("text") or "")).strip()
    if not text:
        return None
    title = clean_label(sanitise(str(get("title") or "")))
    text = _without_title_line(text, title)
    if not text:
        return None
    author = clean_label(str(get("author") or ""))
    site = clean_label(str(get("sitename") or ""))
    page_url = clean_label(str(get("url") or url or ""))
    meta = {key: value for key, value in (("author", author), ("site", site), ("url", page_url)) if value}
    return PageText(text, title, author, _date(get("date")), site, page_url, meta)


def read_webpage(path: Path | str) -> Article:
    """An article from a saved web page; `ArticleRefused` (one line naming the file) otherwise."""
    from .reading import _read_text

    path = Path(path)
    html = _read_text(path)  # the file rules: size, binary, decoding, sanitising
    try:
        page = extract_page(html)
    except Exception as error:  # a bug in the extractor must cost one page, not the library
        raise ArticleRefused(path, f"could not be read as a web page ({type(error).__name__}); report this") from None
    if page is None:
        raise ArticleRefused(path, "has no article text that could be found; save the article's own page")
    if len(page.text) > MAX_BYTES:
        raise ArticleRefused(path, "holds over 64 MB of text; split it")
    return Article(
        id=article_id_for(page.text),
        title=page.title or path.stem,
        text=page.text,
        source=page.site,
        published=page.published,
        origin=str(path),
        title_derived=not page.title,
        meta=page.meta,
    )
