"""The staffing-plan chart stays readable however many hire-by dates the plan has (user trial, defect 9).

``capsim staff growth-central --team analysts --period quarter -r 3`` drew eight hire-by labels stacked
in rows above the headcount panel, which (with the scenario's five-line title and thirteen-line
footer) left the panel about 110 pixels tall at 100 dpi; its y ticks 0 to 45 overprinted one another;
the attainment panel's legend sat on its target line. Measured here on the drawn text (matplotlib's
renderer), on plans like the trial's: quarters with eight hire-by dates, and months with thirty.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.figure import Figure

from capsim import bundled, charts
from capsim.scenario import load_scenario
from tests.test_charts_plans import hire_key, hire_numbers


def plan_table(freq: str, heads: list[int]) -> pd.DataFrame:
    """A staffing_plan.csv from 2027-04-01 (growth-central's start), one period of ``freq`` ("QS", "MS")
    per headcount in ``heads``, each rise hired on its period's first day (no lead time), every period met."""
    starts = pd.date_range("2027-04-01", periods=len(heads) + 1, freq=freq)
    change = pd.Series(heads).diff().fillna(0).astype(int)
    return pd.DataFrame({
        "period": range(1, len(heads) + 1), "period_start": starts[:-1].strftime("%Y-%m-%d"),
        "period_end": (starts[1:] - pd.Timedelta(days=1)).strftime("%Y-%m-%d"), "headcount": heads,
        "change": change, "hire_by": [d if c > 0 else "" for d, c in zip(starts[:-1].strftime("%Y-%m-%d"), change)],
        "needed": heads, "late_weeks": 0, "sla_normal": 0.97, "sla_normal_ci_low": 0.89, "sla_normal_ci_high": 1.0,
        "confidence": 0.9, "met": True})


QUARTERS = [25, 25, 25, 25, 27, 28, 30, 31, 33, 34, 36, 38]
"""The trial's quarterly plan: eight hire-by dates, 25 to 38 analysts (y ticks up to 45 and beyond)."""

MONTHS = [25] * 6 + list(range(26, 56))
"""Three years of months, thirty of them with a hire-by date."""


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(bundled.path("growth-central"))


@pytest.fixture(scope="module", params=[("QS", QUARTERS), ("MS", MONTHS)], ids=["quarters", "months"])
def plan(request) -> pd.DataFrame:
    return plan_table(*request.param)


@pytest.fixture(scope="module")
def chart(plan, scenario) -> Figure:
    fig = charts.staffing_plan(plan, scenario, 20240101, 3, team="analysts", most_tried=100)
    fig.draw_without_rendering()
    return fig


def test_the_headcount_panel_keeps_its_height_however_many_hires(plan, chart):
    headcount, attainment = chart.axes
    assert headcount.get_window_extent().height >= 2.4 * chart.dpi - 1  # before: 133 px here, 108 in the trial
    assert attainment.get_window_extent().height >= 1.5 * chart.dpi
    hires = plan[plan.change > 0]
    assert len(hires) >= 8
    assert hire_key(chart) == [f"hire {row.change} by {row.hire_by}" for row in hires.itertuples()]


def test_no_two_y_tick_labels_overlap(chart):
    for ax in chart.axes:
        bottom, top = ax.get_ylim()
        shown = [t for t, at in zip(ax.get_yticklabels(), ax.get_yticks()) if bottom <= at <= top and t.get_text()]
        assert len(shown) >= 3
        boxes = [t.get_window_extent() for t in shown]
        for lower, upper in zip(boxes, boxes[1:]):
            assert not lower.overlaps(upper), (ax.get_ylabel(), [t.get_text() for t in shown])


def test_the_attainment_legend_is_clear_of_its_data_and_target_line(chart):
    attainment = chart.axes[1]
    legend = attainment.get_legend().get_window_extent()
    assert legend.y0 >= attainment.get_window_extent().y1  # above the panel: on neither the target nor a CI
    assert not legend.overlaps(attainment.title.get_window_extent())


def test_the_key_to_the_hire_numbers_sits_between_the_dates_and_the_footer(chart):
    (key,) = [a for a in chart.axes[-1].get_children() if a.get_gid() == "hire-key"]
    box = key.get_window_extent()
    dates = [t.get_window_extent() for t in chart.axes[-1].get_xticklabels() if t.get_text()]
    footer = next(t for t in chart.texts if t.get_gid() == "chart-footer").get_window_extent()
    assert footer.y1 < box.y0 and box.y1 < min(d.y0 for d in dates)
    assert chart.bbox.x0 <= box.x0 and box.x1 <= chart.bbox.x1
    numbers = [t.get_bbox_patch().get_window_extent() for t in hire_numbers(chart)]
    for i, a in enumerate(numbers):  # the boxed numbers above the panel: none on another
        assert all(not a.overlaps(b) for b in numbers[i + 1:])


def test_the_description_reads_the_hire_by_key(plan, chart):
    """The chart's text (alt text, .txt) reads the numbered hire-by dates out in order: the key is a second
    legend of the lower panel, which the description did not read."""
    from capsim.charts.describe import describe

    text = describe(chart, drawn=True)
    assert "Hire-by dates, numbered as on the chart: hire " in text
    said = text.split("Hire-by dates, numbered as on the chart: ")[1].split(".")[0].split("; ")
    assert said == [" ".join(t.split()) for t in hire_key(chart)]


def test_a_period_with_temporary_cover_is_labelled_short(scenario):
    """"35 (1 temp. to 31 Jul)" overprinted the next quarter's "36" (second review of trial 23): the label
    gives the seats and the cover; the step ends where the cover closes, the notes and title say when."""
    table = plan_table("QS", QUARTERS)
    table["temporary"] = [0] * 8 + [1] + [0] * 3
    table["temporary_until"] = [""] * 8 + ["2029-05-31"] + [""] * 3
    fig = charts.staffing_plan(table, scenario, 20240101, 3, team="analysts", most_tried=100)
    labels = [t.get_text() for t in fig.axes[0].texts if "temp." in t.get_text()]
    assert labels == ["33 (1 temp.)"], labels
