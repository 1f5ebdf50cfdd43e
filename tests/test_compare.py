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


def test_compare_command_writes_metrics_in_words_with_units_as_run_does(two_files, tmp_path):
    # The table showed raw names and raw shares ("sla_normal 0.9994", "wait_mean 24.47"): no unit, no %.
    result = runner.invoke(app, ["compare", *map(str, two_files), "--out", str(tmp_path / "cmp"), "-r", "2"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()  # a metric's name may wrap in its column
    assert any("Mean wait before" in line for line in lines) and any("assessment (h)" in line for line in lines)
    shares = [line for line, below in zip(lines, lines[1:]) if "Utilisation of rostered" in line
              or "Utilisation of" in line and "rostered" in below.split("│")[2]]  # the label may wrap
    assert len(shares) == 2 and all("%" in line for line in shares)
    assert "points" in shares[1] and "points" not in shares[0]  # the difference of a share, in points
    assert "0.9" not in " ".join(shares)
    assert "their differences in percentage points" in " ".join(result.output.split())


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


def test_a_tools_saving_and_side_effect_carry_their_intervals_in_the_chart_title():
    # The title gave "saves 664 victim-identification hours, but 675 real-victim referrals are lost"
    # without the intervals: a number an advocate could quote as exact.
    from capsim.charts.compare import _comparison_finding

    rows = [("victim_id_hours", -664.0, -830.0, -529.0), ("referrals_lost_real", 675.0, 667.0, 685.0),
            ("referrals_avoided_synthetic", 1.3, 1.1, 1.5)]
    table = pd.DataFrame([{"scenario": name, "metric": m, "mean": 0.0, "ci_low": 0.0, "ci_high": 0.0,
                           "diff": d if name == "detector" else 0.0, "diff_ci_low": lo if name == "detector" else 0.0,
                           "diff_ci_high": hi if name == "detector" else 0.0, "note": ""}
                          for name in ("base", "detector") for m, d, lo, hi in rows])
    title = _comparison_finding(table, ["base", "detector"], "victim_id_hours")
    assert title == ("detector: 664 (529–830) fewer victim-identification hours, but 675 (667–685) real-victim "
                     "referrals are lost to its false positives; 1 (1–2) synthetic referral avoided (paired means, 95% CIs)")
    missed = table.iloc[[0, 3]].assign(metric="harmful_missed", diff=[0.0, 119_520.0],
                                       diff_ci_low=[0.0, 119_000.0], diff_ci_high=[0.0, 121_000.0])
    title = _comparison_finding(missed, ["base", "detector"], "harmful_missed")
    assert title == ("detector: the classifier does not flag 120,000 harmful items (paired mean); they are still "
                     "assessed, later, waiting behind every item it flags")  # its interval rounds to one value: no "95% CI"


def test_comparison_panel_titles_stay_inside_the_chart(pair):
    # "difference from base, paired (percentage points)" ran off the right edge.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.text import Text

    from capsim import charts

    five, six = pair
    five.scenario = five.scenario.model_copy(update={"name": "a-long-name-for-the-first-scenario"})
    try:
        fig = charts.comparison([five, six], ["sla_normal", "utilisation", "wait_mean"])
    finally:
        five.scenario = five.scenario.model_copy(update={"name": "staff-5"})
    canvas = FigureCanvasAgg(fig)
    canvas.draw()
    titles = {t for ax in fig.axes for t in (ax.get_title(loc="left"),)}
    drawn = [t for t in fig.findobj(Text) if t.get_visible() and t.get_text() in titles]
    assert len(drawn) == len(fig.axes)
    for text in drawn:
        box = text.get_window_extent(canvas.get_renderer())
        assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1, text.get_text()
