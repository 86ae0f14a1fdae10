"""The token formats' one-pass cutting gives exactly the cuts of the plain definition, on any text."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations.formats.segments import _pieces_by_set, pieces, tokens
from newsdesk.annotations import text as textrules

PARTS = st.sampled_from(list("ab c.\n,日本語'’") + ["👨‍👩‍👧", "🇯🇵", "👍🏽", "e\u0301", " \u0301", "مرحبا", "U.S.", "1,000",
                                                 "  ", "\t", "\u00a0", "\r\n", "\u2028",
                                                 "\u0600", "\u200d", "\ufe0f", "\x1c", "a.m.", "don't", "ก\u0e33"])


@settings(max_examples=200, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=30).map("".join), st.lists(st.integers(-2, 80), max_size=6))
def test_one_pass_pieces_equal_the_cuts_by_definition(text, cuts):
    expected = _pieces_by_set(text, textrules.tokens(text), [c for c in cuts if 0 < c < len(text)])
    assert pieces(text, cuts) == expected


@settings(max_examples=300, deadline=None)
@given(st.lists(PARTS, min_size=1, max_size=30).map("".join))
def test_word_by_word_tokens_equal_the_tokens_of_the_whole_text(text):
    assert tokens(text) == textrules.tokens(text)
    assert tokens(text) == textrules.tokens(text)  # and again, from the memo


def test_prodigy_lines_are_exactly_what_json_writes_for_the_task(store, library):
    import io
    import json

    from newsdesk.annotations.exporting import select_records
    from newsdesk.annotations.formats.prodigy import task_object, write_prodigy
    from newsdesk.annotations.formats.record import ExportContext

    records = list(select_records(store, library))
    out = io.StringIO()
    write_prodigy(records, out, ExportContext(topics=("A", "B")))
    dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
    expected = [dumps(task_object(r, ExportContext(topics=("A", "B")))) for r in records]
    assert out.getvalue().splitlines() == expected


def test_the_lean_docbin_loads_the_same_docs_as_spacys_own_add(store, library, tmp_path):
    import pytest

    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc, DocBin

    from newsdesk.annotations.exporting import select_records
    from newsdesk.annotations.formats.record import ExportContext
    from newsdesk.annotations.formats.spacy_docbin import _doc_and_words, _lean_add

    vocab = spacy.blank("xx").vocab
    own, lean = DocBin(attrs=["ORTH"], store_user_data=True), DocBin(attrs=["ORTH"], store_user_data=True)
    add = _lean_add(lean)
    assert add is not None
    for record in select_records(store, library):
        doc, words = _doc_and_words(record, ExportContext(topics=("Asia", "Politics")), vocab, Doc)
        own.add(doc)
        add(doc, words)
    fresh = spacy.blank("xx").vocab
    for a, b in zip(DocBin().from_bytes(own.to_bytes()).get_docs(fresh), DocBin().from_bytes(lean.to_bytes()).get_docs(fresh), strict=True):
        assert [(t.text, t.whitespace_) for t in a] == [(t.text, t.whitespace_) for t in b]
        assert [(s.start_char, s.end_char, s.label_) for s in a.spans["sc"]] == [(s.start_char, s.end_char, s.label_) for s in b.spans["sc"]]
        assert (a.cats, a.user_data) == (b.cats, b.user_data)
