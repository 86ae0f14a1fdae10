"""Importing the peers' files: Label Studio in, done marks back, UTF-16 offsets, one object over many lines."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.annotations.exporting import export
from newsdesk.annotations.importing import ImportRefused, import_spans
from newsdesk.annotations.model import DocTopics
from newsdesk.annotations.store import Store

from articles import article_with


def shape(spans) -> list[tuple]:
    return sorted((s.article_id, s.start, s.end, s.text, s.topics, s.note, s.annotator) for s in spans)


def write_jsonl(path: Path, *records: dict) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


def utf16(text: str, i: int) -> int:
    """What an offset is in UTF-16 code units (doccano's and Label Studio's older web UIs)."""
    return len(text[:i].encode("utf-16-le")) // 2


# --- Label Studio ------------------------------------------------------------------------------


def test_newsdesks_own_label_studio_file_comes_back_as_the_same_spans(store, library, tmp_path):
    target = tmp_path / "tasks.json"
    export(store, library, "label-studio", target)
    with Store(tmp_path / "fresh.json") as fresh:
        report = import_spans(fresh, library, target)
        # Label Studio credits whole annotations, not spans: who made each span is not in the file.
        assert [row[:6] for row in shape(fresh.iter_spans())] == [row[:6] for row in shape(store.iter_spans())]
        assert {s.id for s in fresh.iter_spans()} == {s.id for s in store.iter_spans()}
        cjk = article_with(library, "高市首相")
        assert fresh.doc_topics(cjk.id).topics == ("Politics", "Asia")
    assert report.format == "label-studio" and report.skipped == 0


def label_studio_task(text: str, regions: list[tuple[int, int, str]], **extra) -> dict:
    """A task as Label Studio 1.23's JSON export writes it (ids and users are Label Studio's own)."""
    return {
        "id": 17,
        "data": {"text": text},
        "annotations": [{
            "id": 4, "completed_by": {"id": 1, "email": "ana@example.org"}, "was_cancelled": False,
            "created_at": "2026-05-01T10:00:00.000000Z", "updated_at": "2026-05-01T10:05:00.000000Z",
            "result": [
                {"id": f"r{n}", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual",
                 "value": {"start": s, "end": e, "text": text[s:e], "labels": [topic]}}
                for n, (s, e, topic) in enumerate(regions)
            ] + [{"id": "r0", "from_name": "note", "to_name": "text", "type": "textarea",
                  "value": {"start": regions[0][0], "end": regions[0][1], "text": ["first one"]}},
                 {"id": "rel", "from_id": "r0", "to_id": "r1", "type": "relation", "direction": "right"},
                 {"id": "c", "from_name": "topic", "to_name": "text", "type": "choices", "value": {"choices": ["Summits"]}}],
        }],
        "predictions": [{"model_version": "ner-v2", "score": 0.5, "result": [
            {"id": "p0", "from_name": "label", "to_name": "text", "type": "labels",
             "value": {"start": 0, "end": 3, "text": text[0:3], "labels": ["Guess"]}}]}],
        **extra,
    }


def test_a_label_studio_json_export_is_read_with_notes_annotators_and_document_topics(library, tmp_path):
    seed = article_with(library, "Starmer")
    text = seed.text
    at = text.index("Starmer")
    tokyo = text.index("Tokyo")
    path = tmp_path / "project-1-at-2026.json"
    path.write_text(json.dumps([label_studio_task(text, [(at, at + 7, "People"), (tokyo, tokyo + 5, "Places")])], indent=1), "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        spans = {s.topics: s for s in store.spans_for(seed.id)}
        assert set(spans) == {("People",), ("Places",)}
        assert (spans[("People",)].text, spans[("People",)].note, spans[("People",)].annotator) == ("Starmer", "first one", "ana@example.org")
        assert spans[("People",)].created == "2026-05-01T10:00:00.000000Z"
        assert store.doc_topics(seed.id).topics == ("Summits",)
        assert [(s.text, s.topics, s.source) for s in store.suggestions_for(seed.id)] == [(text[0:3], ("Guess",), "model")]
    assert (report.added, report.suggestions) == (2, 1)
    assert any("1 Label Studio result of other kinds" in r for r in report.reasons)


def test_a_cancelled_label_studio_annotation_is_left_out(library, tmp_path):
    seed = article_with(library, "Starmer")
    at = seed.text.index("Starmer")
    task = label_studio_task(seed.text, [(at, at + 7, "People")])
    task["annotations"][0]["was_cancelled"] = True
    path = tmp_path / "cancelled.json"
    path.write_text(json.dumps([task]), "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        assert store.span_count() == 0
    assert any("1 cancelled annotation left out" in r for r in report.reasons)


def test_a_label_studio_json_min_export_is_read(library, tmp_path):
    seed = article_with(library, "Starmer")
    text = seed.text
    at = text.index("Starmer")
    rows = [{"text": text, "id": 17, "annotator": "bo@example.org", "annotation_id": 4,
             "created_at": "2026-05-01T10:00:00Z", "updated_at": "2026-05-01T10:00:00Z", "lead_time": 3.2,
             "label": [{"start": at, "end": at + 7, "text": "Starmer", "labels": ["People", "Politics"]}],
             "topic": {"choices": ["Summits"]}}]
    path = tmp_path / "min.json"
    path.write_text(json.dumps(rows), "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        [span] = store.spans_for(seed.id)
        assert (span.text, span.topics, span.annotator) == ("Starmer", ("People", "Politics"), "bo@example.org")
        assert store.doc_topics(seed.id).topics == ("Summits",)
    assert report.format == "label-studio"


# --- done marks ---------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["json", "jsonl"])
def test_done_marks_come_back_from_newsdesks_own_files(store, library, tmp_path, name):
    emoji = article_with(library, "👨‍👩‍👧")
    assert store.is_done(emoji.id)
    target = tmp_path / f"out.{name}"
    export(store, library, name, target)
    with Store(tmp_path / "fresh.json") as fresh:
        report = import_spans(fresh, library, target)
        assert fresh.is_done(emoji.id)
        assert [a.id for a in (article_with(library, "高市首相"),) if fresh.is_done(a.id)] == []
    assert report.done_set == 1 and "1 article marked done" in report.summary()


def test_done_marks_survive_a_round_trip_through_doccano(store, library, tmp_path):
    emoji = article_with(library, "👨‍👩‍👧")
    assert store.is_done(emoji.id)
    target = tmp_path / "out.doccano.jsonl"
    export(store, library, "doccano", target)
    with Store(tmp_path / "fresh.json") as fresh:
        import_spans(fresh, library, target)
        assert fresh.is_done(emoji.id)
        assert not fresh.is_done(article_with(library, "高市首相").id)


def test_a_done_mark_comes_back_from_a_doccano_file(library, tmp_path):
    emoji = article_with(library, "👨‍👩‍👧")
    path = write_jsonl(tmp_path / "doccano.jsonl", {"text": emoji.text, "label": [[0, 3, "New"]], "done": True})
    with Store(tmp_path / "db.json") as store:
        import_spans(store, library, path)
        assert store.is_done(emoji.id)


# --- UTF-16 offsets and graphemes -----------------------------------------------------------------


def test_utf16_offsets_without_quoted_text_are_detected_and_converted(library, tmp_path):
    emoji = article_with(library, "👍🏽")
    text = emoji.text
    words = ["waved", "thumbs", "summit", "stayed"]  # each after an astral emoji
    at = {w: text.index(w) for w in words}
    labels = [[utf16(text, at[w]), utf16(text, at[w] + len(w)), "Word"] for w in words]
    assert any(label[0] != at[w] for label, w in zip(labels, words))
    path = write_jsonl(tmp_path / "doccano-web.jsonl", {"text": text, "label": labels})
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        assert sorted(s.text for s in store.spans_for(emoji.id)) == sorted(words)
    assert report.utf16 == 4
    assert "from UTF-16 offsets" in report.summary()
    assert any("UTF-16" in r for r in report.reasons)


def test_code_point_offsets_in_a_text_with_emoji_are_not_taken_for_utf16(library, tmp_path):
    emoji = article_with(library, "👍🏽")
    text = emoji.text
    words = ["waved", "thumbs", "summit"]
    labels = [[text.index(w), text.index(w) + len(w), "Word"] for w in words]
    path = write_jsonl(tmp_path / "prodigy-like.jsonl", {"text": text, "label": labels})
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        assert sorted(s.text for s in store.spans_for(emoji.id)) == sorted(words)
    assert report.utf16 == 0 and "UTF-16" not in report.summary()


def test_utf16_offsets_with_quoted_text_are_converted_and_counted(library, tmp_path):
    emoji = article_with(library, "👍🏽")
    text = emoji.text
    at = text.index("Smiles")
    task = {"data": {"text": text}, "annotations": [{"result": [
        {"id": "a", "from_name": "label", "to_name": "text", "type": "labels",
         "value": {"start": utf16(text, at), "end": utf16(text, at + 6), "text": "Smiles", "labels": ["Mood"]}}]}]}
    path = tmp_path / "ls.json"
    path.write_text(json.dumps([task]), "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        [span] = store.spans_for(emoji.id)
    assert (span.start, span.text, report.utf16) == (at, "Smiles", 1)


def test_spans_widened_to_a_grapheme_boundary_are_counted_in_the_summary(library, tmp_path):
    emoji = article_with(library, "🇯🇵")
    at = emoji.text.index("🇯🇵")
    path = write_jsonl(tmp_path / "half.jsonl", {"text": emoji.text, "label": [[at, at + 1, "Places"]]})
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
    assert "1 span widened to a grapheme boundary" in report.summary()


# --- small things ---------------------------------------------------------------------------------


def test_a_span_id_repeated_inside_one_file_is_reported_as_such(library, tmp_path):
    seed = article_with(library, "Starmer")
    at = seed.text.index("Starmer")
    line = {"format": "newsdesk", "version": 1, "id": seed.id, "text": seed.text,
            "spans": [{"id": "same-id", "start": at, "end": at + 7, "text": "Starmer", "topics": ["People"]}]}
    path = write_jsonl(tmp_path / "twice.jsonl", line, line)
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        assert store.span_count() == 1
    assert report.repeated == 1 and report.already_present == 0
    assert not any("already in the store" in r for r in report.reasons)
    assert any("1 span repeated in" in r for r in report.reasons)


def test_a_pretty_printed_prodigy_task_is_accepted(library, tmp_path):
    seed = article_with(library, "Starmer")
    at = seed.text.index("Starmer")
    task = {"text": seed.text, "spans": [{"start": at, "end": at + 7, "label": "PERSON"}], "answer": "accept"}
    path = tmp_path / "task.json"
    path.write_text(json.dumps(task, indent=2), "utf-8")
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        assert [s.text for s in store.spans_for(seed.id)] == ["Starmer"]
    assert report.format == "prodigy"


def test_a_pretty_printed_bad_prodigy_task_is_refused_for_what_is_wrong(library, tmp_path):
    task = {"text": "x", "spans": [{"start": "zero", "end": 1, "label": "PERSON"}]}
    path = tmp_path / "task.json"
    path.write_text(json.dumps(task, indent=2), "utf-8")
    with Store(tmp_path / "db.json") as store, pytest.raises(ImportRefused) as refused:
        import_spans(store, library, path)
    assert str(refused.value) == f'{path}:1: span 0: "start" must be a whole number, not a string'


def test_counts_in_import_messages_read_as_people_write_them(library, tmp_path):
    seed = article_with(library, "Starmer")
    at = seed.text.index("Starmer")
    path = write_jsonl(tmp_path / "rejected.jsonl",
                       {"text": seed.text, "spans": [{"start": at, "end": at + 7, "label": "P"}], "answer": "reject"})
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
    assert any(r.endswith("(1 span skipped)") for r in report.reasons), report.reasons
    assert report.summary().startswith("imported 0 spans")


def test_a_label_studio_round_trip_keeps_annotators_done_marks_and_adds_no_empty_doc_topics(store, library, tmp_path):
    emptied = article_with(library, "👨‍👩‍👧")
    store.set_doc_topics(DocTopics(emptied.id))  # topics set, then cleared: an empty record
    target = tmp_path / "tasks.json"
    export(store, library, "label-studio", target)
    with Store(tmp_path / "fresh.json") as fresh:
        import_spans(fresh, library, target)
        assert shape(fresh.iter_spans()) == shape(store.iter_spans())
        assert any(s.annotator for s in fresh.iter_spans())
        done = [a.id for a in library if store.is_done(a.id)]
        assert done and all(fresh.is_done(article_id) for article_id in done)
        assert not fresh.is_done(article_with(library, "高市首相").id)
    doc_topics = json.loads((tmp_path / "fresh.json").read_text("utf-8"))["doc_topics"].values()
    assert [d["topics"] for d in doc_topics] == [["Politics", "Asia"]]
