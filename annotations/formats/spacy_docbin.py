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

from contextlib import contextmanager
from typing import Any, BinaryIO, Iterable, Iterator

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
    return _doc_and_words(record, context, vocab, doc_class)[0]


def _doc_and_words(record: ExportRecord, context: ExportContext, vocab: Any, doc_class: Any) -> tuple[Any, list[str]]:
    from spacy.tokens import Span as span_class

    article = record.article
    text = article.text
    spans = [s for s in record.spans if s.end > s.start]
    context.counts["skipped_empty"] += len(record.spans) - len(spans)
    tokens = doc_tokens(text, {s.start for s in spans}, {s.end for s in spans})
    words = [text[start:end] for start, end, _ in tokens]
    doc = doc_class(vocab, words=words, spaces=[ws for _, _, ws in tokens])
    group = []
    for span in spans:
        made = doc.char_span(span.start, span.end, alignment_mode="strict")
        if made is None or made.text != span.text:
            context.counts["misaligned"] += 1
            continue
        group.extend(span_class(doc, made.start, made.end, label=topic) for topic in span.topics)
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
    return doc, words


@contextmanager
def _plugins_looked_up_once() -> Iterator[None]:
    """srsly looks up msgpack plugins among every installed package's entry points each time it
    packs (three times a Doc: ~60% of a DocBin export). Look them up once, keep them registered
    for the export, and put everything back afterwards."""
    try:
        import catalogue
        from srsly.msgpack import msgpack_decoders, msgpack_encoders
    except ImportError:
        yield
        return
    changed: list[tuple[Any, list[str]]] = []
    try:
        for registry in (msgpack_encoders, msgpack_decoders):
            if not getattr(registry, "entry_points", False):
                continue
            added = []
            for name, func in registry.get_entry_points().items():
                if name not in registry:
                    registry.register(name, func=func)
                    added.append(name)
            registry.entry_points = False
            changed.append((registry, added))
        yield
    finally:
        for registry, added in changed:
            registry.entry_points = True
            for name in added:
                catalogue.REGISTRY.pop((*registry.namespace, name), None)


def check_available() -> None:
    """Raise `SpacyMissing` (one line, with the pip command) unless spaCy can be imported."""
    _spacy()


def write_spacy(records: Iterable[ExportRecord], out: BinaryIO, context: ExportContext) -> None:
    """Write a DocBin of every article to the binary file `out`."""
    doc_class, docbin_class, vocab_class = _spacy()
    vocab = vocab_class()
    # Only what newsdesk sets: the words (ORTH) and their trailing spaces (SPACY, always kept).
    # The default attributes hold 13 integers a token that are all zero here: 6x the memory.
    docbin = docbin_class(attrs=["ORTH"], store_user_data=True)
    lean = _lean_add(docbin)
    with _plugins_looked_up_once():
        for record in records:
            doc, words = _doc_and_words(record, context, vocab, doc_class)
            if lean is not None:
                lean(doc, words)
            else:
                docbin.add(doc)
        data = docbin.to_bytes()
    out.write(data)


_DOCBIN_PARTS = ("attrs", "tokens", "spaces", "flags", "strings", "cats", "user_data", "span_groups")


def _lean_add(docbin: Any) -> Any:
    """`DocBin.add` for Docs that carry only words, spaces, span groups, cats and user data.

    spaCy's own `add` visits every token in Python to collect nine strings a token (tags,
    lemmas, entity types...), all empty here: a third of the export. This one stores the same
    parts (the DocBin's documented serialisation fields) and collects only the words and span
    labels. None when this spaCy's DocBin is not laid out so (its own `add` is used then).
    """
    if not all(hasattr(docbin, part) for part in _DOCBIN_PARTS) or docbin.attrs != [_orth()]:
        return None
    import numpy
    import srsly
    from spacy.attrs import SPACY

    def add(doc: Any, words: list[str]) -> None:
        array = doc.to_array(docbin.attrs)
        docbin.tokens.append(array.reshape((array.shape[0], 1)) if len(array.shape) == 1 else array)
        spaces = doc.to_array(SPACY)
        docbin.spaces.append(numpy.asarray(spaces.reshape((spaces.shape[0], 1)), dtype=bool))
        docbin.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
        docbin.strings.update(words)
        docbin.strings.add("")
        docbin.cats.append(doc.cats)
        if docbin.store_user_data:
            docbin.user_data.append(srsly.msgpack_dumps(doc.user_data))
        docbin.span_groups.append(doc.spans.to_bytes())
        for group in doc.spans.values():
            docbin.strings.update(span.label_ for span in group)

    return add


def _orth() -> int:
    from spacy.attrs import ORTH

    return ORTH
