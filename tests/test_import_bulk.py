"""A large import does only the work it needs: no article file read when the record carries the
article's text, grapheme rules only where an offset is not plainly a boundary, one write."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk.annotations import text as textrules
from newsdesk.annotations.exporting import export
from newsdesk.annotations.importing import import_spans, placing
from newsdesk.annotations.store import Store

from articles import NASTY


def test_records_that_carry_their_article_text_read_no_article_file(store, library, tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    export(store, library, "jsonl", target)
    loads = []
    real_load = library.load
    monkeypatch.setattr(library, "load", lambda article_id: loads.append(article_id) or real_load(article_id))
    with Store(tmp_path / "fresh.json") as fresh:
        report = import_spans(fresh, library, target)
        assert fresh.span_count() == store.span_count() == report.added
    assert loads == []


def test_a_record_whose_text_changed_since_reads_its_article(library, tmp_path, monkeypatch):
    entry = library.entries[0]
    article = library.load(entry.id)
    word = article.text.split()[1]
    at = article.text.index(word)
    path = tmp_path / "old.jsonl"
    path.write_text(json.dumps({"format": "newsdesk", "version": 1, "id": entry.id, "text": "Older: " + article.text,
                                "spans": [{"start": at + 7, "end": at + 7 + len(word), "topics": ["W"]}]}) + "\n", "utf-8")
    loads = []
    real_load = library.load
    monkeypatch.setattr(library, "load", lambda article_id: loads.append(article_id) or real_load(article_id))
    with Store(tmp_path / "db.json") as store:
        report = import_spans(store, library, path)
        [span] = store.spans_for(entry.id)
    assert loads == [entry.id] and span.text == word and report.reanchored == 1


def test_offsets_already_on_a_boundary_are_not_snapped(store, library, tmp_path, monkeypatch):
    target = tmp_path / "out.jsonl"
    export(store, library, "doccano", target)
    calls = []
    for name in ("snap_start", "snap_end"):
        real = getattr(textrules, name)
        monkeypatch.setattr(textrules, name, lambda text, i, real=real: calls.append(i) or real(text, i))
    with Store(tmp_path / "fresh.json") as fresh:
        report = import_spans(fresh, library, target)
    assert report.added == store.span_count() and report.snapped == 0 and calls == []


TEXTS = list(NASTY.values()) + ["a\r\nb", "\u0600\u0661x", "ก\u0e33 ", "क्\u200dष ", "🇯🇵🇬🇧a", "e\u0301 ", "각\u11a8 "]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(TEXTS), st.data())
def test_the_quick_boundary_test_agrees_with_the_grapheme_rules(text, data):
    i = data.draw(st.integers(0, len(text)))
    assert placing.on_boundary(text, i) == textrules.is_boundary(text, i)


@settings(max_examples=100, deadline=None)
@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=30), st.data())
def test_utf16_offsets_convert_to_the_same_characters(text, data):
    i = data.draw(st.integers(0, len(text)))
    convert = placing._utf16_converter(text)
    units = len(text[:i].encode("utf-16-le")) // 2
    assert convert(units) == i


def test_a_batch_larger_than_the_database_is_written_once_as_a_snapshot(store, library, tmp_path, monkeypatch):
    from newsdesk.annotations import store as store_module

    target = tmp_path / "out.jsonl"
    export(store, library, "jsonl", target)
    monkeypatch.setattr(store_module, "_COMPACT_MIN_RECORDS", 5)
    db = tmp_path / "fresh.json"
    with Store(db) as fresh:
        import_spans(fresh, library, target)
        assert fresh.journal_path.stat().st_size == 0  # not journalled and then compacted: written once
    snapshot = json.loads(db.read_text("utf-8"))
    assert len(snapshot["spans"]) == store.span_count()
    with Store(db, readonly=True) as again:
        assert sorted(s.id for s in again.iter_spans()) == sorted(s.id for s in store.iter_spans())


def test_a_snapshot_batch_that_cannot_be_written_changes_nothing(store, library, tmp_path, monkeypatch):
    import errno
    import os

    import pytest

    from newsdesk.annotations import store as store_module
    from newsdesk.annotations.model import Span
    from newsdesk.annotations.store import StoreError

    target = tmp_path / "out.jsonl"
    export(store, library, "jsonl", target)
    monkeypatch.setattr(store_module, "_COMPACT_MIN_RECORDS", 5)
    db = tmp_path / "fresh.json"
    with Store(db) as fresh:
        topics = fresh.topics()
        real_replace = os.replace

        def disk_full(*args, **kwargs):
            raise OSError(errno.ENOSPC, "No space left on device")

        monkeypatch.setattr(store_module.os, "replace", disk_full)
        with pytest.raises(StoreError, match="No space left"):
            import_spans(fresh, library, target)
        monkeypatch.setattr(store_module.os, "replace", real_replace)
        assert fresh.span_count() == 0 and fresh.topics() == topics
        article = library.load(library.entries[0].id)
        fresh.add_span(Span.create(article, 0, 3, ["After"]))  # and the store goes on working
    with Store(db, readonly=True) as again:
        assert [s.topics for s in again.iter_spans()] == [("After",)]
        assert {t.name for t in again.topics()} == {t.name for t in topics}


def test_an_import_killed_at_any_moment_leaves_all_of_it_or_none(library, tmp_path):
    import os
    import random
    import re
    import signal
    import subprocess
    import sys
    import time

    from conftest import ROOT

    lines, expected = [], 0
    for entry in library.entries:
        article = library.load(entry.id)
        words = [(m.start(), m.end()) for m in re.finditer(r"\w+", article.text)]
        runs = [(words[i][0], words[i + n - 1][1]) for n in range(1, 5) for i in range(len(words) - n + 1)]
        expected += len(set(runs))
        lines.append(json.dumps({"text": article.text, "label": [[s, e, "Words"] for s, e in runs]}))
    source = tmp_path / "words.jsonl"
    source.write_text("\n".join(lines) + "\n", "utf-8")
    assert expected > 2000  # more than the journal keeps before compacting: the snapshot path
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-m", "newsdesk", "import-spans", str(source), "--library", str(library.folder)]
    started = time.perf_counter()
    assert subprocess.run(argv + ["--db", str(tmp_path / "whole.json")], env=env, capture_output=True).returncode == 0
    full = time.perf_counter() - started
    with Store(tmp_path / "whole.json", readonly=True) as whole:
        expected = whole.span_count()  # a few runs snap onto one another and count once
    rng = random.Random(10)
    outcomes = set()
    for kill in range(4):
        db = tmp_path / f"killed-{kill}.json"
        child = subprocess.Popen(argv + ["--db", str(db)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(full * rng.uniform(0.3, 1.0))
        child.send_signal(signal.SIGKILL)
        child.wait()
        if not db.exists():
            outcomes.add("none")
            continue
        with Store(db) as store:
            count = store.span_count()
            assert count in (0, expected), count
            outcomes.add("all" if count else "none")
            for span in store.iter_spans():
                assert library.load(span.article_id).text[span.start:span.end] == span.text
    assert outcomes  # each run ended whole or empty
