"""A large import does only the work it needs: no article file read when the record carries the
article's text, grapheme rules only where an offset is not plainly a boundary, one write."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations import text as textrules
from newsdesk.annotations.exporting import export
from newsdesk.annotations.importing import import_spans, placing
from newsdesk.annotations.store import Store

from articles import NASTY


def test_records_that_carry_their_article_text_read_no_article_file(store, library, tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    export(store, library, "jsonl", target)
    loads = []
    real_load = library.load
    monkeypatch.setattr(library, "load", lambda article_id: loads.append(article_id) or real_load(article_id))
    with Store(tmp_path / "fresh.json") as fresh:
        report = import_spans(fresh, library, target)
        assert fresh.span_count() == store.span_count() == report.added
    assert loads == []


def test_a_record_whose_text_changed_since_reads_its_article(library, tmp_path, monkeypatch):
    entry = library.entries[0]
    article = library.load(entry.id)
    word = article.text.split()[1]
    at = article.text.index(word)
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps({"format": "newsdesk", "version": 1, "id": entry.id, "text": "Older: " + article.text,
                                "spans": [{"start": at + 7, "end": at + 7 + len(word), "topics": ["W"]}]}) + "\n", "utf-8")
    loads = []
    real_load = library.load
    monkeypatch.setattr(library, "load", lambda article_id: loads.append(article_id) or real_load(article_id))
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        [span] = store.spans_for(entry.id)
    assert loads == [entry.id] and span.text == word and report.reanchored == 1


def test_offsets_already_on_a_boundary_are_not_snapped(store, library, tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    export(store, library, "doccano", target)
    calls = []
    for name in ("snap_start", "snap_end"):
        real = getattr(textrules, name)
        monkeypatch.setattr(textrules, name, lambda text, i, real=real: calls.append(i) or real(text, i))
    with Store(tmp_path / "fresh.json") as fresh:
        report = import_spans(fresh, library, target)
    assert report.added == store.span_count() and report.snapped == 0 and calls == []


TEXTS = list(NASTY.values()) + ["a\r\nb", "\u0600\u0661x", "ก\u0e33 ", "क्\u200dष ", "🇯🇵🇬🇧a", "e\u0301 ", "각\u11a8 "]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TEXTS), st.data())
def test_the_quick_boundary_test_agrees_with_the_grapheme_rules(text, data):
    i = data.draw(st.integers(0, len(text)))
    assert placing.on_boundary(text, i) == textrules.is_boundary(text, i)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), st.data())
def test_utf16_offsets_convert_to_the_same_characters(text, data):
    i = data.draw(st.integers(0, len(text)))
    convert = placing._utf16_converter(text)
    units = len(text[:i].encode("utf-16-le")) // 2
    assert convert(units) == i
