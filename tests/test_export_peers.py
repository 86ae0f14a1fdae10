"""The peers' own readers load what newsdesk writes: spaCy's CoNLL converter, seqeval, conlleval,
bioc, bratly and pybrat for brat, Label Studio's labelling config, doccano's overlap setting."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from newsdesk.annotations.corpus import Library
from newsdesk.annotations.exporting import export, label_config
from newsdesk.annotations.formats.brat import ATTRIBUTE_PREFIX
from newsdesk.annotations.formats.conll import choose_spans
from newsdesk.annotations.formats.record import label_name
from newsdesk.annotations.model import Span
from newsdesk.annotations.store import Store

from articles import span_over


def conll_sentences(content: str) -> list[list[tuple[str, str]]]:
    """A CoNLL-2003 reader as the Hugging Face `conll2003` loader and seqeval users write it:
    `-DOCSTART-` lines and blank lines end a sentence; the token is the first column, the tag the last."""
    sentences, current = [], []
    for line in content.split("\n"):
        if line.startswith("-DOCSTART-") or not line.strip():
            if current:
                sentences.append(current)
            current = []
            continue
        columns = line.split(" ")
        current.append((columns[0], columns[-1]))
    if current:
        sentences.append(current)
    return sentences


def written_spans(store, library) -> list[tuple[str, list]]:
    """(text, spans CoNLL keeps) for every article the default export writes, in order."""
    out = []
    for entry in library.entries:
        spans = store.spans_for(entry.id)
        if spans or store.doc_topics(entry.id).topics or store.is_done(entry.id):
            text = library.load(entry.id).text
            out.append((text, choose_spans(text, spans)[0]))
    return out


def test_conll_loads_in_spacys_converter_as_one_doc_per_article_with_no_stray_token(store, library, tmp_path):
    pytest.importorskip("spacy")
    from spacy.training.converters import conll_ner_to_docs

    report = export(store, library, "conll", tmp_path / "out.conll")
    content = (tmp_path / "out.conll").read_text("utf-8")
    docs = list(conll_ner_to_docs(content, no_print=True))
    expected = written_spans(store, library)
    assert len(docs) == report.articles == len(expected)
    for doc, (text, kept) in zip(docs, expected):
        assert "-DOCSTART-" not in [token.text for token in doc]
        assert "".join(token.text for token in doc) == "".join(text.split())
        assert [(ent.text, ent.label_) for ent in doc.ents] == [
            ("".join(text[s:e].split()), label_name(span.topics[0])) for s, e, span in kept
        ] or [(ent.text.replace(" ", ""), ent.label_) for ent in doc.ents] == [
            ("".join(text[s:e].split()), label_name(span.topics[0])) for s, e, span in kept
        ]
    assert sum(len(doc.ents) for doc in docs) == report.spans


def test_conll_loads_in_a_conll_2003_reader_and_seqeval_and_conlleval_count_every_span(store, library, tmp_path):
    seqeval = pytest.importorskip("seqeval.metrics")
    from seqeval.metrics.sequence_labeling import get_entities

    report = export(store, library, "conll", tmp_path / "out.conll")
    content = (tmp_path / "out.conll").read_text("utf-8")
    sentences = conll_sentences(content)
    assert not any(token.startswith("-DOCSTART-") for sentence in sentences for token, _ in sentence)
    tags = [[tag for _, tag in sentence] for sentence in sentences]
    entities = [entity for sentence in tags for entity in get_entities(sentence)]
    expected = [label_name(span.topics[0]) for _, kept in written_spans(store, library) for _, _, span in kept]
    assert sorted(label for label, _, _ in entities) == sorted(expected)
    assert len(entities) == report.spans
    assert seqeval.f1_score(tags, tags) == 1.0

    conlleval = pytest.importorskip("conlleval")
    # conlleval reads `token ... gold guess`: a model that guessed every tag right
    lines = [f"{line} {line.rsplit(' ', 1)[-1]}" if line else "" for line in content.split("\n")]
    result = conlleval.evaluate(lines)
    assert result["overall"]["chunks"]["stats"]["gold"] == report.spans
    assert result["overall"]["chunks"]["evals"]["f1"] == 1.0


def test_the_conll_summary_counts_the_spans_actually_written(store, library, tmp_path):
    report = export(store, library, "conll", tmp_path / "out.conll")
    content = (tmp_path / "out.conll").read_text("utf-8")
    begun = sum(1 for line in content.split("\n") if " B-" in line)
    assert report.dropped_overlaps == 2
    assert report.spans == begun == len(list(store.iter_spans())) - 2
    assert f"exported {begun} spans" in report.summary()


# --- brat ---------------------------------------------------------------------------------------

@pytest.fixture
def tabbed(tmp_path: Path):
    """A library with a TAB inside a tagged phrase, a span with two topics and two spans over one extent."""
    folder = tmp_path / "tabbed"
    folder.mkdir()
    (folder / "a.txt").write_text("Tabs\n\nThe minister\tsaid talks in Tokyo were strong.\n", encoding="utf-8")
    library = Library.open(folder, cache_dir=tmp_path / "tcache")
    article = library.load(library.entries[0].id)
    assert "\t" in article.text
    with Store(tmp_path / "tabbed.json") as store:
        store.add_spans([
            span_over(article, "minister\tsaid", ["People"], note="tab\tinside"),
            span_over(article, "Tokyo", ["Places", "Politics"]),
            span_over(article, "talks", ["Politics"], annotator="ana"),
            span_over(article, "talks", ["Trade"], annotator="bo"),
        ])
        yield store, library, article


def test_brat_readers_load_a_tab_inside_a_span_and_spans_with_several_topics(tabbed, tmp_path):
    store, library, article = tabbed
    report = export(store, library, "brat", tmp_path / "brat")
    folder = tmp_path / "brat"
    text = (folder / f"{article.id}.txt").read_text("utf-8")
    assert text == article.text
    want = {(s.start, s.end, t) for s in store.iter_spans() for t in s.topics}
    assert any("merged into" in w for w in report.warnings)

    ann = (folder / f"{article.id}.ann").read_text("utf-8")
    extents = {(s, e) for s, e, _ in want}

    bioc = pytest.importorskip("bioc.brat.decoder")
    document = bioc.loads(text, ann)
    entities = {e.id: e for e in document.entities}
    got = {(*e.total_span, e.type) for e in entities.values()}
    got |= {(*entities[a.refid].total_span, a.type[len(ATTRIBUTE_PREFIX):]) for a in document.attributes}
    assert got == want
    assert {e.total_span for e in entities.values()} == extents  # one entity per extent
    for entity in entities.values():
        assert text[slice(*entity.total_span)].replace("\t", " ") == entity.text
    assert [note.text for note in document.notes] == ["tab inside"]

    annotation_types = pytest.importorskip("bratly.annotation_types")
    read: dict = {}
    for line in ann.splitlines():
        if line.startswith("T"):
            entity = annotation_types.EntityAnnotation.from_line(line)
            read[entity.id] = entity
        elif line.startswith("A"):
            annotation_types.AttributeAnnotation.from_line(line, read)
        elif line.startswith("#"):
            annotation_types.NoteAnnotation.from_line(line, read)
    assert {(e.get_start(), e.get_end()) for e in read.values()} == extents

    pybrat = pytest.importorskip("pybrat.parser")
    [example] = pybrat.BratParser(error="raise").parse(folder)  # refuses two entities over one extent
    assert {(e.start, e.end) for e in example.entities} == extents
    assert example.text == article.text


# --- Label Studio -------------------------------------------------------------------------------

def test_label_studio_writes_the_labelling_config_beside_the_tasks_with_every_topic(store, library, tmp_path):
    report = export(store, library, "label-studio", tmp_path / "summit.json")
    config_file = tmp_path / "summit.label-config.xml"
    assert report.companions == [config_file] and str(config_file) in report.summary()
    view = ElementTree.fromstring(config_file.read_text("utf-8"))
    assert view.tag == "View"
    labels = {label.get("value") for label in view.find("Labels")}
    choices = {choice.get("value") for choice in view.find("Choices")}
    assert {t.name for t in store.topics()} <= labels
    tasks = json.loads((tmp_path / "summit.json").read_text("utf-8"))
    for task in tasks:
        for result in task["annotations"][0]["result"]:
            if result["type"] == "labels":
                assert set(result["value"]["labels"]) <= labels
            if result["type"] == "choices":
                assert set(result["value"]["choices"]) <= choices
    names = {tag.get("name"): tag.get("toName") for tag in view}
    assert names == {"label": "text", "text": None, "note": "text", "topic": "text"}
    # an existing config is never replaced without --force, like the tasks
    (tmp_path / "again.label-config.xml").write_text("mine", encoding="utf-8")
    with pytest.raises(Exception, match="--force"):
        export(store, library, "label-studio", tmp_path / "again.json")
    assert not (tmp_path / "again.json").exists()
    assert label_config(store, library) == config_file.read_text("utf-8")


def test_label_config_escapes_topic_names_as_xml(tmp_path):
    from newsdesk.annotations.formats.label_studio import labelling_config

    view = ElementTree.fromstring(labelling_config(['"quoted" & <angled>'], []))
    assert [label.get("value") for label in view.find("Labels")] == ['"quoted" & <angled>']
    assert view.find("Choices") is None


# --- doccano ------------------------------------------------------------------------------------

def test_doccano_export_says_when_the_project_must_allow_overlapping_entities(store, library, tmp_path):
    report = export(store, library, "doccano", tmp_path / "d.jsonl")
    [warning] = [w for w in report.warnings if "Allow overlapping entity" in w]
    # 高市首相 and the second Starmer carry two topics, 東京 lies inside 。\n東京, הממשלה שהשותפות overlaps
    assert warning.startswith("doccano: 4 spans overlap another or carry several topics")
    plain = [s for s in store.iter_spans() if len(s.topics) == 1]
    with Store(tmp_path / "plain.json") as other:
        other.add_spans([s for s in plain if s.text in ("👨‍👩‍👧", "cafe\u0301")])
        report = export(other, library, "doccano", tmp_path / "p.jsonl")
    assert not any("overlapping" in w for w in report.warnings)
