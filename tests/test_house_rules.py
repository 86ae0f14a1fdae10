"""Rules the whole app keeps, checked over its source."""

from __future__ import annotations

import re

from conftest import ROOT


def test_every_toast_goes_through_say_so_titles_are_never_markup():
    offenders = []
    for path in sorted((ROOT / "tui").rglob("*.py")):
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1):
            if re.search(r"\.notify\(", line) and "markup=False" not in line:
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert offenders == []


def test_no_widget_text_is_built_from_an_f_string_markup():
    pattern = re.compile(r"(Static|Label|Option)\(\s*f[\"']")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted((ROOT / "tui").rglob("*.py"))
        for number, line in enumerate(path.read_text("utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert offenders == []
