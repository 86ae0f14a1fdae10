"""The topic set a project owns: add, rename, merge, delete and set a topic's key, colour and description.

Every operation is checked first (`TopicRefused`, one line saying what was wrong and what to do),
then written as ONE store batch through `History.record_batch`: the topic and every span and
article-topic it touches change together on disk, and one undo brings all of it back. Nothing
here loses a span or a note: deleting a topic removes it from its spans, and only a span left
with no topic at all is deleted (and that is counted and reported).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from typing import Iterable, Sequence

from .history import Change, History
from .model import DocTopics, Span, Topic, counted, now_iso
from .store import Store

__all__ = [
    "TopicRefused",
    "MergeNeeded",
    "TopicEdit",
    "Usage",
    "TOPIC_COLOURS",
    "MAX_NAME",
    "check_name",
    "check_description",
    "parse_key",
    "parse_colour",
    "next_free_key",
    "next_colour",
    "find_topic",
    "usage",
    "add_topic",
    "rename_topic",
    "merge_topics",
    "delete_topic",
    "set_topic",
]

MAX_NAME = 80
MAX_DESCRIPTION = 300

# Colours for topics made without one, in the order they are handed out: the default taxonomy's
# (Tableau-style) hues first, then others far from them. `next_colour` takes the one farthest from
# every colour in use, so a new topic never looks like an old one.
TOPIC_COLOURS: tuple[str, ...] = (
    "#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6",
    "#9d755d", "#bab0ac", "#d67195", "#8cd17d", "#5b8def", "#c678dd", "#56b6c2", "#e07a5f",
    "#3d9970", "#a0522d", "#6a5acd", "#20b2aa",
)

_BIDI_CONTROLS = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_HEX = re.compile(r"#?(?:[0-9a-fA-F]{3}|[0-9a-fA-F]{6})")


class TopicRefused(ValueError):
    """A topic operation that cannot be done; the message is one line saying why and what to do."""


class MergeNeeded(TopicRefused):
    """A rename onto a name another topic already has: the person is asked to merge instead."""

    def __init__(self, source: str, target: str) -> None:
        super().__init__(
            f"a topic called '{target}' already exists; merge '{source}' into it instead "
            f"(newsdesk topics merge '{source}' '{target}')"
        )
        self.source = source
        self.target = target


@dataclass(frozen=True)
class Usage:
    """How much of the store carries a topic."""

    spans: int = 0
    articles: int = 0
    """Articles with at least one span carrying it."""
    doc_articles: int = 0
    """Articles whose own (document-level) topics hold it."""
    only_topic: int = 0
    """Spans for which it is the only topic (deleting the topic deletes them)."""
    article_ids: frozenset[str] = frozenset()
    """The articles carrying it, in a span or as an article topic."""


@dataclass(frozen=True)
class TopicEdit:
    """What an operation did: the change History recorded and what it touched."""

    change: Change | None
    topic: Topic | None
    spans_changed: int = 0
    spans_deleted: int = 0
    doc_articles: int = 0
    article_ids: frozenset[str] = frozenset()

    def summary(self, verb: str, name: str) -> str:
        """One line for a person, e.g. `deleted 'energy': 3 spans changed, 1 span deleted`."""
        touched = [counted(self.spans_changed, "span") + " changed"]
        if self.spans_deleted:
            touched.append(counted(self.spans_deleted, "span") + " with no other topic deleted")
        if self.doc_articles:
            touched.append(counted(self.doc_articles, "article topic") + " changed")
        return f"{verb} '{name}': " + ", ".join(touched)


# -- checks -------------------------------------------------------------------------------------
def check_name(raw: str, topics: Iterable[Topic] = (), *, renaming: str | None = None) -> str:
    """The name a person typed, cleaned (spaces folded), or `TopicRefused` saying what is wrong.

    Refused: empty, only spaces, control characters, lone surrogates, bidirectional controls,
    longer than `MAX_NAME`, or the name of another topic when compared case-insensitively
    (`renaming` names the topic being renamed, which may change only its case).
    """
    if not isinstance(raw, str):
        raise TopicRefused("a topic name must be text")
    for char in raw:
        code = ord(char)
        if 0xD800 <= code <= 0xDFFF:
            raise TopicRefused(f"the topic name holds a broken character (U+{code:04X}); type the name again")
        if unicodedata.category(char) == "Cc":
            raise TopicRefused(
                f"a topic name cannot hold control characters (U+{code:04X}); type it on one line without them"
            )
        if char in _BIDI_CONTROLS:
            raise TopicRefused(f"a topic name cannot hold direction controls (U+{code:04X}); type it without them")
    name = " ".join(raw.split())
    if not name:
        raise TopicRefused("a topic name cannot be empty or only spaces; type a name")
    if len(name) > MAX_NAME:
        raise TopicRefused(f"a topic name is at most {MAX_NAME} characters (this one has {len(name)}); shorten it")
    folded = name.casefold()
    for topic in topics:
        if topic.name.casefold() == folded and topic.name != renaming:
            if renaming is not None:
                raise MergeNeeded(renaming, topic.name)
            raise TopicRefused(f"a topic called '{topic.name}' already exists; choose another name")
    return name


def parse_key(value: object) -> int | None:
    """A shortcut key from `1`..`9`, or None from `0`, `none`, `-` or an empty value."""
    text = str(value).strip().lower() if value is not None else ""
    if text in ("", "0", "none", "-", "no"):
        return None
    if text.isdigit() and 1 <= int(text) <= 9:
        return int(text)
    raise TopicRefused(f"a topic key is 1 to 9 (or 0 for none), not '{text}'")


def parse_colour(value: str) -> str:
    """A colour as `#rrggbb` from `#rgb`, `#rrggbb` or the same without `#`; `TopicRefused` otherwise."""
    text = str(value).strip()
    if not _HEX.fullmatch(text):
        raise TopicRefused(f"'{text}' is not a colour; give it as #rrggbb, e.g. #4c78a8")
    digits = text.lstrip("#").lower()
    if len(digits) == 3:
        digits = "".join(char * 2 for char in digits)
    return "#" + digits


def _rgb(colour: str) -> tuple[int, int, int]:
    try:
        digits = parse_colour(colour)[1:]
    except TopicRefused:
        digits = "888888"
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def colour_distance(first: str, second: str) -> float:
    """How far apart two colours look ("redmean" weighted RGB distance; 0 = same, ~765 = black/white)."""
    (r1, g1, b1), (r2, g2, b2) = _rgb(first), _rgb(second)
    mean = (r1 + r2) / 2
    dr, dg, db = r1 - r2, g1 - g2, b1 - b2
    return ((2 + mean / 256) * dr * dr + 4 * dg * dg + (2 + (255 - mean) / 256) * db * db) ** 0.5


def next_free_key(topics: Iterable[Topic]) -> int | None:
    """The lowest key 1-9 no topic holds, or None when all nine are taken."""
    used = {topic.key for topic in topics}
    return next((key for key in range(1, 10) if key not in used), None)


def next_colour(used: Iterable[str]) -> str:
    """The colour of `TOPIC_COLOURS` farthest from every colour in `used` (first free one on a tie)."""
    taken = [parse_colour(c) if _HEX.fullmatch(str(c).strip()) else "#888888" for c in used]
    if not taken:
        return TOPIC_COLOURS[0]
    return max(TOPIC_COLOURS, key=lambda c: min(colour_distance(c, t) for t in taken))


def fresh_topics(existing: Iterable[Topic], names: Iterable[str], *, description: str = "") -> list[Topic]:
    """Topics for `names` not among `existing`, in order, each taking the next free key and a colour
    unlike those in use, as `add_topic` gives them (for importers that put them in their own batch).
    """
    topics = list(existing)
    known = {topic.name for topic in topics}
    made: list[Topic] = []
    for name in dict.fromkeys(names):
        if name in known:
            continue
        topic = Topic(name, next_free_key(topics), next_colour(t.colour for t in topics), description)
        topics.append(topic)
        made.append(topic)
    return made


def find_topic(topics: Iterable[Topic], name: str) -> Topic:
    """The topic called `name` (exactly, else case-insensitively), or `TopicRefused` naming the choices."""
    listed = list(topics)
    for topic in listed:
        if topic.name == name:
            return topic
    folded = " ".join(str(name).split()).casefold()
    for topic in listed:
        if topic.name.casefold() == folded:
            return topic
    raise TopicRefused(f"there is no topic called '{name}'; 'newsdesk topics' lists them")


def usage(store: Store, name: str) -> Usage:
    """How many spans and articles carry topic `name` (reads every span once)."""
    spans = articles_seen = only = 0
    articles: set[str] = set()
    for span in store.iter_spans():
        if name in span.topics:
            spans += 1
            articles.add(span.article_id)
            if len(span.topics) == 1:
                only += 1
    articles_seen = len(articles)
    docs = sum(1 for doc in store.iter_doc_topics() if name in doc.topics)
    return Usage(spans=spans, articles=articles_seen, doc_articles=docs, only_topic=only)


def usage_by_topic(store: Store) -> dict[str, Usage]:
    """`usage` of every topic name found in spans or article topics, reading the store once."""
    spans: dict[str, int] = {}
    only: dict[str, int] = {}
    articles: dict[str, set[str]] = {}
    for span in store.iter_spans():
        for name in span.topics:
            spans[name] = spans.get(name, 0) + 1
            articles.setdefault(name, set()).add(span.article_id)
        if len(span.topics) == 1:
            only[span.topics[0]] = only.get(span.topics[0], 0) + 1
    docs: dict[str, int] = {}
    doc_articles: dict[str, set[str]] = {}
    for doc in store.iter_doc_topics():
        for name in doc.topics:
            docs[name] = docs.get(name, 0) + 1
            doc_articles.setdefault(name, set()).add(doc.article_id)
    names = set(spans) | set(docs)
    return {
        name: Usage(
            spans.get(name, 0), len(articles.get(name, ())), docs.get(name, 0), only.get(name, 0),
            frozenset(articles.get(name, set()) | doc_articles.get(name, set())),
        )
        for name in names
    }


# -- operations ---------------------------------------------------------------------------------
def add_topic(
    history: History,
    name: str,
    *,
    key: int | None | str = "next",
    colour: str | None = None,
    description: str = "",
) -> Topic:
    """Create a topic; it takes the next free key 1-9 unless `key` says otherwise, and a colour
    distinct from the others unless `colour` is given. A key another topic holds moves to the new one.
    """
    topics = history.store.topics()
    clean = check_name(name, topics)
    if key == "next":
        key = next_free_key(topics)
    elif key is not None:
        key = parse_key(key)
    chosen = parse_colour(colour) if colour else next_colour(t.colour for t in topics)
    topic = Topic(clean, key, chosen, check_description(description))
    parts = _key_moves(topics, topic)
    parts.append(Change("topic", None, topic, "add topic"))
    history.record_batch(f"add topic {clean}", parts)
    return topic


def set_topic(
    history: History,
    name: str,
    *,
    key: int | None | str = "keep",
    colour: str | None = None,
    description: str | None = None,
) -> Topic:
    """Change a topic's key (moved from any topic holding it), colour or description: one undoable step."""
    topics = history.store.topics()
    old = find_topic(topics, name)
    new = old
    if key != "keep":
        new = replace(new, key=parse_key(key))
    if colour is not None:
        new = replace(new, colour=parse_colour(colour))
    if description is not None:
        new = replace(new, description=check_description(description))
    if new == old:
        return old
    parts = _key_moves(topics, new)
    parts.append(Change("topic", old, new, "topic"))
    history.record_batch(f"set topic {old.name}", parts)
    return new


def rename_topic(history: History, old_name: str, new_name: str) -> TopicEdit:
    """Rename a topic and every span and article topic carrying it. Onto another topic's name: `MergeNeeded`."""
    store = history.store
    topics = store.topics()
    old = find_topic(topics, old_name)
    new_name = check_name(new_name, topics, renaming=old.name)
    if new_name == old.name:
        return TopicEdit(None, old)
    renamed = replace(old, name=new_name)
    parts = [Change("topic", old, None, "rename topic"), Change("topic", None, renamed, "rename topic")]
    return _retopic(history, parts, renamed, old.name, lambda topics: _swap(topics, old.name, new_name),
                    f"rename topic {old.name} to {new_name}")


def merge_topics(history: History, source_name: str, target_name: str) -> TopicEdit:
    """Merge topic `source_name` into `target_name`: its spans and article topics carry the target, it goes.

    The target keeps its key; if it had none it takes the source's.
    """
    store = history.store
    topics = store.topics()
    source = find_topic(topics, source_name)
    target = find_topic(topics, target_name)
    if source.name == target.name:
        raise TopicRefused(f"cannot merge '{source.name}' into itself; name two different topics")
    parts = [Change("topic", source, None, "merge topics")]
    merged = target
    if target.key is None and source.key is not None:
        merged = replace(target, key=source.key)
        parts.append(Change("topic", target, merged, "merge topics"))
    return _retopic(history, parts, merged, source.name, lambda topics: _swap(topics, source.name, target.name),
                    f"merge topic {source.name} into {target.name}")


def delete_topic(history: History, name: str) -> TopicEdit:
    """Delete a topic: it leaves every span and article; spans left with no topic are deleted. One undo."""
    topics = history.store.topics()
    old = find_topic(topics, name)
    parts = [Change("topic", old, None, "delete topic")]
    return _retopic(history, parts, None, old.name, lambda topics: tuple(t for t in topics if t != old.name),
                    f"delete topic {old.name}")


# -- plumbing -----------------------------------------------------------------------------------
def check_description(text: str) -> str:
    """A description cleaned onto one line, or `TopicRefused` when it is too long."""
    cleaned = " ".join(str(text).split())
    if len(cleaned) > MAX_DESCRIPTION:
        raise TopicRefused(f"a description is at most {MAX_DESCRIPTION} characters; shorten it")
    return cleaned


def _key_moves(topics: Sequence[Topic], topic: Topic) -> list[Change]:
    """Changes taking `topic.key` from any other topic that holds it."""
    if topic.key is None:
        return []
    return [
        Change("topic", other, replace(other, key=None), "topic key")
        for other in topics
        if other.key == topic.key and other.name != topic.name
    ]


def _swap(topics: tuple[str, ...], old: str, new: str) -> tuple[str, ...]:
    return tuple(new if name == old else name for name in topics)


def _retopic(history: History, parts: list[Change], topic: Topic | None, name: str, rewrite, label: str) -> TopicEdit:
    """Add to `parts` the span and article-topic changes `rewrite` makes to everything carrying `name`, then record."""
    store = history.store
    stamp = now_iso()
    changed = deleted = docs = 0
    articles: set[str] = set()
    for span in store.iter_spans():
        if name not in span.topics:
            continue
        articles.add(span.article_id)
        remaining = rewrite(span.topics)
        if remaining:
            after: Span | None = span.edited(topics=remaining, updated=stamp)
            changed += 1
        else:
            after = None
            deleted += 1
        parts.append(Change("span", span, after, label))
    for doc in store.iter_doc_topics():
        if name in doc.topics:
            articles.add(doc.article_id)
            parts.append(Change("doc_topics", doc, DocTopics(doc.article_id, rewrite(doc.topics), doc.annotator, stamp), label))
            docs += 1
    change = history.record_batch(label, parts)
    return TopicEdit(change, topic, changed, deleted, docs, frozenset(articles))
