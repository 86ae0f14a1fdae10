"""The topic set as an annotator changes it: every change is one undo, and no span or note is lost."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings, strategies as st

from newsdesk.annotations.history import History
from newsdesk.annotations.model import Article, DocTopics, Span, Topic, article_id_for
from newsdesk.annotations.store import DEFAULT_TOPICS, Store
from newsdesk.annotations import topics as ops
from newsdesk.annotations.topic_files import TopicFileError, adopt_topic_set, read_topic_file

TEXT = "Japan and the UK agreed to deepen cooperation. Critical minerals were discussed."
ARTICLE = Article(id=article_id_for(TEXT), title="Summit", text=TEXT)


@pytest.fixture
def history(tmp_path: Path):
    with Store(tmp_path / "db.json") as store:
        yield History(store)


def tag(history: History, start: int, end: int, *topics: str, note: str = "") -> Span:
    return history.add_span(Span.create(ARTICLE, start, end, topics, note=note))


def topics_on_spans(store: Store) -> list[tuple[str, ...]]:
    return [span.topics for span in store.spans_for(ARTICLE.id)]


def test_deleting_a_topic_is_one_undo_that_brings_back_every_span_and_note(history):
    tag(history, 0, 5, "energy", "diplomacy", note="check the date")
    tag(history, 10, 12, "energy", note="only energy")
    history.set_doc_topics(DocTopics(ARTICLE.id, ("energy",)))
    edit = ops.delete_topic(history, "energy")
    assert (edit.spans_changed, edit.spans_deleted, edit.doc_articles) == (1, 1, 1)
    store = history.store
    assert topics_on_spans(store) == [("diplomacy",)]
    assert store.topic("energy") is None and store.doc_topics(ARTICLE.id).topics == ()
    assert history.undo().label == "delete topic energy"
    assert topics_on_spans(store) == [("energy", "diplomacy"), ("energy",)]
    assert [span.note for span in store.spans_for(ARTICLE.id)] == ["check the date", "only energy"]
    assert store.topic("energy").key == 5 and store.doc_topics(ARTICLE.id).topics == ("energy",)
    history.redo()
    assert topics_on_spans(store) == [("diplomacy",)]


def test_rename_then_merge_then_two_undos(history):
    first = tag(history, 0, 5, "energy")
    ops.rename_topic(history, "energy", "Power")
    assert history.store.get_span(first.id).topics == ("Power",)
    with pytest.raises(ops.MergeNeeded):
        ops.rename_topic(history, "Power", "DIPLOMACY")
    ops.merge_topics(history, "Power", "diplomacy")
    assert history.store.get_span(first.id).topics == ("diplomacy",)
    history.undo()
    history.undo()
    assert history.store.get_span(first.id).topics == ("energy",)
    assert history.store.topic("Power") is None and history.store.topic("energy") is not None


def test_merging_into_a_topic_without_a_key_hands_it_the_key(history):
    ops.merge_topics(history, "energy", "people")
    assert history.store.topic("people").key == 5


def test_a_rename_may_change_only_the_case(history):
    ops.rename_topic(history, "europe", "Europe")
    assert history.store.topic("Europe").key == 9


def test_removing_the_last_span_of_a_topic_made_a_moment_ago_removes_the_topic(history):
    history.put_topic(Topic("diplomcy", key=None))  # a typo in the picker
    span = tag(history, 0, 5, "diplomcy")
    history.delete_span(span.id)
    assert history.store.topic("diplomcy") is None
    history.undo()
    assert history.store.topic("diplomcy") is not None and history.store.get_span(span.id) is not None


def test_an_old_topic_stays_when_its_last_span_goes(history):
    span = tag(history, 0, 5, "energy")
    history.delete_span(span.id)
    assert history.store.topic("energy") is not None


def test_a_new_topic_takes_the_next_free_key_and_an_unused_colour(history):
    ops.delete_topic(history, "cybersecurity")
    topic = ops.add_topic(history, "sanctions")
    assert topic.key == 2
    others = [t.colour for t in history.store.topics() if t.name != "sanctions"]
    assert min(ops.colour_distance(topic.colour, c) for c in others) > 60


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=20))
def test_an_accepted_name_is_clean_and_stored_as_it_is(raw):
    try:
        name = ops.check_name(raw, DEFAULT_TOPICS)
    except ops.TopicRefused as refusal:
        assert "\n" not in str(refusal)
        return
    assert name == name.strip() and name and "  " not in name
    assert not any(ord(c) < 32 or 0xD800 <= ord(c) <= 0xDFFF for c in name)
    assert Topic(name).name == name


# -- --topics files --------------------------------------------------------------------------------
def test_plain_text_labels_become_exactly_the_projects_topics(tmp_path):
    labels = tmp_path / "labels.txt"
    labels.write_text("# Prodigy --label file\nPERSON\nORG\n\nGPE\n", encoding="utf-8")
    with Store(tmp_path / "db.json") as store:
        adopt_topic_set(store, read_topic_file(labels))
        assert [(t.name, t.key) for t in store.topics()] == [("PERSON", 1), ("ORG", 2), ("GPE", 3)]
        assert not adopt_topic_set(store, read_topic_file(labels)).changed


def test_toml_and_json_sets_keep_their_keys_colours_and_descriptions(tmp_path):
    toml = tmp_path / "topics.toml"
    toml.write_text('[[topic]]\nname = "war"\nkey = 3\ncolour = "#aa0000"\ndescription = "Armed conflict"\n'
                    '[[topic]]\nname = "peace"\n', encoding="utf-8")
    json_file = tmp_path / "topics.json"
    json_file.write_text('{"topics": ["war", {"label": "peace", "color": "#00aa00"}]}', encoding="utf-8")
    war, peace = read_topic_file(toml)
    assert (war.key, war.colour, war.description, peace.key) == (3, "#aa0000", "Armed conflict", None)
    war, peace = read_topic_file(json_file)
    assert (war.name, peace.colour) == ("war", "#00aa00")
    with Store(tmp_path / "db.json") as store:
        adopt_topic_set(store, read_topic_file(toml))
        assert [(t.name, t.key) for t in store.topics()] == [("peace", 1), ("war", 3)]


def test_spans_on_default_topics_survive_a_new_topic_set(tmp_path):
    labels = tmp_path / "labels.txt"
    labels.write_text("PERSON\n", encoding="utf-8")
    with Store(tmp_path / "db.json") as store:
        store.add_span(Span.create(ARTICLE, 0, 5, ["energy"]))
        report = adopt_topic_set(store, read_topic_file(labels))
        assert report.kept_unkeyed == ("energy",)
        assert {t.name: t.key for t in store.topics()} == {"PERSON": 1, "energy": None}
        assert store.span_count() == 1


@pytest.mark.parametrize(
    "name, content, says",
    [
        ("l.txt", "A\nB\n\tb \n", "l.txt line 3: 'b' is listed twice (as on line 2)"),
        ("l.txt", "A\nB\x07\n", "l.txt line 2: a topic name cannot hold control characters"),
        ("l.json", '[\n "A",\n 5\n]', "l.json line 3: a topic is a name"),
        ("l.json", '[\n "A",\n', "l.json line 3: not valid JSON"),
        ("l.toml", '[[topic]]\nname = "A"\nkey = 1\n[[topic]]\nname = "B"\nkey = 1\n', "l.toml line 5: key 1 is already"),
        ("l.toml", 'topic = [\n"A",\n', "l.toml line 2: not valid TOML"),
        ("l.txt", "\n# only a comment\n", "lists no topics"),
    ],
)
def test_a_topics_file_that_cannot_be_used_names_the_file_and_line(tmp_path, name, content, says):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    with pytest.raises(TopicFileError) as refusal:
        read_topic_file(path)
    assert says in str(refusal.value) and str(tmp_path) in str(refusal.value)


def test_a_missing_topics_file_is_named(tmp_path):
    with pytest.raises(TopicFileError, match="no such topics file"):
        read_topic_file(tmp_path / "absent.txt")
