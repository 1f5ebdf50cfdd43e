"""The staffing-plan chart's date axis says which year its first tick is in: a plan of quarters from
April began at a bare "Jul" (matplotlib's concise labels put the year only at Januaries, and in an
offset beside the axis), so a chart cut out of a report did not say which year it showed first. It
now labels its ticks as the backlog chart does (:class:`capsim.charts.parts.DateTicks`)."""

from __future__ import annotations

import pandas as pd

from capsim.scenario import load_scenario
from tests.test_plan_chart_layout import TWO_SLAS, drawn, trial_plan

QUARTERS = 8
"""Two years of quarters from 1 April 2027 (a UK fiscal year): the axis's first tick is not a January."""


def test_the_plan_charts_first_tick_carries_its_year():
    scenario = load_scenario(dict(TWO_SLAS, clock=dict(TWO_SLAS["clock"], start="2027-03-04")))
    starts = pd.date_range("2027-04-01", periods=QUARTERS + 1, freq="QS-APR")
    table = trial_plan().iloc[:QUARTERS].assign(
        period_start=starts[:-1].strftime("%Y-%m-%d"),
        period_end=(starts[1:] - pd.Timedelta(days=1)).strftime("%Y-%m-%d"), hire_by="")
    bottom = drawn(table, scenario).axes[-1]
    labels = [t.get_text() for t in bottom.get_xticklabels() if t.get_visible()]
    assert labels[:4] == ["Apr 2027", "Jul", "Oct", "2028"], labels  # each later year's first tick says it too
    assert bottom.xaxis.get_offset_text().get_text() == ""  # no year beside the axis to misdate a tick by
