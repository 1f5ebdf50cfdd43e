"""A staffing plan a manager can follow, whose files agree (user trial of ``my-hotline``, team triage,
``capsim staff --period month -r 5 --allow-reduce``, 91-day lead time, 8 weeks' training):

1. Period 1 let 2 analysts go on 2027-02-01 and period 6 said to recruit 1 by 2027-02-04, three days
   later. Period 15's cut of the seat hired for period 14 was dated as a hire is (its first day less
   the training: 2028-02-05), before the month it was hired for, so plan.yaml had 5 in March 2028
   where the table said 6 and the chart shaded hires late that were not. A cut is now made on its
   period's first day; no seat is cut that a later period needs back with its recruiting due within a
   hiring lead time after the cut; and no lasting hire is cut before it has served a lead time.
2. The chart's title left out the cuts ("5 in post at the start; hire 1 ..." for a plan going 5 → 4 → 5 → 6).
3. "the part quarter 2027-02-01 to 2027-04-30": a whole calendar quarter of 89 days.
4. "about 0.0 of its 5 analysts leave a month".
5. Temporary cover of a month recruited over a 120-day lead time said nothing of it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import yaml

from capsim.charts.plan import _cover_words, _is_part, _steps, _title
from capsim.scenario import load_scenario
from capsim.staffing import _cut_reach, _cut_served, _cut_words, _levels, Limits, plan_periods
from tests.test_cli import real

HOTLINE = """
name: my-hotline
clock: {horizon: 3y, warmup: 28d, start: 2027-01-04, step: 7d}
priorities: [urgent, normal]
demand:
  - stream: reports
    unit: report
    rate: 30000/year
    growth: {model: exponential, per_year: 25%}
    priority: normal
    mix: {criminal: 0.4}
review:
  report: {dist: lognormal, mean: 4min, cv: 1.0}
workforce:
  - team: triage
    headcount: 5
    roster: {hours_per_day: 8, days: [mon, tue, wed, thu, fri], start: "09:00"}
    exposure_cap: 4h/day
    shrinkage: 0.15
    attrition: 0.1
    hiring: {lead_time: 91d}
    ramp: {weeks: 8, start: 0.3}
sla:
  - {priority: normal, within: 72h, target: 0.90}
experiment: {replications: 5, seed: 7}
"""
"""The trial's scenario, its triage team alone (the investigators it refers to change nothing in its queue)."""

LEAD, TRAINING = dt.timedelta(days=91), dt.timedelta(weeks=8)


@pytest.fixture(scope="module")
def monthly(tmp_path_factory):
    """The trial's monthly plan with cuts allowed: its plan.yaml steps (date, seats) and its table."""
    folder = tmp_path_factory.mktemp("hotline")
    (folder / "my-hotline.yaml").write_text(HOTLINE)
    result = real("staff", folder / "my-hotline.yaml", "--period", "month", "--allow-reduce", "--workers", "1",
                  "--out", folder / "plan", timeout=300)
    assert result.returncode == 0, result.stderr
    team = yaml.safe_load((folder / "plan" / "plan.yaml").read_text())["workforce"][0]
    steps = [(dt.date(2027, 1, 4), team["headcount"])] + [(c["date"], c["headcount"]) for c in team["changes"]]
    return steps, pd.read_csv(folder / "plan" / "staffing_plan.csv", keep_default_na=False,
                              na_values={"needed": [""]})


def seats_on(steps: list[tuple[dt.date, int]], day: dt.date) -> int:
    """The seats plan.yaml has in post on ``day``."""
    return [h for d, h in steps if d <= day][-1]


def test_no_seat_is_cut_and_recruited_again_within_a_lead_time_nor_a_hire_cut_before_it_serves(monthly):
    steps, _ = monthly
    for (before, was), (day, now) in zip(steps, steps[1:]):
        if now >= was:
            continue
        for later, (up, seats) in zip(steps[1:], steps[2:]):
            if up > day and seats > later[1]:  # a later hire: it starts training on ``up``, recruited LEAD earlier
                assert up - LEAD > day + LEAD, f"cut on {day}, recruiting again from {up - LEAD}"
        for earlier, (up, seats) in zip(steps, steps[1:]):
            if up < day and seats > earlier[1]:  # an earlier hire, trained from ``up``: it serves a lead time first
                assert day >= up + TRAINING + LEAD, f"hired from {up}, cut on {day}"


def test_plan_yaml_the_table_and_the_chart_have_the_same_seats_in_every_period(monthly):
    steps, table = monthly
    starts = pd.to_datetime(table["period_start"])
    ends = pd.to_datetime(table["period_end"]) + pd.Timedelta(days=1)
    when, planned, in_post = _steps(table, starts, ends, table["temporary"].to_numpy(),
                                    pd.to_datetime(table["temporary_until"].replace("", np.nan)))
    chart = {pd.Timestamp(w).date(): (p, i) for w, p, i in zip(when, planned, in_post)}
    for row in table.itertuples():
        first = dt.date.fromisoformat(row.period_start)
        training = sum(later.hires for later in table.itertuples() if later.hires_start and
                       dt.date.fromisoformat(later.hires_start) <= first < dt.date.fromisoformat(later.period_start))
        assert row.headcount == row.in_post_at_start == chart[first][0] == chart[first][1]
        assert seats_on(steps, first) == row.headcount + training  # and the later periods' hires in training
        assert not row.late_weeks


def test_a_cut_holds_for_a_need_whose_recruiting_is_due_within_a_lead_time_after_it():
    scenario = load_scenario(yaml.safe_load(HOTLINE))
    periods, team = plan_periods(scenario, "month"), scenario.workforce[0]
    # the trial's first six months: 3 needed, then 4 in July, whose hires are recruited by 2027-02-04
    needs = [3, 3, 3, 3, 3, 4, 4]
    reach = _cut_reach(periods[:7], team)
    assert reach[0] == 6  # July: recruited 3 days after the cut on 2027-02-01 (before: June only)
    assert _levels(needs, 5, 1, 20, Limits(never_reduce=False), reach) == [4] * 7


def test_a_lasting_hire_is_not_cut_before_it_has_served_a_lead_time():
    scenario = load_scenario(yaml.safe_load(HOTLINE))
    periods, team = plan_periods(scenario, "month"), scenario.workforce[0]
    # a month that needs 5 between months that need 4 (the trial's March 2028, here the fourth month)
    needs = [4, 4, 4, 5, 4, 4, 4, 4, 4]
    served = _cut_served(periods[:9], team)
    assert served[4] == 2 and served[6] == 4  # a cut on 1 June holds hires for April on; on 1 August, for June on
    levels = _levels(needs, 4, 1, 20, Limits(never_reduce=False), [min(k + 1, 8) for k in range(9)], served)
    assert levels == [4, 4, 4, 5, 5, 5, 4, 4, 4]  # cut on 2027-08-01, 92 days after May's hire began to serve
    assert _levels(needs, 4, 1, 20, Limits(never_reduce=False), [min(k + 1, 8) for k in range(9)]) == needs


def test_a_cut_dated_on_its_period_s_first_day(monthly):
    _, table = monthly
    for row in table.itertuples():
        if " fewer from " in row.note:
            assert f" fewer from {row.period_start}:" in row.note


def test_a_small_team_s_attrition_is_never_said_as_0_0():
    team = load_scenario(yaml.safe_load(HOTLINE)).workforce[0]
    words = _cut_words(1, 5, dt.date(2028, 4, 1), dt.date(2027, 2, 1), team, "month")
    assert "0.0" not in words
    assert ("at the team's attrition of 10% a year, about 0.5 of its 5 analysts leave a year, about 0.1 in the 91 "
            "days before 2028-04-01") in words
    quiet = team.model_copy(update={"attrition": 0.001})
    assert "fewer than 0.1 of its 5 analysts leave a year, fewer than 0.1 in the 91 days" in _cut_words(
        1, 5, dt.date(2028, 4, 1), dt.date(2027, 2, 1), quiet, "month")


def plan_table(heads: list[int], temporary: list[int], firsts: list[str], lasts: list[str]) -> pd.DataFrame:
    """A plan table of whole quarters, every need met in post, no hires late."""
    n = len(heads)
    return pd.DataFrame({"period": range(1, n + 1), "period_start": firsts, "period_end": lasts,
                         "headcount": heads, "needed": [float(h) for h in heads], "temporary": temporary,
                         "temporary_until": [""] * n, "late_weeks": [0] * n, "hires_start": [""] * n,
                         "hire_by": [""] * n})


def test_the_title_says_the_cuts_so_that_the_seats_add_up():
    firsts = ["2027-02-01", "2027-05-01", "2027-08-01", "2027-11-01"]
    lasts = ["2027-04-30", "2027-07-31", "2027-10-31", "2028-01-31"]
    table = plan_table([4, 4, 5, 3], [0, 0, 0, 0], firsts, lasts)
    hires = [(pd.Timestamp("2027-03-05"), 1, 2, 0)]
    title = _title(table, table["needed"].to_numpy(), np.ones(4, bool), hires, "triage", 5,
                   ("assess 90%", "the target"), pd.Timestamp("2027-01-04"), "quarter")
    assert title.endswith("; 5 in post at the start, as many as the most needed; let 1 analyst go on 2027-02-01 (the "
                          "first of 2 cuts; 3 let go in all); hire 1 lasting analyst by 2027-03-05")
    # the end of temporary cover is no cut
    assert "let" not in _title(plan_table([5, 6, 5, 5], [0, 1, 0, 0], firsts, lasts), np.array([5.0, 5, 5, 5]),
                               np.ones(4, bool), [], "triage", 5, ("assess 90%", "the target"),
                               pd.Timestamp("2027-01-04"), "quarter")


def test_a_quarter_is_part_only_when_it_ends_before_its_calendar_quarter():
    assert not _is_part("2027-02-01", "2027-04-30", "quarter")  # 89 days, a whole quarter
    assert _is_part("2029-11-01", "2030-01-03", "quarter")  # the run ends in its third month
    assert not _is_part("2028-02-01", "2028-02-29", "month") and not _is_part("2027-02-01", "2028-01-31", "year")
    assert _is_part("2029-02-01", "2030-01-03", "year")


def test_cover_shorter_than_its_lead_time_says_so():
    table = plan_table([3, 5, 3], [0, 2, 0], ["2027-07-01", "2027-08-01", "2027-09-01"],
                       ["2027-07-31", "2027-08-31", "2027-09-30"])
    table.loc[1, "hire_by"] = "2027-04-03"
    assert _cover_words(table, 120) == (
        "2 more as temporary cover from 2027-08-01 to 2027-08-31 (hire by 2027-04-03: 31 days of cover, recruited "
        "over a hiring lead time of 120 days; overtime or agency staff may meet it better)")
    assert _cover_words(table, 30) == "2 more as temporary cover from 2027-08-01 to 2027-08-31 (hire by 2027-04-03)"


def test_the_y_label_stays_beside_its_panel_however_long_the_team_s_name():
    from capsim.charts.plan import staffing_plan

    scenario = load_scenario(yaml.safe_load(HOTLINE.replace("team: triage", "team: investigators-and-reviewers")))
    firsts = [str(dt.date(2027, 2, 1) + dt.timedelta(days=91 * k)) for k in range(12)]
    lasts = [str(dt.date(2027, 2, 1) + dt.timedelta(days=91 * k + 90)) for k in range(12)]
    table = plan_table([5] * 12, [0] * 12, firsts, lasts).assign(sla_normal=0.95, met=True)
    fig = staffing_plan(table, scenario, 7, 5, team="investigators-and-reviewers")
    fig.draw_without_rendering()
    ax = fig.axes[0]
    label, panel = ax.yaxis.label.get_window_extent(), ax.get_window_extent()
    assert panel.y0 - 1 <= label.y0 and label.y1 <= panel.y1 + 1  # pixels: not down beside the panel below
