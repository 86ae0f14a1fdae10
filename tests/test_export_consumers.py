"""The real consumers read what newsdesk writes: spaCy, JSON Schema, CoNLL readers, Label Studio, brat."""

from __future__ import annotations

import io
import json

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations import text as textrules
from newsdesk.annotations.exporting import export
from newsdesk.annotations.formats import load_schema, schema_path
from newsdesk.annotations.formats.brat import ATTRIBUTE_PREFIX, LINE_BREAKS
from newsdesk.annotations.formats.conll import DOCSTART, choose_spans, write_conll
from newsdesk.annotations.formats.prodigy import task_object
from newsdesk.annotations.formats.record import ExportContext, ExportRecord, label_name
from newsdesk.annotations.model import Article, Span, article_id_for
from newsdesk.annotations.store import Store


def exported_articles(store, library):
    """(article, spans sorted, doc topics) for every article the default export writes."""
    for entry in library.entries:
        spans = store.spans_for(entry.id)
        doc = store.doc_topics(entry.id).topics
        if spans or doc or store.is_done(entry.id):
            yield library.load(entry.id), spans, doc


def test_spacy_loads_the_docbin_with_every_span_text_label_and_cat(store, library, tmp_path):
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import DocBin

    export(store, library, "spacy", tmp_path / "out.spacy")
    docs = list(DocBin().from_disk(tmp_path / "out.spacy").get_docs(spacy.blank("xx").vocab))
    expected = list(exported_articles(store, library))
    assert len(docs) == len(expected)
    topics = [t.name for t in store.topics()]
    for doc, (article, spans, doc_topics) in zip(docs, expected):
        assert doc.text == article.text
        got = sorted((s.start_char, s.end_char, s.text, s.label_) for s in doc.spans["sc"])
        want = sorted((s.start, s.end, s.text, t) for s in spans for t in s.topics)
        assert got == want
        if doc_topics:
            assert {k for k, v in doc.cats.items() if v == 1.0} == set(doc_topics)
            assert set(doc.cats) == set(topics) | set(doc_topics)
        else:
            assert doc.cats == {}
        assert doc.user_data["newsdesk"]["article_id"] == article.id


def test_the_schema_is_shipped_and_validates_json_and_every_jsonl_line(store, library, tmp_path):
    schema = load_schema()
    assert schema_path().name == "newsdesk.schema.json" and schema_path().is_file()
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    export(store, library, "json", tmp_path / "out.json")
    data = json.loads((tmp_path / "out.json").read_text("utf-8"))
    validator.validate(data)
    export(store, library, "jsonl", tmp_path / "out.jsonl")
    lines = (tmp_path / "out.jsonl").read_text("utf-8").splitlines()
    for line in lines:
        validator.validate(json.loads(line))
    # and it is precise: these are refused
    article = json.loads(lines[0])
    span = next(a for a in data["articles"] if a["spans"])["spans"][0]
    for broken in (
        {**data, "version": 2},
        {**article, "spans": [{**span, "start": -1}]},
        {**article, "spans": [{**span, "end": "5"}]},
        {**article, "spans": [{**span, "start": 1.5}]},
        {**article, "spans": [{k: v for k, v in span.items() if k != "topics"}]},
        {k: v for k, v in article.items() if k != "text_sha256"},
        {k: v for k, v in article.items() if k != "format"},
        {**article, "published": "1 May"},
    ):
        with pytest.raises(jsonschema.ValidationError):
            validator.validate(broken)


def read_conll(content: str, texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """A small CoNLL-2003/IOB2 reader: tokens are found in order in each article's text."""
    blocks = content.split(DOCSTART + "\n")[1:]
    assert len(blocks) == len(texts)
    result = []
    for block, text in zip(blocks, texts):
        spans: list[tuple[int, int, str]] = []
        at = 0
        current: list | None = None
        for line in block.split("\n"):
            if not line:
                current = None  # a sentence ends: so does any entity
                continue
            token, x, underscore, tag = line.split(" ")
            assert (x, underscore) == ("-X-", "_")
            start = text.index(token, at)
            assert text[at:start].strip() == ""  # nothing but whitespace was skipped
            at = start + len(token)
            if tag.startswith("B-"):
                current = [start, at, tag[2:]]
                spans.append(current)  # type: ignore[arg-type]
            elif tag.startswith("I-"):
                assert current is not None and current[2] == tag[2:], line
                current[1] = at
            else:
                assert tag == "O"
                current = None
        assert text[at:].strip() == ""
        result.append([tuple(s) for s in spans])
    return result


def test_conll_reads_back_to_the_same_non_overlapping_spans(store, library, tmp_path):
    export(store, library, "conll", tmp_path / "out.conll")
    expected = list(exported_articles(store, library))
    read = read_conll((tmp_path / "out.conll").read_text("utf-8"), [a.text for a, _, _ in expected])
    for got, (article, spans, _) in zip(read, expected):
        kept, _, _ = choose_spans(article.text, spans)
        assert got == [(s, e, label_name(span.topics[0])) for s, e, span in kept]
        for s, e, span in kept:
            assert article.text[s:e] == span.text.strip()


def test_label_studio_text_matches_every_offset(store, library, tmp_path):
    export(store, library, "label-studio", tmp_path / "ls.json")
    tasks = json.loads((tmp_path / "ls.json").read_text("utf-8"))
    stored = {s.id: s for s in store.iter_spans()}
    seen = 0
    for task in tasks:
        text = task["data"]["text"]
        [annotation] = task["annotations"]
        for result in annotation["result"]:
            assert result["to_name"] == "text"
            if result["type"] == "labels":
                value = result["value"]
                assert value["text"] == text[value["start"] : value["end"]]
                assert value["labels"] == list(stored[result["id"]].topics)
                seen += 1
            elif result["type"] == "textarea":
                assert result["value"]["text"] == [stored[result["id"]].note]
            else:
                assert result["type"] == "choices" and result["value"]["choices"] == ["Politics", "Asia"]
    assert seen == len(stored)


def test_brat_ann_files_read_back_to_the_spans(store, library, tmp_path):
    export(store, library, "brat", tmp_path / "brat")
    for article, spans, _ in exported_articles(store, library):
        text = (tmp_path / "brat" / f"{article.id}.txt").read_text("utf-8")
        assert text == article.text
        got = []
        extents = {}
        for line in (tmp_path / "brat" / f"{article.id}.ann").read_text("utf-8").split("\n"):
            if line.startswith("A"):  # a further topic of an entity: `A1<TAB>also_TOPIC T2`
                _, middle = line.split("\t")
                name, entity = middle.split(" ")
                assert name.startswith(ATTRIBUTE_PREFIX)
                got.append((*extents[entity], name[len(ATTRIBUTE_PREFIX):]))
            if not line.startswith("T"):
                continue
            number, middle, quoted = line.split("\t")
            label, where = middle.split(" ", 1)
            frags = [tuple(map(int, f.split(" "))) for f in where.split(";")]
            assert quoted == " ".join(text[s:e] for s, e in frags)
            assert not any(c in LINE_BREAKS for s, e in frags for c in text[s:e])
            extents[number] = (frags[0][0], frags[-1][1])
            got.append((frags[0][0], frags[-1][1], label))
        assert sorted(got) == sorted({(s.start, s.end, label_name(t)) for s in spans for t in s.topics})


# --- generated texts: the token formats never move an offset ------------------------------------

ALPHABET = st.sampled_from(list("ab c.\n,日本語") + ["👨‍👩‍👧", "🇯🇵", "👍🏽", "e\u0301", "مرحبا", "שלום", "𝒳", "  ", "\t"])


@st.composite
def articles_with_spans(draw):
    text = "".join(draw(st.lists(ALPHABET, min_size=1, max_size=40)))
    article = Article(id=article_id_for(text), title="", text=text)
    spans = []
    for i in range(draw(st.integers(0, 6))):
        a, b = draw(st.integers(0, len(text))), draw(st.integers(0, len(text)))
        start, end = textrules.snap_span(text, min(a, b), max(a, b))
        topics = draw(st.lists(st.sampled_from(["A", "B c", "日本"]), min_size=1, max_size=2, unique=True))
        spans.append(Span.create(article, start, end, topics, span_id=f"{i:032x}"))
    spans.sort(key=lambda s: (s.start, s.end, s.id))
    return ExportRecord(article, tuple(spans), None, False)


@settings(max_examples=150, deadline=None)
@given(articles_with_spans())
def test_prodigy_tokens_cover_the_text_and_every_span_sits_on_tokens(record):
    task = task_object(record, ExportContext())
    text = record.article.text
    rebuilt = "".join(t["text"] + (" " if t["ws"] else "") for t in task["tokens"])
    assert rebuilt == text
    for span in task["spans"]:
        first, last = task["tokens"][span["token_start"]], task["tokens"][span["token_end"]]
        assert (first["start"], last["end"]) == (span["start"], span["end"])
    assert len(task["spans"]) == sum(len(s.topics) for s in record.spans if s.end > s.start)


@settings(max_examples=60, deadline=None)
@given(articles_with_spans())
def test_spacy_spans_equal_the_newsdesk_text_on_generated_articles(record):
    spacy = pytest.importorskip("spacy")
    from newsdesk.annotations.formats.spacy_docbin import build_doc
    from spacy.tokens import Doc

    context = ExportContext()
    doc = build_doc(record, context, spacy.blank("xx").vocab, Doc)
    assert doc.text == record.article.text
    got = sorted((s.start_char, s.end_char, s.text, s.label_) for s in doc.spans["sc"])
    want = sorted((s.start, s.end, s.text, t) for s in record.spans if s.end > s.start for t in s.topics)
    assert got == want and context.counts["misaligned"] == 0


@settings(max_examples=150, deadline=None)
@given(articles_with_spans())
def test_conll_on_generated_articles_reads_back_to_the_chosen_spans(record):
    out = io.StringIO()
    write_conll([record], out, ExportContext())
    [got] = read_conll(out.getvalue(), [record.article.text])
    kept, _, _ = choose_spans(record.article.text, record.spans)
    assert got == [(s, e, label_name(span.topics[0])) for s, e, span in kept]


def test_prodigy_hashes_are_stable_ints_that_ignore_span_ids(store, library, tmp_path):
    export(store, library, "prodigy", tmp_path / "a.jsonl")
    first = [json.loads(line) for line in (tmp_path / "a.jsonl").read_text("utf-8").splitlines()]
    # the same annotations made by someone else: same offsets and topics, other span ids
    with Store(tmp_path / "other.json") as other:
        other.add_spans(Span(f"{i:032x}", s.article_id, s.start, s.end, s.text, s.topics) for i, s in enumerate(store.iter_spans()))
        for task in first:
            if task.get("accept"):
                other.set_doc_topics(store.doc_topics(task["meta"]["id"]))
        export(other, library, "prodigy", tmp_path / "b.jsonl")
    second = [json.loads(line) for line in (tmp_path / "b.jsonl").read_text("utf-8").splitlines()]
    for a, b in zip(first, second, strict=True):
        assert isinstance(a["_input_hash"], int) and isinstance(a["_task_hash"], int)
        assert -(2**31) <= a["_task_hash"] < 2**31
        assert (a["_input_hash"], a["_task_hash"]) == (b["_input_hash"], b["_task_hash"])
        assert a["answer"] == "accept"
