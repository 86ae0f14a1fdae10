"""`newsdesk suggest`, `import-spans --as-suggestions` and `export --suggestions`, as a person uses them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsdesk.annotations import patterns as patterns_module
from newsdesk.annotations.store import Store
from newsdesk.tui.cli import main

PATTERNS = [
    {"label": "people", "pattern": "Keir Starmer"},
    {"label": "people", "pattern": [{"lower": "sanae"}, {"lower": "takaichi"}]},
    {"label": "places", "regex": "Tok(yo|io)"},
]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    patterns = tmp_path / "patterns.jsonl"
    patterns.write_text("".join(json.dumps(p) + "\n" for p in PATTERNS), encoding="utf-8")
    return tmp_path / "db.json", patterns


def test_suggest_stores_suggestions_once_and_never_as_spans(capsys, files) -> None:
    db, patterns = files
    code, out, err = run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    assert code == 0, err
    assert "new suggestions in 2 articles" in out and "stored" in out
    with Store(db, readonly=True) as store:
        stored = store.suggestion_count()
        assert stored > 5 and store.span_count() == 0
        assert {s.text for s in store.iter_suggestions()} == {"Keir Starmer", "Sanae Takaichi", "Tokyo"}
    code, out, _ = run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    assert code == 0 and out.startswith("0 new suggestions")


def test_a_broken_patterns_file_stores_nothing(capsys, files) -> None:
    db, patterns = files
    patterns.write_text(json.dumps(PATTERNS[0]) + '\n{"label": "x", "regex": "(unclosed"}\n', encoding="utf-8")
    code, _, err = run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    assert code == 1 and "line 2: invalid regex '(unclosed'" in err and len(err.strip().splitlines()) == 1
    assert not db.exists()


def test_a_new_label_is_named_and_created_only_when_confirmed(capsys, files) -> None:
    db, patterns = files
    patterns.write_text(json.dumps({"label": "summits", "pattern": "Tokyo"}) + "\n", encoding="utf-8")
    code, _, err = run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    assert code == 1 and "'summits' (patterns.jsonl:1) is not a topic yet" in err and "nothing stored" in err
    with Store(db, readonly=True) as store:
        assert store.topic("summits") is None and store.suggestion_count() == 0
    code, _, err = run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns), "--yes")
    assert code == 0, err
    with Store(db, readonly=True) as store:
        assert store.topic("summits") is not None and store.suggestion_count() > 0


def test_more_than_the_limit_asks_before_storing(capsys, files, monkeypatch) -> None:
    db, patterns = files
    monkeypatch.setattr(patterns_module, "CONFIRM_ABOVE", 2)
    code, _, err = run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    assert code == 1 and "more than 2" in err
    code, _, _ = run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns), "--yes")
    assert code == 0


def test_an_export_without_suggestions_contains_none_of_them(capsys, files) -> None:
    db, patterns = files
    run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    for fmt in ("jsonl", "prodigy", "label-studio", "doccano"):
        code, out, err = run(capsys, "--db", str(db), "export", "-f", fmt)
        assert code == 0, err
        assert "Keir Starmer\"" not in out and "predictions" not in out


def test_export_suggestions_writes_predictions_and_unanswered_tasks(capsys, files) -> None:
    db, patterns = files
    run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    code, out, _ = run(capsys, "--db", str(db), "export", "--suggestions", "-f", "label-studio")
    tasks = json.loads(out)
    assert code == 0 and len(tasks) == 2
    assert all(t["annotations"] == [] and t["predictions"][0]["result"] for t in tasks)
    region = tasks[0]["predictions"][0]["result"][0]["value"]
    assert tasks[0]["data"]["text"][region["start"]:region["end"]] == region["text"]
    code, out, _ = run(capsys, "--db", str(db), "export", "--suggestions", "-f", "prodigy")
    lines = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and lines and all("answer" not in t and t["spans"] for t in lines)
    code, _, err = run(capsys, "--db", str(db), "export", "--suggestions", "-f", "conll")
    assert code == 1 and "label-studio or prodigy" in err


def test_import_as_suggestions_brings_spans_in_to_review(capsys, files, tmp_path) -> None:
    db, patterns = files
    run(capsys, "--db", str(db), "suggest", "--patterns", str(patterns))
    code, _, _ = run(capsys, "--db", str(db), "export", "--suggestions", "-f", "prodigy", "-o", str(tmp_path / "pre.jsonl"))
    assert code == 0
    other = tmp_path / "other.json"
    code, out, err = run(capsys, "--db", str(other), "import-spans", str(tmp_path / "pre.jsonl"), "--as-suggestions")
    assert code == 0, err
    assert "suggestions to review" in out
    with Store(other, readonly=True) as store, Store(db, readonly=True) as first:
        assert store.span_count() == 0
        assert store.suggestion_count() == first.suggestion_count()
        assert all(s.source == "import" for s in store.iter_suggestions())
