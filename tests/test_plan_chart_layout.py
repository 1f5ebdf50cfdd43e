"""The staffing-plan chart's layout, measured on the drawn text (matplotlib's renderer), on a
plan like the one a user trial drew (quarters over three years, a long hiring lead time and
training, hire-by dates a few months apart, the last two quarters met at no headcount tried):

1. the legend ran off the figure's right edge ("hire by → start (91 d lead + 61 d" ...);
2. two hire labels overlapped ("hire 2 by 2028-03-02hire 1 by 2028-11-30"): they were placed,
   in dates, on a layout whose axes the legend (added after them, too wide) then narrowed;
3. the ✖ of a quarter met at no headcount tried sat at about 17.5 analysts, neither the
   headcount planned (15) nor the most tried.
"""

from __future__ import annotations

import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from capsim import charts
from capsim.scenario import load_scenario
from tests.test_charts_plans import SMALL, hire_key, hire_numbers

TWO_SLAS = dict(
    SMALL, name="plan-layout", clock=dict(SMALL["clock"], start="2027-01-04"), priorities=["urgent", "normal"],
    demand=[{**{k: v for k, v in SMALL["demand"][0].items() if k != "priority"},
             "priority_mix": {"urgent": 0.1, "normal": 0.9}}],
    workforce=[{**SMALL["workforce"][0], "headcount": 10, "hiring": {"lead_time": "91d"},
                "ramp": {"weeks": 8.7, "start": 0.25}}],
    sla=[{"priority": "urgent", "within": "24h", "target": 0.9}, {"priority": "normal", "within": "72h", "target": 0.9}])
"""Two SLAs (so two series in the attainment panel's legend), 10 analysts in post, 91 days'
hiring lead time and 8.7 weeks' ramp (the legend's "91 d lead + 61 d training")."""

HEADS = [10, 10, 10, 11, 11, 11, 13, 13, 14, 15, 15, 15]
"""The trial's plan: headcount per quarter from 2027-02-01; the last two quarters met at no headcount tried."""

HIRE_BY = {3: "2027-06-02", 6: "2028-03-02", 8: "2028-09-02", 9: "2028-11-30"}
"""Quarter index → hire-by date (91 + 61 days before the quarter starts), as in the trial."""

MOST_TRIED = 72
"""The largest headcount the solver tried (its bound; seats, the team being on one roster)."""


def trial_plan() -> pd.DataFrame:
    """A staffing_plan.csv of twelve quarters like the trial's: hires a few months apart, the
    eleventh and twelfth quarters not met at any headcount tried (``needed`` empty, not met)."""
    starts = pd.date_range("2027-02-01", periods=len(HEADS) + 1, freq="QS-FEB")
    impossible = [k >= 10 for k in range(len(HEADS))]
    return pd.DataFrame({
        "period": range(1, len(HEADS) + 1), "period_start": starts[:-1].strftime("%Y-%m-%d"),
        "period_end": (starts[1:] - pd.Timedelta(days=1)).strftime("%Y-%m-%d"), "headcount": HEADS,
        "change": pd.Series(HEADS).diff().fillna(0).astype(int), "hire_by": [HIRE_BY.get(k, "") for k in range(12)],
        "needed": [float("nan") if no else h for h, no in zip(HEADS, impossible)], "late_weeks": 0,
        "sla_urgent": 0.95, "sla_urgent_ci_low": 0.9, "sla_urgent_ci_high": 1.0,
        "sla_normal": 0.97, "sla_normal_ci_low": 0.93, "sla_normal_ci_high": 1.0, "confidence": 0.9,
        "met": [not no for no in impossible]})


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(TWO_SLAS)


def drawn(table: pd.DataFrame, scenario, **kwargs) -> Figure:
    """The plan chart, drawn (so that every text has its final place)."""
    fig = charts.staffing_plan(table, scenario, 7, 3, team="analysts", **kwargs)
    fig.draw_without_rendering()
    return fig


def test_the_legend_with_a_long_lead_time_stays_inside_the_figure(scenario):
    fig = drawn(trial_plan(), scenario, most_tried=MOST_TRIED)
    legend = fig.axes[0].get_legend()
    assert "hire by → start (91 d lead + 61 d training)" in [t.get_text() for t in legend.get_texts()]
    box = legend.get_window_extent()
    assert fig.bbox.x0 <= box.x0 and box.x1 <= fig.bbox.x1
    for text in legend.get_texts():
        assert text.get_window_extent().x1 <= fig.bbox.x1, text.get_text()


def test_no_two_hire_labels_overlap_and_none_leaves_the_figure(scenario):
    fig = drawn(trial_plan(), scenario, most_tried=MOST_TRIED)
    ax = fig.axes[0]
    hires = hire_numbers(fig)  # numbered on the chart, in date order; the key says what each is
    assert [t.get_text() for t in hires] == ["1", "2", "3", "4"]
    assert hire_key(fig) == [f"hire {HEADS[k] - HEADS[k - 1]} by {date}" for k, date in HIRE_BY.items()]
    others = [ax.title, *ax.get_legend().get_texts(), fig._suptitle]
    boxes = [(t.get_text(), t.get_window_extent()) for t in hires]
    for i, (a, box_a) in enumerate(boxes):
        assert fig.bbox.x0 <= box_a.x0 and box_a.x1 <= fig.bbox.x1, a
        for b, box_b in boxes[i + 1:]:
            assert not box_a.overlaps(box_b), (a, b)
        for other in others:
            assert not box_a.overlaps(other.get_window_extent()), (a, other.get_text())


def marks(ax, label: str) -> list[tuple[float, float]]:
    """The centres, in pixels, of the ✖ drawn with ``label`` in the legend."""
    found = [c for c in ax.collections if isinstance(c, PathCollection) and c.get_label() == label]
    assert len(found) == 1, [c.get_label() for c in ax.collections]
    return [tuple(p) for p in found[0].get_offset_transform().transform(found[0].get_offsets())]


def test_a_period_met_at_no_headcount_tried_is_marked_on_the_top_edge_naming_the_most_tried(scenario):
    fig = drawn(trial_plan(), scenario, most_tried=MOST_TRIED)
    ax = fig.axes[0]
    label = f"SLA not met at any headcount tried (up to {MOST_TRIED} seats)"
    assert label in [t.get_text() for t in ax.get_legend().get_texts()]
    top = ax.get_window_extent().y1
    half = 5 * fig.dpi / 72  # the ✖ is 9.5 points across: touching the top edge from inside
    centres = marks(ax, label)
    assert len(centres) == 2
    for _, y in centres:
        assert top - 1.5 * half <= y <= top - 0.5 * half
    step_15 = ax.transData.transform((0, 15))[1]
    assert all(y > step_15 + 20 for _, y in centres)  # not at the headcount planned, nor near it
    fig = drawn(trial_plan(), scenario)  # the bound not known (a plan read back from its csv)
    assert "SLA not met at any headcount tried" in [t.get_text() for t in fig.axes[0].get_legend().get_texts()]


def test_a_period_the_plan_misses_is_marked_at_its_headcount_planned(scenario):
    table = trial_plan()
    table.loc[6, "met"] = False  # 13 planned and needed, missed in the replay
    ax = drawn(table, scenario, most_tried=MOST_TRIED).axes[0]
    centres = marks(ax, "SLA not met at the headcount planned")
    assert len(centres) == 1
    assert ax.transData.inverted().transform(centres[0])[1] == pytest.approx(13)
    assert len(marks(ax, f"SLA not met at any headcount tried (up to {MOST_TRIED} seats)")) == 2


def test_the_attainment_legend_stays_inside_the_figure_and_leaves_the_panels_their_width():
    """With a classifier, the attainment panel's series are long ("reports the classifier did not
    flag: mean and 95% CI"): in three columns their legend ran past the figure's right edge and
    constrained layout narrowed both panels to an eighth of the figure, their dates on one another."""
    classified = dict(
        TWO_SLAS, priorities=["high", "low"],
        demand=[dict({k: v for k, v in TWO_SLAS["demand"][0].items() if k != "priority_mix"}, priority="low")],
        sla=[{"priority": "high", "within": "24h", "target": 0.9}, {"priority": "low", "within": "72h", "target": 0.9}],
        tooling={"classifier": {"enabled": True, "recall": 0.9, "fpr": 0.1, "positive_priority": "high",
                                "negative_priority": "low"}})
    table = trial_plan().rename(columns=lambda c: c.replace("sla_urgent", "sla_high").replace("sla_normal", "sla_low"))
    fig = drawn(table, load_scenario(classified), most_tried=MOST_TRIED)
    legend = fig.axes[1].get_legend()
    assert "reports the classifier did not flag: mean and 95% CI" in [t.get_text() for t in legend.get_texts()]
    assert legend.get_window_extent().x1 <= fig.bbox.x1
    assert all(ax.get_window_extent().width > fig.bbox.width / 2 for ax in fig.axes)
