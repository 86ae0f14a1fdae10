"""Importing: files from newsdesk, Prodigy and doccano come back as the same spans, never clobbering."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.annotations import text as textrules
from newsdesk.annotations.corpus import Library
from newsdesk.annotations.exporting import export
from newsdesk.annotations.importing import ImportRefused, import_spans
from newsdesk.annotations.model import Article, Span
from newsdesk.annotations.store import Store

from articles import article_with, write_nasty

ROUND_TRIP_FORMATS = ["json", "jsonl", "prodigy", "doccano"]


def shape(spans) -> list[tuple]:
    """What a round trip must keep, in a comparable order."""
    return sorted((s.article_id, s.start, s.end, s.text, s.topics, s.note, s.annotator) for s in spans)


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
def test_export_then_import_into_an_empty_store_gives_the_same_spans(store, library, tmp_path, name):
    target = tmp_path / f"out.{name}"
    export(store, library, name, target)
    with Store(tmp_path / "fresh.json") as fresh:
        report = import_spans(fresh, library, target)
        assert shape(fresh.iter_spans()) == shape(store.iter_spans())
        assert {s.id for s in fresh.iter_spans()} == {s.id for s in store.iter_spans()}
        assert (report.added, report.skipped, report.reanchored) == (len(list(store.iter_spans())), 0, 0)
        cjk = article_with(library, "高市首相")
        assert fresh.doc_topics(cjk.id).topics == ("Politics", "Asia")
        assert "defence and security" in {t.name for t in fresh.topics()}


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
def test_importing_the_same_file_twice_adds_nothing_the_second_time(store, library, tmp_path, name):
    target = tmp_path / f"out.{name}"
    export(store, library, name, target)
    report = import_spans(store, library, target)
    assert report.added == 0
    assert report.skipped == report.already_present == len(list(store.iter_spans()))
    assert any("already in the store" in reason for reason in report.reasons)


def test_identical_spans_without_ids_are_skipped_as_duplicates(store, library, tmp_path):
    emoji = article_with(library, "👨‍👩‍👧")
    family = emoji.text.index("👨‍👩‍👧")
    plain = tmp_path / "doccano.jsonl"
    plain.write_text(json.dumps({"text": emoji.text, "label": [[family, family + len("👨‍👩‍👧"), "People"], [0, 3, "New"]]}) + "\n", "utf-8")
    report = import_spans(store, library, plain, annotator="cy")
    assert (report.added, report.duplicates) == (1, 1)
    added = [s for s in store.spans_for(emoji.id) if s.topics == ("New",)]
    assert [(s.text, s.annotator) for s in added] == [(emoji.text[:3], "cy")]


def test_records_are_matched_by_text_hash_or_text_when_the_id_is_unknown(store, library, tmp_path):
    marks = article_with(library, "n\u0303oquis")
    at = marks.text.index("Kyo\u0304to")
    lines = [
        {"text": marks.text, "article_id": "0000000000000000", "label": [[at, at + 6, "Places"]]},
        {"format": "newsdesk", "version": 1, "id": "ffffffffffffffff", "text_sha256": marks.text_sha256,
         "text": "stale copy", "spans": [{"id": "x1", "start": at, "end": at + 6, "text": "Kyo\u0304to",
                                        "topics": ["Kyoto"], "note": "", "annotator": "", "created": "", "updated": ""}]},
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), "utf-8")
    report = import_spans(store, library, path)
    assert report.added == 2 and report.skipped == 0
    assert {s.topics for s in store.spans_for(marks.id) if s.text == "Kyo\u0304to"} == {("Places",), ("Kyoto",)}


def _newsdesk_line(article_id: str, old_text: str, spans: list[tuple[int, int, str]]) -> str:
    return json.dumps({
        "format": "newsdesk", "version": 1, "id": article_id, "text": old_text,
        "spans": [{"id": f"s{i}", "start": s, "end": e, "text": old_text[s:e], "topics": [topic],
                   "note": "", "annotator": "ana", "created": "", "updated": ""} for i, (s, e, topic) in enumerate(spans)],
    }, ensure_ascii=False) + "\n"


def test_spans_whose_text_moved_are_re_anchored_when_unambiguous(tmp_path, library):
    seed = article_with(library, "Takaichi echoed")
    text = seed.text
    # The file was written against an older text with a paragraph more at the top.
    old = "An extra opening paragraph. Takaichi echoed nothing.\n\n" + text
    shift = len(old) - len(text)
    unique = text.index("two-plus-two")
    second = text.index("Starmer", text.index("Starmer") + 1)  # "Starmer" occurs several times
    gone = (0, 26, "Gone")  # only in the old paragraph
    line = _newsdesk_line(seed.id, old, [
        (unique + shift, unique + shift + 12, "Defence"),
        (second + shift, second + shift + 7, "People"),
        gone,
    ])
    path = tmp_path / "old.jsonl"
    path.write_text(line, "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        got = {s.topics[0]: (s.start, s.end, s.text) for s in store.spans_for(seed.id)}
    assert got == {
        "Defence": (unique, unique + 12, "two-plus-two"),
        "People": (second, second + 7, "Starmer"),  # its context singles it out
    }
    assert (report.added, report.reanchored, report.skipped) == (2, 2, 1)
    assert any("is no longer in the article" in r and "line 1" in r for r in report.reasons)


def test_an_ambiguous_span_is_reported_and_skipped(tmp_path, library):
    emoji = article_with(library, "👨‍👩‍👧")
    path = tmp_path / "amb.jsonl"
    # " a" appears in the article several times and the old text has no context around it.
    path.write_text(_newsdesk_line(emoji.id, "x a", [(1, 3, "Word")]), "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        assert store.span_count() == 0
    assert report.skipped == 1 and "occurs" in report.reasons[0]


def test_utf16_offsets_from_other_tools_are_re_anchored_by_their_text(tmp_path, library):
    emoji = article_with(library, "👍🏽")
    at = emoji.text.index("👍🏽")
    utf16 = len(emoji.text[:at].encode("utf-16-le")) // 2  # what doccano's web UI counts (#2290)
    path = tmp_path / "utf16.jsonl"
    line = {"format": "newsdesk", "version": 1, "id": emoji.id, "text": emoji.text,
            "spans": [{"id": "u1", "start": utf16, "end": utf16 + 4, "text": "👍🏽", "topics": ["Mood"],
                       "note": "", "annotator": "", "created": "", "updated": ""}]}
    path.write_text(json.dumps(line, ensure_ascii=False) + "\n", "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        [span] = store.spans_for(emoji.id)
    assert (span.start, span.end, span.text, report.reanchored) == (at, at + 2, "👍🏽", 1)


def test_offsets_inside_a_grapheme_are_snapped(tmp_path, library):
    emoji = article_with(library, "🇯🇵")
    at = emoji.text.index("🇯🇵")
    path = tmp_path / "half.jsonl"
    path.write_text(json.dumps({"text": emoji.text, "label": [[at, at + 1, "Places"]]}, ensure_ascii=False) + "\n", "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        [span] = store.spans_for(emoji.id)
    assert (span.start, span.end, span.text, report.snapped) == (at, at + 2, "🇯🇵", 1)


def test_spans_for_articles_not_in_the_library_are_reported(tmp_path, library):
    path = tmp_path / "elsewhere.jsonl"
    path.write_text(json.dumps({"text": "Some other article entirely.", "label": [[0, 4, "X"]]}) + "\n", "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
    assert report.added == 0 and report.skipped == 1 and "not in the library" in report.reasons[0]


@pytest.mark.parametrize(
    ("content", "where", "fault"),
    [
        ('{"text": "a", "label": []}\n{"text": "b", "label": [[0, 1, "X"]]}\nnot json\n', "bad.jsonl:3: ", "not JSON"),
        ('{"text": "a", "label": [[0, "one", "X"]]}\n', "bad.jsonl:1: ", "[start, end"),
        ('{"what": 1}\n', "bad.jsonl:1: ", "not a newsdesk, Prodigy, doccano or Label Studio record"),
        ('{"format": "newsdesk", "version": 1, "exported": "", "articles": [{"text": 3}]}', ":1: article 1", '"text"'),
        ('{"format": "newsdesk", "version": 7, "exported": "", "articles": []}', "", "version 7"),
        ("[1, 2]", "", "JSON list"),
    ],
)
def test_bad_files_are_refused_in_one_line_naming_the_file_and_line(tmp_path, library, content, where, fault):
    path = tmp_path / "bad.jsonl"
    path.write_text(content, "utf-8")
    with Store(tmp_path / "db.json") as store:
        with pytest.raises(ImportRefused) as refused:
            import_spans(store, library, path)
        assert store.span_count() == 0
    message = str(refused.value)
    assert "\n" not in message and str(path) in message and fault in message
    assert where in message


def test_an_empty_file_imports_nothing(tmp_path, library):
    path = tmp_path / "empty.jsonl"
    path.write_text("\n", "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
    assert (report.added, report.skipped, report.reasons) == (0, 0, [f"{path} holds no records"])


def test_a_file_that_is_not_utf8_is_refused(tmp_path, library):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes('{"text": "caf\u00e9"}'.encode("latin-1"))
    with Store(tmp_path / "db.json") as store, pytest.raises(ImportRefused, match="not UTF-8"):
        import_spans(store, library, path)


TOPIC_NAMES = ["People", "Places", "defence and security", "話題 日本", "🙂 mood", "Ünïcode"]


@st.composite
def span_sets(draw, articles: list[Article]) -> list[Span]:
    spans: list[Span] = []
    keys = set()
    for _ in range(draw(st.integers(1, 8))):
        article = draw(st.sampled_from(articles))
        n = len(article.text)
        a, b = draw(st.integers(0, n)), draw(st.integers(0, n))
        start, end = textrules.snap_span(article.text, min(a, b), max(a, b))
        if end <= start:
            continue
        topics = tuple(draw(st.lists(st.sampled_from(TOPIC_NAMES), min_size=1, max_size=3, unique=True)))
        key = (article.id, start, end, tuple(sorted(topics)))
        if key in keys:
            continue
        keys.add(key)
        note = draw(st.text(st.characters(blacklist_categories=("Cs",)), max_size=12))
        spans.append(Span.create(article, start, end, topics, note=note, annotator=draw(st.sampled_from(["", "ana", "bo"]))))
    return spans


@pytest.fixture(scope="module")
def nasty_library(tmp_path_factory):
    return Library.open(write_nasty(tmp_path_factory.mktemp("nasty")), cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.mark.parametrize("name", ROUND_TRIP_FORMATS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_spans_survive_a_round_trip(nasty_library, name, data):
    articles = [nasty_library.load(e.id) for e in nasty_library.entries]
    spans = data.draw(span_sets(articles))
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        with Store(folder / "a.json") as source, Store(folder / "b.json") as target:
            source.add_spans(spans)
            export(source, nasty_library, name, folder / "out")
            report = import_spans(target, nasty_library, folder / "out")
            assert report.skipped == 0, report.reasons
            assert shape(target.iter_spans()) == shape(spans)
