"""The staffing-plan chart shows the seats actually in post while hires are late, beside the seats
planned: the table and plan.yaml gave both ("15 (13 until 28 Apr)"), the chart only the plan, as
if the late hires were in post from their period's first day.

Where a period's hires are late (``in_post_at_start`` below ``headcount``), the seats in post are
drawn as a dashed step under the planned one, up to the day all are in post
(``all_in_post_from``; the period's end where that is not within it), the shortfall shaded, and
the legend says which is which. A plan whose hires are all in time is drawn as before.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib import dates as mdates
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure

from capsim import charts
from capsim.charts.style import OKABE_ITO
from capsim.scenario import load_scenario
from capsim.staffing import solve_staffing
from tests.test_charts_plans import SMALL, many_steps
from tests.test_late_hires import one_analyst

LATE = "seats in post while hires are late (shaded: planned, not yet in post)"
"""The legend's words for the dashed step and its shading."""


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SMALL)


def with_late_hires(table: pd.DataFrame) -> pd.DataFrame:
    """``table`` (headcounts 3, 4, 5, ... a month) with the first month's new seat in post from the
    15th, and the second month's two missing all month (2 in post throughout)."""
    table = table.assign(in_post_at_start=table.headcount, all_in_post_from="")
    table.loc[0, ["in_post_at_start", "all_in_post_from"]] = [2, "2024-10-15"]
    table.loc[1, ["in_post_at_start", "all_in_post_from"]] = [2, ""]
    return table


STEPS = [("2024-10-01", 2), ("2024-10-15", 3), ("2024-11-01", 2), ("2024-12-01", 5), ("2025-01-01", 6),
         ("2025-02-01", 6)]
"""The seats in post in :func:`with_late_hires`'s table, at each change: 2 until the 15th, then the
3 planned; 2 all through the second month (4 planned); then as planned, to the plan's end."""


def legend_texts(fig: Figure) -> list[str]:
    return [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def in_post_steps(fig: Figure) -> list[tuple[str, float]]:
    """The dashed step of the seats in post: (date, level) at each of its corners."""
    orange = OKABE_ITO["orange"].lower()
    found = [line for line in fig.axes[0].get_lines() if line.get_linestyle() == "--"
             and str(line.get_color()).lower() == orange]
    assert len(found) <= 1
    if not found:
        return []
    x, y = found[0].get_data()
    return [(f"{mdates.num2date(mdates.date2num(d)):%Y-%m-%d}", float(v)) for d, v in zip(x, y)]


def test_late_hires_are_drawn_as_the_seats_in_post_under_the_plan_and_only_then(scenario):
    table = many_steps(scenario, 4, 15)  # months from 2024-10-01: 3, 4, 5, 6 seats
    late = charts.staffing_plan(with_late_hires(table), scenario, 7, 3)
    assert LATE in legend_texts(late)
    assert "headcount planned (seats)" in legend_texts(late)  # the plan's level is no longer called "in post"
    assert in_post_steps(late) == STEPS
    shaded = [c for c in late.axes[0].collections if isinstance(c, PolyCollection)]
    assert len(shaded) == 1  # the shortfall, between the two steps
    # in time: no dashed step, no shading, no legend entry; the plan's level is the seats in post
    in_time = charts.staffing_plan(table.assign(in_post_at_start=table.headcount, all_in_post_from=""), scenario, 7, 3)
    assert LATE not in legend_texts(in_time) and in_post_steps(in_time) == []
    assert "headcount planned (seats in post)" in legend_texts(in_time)
    assert not [c for c in in_time.axes[0].collections if isinstance(c, PolyCollection)]


def test_the_chart_read_back_from_its_csv_draws_the_same_seats_in_post(scenario, tmp_path):
    path = tmp_path / "staffing_plan.csv"
    table = with_late_hires(many_steps(scenario, 4, 15))
    table.to_csv(path, index=False)
    read = pd.read_csv(path)  # all_in_post_from read back as NaN where empty
    assert read.all_in_post_from.isna().sum() == 3
    assert in_post_steps(charts.staffing_plan(read, scenario, 7, 3)) == STEPS


def test_a_plan_with_late_hires_draws_the_seats_its_table_says_are_in_post():
    raw = one_analyst()  # one analyst in post; the hires recruited from the plan's start arrive 90 days later
    raw["clock"].update(start="2027-01-04", horizon="196d")
    scenario = load_scenario(raw)
    plan = solve_staffing(scenario, period="quarter", replications=2)
    table = plan.table()
    assert (table.in_post_at_start < table.headcount).any()
    steps = dict(in_post_steps(charts.staffing_plan(table, scenario, plan.seed, plan.replications)))
    for row in table.itertuples():
        assert steps[row.period_start] == row.in_post_at_start
        if row.all_in_post_from:
            assert steps[row.all_in_post_from] == row.headcount
