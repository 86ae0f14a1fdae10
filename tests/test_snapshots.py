"""The screens as a person sees them, at 120x40 and 80x24 (and the side-by-side sizes).

These drive the same scenarios `newsdesk screenshots` renders into screenshots/, over the seeds and
a demo database with overlapping spans. Update with `pytest tests/test_snapshots.py --snapshot-update`
after an intended change, and look at the new SVGs before committing them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsdesk.tui.screenshots import SCENARIOS, demo_database, scenario_app, settle


@pytest.mark.parametrize("scenario", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_screen_looks_right(scenario, snap_compare, tmp_path: Path):
    app = scenario_app(scenario, demo_database(tmp_path / "db.json"))

    async def run_before(pilot):
        await pilot.pause()
        for key in scenario.press:
            await pilot.press(key)
        await settle(pilot.app, pilot)

    assert snap_compare(app, terminal_size=scenario.size, run_before=run_before)
