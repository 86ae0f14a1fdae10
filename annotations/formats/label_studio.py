"""Label Studio tasks with annotations: one JSON list, as Label Studio's import and "JSON" export use.

Shape (https://labelstud.io/guide/task_format, https://labelstud.io/guide/export#Label-Studio-JSON-format-of-annotated-tasks)::

    [{"data": {"text", "article_id", "title", "source", "published", "text_sha256"},
      "annotations": [{"result": [
          {"id", "from_name": "label", "to_name": "text", "type": "labels",
           "value": {"start", "end", "text", "labels": [topic, ...]}},
          {"id" (same as its region), "from_name": "note", "to_name": "text", "type": "textarea",
           "value": {"start", "end", "text": [note]}},
          {"id", "from_name": "topic", "to_name": "text", "type": "choices",
           "value": {"choices": [topic, ...]}}]}]}, ...]

One "labels" result per span, holding all its topics; a span's note is a per-region "textarea"
result sharing the region's id; document topics are one "choices" result. Offsets are code
points, end exclusive, and `value.text == data.text[start:end]` for every result (Label Studio
1.23 keeps code-point offsets exactly). A labelling config that matches::

    <View>
      <Labels name="label" toName="text" choice="multiple"><Label value="TOPIC"/>...</Labels>
      <Text name="text" value="$text"/>
      <TextArea name="note" toName="text" perRegion="true"/>
      <Choices name="topic" toName="text" choice="multiple"><Choice value="TOPIC"/>...</Choices>
    </View>
"""

from __future__ import annotations

import json
import math
import re
from typing import Any, Iterable, Mapping, TextIO
from xml.sax.saxutils import quoteattr

from newsdesk.annotations.formats import checks
from newsdesk.annotations.formats.record import ExportContext, ExportRecord, IncomingArticle, IncomingSpan, carried_spans

__all__ = ["task_object", "write_label_studio", "labelling_config", "config_path", "is_label_studio", "read_task"]


def labelling_config(span_topics: Iterable[str], doc_topics: Iterable[str] = ()) -> str:
    """The labelling config (Settings → Labeling Interface → Code) matching the exported tasks.

    `span_topics` become the `<Label>`s of the "label" tag, `doc_topics` the `<Choice>`s of the
    "topic" tag (left out when there are none); names are XML-escaped, order kept.
    """
    lines = ["<View>", '  <Labels name="label" toName="text" choice="multiple">']
    lines += [f"    <Label value={quoteattr(name)}/>" for name in dict.fromkeys(span_topics)]
    lines += ["  </Labels>", '  <Text name="text" value="$text"/>',
              '  <TextArea name="note" toName="text" perRegion="true" editable="true"/>']
    choices = list(dict.fromkeys(doc_topics))
    if choices:
        lines.append('  <Choices name="topic" toName="text" choice="multiple">')
        lines += [f"    <Choice value={quoteattr(name)}/>" for name in choices]
        lines.append("  </Choices>")
    lines += ["</View>", ""]
    return "\n".join(lines)


def config_path(tasks: Any) -> Any:
    """Where the labelling config goes beside a tasks file: `summit.json` → `summit.label-config.xml`."""
    name = tasks.name[: -len(tasks.suffix)] if tasks.suffix else tasks.name
    return tasks.with_name(f"{name}.label-config.xml")


def task_object(record: ExportRecord, context: ExportContext) -> dict[str, Any]:
    """The Label Studio task for one article (its topics are noted in `context.labels_seen`)."""
    article = record.article
    results: list[dict[str, Any]] = []
    seen = context.labels_seen
    for span in record.spans:
        if span.end <= span.start:
            context.counts["skipped_empty"] += 1
            continue
        seen.update(span.topics)
        results.append(
            {
                "id": span.id,
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {"start": span.start, "end": span.end, "text": span.text, "labels": list(span.topics)},
            }
        )
        if span.note:
            results.append(
                {
                    "id": span.id,
                    "from_name": "note",
                    "to_name": "text",
                    "type": "textarea",
                    "value": {"start": span.start, "end": span.end, "text": [span.note]},
                }
            )
    if context.include_doc_topics and record.doc_topics and record.doc_topics.topics:
        context.doc_labels_seen.update(record.doc_topics.topics)
        results.append(
            {
                "id": f"doc-{article.id}",
                "from_name": "topic",
                "to_name": "text",
                "type": "choices",
                "value": {"choices": list(record.doc_topics.topics)},
            }
        )
    return {
        "data": {
            "text": article.text,
            "article_id": article.id,
            "title": article.title,
            "source": article.source,
            "published": article.published.isoformat() if article.published else None,
            "text_sha256": article.text_sha256,
            "done": record.done,  # kept by Label Studio as task data; import-spans restores the mark
            "newsdesk": carried_spans(record.spans),  # ids, annotators, times: a round trip keeps them
        },
        "annotations": [{"result": results}],
    }


def write_label_studio(records: Iterable[ExportRecord], out: TextIO, context: ExportContext) -> None:
    """A JSON list of tasks, written task by task."""
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    out.write("[")
    first = True
    for record in records:
        out.write("\n" if first else ",\n")
        out.write(dumps(task_object(record, context)))
        first = False
    out.write("\n]\n")


# --- reading ----------------------------------------------------------------------------------
#
# Three shapes come in: a task as Label Studio's JSON export (and newsdesk's own `--format
# label-studio`) writes it, {"data": {"text", ...}, "annotations": [{"result": [...]}],
# "predictions": [...]}; the same with "completions" (Label Studio before 1.0); and a JSON-MIN
# row, {"text", "id", "<from_name>": [{"start", "end", "text", "labels"}], "annotator", ...},
# one row per annotation with the data fields beside the results.

_SPAN_ID = re.compile(r"[0-9a-f]{32}")


def is_label_studio(obj: Any) -> bool:
    """Whether a parsed JSON value looks like a Label Studio task or JSON-MIN row."""
    if not isinstance(obj, Mapping):
        return False
    if isinstance(obj.get("data"), Mapping) and (
        "annotations" in obj or "completions" in obj or "predictions" in obj or isinstance(obj["data"].get("text"), str)
    ):
        return True
    return isinstance(obj.get("text"), str) and "data" not in obj and any(_is_min_regions(v) for v in obj.values())


def _is_min_regions(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, Mapping) and "start" in item and "end" in item for item in value)
        and any(any(isinstance(item.get(k), list) for k in ("labels", "text")) for item in value)
    )


def _region_id(value: Any) -> str | None:
    """A result's id, kept as the span's id only when newsdesk wrote it (32 hex digits)."""
    return value if isinstance(value, str) and _SPAN_ID.fullmatch(value) else None


def _annotator(value: Any) -> str:
    """Who made an annotation: Label Studio names users by email (`completed_by`) or by number."""
    if isinstance(value, Mapping):
        value = value.get("email")
    return value if isinstance(value, str) else ""


def _results(results: Any, where: str, annotator: str, stamp: tuple[str, str]) -> tuple[list[IncomingSpan], list[str], int]:
    """The spans and document topics of one annotation's (or prediction's) "result" list.

    Returns (spans, document topics, results of other kinds left out).
    """
    if not isinstance(results, list):
        raise ValueError(f'{where} "result" must be a list, not {checks.kind(results)}')
    spans: dict[str, IncomingSpan] = {}
    ordered: list[IncomingSpan] = []
    notes: dict[Any, str] = {}
    doc_topics: dict[str, None] = {}
    other = 0
    for index, result in enumerate(results):
        at = f"{where} result {index}"
        result = checks.mapping(result, at)
        kind = result.get("type")
        value = result.get("value")
        if kind not in ("labels", "textarea", "choices") or value is None:
            other += 1  # relations, ratings, hypertext regions...: nothing newsdesk keeps
            continue
        value = checks.mapping(value, f'{at} "value"')
        region = result.get("id")
        if kind == "choices":
            if "start" in value:
                other += 1  # per-region choices: not a document topic
                continue
            for name in checks.labels(value.get("choices"), f'{at} "choices"'):
                doc_topics[name] = None
            continue
        if kind == "textarea":
            texts = value.get("text")
            if isinstance(texts, str):
                texts = [texts]
            if not (isinstance(texts, list) and all(isinstance(t, str) for t in texts)):
                raise ValueError(f'{at} "text" must be a list of strings, not {checks.kind(texts)}')
            if "start" in value:  # a note on a region: by its id, or (JSON-MIN) by its place
                notes[region if isinstance(region, str) else (value.get("start"), value.get("end"))] = "\n".join(texts)
            else:
                other += 1
            continue
        try:
            start = checks.offset(value.get("start"), "start")
            end = checks.offset(value.get("end"), "end")
        except ValueError as error:
            raise ValueError(f"{at}: {error} (only regions of a <Text> tag can be imported)") from None
        quoted = value.get("text")
        if quoted is not None and not isinstance(quoted, str):
            raise ValueError(f'{at} "text" must be a string, not {checks.kind(quoted)}')
        topics = checks.labels(value.get("labels"), f'{at} "labels"')
        if not topics:
            raise ValueError(f'{at} has no labels: every region needs at least one')
        span = IncomingSpan(start=start, end=end, topics=topics, text=quoted, annotator=annotator,
                            id=_region_id(region), created=stamp[0], updated=stamp[1], score=_score(result))
        if isinstance(region, str) and region in spans and (spans[region].start, spans[region].end) == (start, end):
            merged = spans[region]  # one region, its labels split over several results
            merged.topics = tuple(dict.fromkeys(merged.topics + topics))
            continue
        if isinstance(region, str):
            spans[region] = span
        ordered.append(span)
    by_place = {(span.start, span.end): span for span in reversed(ordered)}
    for region, note in notes.items():
        span = spans.get(region) if isinstance(region, str) else by_place.get(region)
        if span is not None:
            span.note = note
    return ordered, list(doc_topics), other


def _score(obj: Mapping[str, Any]) -> float | None:
    """A result's or prediction's "score" when it is a finite number, else None (scores are advisory)."""
    value = obj.get("score")
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return float(value)


def _lend_carried(spans: list[IncomingSpan], extras: Any) -> None:
    """Annotators and times from a "newsdesk" key in the task's data (what newsdesk carries in
    doccano and Prodigy files) for the spans that kept their newsdesk ids."""
    if extras is None:
        return
    from newsdesk.annotations.formats.prodigy import extra_spans_of

    carried = {span.id: span for span in extra_spans_of(extras) or () if span.id}
    for span in spans:
        extra = carried.get(span.id) if span.id else None
        if extra is not None and (extra.start, extra.end) == (span.start, span.end):
            span.annotator = span.annotator or extra.annotator
            span.note = span.note or extra.note
            span.created, span.updated = extra.created or span.created, extra.updated or span.updated


def _stamp(obj: Mapping[str, Any], where: str) -> tuple[str, str]:
    created = checks.optional_str(obj, "created_at", where)
    return created, checks.optional_str(obj, "updated_at", where) or created


def read_task(obj: Mapping[str, Any], line: int) -> IncomingArticle:
    """A Label Studio task or JSON-MIN row as an `IncomingArticle`; raises ValueError naming what is wrong.

    Every annotation that was not cancelled gives spans ("labels" results over the text) and
    document topics ("choices"); per-region "textarea" results become the spans' notes.
    "predictions" are read and checked into `suggestions` (with their scores): the importer
    stores them as suggestions to review, never as annotations.
    """
    if isinstance(obj.get("data"), Mapping):
        data = obj["data"]
        text = data.get("text")
        if not isinstance(text, str):
            raise ValueError(f'a Label Studio task needs "data" "text", the article text, not {checks.kind(text)}')
        spans: list[IncomingSpan] = []
        doc_topics: dict[str, None] = {}
        other = cancelled = 0
        key = "annotations" if "annotations" in obj else "completions"
        for index, annotation in enumerate(checks.list_of(obj, key)):
            where = f"annotation {index}"
            annotation = checks.mapping(annotation, where)
            if checks.optional_bool(annotation, "was_cancelled", f"{where} "):
                cancelled += 1
                continue
            found, topics, skipped = _results(
                annotation.get("result"), where, _annotator(annotation.get("completed_by")), _stamp(annotation, f"{where} ")
            )
            spans.extend(found)
            doc_topics.update(dict.fromkeys(topics))
            other += skipped
        suggestions: list[IncomingSpan] = []
        for index, prediction in enumerate(checks.list_of(obj, "predictions")):
            if isinstance(prediction, int) and not isinstance(prediction, bool):
                continue  # an export that lists predictions by id only
            where = f"prediction {index}"
            prediction = checks.mapping(prediction, where)
            model = prediction.get("model_version")
            found, _topics, _skipped = _results(
                prediction.get("result"), where, model if isinstance(model, str) else "", _stamp(prediction, f"{where} ")
            )
            overall = _score(prediction)
            for span in found:
                if span.score is None:
                    span.score = overall
            suggestions.extend(found)
        _lend_carried(spans, data.get("newsdesk"))
        meta = data
    else:
        text = obj["text"]
        spans, doc_topics, other, cancelled, suggestions = [], {}, 0, 0, []
        annotator = _annotator(obj.get("annotator"))
        stamp = _stamp(obj, "")
        for name, value in obj.items():
            if _is_min_regions(value):
                results = [{"id": None, "type": "labels" if any("labels" in r for r in value) else "textarea",
                            "value": region} for region in value]
                found, _topics, skipped = _results(results, f'"{name}"', annotator, stamp)
                spans.extend(found)
                other += skipped
            elif isinstance(value, Mapping) and isinstance(value.get("choices"), list):
                doc_topics.update(dict.fromkeys(checks.labels(value["choices"], f'"{name}" "choices"')))
        meta = obj
    article_id = meta.get("article_id")
    text_sha256 = meta.get("text_sha256")
    return IncomingArticle(
        line=line,
        format="label-studio",
        article_id=article_id if isinstance(article_id, str) and article_id else None,
        text_sha256=text_sha256 if isinstance(text_sha256, str) and text_sha256 else None,
        text=text,
        spans=spans,
        doc_topics=tuple(doc_topics),
        extra={"other_results": other, "cancelled": cancelled},
        suggestions=suggestions,
        done=checks.optional_bool(meta, "done", "data ") if meta is not obj else None,
    )
