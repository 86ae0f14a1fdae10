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
from typing import Any, Iterable, TextIO
from xml.sax.saxutils import quoteattr

from newsdesk.annotations.formats.record import ExportContext, ExportRecord

__all__ = ["task_object", "write_label_studio", "labelling_config", "config_path"]


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
