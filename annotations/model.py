"""What newsdesk annotates: an `Article`, the `Span`s highlighted in it and the `Topic`s they carry.

Offsets are Python code-point indexes into `Article.text`, end exclusive. The model is plain
frozen dataclasses with `to_dict`/`from_dict` so the store, the exporters and the tests share
one JSON shape.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone
from typing import Any, Iterable, Mapping

__all__ = [
    "Article",
    "Span",
    "Topic",
    "DocTopics",
    "text_hash",
    "article_id_for",
    "new_span_id",
    "now_iso",
    "normalise_topics",
    "clean_label",
    "counted",
    "fits_text",
    "split_fitting",
    "stale_spans_message",
]


def text_hash(text: str) -> str:
    """The full SHA-256 (hex) of an article's stored text: what exports carry so files merge."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id_for(text: str) -> str:
    """The stable id of an article: the first 16 hex digits of the SHA-256 of its stored text.

    The same text read from anywhere gets the same id, so annotations follow the content,
    not the file name.
    """
    return text_hash(text)[:16]


def new_span_id() -> str:
    """A fresh, globally unique span id (32 hex digits)."""
    return uuid.uuid4().hex


def now_iso() -> str:
    """The current time in UTC as ISO 8601 with a `Z`, to the millisecond."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# Terminal escape sequences (CSI, OSC, DCS/SOS/PM/APC strings, two-byte ESC x) and every other
# C0/C1 control but newline and tab. Article text is cleaned when it is read; labels, notes and
# names can also arrive from imports, configs and old databases, so the model cleans them too.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]P^_X]|[\x90\x9d\x9e\x9f\x98])[^\x07\x1b\x9c\n]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -~]?"
    r"|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)


def clean_label(value: object, *, keep_newlines: bool = False) -> str:
    """`value` as text without control characters or escape sequences (they would reach the terminal).

    Names and topics are folded onto one line; notes keep their newlines (and tabs).
    """
    text = _ESCAPES.sub("", str(value))
    return text if keep_newlines else " ".join(text.split())


def counted(number: int, noun: str) -> str:
    """`3 spans`, `1 span`: a count with its noun, for messages people read."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"


def normalise_topics(topics: Iterable[str]) -> tuple[str, ...]:
    """Topics as a tuple without blanks or duplicates, first occurrence kept, order kept."""
    seen: dict[str, None] = {}
    for topic in topics:
        name = clean_label(topic)
        if name and name not in seen:
            seen[name] = None
    return tuple(seen)


@dataclass(frozen=True)
class Article:
    """One article as newsdesk stores and shows it.

    `text` is the body after reading (decoded, newlines normalised, control characters and
    escape sequences removed, title and standfirst lines taken out). Every offset in the
    program points into it. `title_derived` is true when the file had no headline and the
    title was cut from the first sentence.
    """

    id: str
    title: str
    text: str
    standfirst: str = ""
    source: str = ""
    published: date | None = None
    place: str = ""
    origin: str = ""
    title_derived: bool = False
    meta: Mapping[str, str] = field(default_factory=dict, compare=False)
    """Fields a corpus file or web page gave beyond these (url, author, the record's own id...)."""

    @property
    def text_sha256(self) -> str:
        """SHA-256 of `text`, for exports and for checking a span still fits its article."""
        return text_hash(self.text)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ISO strings)."""
        return {
            "id": self.id,
            "title": self.title,
            "standfirst": self.standfirst,
            "source": self.source,
            "published": self.published.isoformat() if self.published else None,
            "place": self.place,
            "origin": self.origin,
            "title_derived": self.title_derived,
            "text": self.text,
            **({"meta": dict(self.meta)} if self.meta else {}),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Article":
        """The inverse of `to_dict`; `id` is recomputed from the text when missing."""
        text = str(data["text"])
        published = data.get("published")
        return cls(
            id=str(data.get("id") or article_id_for(text)),
            title=str(data.get("title") or ""),
            text=text,
            standfirst=str(data.get("standfirst") or ""),
            source=str(data.get("source") or ""),
            published=date.fromisoformat(published) if published else None,
            place=str(data.get("place") or ""),
            origin=str(data.get("origin") or ""),
            title_derived=bool(data.get("title_derived", False)),
            meta={str(k): str(v) for k, v in data["meta"].items()} if isinstance(data.get("meta"), Mapping) else {},
        )


@dataclass(frozen=True)
class Span:
    """A highlighted stretch of an article's text carrying one or more topics.

    `start`/`end` are code-point offsets into the article's text, end exclusive, on grapheme
    boundaries. `text` is the covered text, kept so a span can be checked (and re-anchored)
    against its article. Spans may overlap.
    """

    id: str
    article_id: str
    start: int
    end: int
    text: str
    topics: tuple[str, ...]
    note: str = ""
    annotator: str = ""
    created: str = ""
    updated: str = ""

    def __post_init__(self) -> None:
        if self.start < 0 or self.end < self.start:
            raise ValueError(f"span offsets out of order: {self.start}..{self.end}")
        object.__setattr__(self, "topics", normalise_topics(self.topics))
        object.__setattr__(self, "note", clean_label(self.note, keep_newlines=True))
        object.__setattr__(self, "annotator", clean_label(self.annotator))

    @classmethod
    def create(
        cls,
        article: Article,
        start: int,
        end: int,
        topics: Iterable[str],
        *,
        note: str = "",
        annotator: str = "",
        span_id: str | None = None,
    ) -> "Span":
        """A new span over `article.text[start:end]`, stamped with the current time."""
        stamp = now_iso()
        return cls(
            id=span_id or new_span_id(),
            article_id=article.id,
            start=start,
            end=end,
            text=article.text[start:end],
            topics=tuple(topics),
            note=note,
            annotator=annotator,
            created=stamp,
            updated=stamp,
        )

    def edited(self, **changes: Any) -> "Span":
        """A copy with `changes` applied and `updated` set to now."""
        changes.setdefault("updated", now_iso())
        return replace(self, **changes)

    def overlaps(self, start: int, end: int) -> bool:
        """Whether this span shares at least one code point with [start, end)."""
        return self.start < end and start < self.end

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "id": self.id,
            "article_id": self.article_id,
            "start": self.start,
            "end": self.end,
            "text": self.text,
            "topics": list(self.topics),
            "note": self.note,
            "annotator": self.annotator,
            "created": self.created,
            "updated": self.updated,
        }

    @classmethod
    def from_stored(cls, data: Mapping[str, Any]) -> "Span":
        """A span from a document the store wrote itself (already checked when it was saved).

        Skips the conversions and checks of `from_dict`: the store hands out every span an
        export reads, and at 100,000 spans those checks cost more than the export's writing.
        """
        span = object.__new__(cls)
        span.__dict__.update(
            id=data["id"],
            article_id=data["article_id"],
            start=data["start"],
            end=data["end"],
            text=data["text"],
            topics=tuple(data["topics"]),
            note=data["note"],
            annotator=data["annotator"],
            created=data["created"],
            updated=data["updated"],
        )
        return span

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Span":
        """The inverse of `to_dict`."""
        return cls(
            id=str(data["id"]),
            article_id=str(data["article_id"]),
            start=int(data["start"]),
            end=int(data["end"]),
            text=str(data.get("text", "")),
            topics=tuple(data.get("topics") or ()),
            note=str(data.get("note") or ""),
            annotator=str(data.get("annotator") or ""),
            created=str(data.get("created") or ""),
            updated=str(data.get("updated") or ""),
        )


@dataclass(frozen=True)
class Topic:
    """A label a span or a whole article can carry. `key` is its 1-9 shortcut, or None."""

    name: str
    key: int | None = None
    colour: str = "#888888"
    description: str = ""

    def __post_init__(self) -> None:
        if self.key is not None and not 1 <= self.key <= 9:
            raise ValueError(f"topic key must be 1-9 or none, not {self.key}")
        object.__setattr__(self, "name", clean_label(self.name))
        object.__setattr__(self, "description", clean_label(self.description))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {"name": self.name, "key": self.key, "colour": self.colour, "description": self.description}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Topic":
        """The inverse of `to_dict`."""
        key = data.get("key")
        return cls(
            name=str(data["name"]),
            key=int(key) if key is not None else None,
            colour=str(data.get("colour") or "#888888"),
            description=str(data.get("description") or ""),
        )


@dataclass(frozen=True)
class DocTopics:
    """The topics of a whole article (document-level labels), with who set them and when."""

    article_id: str
    topics: tuple[str, ...] = field(default_factory=tuple)
    annotator: str = ""
    updated: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "topics", normalise_topics(self.topics))
        object.__setattr__(self, "annotator", clean_label(self.annotator))

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict."""
        return {
            "article_id": self.article_id,
            "topics": list(self.topics),
            "annotator": self.annotator,
            "updated": self.updated,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "DocTopics":
        """The inverse of `to_dict`."""
        return cls(
            article_id=str(data["article_id"]),
            topics=tuple(data.get("topics") or ()),
            annotator=str(data.get("annotator") or ""),
            updated=str(data.get("updated") or ""),
        )


def fits_text(span: Span, text: str) -> bool:
    """Whether `span`'s offsets still stand in `text`: inside it, and covering `span.text` exactly.

    A span failing this (offsets edited by hand, or the article changed where re-anchoring
    could not follow) is left out of exports and not drawn or edited in the reader.
    """
    return 0 <= span.start <= span.end <= len(text) and text[span.start : span.end] == span.text


def split_fitting(spans: Iterable[Span], text: str) -> tuple[list[Span], list[Span]]:
    """(fitting, stale): `spans` that `fits_text(text)`, and those that do not, order kept."""
    fitting: list[Span] = []
    stale: list[Span] = []
    for span in spans:
        (fitting if fits_text(span, text) else stale).append(span)
    return fitting, stale


def stale_spans_message(count: int) -> str:
    """What the reader says of spans that no longer fit: "1 span no longer matches this article's text"."""
    return f"{counted(count, 'span')} no longer {'matches' if count == 1 else 'match'} this article's text"
