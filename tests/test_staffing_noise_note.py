"""A staffing plan's notes on a need that rests on noise.

A user trial planned the bundled police-unit's investigation team quarter by quarter on 5
replications: demand is flat, yet the needs came out 15/16/15/18 and the plan hired for the last
quarter, a 63-day piece (29 Oct to 30 Dec), with a note blaming "work left from earlier periods"
though every earlier quarter had 1 or 2 seats to spare. Why (measured on 200 replications at 17
analysts): 17 miss that short quarter in 9 of 200 replications (4.5%; full quarters 1.5-2%), so they
meet it in 95%, above the 90% asked; but 5 replications at 90% confidence ask for 5 of 5, and one
miss (88.9% against 90%) raised the need to 18. The temporary seat came from the replay: the need
was found with 18 in post from the start, the plan has 17 before the quarter, whose work in hand
left one replication at 89.9%.

* the cover note blames a backlog only where an earlier period left one (hires late, a period not
  met), and otherwise says what made the replay miss;
* a rise in need that only one period has, with no more work than a period that needs fewer
  (:func:`capsim.staffing.lone_rise`), is said to rest on that period alone, with the evidence and
  how to check it (more replications), in the notes, staffing_plan.csv and plan.yaml; growing work
  still hires without it.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from capsim.cli import app
from capsim.scenario import load_scenario
from capsim.staffing import (Evaluation, Period, PeriodPlan, _cover_words, _left_behind, lone_rise, plan_periods,
                             seat_availability, solve_staffing)
from tests.test_charts_plans import IN_TIME, SMALL
from tests.test_cut_on_noise import DIP

TRIAL = ["staff", "police-unit", "--team", "investigation", "--period", "quarter", "-r", "5", "--workers", "1"]


def period_plan(index: int, *, met: bool = True, late_weeks: int = 0) -> PeriodPlan:
    """A quarter's plan with 17 in post for a need of 15, met or not, its hires late or not."""
    first = dt.date(2024, 1, 29) + dt.timedelta(days=91 * index)
    evaluation = Evaluation(17, {"high": np.array([0.95])}, np.array([met]), {"high": 1.0}, 10.0, 100.0, 120.0)
    return PeriodPlan(Period(index, first, first + dt.timedelta(days=90), 0.0, 1.0), 15, 17, 0, None, late_weeks,
                      evaluation, met)


# --------------------------------------------------------------------------- 1. the cover note's reason


def test_a_backlog_is_blamed_only_where_an_earlier_period_left_one():
    labels = ["period 1", "period 2", "period 3"]
    kept_up = [period_plan(0), period_plan(1), period_plan(2)]
    assert _left_behind(kept_up, labels) == ""
    assert _left_behind([period_plan(0, late_weeks=3), *kept_up[1:]], labels) == ", where hires were late"
    assert _left_behind([kept_up[0], period_plan(1, met=False), kept_up[2]], labels) == ": period 2 was not met"
    periods = [p.period for p in kept_up] + [Period(3, dt.date(2024, 10, 29), dt.date(2024, 12, 30), 1.0, 2.0)]
    said = _cover_words([0, 0, 0, 1], 3, periods, _left_behind(kept_up, labels), (18, 18, 17))
    # before: "missed this period (work left from earlier periods): +1 temporary to clear that backlog"
    assert "work left from earlier periods" not in said and "backlog, until" not in said
    assert said.startswith("1 temporary analyst above its own need: no earlier period left a backlog (each met its "
                           "target with at least its need in post, on time), but the need of 18 was found with 18 in "
                           "post from the start, not the plan's 17 before it, which leave more work in hand on its "
                           "first day; with 18 from then, the plan replayed as it can happen missed this period: +1 "
                           "temporary to meet it, until 2024-12-30"), said
    late = _cover_words([0, 0, 0, 1], 3, periods, ": period 2 was not met", (18, 18, 17))
    assert "missed this period (work left from earlier periods: period 2 was not met): +1 temporary to clear that " \
           "backlog" in late


# --------------------------------------------------------------------------- 2. a rise that rests on one period


def test_lone_rise_is_a_need_above_the_others_that_the_work_does_not_explain():
    flat = [2.237] * 4
    assert lone_rise(3, [15, 16, 15, 18], 17, flat) == 1  # the trial: 17 in post, only the last quarter needs 18
    assert lone_rise(1, [15, 19, 15, 15], 15, flat) == 4  # a middle period alone, above today's seats
    assert lone_rise(3, [15, 16, 15, 17], 17, flat) == 0  # today's seats cover it: no hire
    assert lone_rise(3, [15, 18, 15, 18], 17, flat) == 0  # another period needs as many
    assert lone_rise(3, [8, 9, 10, 11], 8, [1.0, 1.1, 1.2, 1.3]) == 0  # growing work: the rise is the work's
    # a little more work does not explain 3 more seats (+37.5%): at least half that rise in work does
    assert lone_rise(3, [8, 8, 8, 11], 8, [1.0, 1.0, 1.0, 1.0000001]) == 3
    assert lone_rise(3, [8, 8, 8, 11], 8, [1.0, 1.0, 1.0, 1.18]) == 3
    assert lone_rise(3, [8, 8, 8, 11], 8, [1.0, 1.0, 1.0, 1.19]) == 0
    assert lone_rise(3, [None, None, None, 18], 17, flat) == 0  # nothing to compare with
    assert lone_rise(2, [15, 16, 18, None], 17, flat) == 1


@pytest.fixture(scope="module")
def trial(tmp_path_factory):
    out = tmp_path_factory.mktemp("trial") / "p1"
    result = CliRunner().invoke(app, [*TRIAL, "--out", str(out)], terminal_width=400)
    assert result.exit_code == 0, result.output
    return result, out


def test_the_trial_s_last_quarter_says_its_rise_rests_on_it_alone_and_how_to_check(trial):
    result, out = trial
    table = pd.read_csv(out / "staffing_plan.csv")
    assert list(table.needed) == [15, 16, 15, 18] and list(table.temporary) == [0, 0, 0, 1]
    note = table.note.iloc[3]
    assert "work left from earlier periods" not in note and "no earlier period left a backlog" in note
    alone = ("the rise to 18 rests on this period alone: no other quarter needs more than 16, though the work per "
             "available analyst-hour in it is too little above that of one that needs fewer to explain it; 17 analysts failed it on 1 missed replication "
             "(88.9% of high-priority referrals within 14 d against 90%; 1 run, as the test stops once its verdict is "
             "certain); a team that meets a quarter in exactly 90% of replications still fails this test (5 of 5 "
             "replications met) 41% of the time, and this period's 63 days are 69% of a quarter: fewer items, so its "
             "share varies about 1.2 times as much. Check it with four times the replications (--replications 20, "
             "half the sampling error): if 17 meet it then, it needs no more than 17")
    assert alone in note
    assert all("rests on this period alone" not in n for n in table.note.iloc[:3].fillna(""))
    assert alone in " ".join(result.output.split())  # the terminal's notes
    plan_yaml = (out / "plan.yaml").read_text()
    assert f"# period 4 (2024-10-29 to 2024-12-30): {alone}.\n" in plan_yaml
    assert ("1 of its 19 seats is temporary cover for the work in hand the 17 seats before it leave (no earlier "
            "period left a backlog)") in plan_yaml
    assert "to clear the backlog earlier periods leave" not in " ".join(result.output.split())  # the legend


def test_four_times_the_replications_settle_the_trial_s_last_quarter_without_a_hire():
    """The check the note advises: on 20 replications (18 of 20 to meet), 17 meet every quarter, so
    the plan hires no one and says nothing about a lone rise."""
    plan = solve_staffing(load_scenario("scenarios/police-unit.yaml"), "investigation", period="quarter",
                          replications=20, workers=1)
    assert max(p.needed for p in plan.periods) <= 17 and all(p.headcount == 17 for p in plan.periods)
    assert not any(p.alone for p in plan.periods) and plan.lone_rise_lines() == []


def test_growing_work_still_hires_without_a_lone_rise_note():
    plan = solve_staffing(load_scenario(SMALL, IN_TIME), "analysts", period="month", replications=3, seed=7, workers=1)
    needs = [p.needed for p in plan.periods]
    assert needs == sorted(needs) and needs[-1] > needs[0]  # the last month alone needs the most
    assert plan.periods[-1].headcount >= needs[-1] and plan.periods[-1].hires > 0
    assert not any(p.alone for p in plan.periods)


# --------------------------------------------------------------------------- 3. a rise the hours explain

# Review: lone_rise judged the work arriving a day while the cuts (lone_fall, the noise hold) judge the work per
# available analyst-hour, so a leave season's rise with the same work arriving was said to rest on its period alone
# while the cuts treated it as real.
LEAVE_QUARTER = {
    **DIP, "clock": {**DIP["clock"], "horizon": "1y"},
    "demand": [{"stream": "reports", "unit": "report", "priority": "normal", "rate": "40000/year"}],
    "workforce": [{**DIP["workforce"][0], "headcount": 4,
                   "leave": [{"start": "2027-08-01", "end": "2027-10-31", "share": 0.4}]}],
}
"""Flat work, with 40% of the team on leave for the third quarter (2027-08-01 to 2027-10-31)."""


def test_a_leave_season_s_rise_with_the_same_work_arriving_is_not_said_to_rest_on_its_period_alone():
    scenario = load_scenario(LEAVE_QUARTER)
    plan = solve_staffing(scenario, "analysts", period="quarter", replications=4, workers=1)
    needs = [p.needed for p in plan.periods]
    assert needs[2] > max(4, *needs[:2], *needs[3:])  # only the leave quarter needs that many: lone_rise's case
    # the work arriving a day is flat; per available analyst-hour the leave quarter has 1 / 0.6 times as much as
    # quarter 2 (with as many weekdays): enough to explain up to twice and a third the seats
    availability = seat_availability(scenario, 0, plan_periods(scenario, "quarter"))
    assert availability[1] / availability[2] == pytest.approx(1 / 0.6)
    assert not any(p.alone for p in plan.periods) and plan.lone_rise_lines() == []  # before: the rise to 9 alone
