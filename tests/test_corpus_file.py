"""Corpus files as libraries: JSONL, JSON, CSV/TSV and Parquet, one article a record."""

from __future__ import annotations

import csv
import json
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsdesk.annotations.corpus import ArticleRefused, Library
from newsdesk.annotations.sources import open_library
from newsdesk.annotations.corpus_file import CorpusFile, parse_field_overrides, FieldError
from newsdesk.annotations.model import article_id_for
from newsdesk.annotations.store import Store
from newsdesk.annotations.model import Span

RECORDS = [
    {"id": "a1", "headline": "Floods close the coast road", "body": "Rain fell for three days. The road shut.",
     "publish_date": "2026-02-01", "outlet": "Wire", "author": "Ann Lee", "tags": ["weather", "roads"]},
    {"id": "a2", "title": "Port strike ends", "text": "Dockers went back to work on Monday.", "date": "2026-01-15",
     "source": "Gazette", "url": "https://example.test/port"},
    {"id": "a3", "content": "No title here, the first line becomes one.\nSecond line."},
]


def write_jsonl(path: Path, records: list, extra_lines: tuple[str, ...] = ()) -> Path:
    lines = [json.dumps(record, ensure_ascii=False) for record in records] + list(extra_lines)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def open_corpus(path: Path, tmp_path: Path, **kwargs) -> CorpusFile:
    return CorpusFile.open(path, cache_dir=tmp_path / "cache", **kwargs)


def test_a_jsonl_corpus_opens_with_fields_found_by_their_common_names(tmp_path: Path):
    corpus = open_corpus(write_jsonl(tmp_path / "news.jsonl", RECORDS), tmp_path)
    titles = [entry.title for entry in corpus.entries]
    assert titles == ["Floods close the coast road", "Port strike ends", "No title here, the first line becomes one"]
    first = corpus.entries[0]
    assert (first.source, str(first.published)) == ("Wire", "2026-02-01")
    article = corpus.load(first.id)
    assert article.text == "Rain fell for three days. The road shut."
    assert article.id == article_id_for(article.text) == first.id
    assert article.meta == {"id": "a1", "author": "Ann Lee", "tags": '["weather", "roads"]'}
    assert corpus.load(corpus.entries[1].id).meta["url"] == "https://example.test/port"
    assert corpus.refused == []


def test_ids_are_content_hashes_so_a_reordered_reexport_keeps_its_spans(tmp_path: Path):
    first = open_corpus(write_jsonl(tmp_path / "one.jsonl", RECORDS), tmp_path)
    second = open_corpus(write_jsonl(tmp_path / "two.jsonl", list(reversed(RECORDS))), tmp_path)
    assert sorted(e.id for e in first.entries) == sorted(e.id for e in second.entries)


def test_a_broken_record_is_one_line_naming_file_and_line_and_the_rest_load(tmp_path: Path):
    path = write_jsonl(
        tmp_path / "broken.jsonl",
        RECORDS[:1],
        ('{"text": "unfinished', '{"title": "no text at all"}', '{"text": "   "}', '[1, 2]',
         json.dumps({"text": "x\x00" * 100}), json.dumps(RECORDS[0]), json.dumps(RECORDS[1])),
    )
    corpus = open_corpus(path, tmp_path)
    assert len(corpus.entries) == 2
    lines = [str(refusal) for refusal in corpus.refused]
    assert all(line.count("\n") == 0 for line in lines)
    assert lines[0].startswith(f"{path}:2: not valid JSON")
    assert lines[1].startswith(f"{path}:3: the record has no text field")
    assert lines[2].startswith(f"{path}:4: the text field 'text' is empty")
    assert lines[3].startswith(f"{path}:5: the record is a JSON list")
    assert lines[4].startswith(f"{path}:6: the text field looks like binary data")
    assert lines[5] == f"{path}:7: has the same text as line 1; the copy was skipped"


def test_a_huge_field_is_refused_not_loaded(tmp_path: Path, monkeypatch):
    from newsdesk.annotations import corpus_records

    monkeypatch.setattr(corpus_records, "MAX_FIELD_BYTES", 1000)
    path = write_jsonl(tmp_path / "huge.jsonl", [{"text": "word " * 1000}, RECORDS[1]])
    corpus = open_corpus(path, tmp_path)
    assert len(corpus.entries) == 1
    assert "over the" in str(corpus.refused[0]) and str(corpus.refused[0]).startswith(f"{path}:1:")


def test_field_overrides_choose_the_text_and_title(tmp_path: Path):
    records = [{"story": "The body is here.", "summary": "Short", "hed": "A headline", "text": "not this"}]
    path = write_jsonl(tmp_path / "odd.jsonl", records)
    corpus = open_corpus(path, tmp_path, fields=parse_field_overrides(["text=story", "title=hed"]))
    article = corpus.load(corpus.entries[0].id)
    assert (article.title, article.text) == ("A headline", "The body is here.")
    assert article.meta == {"summary": "Short", "text": "not this"}
    plain = open_corpus(path, tmp_path)  # a different mapping is a different index
    assert plain.load(plain.entries[0].id).text == "not this"


def test_a_bad_field_override_is_one_line():
    with pytest.raises(FieldError, match="must look like ROLE=NAME"):
        parse_field_overrides(["text"])
    with pytest.raises(FieldError, match="'colour' is not one of"):
        parse_field_overrides(["colour=red"])
    assert parse_field_overrides(["date=when"]) == {"published": "when"}


def test_json_lists_and_hugging_face_data_objects_with_lines(tmp_path: Path):
    listed = tmp_path / "list.json"
    listed.write_text(json.dumps(RECORDS[:2] + [{"title": "no text"}], indent=2), encoding="utf-8")
    corpus = open_corpus(listed, tmp_path)
    assert [e.title for e in corpus.entries] == ["Floods close the coast road", "Port strike ends"]
    assert str(corpus.refused[0]).startswith(f"{listed}:")
    line = int(str(corpus.refused[0]).split(":")[1])
    assert listed.read_text().split("\n")[line - 1].strip() == "{"
    assert corpus.load(corpus.entries[1].id).text == "Dockers went back to work on Monday."
    hf = tmp_path / "hf.json"
    hf.write_text(json.dumps({"version": "1", "data": RECORDS}), encoding="utf-8")
    assert len(open_corpus(hf, tmp_path).entries) == 3
    wrong = tmp_path / "wrong.json"
    wrong.write_text('{"rows": []}', encoding="utf-8")
    assert 'needs a "data" list' in str(open_corpus(wrong, tmp_path).refused[0])


def test_a_json_list_broken_midway_loads_what_came_before(tmp_path: Path):
    path = tmp_path / "cut.json"
    path.write_text('[\n{"text": "One whole record."},\n{"text": "cut off', encoding="utf-8")
    corpus = open_corpus(path, tmp_path)
    assert len(corpus.entries) == 1
    assert str(corpus.refused[0]).startswith(f"{path}:3: not valid JSON")


def test_csv_and_tsv_with_quoted_newlines_and_record_lines(tmp_path: Path):
    path = tmp_path / "news.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["Headline", "Body", "Date", "Site", "Link"])
        writer.writerow(["Two lines", "First line.\nSecond line.", "2026-03-04", "Wire", "https://e.test/1"])
        writer.writerow(["Empty", "", "", "", ""])
        writer.writerow(["Too many", "x", "", "", "", "surplus"])
        writer.writerow(["Last", "The last body.", "", "", ""])
    corpus = open_corpus(path, tmp_path)
    assert [e.title for e in corpus.entries] == ["Two lines", "Last"]
    assert corpus.load(corpus.entries[0].id).text == "First line.\nSecond line."
    assert corpus.load(corpus.entries[0].id).meta == {"Link": "https://e.test/1"}
    assert [str(r).split(": ", 1)[0] for r in corpus.refused] == [f"{path}:4", f"{path}:5"]
    tsv = tmp_path / "news.tsv"
    tsv.write_text("title\ttext\nTabbed\tA tab-separated body.\n", encoding="utf-8")
    assert open_corpus(tsv, tmp_path).entries[0].title == "Tabbed"


def test_parquet_corpus_with_the_optional_pyarrow(tmp_path: Path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    path = tmp_path / "news.parquet"
    pq.write_table(pa.Table.from_pylist([RECORDS[1], {"text": None, "title": "none"}]), path)
    corpus = open_corpus(path, tmp_path)
    assert [e.title for e in corpus.entries] == ["Port strike ends"]
    assert corpus.load(corpus.entries[0].id).meta["url"] == "https://example.test/port"
    assert str(corpus.refused[0]).startswith(f"{path}:2:")


def test_a_second_open_reads_only_the_index(tmp_path: Path, monkeypatch):
    path = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    first = open_corpus(path, tmp_path)
    from newsdesk.annotations import corpus_file

    def no_reading(*args, **kwargs):
        raise AssertionError("the corpus was read again")

    monkeypatch.setattr(corpus_file, "read_records", no_reading)
    again = open_corpus(path, tmp_path)
    assert [e.id for e in again.entries] == [e.id for e in first.entries]
    assert again.load(again.entries[2].id).text.startswith("No title here")


def test_an_edited_corpus_is_indexed_again(tmp_path: Path):
    path = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    old = open_corpus(path, tmp_path)
    write_jsonl(path, RECORDS[1:])
    os.utime(path, ns=(1, 1))
    new = open_corpus(path, tmp_path)
    assert len(new.entries) == 2
    with pytest.raises(ArticleRefused, match="reopen the library"):
        old.load(old.entries[0].id)


def test_files_that_are_not_corpora_are_refused_in_one_line(tmp_path: Path):
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(ArticleRefused, match="is empty"):
        open_corpus(empty, tmp_path)
    with pytest.raises(ArticleRefused, match="no such file"):
        open_corpus(tmp_path / "gone.jsonl", tmp_path)


def test_several_sources_combine_and_a_repeated_text_is_shown_once(tmp_path: Path):
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "story.txt").write_text("A folder story\n\nIt happened in the folder.\n", encoding="utf-8")
    (folder / "copy.txt").write_text("Copy\n\nDockers went back to work on Monday.\n", encoding="utf-8")
    corpus = write_jsonl(tmp_path / "news.jsonl", RECORDS)
    library = open_library([corpus, folder], cache_dir=tmp_path / "cache")
    assert len(library.entries) == 4
    assert any("same text as an article of" in str(r) for r in library.refused)
    ids = {entry.title: entry.id for entry in library.entries}
    assert library.load(ids["A folder story"]).text == "It happened in the folder."
    assert library.load(ids["Port strike ends"]).source == "Gazette"
    assert [p.name for p in library.sources] == ["news.jsonl", "folder"]
    assert isinstance(open_library(folder, cache_dir=tmp_path / "cache"), Library)


def test_export_carries_the_extra_fields(tmp_path: Path):
    from newsdesk.annotations.exporting import export

    corpus = open_corpus(write_jsonl(tmp_path / "news.jsonl", RECORDS), tmp_path)
    article = corpus.load(corpus.entries[0].id)
    with Store(tmp_path / "db.json") as store:
        store.add_span(Span.create(article, 0, 4, ("Weather",), annotator="t"))
        export(store, corpus, "jsonl", tmp_path / "out.jsonl")
        export(store, corpus, "prodigy", tmp_path / "out.prodigy.jsonl")
    line = json.loads((tmp_path / "out.jsonl").read_text().splitlines()[0])
    assert line["meta"]["author"] == "Ann Lee"
    task = json.loads((tmp_path / "out.prodigy.jsonl").read_text().splitlines()[0])
    assert task["meta"]["author"] == "Ann Lee"


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(min_size=1, max_size=40), min_size=1, max_size=6))
def test_any_text_reads_back_exactly_as_its_id_says(tmp_path_factory, texts):
    folder = tmp_path_factory.mktemp("hyp")
    path = write_jsonl(folder / "c.jsonl", [{"text": text} for text in texts])
    corpus = CorpusFile.open(path, cache_dir=folder / "cache")
    for entry in corpus.entries:
        article = corpus.load(entry.id)
        assert article_id_for(article.text) == entry.id
        assert "\x1b" not in article.text and "\r" not in article.text
    assert len(corpus.entries) + len(corpus.refused) == len(texts)


def test_combined_sources_sort_as_one_list(tmp_path: Path):
    """The combination's orders (merged from each source's) equal sorting every row at once."""
    folder = tmp_path / "folder"
    folder.mkdir()
    for n, (title, day) in enumerate([("zebra crossing", "2026-02-01"), ("Alpha", ""), ("mid", "2025-01-01")]):
        dateline = f"Published: {day}\n" if day else ""
        (folder / f"{n}.txt").write_text(f"{title}\n\n{dateline}Folder text {n}.\n", encoding="utf-8")
    records = [{"title": f"Story {n % 4}", "text": f"Text {n}.", "date": f"2026-0{1 + n % 3}-01", "source": "WXYZ"[n % 4]}
               for n in range(12)]
    corpus = write_jsonl(tmp_path / "news.jsonl", records)
    library = open_library([folder, corpus], cache_dir=tmp_path / "cache")
    columns = library.columns()
    entries = list(library.entries)
    expected = {
        "date": lambda g: (-entries[g].published.toordinal() if entries[g].published else 1 << 40, g),
        "title": lambda g: (entries[g].title.casefold(), g),
        "source": lambda g: (entries[g].source.casefold() or "\U0010ffff", g),
    }
    for key, keyof in expected.items():
        assert list(columns.orders.get(key)) == sorted(range(len(entries)), key=keyof), key
    assert library.get(entries[5].id) == entries[5]


def test_a_json_file_too_big_to_read_whole_is_refused_naming_jsonl(tmp_path: Path, monkeypatch):
    from newsdesk.annotations import corpus_records

    monkeypatch.setattr(corpus_records, "MAX_WHOLE_FILE_BYTES", 100)
    path = tmp_path / "big.json"
    path.write_text(json.dumps(RECORDS), encoding="utf-8")
    with pytest.raises(ArticleRefused, match="convert it to JSONL"):
        open_corpus(path, tmp_path)


def test_searching_the_texts_reads_the_corpus_in_one_pass(tmp_path: Path):
    records = RECORDS + [{"text": "Un café à Paris, three days later."}]
    path = tmp_path / "news.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")  # ASCII escapes
    corpus = open_corpus(path, tmp_path)
    titles = lambda ids: sorted(corpus.get(i).title for i in ids)  # noqa: E731
    assert titles(corpus.search_texts(["three", "days"])) == ["Floods close the coast road", "Un café à Paris, three days later"]
    assert titles(corpus.search_texts(["café"])) == ["Un café à Paris, three days later"]
    assert corpus.search_texts(["nowhere"]) == set()
    assert corpus.search_texts(["three"], cancelled=lambda: True) is None
