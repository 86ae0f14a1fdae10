"""Where newsdesk keeps its files by default: per-OS dirs from `platformdirs`, the field's library.

On Linux these are the XDG dirs (`$XDG_DATA_HOME/newsdesk`, `$XDG_CACHE_HOME/newsdesk`, ...,
honouring the variables), on macOS `~/Library/...`, on Windows `%LOCALAPPDATA%`. A
`NEWSDESK_*` variable, where a caller offers one, wins over all of them. Nothing is created here.
"""

from __future__ import annotations

from pathlib import Path

import platformdirs

_APP = "newsdesk"


def data_dir() -> Path:
    """The database's folder: `$XDG_DATA_HOME/newsdesk` (~/.local/share/newsdesk) on Linux."""
    return Path(platformdirs.user_data_dir(_APP, appauthor=False))


def cache_dir() -> Path:
    """Library caches and crash logs: `$XDG_CACHE_HOME/newsdesk` (~/.cache/newsdesk) on Linux."""
    return Path(platformdirs.user_cache_dir(_APP, appauthor=False))


def config_dir() -> Path:
    """`config.toml`: `$XDG_CONFIG_HOME/newsdesk` (~/.config/newsdesk) on Linux."""
    return Path(platformdirs.user_config_dir(_APP, appauthor=False))


def state_dir() -> Path:
    """What the app remembers by itself: `$XDG_STATE_HOME/newsdesk` (~/.local/state/newsdesk) on Linux."""
    return Path(platformdirs.user_state_dir(_APP, appauthor=False))
