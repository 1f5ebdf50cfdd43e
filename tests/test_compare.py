"""Comparing scenarios: common random numbers make paired differences sharp, a scenario
compared with itself differs by exactly nothing, and ``capsim compare`` writes its table
and refuses bad input cleanly."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml
from typer.testing import CliRunner

from capsim.cli import app
from capsim.compare import COMPARISON_COLUMNS, compare, unpaired_ci
from capsim.experiment import simulate
from capsim.scenario import load_scenario
from tests.conftest import mmc

runner = CliRunner()


def staffed(servers: int, **changes) -> dict:
    """An M/M/c queue at a fixed arrival rate (load 0.9 with 5 analysts): only staffing varies."""
    raw = mmc(5, 120, 0.9, days=6, warmup_days=1)
    raw["name"] = f"staff-{servers}"
    raw["workforce"][0]["headcount"] = servers
    raw.update(changes)
    return raw


@pytest.fixture(scope="module")
def pair():
    """Five and six analysts facing the same arrivals, 12 replications under one seed."""
    five = simulate(load_scenario(staffed(5)), replications=12, seed=11)
    six = simulate(load_scenario(staffed(6)), replications=12, seed=11)
    return five, six


def width(low: float, high: float) -> float:
    return high - low


@pytest.mark.parametrize("metric", ["wait_mean", "time_to_assessment_p90", "backlog_max"])
def test_paired_difference_is_narrower_than_the_unpaired_interval(pair, metric):
    five, six = pair
    table = compare([five, six]).set_index(["scenario", "metric"])
    row = table.loc[("staff-6", metric)]
    paired = width(row.difference_ci_low, row.difference_ci_high)
    unpaired = width(*unpaired_ci(five.per_replication[metric], six.per_replication[metric]))
    assert row.difference < 0  # a sixth analyst shortens waits
    assert 0 < paired < unpaired, (paired, unpaired)
    # both intervals are for the same difference of means
    assert row.difference == pytest.approx(six.per_replication[metric].mean() - five.per_replication[metric].mean())


def test_paired_difference_is_narrower_for_a_tool_too():
    tool = {"tooling": {"wellbeing": {"enabled": True, "time_factor": 0.9}}}
    plain = simulate(load_scenario(staffed(5)), replications=10, seed=4)
    faster = simulate(load_scenario(staffed(5, name="wellbeing", **tool)), replications=10, seed=4)
    row = compare([plain, faster]).set_index(["scenario", "metric"]).loc[("wellbeing", "wait_mean")]
    unpaired = width(*unpaired_ci(plain.per_replication.wait_mean, faster.per_replication.wait_mean))
    assert 0 < width(row.difference_ci_low, row.difference_ci_high) < unpaired


def test_common_random_numbers_share_the_arrivals(pair):
    five, six = pair
    assert np.array_equal(five.per_replication.arrivals, six.per_replication.arrivals)


def test_a_scenario_compared_with_itself_differs_by_exactly_zero():
    scenario = load_scenario(staffed(5))
    first = simulate(scenario, replications=4, seed=3)
    again = simulate(scenario, replications=4, seed=3)
    table = compare([first, again])
    assert list(table.columns) == COMPARISON_COLUMNS
    assert len(table) == 2 * len(first.summary)
    finite = table[table["mean"].notna()]
    assert (finite.difference == 0).all()
    assert (finite.difference_ci_low == 0).all() and (finite.difference_ci_high == 0).all()
    halves = [table.iloc[: len(first.summary)], table.iloc[len(first.summary):]]
    pd.testing.assert_frame_equal(halves[0][["metric", "mean", "ci_low", "ci_high"]].reset_index(drop=True),
                                  halves[1][["metric", "mean", "ci_low", "ci_high"]].reset_index(drop=True))


def test_compare_refuses_runs_that_cannot_be_paired():
    scenario = load_scenario(staffed(5))
    a = simulate(scenario, replications=3, seed=1)
    with pytest.raises(ValueError, match="pairs need both equal"):
        compare([a, simulate(scenario, replications=3, seed=2)])
    with pytest.raises(ValueError, match="pairs need both equal"):
        compare([a, simulate(scenario, replications=2, seed=1)])


def test_unpaired_ci_is_the_welch_interval():
    from scipy import stats

    a, b = np.array([1.0, 2.0, 3.0, 4.0]), np.array([2.0, 4.0, 7.0])
    low, high = unpaired_ci(a, b)
    welch = stats.ttest_ind(b, a, equal_var=False).confidence_interval(0.95)
    assert (low, high) == pytest.approx((welch.low, welch.high), rel=1e-9)


# --------------------------------------------------------------------------- the command


@pytest.fixture
def two_files(tmp_path):
    paths = []
    for servers in (5, 6):
        path = tmp_path / f"staff-{servers}.yaml"
        raw = staffed(servers, experiment={"replications": 3, "seed": 8}, title=f"{servers} analysts")
        path.write_text(yaml.safe_dump(raw), encoding="utf-8")
        paths.append(path)
    return paths


def test_compare_command_writes_comparison_csv_with_the_documented_columns(two_files, tmp_path):
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", *map(str, two_files), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out / "comparison.csv")
    assert list(table.columns) == COMPARISON_COLUMNS
    assert set(table.scenario) == {"staff-5", "staff-6"}
    first = table[table.scenario == "staff-5"]
    assert (first.difference.dropna() == 0).all()  # the first scenario against itself
    second = table[table.scenario == "staff-6"].set_index("metric")
    assert second.loc["wait_mean", "difference"] < 0
    assert (out / "summary.csv").exists() and (out / "manifest.json").exists()
    assert "comparison.csv" in result.stdout


def test_compare_command_runs_every_scenario_with_the_first_ones_seed_and_replications(two_files, tmp_path):
    out = tmp_path / "cmp"
    assert runner.invoke(app, ["compare", *map(str, two_files), "--out", str(out), "-r", "2"]).exit_code == 0
    manifest = yaml.safe_load((out / "manifest.json").read_text())
    assert [m["replications"] for m in manifest["compared"]] == [2, 2]
    assert len({m["seed"] for m in manifest["compared"]}) == 1


@pytest.mark.parametrize(
    "args, expected",
    [
        (["{first}"], "compare needs at least two scenarios"),
        (["{first}", "{missing}"], "no such file"),
        (["{first}", "{broken}"], "headcount"),
    ],
    ids=["one-scenario", "missing-file", "invalid-file"],
)
def test_compare_command_refuses_bad_input_with_exit_two(two_files, tmp_path, args, expected):
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(staffed(-1)), encoding="utf-8")
    names = {"first": two_files[0], "missing": tmp_path / "nope.yaml", "broken": broken}
    out = tmp_path / "cmp"
    result = runner.invoke(app, ["compare", *(a.format(**names) for a in args), "--out", str(out)])
    assert result.exit_code == 2
    assert isinstance(result.exception, SystemExit)
    assert expected in " ".join(result.stderr.split())
    assert "Traceback" not in result.output
    assert not out.exists()
