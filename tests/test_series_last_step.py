"""The time series covers the whole measured span, to the horizon.

It used to stop at the last whole ``clock.step``: growth-high's weekly series ended four days
before its 1,096-day run, its sums fell short of the run's counts and the backlog chart missed
the backlog's peak at the horizon. Now a span that is not a whole number of steps ends with a
shorter last step, its length in ``step_hours``; a span of whole steps is as it was.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd

from capsim.charts.backlog import _rolling_mean, _whole_month_means, backlog_fan
from capsim.experiment import run_measured
from capsim.scenario import load_scenario
from capsim.units import SECONDS_PER_HOUR
from capsim.words import count_words
from tests.conftest import mmc

GROWTH_HIGH = "scenarios/growth-high.yaml"
EXPIRING = "demand.reports.ttl=2d"  # reports expire, so that the expired column counts something
SEED = 11
WHOLE_WEEKS_DIGEST = "fb0a4c7f1aed9fc83568ef21fdd4f59eaa5d258b3397a78112e57c470e55a85a"
"""sha256 of growth-high's series over 98 days (SEED, EXPIRING) as commit 9ffa9ea wrote it, step_hours aside."""


def growth_run(horizon: str) -> tuple[dict[str, float], pd.DataFrame, object]:
    """One replication of growth-high (three teams, referrals, growth) with reports that expire,
    over ``horizon`` (its warm-up, 28 days, is four whole weeks)."""
    scenario = load_scenario(GROWTH_HIGH, [f"clock.horizon={horizon}", EXPIRING])
    metrics, series, _ = run_measured(scenario, SEED, 0)
    return metrics, series, scenario


def test_a_partial_last_step_ends_at_the_horizon_and_the_series_adds_up_to_the_run():
    """72 days after the warm-up: ten weeks and a last step of 2 days. The counts over the rows
    are the run's own over the measured span (integers: exact), the last row's backlog is the
    run's at the horizon, and the rows' averages weighted by their steps give the run's
    backlog_mean (the same integral summed another way: equal to float rounding)."""
    metrics, series, scenario = growth_run("100d")
    assert series["time"].iloc[-1] == scenario.clock.horizon / SECONDS_PER_HOUR
    assert series["step_hours"].tolist() == [168.0] * 10 + [48.0]
    assert series["arrivals"].sum() == metrics["arrivals"]
    assert sum(series[f"arrivals_{s.stream}"].sum() for s in scenario.demand) == metrics["arrivals"]
    assert series["assessments"].sum() == metrics["assessments"]
    assert series["expired"].sum() == metrics["expirations"] > 0
    assert series["backlog"].iloc[-1] == metrics["backlog_end"]
    for team in scenario.workforce:
        assert series[f"backlog_{team.team}"].iloc[-1] == metrics[f"backlog_end_{team.team}"]
    weighted = (series["backlog_mean"] * series["step_hours"]).sum() / series["step_hours"].sum()
    assert np.isclose(weighted, metrics["backlog_mean"], rtol=1e-9, atol=0)


def test_a_span_of_whole_steps_keeps_every_number_it_had():
    """70 days after the warm-up, ten whole weeks: every column but the new step_hours is, to
    the byte, as capsim wrote it before the last step could be shorter (digest of the CSV text
    from commit 9ffa9ea, same scenario and seed)."""
    metrics, series, _ = growth_run("98d")
    assert (series["step_hours"] == 168.0).all() and series["expired"].sum() == metrics["expirations"] > 0
    text = series.drop(columns="step_hours").to_csv(index=False)
    assert hashlib.sha256(text.encode()).hexdigest() == WHOLE_WEEKS_DIGEST


def test_a_shorter_last_step_is_averaged_over_its_own_length():
    """Three analysts on a 24/7 roster, sampled daily over 9.5 days after a day's warm-up: the
    last step is 12 hours, on duty three throughout (not 1.5, its hours over a whole day), and
    its backlog_mean is the exact average over its 12 hours, which is no more than the most
    waiting in them."""
    scenario = load_scenario(mmc(3, 600, 0.9, clock={"horizon": "10.5d", "warmup": "1d", "step": "1d"}))
    metrics, series, _ = run_measured(scenario, SEED, 0)
    assert series["step_hours"].tolist() == [24.0] * 9 + [12.0]
    assert np.allclose(series["on_duty"], 3.0, rtol=1e-12)
    assert series["time"].iloc[-1] == 10.5 * 24
    weighted = (series["backlog_mean"] * series["step_hours"]).sum() / series["step_hours"].sum()
    assert np.isclose(weighted, metrics["backlog_mean"], rtol=1e-9, atol=0)


def test_the_backlog_chart_draws_to_the_horizon():
    """growth-high's backlog is drawn up to its last day (the rows' dates end at the horizon),
    and the chart still names the weekly step: over 9 days, a week and a last step of 2 days,
    the short step (the only gap between the two rows) is not the step it names."""
    _, series, scenario = growth_run("37d")
    figure = backlog_fan(series, scenario, SEED)
    line = next(line for line in figure.axes[0].get_lines() if line.get_label() == "median")
    horizon = pd.Timestamp(scenario.clock.start) + pd.Timedelta(seconds=scenario.clock.horizon)
    assert pd.Timestamp(line.get_xdata()[-1]) == horizon
    assert "averaged over each 7 days" in figure.axes[0].get_title(loc="left")


def test_the_backlog_runs_to_the_horizon_and_the_hours_on_shift_to_the_last_whole_week():
    """Over 72 days, ten weeks and 2 days: the backlog is drawn to the horizon, the hours on
    shift a day only over whole weeks (2 days hold another mix of weekdays than a week: their
    average would read as a change of capacity)."""
    _, series, scenario = growth_run("100d")
    figure = backlog_fan(series, scenario, SEED)
    line = next(line for line in figure.axes[0].get_lines() if line.get_label() == "median")
    assert pd.Timestamp(line.get_xdata()[-1]) == pd.Timestamp(series["date"].iloc[-1])
    capacity = figure.axes[1].get_lines()[0]
    assert pd.Timestamp(capacity.get_xdata()[-1]) == pd.Timestamp(series["date"].iloc[-2])


def test_a_whole_months_mean_weights_a_shorter_last_step_by_its_length():
    """Weekly steps to 27 March, the last of them 4 days long (March counts as whole: the series
    ends within a step of its end): March's mean counts that step for 4 days, not 7
    (unweighted, its 65 waiting would lift March's mean from 17 to 21)."""
    dates = pd.Series(pd.to_datetime(["2025-01-05", "2025-01-12", "2025-01-19", "2025-01-26", "2025-02-02",
                                      "2025-02-09", "2025-02-16", "2025-02-23", "2025-03-02", "2025-03-09",
                                      "2025-03-16", "2025-03-23", "2025-03-27"]))
    median = np.array([10.0] * 12 + [65.0])
    lengths = np.array([7.0] * 12 + [4.0])
    assert _whole_month_means(median, dates, lengths) == ("Jan 2025", 10.0, "Mar 2025", (10 * 7 * 4 + 65 * 4) / 32)


def test_a_seven_day_average_weights_a_shorter_last_step_by_its_length():
    """Daily steps, the last 12 hours long, at 8 waiting against 1 before: the centred 7-day
    average that reaches it counts it for half a day."""
    values = pd.DataFrame({0: [1.0] * 9 + [8.0]})
    averaged = _rolling_mean(values, np.array([24.0] * 9 + [12.0]), 7)[0]
    assert averaged.iloc[6] == (6 * 24 + 8 * 12) / (6 * 24 + 12)
    assert averaged.iloc[:3].isna().all() and averaged.iloc[7:].isna().all()  # the window runs past an end
    assert averaged.iloc[3] == 1.0


def test_a_level_backlog_title_quotes_the_runs_mean_with_a_shorter_last_step():
    """A level backlog of 100 over fifteen 10-day steps after the warm-up, then 400 over a last
    step of 2 days, to 1 July: the title's level is the average over the run, each step weighted
    by its length (104), not the rows' plain mean (119)."""
    scenario = load_scenario("scenarios/base.yaml", ["clock.horizon=182d", "clock.step=10d"])
    days = np.append(np.arange(40, 181, 10), 182.0)
    series = pd.DataFrame({"replication": 0, "time": days * 24, "step_hours": np.append(np.full(15, 240.0), 48.0),
                           "date": pd.Timestamp(scenario.clock.start) + pd.to_timedelta(days, unit="D"),
                           "backlog_mean": np.append(np.full(15, 100.0), 400.0), "on_duty": 10.0})
    title = backlog_fan(series, scenario, SEED)._suptitle.get_text()
    level = count_words((100 * 240 * 15 + 400 * 48) / (240 * 15 + 48))
    assert title.startswith(f"The backlog stays near {level} items waiting on average"), title
