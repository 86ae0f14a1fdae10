"""doccano JSONL for sequence labelling, as doccano's dataset import and export read and write it.

Shape (https://doccano.github.io/doccano/tutorial/#import-dataset, "JSONL" for sequence labeling)::

    {"text", "label": [[start, end, "TOPIC"], ...],
     "article_id", "title", "source", "published", "text_sha256", "doc_topics": [...],
     "newsdesk": {"spans": [{"id", "start", "end", "topics", "note", "annotator", "created", "updated"}]}}

doccano keeps every key other than "text" and "label" as the example's metadata, which is where
the article's id, hash, document topics and the spans' notes and annotators travel. Offsets are
code points, end exclusive (doccano #2290 reports the web UI counting UTF-16 units instead; the
file here is right, and importing re-anchors spans whose quoted text no longer matches). A span
with several topics becomes one label triple per topic; reading merges triples over the same
range back into one span. doccano keeps overlapping labels (and so several topics on one span)
only in a project created with "Allow overlapping entity" ticked; otherwise it drops them
silently, so the export counts them and says so. Reading also accepts doccano's relation-export shape
(`"entities": [{"id", "start_offset", "end_offset", "label"}]`).
"""

from __future__ import annotations

import json
from typing import Any, Iterable, Mapping, TextIO

from newsdesk.annotations.formats import checks
from newsdesk.annotations.formats.prodigy import spans_from_labels
from newsdesk.annotations.formats.record import ExportContext, ExportRecord, IncomingArticle, carried_spans

__all__ = ["example_object", "write_doccano", "read_example", "is_doccano"]


def example_object(record: ExportRecord, context: ExportContext) -> dict[str, Any]:
    """The doccano example for one article."""
    article = record.article
    reach = -1
    overlapping = 0
    for span in record.spans:  # sorted by start: a span overlaps when it starts before an earlier one ends
        if len(span.topics) > 1 or span.start < reach:
            overlapping += 1
        reach = max(reach, span.end)
    if overlapping:
        context.counts["doccano_overlapping"] += overlapping
    obj: dict[str, Any] = {
        "text": article.text,
        "label": [[s.start, s.end, topic] for s in record.spans for topic in s.topics],
        "article_id": article.id,
        "title": article.title,
        "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "text_sha256": article.text_sha256,
        "done": record.done,  # doccano keeps it as metadata; import-spans restores the mark
    }
    if context.include_doc_topics:
        obj["doc_topics"] = list(record.doc_topics.topics) if record.doc_topics else []
    obj["newsdesk"] = carried_spans(record.spans)
    return obj


def write_doccano(records: Iterable[ExportRecord], out: TextIO, context: ExportContext) -> None:
    """One example a line."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for record in records:
        out.write(dumps(example_object(record, context)))
        out.write("\n")


def is_doccano(obj: Any) -> bool:
    """Whether a parsed JSONL line looks like a doccano example."""
    return isinstance(obj, dict) and isinstance(obj.get("text"), str) and ("label" in obj or "entities" in obj)


def read_example(obj: Mapping[str, Any], line: int) -> IncomingArticle:
    """A doccano example as an `IncomingArticle`; raises ValueError naming what is wrong.

    "label" holds [start, end, "LABEL"] triples (sequence labelling) or "LABEL" strings (text
    classification, taken as the article's topics); "entities" is the relation export's form.
    A `"done": true` (newsdesk's own key, kept by doccano as metadata) marks the article done.
    """
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError(f'a doccano example needs a "text" string, not {checks.kind(text)}')
    triples = []
    text_labels: dict[str, None] = {}
    for index, item in enumerate(checks.list_of(obj, "label")):
        where = f"label {index}"
        if isinstance(item, str):  # text classification: the example's own labels
            text_labels[checks.label(item, where)] = None
            continue
        if not (isinstance(item, list) and len(item) == 3):
            raise ValueError(f'{where} must be [start, end, "LABEL"], not {checks.kind(item)}')
        try:
            start, end = checks.offset(item[0], "start"), checks.offset(item[1], "end")
        except ValueError as error:
            raise ValueError(f'{where} must be [start, end, "LABEL"]: {error}') from None
        triples.append((start, end, checks.label(item[2], f"{where} label")))
    for index, item in enumerate(checks.list_of(obj, "entities")):
        triples.append(checks.labelled_range(item, f"entity {index}", "start_offset", "end_offset"))
    spans, ours = spans_from_labels(triples, text, obj.get("newsdesk"))
    doc_topics = checks.labels(obj["doc_topics"], '"doc_topics"') if obj.get("doc_topics") is not None else ()
    return IncomingArticle(
        line=line,
        format="doccano",
        article_id=checks.optional_str(obj, "article_id") or None,
        text_sha256=checks.optional_str(obj, "text_sha256") or None,
        text=text,
        spans=spans,
        doc_topics=doc_topics or tuple(text_labels),
        done=checks.optional_bool(obj, "done"),
        code_points=ours,
    )
