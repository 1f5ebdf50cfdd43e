"""Calibration against the published figures: the IWF forum study reproduced, and the commands."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import capsim
from capsim.calibrate import check_targets
from capsim.calibration import binomial_interval, value_of
from capsim.cli import app
from tests.test_cli import leftovers, real

IWF = Path(__file__).resolve().parents[1] / "scenarios" / "iwf-forum-2023.yaml"
runner = CliRunner()


@pytest.fixture(scope="module")
def iwf_result():
    """The IWF forum scenario with its own replications and seed (30 and 20231025)."""
    return capsim.simulate(capsim.load_scenario(IWF))


def test_iwf_forum_reproduces_the_published_analyst_hours_within_two_percent(iwf_result):
    hours = iwf_result.metric("analyst_hours")
    assert abs(hours - 87.5) <= 0.02 * 87.5
    # every image is assessed within the month: the 87.5 hours are for all 11,108
    assert iwf_result.metric("assessed") == 11_108


def test_iwf_forum_criminal_and_realistic_counts_lie_in_their_binomial_intervals(iwf_result):
    low, high = binomial_interval(11_108, 2_978 / 11_108)
    assert low <= iwf_result.metric("assessed_criminal") <= high
    low, high = binomial_interval(2_978, 2_562 / 2_978)
    assert low <= iwf_result.metric("assessed_realistic") <= high


def test_every_target_of_the_iwf_scenario_passes(iwf_result):
    checks = check_targets(iwf_result)
    assert list(checks.metric) == ["analyst_hours", "assessed_criminal", "assessed_realistic"]
    assert checks.passed.all(), checks.to_string()
    assert checks.set_index("metric").loc["analyst_hours", "published"] == value_of("iwf23_analyst_hours_total")


def test_the_scenario_reads_its_numbers_from_the_figures_table():
    scenario = capsim.load_scenario(IWF)
    assert scenario.demand[0].initial_backlog == value_of("iwf23_ai_images_assessed")
    assert scenario.review["image"].mean == pytest.approx(3600 * 87.5 / 11_108)
    assert scenario.workforce[0].headcount == value_of("iwf23_analysts")
    assert {"iwf23_ai_images_assessed", "iwf_2023_seconds_per_image"} <= set(scenario.figures)


def test_calibrate_command_prints_targets_writes_calibration_csv_and_exits_zero(tmp_path):
    out = tmp_path / "cal"
    result = runner.invoke(app, ["calibrate", str(IWF), "--out", str(out), "-r", "8"])
    assert result.exit_code == 0, result.output
    assert "analyst_hours" in result.output and "pass" in result.output
    table = pd.read_csv(out / "calibration.csv")
    assert table.passed.all() and len(table) == 3
    assert (out / "summary.csv").exists() and (out / "manifest.json").exists()


def test_calibrate_exits_one_when_a_target_fails(tmp_path):
    # 0.001% of 87.5 h is 3 s: sampling alone puts the mean further away than that
    result = runner.invoke(app, ["calibrate", str(IWF), "--out", str(tmp_path / "o"), "-r", "3",
                                 "--set", "targets.0.tolerance=0.001%"])
    assert result.exit_code == 1, result.output
    assert "FAIL" in result.output


@pytest.mark.parametrize(
    "override, expected",
    [
        ("targets.0.published=iwf23_analyst_hours", "unknown figure or derived parameter id 'iwf23_analyst_hours'"),
        ("targets.0.metric=analyst_hourz", "unknown metric 'analyst_hourz'"),
        ("demand.0.initial_backlog={figure: no_such_figure}", "unknown figure or derived parameter id"),
    ],
)
def test_bad_calibration_input_is_refused_with_exit_two(tmp_path, override, expected):
    proc = real("calibrate", str(IWF), "-r", "1", "--set", override, cwd=tmp_path)
    assert proc.returncode == 2, proc.stderr
    assert expected in proc.stderr and f"--set {override}" in proc.stderr
    assert "Traceback" not in proc.stderr
    assert leftovers(tmp_path) == []


def test_calibrate_refuses_a_scenario_without_targets(tmp_path):
    base = Path(__file__).resolve().parents[1] / "scenarios" / "base.yaml"
    result = runner.invoke(app, ["calibrate", str(base), "--out", str(tmp_path / "o")])
    assert result.exit_code == 2
    assert "declares no calibration targets" in result.output


def test_growth_fit_of_a_published_series_prints_its_interval_and_a_fragment():
    result = runner.invoke(app, ["calibrate", "growth", "iwf-ai-reports"])
    assert result.exit_code == 0, result.output
    assert "95% CI" in result.output and "doubling_time: 161d" in result.output


@pytest.mark.parametrize(
    "args, expected",
    [
        (["growth", "2024=245"], "needs at least 2 yearly points"),
        (["growth", "no-such-series"], "iwf-ai-reports"),
        (["growth", "2021=1,2022=2,2023=4", "--model", "logistic"], "at least 4"),
        (["growth"], "name a series"),
    ],
)
def test_growth_fit_bad_input_exits_two(args, expected):
    result = runner.invoke(app, ["calibrate", *args])
    assert result.exit_code == 2
    assert expected in result.output


def test_figures_lists_and_searches_with_sources():
    result = runner.invoke(app, ["figures", "--search", "pseudo"])
    assert result.exit_code == 0
    assert "iwf23_pseudo_photographs" in result.output and "2,562" in result.output
    one = runner.invoke(app, ["figures", "--id", "iwf23_analyst_hours_total"])
    assert one.exit_code == 0 and "iwf.org.uk" in one.output and "87.5" in one.output
    missing = runner.invoke(app, ["figures", "--id", "iwf23_analyst_hours"])
    assert missing.exit_code == 2 and "did you mean" in missing.output
