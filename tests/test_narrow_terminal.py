"""No table capsim prints cuts a number or a name: at 80 columns (a common terminal) a cell that
does not fit wraps or folds onto the next line, never "5,575,9…" nor past the right edge; a
number or a date is never folded across lines (a table too wide for that is stacked); and an
explicit ``COLUMNS`` sets the width of piped output too."""

from __future__ import annotations

import math

import os
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

import capsim.cli as cli
from capsim import words
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


def tables(text: str) -> list[list[str]]:
    """The lines of each table in ``text``, top to bottom (a stacked table gives several)."""
    found: list[list[str]] = []
    for line in table_lines(text):
        if line.startswith("┏"):
            found.append([])
        found[-1].append(line)
    return found


def body_cells(table: list[str], column: int) -> list[str]:
    """The text of column ``column`` (0: the first) on the lines of ``table``'s rows where it has any."""
    cells = [line.split("│")[1:-1][column].strip() for line in table if line.startswith("│")]
    return [cell for cell in cells if cell]


def looks_like_a_number(word: str) -> bool:
    """A number, a date or a range of them: a digit and no letter ("1,548,170", "2024-01-29")."""
    return any(c.isdigit() for c in word) and not any(c.isalpha() for c in word)


def numbers_kept_whole(monkeypatch: pytest.MonkeyPatch, width: int, *args: str) -> str:
    """What ``capsim ARGS`` prints at ``width`` columns, checked: every table is whole (:func:`whole`)
    and every word of a number column's cells, and every number or date in any cell, is on one
    line of a table (each time it is in a cell)."""
    shown = []
    real = cli.capsim_table

    def spy(columns, rows, **options):
        rows = [list(row) for row in rows]
        shown.append((columns, rows, set(options.get("numbers", ()))))
        return real(columns, rows, **options)

    monkeypatch.setattr(cli, "capsim_table", spy)
    text = printed(monkeypatch, width, *args)
    whole(text, width)
    lines = table_lines(text)
    assert shown
    wanted = Counter(word for columns, rows, numbers in shown for row in rows for column, cell in zip(columns, row)
                     for word in cell.split() if column in numbers or looks_like_a_number(word))
    for word, cells in wanted.items():  # as often on the lines as in the cells: no copy of it folded
        assert sum(line.count(word) for line in lines) >= cells, (word, text)
    return text


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
    for row in table.itertuples():  # a share in percent, its effect in points (capsim.words)
        shown = [words.fmt(row.metric, row.low_mean), words.fmt(row.metric, row.high_mean)] + [
            words.signed(value, words.is_share(row.metric), row.effect)
            for value in (row.effect, row.effect_ci_low, row.effect_ci_high)]
        for value in shown:
            assert on_a_line(value, text), (value, text)


def test_the_staffing_plan_shows_every_column(tmp_path, monkeypatch):
    # At 80 columns the plan's last columns ("busy (usable)", "reps met", "met") fell past the
    # right edge, cut off without a mark; then its numbers folded: "(100%–1" over "00%)", "2/" over "2".
    text = numbers_kept_whole(monkeypatch, 80, "staff", "base", "-r", "2", "--set", "clock.horizon=180d",
                              "--out", str(tmp_path / "p"))
    plan = pd.read_csv(tmp_path / "p" / "staffing_plan.csv")
    *_, last = tables(text)  # stacked: each table of the stack names the period, and the last says if it is met
    assert "".join(line.split("│")[-2].strip() for line in last if line.startswith("│")) == \
        "".join("yes" if m else "NO" for m in plan.met)
    for table in tables(text):
        assert body_cells(table, 0) == [str(period) for period in plan.period]
        assert body_cells(table, 1) == list(plan.period_start)


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


@pytest.mark.parametrize("args", [
    # two scenarios: 13 columns, every number folded ("1,34" over "8,45" over "7")
    ["budget", "base", "growth-high", "-r", "2", "--set", "clock.horizon=400d"],
    ["sweep", "base", "--grid", "workforce.analysts.headcount=10,14", "-r", "2", "--set", "clock.horizon=30d"],
    ["grant", "base", "--from", "2024-02-01", "--years", "1", "-r", "2"],
    ["uncertainty", "growth-central", "-n", "2", "-r", "2", "--set", "clock.horizon=400d"],  # "£2,800,89" over "5"
], ids=lambda args: args[0])
def test_no_table_folds_a_number_at_80_columns(tmp_path, monkeypatch, args):
    numbers_kept_whole(monkeypatch, 80, *args, "--out", str(tmp_path / "o"))


def test_a_stacked_table_names_each_row_in_every_table(tmp_path, monkeypatch):
    text = numbers_kept_whole(monkeypatch, 80, "budget", "base", "growth-high", "-r", "2",
                              "--set", "clock.horizon=400d", "--out", str(tmp_path / "b"))
    budget = pd.read_csv(tmp_path / "b" / "budget.csv")
    stack = [table for table in tables(text) if body_cells(table, 0) == list(budget.scenario)]
    assert len(stack) > 1  # the budget, stacked: each of its tables names each row's scenario and year
    for table in stack:
        assert body_cells(table, 1) == [str(year) for year in budget.year]


def test_piped_output_is_as_wide_as_COLUMNS_says(tmp_path):
    # COLUMNS=80 capsim ... | cat printed 140 columns wide, folded by the terminal or the CI log.
    capsim = Path(sys.executable).parent / "capsim"
    env = {k: v for k, v in os.environ.items() if k != "COLUMNS"}

    def piped(**more: str) -> str:
        done = subprocess.run([str(capsim), "scenarios"], capture_output=True, text=True, env=env | more,
                              cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        return done.stdout

    whole(piped(COLUMNS="80"), 80)
    widest = max(len(line) for line in table_lines(piped()))
    assert 80 < widest <= cli.PIPED_WIDTH  # without COLUMNS: as wide as keeps the table's lines whole


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


def test_a_nil_signed_amount_reads_0_not_plus_0_and_an_interval_its_ends():
    # The grant's "cost vs first" column read "+0" for a scenario costing the same as the first; the budget's
    # tables gave "-1,234 ± 134" for an interval of -1,300 to -1,100 (not symmetric: neither end read back),
    # and "0" for a difference of -0.40, which is not nil.
    assert (with_ci(0.0, math.nan, math.nan, signed=True), with_ci(-0.004, math.nan, math.nan, signed=True),
            with_ci(-0.4, math.nan, math.nan, signed=True), with_ci(1234.0, math.nan, math.nan, signed=True),
            with_ci(-1234.0, -1300.0, -1100.0, signed=True)) == (
        "0", "0", "-0.40", "+1,234", "-1,234 (-1,300 to -1,100)")
