"""Bad import files get one line, `FILE:LINE: reason`, and change nothing; an import lands whole or not at all."""

from __future__ import annotations

import errno
import json
import os
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.annotations import store as store_module
from newsdesk.annotations.corpus import Library
from newsdesk.annotations.importing import ImportRefused, import_spans
from newsdesk.annotations.model import clean_label
from newsdesk.annotations.store import Store, StoreError
from newsdesk.tui.cli import main

from articles import article_with, write_nasty

TEXT = "The family waved flags and smiled."

# What fuzzing 4,300 files found (issue 10, item 5), each once a traceback or odd data.
FOUND_BY_FUZZING = {
    "doc_topics a number": ({"text": TEXT, "label": [], "doc_topics": 5}, '"doc_topics" must be a list'),
    "entities a number": ({"text": TEXT, "entities": 5}, '"entities" must be a list'),
    "span topics a number": (
        {"format": "newsdesk", "version": 1, "text": TEXT, "spans": [{"start": 0, "end": 3, "topics": 5}]},
        'span 0 "topics" must be a list',
    ),
    "doc_topics an object's topics a number": (
        {"format": "newsdesk", "version": 1, "text": TEXT, "doc_topics": {"topics": 5}}, '"doc_topics" "topics" must be a list'
    ),
    "doc_topics a string": ({"text": TEXT, "label": [], "doc_topics": "xyz"}, '"doc_topics" must be a list'),
    "accept of odd values": (
        {"text": TEXT, "spans": [], "options": [], "accept": [1, None, {"a": 1}]}, '"accept" item 0 must be a string'
    ),
    "a blank topic": ({"text": TEXT, "label": [" "]}, "label 0 is empty"),
    "a NUL label": ({"text": TEXT, "label": [[0, 3, "\u0000"]]}, "label 0 label is empty"),
    "a float offset": ({"text": TEXT, "label": [[0.5, 3, "X"]]}, '"start" must be a whole number, not a number with a fraction'),
    "true as an offset": ({"text": TEXT, "spans": [{"start": True, "end": 3, "label": "X"}]}, '"start" must be a whole number, not true'),
    "a note that is a list": (
        {"format": "newsdesk", "version": 1, "text": TEXT, "spans": [{"start": 0, "end": 3, "topics": ["X"], "note": []}]},
        'span 0 "note" must be a string, not a list',
    ),
    "done as a string": ({"format": "newsdesk", "version": 1, "text": TEXT, "done": "yes"}, '"done" must be true or false'),
    "a Label Studio result without offsets": (
        [{"data": {"text": TEXT}, "annotations": [{"result": [{"type": "labels", "value": {"labels": ["X"]}}]}]}],
        '"start" must be a whole number, not null',
    ),
}


def write(path: Path, content: object) -> Path:
    path.write_text(content if isinstance(content, str) else json.dumps(content), "utf-8")
    return path


@pytest.mark.parametrize("case", sorted(FOUND_BY_FUZZING))
def test_a_field_of_the_wrong_type_or_value_is_refused_naming_it(tmp_path, library, case):
    record, reason = FOUND_BY_FUZZING[case]
    path = write(tmp_path / "bad.jsonl", record)
    with Store(tmp_path / "db.json") as store:
        topics_before = store.topics()
        with pytest.raises(ImportRefused) as refused:
            import_spans(store, library, path)
        assert store.span_count() == 0 and store.topics() == topics_before
    message = str(refused.value)
    assert message.startswith(f"{path}:1: ") and reason in message and "\n" not in message


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("deep nesting", "[" * 5000 + "]" * 5000, "nested too deeply"),
        ("a 5,000-digit offset", '{"text": "abc", "label": [[0, ' + "9" * 5000 + ', "X"]]}', "number too long"),
        ("a lone surrogate in the text", '{"text": "caf\\ud800", "label": []}', "lone surrogate"),
        ("a lone surrogate in a label", '{"text": "cafe", "label": [[0, 2, "A\\udc00"]]}', "lone surrogate"),
        ("a lone surrogate in a note",
         '{"format": "newsdesk", "version": 1, "text": "cafe", "spans": [{"start": 0, "end": 2, "topics": ["A"], "note": "\\ud83d"}]}',
         "lone surrogate"),
    ],
    ids=lambda value: value if isinstance(value, str) and len(value) < 40 else "",
)
def test_the_cli_refuses_what_broke_it_in_one_line(capsys, tmp_path, name, content, reason):
    path = write(tmp_path / "bad.jsonl", content)
    db = tmp_path / "db.json"
    assert main(["import-spans", str(path), "--db", str(db)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "unexpected error" not in err, err
    assert err.startswith(f"newsdesk: {path}:1: ") and reason in err
    assert main(["topics", "--db", str(db)]) == 0  # and the store still works


def test_a_surrogate_pair_written_as_escapes_is_text(tmp_path, library):
    emoji = article_with(library, "😀")
    at = emoji.text.index("Smiles")
    line = json.dumps({"text": emoji.text, "label": [[at, at + 6, "Mood \U0001f600"]]})  # ensure_ascii: \ud83d\ude00
    assert "\\ud83d" in line
    path = write(tmp_path / "ascii.jsonl", line + "\n")
    with Store(tmp_path / "db.json") as store:
        import_spans(store, library, path)
        assert [s.topics for s in store.spans_for(emoji.id)] == [("Mood \U0001f600",)]


def test_a_refusal_names_the_line_of_the_bad_record(tmp_path, library):
    good = {"text": TEXT, "label": []}
    path = write(tmp_path / "third.jsonl", "\n".join(json.dumps(r) for r in (good, good, {"text": TEXT, "label": [[0, 3, 7]]})))
    with Store(tmp_path / "db.json") as store, pytest.raises(ImportRefused) as refused:
        import_spans(store, library, path)
    assert str(refused.value) == f"{path}:3: label 0 label must be a string, not a whole number"


def test_a_bad_task_in_a_label_studio_list_is_refused_at_its_line(tmp_path, library):
    tasks = [{"data": {"text": TEXT}, "annotations": []}, {"data": {"text": 5}, "annotations": []}]
    path = write(tmp_path / "tasks.json", "[\n" + ",\n".join(json.dumps(t) for t in tasks) + "\n]\n")
    with Store(tmp_path / "db.json") as store, pytest.raises(ImportRefused) as refused:
        import_spans(store, library, path)
    assert str(refused.value).startswith(f"{path}:3: item 2: ")


# --- all or nothing ------------------------------------------------------------------------------


def test_a_full_disk_during_an_import_leaves_neither_topics_nor_spans(tmp_path, library, monkeypatch):
    emoji = article_with(library, "👨‍👩‍👧")
    path = write(tmp_path / "new.jsonl", {
        "format": "newsdesk", "version": 1, "text": emoji.text, "done": True,
        "doc_topics": {"topics": ["Brand new doc topic"], "annotator": "", "updated": ""},
        "spans": [{"start": 0, "end": 3, "topics": ["Brand new topic"]}],
    })
    db = tmp_path / "db.json"
    real_write = os.write

    def disk_full_for_spans(fd, data):
        if b'"table":"spans"' in bytes(data):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_write(fd, data)

    with Store(db) as store:
        before = store.topics()
        monkeypatch.setattr(store_module.os, "write", disk_full_for_spans)
        with pytest.raises(StoreError, match="No space left"):
            import_spans(store, library, path)
        monkeypatch.setattr(store_module.os, "write", real_write)
        assert store.topics() == before and store.span_count() == 0
    with Store(db, readonly=True) as store:  # and so on disk
        assert store.topics() == before and store.span_count() == 0
        assert not store.is_done(emoji.id) and store.doc_topics(emoji.id).topics == ()


def test_an_import_is_one_journal_append(tmp_path, library, monkeypatch):
    emoji = article_with(library, "👨‍👩‍👧")
    path = write(tmp_path / "new.jsonl", {
        "format": "newsdesk", "version": 1, "text": emoji.text, "done": True,
        "doc_topics": {"topics": ["Doc topic"]}, "spans": [{"start": 0, "end": 3, "topics": ["New topic"]}],
    })
    syncs = []
    real_fsync = os.fsync
    with Store(tmp_path / "db.json") as store:
        monkeypatch.setattr(store_module.os, "fsync", lambda fd: (syncs.append(fd), real_fsync(fd)))
        report = import_spans(store, library, path)
        monkeypatch.setattr(store_module.os, "fsync", real_fsync)
        assert store.is_done(emoji.id) and store.doc_topics(emoji.id).topics == ("Doc topic",)
    assert len(syncs) == 1 and report.topics_added == ["New topic", "Doc topic"]


# --- the fuzzer ------------------------------------------------------------------------------------

SCALARS = (
    st.none() | st.booleans() | st.integers(-3, 10**6) | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6) | st.sampled_from(["", " ", "\u0000", "\x1b[2J", "People", "xyz", "\ud800"])
)
# Mostly a wrong type or a wrong value in one place, sometimes a small structure.
JSON_VALUES = SCALARS | st.lists(SCALARS, max_size=3) | st.recursive(
    SCALARS, lambda children: st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3),
    max_leaves=6,
)


def _seeds(text: str) -> list:
    span = {"id": "a" * 32, "start": 4, "end": 10, "text": text[4:10], "topics": ["People"], "note": "n",
            "annotator": "ana", "created": "", "updated": ""}
    return [
        {"format": "newsdesk", "version": 1, "text": text, "done": True, "spans": [span],
         "doc_topics": {"topics": ["Doc"], "annotator": "", "updated": ""}},
        {"text": text, "spans": [{"start": 4, "end": 10, "label": "People"}], "answer": "accept",
         "options": [{"id": "Doc", "text": "Doc"}], "accept": ["Doc"], "meta": {"id": "x"}},
        {"text": text, "label": [[4, 10, "People"], "Doc"], "done": True},
        [{"data": {"text": text}, "annotations": [{"result": [
            {"id": "r", "type": "labels", "value": {"start": 4, "end": 10, "text": text[4:10], "labels": ["People"]}},
            {"id": "r", "type": "textarea", "value": {"start": 4, "end": 10, "text": ["a note"]}},
            {"type": "choices", "value": {"choices": ["Doc"]}}]}], "predictions": []}],
    ]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for child in value.values():
            yield from _strings(child)
    elif isinstance(value, list):
        for child in value:
            yield from _strings(child)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, prefix + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, prefix + (index,))


def _replace(value, path, new):
    if not path:
        return new
    copy = list(value) if isinstance(value, list) else dict(value)
    copy[path[0]] = _replace(value[path[0]], path[1:], new)
    return copy


@pytest.fixture(scope="module")
def small_library(tmp_path_factory):
    return Library.open(write_nasty(tmp_path_factory.mktemp("fuzz")), cache_dir=tmp_path_factory.mktemp("cache"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_fuzzed_import_files_are_imported_right_or_refused_in_one_line(small_library, data):
    article = small_library.load(small_library.entries[data.draw(st.integers(0, len(small_library.entries) - 1))].id)
    record = data.draw(st.sampled_from(_seeds(article.text)))
    for _ in range(data.draw(st.integers(0, 2))):
        path = data.draw(st.sampled_from(list(_paths(record))[1:]))
        record = _replace(record, path, data.draw(JSON_VALUES))
    content = json.dumps(record, ensure_ascii=data.draw(st.booleans()), indent=data.draw(st.sampled_from([None, 2])))
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "fuzz.json"
        file.write_text(content, "utf-8", errors="surrogatepass")
        with Store(Path(folder) / "db.json") as store:
            topics_before = {t.name for t in store.topics()}
            try:
                report = import_spans(store, small_library, file)
            except ImportRefused as refused:
                message = str(refused)
                assert message.startswith(str(file)) and "\n" not in message
                assert store.span_count() == 0 and {t.name for t in store.topics()} == topics_before
                return
            assert report.added == store.span_count()
            named = {clean_label(value) for value in _strings(record)}  # a topic is a name the file gave
            assert {t.name for t in store.topics()} <= topics_before | named
            texts = {e.id: small_library.load(e.id).text for e in small_library.entries}
            for span in store.iter_spans():
                assert texts[span.article_id][span.start:span.end] == span.text
                assert span.topics and all(t.strip() and "\x1b" not in t for t in span.topics)
                (span.text + span.note + "".join(span.topics)).encode("utf-8")  # no lone surrogate got in
            for topic in store.topics():
                assert topic.name.strip()
                topic.name.encode("utf-8")
