"""CoNLL-2003 style named-entity columns with IOB2 tags, one token a line.

Shape (https://www.clips.uantwerpen.be/conll2003/ner/, tags as IOB2 — every span starts with `B-`)::

    -DOCSTART- -X- O O
    <blank>
    Starmer -X- _ B-Politics
    visits -X- _ O
    <blank>                      between sentences (`annotations.text.sentences`)

One `-DOCSTART-` block per article. The line is `DOCSTART` below, `-DOCSTART- -X- O O`: the
only document break spaCy's converter (`spacy convert --converter ner`) recognises (the original
CoNLL-2003 `-DOCSTART- -X- -X- O` becomes a stray token per article there), and one that
CoNLL-2003 readers skip as they skip any `-DOCSTART-` line (seqeval-based loaders, conlleval,
whose tag columns are the last two: `O O`). Columns are separated by one space; tokens never hold
whitespace (they are the article's words, cut again at every span edge, so span edges never
fall inside a token). CoNLL cannot hold overlapping spans, spans with several topics or
whitespace at a span's edges:

* overlaps: spans are taken by the rule in `OVERLAP_RULE` and the rest dropped and counted;
* several topics: the span's first topic is written, and the spans affected counted;
* whitespace at the edges is not a token, so a span is written over its non-blank part;
  blank spans are dropped and counted;
* a sentence break inside a written span is not used, so an entity never crosses a blank line;
* whitespace in a topic name becomes `_` (reported).

Document topics have no place in CoNLL and are not written.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Iterable, Iterator, TextIO

from newsdesk.annotations import text as textrules
from newsdesk.annotations.formats.record import ExportContext, ExportRecord
from newsdesk.annotations.formats.segments import pieces
from newsdesk.annotations.model import Span

__all__ = ["OVERLAP_RULE", "DOCSTART", "choose_spans", "conll_lines", "write_conll"]

OVERLAP_RULE = "longest first, then earliest start, then earliest created"
DOCSTART = "-DOCSTART- -X- O O"


def _trimmed(text: str, span: Span) -> tuple[int, int]:
    start, end = span.start, span.end
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def choose_spans(text: str, spans: Iterable[Span]) -> tuple[list[tuple[int, int, Span]], int, int]:
    """The spans CoNLL can carry, as (start, end, span) over their non-blank part, by start.

    Returns (kept, dropped overlaps, dropped blank). Overlaps are settled by `OVERLAP_RULE`.
    """
    candidates = []
    blank = 0
    for span in spans:
        start, end = _trimmed(text, span)
        if end <= start or not span.topics:
            blank += 1
            continue
        candidates.append((start, end, span))
    candidates.sort(key=lambda c: (c[0] - c[1], c[0], c[2].created, c[2].id))
    starts: list[int] = []
    kept: list[tuple[int, int, Span]] = []
    dropped = 0
    for start, end, span in candidates:
        i = bisect_left(starts, start)
        if (i > 0 and kept[i - 1][1] > start) or (i < len(kept) and kept[i][0] < end):
            dropped += 1
            continue
        starts.insert(i, start)
        kept.insert(i, (start, end, span))
    return kept, dropped, blank


def conll_lines(record: ExportRecord, context: ExportContext) -> Iterator[str]:
    """The lines of one article's block, `-DOCSTART-` first, each without its newline."""
    text = record.article.text
    kept, dropped, blank = choose_spans(text, record.spans)
    context.counts["dropped_overlaps"] += dropped
    context.counts["skipped_blank"] += blank
    context.counts["first_topic_only"] += sum(1 for _, _, span in kept if len(span.topics) > 1)
    kept_starts = [s for s, _, _ in kept]

    def inside_kept(offset: int) -> bool:
        i = bisect_left(kept_starts, offset)
        return i > 0 and kept[i - 1][1] > offset

    sentence_starts = sorted(start for start, _ in textrules.sentences(text) if not inside_kept(start))
    cuts = {s for s, _, _ in kept} | {e for _, e, _ in kept} | set(sentence_starts)
    yield DOCSTART
    yield ""
    labels = [context.label(span.topics[0]) for _, _, span in kept]
    never = len(text) + 1
    breaks = iter(sentence_starts)
    next_break = next(breaks, never)
    span_index = 0
    n_kept = len(kept)
    kept_start, kept_end = (kept[0][0], kept[0][1]) if kept else (never, never)
    in_sentence = False
    for start, end in pieces(text, cuts):
        if text[start].isspace():
            continue
        if next_break <= start:
            while next_break <= start:
                next_break = next(breaks, never)
            if in_sentence:
                yield ""
                in_sentence = False
        while kept_end <= start:
            span_index += 1
            kept_start, kept_end = (kept[span_index][0], kept[span_index][1]) if span_index < n_kept else (never, never)
        if kept_start <= start:
            yield f"{text[start:end]} -X- _ {'B-' if kept_start == start else 'I-'}{labels[span_index]}"
        else:
            yield f"{text[start:end]} -X- _ O"
        in_sentence = True
    if in_sentence:
        yield ""


def write_conll(records: Iterable[ExportRecord], out: TextIO, context: ExportContext) -> None:
    """Every article's block, one after another."""
    for record in records:
        out.write("\n".join(conll_lines(record, context)))  # one write an article, not two a token
        out.write("\n")
