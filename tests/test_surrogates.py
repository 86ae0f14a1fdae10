"""A lone surrogate (from a paste, an undecodable name in the environment) never reaches the store.

Once stored, `\\ud800` makes `topics` and every export fail to encode. A new topic's name holding
one is refused by the picker; a note is cleaned like article text, U+FFFD in its place; a
setting that holds one is refused in one line naming where it came from.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from newsdesk.annotations.store import Store
from newsdesk.tui.app import make_app
from newsdesk.tui.config import ConfigError, load_settings
from conftest import ROOT

pytestmark = pytest.mark.anyio

LONE = "\ud800"


async def type_into_focused_input(pilot, value: str) -> None:
    box = pilot.app.focused
    assert isinstance(box, Input), box
    box.value = value  # as a paste would leave it
    await pilot.pause()
    await pilot.press("enter")
    await pilot.pause()


async def test_a_lone_surrogate_typed_into_a_topic_name_is_refused_and_in_a_note_replaced(tmp_path: Path) -> None:
    from textual.widgets import OptionList

    db = tmp_path / "db.json"
    app = make_app(db=db)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")  # the first seed
        await pilot.pause()
        await pilot.press("s")  # its first sentence
        await pilot.pause()
        await pilot.press("t")  # the topic picker
        await pilot.pause()
        pilot.app.focused.value = f"rare{LONE}earths"  # as a paste would leave it
        await pilot.pause()
        options = pilot.app.screen.query_one(OptionList)
        last = options.get_option_at_index(options.option_count - 1)
        assert last.disabled, "a name holding a lone surrogate was offered as a new topic"
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("5")  # tag it with energy instead
        await pilot.pause()
        await pilot.press("g")  # back to the start: inside the new span
        await pilot.pause()
        await pilot.press("enter")  # the span under the cursor: its note
        await pilot.pause()
        await type_into_focused_input(pilot, f"see{LONE}also")
    with Store(db, readonly=True) as store:
        names = [topic.name for topic in store.topics()]
        (span,) = list(store.iter_spans())
    assert not any("earths" in name for name in names) and span.topics == ("energy",)
    assert span.note == "see\ufffdalso"
    result = subprocess.run(
        [sys.executable, "-m", "newsdesk", "export", "--format", "jsonl", "--db", str(db)],
        capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)}, timeout=60,
    )
    assert result.returncode == 0 and "see\ufffdalso" in result.stdout, result.stderr


def test_an_annotator_name_with_a_lone_surrogate_is_refused_naming_its_source(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWSDESK_ANNOTATOR", "ana\udcff")  # what os.environ makes of the byte 0xff
    with pytest.raises(ConfigError, match=r"NEWSDESK_ANNOTATOR.*not UTF-8 text"):
        load_settings()
    with pytest.raises(ConfigError, match=r"--annotator.*not UTF-8 text"):
        load_settings(annotator="bob\udcff")


def test_a_config_file_that_is_not_utf8_is_one_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config.toml"
    config.write_bytes(b'annotator = "ana\xff"\n')
    monkeypatch.setenv("NEWSDESK_CONFIG", str(config))
    with pytest.raises(ConfigError, match="not UTF-8 text") as caught:
        load_settings()
    assert str(config) in str(caught.value) and "\n" not in str(caught.value)
