"""Where newsdesk finds its library, its database, the annotator's name and the user's keymap.

Each setting comes from, in order: a command-line flag, an environment variable, the config
file (`$XDG_CONFIG_HOME/newsdesk/config.toml`), a default. This module never imports Textual,
so headless commands stay fast.
"""

from __future__ import annotations

import getpass
import json
import os
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

from .errors import first_line

__all__ = ["Settings", "ConfigError", "config_path", "load_settings", "state_path", "load_state", "save_state"]


class ConfigError(Exception):
    """The config file could not be used; the message is one line naming the file."""


def state_path() -> Path:
    """`$XDG_STATE_HOME/newsdesk/state.json` (~/.local/state/...): what the app remembers by itself."""
    from newsdesk.annotations.paths import state_dir

    return state_dir() / "state.json"


def load_state() -> dict[str, Any]:
    """The remembered state (the theme last chosen); empty when missing or unreadable (it is only a memory)."""
    try:
        data = json.loads(state_path().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def save_state(**changes: Any) -> None:
    """Remember `changes` (atomically); a state that cannot be written is silently not remembered."""
    path = state_path()
    data = {**load_state(), **changes}
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp = tempfile.mkstemp(prefix=".state-", dir=path.parent)
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(data, out)
        os.replace(temp, path)
    except OSError:
        pass


def config_path() -> Path:
    """`$NEWSDESK_CONFIG`, else `$XDG_CONFIG_HOME/newsdesk/config.toml` (~/.config/...)."""
    explicit = os.environ.get("NEWSDESK_CONFIG")
    if explicit:
        return Path(explicit).expanduser()
    from newsdesk.annotations.paths import config_dir

    return config_dir() / "config.toml"


@dataclass(frozen=True)
class Settings:
    """Everything the app needs to start, resolved from flags, environment and config."""

    library: Path | None
    db: Path | None
    annotator: str
    theme: str | None = None
    keymap: Mapping[str, str] = field(default_factory=dict)
    granularity: str = "word"
    """How selections snap: "word" (whole words, edge punctuation trimmed when tagging) or "grapheme"."""
    topics: Path | None = None
    """A file listing the project's own topic set (`--topics`, `NEWSDESK_TOPICS`), or None."""
    bidi: str = "app"  # who puts right-to-left lines in visual order: "app" or "terminal"


def _login_name() -> str:
    try:
        return getpass.getuser() or "anonymous"
    except Exception:  # no login name in some containers
        return "anonymous"


def _is_text(value: str) -> bool:
    """Whether `value` can be stored and written out: no lone surrogates."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _read_config(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    # Loaded only when there is a config file to read: most starts have none (start-up time).
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: the config file is not UTF-8 text; save it as UTF-8 or remove it") from None
    except (OSError, tomllib.TOMLDecodeError) as error:
        reason = first_line(error)
        raise ConfigError(f"{path}: cannot read the config file ({reason}); fix or remove it") from None
    return data


def load_settings(
    *,
    library: str | None = None,
    db: str | None = None,
    annotator: str | None = None,
    topics: str | None = None,
) -> Settings:
    """Resolve the settings: flags win over `NEWSDESK_*` variables, which win over the config file."""
    path = config_path()
    data = _read_config(path)
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict) or not all(isinstance(v, str) for v in keymap.values()):
        raise ConfigError(f'{path}: [keymap] must map binding ids to keys, e.g. "article.cursor_down" = "j,down"')
    bidi = data.get("bidi", "app")
    if bidi not in ("app", "terminal"):
        raise ConfigError(
            f'{path}: bidi must be "app" (newsdesk reorders Arabic and Hebrew) or "terminal" '
            "(the terminal does); fix the config file"
        )
    for key in ("library", "db", "annotator", "theme", "topics"):
        if key in data and not isinstance(data[key], str):
            raise ConfigError(f'{path}: {key} must be text in quotes, e.g. {key} = "…"; fix the config file')
    granularity = data.get("granularity", "word")
    if granularity not in ("word", "grapheme"):
        raise ConfigError(f'{path}: granularity must be "word" or "grapheme"; fix the config file')
    library_value = library or os.environ.get("NEWSDESK_LIBRARY") or data.get("library")
    db_value = db or os.environ.get("NEWSDESK_DB") or data.get("db")
    name, source = next(
        (value, where)
        for value, where in (
            (annotator, "--annotator"),
            (os.environ.get("NEWSDESK_ANNOTATOR"), "$NEWSDESK_ANNOTATOR"),
            (data.get("annotator"), str(path)),
            (_login_name(), "the login name"),
        )
        if value
    )
    if not _is_text(name):  # bytes that were not UTF-8 arrive as lone surrogates
        raise ConfigError(
            f"the annotator name from {source} is not UTF-8 text; give a plain name, e.g. --annotator ana"
        )
    theme = data.get("theme") or load_state().get("theme")  # the config wins over what was last chosen
    topics_value = topics or os.environ.get("NEWSDESK_TOPICS") or data.get("topics")
    return Settings(
        library=Path(library_value).expanduser() if library_value else None,
        db=Path(db_value).expanduser() if db_value else None,
        annotator=str(name),
        theme=str(theme) if theme else None,
        keymap=dict(keymap),
        granularity=granularity,
        topics=Path(topics_value).expanduser() if topics_value else None,
        bidi=bidi,
    )
