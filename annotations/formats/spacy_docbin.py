"""spaCy `DocBin` (`.spacy`), the binary training format `spacy train` reads.

Shape (https://spacy.io/api/docbin, https://spacy.io/api/spancategorizer, https://spacy.io/api/doc#cats)::

    one Doc per article, text exactly the article text
    doc.spans["sc"]        one Span per (span, topic), label = topic; overlaps kept
    doc.cats               document topics: 1.0 for each of the article's topics and 0.0 for
                           every other topic in the store (only for articles that have any)
    doc.user_data["newsdesk"]  {"article_id", "title", "source", "published", "text_sha256",
                                "spans": [{"id", "start", "end", "topics", "note", "annotator"}]}

The Doc is built from words and spaces (tokens of `annotations.text.tokens`, cut again at every
span edge, see `annotations.formats.segments`), so `doc.char_span(start, end,
alignment_mode="expand")` lands exactly on each span and every span's text equals the newsdesk
text. spaCy is imported only when this format is used; without it the export stops with
`pip install 'newsdesk[spacy]'`.
"""

from __future__ import annotations

from typing import Any, BinaryIO, Iterable

from newsdesk.annotations.formats.record import ExportContext, ExportRecord
from newsdesk.annotations.formats.segments import doc_tokens

__all__ = ["SpacyMissing", "write_spacy"]


class SpacyMissing(RuntimeError):
    """spaCy is not installed."""


def _spacy() -> Any:
    try:
        import spacy  # noqa: F401
        from spacy.tokens import Doc, DocBin
        from spacy.vocab import Vocab
    except ImportError as error:  # ModuleNotFoundError, or a broken install
        raise SpacyMissing(
            "the spacy format needs spaCy, which is not installed: pip install 'newsdesk[spacy]'"
        ) from error
    return Doc, DocBin, Vocab


def build_doc(record: ExportRecord, context: ExportContext, vocab: Any, doc_class: Any) -> Any:
    """The spaCy Doc of one article."""
    article = record.article
    text = article.text
    spans = [s for s in record.spans if s.end > s.start]
    context.counts["skipped_empty"] += len(record.spans) - len(spans)
    tokens = doc_tokens(text, {s.start for s in spans}, {s.end for s in spans})
    doc = doc_class(vocab, words=[text[start:end] for start, end, _ in tokens], spaces=[ws for _, _, ws in tokens])
    group = []
    for span in spans:
        for topic in span.topics:
            made = doc.char_span(span.start, span.end, label=topic, alignment_mode="expand")
            if made is None or made.text != span.text:
                context.counts["misaligned"] += 1
                continue
            group.append(made)
    doc.spans["sc"] = group
    if context.include_doc_topics and record.doc_topics and record.doc_topics.topics:
        chosen = set(record.doc_topics.topics)
        cats = {name: 0.0 for name in context.topics}
        cats.update({name: 1.0 for name in chosen})
        doc.cats = cats
    doc.user_data["newsdesk"] = {
        "article_id": article.id,
        "title": article.title,
        "source": article.source,
        "published": article.published.isoformat() if article.published else None,
        "text_sha256": article.text_sha256,
        "done": record.done,
        "spans": [
            {"id": s.id, "start": s.start, "end": s.end, "topics": list(s.topics), "note": s.note, "annotator": s.annotator}
            for s in spans
        ],
    }
    return doc


def check_available() -> None:
    """Raise `SpacyMissing` (one line, with the pip command) unless spaCy can be imported."""
    _spacy()


def write_spacy(records: Iterable[ExportRecord], out: BinaryIO, context: ExportContext) -> None:
    """Write a DocBin of every article to the binary file `out`."""
    doc_class, docbin_class, vocab_class = _spacy()
    vocab = vocab_class()
    docbin = docbin_class(store_user_data=True)
    for record in records:
        docbin.add(build_doc(record, context, vocab, doc_class))
    out.write(docbin.to_bytes())
