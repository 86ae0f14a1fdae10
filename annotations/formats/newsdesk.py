"""newsdesk's own labelled JSON, the default export, in two containers.

Shape (validated by `newsdesk.schema.json`, shipped beside this module)::

    json   {"format": "newsdesk", "version": 1, "exported": "<ISO 8601 UTC>",
            "articles": [ARTICLE, ...]}
    jsonl  one ARTICLE a line, each also carrying "format": "newsdesk", "version": 1

    ARTICLE {"id", "text_sha256", "title", "standfirst", "source", "published" (YYYY-MM-DD|null),
             "place", "origin", "done", "doc_topics"?: {"topics", "annotator", "updated"},
             "spans": [{"id", "start", "end", "text", "topics", "note", "annotator",
                        "created", "updated"}], "text"}

Offsets are Python code points into "text", end exclusive, so `text[start:end] == span.text`
holds for CJK, RTL scripts, combining marks and astral emoji alike (no UTF-16 units, no bytes).
"id" is the first 16 hex digits of "text_sha256" (the SHA-256 of the UTF-8 text) and span
"id"s are globally unique, so files written by several people merge without collisions.
"doc_topics" is left out when the export excludes document topics.
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, TextIO

import regex

from newsdesk.annotations.formats import checks
from newsdesk.annotations.formats.record import ExportContext, ExportRecord, IncomingArticle, IncomingSpan

__all__ = ["FORMAT", "VERSION", "article_object", "write_json", "write_jsonl", "read_article", "read_span", "is_newsdesk"]

FORMAT = "newsdesk"
VERSION = 1


def article_object(record: ExportRecord, context: ExportContext) -> dict[str, Any]:
    """The ARTICLE object of one record (without format/version)."""
    article = record.article
    obj: dict[str, Any] = {
        "id": article.id,
        "text_sha256": article.text_sha256,
        "title": article.title,
        "standfirst": article.standfirst,
        "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "place": article.place,
        "origin": article.origin,
        "done": record.done,
    }
    if article.meta:  # fields a corpus file or page gave beyond these (url, author, its own id)
        obj["meta"] = dict(article.meta)
    if context.include_doc_topics:
        doc = record.doc_topics
        obj["doc_topics"] = {
            "topics": list(doc.topics) if doc else [],
            "annotator": doc.annotator if doc else "",
            "updated": doc.updated if doc else "",
        }
    obj["spans"] = [
        {
            "id": span.id,
            "start": span.start,
            "end": span.end,
            "text": span.text,
            "topics": list(span.topics),
            "note": span.note,
            "annotator": span.annotator,
            "created": span.created,
            "updated": span.updated,
        }
        for span in record.spans
    ]
    obj["text"] = article.text
    return obj


def write_jsonl(records: Iterable[ExportRecord], out: TextIO, context: ExportContext) -> None:
    """One ARTICLE a line, each stamped with format and version."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    head = {"format": FORMAT, "version": VERSION}
    for record in records:
        line = dict(head)
        line.update(article_object(record, context))
        out.write(dumps(line))
        out.write("\n")


def write_json(records: Iterable[ExportRecord], out: TextIO, context: ExportContext) -> None:
    """One JSON object with the articles list, written article by article (never held whole)."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out.write(
        '{"format":%s,"version":%d,"exported":%s,"articles":['
        % (dumps(FORMAT), VERSION, dumps(context.exported))
    )
    first = True
    for record in records:
        out.write("\n" if first else ",\n")
        out.write(dumps(article_object(record, context)))
        first = False
    out.write("\n]}\n")


def is_newsdesk(obj: Any) -> bool:
    """Whether a parsed JSON value is a newsdesk file or line."""
    return isinstance(obj, dict) and obj.get("format") == FORMAT


_STR_OR_NONE = (str, type(None))
# Topic names joined by U+001F, each already as `clean_label` leaves it: printable, one space
# at most between words, none at the ends.
_PLAIN_NAMES = regex.compile(r"[^\p{C}\p{Z}](?: ?[^\p{C}\p{Z}])*(?:\x1f[^\p{C}\p{Z}](?: ?[^\p{C}\p{Z}])*)*")


def read_span(raw: Any, where: str) -> IncomingSpan:
    """One span object of an ARTICLE (or of the "newsdesk" key other formats carry)."""
    if type(raw) is dict:
        # The common case, every field of its type, checked in one go; anything odd takes the
        # slow path below, which names the field.
        get = raw.get
        start, end, topics, text, span_id = get("start"), get("end"), get("topics"), get("text"), get("id")
        note, annotator, created, updated = get("note"), get("annotator"), get("created"), get("updated")
        if (
            type(start) is int and type(end) is int and type(topics) is list and topics
            and isinstance(text, _STR_OR_NONE) and isinstance(span_id, _STR_OR_NONE)
            and isinstance(note, _STR_OR_NONE) and isinstance(annotator, _STR_OR_NONE)
            and isinstance(created, _STR_OR_NONE) and isinstance(updated, _STR_OR_NONE)
            and all(type(t) is str for t in topics) and _PLAIN_NAMES.fullmatch("\x1f".join(topics))
        ):
            return IncomingSpan(start, end, tuple(dict.fromkeys(topics)), text, note or "", annotator or "",
                                span_id or None, created or "", updated or "")
    raw = checks.mapping(raw, where)
    try:
        start = checks.offset(raw.get("start"), "start")
        end = checks.offset(raw.get("end"), "end")
    except ValueError as error:
        raise ValueError(f"{where}: {error}") from None
    topics = checks.labels(raw.get("topics"), f'{where} "topics"')
    if not topics:
        raise ValueError(f'{where} has no topics: every span needs at least one')
    text = raw.get("text")
    if text is not None and not isinstance(text, str):
        raise ValueError(f'{where} "text" must be a string, not {checks.kind(text)}')
    span_id = checks.optional_str(raw, "id", f"{where} ")
    return IncomingSpan(
        start=start,
        end=end,
        topics=topics,
        text=text,
        note=checks.optional_str(raw, "note", f"{where} "),
        annotator=checks.optional_str(raw, "annotator", f"{where} "),
        id=span_id or None,
        created=checks.optional_str(raw, "created", f"{where} "),
        updated=checks.optional_str(raw, "updated", f"{where} "),
    )


def read_article(obj: Mapping[str, Any], line: int) -> IncomingArticle:
    """An ARTICLE object as an `IncomingArticle`; raises ValueError naming what is wrong."""
    if not isinstance(obj, Mapping):
        raise ValueError(f"an article must be a JSON object, not {checks.kind(obj)}")
    version = obj.get("version", VERSION)
    if version != VERSION:
        raise ValueError(f"newsdesk format version {version!r} is not supported (this newsdesk reads {VERSION})")
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError(f'an article needs a "text" string, not {checks.kind(text)}')
    spans = [read_span(raw, f"span {index}") for index, raw in enumerate(checks.list_of(obj, "spans"))]
    doc = obj.get("doc_topics")
    doc_topics: tuple[str, ...] = ()
    doc_annotator = ""
    if doc is not None:
        doc = checks.mapping(doc, '"doc_topics"')
        doc_topics = checks.labels(doc.get("topics") if doc.get("topics") is not None else [], '"doc_topics" "topics"')
        doc_annotator = checks.optional_str(doc, "annotator", '"doc_topics" ')
    return IncomingArticle(
        line=line,
        format="newsdesk",
        article_id=checks.optional_str(obj, "id") or None,
        text_sha256=checks.optional_str(obj, "text_sha256") or None,
        text=text,
        spans=spans,
        doc_topics=doc_topics,
        doc_annotator=doc_annotator,
        done=checks.optional_bool(obj, "done"),
        code_points=True,
    )
