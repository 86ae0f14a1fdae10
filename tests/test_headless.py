"""The core and the headless commands never load Textual."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def run_python(code: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_importing_the_whole_core_does_not_load_textual():
    result = run_python(
        "import sys, pkgutil, importlib, newsdesk.annotations as annotations\n"
        "for m in pkgutil.walk_packages(annotations.__path__, 'newsdesk.annotations.'):\n"
        "    importlib.import_module(m.name)\n"
        "print('textual' in sys.modules)"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_headless_commands_do_not_load_textual():
    result = run_python(
        "import sys, contextlib, io\n"
        "from newsdesk.tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    for argv in (['list'], ['list', '--json'], ['topics']):\n"
        "        assert main(argv) == 0, argv\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'textual'))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_warm_library_opens_without_loading_the_parsers():
    """Start-up cost: an unchanged library comes from its cache, so regex and dateutil stay unloaded."""
    result = run_python(
        "import sys\n"
        "from newsdesk.annotations.corpus import Library, seeds_dir\n"
        "Library.open(seeds_dir())\n"  # fills the cache
        "for name in [m for m in sys.modules if m.startswith(('regex', 'dateutil', 'newsdesk.annotations.reading'))]:\n"
        "    del sys.modules[name]\n"
        "Library.open(seeds_dir())\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('regex', 'dateutil') or m == 'newsdesk.annotations.reading'))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_plain_start_up_imports_no_extractor_feed_parser_or_http_client():
    """trafilatura, feedparser, httpx and pyarrow load only when a page, feed or Parquet file is read."""
    result = run_python(
        "import sys, contextlib, io\n"
        "from newsdesk.tui.cli import main, build_parser\n"
        "from newsdesk.tui import cli\n"
        "settings = cli._settings(build_parser().parse_args([]))\n"
        "cli._open_library(settings, build_parser().parse_args([]))\n"
        "import newsdesk.tui.app\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['list']) == 0 and main(['feeds', 'list']) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('trafilatura', 'feedparser', 'httpx', 'pyarrow', 'lxml')))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
