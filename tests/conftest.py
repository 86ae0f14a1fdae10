"""Every test gets its own data, cache and config dirs, so nothing touches the user's files."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from newsdesk.annotations.corpus import Library  # noqa: E402
from newsdesk.annotations.store import Store  # noqa: E402
from articles import annotate, write_articles  # noqa: E402


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point XDG dirs and every NEWSDESK_* variable at a fresh folder; freeze cursor blink."""
    home = tmp_path_factory.mktemp("home")
    for name in ("XDG_DATA_HOME", "XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_STATE_HOME"):
        path = home / name.lower()
        path.mkdir()
        monkeypatch.setenv(name, str(path))
    for name in list(os.environ):
        if name.startswith("NEWSDESK_"):
            monkeypatch.delenv(name)
    monkeypatch.setenv("NEWSDESK_BLINK", "0")
    return home


@pytest.fixture
def anyio_backend() -> str:
    """Async tests (Pilot) run on asyncio."""
    return "asyncio"


# -- the library and store the export and import tests share ------------------------------------


@pytest.fixture
def library(tmp_path: Path) -> Library:
    """A library of the NASTY articles and the seeds, in a folder of its own."""
    return Library.open(write_articles(tmp_path / "articles"), cache_dir=tmp_path / "cache")


@pytest.fixture
def store(tmp_path: Path, library: Library) -> Iterator[Store]:
    """A store holding `articles.annotate`'s spans over `library`."""
    with Store(tmp_path / "db.json") as store:
        annotate(store, library)
        yield store
