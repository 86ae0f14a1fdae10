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
from pathlib import Path
from typing import Iterable

from newsdesk.annotations.formats.record import ExportContext, ExportRecord, label_name

__all__ = ["fragments", "ann_lines", "write_brat", "LINE_BREAKS"]

# Every character Python's str.splitlines() (and so brat's line reader) treats as a line break.
LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")


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


def _one_line(value: str) -> str:
    return "".join(" " if c in LINE_BREAKS else c for c in value)


def ann_lines(record: ExportRecord, context: ExportContext) -> list[str]:
    """The `.ann` lines of one article."""
    text = record.article.text
    lines: list[str] = []
    t_number = 0
    note_number = 0
    for span in record.spans:
        frags = fragments(text, span.start, span.end)
        if not frags:
            context.counts["skipped_blank"] += 1
            context.note_once("brat: spans holding only line breaks (or nothing) were left out")
            continue
        if len(frags) > 1:
            context.counts["discontinuous"] += 1
        where = ";".join(f"{s} {e}" for s, e in frags)
        quoted = " ".join(text[s:e] for s, e in frags)
        for topic in span.topics:
            t_number += 1
            lines.append(f"T{t_number}\t{context.label(topic)} {where}\t{quoted}")
            if span.note:
                note_number += 1
                lines.append(f"#{note_number}\tAnnotatorNotes T{t_number}\t{_one_line(span.note)}")
    if context.include_doc_topics and record.doc_topics and record.doc_topics.topics:
        context.note_once("brat: brat has no document labels, document topics were not written")
    return lines


def _write(path: Path, content: str) -> None:
    with open(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(content)


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
        labels.setdefault(label_name(topic), None)
    conf = ["# brat configuration written by newsdesk"]
    conf += [f"# newsdesk topic {topic!r} is written as {label}" for topic, label in sorted(context.label_map.items())]
    conf += ["[entities]", *labels, "[relations]", "[events]", "[attributes]", ""]
    _write(folder / "annotation.conf", "\n".join(conf))
    _make_durable(folder)
