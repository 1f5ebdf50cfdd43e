"""Plan charts: the staffing plan (headcount steps, hire-by dates, SLA attainment per period)
and the budget per year (total cost and FTE with their CIs) render from a small plan and
budget, state their finding in the title, and keep title and footer as text in the SVG."""

from __future__ import annotations

from importlib import metadata

import pandas as pd
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from capsim import charts
from capsim.budget import budget
from capsim.scenario import load_scenario
from capsim.sources import source_names
from capsim.staffing import solve_staffing

SMALL = {
    "name": "small-plans",
    "title": "A small growing scenario for the plan charts",
    "clock": {"horizon": "150d", "warmup": "0d", "start": "2024-10-01", "step": "1d"},
    "priorities": ["normal"],
    "demand": [{"stream": "reports", "unit": "report", "rate": "300/day", "priority": "normal",
                "growth": {"model": "exponential", "doubling_time": "60d"}}],
    "review": {"report": {"dist": "exponential", "mean": "5min"}},
    "workforce": [{"team": "analysts", "headcount": 2, "roster": "24/7",
                   "exposure_cap": {"figure": "inhope_max_review_hours_day"},
                   "hiring": {"lead_time": "30d"}}],
    "sla": [{"priority": "normal", "within": "24h", "target": 0.9}],
    "costs": {"currency": "GBP", "teams": {"analysts": {"annual_cost": 40000}}},
    "experiment": {"replications": 3, "seed": 7},
}


@pytest.fixture(scope="module")
def scenario():
    return load_scenario(SMALL)


IN_TIME = ["workforce.analysts.headcount=8"]
"""The first month's need in post at the start: every later hire can be recruited in time (a month
ahead, the 30-day lead time), so the plan is met as planned (late hires: tests/test_late_hires.py)."""


@pytest.fixture(scope="module")
def staffed():
    return load_scenario(SMALL, IN_TIME)


@pytest.fixture(scope="module")
def plan(staffed):
    return solve_staffing(staffed, "analysts", period="month", replications=3, seed=7)


@pytest.fixture(scope="module")
def plan_chart(plan, staffed):
    return charts.staffing_plan(plan.table(), staffed, plan.seed, plan.replications, team="analysts")


@pytest.fixture(scope="module")
def budget_result(scenario):
    more = load_scenario(SMALL, ["name=small-plans-more", "workforce.analysts.headcount=4"])
    return budget([scenario, more], replications=3, seed=7)


@pytest.fixture(scope="module")
def budget_chart(budget_result):
    return charts.budget_per_year(budget_result.table, budget_result.scenarios, budget_result.seed,
                                  budget_result.replications)


def title_of(fig: Figure) -> str:
    return fig._suptitle.get_text().replace("\n", " ")


def texts_of(fig: Figure) -> str:
    return " ".join(t.get_text() for t in fig.findobj(Text))


def hire_numbers(fig: Figure) -> list[Text]:
    """The numbers marking the hire-by dates above the headcount panel, in date order."""
    return [t for t in fig.axes[0].texts if t.get_gid() == "hire-number"]


def hire_key(fig: Figure) -> list[str]:
    """The key to the hire-by numbers, entry by entry ("hire 2 by 2028-04-01"), in their order."""
    (key,) = [a for a in fig.axes[-1].get_children() if a.get_gid() == "hire-key"]
    return [t.get_text() for t in key.get_texts()]


def test_the_plan_grows_and_the_chart_names_the_first_hire_by_date(plan, plan_chart):
    table = plan.table()
    assert len(table) == 5 and table.met.all()
    assert table.headcount.iloc[-1] > table.headcount.iloc[0]  # demand doubles every 60 days
    title = title_of(plan_chart)
    assert title.startswith("The analysts team needs ")
    # the need the solver found, not the plan's seats (one more where the replay of the plan missed)
    assert f"needs {table.needed.min():.0f} analysts in the month from 2024-10-01, up to {table.needed.max():.0f}" in title
    assert "90% of reports within 24\u00a0h" in title  # the items by name, not their priority; a no-break space keeps "24 h" whole
    hires = table[(table.change > 0) & (table.hire_by != "")]
    first = min(hires.hire_by)
    assert f"by {first}" in title
    texts = texts_of(plan_chart)
    for row in hires.itertuples():  # every hire-by date is marked, with its count (temporary cover named)
        cover = f" ({row.temporary} temp.)" if row.temporary else ""
        assert f"hire {row.change}{cover} by {row.hire_by}" in texts
    assert "hire-by date → start (30 d lead time)" in texts
    assert "target 90%" in texts


def test_hire_by_dates_are_a_lead_time_before_the_period_starts(plan):
    table = plan.table()
    later = table[(table.period > 1) & (table.change > 0)]
    assert len(later)
    gap = pd.to_datetime(later.period_start) - pd.to_datetime(later.hire_by)
    assert (gap == pd.Timedelta(days=30)).all()


def test_the_plan_chart_draws_attainment_with_its_interval_against_the_target(plan, plan_chart):
    bottom = plan_chart.axes[1]
    low, high = bottom.get_ylim()
    assert low <= 0.9 <= high
    means = [c.get_offsets()[:, 1] for c in bottom.collections if len(c.get_offsets())]
    assert any(len(m) == len(plan.periods) for m in means)
    assert pytest.approx(sorted(max(means, key=len))) == sorted(plan.table().sla_normal)


def test_the_plan_chart_reads_back_its_own_csv_and_marks_a_period_not_met(plan, staffed, tmp_path):
    path = tmp_path / "staffing_plan.csv"
    plan.table().to_csv(path, index=False)
    table = pd.read_csv(path)  # hire_by read back as NaN where empty
    table.loc[len(table) - 1, "met"] = False
    fig = charts.staffing_plan(table, staffed, plan.seed, plan.replications)
    assert f"not met in 1 of {len(table)} periods" in title_of(fig)
    assert "SLA not met at the headcount planned" in texts_of(fig)
    with pytest.raises(ValueError, match="no periods"):
        charts.staffing_plan(table.iloc[:0], staffed, plan.seed, plan.replications)


def test_the_plan_chart_says_when_no_headcount_suffices(plan, staffed):
    table = plan.table().assign(met=False)
    assert "cannot meet the target of 90% of reports within 24\u00a0h in any period" in title_of(
        charts.staffing_plan(table, staffed, plan.seed, plan.replications))


def test_budget_chart_states_the_paired_difference_and_draws_each_year(budget_result, budget_chart):
    table = budget_result.table
    years = [y for y in dict.fromkeys(table.year) if y != "all"]
    assert years == ["2024", "2025"]
    title = title_of(budget_chart)
    # no whole calendar year (92 days of 2024, 58 of 2025): the title names the period by its dates, never "2025"
    assert title.startswith("Over 1 Jan\u201327 Feb 2025 (58 days), small-plans-more costs GBP")
    assert "more than small-plans" in title and "In 2025" not in title
    cost, fte = budget_chart.axes[:2]
    assert [t.get_text().split("\n")[0] for t in fte.get_xticklabels()] == years
    assert "(92 days)" in texts_of(budget_chart)  # a partial year says so
    assert len(cost.patches) == 2 * len(years)  # one bar per scenario and year
    heights = sorted(p.get_height() for p in cost.patches)
    expected = sorted(table[table.year != "all"].total_cost / 1e3)
    assert heights == pytest.approx(expected)


def test_budget_chart_of_one_scenario_and_one_team(budget_result):
    table = budget_result.table[budget_result.table.scenario == "small-plans"]
    fig = charts.budget_per_year(table, budget_result.scenarios[0], 7, 3)
    # no whole year to compare: one dated period, not "goes from" a 92-day part to a 58-day one
    assert title_of(fig).startswith("small-plans: total cost GBP")
    assert "over 1 Jan\u201327 Feb 2025 (58 days), with" in title_of(fig) and "goes from" not in title_of(fig)
    with pytest.raises(KeyError, match="fte_graders"):
        charts.budget_per_year(table, budget_result.scenarios[0], 7, 3, team="graders")


def test_budget_chart_titles_name_whole_years_only(budget_result):
    """With a whole calendar year (by_year.is_whole_year, the headlines' rule), the title speaks of
    it, not of a later part year: 2024 made whole (and 2025 kept at 58 days) is the year named."""
    table = budget_result.table.copy()
    table.loc[table.year == "2024", ["days", "first_day"]] = [366.0, "2024-01-01"]
    title = title_of(charts.budget_per_year(table, budget_result.scenarios, 7, 3))
    assert title.startswith("In 2024, small-plans-more costs GBP") and "2025" not in title
    one = table[table.scenario == "small-plans"]
    assert title_of(charts.budget_per_year(one, budget_result.scenarios[0], 7, 3)).startswith(
        "small-plans: total cost GBP")  # one whole year: no "goes from" a part year


@pytest.mark.parametrize("name", ["plan_chart", "budget_chart"])
def test_plan_charts_keep_text_readable_and_title_and_footer_as_text_in_svg(name, request, scenario, tmp_path):
    fig = request.getfixturevalue(name)
    for text in fig.findobj(Text):
        if text.get_visible() and text.get_text().strip():
            assert text.get_fontsize() >= charts.MIN_FONT_PT, (text.get_text(), text.get_fontsize())
    written = charts.save(fig, tmp_path / name, formats=["png", "svg"])
    assert [p.name for p in written] == [f"{name}.png", f"{name}.svg", f"{name}.txt"]  # .txt: the text description
    svg = (tmp_path / f"{name}.svg").read_text()
    assert fig._suptitle.get_text().split("\n")[0] in svg
    assert "seed 7" in svg and "3 replications" in svg and f"capsim {metadata.version('capsim')}" in svg
    assert "small-plans" in svg
    primary, secondary = source_names(scenario.figures)  # the footer names publications, not figure ids
    assert primary
    for name in primary + secondary:
        assert name.replace("&", "&amp;") in svg, name
    assert "INHOPE" in svg


def test_staff_and_budget_commands_save_their_charts(tmp_path):
    import yaml
    from typer.testing import CliRunner

    from capsim.cli import app

    path = tmp_path / "small.yaml"
    path.write_text(yaml.safe_dump(dict(SMALL, clock=dict(SMALL["clock"], horizon="60d"))))
    staff = CliRunner().invoke(app, ["staff", str(path), "--period", "month", "-r", "2", "--out", str(tmp_path / "s"),
                                     *(arg for key in IN_TIME for arg in ("--set", key))])
    assert staff.exit_code == 0, staff.output
    budget_run = CliRunner().invoke(app, ["budget", str(path), "-r", "2", "--out", str(tmp_path / "b")])
    assert budget_run.exit_code == 0, budget_run.output
    for folder, stem in ((tmp_path / "s", "staffing_plan"), (tmp_path / "b", "budget")):
        assert {p.name for p in (folder / "charts").iterdir()} == {f"{stem}.{ext}" for ext in ("png", "svg", "pdf", "txt")}
        assert "Scenario: small-plans" in (folder / "charts" / f"{stem}.svg").read_text()


def many_steps(scenario, periods: int, before_days: int) -> pd.DataFrame:
    """A plan table of ``periods`` months from the scenario's start, one more analyst each month,
    each hired ``before_days`` before its month starts (mid-month for 15: where the step labels are)."""
    starts = pd.date_range(pd.Timestamp(scenario.clock.start), periods=periods + 1, freq="MS")
    heads = 3 + pd.RangeIndex(periods)
    return pd.DataFrame({
        "period": range(1, periods + 1), "period_start": starts[:-1].strftime("%Y-%m-%d"),
        "period_end": (starts[1:] - pd.Timedelta(days=1)).strftime("%Y-%m-%d"), "headcount": heads,
        "change": 1, "hire_by": (starts[:-1] - pd.Timedelta(days=before_days)).strftime("%Y-%m-%d"),
        "needed": heads, "late_weeks": 0, "sla_normal": 0.95, "sla_normal_ci_low": 0.92,
        "sla_normal_ci_high": 0.98, "confidence": 0.9, "met": True})


@pytest.mark.parametrize("periods, before_days", [(12, 15), (24, 90)])
def test_no_two_labels_of_a_plan_with_many_hiring_dates_overlap(scenario, periods, before_days):
    # Hire-by labels used to be drawn upright from the x axis, across the steps' labels.
    fig = charts.staffing_plan(many_steps(scenario, periods, before_days), scenario, 7, 3)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    drawn = [*ax.texts, ax.title, *ax.get_yticklabels(), *ax.get_legend().get_texts(), fig._suptitle]
    texts = [t for t in drawn if t.get_visible() and t.get_text().strip()]
    hires = hire_numbers(fig)
    assert [t.get_text() for t in hires] == [str(k) for k in range(1, periods + 1)]
    assert len(hire_key(fig)) == periods
    boxes = [(t.get_text(), t.get_window_extent()) for t in texts]
    for i, (a, box_a) in enumerate(boxes):
        assert fig.bbox.x0 - 1 <= box_a.x0 and box_a.x1 <= fig.bbox.x1 + 1, a  # inside the figure
        for b, box_b in boxes[i + 1:]:
            assert not box_a.overlaps(box_b), (a, b)
    steps_top = max(ax.transData.transform((0, h))[1] for h in 3 + pd.RangeIndex(periods))
    assert min(t.get_window_extent().y0 for t in hires) > steps_top  # every label above the steps


def test_the_headcount_axis_fits_the_steps_and_the_hire_labels_sit_above_it(scenario):
    """The hire-by labels once took rows inside the headcount axes, whose y range grew to hold
    them (up to twice the largest headcount, the steps squeezed into the lower part)."""
    table = many_steps(scenario, 24, 90)
    fig = charts.staffing_plan(table, scenario, 7, 3)
    fig.draw_without_rendering()
    ax = fig.axes[0]
    assert ax.get_ylim() == (0, pytest.approx(1.3 * table.headcount.max()))  # the steps and their labels
    hires = hire_numbers(fig)
    assert len(hires) == 24
    top = ax.get_window_extent().y1
    assert min(t.get_window_extent().y0 for t in hires) >= top  # above the axes, under its title
    assert ax.title.get_window_extent().y0 > max(t.get_window_extent().y1 for t in hires)


def test_a_plans_last_period_cut_short_by_the_run_is_named_by_its_days():
    # Trial 12: the title said "the year from 2025-01-29" of an 11-month period ending 31 Dec 2025.
    import datetime as dt

    import numpy as np
    import pandas as pd

    from capsim.charts.plan import _need_words

    table = pd.DataFrame({"period_start": [dt.date(2024, 1, 29), dt.date(2025, 1, 29)],
                          "period_end": [dt.date(2025, 1, 28), dt.date(2025, 12, 31)]})
    assert _need_words(table, np.array([15.0, 16.0]), "year") == (
        "needs 15 analysts in the year from 2024-01-29, up to 16 in the part year 2025-01-29 to 2025-12-31")
