"""Prodigy JSONL: one annotated task a line, as `prodigy db-out` writes and `ner_manual`/`spans_manual` read.

Shape (https://prodi.gy/docs/api-interfaces#spans_manual, https://prodi.gy/docs/api-loaders)::

    {"text", "meta": {"id", "title", "source", "published", "text_sha256"},
     "_input_hash": int, "_task_hash": int,
     "tokens": [{"text", "start", "end", "id", "ws"}],
     "spans": [{"start", "end", "token_start", "token_end", "label"}],
     "answer": "accept",
     "options": [{"id", "text"}], "accept": [topic, ...],        # document topics (choice UI)
     "newsdesk": {"spans": [{"id", "start", "end", "topics", "note", "annotator", "created", "updated"}]}}

Character `end` is exclusive, `token_end` inclusive (Prodigy's convention). A span with several
topics becomes one Prodigy span per topic. Tokens are the article's words split further at every
span edge (`annotations.formats.segments`), so every span starts and ends on a token. The hashes
are stable signed 32-bit integers: `_input_hash` from the SHA-256 of the text, `_task_hash` from
the text and its spans, so the same task exported twice (or by two people) hashes the same.
The extra "newsdesk" key carries notes, annotators and span ids; Prodigy keeps unknown keys.
No spaCy needed.
"""

from __future__ import annotations

import hashlib
import json
from json.encoder import encode_basestring
from collections import Counter
from typing import Any, Iterable, Mapping, TextIO

from newsdesk.annotations.formats import checks
from newsdesk.annotations.formats.newsdesk import read_span
from newsdesk.annotations.formats.record import ExportContext, ExportRecord, IncomingArticle, IncomingSpan, carried_spans
from newsdesk.annotations.formats.segments import doc_tokens

__all__ = ["stable_hash", "task_object", "write_prodigy", "read_task", "is_prodigy"]


def stable_hash(value: str) -> int:
    """A signed 32-bit integer from the SHA-256 of `value` (Prodigy stores hashes as int32)."""
    return int.from_bytes(hashlib.sha256(value.encode("utf-8")).digest()[:4], "big", signed=True)


def task_object(record: ExportRecord, context: ExportContext) -> dict[str, Any]:
    """The Prodigy task for one article."""
    return _task(record, context, token_dicts=True)


def _task(record: ExportRecord, context: ExportContext, *, token_dicts: bool) -> dict[str, Any]:
    """The task; its "tokens" as Prodigy's dicts, or as (start, end, ws) for `_tokens_json`."""
    article = record.article
    text = article.text
    spans = [s for s in record.spans if s.end > s.start]
    if len(spans) < len(record.spans):
        context.counts["skipped_empty"] += len(record.spans) - len(spans)
    tokens = doc_tokens(text, {s.start for s in spans}, {s.end for s in spans})
    token_at_start = {t[0]: i for i, t in enumerate(tokens)}
    token_at_end = {t[1]: i for i, t in enumerate(tokens)}
    out_spans = []
    for span in spans:
        for topic in span.topics:
            out_spans.append(
                {
                    "start": span.start,
                    "end": span.end,
                    "token_start": token_at_start[span.start],
                    "token_end": token_at_end[span.end],
                    "label": topic,
                }
            )
    task: dict[str, Any] = {
        "text": text,
        "meta": {
            "id": article.id,
            "title": article.title,
            "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "text_sha256": article.text_sha256,
            **{key: value for key, value in article.meta.items() if key not in ("title", "source", "published", "text_sha256")},
        },
        "_input_hash": stable_hash(text),
        "_task_hash": stable_hash(
            text + "\x00" + json.dumps(sorted([s["start"], s["end"], s["label"]] for s in out_spans), ensure_ascii=False)
        ),
        "tokens": [
            {"text": text[start:end], "start": start, "end": end, "id": i, "ws": ws}
            for i, (start, end, ws) in enumerate(tokens)
        ] if token_dicts else tokens,
        "spans": out_spans,
        "answer": "accept",
    }
    if context.include_doc_topics:
        task["options"] = [{"id": name, "text": name} for name in context.topics]
        task["accept"] = list(record.doc_topics.topics) if record.doc_topics else []
    task["newsdesk"] = carried_spans(spans)
    return task


_TOKENS_HOLE = '"tokens":null'


def _tokens_json(text: str, tokens: list[tuple[int, int, bool]]) -> str:
    """The "tokens" list as JSON, written directly: the text `json` gives for `task_object`'s dicts."""
    quote = encode_basestring
    return "[" + ",".join([
        f'{{"text":{quote(text[start:end])},"start":{start},"end":{end},"id":{i},"ws":{"true" if ws else "false"}}}'
        for i, (start, end, ws) in enumerate(tokens)
    ]) + "]"


def write_prodigy(records: Iterable[ExportRecord], out: TextIO, context: ExportContext) -> None:
    """One task a line.

    The tokens are most of a task; they are serialised by `_tokens_json` into the place the
    encoder leaves for them (`"tokens":null` can only be the key itself: inside a JSON string
    its quotes are escaped).
    """
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    for record in records:
        task = _task(record, context, token_dicts=False)
        tokens = task["tokens"]
        task["tokens"] = None
        line = dumps(task)
        at = line.index(_TOKENS_HOLE)
        out.write(line[:at])
        out.write('"tokens":')
        out.write(_tokens_json(task["text"], tokens))
        out.write(line[at + len(_TOKENS_HOLE):])
        out.write("\n")


def is_prodigy(obj: Any) -> bool:
    """Whether a parsed JSONL line looks like a Prodigy task."""
    return isinstance(obj, dict) and isinstance(obj.get("text"), str) and (
        "_input_hash" in obj or "tokens" in obj or isinstance(obj.get("spans"), list)
    )


def spans_from_labels(triples: list[tuple[int, int, str]], text: str, extras: Any) -> tuple[list[IncomingSpan], bool]:
    """Spans from (start, end, label) triples, using the "newsdesk" extras when they still fit.

    When the extras describe exactly the same triples (the file was not edited in the other
    tool), they are taken as they are: ids, notes, annotators, times, and separate spans over
    the same range stay separate. Otherwise the triples are grouped by range (one span per
    range, its labels in order) and an extra with the same range and topics lends its note,
    annotator and id; an edited span gets a fresh id. The spans quote no text: their offsets
    are all the file says (the import reads the quoted text off the record's own text).
    The flag is true when the extras matched: newsdesk wrote these offsets, in code points.
    """
    extra_spans = extra_spans_of(extras)
    if extra_spans is not None:
        mine = Counter((s.start, s.end, t) for s in extra_spans for t in s.topics)
        if mine == Counter(triples):
            return extra_spans, True
    grouped: dict[tuple[int, int], list[str]] = {}
    for start, end, label in triples:
        topics = grouped.setdefault((start, end), [])
        if label not in topics:
            topics.append(label)
    spans = [IncomingSpan(start=s, end=e, topics=tuple(t)) for (s, e), t in grouped.items()]
    by_shape = {(x.start, x.end, x.topics): x for x in reversed(extra_spans or [])}
    for span in spans:
        extra = by_shape.get((span.start, span.end, span.topics))
        if extra is not None:
            span.id, span.note, span.annotator = extra.id, extra.note, extra.annotator
            span.created, span.updated = extra.created, extra.updated
    return spans, False


def extra_spans_of(extras: Any) -> list[IncomingSpan] | None:
    """The spans a "newsdesk" extras key records (None when there is none); refuses a malformed one."""
    if extras is None:
        return None
    extras = checks.mapping(extras, '"newsdesk"')
    raw = checks.list_of(extras, "spans", '"newsdesk" ')
    return [read_span(item, f'"newsdesk" span {index}') for index, item in enumerate(raw)]


def read_task(obj: Mapping[str, Any], line: int) -> IncomingArticle:
    """A Prodigy task as an `IncomingArticle`; raises ValueError naming what is wrong."""
    text = obj.get("text")
    if not isinstance(text, str):
        raise ValueError(f'a Prodigy task needs a "text" string, not {checks.kind(text)}')
    triples = []
    for index, raw in enumerate(checks.list_of(obj, "spans")):
        triples.append(checks.labelled_range(raw, f"span {index}", "start", "end"))
    spans, ours = spans_from_labels(triples, text, obj.get("newsdesk"))
    # "meta" is free-form in Prodigy: only newsdesk's own string "id" and "text_sha256" are used.
    meta = obj.get("meta") if isinstance(obj.get("meta"), Mapping) else {}
    doc_topics: tuple[str, ...] = ()
    if "options" in obj and obj.get("accept") is not None:
        doc_topics = checks.labels(obj["accept"], '"accept"')
    answer = obj.get("answer")
    if answer is not None and not isinstance(answer, str):
        raise ValueError(f'"answer" must be "accept", "reject" or "ignore", not {checks.kind(answer)}')
    return IncomingArticle(
        line=line,
        format="prodigy",
        article_id=meta.get("id") if isinstance(meta.get("id"), str) and meta.get("id") else None,
        text_sha256=meta.get("text_sha256") if isinstance(meta.get("text_sha256"), str) and meta.get("text_sha256") else None,
        text=text,
        spans=spans,
        doc_topics=doc_topics,
        extra={"answer": answer},
        done=checks.optional_bool(obj, "done"),
        code_points=ours,
    )
