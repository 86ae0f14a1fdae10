"""With ICU's words as tokens, Prodigy, CoNLL and spaCy exports still keep every offset exactly.

Generated texts mix scripts without spaces (Thai, Burmese, Chinese, Japanese), spacing marks
(Bengali), right-to-left text, abbreviations and emoji, where ICU's dictionary words and the span
edges disagree most often.
"""

from __future__ import annotations

import io

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations import text as textrules
from newsdesk.annotations.formats.conll import choose_spans, write_conll
from newsdesk.annotations.formats.prodigy import task_object
from newsdesk.annotations.formats.record import ExportContext, ExportRecord, label_name
from newsdesk.annotations.model import Article, Span, article_id_for
from test_export_consumers import read_conll

PIECES = [
    "นายกรัฐมนตรี", "เชียงใหม่", "10.00 น.", "မြန်မာနိုင်ငံ", "။", "東京で会談", "。", "中英两国", "，",
    "বাংলাদেশের", "।", "প্রধানমন্ত্রী", "한국어 ", "U.S.", "Dr. ", "H.W.", " ", " ", "\n", "مرحبا", "שלום",
    "👨‍👩‍👧", "🇯🇵", "e\u0301", "1,000", "don't",
]


@st.composite
def scripted_records(draw):
    text = "".join(draw(st.lists(st.sampled_from(PIECES), min_size=1, max_size=14)))
    article = Article(id=article_id_for(text), title="", text=text)
    spans = []
    for i in range(draw(st.integers(0, 5))):
        a, b = draw(st.integers(0, len(text))), draw(st.integers(0, len(text)))
        start, end = textrules.snap_span(text, min(a, b), max(a, b))
        topics = draw(st.lists(st.sampled_from(["A", "日本"]), min_size=1, max_size=2, unique=True))
        spans.append(Span.create(article, start, end, topics, span_id=f"{i:032x}"))
    spans.sort(key=lambda s: (s.start, s.end, s.id))
    return ExportRecord(article, tuple(spans), None, False)


@settings(max_examples=40, deadline=None)
@given(scripted_records())
def test_prodigy_tokens_rebuild_the_text_and_spans_sit_on_tokens_in_every_script(record):
    task = task_object(record, ExportContext())
    text = record.article.text
    assert "".join(t["text"] + (" " if t["ws"] else "") for t in task["tokens"]) == text
    for token in task["tokens"]:
        assert text[token["start"] : token["end"]] == token["text"]
    for span in task["spans"]:
        first, last = task["tokens"][span["token_start"]], task["tokens"][span["token_end"]]
        assert (first["start"], last["end"]) == (span["start"], span["end"])


@settings(max_examples=40, deadline=None)
@given(scripted_records())
def test_conll_reads_back_the_chosen_spans_in_every_script(record):
    out = io.StringIO()
    write_conll([record], out, ExportContext())
    [got] = read_conll(out.getvalue(), [record.article.text])
    kept, _, _ = choose_spans(record.article.text, record.spans)
    assert got == [(s, e, label_name(span.topics[0])) for s, e, span in kept]


@settings(max_examples=40, deadline=None)
@given(scripted_records())
def test_spacy_spans_keep_their_text_in_every_script(record):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc

    from newsdesk.annotations.formats.spacy_docbin import build_doc

    context = ExportContext()
    doc = build_doc(record, context, spacy.blank("xx").vocab, Doc)
    assert doc.text == record.article.text
    got = sorted((s.start_char, s.end_char, s.text, s.label_) for s in doc.spans["sc"])
    want = sorted((s.start, s.end, s.text, t) for s in record.spans if s.end > s.start for t in s.topics)
    assert got == want and context.counts["misaligned"] == 0


def test_a_thai_sentence_exports_as_dictionary_words():
    text = "นายกรัฐมนตรีเดินทางถึงเชียงใหม่"
    article = Article(id=article_id_for(text), title="", text=text)
    task = task_object(ExportRecord(article, (), None, False), ExportContext())
    assert [t["text"] for t in task["tokens"]] == ["นายก", "รัฐมนตรี", "เดิน", "ทาง", "ถึง", "เชียงใหม่"]
