"""`pip install .` must carry the seeds and the stylesheet, not only the Python files."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

from conftest import ROOT


def test_the_wheel_installs_one_newsdesk_package_with_seeds_and_stylesheets(tmp_path: Path):
    result = subprocess.run(
        [sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    (wheel,) = tmp_path.glob("newsdesk-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for seed in sorted((ROOT / "seeds").glob("*.txt")):
        assert f"newsdesk/seeds/{seed.name}" in names
    assert "newsdesk/tui/newsdesk.tcss" in names
    assert "newsdesk/annotations/formats/newsdesk.schema.json" in names
    assert "newsdesk/annotations/store.py" in names and "newsdesk/tui/app.py" in names
    assert "newsdesk/__init__.py" in names and "newsdesk/__main__.py" in names
    # one top-level import package: nothing of newsdesk's can clash with another `annotations` or `tui`
    top_level = {n.split("/")[0] for n in names if not n.split("/")[0].endswith(".dist-info")}
    assert top_level == {"newsdesk"}
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    assert "newsdesk = newsdesk.tui.cli:main" in zipfile.ZipFile(wheel).read(entry_points).decode()
    # nothing from the test tree or caches
    assert not any(n.startswith("tests/") or "__pycache__" in n for n in names)
