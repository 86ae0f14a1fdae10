"""Where `export -o PATH` writes: links, devices, pipes, sockets, standard output; and a full disk at every write."""

from __future__ import annotations

import errno
import json
import os
import socket
import stat
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import ROOT
from newsdesk.annotations.exporting import ExportError, ExportFilter, export
from newsdesk.annotations.model import Span
from newsdesk.annotations.store import Store
from newsdesk.tui.cli import main


def one_line(error: pytest.ExceptionInfo) -> str:
    message = str(error.value)
    assert message and "\n" not in message
    return message


def test_a_symlink_is_followed_and_the_file_it_points_at_is_replaced(store, library, tmp_path):
    real = tmp_path / "real.jsonl"
    real.write_text("old", encoding="utf-8")
    link = tmp_path / "link.jsonl"
    link.symlink_to(real)
    with pytest.raises(ExportError, match="--force"):
        export(store, library, "jsonl", link)
    export(store, library, "jsonl", link, force=True)
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert json.loads(real.read_text("utf-8").splitlines()[0])["format"] == "newsdesk"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_symlink_to_nothing_yet_creates_its_target(store, library, tmp_path):
    link = tmp_path / "later.jsonl"
    link.symlink_to(tmp_path / "made.jsonl")
    export(store, library, "jsonl", link)
    assert link.is_symlink() and (tmp_path / "made.jsonl").read_text("utf-8")


def test_a_symlink_loop_is_one_line(store, library, tmp_path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    with pytest.raises(ExportError) as refused:
        export(store, library, "jsonl", tmp_path / "a", force=True)
    assert "loop" in one_line(refused)
    assert (tmp_path / "a").is_symlink()


def test_a_character_device_is_written_as_a_stream_and_stays_a_device(store, library, tmp_path):
    device = tmp_path / "null"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # a /dev/null of our own
    except PermissionError:
        pytest.skip("making a device node needs root")
    for name in ("jsonl", "spacy"):
        report = export(store, library, name, device, force=True)
        assert stat.S_ISCHR(os.stat(device).st_mode), "the device node was replaced by a file"
        assert report.spans > 0
    export(store, library, "jsonl", device)  # nothing is replaced, so no --force is needed
    assert stat.S_ISCHR(os.stat(device).st_mode)
    with pytest.raises(ExportError, match="folder"):
        export(store, library, "brat", device, force=True)


def test_a_named_pipe_is_written_to_its_reader_and_one_without_a_reader_is_refused(store, library, tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(ExportError) as refused:
        export(store, library, "jsonl", fifo, force=True)  # no reader: refused, never hangs
    assert "no one is reading" in one_line(refused)
    received: list[bytes] = []
    fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there before the export starts
    finished = threading.Event()

    def read_all() -> None:
        import select

        while True:
            select.select([fd], [], [], 0.05)
            try:
                chunk = os.read(fd, 1 << 16)
            except BlockingIOError:
                continue
            if chunk:
                received.append(chunk)
            elif finished.is_set():  # no writer any more and the export is over
                return

    reader = threading.Thread(target=read_all)
    reader.start()
    try:
        report = export(store, library, "jsonl", fifo, force=True)
    finally:
        finished.set()
        reader.join(10)
        os.close(fd)
    received = [b"".join(received)]
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    lines = received[0].decode("utf-8").splitlines()
    assert len(lines) == report.articles and json.loads(lines[0])["format"] == "newsdesk"


def test_a_socket_is_refused_in_one_line(store, library, tmp_path):
    path = tmp_path / "s.sock"
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(path))
    try:
        with pytest.raises(ExportError) as refused:
            export(store, library, "jsonl", path, force=True)
        assert "socket" in one_line(refused)
        assert stat.S_ISSOCK(os.stat(path).st_mode)
    finally:
        server.close()


def test_dash_is_standard_output(store, library, capsysbinary):
    report = export(store, library, "jsonl", Path("-"))
    out = capsysbinary.readouterr().out.decode("utf-8")
    assert report.path is None and len(out.splitlines()) == report.articles
    assert not Path("-").exists()


def test_an_unknown_topic_is_refused_in_one_line_and_a_known_one_is_not(store, library, tmp_path, capsys):
    with pytest.raises(ExportError) as refused:
        export(store, library, "jsonl", tmp_path / "x.jsonl", ExportFilter(topics=("nosuchtopic",)))
    assert "nosuchtopic" in one_line(refused) and "newsdesk topics" in str(refused.value)
    assert not (tmp_path / "x.jsonl").exists()
    report = export(store, library, "jsonl", tmp_path / "x.jsonl", ExportFilter(topics=("Places",)))
    assert report.spans > 0


def test_the_command_refuses_an_unknown_topic_with_a_non_zero_exit(store, library, tmp_path, capsys):
    db, folder = str(store.path), str(library.folder)
    store.close()
    code = main(["export", "--db", db, "--library", folder, "--topic", "nosuchtopic", "-o", str(tmp_path / "o.json")])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and "nosuchtopic" in err


def test_export_into_head_stops_quietly_with_exit_0(tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    texts = [f"Article {n}\n\n" + ("Long enough sentence about trade and security. " * 60) + f"Number {n}." for n in range(60)]
    for n, text in enumerate(texts):
        (folder / f"{n:03}.txt").write_text(text, encoding="utf-8")
    from newsdesk.annotations.corpus import Library

    library = Library.open(folder, cache_dir=tmp_path / "cache")
    with Store(tmp_path / "db.json") as store:
        for entry in library.entries:
            store.set_done(entry.id, True)  # done articles export as negative examples: > 64 KB in all
    env = {**os.environ, "PYTHONPATH": str(ROOT), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    command = [sys.executable, "-m", "newsdesk", "--library", str(folder), "--db", str(tmp_path / "db.json"),
               "export", "--format", "jsonl"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert process.stdout is not None and process.stderr is not None
    first = process.stdout.readline()  # `| head -1`
    process.stdout.close()
    err = process.stderr.read().decode("utf-8")
    assert process.wait(60) == 0, err
    assert json.loads(first)["format"] == "newsdesk"
    assert err == ""


# --- a full disk at every write point: the previous file stays, nothing half-written is left -------

def _count_calls(monkeypatch, name: str, run) -> int:
    real = getattr(os, name)
    calls = {"n": 0}

    def counting(*args, **kwargs):
        calls["n"] += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, counting)
    run()
    monkeypatch.setattr(os, name, real)
    return calls["n"]


def _failing_at(monkeypatch, name: str, index: int):
    real = getattr(os, name)
    calls = {"n": 0}

    def failing(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == index:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(*args, **kwargs)

    monkeypatch.setattr(os, name, failing)
    return real


def _snapshot(path: Path):
    if path.is_dir():
        return {p.name: p.read_bytes() for p in sorted(path.iterdir())}
    return path.read_bytes()


def _restore(path: Path, state) -> None:
    import shutil

    if isinstance(state, dict):
        shutil.rmtree(path)
        path.mkdir()
        for name, data in state.items():
            (path / name).write_bytes(data)
    else:
        path.write_bytes(state)


@pytest.mark.parametrize("format_name", ["jsonl", "label-studio", "conll", "spacy", "brat"])
def test_a_full_disk_at_any_write_leaves_the_previous_export_whole(store, library, tmp_path, monkeypatch, format_name):
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    target = out_dir / "out"
    export(store, library, format_name, target)
    old = _snapshot(target)
    article = library.load(library.entries[-1].id)
    store.add_span(Span.create(article, 0, len(article.text.split()[0]), ["Changed"]))
    export(store, library, format_name, out_dir / "new")
    new = _snapshot(out_dir / "new")
    assert new != old
    faults = 0
    for name in ("write", "fsync", "replace", "rename"):
        total = _count_calls(monkeypatch, name, lambda: export(store, library, format_name, out_dir / "new", force=True))
        for index in range(1, total + 1):
            real = _failing_at(monkeypatch, name, index)
            try:
                export(store, library, format_name, target, force=True)
            except ExportError as error:
                assert "No space left on device" in str(error) and "\n" not in str(error)
                faults += 1
            finally:
                monkeypatch.setattr(os, name, real)
            state = _snapshot(target)
            assert state in (old, new), f"{name} #{index} left a half-written export"
            assert [p.name for p in out_dir.iterdir() if p.name.startswith(".")] == []
            if state == new:  # the fault came once the new export was whole and in place
                _restore(target, old)
    assert faults >= 2
