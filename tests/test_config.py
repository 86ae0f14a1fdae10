"""Settings come from flags, then NEWSDESK_* variables, then the config file; a bad config is one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.tui.cli import main
from newsdesk.tui.config import ConfigError, config_path, load_settings


def write_config(text: str) -> Path:
    path = config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_flags_beat_the_environment_which_beats_the_config_file(monkeypatch):
    write_config('annotator = "from-config"\ndb = "/tmp/config.json"\n[keymap]\n"annotate.undo" = "U"\n')
    assert load_settings().annotator == "from-config"
    monkeypatch.setenv("NEWSDESK_ANNOTATOR", "from-env")
    assert load_settings().annotator == "from-env"
    assert load_settings(annotator="from-flag").annotator == "from-flag"
    settings = load_settings()
    assert settings.db == Path("/tmp/config.json")
    assert settings.keymap == {"annotate.undo": "U"}


def test_without_anything_the_annotator_is_the_login_name():
    assert load_settings().annotator


def test_a_broken_config_file_is_one_line_naming_it(capsys):
    path = write_config("annotator = \n")
    with pytest.raises(ConfigError) as error:
        load_settings()
    assert str(path) in str(error.value) and "\n" not in str(error.value)
    assert main(["topics"]) == 1
    err = capsys.readouterr().err
    assert str(path) in err and len(err.strip().splitlines()) == 1


def test_a_keymap_that_is_not_a_table_of_strings_is_refused():
    write_config("[keymap]\n\"annotate.undo\" = 3\n")
    with pytest.raises(ConfigError, match="keymap"):
        load_settings()


@pytest.mark.anyio
async def test_a_theme_chosen_in_the_app_is_the_one_it_opens_with_next_time(tmp_path):
    from newsdesk.tui.app import make_app

    app = make_app(db=tmp_path / "db.json")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        app.theme = "textual-light"
        await pilot.pause()
    assert load_settings().theme == "textual-light"
    write_config('theme = "nord"\n')
    assert load_settings().theme == "nord"  # the config file still wins
