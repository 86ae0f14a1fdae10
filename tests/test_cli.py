"""The `newsdesk` command as a person uses it: listing, topics, errors in one line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT
from newsdesk.tui.cli import main


def run(capsys, *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_list_shows_both_seeds_with_their_metadata(capsys):
    code, out, err = run(capsys, "list", "--json")
    assert code == 0, err
    rows = {row["path"].rsplit("/", 1)[-1]: row for row in json.loads(out)}
    ani = rows["003_0356732c498918b7.txt"]
    assert ani["date"] == "2026-02-01"
    assert ani["source"] == "ANI"
    headline = rows["000_30f8a73632b9a83e.txt"]
    assert headline["title"] == "Starmer Extends Invitation to Japan’s Prime Minister After Strategic Tokyo Talks"
    assert headline["date"] is None
    assert all(row["spans"] == 0 for row in rows.values())


def test_list_as_a_table(capsys):
    code, out, _ = run(capsys, "list")
    assert code == 0
    assert "Starmer Extends Invitation" in out and "2026-02-01" in out and "ANI" in out


def test_topics_lists_the_default_taxonomy_with_keys(capsys):
    code, out, _ = run(capsys, "topics", "--json")
    assert code == 0
    topics = json.loads(out)
    assert sorted(t["key"] for t in topics if t["key"]) == list(range(1, 10))
    assert any("cyber" in t["name"] for t in topics)


def test_version(capsys):
    code, out, _ = run(capsys, "--version")
    assert code == 0 and out.startswith("newsdesk ")


def test_a_wrong_flag_is_one_line_and_exit_2(capsys):
    code, out, err = run(capsys, "list", "--colour")
    assert code == 2
    assert len(err.strip().splitlines()) == 1
    assert "--colour" in err


def test_a_missing_library_is_one_line(capsys, tmp_path: Path):
    code, _, err = run(capsys, "list", "--library", str(tmp_path / "nowhere"))
    assert code == 1
    assert err.strip().count("\n") == 0 and "nowhere" in err and "--library" in err


def test_refused_files_are_listed_while_the_rest_load(capsys, tmp_path: Path):
    (tmp_path / "good.txt").write_text("A headline\n\nSome body text. Another sentence.\n", encoding="utf-8")
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "picture.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    code, out, err = run(capsys, "list", "--library", str(tmp_path))
    assert code == 0
    assert "A headline" in out
    assert "empty.txt" in err and "picture.txt" in err
    assert len(err.strip().splitlines()) == 2


def test_environment_chooses_library_and_database(capsys, tmp_path: Path, monkeypatch):
    (tmp_path / "one.txt").write_text("Only headline here\n\nBody sentence one.\n", encoding="utf-8")
    monkeypatch.setenv("NEWSDESK_LIBRARY", str(tmp_path))
    monkeypatch.setenv("NEWSDESK_DB", str(tmp_path / "db" / "n.json"))
    code, out, _ = run(capsys, "list", "--json")
    assert code == 0
    assert [row["title"] for row in json.loads(out)] == ["Only headline here"]


def test_a_corrupt_database_is_reported_and_left_alone(capsys, tmp_path: Path):
    db = tmp_path / "db.json"
    db.write_text("{not json", encoding="utf-8")
    code, _, err = run(capsys, "list", "--db", str(db))
    assert code == 1
    assert str(db) in err and len(err.strip().splitlines()) == 1
    assert db.read_text(encoding="utf-8") == "{not json"


def test_an_empty_database_file_is_not_taken_as_new(capsys, tmp_path: Path):
    db = tmp_path / "db.json"
    db.write_bytes(b"")
    code, _, err = run(capsys, "topics", "--db", str(db))
    assert code == 1 and str(db) in err
    assert db.read_bytes() == b""


def test_python_dash_m_tui_runs_the_command():
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--version"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0 and result.stdout.startswith("newsdesk ")


def test_unknown_article_for_compare_is_one_line(capsys):
    code, _, err = run(capsys, "compare", "000", "zzzz")
    assert code == 1
    assert "zzzz" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("args", [["compare", "000", "003"], ["compare", "000", "003", "--json"]])
def test_compare_the_two_seeds(capsys, args):
    code, out, err = run(capsys, *args)
    assert code == 0, err
    assert out.strip()


def test_an_unknown_format_is_named_before_anything_is_opened(capsys, tmp_path: Path):
    code, _, err = run(capsys, "export", "--format", "nope", "--db", str(tmp_path / "none.json"))
    assert code == 1 and "nope" in err and "json, jsonl" in err


def test_the_reader_without_a_terminal_says_so_in_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "--db", "/nonexistent/never-created.json"],
        cwd=ROOT, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL,
    )
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert not Path("/nonexistent/never-created.json").exists()


def test_import_names_every_span_it_skips(capsys, tmp_path: Path):
    seeds = json.loads(run(capsys, "list", "--json")[1])
    ani = next(row for row in seeds if row["source"] == "ANI")
    from newsdesk.annotations.corpus import read_article

    text = read_article(ani["path"]).text
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps({"text": text, "label": [[-5, 3, "energy"], [10, 5, "energy"], [0, 10**7, "x"]]}) + "\n")
    code, out, err = run(capsys, "import-spans", str(bad), "--db", str(tmp_path / "db.json"))
    assert code == 0
    assert "3 skipped" in out or "skipped" in out
    assert err.count("line 1") >= 3, err


def test_a_config_value_of_the_wrong_type_is_one_line(capsys, tmp_path: Path):
    from newsdesk.tui.config import config_path

    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("library = 5\n", encoding="utf-8")
    code, _, err = run(capsys, "list")
    assert code == 1 and "library must be text" in err and str(path) in err


def test_importing_a_folder_says_it_is_a_folder_not_missing(capsys, tmp_path: Path):
    folder = tmp_path / "exports"
    folder.mkdir()
    code, _, err = run(capsys, "import-spans", str(folder), "--db", str(tmp_path / "db.json"))
    assert code != 0
    assert "is a folder" in err and "no such file" not in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("as_suggestions", [False, True], ids=["spans", "suggestions"])
def test_topics_an_import_creates_get_free_keys_and_their_own_colours(capsys, tmp_path: Path, as_suggestions: bool):
    seeds = json.loads(run(capsys, "list", "--json")[1])
    from newsdesk.annotations.corpus import read_article
    from newsdesk.annotations.store import Store

    text = read_article(seeds[0]["path"]).text
    export = tmp_path / "export.jsonl"
    export.write_text(json.dumps({"text": text, "label": [[0, 4, "alpha"], [5, 9, "beta"]]}) + "\n")
    db = tmp_path / "db.json"
    for freed in ("cybersecurity", "energy"):  # keys 2 and 5
        assert run(capsys, "topics", "delete", freed, "--yes", "--db", str(db))[0] == 0
    argv = ["import-spans", str(export), "--db", str(db)] + (["--as-suggestions"] if as_suggestions else [])
    code, out, err = run(capsys, *argv)
    assert code == 0, err
    assert "2 new topics: alpha, beta" in out
    with Store(db, readonly=True) as store:
        topics = {topic.name: topic for topic in store.topics()}
    assert (topics["alpha"].key, topics["beta"].key) == (2, 5)
    colours = [topic.colour for topic in topics.values()]
    assert "#888888" not in colours and len(set(colours)) == len(colours)
