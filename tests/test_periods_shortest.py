"""The one rule for a part period too short to judge a team by: shorter than four weeks.

capsim.periods holds it (:data:`SHORTEST_PERIOD_DAYS`, :func:`too_short`), and both the report's
judged years (capsim.charts.by_year.year_labels) and the what-if plan's calendar years
(capsim.staffing.plan_periods) read it, so a stub the report leaves out is the one the plan joins to
the year beside it.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from capsim import bundled
from capsim.charts.by_year import year_labels
from capsim.periods import SHORTEST_PERIOD_DAYS, too_short
from capsim.scenario import load_scenario
from capsim.staffing import plan_periods
from capsim.units import SECONDS_PER_DAY

DAY = SECONDS_PER_DAY


def test_a_period_under_four_weeks_is_too_short_and_one_of_four_weeks_is_not():
    spans = [(0.0, 27.5 * DAY), (27.5 * DAY, 392.5 * DAY), (392.5 * DAY, 420.5 * DAY)]  # 27.5, 365, 28 days
    assert too_short(spans) == [True, False, False]
    assert too_short(spans, shortest_days=0) == [False, False, False]


def test_where_every_period_is_short_none_is():
    """A run of a few weeks keeps its periods: there is nothing longer to join them to."""
    assert too_short([(0.0, 10 * DAY), (10 * DAY, 30 * DAY)]) == [False, False]


def test_the_report_leaves_out_the_stubs_the_plan_joins_to_the_year_beside_them():
    """one-team from 20 Dec 2025 over 400 days: 12 days of 2025, all 2026, 23 days of 2027. The
    report judges 2026 alone, and the plan plans one period, 2026 with both stubs."""
    scenario = load_scenario(bundled.path("one-team"), ["clock.start=2025-12-20", "clock.warmup=0d",
                                                         "clock.horizon=400d"])
    assert list(year_labels(SimpleNamespace(scenario=scenario))) == ["2026"]
    planned = plan_periods(scenario, "year", calendar=True, shortest_days=SHORTEST_PERIOD_DAYS)
    assert [(p.first, p.last) for p in planned] == [(dt.date(2025, 12, 20), dt.date(2027, 1, 23))]
