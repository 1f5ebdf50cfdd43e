"""`capsim run` over more than one calendar year prints each year at its own level under the
whole run's figures, with the span those cover (capsim.cli.print_year_table): a trial read a
three-year run's "28% within 72 h" as a level, when its years went from 100% to 0%."""

from __future__ import annotations

import pandas as pd
from typer.testing import CliRunner

from capsim.cli import app


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_a_run_over_two_years_prints_each_years_level(tmp_path):
    out = tmp_path / "o"
    result = CliRunner().invoke(app, ["run", "base", "-r", "2", "--set", "clock.horizon=450d", "--no-report",
                                      "--out", str(out)], terminal_width=250)
    assert result.exit_code == 0, result.output
    text = _flat(result.output)
    assert "By calendar year: the figures above are over " in text
    summary = pd.read_csv(out / "summary.csv")
    years = [p for p in dict.fromkeys(summary.period) if p != "all"]
    assert len(years) == 2
    lines = result.output.splitlines()
    table = lines[next(i for i, line in enumerate(lines) if "By calendar year" in line):]
    for year in years:  # each year's share within the deadline, as summary.csv has it
        share = summary[(summary.period == year) & (summary.metric == "sla_normal")]["mean"].item()
        row = next(line for line in table if line.startswith(f"│ {year}"))
        assert f"{share:.1%}" in row or f"{share:.0%}" in row


def test_a_run_within_one_year_prints_no_year_table(tmp_path):
    result = CliRunner().invoke(app, ["run", "base", "-r", "2", "--set", "clock.horizon=60d", "--no-report",
                                      "--out", str(tmp_path / "o")], terminal_width=250)
    assert result.exit_code == 0, result.output
    assert "By calendar year" not in result.output
