"""No table capsim prints cuts a number or a name: at 80 columns (a common terminal) a cell that
does not fit wraps or folds onto the next line, never "5,575,9…" nor past the right edge."""

from __future__ import annotations

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

import capsim.cli as cli
from capsim.cli import format_value, with_ci

SHORT = ["--set", "clock.horizon=30d", "-r", "2"]


def printed(monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    """What ``capsim ARGS`` prints on a terminal ``width`` columns wide."""
    monkeypatch.setattr(cli, "out_console", Console(width=width))
    done = CliRunner().invoke(cli.app, list(args))
    assert done.exit_code == 0, done.output
    return done.stdout


def table_lines(text: str) -> list[str]:
    """The lines of the tables in ``text`` (those drawn with the tables' borders)."""
    return [line for line in text.splitlines() if line[:1] in "┏┃┡│└"]


def whole(text: str, width: int) -> None:
    """Every table line fits in ``width`` columns, closes with its right border and cuts nothing."""
    lines = table_lines(text)
    assert lines
    assert all(len(line) <= width and line[-1] in "┓┃┩│┘" for line in lines), "\n".join(lines)
    assert not any("…" in line for line in lines), "\n".join(lines)


def on_a_line(value: str, text: str) -> bool:
    """``value`` appears whole on one printed line (within one cell)."""
    return any(value in line for line in text.splitlines())


def test_calibrate_keeps_every_name_and_number_whole(tmp_path, monkeypatch):
    # At 80 columns the metric was "analyst_ho…" and its published figure "(iwf23_ana…".
    text = printed(monkeypatch, 80, "calibrate", "iwf-forum-2023", "-r", "2", "--out", str(tmp_path / "c"))
    whole(text, 80)
    checks = pd.read_csv(tmp_path / "c" / "calibration.csv")
    cells = "".join(line.split("│")[1].strip() for line in table_lines(text) if line.startswith("│"))
    for row in checks.itertuples():
        assert f"{row.metric}({row.published_id})" in cells  # read down the column
        for value in (row.published, row.mean, row.ci_low, row.ci_high, row.allowed_low, row.allowed_high):
            assert on_a_line(format_value(value), text), (format_value(value), text)


def test_sensitivity_keeps_parameter_names_whole(tmp_path, monkeypatch):
    # At 80 columns the parameters were "workforce…" and "review.re…": which was which?
    keys = ["workforce.analysts.headcount", "review.report.mean"]
    text = printed(monkeypatch, 80, "sensitivity", "base", "-p", ",".join(keys), *SHORT, "--out", str(tmp_path / "s"))
    whole(text, 80)
    cells = "".join(line.split("│")[1].strip() for line in table_lines(text) if line.startswith("│"))
    assert all(key in cells for key in keys), cells
    table = pd.read_csv(tmp_path / "s" / "sensitivity.csv")
    for row in table.itertuples():
        for value in (row.low_mean, row.high_mean, row.effect, row.effect_ci_low, row.effect_ci_high):
            assert on_a_line(format_value(value), text), (format_value(value), text)


def test_the_staffing_plan_shows_every_column(tmp_path, monkeypatch):
    # At 80 columns the plan's last columns ("busy (usable)", "reps met", "met") fell past the
    # right edge, cut off without a mark.
    text = printed(monkeypatch, 80, "staff", "base", "-r", "2", "--set", "clock.horizon=180d",
                   "--out", str(tmp_path / "p"))
    whole(text, 80)
    plan = pd.read_csv(tmp_path / "p" / "staffing_plan.csv")
    body = [line for line in table_lines(text) if line.startswith("│")]
    assert "".join(line.split("│")[-2].strip() for line in body) == "".join("yes" if m else "NO" for m in plan.met)


def test_the_budget_names_each_scenario_and_gives_each_total(tmp_path, monkeypatch):
    # The scenario column was squeezed to nothing; a wide terminal shows each total on one line.
    text = printed(monkeypatch, 80, "budget", "base", "-r", "2", "--set", "clock.horizon=400d",
                   "--out", str(tmp_path / "b"))
    whole(text, 80)
    assert on_a_line("│ base", text)
    budget = pd.read_csv(tmp_path / "b" / "budget.csv")
    text = printed(monkeypatch, 160, "budget", "base", "-r", "2", "--set", "clock.horizon=400d",
                   "--out", str(tmp_path / "b"))
    whole(text, 160)
    for row in budget.itertuples():
        assert on_a_line(with_ci(row.total_cost, row.total_cost_ci_low, row.total_cost_ci_high), text)


def test_run_keeps_its_means_whole_even_on_a_narrow_terminal(tmp_path, monkeypatch):
    # The metric column would not wrap: on a 60-column terminal "time_to_assessment_p90" was cut.
    from capsim.scenario import load_scenario
    from capsim.words import fmt

    text = printed(monkeypatch, 60, "run", "base", *SHORT, "--no-report", "--out", str(tmp_path / "r"))
    whole(text, 60)
    summary = pd.read_csv(tmp_path / "r" / "summary.csv")
    currency = load_scenario("scenarios/base.yaml").costs.currency
    for row in summary[(summary.period == "all") & summary.metric.isin(cli.HEADLINE)].itertuples():
        assert on_a_line(fmt(row.metric, row.mean, currency), text), (row.metric, text)
    cells = "".join(line.split("│")[1].strip() for line in table_lines(text) if line.startswith("│"))
    assert "time_to_assessment_p90" in cells


@pytest.mark.parametrize("width", [20, 40, 80])
def test_a_table_too_wide_for_the_terminal_folds_and_cuts_nothing(width):
    from capsim.cli import capsim_table

    number = "5,575,912 ± 1,234"
    with cli.out_console.capture() as captured:
        cli.out_console.width, before = width, cli.out_console.width
        try:
            cli.out_console.print(capsim_table(["name", "what it is", "mean"],
                                               [["demand.reports.growth.per_year", "a long explanation " * 4, number]],
                                               numbers=["mean"], title="t"))
        finally:
            cli.out_console.width = before
    text = captured.get()
    whole(text, width)
    digits = "".join(line.split("│")[-2].strip() for line in table_lines(text) if line.startswith("│"))
    assert digits.replace(" ", "") == number.replace(" ", "")


def test_a_cell_is_shown_as_written_not_read_as_markup(tmp_path, monkeypatch):
    # "[draft]" in a scenario's title was taken for a colour and vanished from the list.
    import re

    base = cli.scenario_path("base").read_text()
    (tmp_path / "mine.yaml").write_text(re.sub(r"(?m)^title: .*$", 'title: "[draft] a hotline"', base, count=1))
    text = printed(monkeypatch, 160, "scenarios", str(tmp_path))
    assert "[draft]" in text
