"""brat standoff: a folder with `<article id>.txt` (exactly the article text) and `<article id>.ann`.

Shape (https://brat.nlplab.org/standoff.html)::

    T1<TAB>TOPIC 0 5<TAB>text                     text-bound annotation, one per topic of a span
    T2<TAB>TOPIC 0 5;6 12<TAB>frag1 frag2         a span crossing a line break: discontinuous
    #1<TAB>AnnotatorNotes T1<TAB>note             a span's note

plus `annotation.conf` listing the labels. brat reads each `.ann` line by line, so the text of
an annotation must not hold a line break: a span crossing one is written as the fragments
between the breaks, and its text as the fragments joined by one space (brat's own rule for
discontinuous annotations). brat labels are one word: whitespace in a topic name becomes `_`;
the renaming is reported and written as comments in `annotation.conf`. Offsets are code points
into the `.txt` read as UTF-8 (brat #1115 is about counting otherwise). brat has no
document-level labels, so document topics are not written (reported when there are any).
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterable

from newsdesk.annotations.formats.record import ExportContext, ExportRecord

__all__ = ["fragments", "ann_lines", "write_brat", "brat_label", "LINE_BREAKS", "ATTRIBUTE_PREFIX"]

# Every character Python's str.splitlines() (and so brat's line reader) treats as a line break.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")

# A span's second and further topics are binary attributes with this prefix (declared in annotation.conf).
ATTRIBUTE_PREFIX = "also_"


def fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) cut at line breaks, the breaks themselves left out, empty pieces dropped."""
    out: list[tuple[int, int]] = []
    piece = start
    for i in range(start, end):
        if text[i] in LINE_BREAKS:
            if i > piece:
                out.append((piece, i))
            piece = i + 1
    if end > piece:
        out.append((piece, end))
    return out


def _one_field(value: str) -> str:
    """`value` fit for one tab-separated field of an `.ann` line: line breaks and TABs become spaces."""
    if "\t" not in value and not any(c in LINE_BREAKS for c in value):
        return value
    return "".join(" " if c == "\t" or c in LINE_BREAKS else c for c in value)


_NOT_IN_LABEL = re.compile(r"[^\w/-]+")


def brat_label(topic: str, context: ExportContext) -> str:
    """`topic` as a brat type name: word characters, `_`, `/`, `-` (what brat and its readers take)."""
    name = _NOT_IN_LABEL.sub("_", topic.strip()) or "_"
    if name != topic:
        context.label_map[topic] = name
    return name


def ann_lines(record: ExportRecord, context: ExportContext) -> list[str]:
    """The `.ann` lines of one article.

    One entity per extent: the first topic is its type and every further topic a binary
    attribute `also_<topic>` (brat readers refuse two entities over the same extent). Spans
    over the same extent are merged into that one entity, their notes joined with " | ".
    """
    text = record.article.text
    entities: dict[str, list] = {}  # where -> [quoted, topics, notes]
    for span in record.spans:
        frags = fragments(text, span.start, span.end)
        if not frags:
            context.counts["skipped_blank"] += 1
            context.note_once("brat: spans holding only line breaks (or nothing) were left out")
            continue
        if len(frags) > 1:
            context.counts["discontinuous"] += 1
        where = ";".join(f"{s} {e}" for s, e in frags)
        entity = entities.get(where)
        if entity is None:
            quoted = " ".join(text[s:e] for s, e in frags)
            entities[where] = [_one_field(quoted), list(span.topics), [span.note] if span.note else []]
            continue
        context.counts["merged_same_extent"] += 1
        entity[1].extend(t for t in span.topics if t not in entity[1])
        if span.note and span.note not in entity[2]:
            entity[2].append(span.note)
    lines: list[str] = []
    attribute = 0
    note_number = 0
    for number, (where, (quoted, topics, notes)) in enumerate(entities.items(), 1):
        lines.append(f"T{number}\t{brat_label(topics[0], context)} {where}\t{quoted}")
        for topic in topics[1:]:
            attribute += 1
            lines.append(f"A{attribute}\t{ATTRIBUTE_PREFIX}{brat_label(topic, context)} T{number}")
        if notes:
            note_number += 1
            lines.append(f"#{note_number}\tAnnotatorNotes T{number}\t{_one_field(' | '.join(notes))}")
    if context.include_doc_topics and record.doc_topics and record.doc_topics.topics:
        context.note_once("brat: brat has no document labels, document topics were not written")
    return lines


def _write(path: Path, content: str) -> None:
    # Through os.write, so a failed write (a full disk) is seen here and the export stops whole.
    data = content.encode("utf-8")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
    try:
        view = memoryview(data)
        written = 0
        while written < len(view):
            written += os.write(fd, view[written:])
    finally:
        os.close(fd)


def _make_durable(folder: Path) -> None:
    # One fsync per file costs ~25 s for 20,000 files on a busy disk; a single sync() flushes
    # them all before the folder is renamed into place. Without sync(), fsync each file.
    if hasattr(os, "sync"):
        os.sync()
        return
    for path in folder.iterdir():
        with open(path, "rb") as handle:
            os.fsync(handle.fileno())


def write_brat(records: Iterable[ExportRecord], folder: Path, context: ExportContext) -> None:
    """Write the `.txt`/`.ann` pairs and `annotation.conf` into the (empty) `folder`."""
    labels: dict[str, None] = {}
    for record in records:
        name = record.article.id
        _write(folder / f"{name}.txt", record.article.text)
        lines = ann_lines(record, context)
        for line in lines:
            if line.startswith("T"):
                labels[line.split("\t", 2)[1].split(" ", 1)[0]] = None
        _write(folder / f"{name}.ann", "".join(line + "\n" for line in lines))
    for topic in context.topics:  # every label the store knows, so brat's menus offer them
        labels.setdefault(brat_label(topic, context), None)
    conf = ["# brat configuration written by newsdesk"]
    conf += [f"# newsdesk topic {topic!r} is written as {label}" for topic, label in sorted(context.label_map.items())]
    conf += [f"# a span's further topics are binary attributes {ATTRIBUTE_PREFIX}<topic> on its entity"]
    conf += ["[entities]", *labels, "[relations]", "[events]", "[attributes]"]
    conf += [f"{ATTRIBUTE_PREFIX}{label}\tArg:<ENTITY>" for label in labels]
    conf += [""]
    _write(folder / "annotation.conf", "\n".join(conf))
    _make_durable(folder)
