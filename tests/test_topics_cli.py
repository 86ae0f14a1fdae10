"""`newsdesk topics ...` as a person uses it: every subcommand, and every refusal in one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.annotations.corpus import Library, seeds_dir
from newsdesk.annotations.model import DocTopics, Span
from newsdesk.annotations.store import Store
from newsdesk.tui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(tmp_path: Path, monkeypatch) -> Path:
    """A database with two spans on a seed: one with energy and diplomacy, one with energy only."""
    path = tmp_path / "db.json"
    monkeypatch.setenv("NEWSDESK_DB", str(path))
    library = Library.open(seeds_dir(), cache_dir=tmp_path / "cache")
    article = library.load(library.entries[0].id)
    with Store(path) as store:
        store.add_span(Span.create(article, 0, 8, ["energy", "diplomacy"], note="keep me"))
        store.add_span(Span.create(article, 10, 20, ["energy"]))
        store.set_doc_topics(DocTopics(article.id, ("energy",)))
    return path


def topics_of(capsys) -> dict[str, dict]:
    code, out, _ = run(capsys, "topics", "--json")
    assert code == 0
    return {topic["name"]: topic for topic in json.loads(out)}


def spans_topics(db: Path) -> list[tuple[str, ...]]:
    with Store(db, readonly=True) as store:
        return sorted(span.topics for span in store.iter_spans())


def refused(capsys, *argv: str) -> str:
    code, out, err = run(capsys, *argv)
    assert code != 0
    assert out == ""
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    return err


def test_adding_a_topic_gives_it_the_next_free_key_and_a_new_colour(capsys, db):
    run(capsys, "topics", "delete", "cybersecurity", "--yes")  # frees key 2
    code, out, err = run(capsys, "topics", "add", "sanctions", "--description", "Sanctions and export controls")
    assert code == 0, err
    assert "key 2" in out
    topics = topics_of(capsys)
    assert topics["sanctions"]["key"] == 2
    assert topics["sanctions"]["description"] == "Sanctions and export controls"
    assert topics["sanctions"]["colour"] not in {t["colour"] for n, t in topics.items() if n != "sanctions"}


def test_adding_with_a_key_takes_it_from_its_holder(capsys, db):
    code, out, _ = run(capsys, "topics", "add", "sanctions", "--key", "6", "--colour", "#123")
    assert code == 0 and "moved from 'diplomacy'" in out
    topics = topics_of(capsys)
    assert topics["sanctions"]["key"] == 6 and topics["sanctions"]["colour"] == "#112233"
    assert topics["diplomacy"]["key"] is None


def test_renaming_carries_every_span_and_note_along(capsys, db):
    code, out, _ = run(capsys, "topics", "rename", "energy", "power")
    assert code == 0 and "2 spans changed" in out
    assert spans_topics(db) == [("power",), ("power", "diplomacy")]
    assert topics_of(capsys)["power"]["key"] == 5
    with Store(db, readonly=True) as store:
        assert {span.note for span in store.iter_spans()} == {"keep me", ""}
        assert all(doc.topics == ("power",) for doc in store.iter_doc_topics())


def test_merging_moves_spans_to_the_target_and_removes_the_source(capsys, db):
    code, out, _ = run(capsys, "topics", "merge", "energy", "diplomacy", "--yes")
    assert code == 0 and "merged 'energy' into 'diplomacy'" in out
    assert spans_topics(db) == [("diplomacy",), ("diplomacy",)]
    assert "energy" not in topics_of(capsys)


def test_deleting_says_how_many_spans_it_touched(capsys, db):
    code, out, _ = run(capsys, "topics", "delete", "energy", "--yes")
    assert code == 0
    assert out.strip() == "deleted 'energy': 1 span changed, 1 span with no other topic deleted, 1 article topic changed"
    assert spans_topics(db) == [("diplomacy",)]


def test_deleting_or_merging_without_a_terminal_needs_yes_and_says_what_it_would_do(capsys, db):
    err = refused(capsys, "topics", "delete", "energy")
    assert "1 span" in err and "deletes 1 span with no other topic" in err and "--yes" in err
    err = refused(capsys, "topics", "merge", "energy", "diplomacy")
    assert "changes 2 spans" in err and "--yes" in err
    assert spans_topics(db) == [("energy",), ("energy", "diplomacy")]
    assert "energy" in topics_of(capsys)


def test_deleting_at_a_terminal_asks_and_no_keeps_everything(capsys, db, monkeypatch):
    import newsdesk.tui.cli as cli

    questions: list[str] = []
    monkeypatch.setattr(cli.sys.stdin, "isatty", lambda: True, raising=False)
    monkeypatch.setattr(cli, "_ask", lambda question: questions.append(question) or False)
    err = refused(capsys, "topics", "delete", "energy")
    assert "nothing changed" in err
    assert questions and "Deleting 'energy' changes 1 span" in questions[0]
    assert spans_topics(db) == [("energy",), ("energy", "diplomacy")]
    monkeypatch.setattr(cli, "_ask", lambda question: True)
    code, out, _ = run(capsys, "topics", "delete", "energy")
    assert code == 0 and out.startswith("deleted 'energy'")
    assert spans_topics(db) == [("diplomacy",)]


def test_set_changes_key_colour_and_description(capsys, db):
    code, _, _ = run(capsys, "topics", "set", "europe", "--key", "0", "--colour", "abcdef", "--description", "EU")
    assert code == 0
    europe = topics_of(capsys)["europe"]
    assert (europe["key"], europe["colour"], europe["description"]) == (None, "#abcdef", "EU")


@pytest.mark.parametrize(
    "argv, says",
    [
        (("topics", "add", ""), "empty"),
        (("topics", "add", "   "), "only spaces"),
        (("topics", "add", "a\x1b[2Jb"), "control characters"),
        (("topics", "add", "ENERGY"), "already exists"),
        (("topics", "add", "x", "--key", "10"), "1 to 9"),
        (("topics", "add", "x", "--colour", "blue"), "#rrggbb"),
        (("topics", "rename", "energy", "Diplomacy"), "merge 'energy' into it"),
        (("topics", "rename", "nope", "x"), "no topic called 'nope'"),
        (("topics", "rename", "energy", ""), "empty"),
        (("topics", "merge", "energy", "energy"), "into itself"),
        (("topics", "merge", "energy", "nope"), "no topic called"),
        (("topics", "delete", "nope"), "no topic called"),
        (("topics", "set", "energy"), "--key, --colour or --description"),
        (("topics", "set", "nope", "--key", "1"), "no topic called"),
    ],
)
def test_refusals_are_one_line_and_change_nothing(capsys, db, argv, says):
    before = db.read_bytes(), spans_topics(db)
    assert says in refused(capsys, *argv)
    assert spans_topics(db) == before[1]


def test_a_second_writer_is_refused_in_one_line(capsys, db):
    with Store(db):
        assert "open in another newsdesk" in refused(capsys, "topics", "add", "x")


def test_a_project_with_its_own_labels_lists_only_them(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "new.json"))
    labels = tmp_path / "labels.txt"
    labels.write_text("PERSON\nORG\n\nGPE\n", encoding="utf-8")
    code, out, _ = run(capsys, "--topics", str(labels), "topics", "--json")
    assert code == 0
    assert [(t["name"], t["key"]) for t in json.loads(out)] == [("PERSON", 1), ("ORG", 2), ("GPE", 3)]
    code, _, err = run(capsys, "--topics", str(labels), "topics", "add", "DATE")
    assert code == 0, err
    assert list(topics_of(capsys)) == ["PERSON", "ORG", "GPE", "DATE"]


def test_a_broken_topics_file_names_the_file_and_line(capsys, tmp_path):
    labels = tmp_path / "labels.txt"
    labels.write_text("PERSON\nORG\nperson\n", encoding="utf-8")
    err = refused(capsys, "--topics", str(labels), "topics")
    assert f"{labels} line 3" in err and "listed twice" in err


def test_renaming_onto_an_existing_name_asks_at_a_terminal_and_merges_on_yes(capsys, db, monkeypatch):
    import newsdesk.tui.cli as cli

    monkeypatch.setattr(cli, "_ask", lambda question: "merge 'energy' into it" in question)
    code, out, _ = run(capsys, "topics", "rename", "energy", "diplomacy")
    assert code == 0 and "merged 'energy' into 'diplomacy'" in out
    assert spans_topics(db) == [("diplomacy",), ("diplomacy",)]


def test_newsdesk_topics_in_the_environment_works_like_the_flag(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "new.json"))
    labels = tmp_path / "labels.json"
    labels.write_text('["PER", {"name": "LOC", "key": 9}]', encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_TOPICS", str(labels))
    code, _, err = run(capsys, "topics", "add", "ORG")
    assert code == 0, err
    assert [(t["name"], t["key"]) for t in topics_of(capsys).values()] == [("PER", 1), ("ORG", 2), ("LOC", 9)]
