"""The sweep's terminal table shows what a funder sweeps for: the cost, and how busy the analysts
are against the hours they may review (a tool's price swept showed no column that moved)."""

from __future__ import annotations

from tests.test_cli import real


def test_sweep_table_shows_cost_and_usable_utilisation(tmp_path):
    result = real("sweep", "base", "--grid", "workforce.analysts.headcount=12,14", "-r", "1", "--set",
                  "clock.horizon=20d", "--set", "clock.warmup=0d", "--out", tmp_path / "sweep")
    assert result.returncode == 0, result.stderr
    heading = next(line for line in result.stdout.splitlines() if "headcount" in line and "point" in line)
    assert "cost_total" in heading and "utilisation_usable" in heading
    rows = [line for line in result.stdout.splitlines() if line.startswith("│")]
    assert len(rows) == 2 and rows[0] != rows[1]
