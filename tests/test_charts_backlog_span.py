"""The backlog chart's title says the time its series covers, in the right number.

A 30-day base run (warm-up 28 days) was titled "falls from 7,700 to 4,700 items over 1 days": the
span was taken between the two rows' times, each at the end of its day, though each row averages
the day before it (the report says "the 2 days measured"), and ``span_words`` wrote every span
under 60 days as "N days", so one day read "1 days" and a run under a day "0 days"; a backlog cleared
in a day read "cleared in about 1 days".
"""

from __future__ import annotations

import numpy as np
import pytest

from capsim import bundled
from capsim.charts.backlog import _backlog_finding, backlog_fan
from capsim.experiment import simulate
from capsim.scenario import load_scenario
from capsim.words import span_words


def _title(horizon: str, warmup: str, sampled: bool = False) -> str:
    """The backlog chart's title for base over ``horizon`` after ``warmup``, two replications;
    ``sampled``: from a time series without the step averages (an older timeseries.csv)."""
    scenario = load_scenario(bundled.path("base"), [f"clock.horizon={horizon}", f"clock.warmup={warmup}"])
    series = simulate(scenario, replications=2, seed=20240101, periods=None).timeseries
    if sampled:
        series = series.drop(columns=[c for c in series if c.startswith("backlog_mean")])
    return backlog_fan(series, scenario, 20240101)._suptitle.get_text().replace("\n", " ")


@pytest.mark.parametrize(("horizon", "warmup", "said"), [
    ("30d", "28d", " items over 2 days"),  # two days measured, day by day: as the report's "the 2 days measured"
    ("29d", "28d", " items over 1 day"),
    ("30d", "0d", " items over 30 days"),
])
def test_the_title_says_the_days_measured(horizon, warmup, said):
    assert _title(horizon, warmup).endswith(said)


def test_samples_at_the_ends_of_two_days_are_one_day_apart():
    assert _title("30d", "28d", sampled=True).endswith(" items over 1 day")


@pytest.mark.parametrize(("days", "said"), [
    (1.0, "1 day"), (2.0, "2 days"), (30.0, "30 days"), (0.5, "12 h"), (0.25, "6 h"), (730.5, "two years"),
])
def test_a_span_is_said_in_the_right_number_and_never_as_0_days(days, said):
    assert span_words(days) == said


def test_a_backlog_cleared_in_a_day_says_1_day():
    title = _backlog_finding(np.array([500.0, 0.0, 0.0]), np.array([0.0, 24.0, 48.0]), None)
    assert title == "The backlog of 500 items is cleared in about 1 day"
