"""Exporting: choosing what to write, writing it safely, and saying what was left out."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from newsdesk.annotations.exporting import ExportError, ExportFilter, export
from newsdesk.annotations.formats import FORMATS, format_names
from newsdesk.annotations.model import Article, Span, article_id_for

from articles import article_with


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]


def test_the_registry_names_every_format():
    assert format_names() == ["json", "jsonl", "spacy", "prodigy", "doccano", "label-studio", "brat", "conll"]
    for fmt in FORMATS.values():
        module = sys.modules[fmt.write.__module__]
        assert module.__doc__ and "Shape" in module.__doc__


def test_newsdesk_json_carries_every_span_with_offsets_right_on_every_character(store, library, tmp_path):
    report = export(store, library, "json", tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text("utf-8"))
    assert (data["format"], data["version"]) == ("newsdesk", 1)
    assert data["exported"].endswith("Z")
    spans = {s.id: s for s in store.iter_spans()}
    written = 0
    for article in data["articles"]:
        assert article["id"] == article_id_for(article["text"])
        assert article["text"] == library.load(article["id"]).text
        for span in article["spans"]:
            stored = spans[span["id"]]
            assert article["text"][span["start"] : span["end"]] == span["text"] == stored.text
            assert (span["topics"], span["note"], span["annotator"]) == (list(stored.topics), stored.note, stored.annotator)
            written += 1
    assert written == report.spans == len(spans)
    assert report.warnings == []


def test_jsonl_is_one_stamped_article_a_line(store, library, tmp_path):
    export(store, library, "jsonl", tmp_path / "out.jsonl")
    lines = read_jsonl(tmp_path / "out.jsonl")
    assert lines and all(line["format"] == "newsdesk" and line["version"] == 1 for line in lines)
    cjk = next(line for line in lines if "高市首相" in line["text"])
    assert cjk["doc_topics"]["topics"] == ["Politics", "Asia"]


def test_a_done_article_without_spans_is_exported_as_a_negative_example(store, library, tmp_path):
    plain = article_with(library, "Takaichi echoed")
    store.set_done(plain.id, True)
    export(store, library, "jsonl", tmp_path / "out.jsonl")
    line = next(line for line in read_jsonl(tmp_path / "out.jsonl") if line["id"] == plain.id)
    assert line["spans"] == [] and line["done"] is True


def test_an_existing_file_is_never_overwritten_without_force(store, library, tmp_path):
    target = tmp_path / "out.jsonl"
    target.write_text("precious", encoding="utf-8")
    with pytest.raises(ExportError, match="--force") as refused:
        export(store, library, "jsonl", target)
    assert "\n" not in str(refused.value)
    assert target.read_text("utf-8") == "precious"
    export(store, library, "jsonl", target, force=True)
    assert read_jsonl(target)


def test_a_failed_export_leaves_no_half_written_file(store, library, tmp_path, monkeypatch):
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    existing = out_dir / "kept.jsonl"
    existing.write_text("old", encoding="utf-8")

    def broken_load(article_id):
        raise OSError(28, "No space left on device")

    calls = {"n": 0}
    real_load = library.load

    def load_then_fail(article_id):
        calls["n"] += 1
        if calls["n"] > 2:
            broken_load(article_id)
        return real_load(article_id)

    monkeypatch.setattr(library, "load", load_then_fail)
    for name, target in (("jsonl", out_dir / "new.jsonl"), ("jsonl", existing), ("brat", out_dir / "brat"), ("spacy", out_dir / "x.spacy")):
        calls["n"] = 0
        with pytest.raises(ExportError, match="No space left"):
            export(store, library, name, target, force=True)
    assert sorted(p.name for p in out_dir.iterdir()) == ["kept.jsonl"]
    assert existing.read_text("utf-8") == "old"


def test_brat_and_spacy_need_a_path_and_text_formats_go_to_stdout(store, library, capsysbinary):
    for name in ("brat", "spacy"):
        with pytest.raises(ExportError, match="output path"):
            export(store, library, name, None)
    report = export(store, library, "jsonl", None)
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert report.path is None and len(out.splitlines()) == report.articles
    assert "👨‍👩‍👧" in out


def test_without_spacy_the_error_says_how_to_install_it(store, library, tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "spacy", None)
    with pytest.raises(ExportError) as refused:
        export(store, library, "spacy", tmp_path / "out.spacy")
    assert "pip install 'newsdesk[spacy]'" in str(refused.value) and "\n" not in str(refused.value)
    assert not (tmp_path / "out.spacy").exists()


def test_an_unknown_format_is_refused_with_the_choices(store, library, tmp_path):
    with pytest.raises(ExportError, match="label-studio"):
        export(store, library, "excel", tmp_path / "x")


def _exported_spans(store, library, tmp_path, filters) -> list[dict]:
    target = tmp_path / "filtered.jsonl"
    export(store, library, "jsonl", target, filters, force=True)
    return read_jsonl(target)


def test_filters_choose_topics_annotators_articles_and_done(store, library, tmp_path):
    lines = _exported_spans(store, library, tmp_path, ExportFilter(topics=("Politics",)))
    spans = [s for line in lines for s in line["spans"]]
    assert spans and all(s["topics"] == ["Politics"] for s in spans)  # other topics cut away
    assert len(spans) == 3
    assert [line["doc_topics"]["topics"] for line in lines if line["doc_topics"]["topics"]] == [["Politics"]]

    lines = _exported_spans(store, library, tmp_path, ExportFilter(annotators=("bo",)))
    assert {s["annotator"] for line in lines for s in line["spans"]} == {"bo"}

    emoji = article_with(library, "👨‍👩‍👧")
    lines = _exported_spans(store, library, tmp_path, ExportFilter(article_ids=(emoji.id,)))
    assert [line["id"] for line in lines] == [emoji.id]

    lines = _exported_spans(store, library, tmp_path, ExportFilter(done=True))
    assert [line["id"] for line in lines] == [emoji.id]
    lines = _exported_spans(store, library, tmp_path, ExportFilter(done=False))
    assert emoji.id not in {line["id"] for line in lines} and lines

    lines = _exported_spans(store, library, tmp_path, ExportFilter(include_doc_topics=False))
    assert all("doc_topics" not in line for line in lines)


def test_a_date_range_keeps_articles_published_inside_it(store, tmp_path):
    articles = [Article(id=article_id_for(t), title=t, text=t, published=d) for t, d in
                (("early text", date(2024, 1, 5)), ("late text", date(2026, 2, 1)), ("undated text", None))]
    library = SimpleNamespace(
        entries=[SimpleNamespace(id=a.id, published=a.published) for a in articles],
        load={a.id: a for a in articles}.__getitem__,
    )
    store.add_spans([Span.create(a, 0, 4, ["Time"]) for a in articles])
    lines = _exported_spans(store, library, tmp_path, ExportFilter(published_from=date(2025, 1, 1)))
    assert [line["text"] for line in lines] == ["late text"]
    lines = _exported_spans(store, library, tmp_path, ExportFilter(published_to=date(2025, 1, 1)))
    assert [line["text"] for line in lines] == ["early text"]


def test_articles_gone_from_the_library_are_skipped_and_reported(store, library, tmp_path):
    gone = Article(id=article_id_for("deleted"), title="", text="deleted article")
    store.add_span(Span.create(gone, 0, 7, ["Lost"]))
    report = export(store, library, "jsonl", tmp_path / "out.jsonl")
    assert "1 article with spans is not in the library and was skipped" in report.warnings  # one, not "1 articles"
    assert gone.id not in {line["id"] for line in read_jsonl(tmp_path / "out.jsonl")}


def test_progress_is_told_each_article(store, library, tmp_path):
    seen = []
    report = export(store, library, "json", tmp_path / "o.json", progress=lambda done, total: seen.append((done, total)))
    assert seen[-1] == (report.articles, report.articles)
    assert [d for d, _ in seen] == list(range(1, report.articles + 1))


def test_brat_writes_the_exact_text_and_fragments_across_line_breaks(store, library, tmp_path):
    report = export(store, library, "brat", tmp_path / "brat")
    cjk = article_with(library, "高市首相")
    folder = tmp_path / "brat"
    assert (folder / f"{cjk.id}.txt").read_bytes() == cjk.text.encode("utf-8")
    ann = (folder / f"{cjk.id}.ann").read_text("utf-8").splitlines()
    at = cjk.text.index("。\n東京")
    # one entity per extent (高市首相's second topic is an attribute), so this is the third
    assert f"T3\tPlaces {at} {at + 1};{at + 2} {at + 4}\t。 東京" in ann
    assert any(line.startswith("#") and line.endswith("\tPM of Japan") for line in ann)
    assert "defence_and_security" in (folder / "annotation.conf").read_text("utf-8")
    assert any("'defence and security' written as 'defence_and_security'" in w for w in report.warnings)
    assert any("discontinuous" in w for w in report.warnings)
    # force replaces a whole folder in one go
    (folder / "stray.txt").write_text("x", encoding="utf-8")
    export(store, library, "brat", folder, force=True)
    assert not (folder / "stray.txt").exists() and (folder / f"{cjk.id}.ann").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_conll_reports_the_overlaps_it_drops_and_its_rule(store, library, tmp_path):
    report = export(store, library, "conll", tmp_path / "out.conll")
    # 東京 lies inside 。\n東京, and הממשלה שהשותפות overlaps ראש הממשלה
    assert report.dropped_overlaps == 2
    assert report.overlap_rule.startswith("longest first")
    assert any("2 overlapping spans dropped (rule: longest first" in w for w in report.warnings)
    assert any("only the first was written" in w for w in report.warnings)
    assert report.summary().count("overlapping") == 1
